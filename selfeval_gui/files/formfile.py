"""The form's JSON file: versioned, amounts and scores as decimal strings, atomic save with a .bak.

Format (version 2; version-1 files open unchanged through migrate()) is published as
resources/schema/selfeval-form.schema.json.  Reading never changes the file; every way a file can be wrong ends
in FormFileError with a plain Chinese message.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.final_record import record_intact
from selfeval_gui.domain.form import Approved, ApprovedRow, Finalization, Form, FundRow, Indicator, Level1, Level2
from selfeval_gui.domain.number_rules import rule_for
from selfeval_gui.domain.numbers import NumberError, to_json
from selfeval_gui.domain.quoting import excerpt, quoted
from selfeval_gui.domain.row_kinds import KINDS
from selfeval_gui.domain.rules import Template, template_of
from selfeval_gui.domain.vocabulary import DRAFT, FINAL
from selfeval_gui.files.atomic import ChangedOnDiskError, StrPath, atomic_write_bytes
from selfeval_gui.files.reading import read_failure, read_head, write_failure

log = logging.getLogger(__name__)

# atomic_write_bytes lives in atomic.py; it stays importable from here for the modules that took it from here.
__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "FormChangedError",
    "FormFileError",
    "atomic_write_bytes",
    "canonical_json",
    "clean_text",
    "dumps",
    "fingerprint",
    "form_from_data",
    "form_to_data",
    "load_form",
    "loads",
    "migrate",
    "save_form",
]

FORMAT_NAME = "selfeval-form"
FORMAT_VERSION = 2
# The keys of the file that are no content of the form: the content fingerprint leaves them out, so it stays
# the same across format versions and across 定稿 / 撤销定稿.
NOT_CONTENT = ("version", "status")
MAX_FILE_BYTES = 20 * 1024 * 1024


class FormFileError(Exception):
    """A form file that cannot be read or written; str() is the message for the clerk."""


# After json.loads joins escaped pairs, any surrogate left is a lone half ("\ud800" in a hand-edited or damaged
# file): it cannot be written as UTF-8, so saving and the PDF fingerprint would fail later.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text that can be written as UTF-8: a lone surrogate becomes U+FFFD (�), everything else is kept."""
    return _LONE_SURROGATE.sub("\ufffd", text)


JsonObject: TypeAlias = "dict[str, Any]"


class _JsonNumber(str):
    """A JSON number kept as its literal text, so 1514.0223 written without quotes stays exact."""


MAX_INT_DIGITS = 4000  # Python refuses to turn more than 4,300 digits into an int, in English


def _json_int(text: str) -> int:
    """A bare JSON integer; one of thousands of digits is no amount or year a clerk wrote: said in Chinese."""
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise FormFileError(
            f"文件中有一个长达 {len(text.lstrip('-')):,} 位的整数，不是有效的金额、分值或年度，文件可能已损坏。"
        )
    return int(text)


# ---------------------------------------------------------------- to and from plain data


def _indicator_data(i: Indicator) -> JsonObject:
    d: JsonObject = {
        "name": i.name,
        "target": i.target,
        "actual": i.actual,
        "weight": to_json(i.weight),
        "score": to_json(i.score),
        "deviation": i.deviation,
        "grade": i.grade,
    }
    # The extra columns of some templates are written only when filled: files (and fingerprints) of forms
    # without them stay exactly what they were.
    for key in words.EXTRA_INDICATOR_COLUMNS:
        if getattr(i, key):
            d[key] = getattr(i, key)
    if i.kind:
        d["kind"] = i.kind  # written only for a breakdown row: other files stay as they were
    return d


def form_to_data(form: Form) -> JsonObject:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "rule_set": form.rule_set,
        "template": form.template,
        "district": form.district,
        "year": form.year,
        "header": {k: getattr(form, k) for k, _ in words.HEADER_FIELDS},
        "funds": [
            {"row": r.key, "initial": to_json(r.initial), "budget": to_json(r.budget), "executed": to_json(r.executed)}
            for r in form.funds
        ],
        "budget_weight": to_json(form.budget_weight),
        "budget_score": to_json(form.budget_score),
        "fund_note": form.fund_note,
        "goals": {"expected": form.goal_expected, "actual": form.goal_actual},
        "indicators": [
            {
                "name": l1.name,
                "children": [
                    {"name": l2.name, "indicators": [_indicator_data(i) for i in l2.indicators]} for l2 in l1.children
                ],
            }
            for l1 in form.tree
        ],
        "stated_totals": {"weight": to_json(form.stated_total_weight), "score": to_json(form.stated_total_score)},
        "signoff": {"filler": form.filler, "phone": form.filler_phone, "date": form.fill_date},
        **_report_data(form),
        **_approved_data(form),
        "status": _status_data(form),
    }


