"""Export forms to an .xlsx workbook laid out like the paper 项目支出绩效自评表, one sheet per form.

Inputs are written as numbers or text exactly as stored; the computed cells (执行率, 预算执行得分, 总分) are
live formulas that follow the form's rule set (written by xlsx_formulas from the domain's rules), so the
workbook stays right when someone edits it in Excel, WPS or LibreOffice.  Columns A–I are the paper table;
column J (完成等级, outside the print area) keeps the clerk's grade for qualitative indicators, and a hidden
sheet records rule set and template.  Every label is the vocabulary's (domain.vocabulary).
"""

from __future__ import annotations

import copy
import functools
import io
import logging
import math
import os
import unicodedata
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string as _col
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins

from selfeval_gui.domain.form import Form, Indicator, Level2
from selfeval_gui.domain.number_rules import rule_for
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.row_kinds import own_numbers, printed_label, row_number
from selfeval_gui.domain.rules import RuleSet, template_of
from selfeval_gui.domain.scoring import evaluate, form_rule_set, score_differs
from selfeval_gui.domain.vocabulary import (
    DEVIATION,
    FUND_COLUMNS,
    FUND_NOTE,
    FUND_TABLE_HEADER,
    GOAL_FIELDS,
    GOALS_SECTION,
    GRADE_COLUMN,
    GRADE_LABELS,
    GRADES,
    HEADER_FIELDS,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    RATE,
    SCORE,
    SIGNOFF_FIELDS,
    TOTAL,
    WEIGHT,
    indicator_label,
)
from selfeval_gui.files.errors import ClerkError
from selfeval_gui.files.xlsx.formulas import (
    FundCells,
    budget_score_format,
    budget_score_formula,
    column_range,
    rate_format,
    rate_formula,
    sum_formula,
    typed_format,
)
from selfeval_gui.files.xlsx.layout import (
    ACTUAL_HEADING,
    CONTROL_RE,
    FUNDS_HEADING,
    GRADE_HEADER,
    INDICATORS_HEADING,
    META_HEADER,
    META_SHEET,
    META_VERSION,
    TARGET_HEADING,
    save_workbook,
    sheet_title,
    without_controls,
)
from selfeval_gui.files.xlsx.marks import mark_draft, mark_final

log = logging.getLogger(__name__)

# Paper columns A..I, then J for the grade.  Widths in Excel character units, chosen so the longest usual
# content shows and the table still fits one A4 page wide at a readable scale.
WIDTHS = {"A": 7, "B": 10, "C": 12, "D": 17, "E": 22, "F": 22, "G": 7, "H": 8, "I": 20, "J": 16}
LAST_COL = 9  # I: the printed table ends here
FONT_NAME = "宋体"  # on every Chinese Windows; WPS and LibreOffice substitute a CJK font elsewhere

