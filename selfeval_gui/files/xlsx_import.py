"""Import filled workbooks laid out like the official 项目支出绩效自评表: ours, or typed by hand, or saved by WPS.

The table is found by its labels (项目名称, 年度资金总额, 一级指标 …), never by cell addresses.  Every sheet
that holds a form becomes one ImportedForm; what the workbook states but the form does not store (执行率)
is compared with the program's value here, and what the form stores (scores, 总分 row) is compared by
domain.checks.check, so the two lists together are every difference.

Safety: the file is checked before openpyxl opens it (zip signature, member count, uncompressed size; an
OLE compound file is a password-protected workbook or an old .xls), and openpyxl parses with defusedxml.
"""
from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .errors import ClerkError
from ..domain.checks import ERROR, INFO, WARNING, Finding, Place
from ..domain.form import Form, Indicator, Level1, Level2
from ..domain.numbers import NumberError, fmt_percent, parse_decimal, parse_number, quantize
from ..domain.rules import DEFAULT_TEMPLATE, RuleSetError, get_rule_set, get_template, new_form, template_ids
from ..domain.scoring import evaluate, fund_row_rate
from .reading import read_failure, read_head
from .xlsx_layout import (FUND_HEADER, FUND_NOTE_LABEL, FUND_ROW_WORDS, GOAL_LABELS, HEADER_LABELS,
                          INDICATOR_HEADER, META_SHEET, SIGNOFF_LABELS, TITLE_WORD, TOTAL_LABEL, grade_from_text,
                          is_placeholder_name, norm, strip_indicator_prefix)

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # a form is a few hundred KB; this stops zip bombs
MAX_MEMBERS = 2000
MAX_ROWS, MAX_COLS = 3000, 40  # a form has well under a hundred rows; stray formatting must not cost memory
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")


class XlsxImportError(ClerkError):
    """The workbook cannot be imported; clerk_message says why in Chinese."""


@dataclass
class ImportedForm:
    form: Form
    sheet: str
    findings: list[Finding] = field(default_factory=list)


class _Computed:
    """A formula cell no spreadsheet program has calculated yet (openpyxl writes no values)."""


COMPUTED = _Computed()


# ---------------------------------------------------------------- guarding the file

def _guard(path: Path) -> None:
    name = path.name
    try:
        size, head = read_head(path, 8)
    except OSError as e:
        raise XlsxImportError(read_failure(path, e, "Excel 工作簿")) from None
    if size > MAX_FILE_BYTES:
        raise XlsxImportError(f"“{name}”太大（{size // 1024 // 1024} MB），不像是绩效自评表工作簿。")
    if head == OLE_SIGNATURE:
        raise XlsxImportError(f"“{name}”设有打开密码，或是旧版 Excel 97-2003 (.xls) 格式。请在 Excel 或 WPS 中"
                              "去掉密码并“另存为” Excel 工作簿 (.xlsx) 后再导入。")
    if head[:2] != b"PK":
        raise XlsxImportError(f"“{name}”不是 Excel 工作簿 (.xlsx)，无法导入。")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            members = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XlsxImportError(f"“{name}”已损坏或不是 Excel 工作簿 (.xlsx)，无法导入。") from None
    if len(infos) > MAX_MEMBERS:
        raise XlsxImportError(f"“{name}”内部包含 {len(infos)} 个部件，远多于一张表格应有的数量，为安全起见不予导入。")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise XlsxImportError(f"“{name}”解压后有 {total // 1024 // 1024} MB，远大于一张表格应有的大小，"
                              "为安全起见不予导入。")
    if "xl/workbook.bin" in members:
        raise XlsxImportError(f"“{name}”是二进制工作簿 (.xlsb)，请在 Excel 中“另存为” Excel 工作簿 (.xlsx) 后再导入。")
    if "xl/workbook.xml" not in members:
        raise XlsxImportError(f"“{name}”不是 Excel 工作簿 (.xlsx)（可能是 Word 文档或其他压缩文件），无法导入。")


