"""A 绩效目标申报表 read into a draft 自评表, from a workbook sheet's Grid or a Word document's DocxGrid alike.

Found by its labels, no fixed cells: the title "20XX年度项目支出绩效目标申报表" (the year), the header
fields, the funds (年度资金总额 or 项目资金总额 and its parts → 年初预算数 and 全年预算数), the 年度目标 of the
总体目标 (→ 预期目标) and the indicator tables.  The 长期绩效指标 table is skipped with a finding; the
年度绩效指标 rows are put under the template's 一级 / 二级 by name as the workbook reader puts them
(files/xlsx/reader_indicators: this reader is a SheetReader and reuses its parts), 指标值 → 年度指标值 exactly
as written.  Actuals, scores and notes stay empty; form.approved keeps the file's name and a copy of each
approved row (domain/checks compares them later).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.checks import ERROR, INFO, WARNING, Place
from selfeval_gui.domain.form import Approved, ApprovedRow, Form
from selfeval_gui.domain.number_rules import rule_for
from selfeval_gui.domain.numbers import NumberError, parse_decimal
from selfeval_gui.domain.rules import new_form, template_of
from selfeval_gui.files.xlsx.grid import Grid
from selfeval_gui.files.xlsx.layout import is_placeholder_name, norm, strip_indicator_prefix
from selfeval_gui.files.xlsx.reader import ImportedForm, SheetReader, XlsxImportError
from selfeval_gui.files.xlsx.reader_cells import _HEADER_WORDS, _IndicatorRow, _split_fields

log = logging.getLogger(__name__)

_LONG_RE = re.compile(r"(中长期|长期|实施期)(绩效)?指标")
_ANNUAL_RE = re.compile(r"年度(绩效)?指标(?!值)")
_END_WORDS = ("填表人", "填报人", "审核人", "单位负责人", "填报日期", "填表日期")
_GOAL_LABELS = (*words.ANNUAL_GOAL_WORDS, words.LONG_TERM_GOAL, words.OVERALL_GOAL)
_HEADER_LABELS = (*_HEADER_WORDS, *words.DECLARATION_HEADER_ALIASES, *words.DECLARATION_OTHER_LABELS)
_AMOUNT_UNIT = re.compile(r"^\(?(万元|元)?\)?[:：]?")
LONG, ANNUAL = "long", "annual"


@dataclass
class _Table:
    """One indicator table: its header row, columns, kind (LONG, ANNUAL or None: unlabelled), the row of the label
    that named it, and the row after its last."""

    head: int
    cols: dict[str, int]
    kind: str | None = None
    label_row: int = 0
    end: int = 0


def _section_kind(text: str) -> str | None:
    """长期绩效指标 / 年度绩效指标 in a short label (an indicator's own name is not one)."""
    if len(text) > 16:
        return None
    if _LONG_RE.search(text):
        return LONG
    return ANNUAL if _ANNUAL_RE.search(text) and words.TARGET not in text else None


def _fund_word(text: str) -> tuple[str, str, str] | None:
    """(fund row key, the word, what follows it) for a funds label (其中： left out)."""
    t = text.removeprefix("其中").lstrip(":")
    for key, ws in words.DECLARATION_FUND_WORDS:
        for w in ws:
            if t.startswith(w):
                return key, w, _AMOUNT_UNIT.sub("", t[len(w) :], count=1)
    return None


_WAN_UNIT = re.compile(r"[（(]\s*万元\s*[)）]|单位\s*[：:]\s*万元")
_YUAN_UNIT = re.compile(r"[（(]\s*元\s*[)）]|单位\s*[：:]\s*元(?!/)")
_WAN = Decimal(10000)
_FEN_OF_WAN = Decimal("0.000001")


def _yuan_to_wan(amount: Decimal) -> Decimal:
    """元 → 万元, to the fen (six decimals), trailing zeros dropped as typed amounts have none."""
    wan = (amount / _WAN).quantize(_FEN_OF_WAN, rounding=ROUND_HALF_UP)
    return wan.normalize() if wan != wan.to_integral_value() else wan.quantize(Decimal(1))


def _is_goal_label(text: str) -> bool:
    return any(text.startswith(w) for w in _GOAL_LABELS)


def looks_like_declaration(grid: Grid) -> bool:
    """A 申报表: its title, or an indicator table headed 指标值 in a sheet without 实际完成值 (no 自评表)."""
    labels = {norm(v) for v in grid.values.values() if isinstance(v, str)}
    if any(words.DECLARATION_TITLE_WORD in t for t in labels):
        return True
    if words.ACTUAL in labels or any(words.TITLE_WORD in t for t in labels):
        return False
    targets = words.DECLARATION_IND_WORDS["target"]
    return words.LEVEL1 in labels and words.LEVEL2 in labels and any(w in labels for w in targets)


class DeclarationReader(SheetReader):
    """One 申报表 grid read into a draft form (the parts in read())."""

    def __init__(self, grid: Grid, source: str, template: str | None = None) -> None:
        super().__init__(grid, None, template)
        self.source = source

    def read(self) -> ImportedForm:
        g = self.g
        tables = self.indicator_tables()
        first = min((t.label_row for t in tables), default=g.max_row + 1)
        top_end = self.top_end(first)
        district, year = self.declared_year(top_end)
        annual = self.annual_tables(tables)
        rows = {t.head: self.table_rows(t) for t in tables}
        self.skipped_tables(tables, annual, rows)
        amounts = self.declared_funds(first)
        self.fund_keys = set(amounts)
        all_rows = [x for t in annual for x in rows[t.head]]
        template_id, rule_set = self.choose_template(all_rows, year, district)
        form = new_form(template_id, year=year, rule_set=rule_set, district=district)
        for l1 in form.tree:
            for l2 in l1.children:
                l2.indicators = []
        self.declared_header(form, top_end)
        self.put_funds(form, amounts)
        self.declared_goal(form, first)
        for t in annual:
            self.ind_cols = t.cols
            self.place_indicators(form, rows[t.head])
        self.template_columns(form, annual)
        if g.truncated:
            self.add(WARNING, None, None, "表格过大，只读取了前面部分，请核对。", Place("indicator"))
        form.approved = Approved(self.source, form.year, _approved_rows(form))
        return ImportedForm(form, g.title, self.findings, self.template_choices)

    # ------------------------------------------------------------ the indicator tables

    def declared_columns(self, r: int) -> dict[str, int]:
        cols: dict[str, int] = {}
        for c in self.g.row_cells(r):
            t = self.g.label(r, c)
            key = next((k for k, ws in words.DECLARATION_IND_WORDS.items() if t in ws and k not in cols), None)
            if key is not None:
                cols[key] = c
        return cols

    def indicator_tables(self) -> list[_Table]:
        """Every indicator table (a row headed 一级指标, 二级指标 and 三级指标 or 指标内容), its kind and its end."""
        g = self.g
        tables: list[_Table] = []
        for r, _c in g.find(lambda t: t == words.LEVEL1):
            cols = self.declared_columns(r)
            if "l2" in cols and "l3" in cols and (not tables or tables[-1].head != r):
                tables.append(_Table(r, cols))
        for n, t in enumerate(tables):
            t.kind, t.label_row = self._kind(tables[n - 1].head + 1 if n else 1, t.head)
        for n, t in enumerate(tables):
            nxt = tables[n + 1] if n + 1 < len(tables) else None
            t.end = min(nxt.label_row, nxt.head) if nxt else g.max_row + 1
            stop = g.first(lambda x: x.startswith(_END_WORDS), range(t.head + 1, t.end))
            t.end = stop[0] if stop else t.end
        return tables

    def _kind(self, lo: int, head: int) -> tuple[str | None, int]:
        """The nearest 长期 / 年度 label at or above the header row (a merged cell down the left side too)."""
        best: tuple[str | None, int] = (None, head)
        for (r, c), v in self.g.values.items():
            kind = _section_kind(norm(v)) if isinstance(v, str) else None
            if kind is None or r > head:
                continue
            bottom = self.g.extent.get((r, c), (r, c, r, c))[2]
            if (r >= lo or bottom >= head) and (best[0] is None or r > best[1]):
                best = (kind, r)
        return best

    def annual_tables(self, tables: list[_Table]) -> list[_Table]:
        annual = [t for t in tables if t.kind == ANNUAL] or [t for t in tables if t.kind is None][-1:]
        if not annual:
            self.add(
                ERROR,
                None,
                None,
                f"没有找到{words.ANNUAL_INDICATORS}表格（找不到“{words.LEVEL1}”“{words.LEVEL2}”“{words.LEVEL3}”表头）。",
                Place("indicator"),
            )
        for t in annual:
            if "target" not in t.cols:
                self.add(WARNING, t.head, None, "指标表头缺少“指标值”一列，年度指标值没有导入。", Place("indicator"))
        return annual

    def skipped_tables(self, tables: list[_Table], annual: list[_Table], rows: dict[int, list[_IndicatorRow]]) -> None:
        for t in tables:
            if t in annual:
                continue
            what = words.LONG_TERM_INDICATORS if t.kind == LONG else "指标表"
            self.add(
                INFO,
                t.head,
                None,
                f"{words.DECLARATION_WORD}的{what}（{len(rows[t.head])} 条）没有导入："
                f"自评表只填写{words.ANNUAL_INDICATORS}。",
                Place("indicator"),
            )

    def table_rows(self, t: _Table) -> list[_IndicatorRow]:
        """The table's rows, 一级 / 二级 filled down (merged cells hold their text once, at the top)."""
        g, cols = self.g, t.cols
        out: list[_IndicatorRow] = []
        l1 = l2 = ""
        for r in range(t.head + 1, t.end):
            t1, t2 = g.text(r, cols["l1"]), g.text(r, cols["l2"])
            if norm(t1) == words.LEVEL1 or norm(t2) == words.LEVEL2:
                continue  # the header repeated on a second page
            if t1.strip():
                l1, l2 = t1, ""
            if t2.strip():
                l2 = t2
            name = g.text(r, cols["l3"])
            target = g.text(r, cols["target"]) if "target" in cols else ""
            if is_placeholder_name(name) and not target.strip():
                continue
            out.append(_IndicatorRow(r, l1, l2, strip_indicator_prefix(name)))
        return out

    def template_columns(self, form: Form, annual: list[_Table]) -> None:
        """指标性质 / 度量单位 only where the template has those columns."""
        t = template_of(form)
        have = {k for k, _label in t.indicator_columns}
        for key, label in words.EXTRA_INDICATOR_COLUMNS.items():
            if key in have or not any(key in tb.cols for tb in annual):
                continue
            for ind in form.indicators():
                setattr(ind, key, "")
            self.add(
                INFO,
                None,
                None,
                f"{words.DECLARATION_WORD}的“{label}”一列在模板“{t.name}”中没有，没有导入；请核对年度指标值是否写明单位。",
                Place("indicator"),
            )

    # ------------------------------------------------------------ above the tables

    def top_end(self, first_table: int) -> int:
        """The row where the header ends: the funds, the goals or the first table, whichever comes first."""
        rows = [first_table]
        for (r, _c), v in self.g.values.items():
            t = norm(v) if isinstance(v, str) else ""
            if t.startswith(words.FUNDS_SECTION) or _fund_word(t) is not None or _is_goal_label(t):
                rows.append(r)
        return min(rows)

    def declared_year(self, top_end: int) -> tuple[str | None, int | None]:
        """(district, year) from the title "【地区】20XX年度……绩效目标申报表", else any "20XX年度" above the funds."""
        g = self.g
        hit = g.first(lambda t: words.DECLARATION_TITLE_WORD in t, range(1, max(top_end, 2)))
        title = norm(g.get(*hit)) if hit else ""
        texts = [title] + [norm(v) for (r, _c), v in sorted(g.values.items()) if r < top_end and isinstance(v, str)]
        for pattern, where in ((r"(\d{4})年度", texts), (r"(\d{4})年", [title])):
            for text in where:
                m = re.search(pattern, text)
                if m and 1990 <= int(m.group(1)) <= 2100:
                    prefix = text[: m.start()].strip("()[]【】") if text == title else ""
                    district = prefix if 1 < len(prefix) <= 12 and prefix[-1] in "省市区县旗州" else None
                    return district, int(m.group(1))
        if hit is None:
            self.add(INFO, None, None, f"没有找到标题“……{words.DECLARATION_TITLE_WORD}”。", Place("header"))
        self.add(WARNING, None, None, "没有找到申报表的年度（“20XX年度”），年度按默认填写，请核对。", Place("header"))
        return None, None

    def declared_header(self, form: Form, top_end: int) -> None:
        g = self.g
        found: dict[str, str] = {}
        starts = (*_HEADER_WORDS, *words.DECLARATION_HEADER_ALIASES)
        for r in range(1, top_end):
            texts = [g.text(r, c) for c in g.row_cells(r)]
            if any(norm(t).startswith(starts) for t in texts):
                for k, v in _split_fields(texts, _HEADER_LABELS).items():
                    found.setdefault(words.DECLARATION_HEADER_ALIASES.get(k, k), v)
        for key, label in words.HEADER_FIELDS:
            if label not in found:
                self.add(WARNING, None, None, f"没有找到“{label}”，请在程序中补上。", Place("header", key))
            setattr(form, key, found.get(label, ""))

    def declared_funds(self, end: int) -> dict[str, Decimal | None]:
        """Each fund row's amount (万元) by its label: in the label's cell, to its right, or below it."""
        found: dict[str, Decimal | None] = {}
        for (r, c), v in sorted(self.g.values.items()):
            hit = _fund_word(norm(v)) if isinstance(v, str) and r < end else None
            if hit is not None and hit[0] not in found:
                found[hit[0]] = self._amount(r, c, hit)
        if self._in_yuan(end) and any(v is not None for v in found.values()):
            self.add(
                INFO,
                None,
                None,
                f"{words.DECLARATION_WORD}的金额以“元”为单位，已换算为万元（÷10000）。",
                Place("funds"),
            )
            found = {k: None if v is None else _yuan_to_wan(v) for k, v in found.items()}
        return found

    def _in_yuan(self, end: int) -> bool:
        """The funds are stated in 元 (项目资金（元）, 单位：元), not 万元: a 申报表 exported by some budget systems."""
        texts = [norm(v) for (r, _c), v in self.g.values.items() if r < end and isinstance(v, str)]
        if any(_WAN_UNIT.search(t) for t in texts):
            return False
        return any(_YUAN_UNIT.search(t) for t in texts)

    def _amount(self, r: int, c: int, hit: tuple[str, str, str]) -> Decimal | None:
        g = self.g
        key, word, rest = hit
        place = Place("funds", key, "initial")
        if rest:
            return self._text_amount(r, c, rest, word, place)
        right = [cc for cc in g.row_cells(r) if cc > g.right_edge(r, c)]
        if right and _fund_word(g.label(r, right[0])) is None:
            return self.number(r, right[0], "initial", word, place)
        below = g.extent.get((r, c), (r, c, r, c))[2] + 1
        if g.get(below, c) is not None and _fund_word(g.label(below, c)) is None:
            return self.number(below, c, "initial", word, place)
        return None

    def _text_amount(self, r: int, c: int, text: str, word: str, place: Place) -> Decimal | None:
        try:
            d = parse_decimal(text)
            if d is not None:
                rule_for("initial").check(d)
            return d
        except NumberError as e:
            self.add(ERROR, r, c, f"{word}：{e} 已留空，请改正。", place)
            return None

    def put_funds(self, form: Form, amounts: dict[str, Decimal | None]) -> None:
        """年初预算数 and 全年预算数 of each row are the amount the 申报表 asked for."""
        if "total" not in amounts:
            label = words.FUND_LABELS["total"]
            self.add(WARNING, None, None, f"没有找到“{label}”，请在程序中补上。", Place("funds", "total", "budget"))
        for key, amount in amounts.items():
            if amount is None:
                continue
            try:
                row = form.fund(key)
            except KeyError:
                label = words.ALL_FUND_LABELS.get(key, key)
                message = f"{words.DECLARATION_WORD}的“{label}”{amount} 万元：模板中没有这一行，没有导入。"
                self.add(INFO, None, None, message, Place("funds"))
                continue
            row.initial = row.budget = amount

    def declared_goal(self, form: Form, end: int) -> None:
        """年度目标 → 预期目标: after its label in the same cell, to its right, or below it; else the 总体目标."""
        g = self.g
        for (r, c), v in sorted(g.values.items()):
            t = norm(v) if isinstance(v, str) and r < end else ""
            if not any(w in t for w in words.ANNUAL_GOAL_WORDS):
                continue
            fields = _split_fields([str(v)], _GOAL_LABELS)
            text = next((fields[w] for w in words.ANNUAL_GOAL_WORDS if fields.get(w)), "")
            form.goal_expected = text or (self._beside(r, c) if t.startswith(words.ANNUAL_GOAL_WORDS) else "")
            if form.goal_expected:
                return
        hit = g.first(lambda x: x.startswith(words.OVERALL_GOAL), range(1, end))
        if hit is not None:
            fields = _split_fields([g.text(*hit)], _GOAL_LABELS)
            form.goal_expected = fields.get(words.OVERALL_GOAL, "") or self._beside(*hit)
        place = Place("goals", "goal_expected")
        if form.goal_expected:
            self.add(INFO, None, None, "申报表没有单独写年度目标，已把总体目标填入预期目标，请核对。", place)
        else:
            self.add(WARNING, None, None, f"没有找到申报表的“{words.ANNUAL_GOAL}”，请填写预期目标。", place)

    def _beside(self, r: int, c: int) -> str:
        g = self.g
        right = [cc for cc in g.row_cells(r) if cc > g.right_edge(r, c)]
        if right and not _is_goal_label(g.label(r, right[0])):
            return g.text(r, right[0])
        _r1, c1, r2, c2 = g.extent.get((r, c), (r, c, r, c))
        for rr in range(r2 + 1, r2 + 4):
            vals = [g.text(rr, cc) for cc in g.row_cells(rr) if c1 <= cc <= c2]
            if vals:
                return "" if _is_goal_label(norm(vals[0])) else vals[0]
        return ""


def _approved_rows(form: Form) -> tuple[ApprovedRow, ...]:
    return tuple(
        ApprovedRow(l1.name, l2.name, k, ind.name, ind.target) for _i, _j, k, l1, l2, ind in form.iter_indicators()
    )


def read_declaration(grid: Grid, source: str, template: str | None = None) -> ImportedForm:
    """The draft 自评表 of one 申报表 grid; `source` is the file's name (kept in form.approved).  XlsxImportError
    (clerk_message) when it cannot be read; never a traceback."""
    try:
        return DeclarationReader(grid, source, template).read()
    except (XlsxImportError, MemoryError):
        raise
    except Exception as e:  # a layout we did not foresee: name the table, never a traceback
        log.exception("declaration %r could not be read", grid.title)
        raise XlsxImportError(
            f"“{grid.title}”看起来是{words.DECLARATION_TITLE_WORD}，但内容无法识别（{type(e).__name__}），请核对表格。"
        ) from e