def _report_data(form: Form) -> JsonObject:
    """The 自评报告's texts, only when some section has text: files (and fingerprints) of forms without a report
    stay exactly what they were."""
    texts = {k: v for k, v in form.report.items() if v}
    return {"report": texts} if texts else {}


def _approved_data(form: Form) -> JsonObject:
    """What came from the 绩效目标申报表, only when the form was made from one: other files (and their
    fingerprints) stay exactly what they were."""
    a = form.approved
    if a is None:
        return {}
    rows = [
        {"level1": r.level1, "level2": r.level2, "index": r.index, "name": r.name, "target": r.target} for r in a.rows
    ]
    return {"approved": {"source": a.source, "year": a.year, "rows": rows}}


def _finalization_data(fin: Finalization) -> JsonObject:
    data = {"finalized_at": fin.at, "finalized_by": fin.by, "fingerprint": fin.fingerprint}
    if fin.revoked_at:
        data["revoked_at"] = fin.revoked_at
    if fin.seal:
        data["seal"] = fin.seal
    return data


def _status_data(form: Form) -> JsonObject:
    """草稿 or 定稿 (when, by whom, the fingerprint then) and the withdrawn 定稿s."""
    data: JsonObject = {"state": FINAL if form.finalized else DRAFT}
    if form.finalized:
        data.update(_finalization_data(form.finalized))
    data["history"] = [_finalization_data(h) for h in form.history]
    return data


# The fingerprint hashes the content as format version 1 laid it out (version 1, no status block), so the
# fingerprint printed on a copy before version 2 still matches its file, and no later version changes it.
FINGERPRINT_LAYOUT = 1


def canonical_json(form: Form) -> str:
    """The form's content (everything but NOT_CONTENT) as compact, key-sorted JSON, in FINGERPRINT_LAYOUT."""
    data = {k: v for k, v in form_to_data(form).items() if k not in NOT_CONTENT}
    data["version"] = FINGERPRINT_LAYOUT
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(form: Form) -> str:
    """A short hash of the form's content, printed on paper copies to match them to the emailed file.

    The content is what the clerk filled in: the format version and the 定稿 status block are not part of it,
    so finalizing a form, or saving it in a newer format, keeps its fingerprint — the same as a version-1 copy
    printed it.
    """
    import hashlib  # loading OpenSSL costs the window's start a few ms; the fingerprint is needed later

    return hashlib.sha256(clean_text(canonical_json(form)).encode("utf-8")).hexdigest()[:12]


# The file's keys where they differ from the domain's attribute names: the labels (vocabulary.FIELD_LABELS) and
# the number rules (number_rules.NUMBER_RULES) are looked up by the domain's names.
JSON_TO_DOMAIN: dict[str, str] = {"expected": "goal_expected", "date": "fill_date"}
# The stated totals' numbers are the Form's stated_total_* (their labels stay 分值 and 得分, under 总分).
TOTALS_TO_DOMAIN: dict[str, str] = {"weight": "stated_total_weight", "score": "stated_total_score"}
# Keys of the file that are no field of the paper form.
FILE_WORDS: dict[str, str] = {"rule_set": "规则集", "template": "模板", "district": "区名"}
HEADER_PART = "表头"  # where a wrong value of the header was found
DEFAULT_DISTRICT = "朝阳区"
DEFAULT_TEMPLATE = "chaoyang-2020"


def _label(key: str) -> str:
    """The word the clerk knows a key of the file by."""
    return FILE_WORDS.get(key) or words.FIELD_LABELS.get(JSON_TO_DOMAIN.get(key, key), key)


def _str(d: JsonObject, key: str, where: str) -> str:
    v = d.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, str) or isinstance(v, _JsonNumber):
        raise FormFileError(f"{where}“{_label(key)}”应为文字，文件中是 {excerpt(json.dumps(v, ensure_ascii=False))}。")
    return clean_text(v)