def _load(path: Path, data_only: bool):
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML
    if not DEFUSEDXML:  # openpyxl falls back to the plain parser silently; refuse instead
        raise XlsxImportError("程序缺少安全组件 defusedxml，为防范恶意文件，暂不能导入 Excel。请重新安装程序。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like mean nothing to a clerk
            return load_workbook(path, data_only=data_only, keep_links=False, rich_text=False)
    except XlsxImportError:
        raise
    except Exception as e:  # defusedxml's refusals, broken XML, missing parts: all mean "cannot read"
        kind = type(e).__name__
        if kind in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
            raise XlsxImportError(f"“{path.name}”内含不安全的 XML 内容（{kind}），为安全起见不予导入。") from None
        raise XlsxImportError(f"“{path.name}”已损坏或格式不受支持，无法读取（{kind}）。"
                              "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试。") from None


# ---------------------------------------------------------------- cell values

def _float_decimal(f: float) -> Decimal:
    """A float from the file as the decimal a person typed: repr is the shortest exact string (1514.0223),
    and a spreadsheet's binary noise (1142.8000000000002) is cut at ten places."""
    d = Decimal(repr(f))
    if d.as_tuple().exponent < -10:
        d = quantize(d, 10)
        d = Decimal(format(d, "f").rstrip("0").rstrip(".") or "0")
    return d


def _as_text(v) -> str:
    if v is None or isinstance(v, _Computed):
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format(_float_decimal(v), "f")
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        v = v.date()
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return f"{v.year}.{v.month}.{v.day}"
    return str(v)


def _ref(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter
    return f"{get_column_letter(col)}{row}"


class Grid:
    """A sheet's non-empty cells (formulas replaced by their calculated values) with merged-cell extents."""

    def __init__(self, ws, ws_values):
        self.title = ws.title
        self.values: dict[tuple[int, int], object] = {}
        self.formulas: set[tuple[int, int]] = set()
        self.truncated = ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS
        self.max_row = min(ws.max_row, MAX_ROWS)
        self.max_col = min(ws.max_column, MAX_COLS)
        for row in ws.iter_rows(min_row=1, max_row=self.max_row, max_col=self.max_col):
            for cell in row:
                v = cell.value
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                key = (cell.row, cell.column)
                if cell.data_type == "f" or not isinstance(v, (str, int, float, Decimal, dt.date, dt.time, bool)):
                    cached = ws_values.cell(row=cell.row, column=cell.column).value
                    self.formulas.add(key)
                    v = COMPUTED if cached is None else cached
                    if isinstance(v, str) and v.startswith("#"):  # #DIV/0!, #REF!: no value stated
                        v = COMPUTED
                self.values[key] = v
        self.by_row: dict[int, list[int]] = {}
        for r, c in sorted(self.values):
            self.by_row.setdefault(r, []).append(c)
        self.extent: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in ws.merged_cells.ranges:
            self.extent[(rng.min_row, rng.min_col)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)

    def get(self, r: int, c: int):
        return self.values.get((r, c))

    def text(self, r: int, c: int) -> str:
        return _as_text(self.get(r, c))

    def label(self, r: int, c: int) -> str:
        v = self.get(r, c)
        return norm(v) if isinstance(v, str) else ""

    def row_cells(self, r: int) -> list[int]:
        return self.by_row.get(r, [])

    def find(self, pred, rows: range | None = None) -> list[tuple[int, int]]:
        hits = [(r, c) for (r, c), v in self.values.items()
                if isinstance(v, str) and (rows is None or r in rows) and pred(norm(v))]
        return sorted(hits)

    def first(self, pred, rows: range | None = None) -> tuple[int, int] | None:
        hits = self.find(pred, rows)
        return hits[0] if hits else None

    def right_edge(self, r: int, c: int) -> int:
        e = self.extent.get((r, c))
        return e[3] if e else c


# ---------------------------------------------------------------- one sheet

def _split_fields(texts: list[str], labels: tuple[str, ...]) -> dict[str, str]:
    """Fields of a row written as label/value cells or "label：value" text, even several in one cell."""
    alt = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    at_start = re.compile(rf"^\s*({alt})\s*[:：]?\s*")
    with_colon = re.compile(rf"({alt})\s*[:：]")
    out: dict[str, str] = {}
    current = None
    for text in texts:
        pieces, pos = [], 0
        m = at_start.match(text)
        if m:
            pieces.append((m.group(1), None))
            pos = m.end()
        for m in with_colon.finditer(text, pos):
            pieces.append((None, text[pos:m.start()]))
            pieces.append((m.group(1), None))
            pos = m.end()
        pieces.append((None, text[pos:]))
        for label, value in pieces:
            if label is not None:
                current = label
                out.setdefault(label, "")
            elif current is not None and value.strip():
                out[current] = (out[current] + " " + value.strip()).strip()
    return out


class SheetReader:
    def __init__(self, grid: Grid, meta: dict | None):
        self.g = grid
        self.meta = meta or {}
        self.findings: list[Finding] = []
        self.ind_cols: dict[str, int] = {}

    def where(self, r: int | None = None, c: int | None = None) -> str:
        s = f"工作表“{self.g.title}”"
        return s + (f" 单元格 {_ref(r, c)}" if r is not None and c is not None else (f" 第 {r} 行" if r else ""))

    def add(self, level, r, c, message, place: Place):
        self.findings.append(Finding(level, self.where(r, c), message, place))

    # numbers ---------------------------------------------------------------

    def number(self, r: int, c: int | None, what: str, place: Place, *, computed_ok=False):
        if c is None:
            return None
        v = self.g.get(r, c)
        if v is None:
            return None
        if isinstance(v, _Computed):
            return COMPUTED if computed_ok else None
        if isinstance(v, bool) or isinstance(v, (dt.date, dt.time)):
            self.add(ERROR, r, c, f"{what}“{_as_text(v)}”不是数字，已留空，请改正。", place)
            return None
        if isinstance(v, float):
            return _float_decimal(v)
        if isinstance(v, (int, Decimal)):
            return Decimal(v)
        try:
            return parse_decimal(str(v), allow_negative=True)
        except NumberError as e:
            self.add(ERROR, r, c, f"{what}：{e} 已留空，请在程序中补上。", place)
            return None

    # the sheet -------------------------------------------------------------

    def read(self) -> ImportedForm:
        g = self.g
        ind_head = self.indicator_header()
        fund_head = g.first(lambda t: t == "全年预算数")
        total_cell = None
        if ind_head:
            total_cell = g.first(lambda t: t == TOTAL_LABEL, range(ind_head[0] + 1, g.max_row + 1))
        top_end = fund_head[0] if fund_head else (ind_head[0] if ind_head else g.max_row + 1)

        district, year = self.title(top_end)
        rows = self.indicator_rows(ind_head, total_cell)
        template_id, rule_set = self.choose_template(rows, year)
        form = new_form(template_id, year=year, rule_set=rule_set, district=district)
        for l1 in form.tree:
            for l2 in l1.children:
                l2.indicators = []
        self.header(form, top_end)
        stated_rates = self.funds(form, fund_head, ind_head)
        self.goals(form, ind_head)
        self.place_indicators(form, rows)
        self.totals(form, ind_head, total_cell)
        self.signoff(form, total_cell[0] if total_cell else (ind_head[0] if ind_head else 1))
        if g.truncated:
            self.add(WARNING, None, None, f"工作表超过 {MAX_ROWS} 行或 {MAX_COLS} 列，只读取了前面部分，请核对。",
                     Place("indicator"))
        self.compare_rates(form, stated_rates)
        return ImportedForm(form, g.title, self.findings)

    def title(self, top_end: int) -> tuple[str | None, int | None]:
        g = self.g
        hit = g.first(lambda t: TITLE_WORD in t, range(1, max(top_end, 2)))
        district = year = None
        if hit:
            district = norm(g.get(*hit)).split(TITLE_WORD)[0].strip() or None
        for (r, c), v in sorted(g.values.items()):
            if r >= top_end or not isinstance(v, str):
                continue
            m = re.search(r"(\d{4})\s*年\s*度", norm(v))
            if m and 1990 <= int(m.group(1)) <= 2100:
                year = int(m.group(1))
                break
        if hit is None:
            self.add(INFO, None, None, f"没有找到标题“……{TITLE_WORD}”，地区按模板填写，请核对。", Place("header"))
        if year is None:
            self.add(WARNING, None, None, "没有找到“（xxxx年度）”，年度按模板填写，请核对。", Place("header"))
        return district, year

    def header(self, form: Form, top_end: int) -> None:
        g = self.g
        found: dict[str, str] = {}
        for r in range(1, top_end):
            cells = g.row_cells(r)
            texts = [g.text(r, c) for c in cells]
            if any(any(norm(t).startswith(lb) for lb in HEADER_LABELS) for t in texts):
                for k, v in _split_fields(texts, HEADER_LABELS).items():
                    found.setdefault(k, v)
        for key, label in (("project_name", "项目名称"), ("department", "主管部门"), ("unit", "实施单位"),
                           ("leader", "项目负责人"), ("phone", "联系电话")):
            if label not in found:
                self.add(WARNING, None, None, f"没有找到“{label}”，请在程序中补上。", Place("header", key))
            setattr(form, key, found.get(label, ""))

    def funds(self, form: Form, head, ind_head) -> dict:
        g = self.g
        stated_rates: dict[str, tuple] = {}
        if head is None:
            self.add(ERROR, None, None, "没有找到“项目资金”表格（找不到“全年预算数”）。", Place("funds", "total", "budget"))
            return stated_rates
        hr = head[0]
        cols = {}
        for c in g.row_cells(hr):
            t = g.label(hr, c)
            if t in FUND_HEADER and t not in cols:
                cols[t] = c
        end = ind_head[0] if ind_head else hr + 12
        for key, word in FUND_ROW_WORDS:
            hit = g.first(lambda t, w=word: w in t and "执行率" not in t, range(hr + 1, end))
            if hit is None:
                if key == "total":
                    self.add(ERROR, None, None, "没有找到“年度资金总额”这一行。", Place("funds", "total", "budget"))
                continue
            r = hit[0]
            row = form.fund(key)
            for attr, label in (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数")):
                setattr(row, attr, self.number(r, cols.get(label), f"{word}的{label}", Place("funds", key, attr)))
            if "执行率" in cols and g.get(r, cols["执行率"]) is not None:
                stated_rates[key] = (r, cols["执行率"], g.get(r, cols["执行率"]))
            if key == "total":
                form.budget_weight = self.number(r, cols.get("分值"), "预算执行率的分值", Place("funds", key, "weight"))
                score = self.number(r, cols.get("得分"), "预算执行率的得分", Place("funds", key, "score"),
                                    computed_ok=True)
                if score is COMPUTED:  # our own formula, not yet calculated: it equals the program's value
                    score = self._ev_budget_score(form)
                form.budget_score = score
        note = g.first(lambda t: t.startswith(FUND_NOTE_LABEL))
        if note:
            form.fund_note = self.value_right(*note, FUND_NOTE_LABEL)
        return stated_rates

    def _ev_budget_score(self, form: Form):
        return evaluate(form).budget_score

    def value_right(self, r: int, c: int, label: str) -> str:
        own = _split_fields([self.g.text(r, c)], (label,)).get(label, "")
        if own:
            return own
        for cc in self.g.row_cells(r):
            if cc > c:
                return self.g.text(r, cc)
        return ""

    def goals(self, form: Form, ind_head) -> None:
        g = self.g
        end = ind_head[0] if ind_head else g.max_row + 1
        for attr, label in zip(("goal_expected", "goal_actual"), GOAL_LABELS):
            hit = g.first(lambda t, lb=label: t == lb, range(1, end))
            if hit is None:
                self.add(WARNING, None, None, f"没有找到年度总体目标的“{label}”。", Place("goals", attr))
                continue
            r, c = hit
            c2 = g.right_edge(r, c)
            text = ""
            for rr in range(r + 1, min(r + 5, end)):
                vals = [g.text(rr, cc) for cc in g.row_cells(rr) if c <= cc <= c2]
                if vals:
                    text = vals[0]
                    break
            if not text:
                text = _split_fields([g.text(r, c)], (label,)).get(label, "")
            setattr(form, attr, text)

    def indicator_header(self):
        g = self.g
        for r, c in g.find(lambda t: t == INDICATOR_HEADER["l1"]):
            labels = {g.label(r, cc) for cc in g.row_cells(r)}
            if INDICATOR_HEADER["l2"] in labels and INDICATOR_HEADER["l3"] in labels:
                return r, c
        return None

    def indicator_rows(self, head, total_cell) -> list[dict]:
        """Each row of the 绩效指标 table as texts and cell positions, 一级/二级 filled down."""
        g = self.g
        if head is None:
            self.add(ERROR, None, None, "没有找到“绩效指标”表格（找不到“一级指标”“二级指标”“三级指标”）。",
                     Place("indicator"))
            return []
        hr = head[0]
        cols: dict[str, int] = {}
        for c in g.row_cells(hr):
            t = g.label(hr, c)
            for key, word in INDICATOR_HEADER.items():
                if key not in cols and (t == word or (key in ("deviation", "grade") and t.startswith(word[:4]))):
                    cols[key] = c
        for key in ("target", "actual", "weight", "score"):
            if key not in cols:
                self.add(ERROR, hr, None, f"绩效指标表头缺少“{INDICATOR_HEADER[key]}”一列。", Place("indicator", key))
        self.ind_cols = cols
        end = total_cell[0] if total_cell else g.max_row + 1
        signoff = g.first(lambda t: t.startswith("填表人"), range(hr + 1, end))
        if signoff:
            end = signoff[0]
        out, l1, l2 = [], "", ""
        for r in range(hr + 1, end):
            t1 = g.text(r, cols["l1"])
            t2 = g.text(r, cols["l2"])
            if norm(t1) == INDICATOR_HEADER["l1"]:
                continue  # the header repeated (a hand-typed second page)
            if t1.strip():
                l1, l2 = t1, ""
            if t2.strip():
                l2 = t2
            name = g.text(r, cols["l3"])
            rest = [g.get(r, cols[k]) for k in ("target", "actual", "weight", "score", "deviation", "grade")
                    if k in cols]
            if all(v is None for v in rest) and is_placeholder_name(name):
                continue
            out.append({"row": r, "l1": l1, "l2": l2, "name": strip_indicator_prefix(name)})
        return out

    def choose_template(self, rows: list[dict], year: int | None) -> tuple[str, str | None]:
        """The template named in our hidden sheet, else the one whose 一级/二级 names fit the rows best."""
        tid, rs = self.meta.get("template"), self.meta.get("rule_set")
        try:
            if tid:
                get_template(tid)
            if rs:
                get_rule_set(rs)
            if tid:
                return tid, rs
        except RuleSetError:
            self.add(WARNING, None, None, f"工作簿记录的模板或规则集（{tid}、{rs}）本程序没有，已按表格内容选择模板。",
                     Place("header"))
            rs = None
        pairs = {(norm(x["l1"]), norm(x["l2"])) for x in rows}

        def fit(t_id):  # most rows placed, then the template of the form's year, then the default
            t = get_template(t_id)
            return (sum(1 for a, b in pairs if self._match_pair(t, a, b) is not None), t.year == year,
                    t_id == DEFAULT_TEMPLATE)
        best = max(template_ids(), key=fit)
        if not self.meta:
            t = get_template(best)
            self.add(INFO, None, None, f"按“{t.name}”和规则集“{get_rule_set(rs or t.rule_set).name}”计算，请确认。",
                     Place("header"))
        return best, rs

    @staticmethod
    def _same(a: str, b: str) -> bool:
        """Template names against paper labels: "经济效益\\n指标" and "经济效益" both mean 经济效益指标."""
        return a == b or a + "指标" == b or a == b + "指标"

    def _match_pair(self, t, l1: str, l2: str):
        for i, (n1, kids) in enumerate(t.tree):
            if self._same(l1, norm(n1)):
                for j, n2 in enumerate(kids):
                    if self._same(l2, norm(n2)):
                        return i, j
        return None

    def place_indicators(self, form: Form, rows: list[dict]) -> None:
        g, cols = self.g, self.ind_cols
        for x in rows:
            r = x["row"]
            l1 = self._find_l1(form, x["l1"], r)
            l2 = self._find_l2(l1, x["l2"], r)
            path = (form.tree.index(l1), l1.children.index(l2), len(l2.indicators))
            place = lambda key: Place("indicator", key, path=path)  # noqa: E731
            ind = Indicator(
                name=x["name"],
                target=g.text(r, cols["target"]) if "target" in cols else "",
                actual=g.text(r, cols["actual"]) if "actual" in cols else "",
                weight=self.number(r, cols.get("weight"), f"“{x['name']}”的分值", place("weight")),
                score=self.number(r, cols.get("score"), f"“{x['name']}”的得分", place("score")),
                deviation=g.text(r, cols["deviation"]) if "deviation" in cols else "",
            )
            if "grade" in cols:
                grade = grade_from_text(g.text(r, cols["grade"]))
                if grade is False:
                    self.add(WARNING, r, cols["grade"], f"完成等级“{g.text(r, cols['grade'])}”不是"
                             "“达成年度指标”“部分达成年度指标并具有一定效果”“未达成年度指标且效果较差”之一，已留空。",
                             place("grade"))
                else:
                    ind.grade = grade
            l2.indicators.append(ind)

    def _find_l1(self, form: Form, text: str, r: int) -> Level1:
        for l1 in form.tree:
            if self._same(norm(text), norm(l1.name)):
                return l1
        name = " ".join(text.split()) or "（未填一级指标）"
        self.add(WARNING, r, self.ind_cols.get("l1"), f"一级指标“{name}”不在模板中，已按原文保留，请核对。",
                 Place("indicator"))
        l1 = Level1(name, [])
        form.tree.append(l1)
        return l1

    def _find_l2(self, l1: Level1, text: str, r: int) -> Level2:
        for l2 in l1.children:
            if self._same(norm(text), norm(l2.name)):
                return l2
        name = " ".join(text.split()) or "（未填二级指标）"
        self.add(WARNING, r, self.ind_cols.get("l2"), f"二级指标“{name}”不在模板的“{l1.name}”之下，已按原文保留，请核对。",
                 Place("indicator"))
        l2 = Level2(name, [])
        l1.children.append(l2)
        return l2

    def totals(self, form: Form, head, total_cell) -> None:
        if head is None:
            return
        if total_cell is None:
            self.add(WARNING, None, None, "没有找到“总分”行。", Place("totals", "weight"))
            return
        g, cols, r = self.g, self.ind_cols, total_cell[0]
        wc, sc = cols.get("weight"), cols.get("score")
        if (wc is None or g.get(r, wc) is None) and (sc is None or g.get(r, sc) is None):
            nums = [c for c in g.row_cells(r) if c > total_cell[1]][:2]  # hand-typed: the first two cells after 总分
            wc, sc = (nums + [None, None])[:2]
        weight = self.number(r, wc, "总分行的分值", Place("totals", "weight"), computed_ok=True)
        score = self.number(r, sc, "总分行的得分", Place("totals", "score"), computed_ok=True)
        # Our SUM formulas that no spreadsheet has calculated yet state nothing the program does not compute
        # itself, so they leave the stated totals empty; a calculated or typed 总分 is the workbook's claim.
        # Our own export keeps what the clerk wrote in its hidden sheet.
        # Once Excel or LibreOffice has calculated our SUM, the cell holds the sum, not what the clerk wrote: the
        # import must give the same form whether or not a spreadsheet program saved the workbook in between.
        ours = bool(self.meta)
        form.stated_total_weight = (self.meta.get("stated_weight") if weight is COMPUTED
                                    or (ours and (r, wc) in g.formulas) else weight)
        form.stated_total_score = (self.meta.get("stated_score") if score is COMPUTED
                                   or (ours and (r, sc) in g.formulas) else score)

    def signoff(self, form: Form, start: int) -> None:
        g = self.g
        found: dict[str, str] = {}
        for r in range(start, g.max_row + 1):
            cells = g.row_cells(r)
            texts = [g.text(r, c) for c in cells]
            if any(norm(t).startswith(lb) or f"{lb}:" in norm(t) for t in texts for lb in SIGNOFF_LABELS):
                for k, v in _split_fields(texts, SIGNOFF_LABELS).items():
                    found.setdefault(k, v)
        form.filler = found.get("填表人", "")
        form.filler_phone = found.get("联系电话", "")
        form.fill_date = found.get("填写日期", "")

    def compare_rates(self, form: Form, stated: dict) -> None:
        """执行率 as the workbook shows it against the program's, at the rule set's precision."""
        rs = get_rule_set(form.rule_set)
        for key, (r, c, v) in stated.items():
            if isinstance(v, _Computed):
                continue
            rate = fund_row_rate(form.fund(key))
            label = dict(FUND_ROW_WORDS)[key]
            try:
                if isinstance(v, str):
                    p = parse_number(v)
                    fraction = None if p is None else (p.fraction if p.percent or p.value <= 2 else p.value / 100)
                elif isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
                    d = _float_decimal(v) if isinstance(v, float) else Decimal(v)
                    fraction = d if d <= 2 else d / 100  # a clerk who typed 99 meant 99%
                else:
                    raise NumberError("")
            except NumberError:
                self.add(WARNING, r, c, f"{label}的执行率“{_as_text(v)}”看不懂，已忽略。", Place("funds", key, "rate"))
                continue
            if fraction is None:
                continue
            places = rs.rate_places + 2
            if rate is None:
                self.add(ERROR, r, c, f"{label}的执行率写的是 {fmt_percent(fraction, rs.rate_places)}，但全年预算数为空或为0，"
                         "无法计算执行率。", Place("funds", key, "rate"))
            elif quantize(fraction, places) != quantize(rate, places):
                self.add(ERROR, r, c, f"{label}的执行率写的是 {fmt_percent(fraction, rs.rate_places)}，按全年执行数 ÷ "
                         f"全年预算数计算应为 {fmt_percent(rate, rs.rate_places)}。", Place("funds", key, "rate"))


# ---------------------------------------------------------------- the workbook

def _meta_decimal(v) -> Decimal | None:
    try:
        return parse_decimal(str(v)) if v not in (None, "") else None
    except NumberError:
        return None


def _read_meta(wb) -> dict[str, dict]:
    if META_SHEET not in wb.sheetnames:
        return {}
    out = {}
    for row in wb[META_SHEET].iter_rows(min_row=2, max_row=200, max_col=6, values_only=True):
        if row and row[0]:
            row = tuple(row) + (None,) * (6 - len(row))
            out[str(row[0])] = {"rule_set": str(row[1] or ""), "template": str(row[2] or ""),
                                "stated_weight": _meta_decimal(row[4]), "stated_score": _meta_decimal(row[5])}
    return out


def _looks_like_form(grid: Grid) -> bool:
    labels = {norm(v) for v in grid.values.values() if isinstance(v, str)}
    has_indicators = INDICATOR_HEADER["l1"] in labels and INDICATOR_HEADER["l3"] in labels
    has_funds = any(FUND_ROW_WORDS[0][1] in t for t in labels) and "项目名称" in labels
    return has_indicators or has_funds


def import_workbook(path) -> list[ImportedForm]:
    """Every form in the workbook, one per sheet; raises XlsxImportError (clerk_message) when there is none."""
    p = Path(path)
    _guard(p)
    wb_f = _load(p, data_only=False)
    wb_v = _load(p, data_only=True)
    meta = _read_meta(wb_f)
    items, skipped = [], []
    for ws in wb_f.worksheets:
        if ws.title == META_SHEET:
            continue
        grid = Grid(ws, wb_v[ws.title])
        if not _looks_like_form(grid):
            skipped.append(ws.title)
            continue
        try:
            items.append(SheetReader(grid, meta.get(ws.title)).read())
        except XlsxImportError:
            raise
        except Exception as e:  # a layout we did not foresee: name the sheet, never a traceback
            raise XlsxImportError(f"工作表“{ws.title}”的内容无法识别（{type(e).__name__}），请对照官方表格式核对。") from e
    if not items:
        names = "、".join(f"“{s}”" for s in skipped) or "（无）"
        raise XlsxImportError(f"“{p.name}”中没有找到绩效自评表：工作表 {names} 都没有“项目名称”“年度资金总额”"
                              "或“一级指标”“三级指标”等表头。")
    return items
