"""The form's JSON file: versioned, amounts and scores as decimal strings, atomic save with a .bak.

Format (version 1) is published as resources/schema/selfeval-form.schema.json.  Reading never changes the
file; every way a file can be wrong ends in FormFileError with a plain Chinese message.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from ..domain.form import FUND_ROWS, GRADE_LABELS, Form, FundRow, Indicator, Level1, Level2
from ..domain.numbers import NumberError, parse_decimal, to_json
from ..domain.rules import RuleSetError, get_rule_set
from .reading import read_failure, read_head, write_failure

FORMAT_NAME = "selfeval-form"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 20 * 1024 * 1024


class FormFileError(Exception):
    """A form file that cannot be read or written; str() is the message for the clerk."""


# After json.loads joins escaped pairs, any surrogate left is a lone half ("\ud800" in a hand-edited or damaged
# file): it cannot be written as UTF-8, so saving and the PDF fingerprint would fail later.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text that can be written as UTF-8: a lone surrogate becomes U+FFFD (�), everything else is kept."""
    return _LONE_SURROGATE.sub("\ufffd", text)


class _JsonNumber(str):
    """A JSON number kept as its literal text, so 1514.0223 written without quotes stays exact."""


# ---------------------------------------------------------------- to and from plain data

def form_to_data(form: Form) -> dict:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "rule_set": form.rule_set,
        "template": form.template,
        "district": form.district,
        "year": form.year,
        "header": {k: getattr(form, k) for k in ("project_name", "department", "unit", "leader", "phone")},
        "funds": [{"row": r.key, "initial": to_json(r.initial), "budget": to_json(r.budget),
                   "executed": to_json(r.executed)} for r in form.funds],
        "budget_weight": to_json(form.budget_weight),
        "budget_score": to_json(form.budget_score),
        "fund_note": form.fund_note,
        "goals": {"expected": form.goal_expected, "actual": form.goal_actual},
        "indicators": [
            {"name": l1.name, "children": [
                {"name": l2.name, "indicators": [
                    {"name": i.name, "target": i.target, "actual": i.actual, "weight": to_json(i.weight),
                     "score": to_json(i.score), "deviation": i.deviation, "grade": i.grade}
                    for i in l2.indicators]}
                for l2 in l1.children]}
            for l1 in form.tree],
        "stated_totals": {"weight": to_json(form.stated_total_weight), "score": to_json(form.stated_total_score)},
        "signoff": {"filler": form.filler, "phone": form.filler_phone, "date": form.fill_date},
    }


def canonical_json(form: Form) -> str:
    return json.dumps(form_to_data(form), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def fingerprint(form: Form) -> str:
    """A short hash of the form's content, printed on paper copies to match them to the emailed file."""
    return hashlib.sha256(clean_text(canonical_json(form)).encode("utf-8")).hexdigest()[:12]


# The file's keys as the clerk knows the fields, for messages about a wrong value.
FIELD_LABELS = {
    "initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数", "budget_weight": "分值",
    "budget_score": "得分", "fund_note": "资金执行偏差说明", "expected": "预期目标", "actual": "实际完成值",
    "name": "名称", "target": "年度指标值", "weight": "分值", "score": "得分", "deviation": "偏差原因分析及改进措施",
    "project_name": "项目名称", "department": "主管部门", "unit": "实施单位", "leader": "项目负责人",
    "phone": "联系电话", "filler": "填表人", "date": "填写日期", "rule_set": "规则集", "template": "模板",
    "district": "区名",
}


def _label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def _str(d: dict, key: str, where: str) -> str:
    v = d.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, str) or isinstance(v, _JsonNumber):
        raise FormFileError(f"{where}“{_label(key)}”应为文字，文件中是 {json.dumps(v, ensure_ascii=False)}。")
    return clean_text(v)


def _dec(d: dict, key: str, where: str) -> Decimal | None:
    v = d.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str):
        raise FormFileError(f"{where}“{_label(key)}”应为写成文字的数字（如 \"1514.0223\"），文件中是 {json.dumps(v)}。")
    try:
        return parse_decimal(v)
    except NumberError as e:
        raise FormFileError(f"{where}“{_label(key)}”：{e}") from None


def _obj(v, where: str) -> dict:
    if not isinstance(v, dict):
        raise FormFileError(f"{where}的内容格式不对（应为对象）。")
    return v


def _list(v, where: str) -> list:
    if not isinstance(v, list):
        raise FormFileError(f"{where}的内容格式不对（应为列表）。")
    return v


def migrate(data: dict) -> dict:
    """Bring an older version's data up to FORMAT_VERSION, one step at a time (none needed yet)."""
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormFileError("文件的版本号无效，无法打开。")
    if version > FORMAT_VERSION:
        raise FormFileError(f"这个文件是用更新版本的程序保存的（格式版本 {version}），当前程序只支持到版本 "
                            f"{FORMAT_VERSION}，请升级程序后再打开。")
    steps: dict[int, callable] = {}  # version -> function turning it into version + 1
    while version < FORMAT_VERSION:
        data = steps[version](data)
        version = data["version"]
    return data