def _dec(d: JsonObject, key: str, where: str, field: str | None = None) -> Decimal | None:
    """The number under `key`, held to the rule (decimals, sign) of the domain's `field` (by default the
    domain's name for `key`)."""
    v = d.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str):
        shown = excerpt(json.dumps(v))
        raise FormFileError(f'{where}“{_label(key)}”应为写成文字的数字（如 "1514.0223"），文件中是 {shown}。')
    try:
        return rule_for(field or JSON_TO_DOMAIN.get(key, key)).parse(v)
    except NumberError as e:
        raise FormFileError(f"{where}“{_label(key)}”：{e}") from None


def _obj(v: object, where: str) -> JsonObject:
    if not isinstance(v, dict):
        raise FormFileError(f"{where}的内容格式不对（应为对象）。")
    return v


def _list(v: object, where: str) -> list[Any]:
    if not isinstance(v, list):
        raise FormFileError(f"{where}的内容格式不对（应为列表）。")
    return v


def migrate(data: JsonObject) -> JsonObject:
    """Bring an older version's data up to FORMAT_VERSION, one step at a time (none needed yet)."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormFileError("文件的版本号无效，无法打开。")
    if version > FORMAT_VERSION:
        raise FormFileError(
            f"这个文件是用更新版本的程序保存的（格式版本 {version}），当前程序只支持到版本 "
            f"{FORMAT_VERSION}，请升级程序后再打开。"
        )
    steps: dict[int, Callable[[JsonObject], JsonObject]] = {1: _v1_to_v2}  # version -> its next version
    while version < FORMAT_VERSION:
        data = steps[version](data)
        version = data["version"]
    return data


def _v1_to_v2(data: JsonObject) -> JsonObject:
    """Version 2 adds the status block (草稿 / 定稿 and its history); a version-1 form is a draft.  A status
    block in a version-1 file was written by a later version and the number lowered by hand: it is kept (a
    定稿 does not become a draft that way), and form_from_data says the record was edited."""
    return {"status": {"state": DRAFT, "history": []}, **data, "version": 2}


RECORD_WORDS = "定稿记录（定稿人、定稿时间或定稿历史）"
VERSION_WORDS = "格式版本号"


def _record_edited(form: Form, version_lowered: bool) -> str:
    """What of a finalized file's 定稿 record was edited outside the program ("" if nothing)."""
    if form.finalized is None:
        return ""
    if version_lowered:
        return VERSION_WORDS
    return "" if record_intact(form.finalized, form.history) else RECORD_WORDS


def form_from_data(data: object) -> Form:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FormFileError("这不是绩效自评表文件（缺少格式标识 selfeval-form）。")
    version_lowered = data.get("version") == 1 and "status" in data
    data = migrate(data)
    try:
        form = _form(data)
        form.finalized, form.history = _status(data.get("status") or {})
        form.record_edited = _record_edited(form, version_lowered)
    except FormFileError:
        raise
    except (AttributeError, TypeError, ValueError, KeyError) as e:  # a shape we did not foresee
        log.info("form file of an unforeseen shape", exc_info=True)
        raise FormFileError(f"文件内容有误，无法打开（{type(e).__name__}）。") from None
    if form.finalized is not None:
        form.loaded_fingerprint = fingerprint(form)
    return form


STATUS_PART = "定稿记录"


def _finalization(data: object) -> Finalization:
    d = _obj(data, STATUS_PART)
    fields = [d.get(k, "") for k in ("finalized_at", "finalized_by", "fingerprint", "revoked_at", "seal")]
    if not all(isinstance(v, str) for v in fields):
        raise FormFileError(f"{STATUS_PART}的内容格式不对（应为文字）。")
    return Finalization(*(clean_text(v) for v in fields))


def _status(data: object) -> tuple[Finalization | None, list[Finalization]]:
    d = _obj(data, STATUS_PART)
    state = d.get("state", DRAFT)
    if state not in (DRAFT, FINAL):
        raise FormFileError(f"{STATUS_PART}中的状态{quoted(state)}无效（应为 draft 或 final）。")
    history = [_finalization(h) for h in _list(d.get("history", []), STATUS_PART)]
    return (_finalization(d) if state == FINAL else None), history