# Where a 项目资金 row keeps each value (FundRow attribute -> column): the formulas are written from this.
FUND_CELLS = FundCells(columns={"initial": "D", "budget": "E", "executed": "F"}, weight="G", rate="H", score="I")
FUNDS_ROW = 6  # the funds table's header row, under the title (rows 1–2) and the header (rows 3–5)
FUND_HEADER_COL = 4  # D: the funds table's header (FUND_TABLE_HEADER) starts here
# The 绩效指标 table: 一级 in B, 二级 in C, then the 三级 row's cells, then the grade in J.
IND_COL = {
    "l1": 2,
    "l2": 3,
    "name": 4,
    "target": 5,
    "actual": 6,
    "weight": 7,
    "score": 8,
    "deviation": 9,
    "grade": 10,
    "nature": 11,
    "measure_unit": 12,
}  # K, L: a template's 指标性质 / 度量单位, beside the grade

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
FONT = Font(name=FONT_NAME, size=10)
BOLD = Font(name=FONT_NAME, size=10, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
AMOUNT_PLACES = rule_for("budget").places  # amounts show the places typed, at most the places the rule allows
LINE_PT = 13.5  # height of one wrapped line of 10-point text


class XlsxExportError(ClerkError):
    """The workbook could not be written; clerk_message says why in Chinese."""


@dataclass
class SheetMap:
    """Where the export put things, for tests and for the GUI to point at a cell."""

    title: str
    fund_rows: dict[str, int] = field(default_factory=dict)
    rate_cell: str = ""
    budget_score_cell: str = ""
    total_weight_cell: str = ""
    total_score_cell: str = ""
    indicator_rows: dict[tuple[int, int, int], int] = field(default_factory=dict)


def _store(cell: Any, value: object) -> None:
    """A value into a cell; text always as text: a clerk's "=90%" or a project named "=HYPERLINK(…)" never
    becomes a formula (openpyxl makes one of any text opening with "="), control characters removed."""
    if isinstance(value, str):
        cell.value = without_controls(value)
        cell.data_type = "s"
    else:
        cell.value = value


class _Styles:
    """The style arrays one workbook's cells were given, by the array a cell had and what was set on it.

    openpyxl finds a Font, Border, Alignment or Protection in the workbook's list by hashing it on every
    assignment, and that hash walks every attribute (sides, colours) each time: 400,000 assignments were most of
    the time a 10,000-indicator export took.  A cell that starts from the same array and is given the same things
    ends with the same array, so the first such cell is styled by openpyxl (which adds any new style to the
    workbook's lists, in the order it always did) and every later one gets a copy of its array.  The workbook
    written is the same, byte for byte."""

    def __init__(self) -> None:
        self._after: dict[tuple[object, ...], StyleArray] = {}  # (what was set, array before) -> array after
        self._kept: list[object] = []  # the style objects named by id in a key: alive, so no id is reused

    def give(self, cell: Any, how: tuple[object, ...], keep: tuple[object, ...], apply: Callable[[Any], None]) -> None:
        """What apply(cell) does to the cell's style.  `how` says what apply sets: text, numbers and flags by value,
        style objects by id(); `keep` holds those objects."""
        key = (how, None if cell._style is None else tuple(cell._style))
        after = self._after.get(key)
        if after is None:
            apply(cell)
            self._after[key] = StyleArray(cell._style)
            self._kept.append(keep)
        else:
            cell._style = StyleArray(after)


_WORKBOOK_STYLES: weakref.WeakKeyDictionary[Any, _Styles] = weakref.WeakKeyDictionary()


def _styles(ws: Any) -> _Styles:
    """The style arrays of the sheet's workbook (an array's numbers index that workbook's lists)."""
    styles = _WORKBOOK_STYLES.get(ws.parent)
    if styles is None:
        styles = _WORKBOOK_STYLES[ws.parent] = _Styles()
    return styles


def _dress(cell: Any, align: Alignment, font: Font, fmt: str | None, border: bool) -> None:
    cell.alignment = align
    cell.font = font
    if border:
        cell.border = BORDER
    if fmt:
        cell.number_format = fmt


def _put(
    ws: Any,
    row: int,
    col: int,
    value: object,
    *,
    align: Alignment = CENTER,
    font: Font = FONT,
    fmt: str | None = None,
    border: bool = True,
) -> Any:
    cell = ws.cell(row=row, column=col)
    _store(cell, value)
    _styles(ws).give(
        cell, (id(align), id(font), fmt, border), (align, font), lambda c: _dress(c, align, font, fmt, border)
    )
    return cell


def _formula(ws: Any, row: int, col: int, formula: str, fmt: str) -> Any:
    cell = _put(ws, row, col, None, fmt=fmt)
    cell.value = formula
    return cell


def _box_cell(cell: Any) -> None:
    cell.border = BORDER


def _add_border(cell: Any, sides: Border) -> None:
    cell.border += sides


def _set_protection(cell: Any, protection: Any) -> None:
    cell.protection = protection


def _box(ws: Any, r1: int, c1: int, r2: int, c2: int) -> None:
    """Borders on the corners of a block, so merged cells keep their frame in every program: merging keeps the
    top-left cell and frames every other cell (a MergedCell) from its sides and the bottom-right's (openpyxl's
    MergedCellRange), so bordering the cells in between, only to have them replaced, changed nothing."""
    for r, c in dict.fromkeys(((r1, c1), (r2, c2))):
        _styles(ws).give(ws.cell(row=r, column=c), ("box", id(BORDER)), (BORDER,), _box_cell)


def _take_end_sides(cell: Any, end: Any) -> None:
    cell.border += Border(right=end.border.right, bottom=end.border.bottom)


class _MergedRange(MergedCellRange):  # type: ignore[misc]  # openpyxl has no type hints
    """openpyxl's MergedCellRange, its top-left cell given the bottom-right's right and bottom sides (as
    MergedCellRange._get_borders does) through _Styles."""

    def _get_borders(self) -> None:
        ws = self.ws
        self.start_cell = ws._cells.get((self.min_row, self.min_col))
        if self.start_cell is None:
            self.start_cell = ws.cell(row=self.min_row, column=self.min_col)
        end = ws._cells.get((self.max_row, self.max_col))
        if end is not None:
            end_border = 0 if end._style is None else end._style.borderId  # no array: the workbook's first border
            how = ("end sides", end_border)
            _styles(ws).give(self.start_cell, how, (), functools.partial(_take_end_sides, end=end))


def _merge_cells(ws: Any, r1: int, c1: int, r2: int, c2: int) -> None:
    """ws.merge_cells, step by step as openpyxl 3.1 takes it (Worksheet.merge_cells, _clean_merge_range,
    MergedCellRange.format), but each style change given through _Styles, so the thousands of cells of a tall
    merged 一级 or 二级 cell are not each styled by hashing Border objects."""
    styles = _styles(ws)
    mcr = _MergedRange(ws, f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")
    ws.merged_cells.add(mcr)
    cells = mcr.cells
    next(cells)  # the top-left cell stays
    for row, col in cells:
        ws._cells[row, col] = MergedCell(ws, row, col)
    start = mcr.start_cell
    # what is set below follows from the top-left cell's border and protection, named by their places in the
    # workbook's lists: so a cell of another merge given the same is styled from the cache too
    for name in ("top", "left", "right", "bottom"):
        side = getattr(start.border, name)
        if side and side.style is None:
            continue  # no border on that side
        sides = Border(**{name: side})
        how = ("add border", name, start._style.borderId)
        for coord in getattr(mcr, name):
            styles.give(_merged_cell(ws, coord), how, (), functools.partial(_add_border, sides=sides))
    if start.protection is not None:
        protection = copy.copy(start.protection)
        protect = ("protection", start._style.protectionId)
        for coord in mcr.cells:
            styles.give(_merged_cell(ws, coord), protect, (), functools.partial(_set_protection, protection=protection))


def _merged_cell(ws: Any, coord: tuple[int, int]) -> Any:
    cell = ws._cells.get(coord)
    if cell is None:
        cell = ws._cells[coord] = MergedCell(ws, *coord)
    return cell


def _merge(ws: Any, r1: int, c1: int, r2: int, c2: int, border: bool = True) -> None:
    if border:
        _box(ws, r1, c1, r2, c2)
    if (r1, c1) != (r2, c2):
        _merge_cells(ws, r1, c1, r2, c2)


class _CharWidths(dict[str, float]):
    """A character's width in Excel character units, looked up once per character."""

    def __missing__(self, ch: str) -> float:
        width = self[ch] = 2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1
        return width


_CHAR_WIDTHS = _CharWidths()


def _text_width(line: str) -> float:
    """Width in Excel character units: a CJK character is about two digits wide at 10 points."""
    return sum(map(_CHAR_WIDTHS.__getitem__, line))


@functools.cache
def _span_width(c1: int, c2: int) -> int:
    """The width of columns c1 to c2 together."""
    return sum(WIDTHS[get_column_letter(c)] for c in range(c1, c2 + 1))


def _lines(text: str, width: float) -> int:
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in (text or "").split("\n"))


class _Heights:
    """Excel does not grow rows for wrapped text in a file it did not lay out, so estimate the heights."""

    def __init__(self) -> None:
        self.lines: dict[int, int] = {}

    def need(self, row: int, text: str, c1: int, c2: int | None = None) -> None:
        self.lines[row] = max(self.lines.get(row, 1), _lines(text, _span_width(c1, c2 or c1)))

    def apply(self, ws: Any, minimum: float = 20) -> None:
        for row, n in self.lines.items():
            ws.row_dimensions[row].height = max(minimum, n * LINE_PT + 5)


@dataclass
class _IndicatorTable:
    """Rows of the 绩效指标 table: its header, and the first and last 三级 rows (last < first when empty)."""

    head: int
    first: int
    last: int


class _SheetWriter:
    """One form onto one sheet, part by part, top to bottom; each part returns the row after it."""

    def __init__(self, ws: Any, form: Form) -> None:
        self.ws = ws
        self.form = form
        self.rs: RuleSet = form_rule_set(form)[0]  # a rule set not installed: the template's, as on screen
        self.template = template_of(form)
        self.map = SheetMap(ws.title)
        self.h = _Heights()

    def write(self) -> SheetMap:
        for letter, width in WIDTHS.items():
            self.ws.column_dimensions[letter].width = width
        self.title()
        self.header()
        r = self.fund_note(self.funds(FUNDS_ROW))
        table = self.indicators(self.goals(r))
        signoff_row = self.signoff(self.totals(table))
        self.h.apply(self.ws)
        _print_setup(self.ws, table.head, signoff_row)
        return self.map

    def title(self) -> None:
        ws, form = self.ws, self.form
        _put(ws, 1, 1, form.title, font=Font(name=FONT_NAME, size=16, bold=True), border=False)
        _merge(ws, 1, 1, 1, LAST_COL, border=False)
        ws.row_dimensions[1].height = 30
        _put(ws, 2, 1, form.year_label, font=Font(name=FONT_NAME, size=12), border=False)
        _merge(ws, 2, 1, 2, LAST_COL, border=False)

    def header(self) -> None:
        """项目名称 across row 3, then two label/value pairs on each of rows 4 and 5."""
        ws, form = self.ws, self.form
        (key, label), *pairs = HEADER_FIELDS
        _put(ws, 3, 1, label)
        _merge(ws, 3, 1, 3, 2)
        _put(ws, 3, 3, getattr(form, key), align=LEFT)
        _merge(ws, 3, 3, 3, LAST_COL)
        self.h.need(3, getattr(form, key), 3, LAST_COL)
        for row, (k1, l1), (k2, l2) in ((4, pairs[0], pairs[1]), (5, pairs[2], pairs[3])):
            for (c1, c2), (k, lb) in (((1, 5), (k1, l1)), ((6, LAST_COL), (k2, l2))):
                _put(ws, row, c1, lb)
                _merge(ws, row, c1, row, c1 + 1)
                _put(ws, row, c1 + 2, getattr(form, k), align=LEFT)
                _merge(ws, row, c1 + 2, row, c2)
            self.h.need(row, getattr(form, k1), 3, 5)
            self.h.need(row, getattr(form, k2), 8, LAST_COL)

    def funds(self, r0: int) -> int:
        """项目资金（万元）: the header row, then one row per fund row; the rate and budget score are formulas."""
        ws = self.ws
        rows, words = self.template.fund_rows, self.template.fund_column_labels
        _put(ws, r0, 1, FUNDS_HEADING)
        _merge(ws, r0, 1, r0 + len(rows), 1)
        _put(ws, r0, 2, "")
        _merge(ws, r0, 2, r0, 3)
        # the template's words for the amount columns (调整后预算数 …); a column it lacks stays, headed blank
        heads = [words.get(key, "") for key, _ in FUND_COLUMNS] + [
            h if self.template.options.funds_scored or h == RATE else "" for h in FUND_TABLE_HEADER[len(FUND_COLUMNS) :]
        ]  # a template whose funds block is unscored (no scores at all, or 预算执行率 as a row): 执行率 only
        for col, label in enumerate(heads, start=FUND_HEADER_COL):
            _put(ws, r0, col, label)
        for n, (key, label) in enumerate(rows, start=1):
            self.fund_row(r0 + n, key, label)
        return r0 + len(rows) + 1

    def fund_row(self, r: int, key: str, label: str) -> None:
        ws, cells, row = self.ws, FUND_CELLS, self.form.fund(key)
        self.map.fund_rows[key] = r
        _put(ws, r, 2, label)
        _merge(ws, r, 2, r, 3)
        self.h.need(r, label, 2, 3)
        for attr, _label in FUND_COLUMNS:
            value = getattr(row, attr)
            _put(ws, r, _col(cells.columns[attr]), value, fmt=typed_format(value, AMOUNT_PLACES))
        _formula(ws, r, _col(cells.rate), rate_formula(cells, r), rate_format(self.rs))
        if key == "total" and not self.template.options.funds_scored:
            self.map.rate_cell = f"{cells.rate}{r}"
            _put(ws, r, _col(cells.weight), None)
            _put(ws, r, _col(cells.score), None)
        elif key == "total":
            _put(ws, r, _col(cells.weight), self.form.budget_weight)
            _formula(ws, r, _col(cells.score), budget_score_formula(cells, r, self.rs), budget_score_format(self.rs))
            self.map.rate_cell, self.map.budget_score_cell = f"{cells.rate}{r}", f"{cells.score}{r}"
        else:
            dash = "—" if self.template.options.funds_scored else None
            _put(ws, r, _col(cells.weight), dash)
            _put(ws, r, _col(cells.score), dash)

    def fund_note(self, r: int) -> int:
        """资金执行偏差说明 is not on the paper form; it appears only when the clerk wrote one."""
        ws, note = self.ws, self.form.fund_note
        if not note:
            return r
        _put(ws, r, 1, FUND_NOTE)
        _merge(ws, r, 1, r, 3)
        _put(ws, r, 4, note, align=LEFT)
        _merge(ws, r, 4, r, LAST_COL)
        self.h.need(r, note, 4, LAST_COL)
        return r + 1

    def goals(self, r: int) -> int:
        """年度总体目标: 预期目标 in B–E, 实际完成情况 in F–I, labels above the texts."""
        ws, form = self.ws, self.form
        _put(ws, r, 1, GOALS_SECTION)
        _merge(ws, r, 1, r + 1, 1)
        for (attr, label), (c1, c2) in zip(GOAL_FIELDS, ((2, 5), (6, LAST_COL)), strict=True):
            _put(ws, r, c1, label)
            _merge(ws, r, c1, r, c2)
            _put(ws, r + 1, c1, getattr(form, attr), align=LEFT)
            _merge(ws, r + 1, c1, r + 1, c2)
            self.h.need(r + 1, getattr(form, attr), c1, c2)
        self.h.lines[r + 1] = max(self.h.lines.get(r + 1, 1), 3)  # room for the vertical label 年度总体目标
        return r + 2

    def indicators(self, head: int) -> _IndicatorTable:
        """绩效指标: the header row, then the 三级 rows grouped under merged 二级 and 一级 cells."""
        ws = self.ws
        scored = self.template.options.scored  # a template of targets and actuals only: no 分值 / 得分 headings
        weight, score = (WEIGHT, SCORE) if scored else ("", "")
        for col, label in enumerate(
            (LEVEL1, LEVEL2, LEVEL3, TARGET_HEADING, ACTUAL_HEADING, weight, score, DEVIATION), start=IND_COL["l1"]
        ):
            _put(ws, head, col, label, font=BOLD)
        self.h.need(head, DEVIATION, IND_COL["deviation"])
        self.h.need(head, TARGET_HEADING, IND_COL["target"])
        _put(ws, head, IND_COL["grade"], GRADE_HEADER, font=BOLD)
        for key, label in self.template.indicator_columns:
            _put(ws, head, IND_COL[key], label, font=BOLD)
            ws.column_dimensions[get_column_letter(IND_COL[key])].width = 10
        r = head + 1
        for i, l1 in enumerate(self.form.tree):
            r1 = r
            for j, l2 in enumerate(l1.children or [Level2("", [])]):  # a 一级 with no 二级 keeps one empty row
                r = self.level2(r, i, j, l2)
            _put(ws, r1, IND_COL["l1"], self.template.options.heading_label(l1.name))  # 产出指标（50分）
            _merge(ws, r1, IND_COL["l1"], r - 1, IND_COL["l1"])
        table = _IndicatorTable(head, head + 1, r - 1)
        _put(ws, head, 1, INDICATORS_HEADING)
        _merge(ws, head, 1, table.last, 1)
        self.grade_list(table)
        return table

    def level2(self, r: int, i: int, j: int, l2: Level2) -> int:
        """One 二级 group; an empty 二级 keeps one placeholder row, as on paper."""
        r2 = r
        if not l2.indicators:
            _put(self.ws, r, IND_COL["name"], indicator_label(0, ""), align=LEFT)
            for col in range(IND_COL["target"], LAST_COL + 1):
                _put(self.ws, r, col, None)
            r += 1
        for k, ind in enumerate(l2.indicators):
            self.map.indicator_rows[(i, j, k)] = r
            self.indicator(r, row_number(l2.indicators, k), ind)  # 其中 rows are not numbered
            r += 1
        _put(self.ws, r2, IND_COL["l2"], self.template.options.heading_label(self.form.tree[i].name, l2.name))
        _merge(self.ws, r2, IND_COL["l2"], r - 1, IND_COL["l2"])
        if r - 1 == r2:
            self.h.need(r2, l2.name, IND_COL["l2"])
        return r

    def indicator(self, r: int, k: int, ind: Indicator) -> None:
        ws, name = self.ws, printed_label(k, ind.name, ind)  # a breakdown row: indented “其中：…”
        weight, score = own_numbers(ind)  # a breakdown row's 分值 / 得分 cells are empty
        _put(ws, r, IND_COL["name"], name, align=LEFT)
        _put(ws, r, IND_COL["target"], ind.target, align=LEFT)
        _put(ws, r, IND_COL["actual"], ind.actual, align=LEFT)
        _put(ws, r, IND_COL["weight"], weight)
        _put(ws, r, IND_COL["score"], score)
        _put(ws, r, IND_COL["deviation"], ind.deviation, align=LEFT)
        _put(ws, r, IND_COL["grade"], GRADE_LABELS.get(ind.grade or "", ""), align=LEFT)
        for key, _label in self.template.indicator_columns:
            _put(ws, r, IND_COL[key], getattr(ind, key))
        for key, text in (("name", name), ("target", ind.target), ("actual", ind.actual), ("deviation", ind.deviation)):
            self.h.need(r, text, IND_COL[key])

    def grade_list(self, table: _IndicatorTable) -> None:
        """完成等级 is chosen from a list (column J, outside the print area)."""
        grades = DataValidation(
            type="list",
            formula1='"' + ",".join(label for _k, label in GRADES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=GRADE_COLUMN,
            error=f"请从列表中选择{GRADE_COLUMN}，或留空。",
        )
        self.ws.add_data_validation(grades)
        if table.last >= table.first:
            col = get_column_letter(IND_COL["grade"])
            grades.add(f"{col}{table.first}:{col}{table.last}")

    def totals(self, table: _IndicatorTable) -> int:
        """总分: the sum of every 分值 and every 得分, budget row included (none in a template without scores)."""
        ws, cells, tr = self.ws, FUND_CELLS, table.last + 1
        if not self.template.options.scored:
            return tr
        budget_row = self.map.fund_rows["total"]
        weight_col, score_col = get_column_letter(IND_COL["weight"]), get_column_letter(IND_COL["score"])
        _put(ws, tr, 1, TOTAL, font=BOLD)
        _merge(ws, tr, 1, tr, IND_COL["weight"] - 1)
        options = self.template.options
        if options.on_headings:  # the 分值 are the headings' (printed beside their names), the budget row's
            budget = f"{cells.weight}{budget_row}+" if options.funds_scored else ""
            _formula(ws, tr, IND_COL["weight"], f"={budget}{fmt_decimal(options.total_weight())}", "General")
        else:
            _formula(
                ws,
                tr,
                IND_COL["weight"],
                sum_formula(
                    f"{cells.weight}{budget_row}", column_range(weight_col, table.first, table.last, table.head)
                ),
                "General",
            )
        _formula(
            ws,
            tr,
            IND_COL["score"],
            sum_formula(f"{cells.score}{budget_row}", column_range(score_col, table.first, table.last, table.head)),
            "General",
        )
        _put(ws, tr, IND_COL["deviation"], None)
        self.map.total_weight_cell, self.map.total_score_cell = f"{weight_col}{tr}", f"{score_col}{tr}"
        ws.row_dimensions[tr].height = 22
        return tr + 1

    def signoff(self, sr: int) -> int:
        """The sign-off line, as on paper, with room below for signature and stamp; returns its row."""
        spans = ((1, 3), (4, 6), (7, LAST_COL))
        for (c1, c2), (key, label) in zip(spans, SIGNOFF_FIELDS, strict=True):
            _put(self.ws, sr, c1, f"{label}：{getattr(self.form, key)}", align=LEFT, border=False)
            _merge(self.ws, sr, c1, sr, c2, border=False)
        self.ws.row_dimensions[sr].height = 36
        return sr


def _print_setup(ws: Any, header_row: int, last_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_title_rows = f"{header_row}:{header_row}"  # the 绩效指标 header on every continuation page
    ws.print_area = f"A1:{get_column_letter(LAST_COL)}{last_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.sheet_view.zoomScale = 100


def build_workbook(forms: list[Form], *, draft: bool = False) -> tuple[Any, list[SheetMap]]:
    """draft: the 草稿 copy (xlsx_copy.mark_draft); else the final copy (xlsx_copy.mark_final)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    maps = []
    for n, form in enumerate(forms):
        ws = wb.create_sheet(sheet_title(form.project_name, used, n))
        sm = _SheetWriter(ws, form).write()
        if draft:
            col = get_column_letter(IND_COL["score"])
            mark_draft(
                ws,
                form,
                {p: f"{col}{r}" for p, r in sm.indicator_rows.items()},
                sm.budget_score_cell,
                sm.total_score_cell,
            )
        else:
            mark_final(ws, form)
        maps.append(sm)
    meta = wb.create_sheet(META_SHEET)
    rows: list[list[object]] = [list(META_HEADER)]
    for form, sm in zip(forms, maps, strict=True):
        # The 总分 row becomes SUM formulas; what the clerk wrote there is an input too, kept here.
        rows.append(
            [
                sm.title,
                form.rule_set,
                form.template,
                META_VERSION,
                fmt_decimal(form.stated_total_weight),
                fmt_decimal(form.stated_total_score),
            ]
        )
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            _store(meta.cell(row=r, column=c), value)  # the project name and ids as text, like every other cell
    meta.sheet_state = "hidden"
    wb.active = 0
    return wb, maps


def workbook_bytes(forms: list[Form]) -> bytes:
    wb, _maps = build_workbook(forms)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_xlsx(forms: list[Form], path: str | os.PathLike[str], *, draft: bool = False) -> list[SheetMap]:
    """Write the forms to `path` atomically (nothing half-written is left if it fails)."""
    if not forms:
        raise XlsxExportError("没有要导出的表。")
    wb, maps = build_workbook(list(forms), draft=draft)
    save_workbook(wb, path, XlsxExportError)
    return maps


def _control_note(form: Form) -> list[str]:
    """A note naming the fields whose control characters the workbook cannot hold (they are left out)."""
    fields = [(label, getattr(form, key)) for key, label in HEADER_FIELDS + SIGNOFF_FIELDS + GOAL_FIELDS]
    fields += [("模板", form.template), ("规则集", form.rule_set), ("地区", form.district), (FUND_NOTE, form.fund_note)]
    for l1 in form.tree:
        fields.append((LEVEL1, l1.name))
        for l2 in l1.children:
            fields.append((LEVEL2, l2.name))
            for ind in l2.indicators:
                fields += [(LEVEL3, t) for t in (ind.name, ind.target, ind.actual, ind.deviation)]
    hit = list(dict.fromkeys(label for label, text in fields if CONTROL_RE.search(text or "")))
    if not hit:
        return []
    return [f"{'、'.join(hit)}中含有 Excel 不能保存的控制字符（看不见的特殊字符），导出时已去掉。"]


def formula_notes(form: Form) -> list[str]:
    """What the workbook will show differently from what the clerk wrote into the form: its formulas' values,
    and text without the control characters a workbook cannot hold."""
    ev = evaluate(form)
    notes = _control_note(form)
    if score_differs(form.budget_score, ev.budget_score):
        notes.append(
            f"预算执行得分在 Excel 中是公式，显示计算值 {fmt_decimal(ev.budget_score)}（表中填的是 "
            f"{fmt_decimal(form.budget_score)}）。"
        )
    entered = (ev.budget_score or Decimal(0)) + sum((i.score or Decimal(0) for i in form.indicators()), Decimal(0))
    if score_differs(form.stated_total_weight, ev.total_weight):
        notes.append(
            f"总分行的分值在 Excel 中是求和公式，显示 {fmt_decimal(ev.total_weight)}（表中写的是 "
            f"{fmt_decimal(form.stated_total_weight)}）。"
        )
    if score_differs(form.stated_total_score, entered):
        notes.append(
            f"总分行的得分在 Excel 中是求和公式，显示 {fmt_decimal(entered)}（表中写的是 "
            f"{fmt_decimal(form.stated_total_score)}）。"
        )
    return notes