def form_from_data(data) -> Form:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FormFileError("这不是绩效自评表文件（缺少格式标识 selfeval-form）。")
    data = migrate(data)
    try:
        year = data.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            raise FormFileError(f"年度“{year}”无效，应为 1990～2100 之间的整数。")
        rule_set = _str(data, "rule_set", "")
        try:
            get_rule_set(rule_set)
        except RuleSetError as e:
            raise FormFileError(str(e)) from None
        header = _obj(data.get("header", {}), "表头")
        goals = _obj(data.get("goals", {}), "年度总体目标")
        signoff = _obj(data.get("signoff", {}), "填表信息")
        totals = _obj(data.get("stated_totals", {}) or {}, "总分")
        funds_in = {}
        for row in _list(data.get("funds", []), "项目资金"):
            row = _obj(row, "项目资金")
            key = row.get("row")
            if key not in dict(FUND_ROWS):
                raise FormFileError(f"项目资金中有未知的行“{key}”。")
            where = f"项目资金“{dict(FUND_ROWS)[key]}”"
            funds_in[key] = FundRow(key, _dec(row, "initial", where), _dec(row, "budget", where),
                                    _dec(row, "executed", where))
        tree = []
        for l1 in _list(data.get("indicators", []), "绩效指标"):
            l1 = _obj(l1, "一级指标")
            node1 = Level1(_str(l1, "name", "一级指标"))
            for l2 in _list(l1.get("children", []), f"一级指标“{node1.name}”"):
                l2 = _obj(l2, "二级指标")
                node2 = Level2(_str(l2, "name", "二级指标"))
                for ind in _list(l2.get("indicators", []), f"二级指标“{node2.name}”"):
                    ind = _obj(ind, "三级指标")
                    where = f"三级指标“{ind.get('name', '')}”的"
                    grade = ind.get("grade")
                    if grade is not None and grade not in GRADE_LABELS:
                        raise FormFileError(f"{where}完成等级“{grade}”无效。")
                    node2.indicators.append(Indicator(
                        _str(ind, "name", where), _str(ind, "target", where), _str(ind, "actual", where),
                        _dec(ind, "weight", where), _dec(ind, "score", where), _str(ind, "deviation", where), grade))
                node1.children.append(node2)
            tree.append(node1)
        return Form(
            district=_str(data, "district", "") or "朝阳区", year=year, rule_set=rule_set,
            template=_str(data, "template", "") or "chaoyang-2020",
            project_name=_str(header, "project_name", "表头"), department=_str(header, "department", "表头"),
            unit=_str(header, "unit", "表头"), leader=_str(header, "leader", "表头"),
            phone=_str(header, "phone", "表头"),
            funds=[funds_in.get(k, FundRow(k)) for k, _ in FUND_ROWS],
            budget_weight=_dec(data, "budget_weight", "项目资金"), budget_score=_dec(data, "budget_score", "项目资金"),
            fund_note=_str(data, "fund_note", "项目资金"),
            goal_expected=_str(goals, "expected", "年度总体目标"), goal_actual=_str(goals, "actual", "年度总体目标"),
            tree=tree,
            stated_total_weight=_dec(totals, "weight", "总分"), stated_total_score=_dec(totals, "score", "总分"),
            filler=_str(signoff, "filler", "填表信息"), filler_phone=_str(signoff, "phone", "填表信息"),
            fill_date=_str(signoff, "date", "填表信息"),
        )
    except FormFileError:
        raise
    except (AttributeError, TypeError, ValueError, KeyError) as e:  # a shape we did not foresee
        raise FormFileError(f"文件内容有误，无法打开（{type(e).__name__}）。") from None


# ---------------------------------------------------------------- files on disk

def dumps(form: Form) -> str:
    return json.dumps(form_to_data(form), ensure_ascii=False, indent=2) + "\n"


def loads(text: str) -> Form:
    try:
        data = json.loads(text, parse_float=_JsonNumber)
    except (json.JSONDecodeError, RecursionError) as e:
        line = getattr(e, "lineno", None)
        raise FormFileError("文件不是有效的 JSON 格式" + (f"（第 {line} 行附近有错）" if line else "") + "，可能已损坏。") from None
    return form_from_data(data)


def load_form(path: str | os.PathLike) -> Form:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise FormFileError(f"文件“{p.name}”太大（{size // 1024 // 1024} MB），不是绩效自评表文件。")
        _size, raw = read_head(p, None)
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


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, backup: bool = True, retries: int = 10) -> None:
    """Write to a temporary file in the same folder, fsync, then os.replace; keep the old file as .bak.

    Windows refuses a replace while another program (an antivirus, a backup tool) holds the file open, so
    PermissionError is retried briefly before giving up.
    """
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if backup and p.exists():
            _retry(lambda: _copy(p, p.with_name(p.name + ".bak")), retries)
        _retry(lambda: os.replace(tmp, p), retries)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _copy(src: Path, dst: Path) -> None:
    atomic_tmp = dst.with_name(dst.name + ".tmp")
    atomic_tmp.write_bytes(src.read_bytes())
    os.replace(atomic_tmp, dst)


def _retry(fn, retries: int) -> None:
    for attempt in range(retries):
        try:
            return fn()
        except PermissionError:
            if attempt == retries - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def save_form(form: Form, path: str | os.PathLike, *, backup: bool = True) -> None:
    try:
        atomic_write_bytes(path, clean_text(dumps(form)).encode("utf-8"), backup=backup)
    except OSError as e:
        raise FormFileError(write_failure(Path(path), e) + "原文件未改动。") from None