def _form(data: JsonObject) -> Form:
    year, rule_set = _year(data), _rule_set(data)
    header = _obj(data.get("header", {}), HEADER_PART)
    goals = _obj(data.get("goals", {}), words.GOALS_SECTION)
    signoff = _obj(data.get("signoff", {}), words.SIGNOFF_SECTION)
    totals = _obj(data.get("stated_totals", {}) or {}, words.TOTAL)
    template = _str(data, "template", "") or DEFAULT_TEMPLATE
    funds = _funds(data.get("funds", []), template_of(Form(template=template)))
    tree = [_level1(l1) for l1 in _list(data.get("indicators", []), words.INDICATORS_SECTION)]
    money, goal, sign = words.FUNDS_SECTION, words.GOALS_SECTION, words.SIGNOFF_SECTION
    return Form(
        district=_str(data, "district", "") or DEFAULT_DISTRICT,
        year=year,
        rule_set=rule_set,
        template=template,
        project_name=_str(header, "project_name", HEADER_PART),
        department=_str(header, "department", HEADER_PART),
        unit=_str(header, "unit", HEADER_PART),
        leader=_str(header, "leader", HEADER_PART),
        phone=_str(header, "phone", HEADER_PART),
        funds=funds,
        budget_weight=_dec(data, "budget_weight", money),
        budget_score=_dec(data, "budget_score", money),
        fund_note=_str(data, "fund_note", money),
        goal_expected=_str(goals, "expected", goal),
        goal_actual=_str(goals, "actual", goal),
        tree=tree,
        stated_total_weight=_dec(totals, "weight", words.TOTAL, TOTALS_TO_DOMAIN["weight"]),
        stated_total_score=_dec(totals, "score", words.TOTAL, TOTALS_TO_DOMAIN["score"]),
        filler=_str(signoff, "filler", sign),
        filler_phone=_str(signoff, "phone", sign),
        fill_date=_str(signoff, "date", sign),
        report=_report(data.get("report", {})),
        approved=_approved(data.get("approved")),
    )


REPORT_PART = "自评报告"


def _report(data: object) -> dict[str, str]:
    d = _obj(data if data is not None else {}, REPORT_PART)
    out: dict[str, str] = {}
    for key, text in d.items():
        if not isinstance(text, str) or len(key) > 64:
            raise FormFileError(f"{REPORT_PART}中“{excerpt(key, 20)}”的内容格式不对（应为文字）。")
        if text:
            out[key] = clean_text(text)
    return out


APPROVED_PART = "申报表记录"


def _approved(data: object) -> Approved | None:
    """The 绩效目标申报表 record (absent in files not made from one)."""
    if data is None:
        return None
    d = _obj(data, APPROVED_PART)
    rows = []
    for item in _list(d.get("rows", []), APPROVED_PART):
        r = _obj(item, APPROVED_PART)
        index = r.get("index", 0)
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < 100_000:
            raise FormFileError(f"{APPROVED_PART}中的行号{quoted(index)}无效。")
        texts = [_str(r, k, APPROVED_PART) for k in ("level1", "level2", "name", "target")]
        rows.append(ApprovedRow(texts[0], texts[1], index, texts[2], texts[3]))
    return Approved(_str(d, "source", APPROVED_PART), _year(d), tuple(rows))


def _year(data: JsonObject) -> int:
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
        raise FormFileError(f"年度{quoted(year)}无效，应为 1990～2100 之间的整数。")
    return year


_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def _rule_set(data: JsonObject) -> str:
    """The rule set's id.  One that is not installed still opens: the checks name it (checks._rule_set_findings)."""
    rule_set = _str(data, "rule_set", "")
    if not _ID_RE.match(rule_set):
        raise FormFileError(f"规则集的名称{quoted(rule_set)}无效（应为字母、数字和连字符，如 chaoyang-2020）。")
    return rule_set


_FUND_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _funds(rows: object, template: Template) -> list[FundRow]:
    """The template's fund rows in its order (a row the file leaves out is blank), then any other row the file
    holds (kept, so nothing is lost when a form is opened with another template)."""
    found: dict[str, FundRow] = {}
    labels = {**words.ALL_FUND_LABELS, **template.fund_labels}
    for row in _list(rows, words.FUNDS_SECTION):
        row = _obj(row, words.FUNDS_SECTION)
        key = row.get("row")
        if not isinstance(key, str) or not _FUND_KEY_RE.match(key):
            raise FormFileError(f"{words.FUNDS_SECTION}中有未知的行{quoted(key)}。")
        where = f"{words.FUNDS_SECTION}“{labels.get(key, key)}”"
        found[key] = FundRow(key, *(_dec(row, col, where) for col, _ in words.FUND_COLUMNS))
    ordered = [found.pop(k, FundRow(k)) for k, _ in template.fund_rows]
    return ordered + list(found.values())


def _level1(data: object) -> Level1:
    l1 = _obj(data, words.LEVEL1)
    node = Level1(_str(l1, "name", words.LEVEL1))
    node.children = [_level2(l2) for l2 in _list(l1.get("children", []), f"{words.LEVEL1}{quoted(node.name)}")]
    return node


def _level2(data: object) -> Level2:
    l2 = _obj(data, words.LEVEL2)
    node = Level2(_str(l2, "name", words.LEVEL2))
    node.indicators = [_indicator(i) for i in _list(l2.get("indicators", []), f"{words.LEVEL2}{quoted(node.name)}")]
    return node


def _indicator(data: object) -> Indicator:
    ind = _obj(data, words.LEVEL3)
    where = f"{words.LEVEL3}{quoted(ind.get('name', ''))}的"
    grade = ind.get("grade")
    if grade is not None and (not isinstance(grade, str) or grade not in words.GRADE_LABELS):
        shown = quoted(grade) if isinstance(grade, str) else excerpt(json.dumps(grade, ensure_ascii=False))
        raise FormFileError(f"{where}{words.GRADE_COLUMN}{shown}无效。")
    return Indicator(
        _str(ind, "name", where),
        _str(ind, "target", where),
        _str(ind, "actual", where),
        _dec(ind, "weight", where),
        _dec(ind, "score", where),
        _str(ind, "deviation", where),
        grade,
        _str(ind, "nature", where),
        _str(ind, "measure_unit", where),
        _row_kind(ind, where),
    )


def _row_kind(ind: JsonObject, where: str) -> str:
    """The row's kind (domain/row_kinds.KINDS); absent in older files: a scored row."""
    kind = ind.get("kind", "")
    if kind not in KINDS:
        shown = quoted(kind) if isinstance(kind, str) else excerpt(json.dumps(kind, ensure_ascii=False))
        raise FormFileError(f"{where}行类型{shown}无效。")
    return str(kind)


# ---------------------------------------------------------------- files on disk


def dumps(form: Form) -> str:
    return json.dumps(form_to_data(form), ensure_ascii=False, indent=2) + "\n"


def loads(text: str) -> Form:
    try:
        data = json.loads(text, parse_float=_JsonNumber, parse_int=_json_int)
    except (json.JSONDecodeError, RecursionError) as e:
        line = getattr(e, "lineno", None)
        where = f"（第 {line} 行附近有错）" if line else ""
        raise FormFileError(f"文件不是有效的 JSON 格式{where}，可能已损坏。") from None
    return form_from_data(data)


def load_form(path: StrPath) -> Form:
    p = Path(path)
    try:
        size, raw = read_head(p, MAX_FILE_BYTES + 1)  # a regular file only, and never more than the limit
        if size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
            raise FormFileError(f"文件“{p.name}”太大（{size // 1024 // 1024} MB），不是绩效自评表文件。")
    except OSError as e:
        raise FormFileError(read_failure(p, e)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormFileError(f"文件“{p.name}”不是 UTF-8 文本，不是绩效自评表文件。") from None
    try:
        return loads(text)
    except FormFileError as e:
        raise FormFileError(f"无法打开“{p.name}”：{e}") from None


class FormChangedError(FormFileError):
    """save_form(expect=…): the file on disk is not the one the window read or last saved."""


def save_form(form: Form, path: StrPath, *, backup: bool = True, expect: str | None = None) -> str:
    """Write `form` to `path` (atomically, the old file kept as .bak); the content digest of what was written.
    A form file the clerk keeps as a link to a file elsewhere is written at its target; a dangling link is not
    written through (files/atomic.py).

    expect: the digest (atomic.content_digest) of the file as it was opened or last saved; if someone changed the
    file since, FormChangedError is raised and the file is left as it is.
    """
    p = Path(path)
    existed = p.is_file()
    try:
        data = clean_text(dumps(form)).encode("utf-8")
        return atomic_write_bytes(p, data, backup=backup, expect=expect, follow_link=True)
    except ChangedOnDiskError:
        raise FormChangedError(
            f"“{p.name}”在打开之后已被修改（可能是另一个窗口或另一位同事保存的），没有覆盖它。"
        ) from None
    except OSError as e:
        kept = "原文件未改动。" if existed else "没有写入任何文件。"
        raise FormFileError(write_failure(p, e) + kept) from None
