"""The 汇总表 workbook: one row per project of a folder, a 合计 row, the grade counts and the projects whose
execution stays below the limit with their 资金执行偏差说明.

Each row's figures are the domain's (domain.yearbook.ProjectRow, from evaluate and check of that form).  执行率
(per row and of the 合计 row) is a live formula written by xlsx_formulas.rate_formula from scoring.RATE_RULE,
the sums and the grade counts are SUM / COUNTIF, so the workbook stays right when the finance office edits it.
A4 landscape, one page wide, the column header repeated on every page.  Amounts are numbers shown with the
decimals typed (703.63, not 703.6300: xlsx_formulas.typed_format); the 说明 lines below the tables say what was
left out (未填, other years, copies of a project, unreadable files) and which forms have errors.  The workbook
carries summary_words.SUMMARY_MARK in its properties, so the folder list does not offer it for 导入.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from selfeval_gui.domain.number_rules import rule_for
from selfeval_gui.domain.yearbook import TOTAL_ROW, ProjectRow, grade_counts, low_execution, summary_order
from selfeval_gui.files.errors import ClerkError
from selfeval_gui.files.folder.summary_words import (
    AMOUNT_UNIT,
    GRADE_HEADING,
    HEADINGS,
    LOW_HEADINGS,
    NO_NOTE,
    NOTES_HEADING,
    SHEET_TITLE,
    SUMMARY_MARK,
    low_heading,
    summary_title,
)
from selfeval_gui.files.xlsx.formulas import (
    FundCells,
    column_range,
    number_format,
    percent_format,
    rate_formula,
    typed_format,
)
from selfeval_gui.files.xlsx.layout import save_workbook, without_controls

log = logging.getLogger(__name__)

# Columns of the table: 序号 A, 项目名称 B, 主管部门 C, 实施单位 D, 年度 E, 全年预算数 F, 全年执行数 G, 执行率 H,
# 填报总分 I, 计算总分 J, 等级 K, 错误 L, 警告 M, 状态 N.
WIDTHS = (6, 30, 22, 22, 7, 13, 13, 9, 9, 9, 6, 6, 6, 7)
LAST = len(WIDTHS)
CELLS = FundCells(columns={"budget": "F", "executed": "G"}, weight="", rate="H", score="")
GRADE_COL = "K"
HEAD_ROW = 3
AMOUNT_PLACES = rule_for("budget").places
OVERALL_RATE_PLACES = 2

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE_FONT = Font(name="宋体", size=16, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


class SummaryError(ClerkError):
    """The summary could not be written; clerk_message says why."""


@dataclass(frozen=True)
class SummaryItem:
    """A project of the summary: its row and the status its file records."""

    row: ProjectRow
    status: str


@dataclass
class SummaryMap:
    """Where things went, for tests."""

    first: int
    last: int
    total_row: int
    grade_rows: dict[str, int]
    low_rows: list[int]
    note_rows: list[int]


def amount_format(values: Iterable[Decimal | None]) -> str:
    """The format of a sum: as many decimals as the most any of its amounts was typed with."""
    places = [len(fmt) - 2 if "." in fmt else 0 for v in values if (fmt := typed_format(v, AMOUNT_PLACES))]
    return number_format(max(places, default=0))


def _put(
    ws: Any,
    r: int,
    c: int,
    value: object,
    *,
    fmt: str | None = None,
    align: Alignment = CENTER,
    font: Font = FONT,
    formula: bool = False,
) -> Any:
    if isinstance(value, str) and not formula:
        value = without_controls(value)  # a control character in a project name: left out, as in the form export
    cell = ws.cell(row=r, column=c, value=value)
    cell.border, cell.alignment, cell.font = BORDER, align, font
    if isinstance(value, str) and value.startswith("=") and not formula:
        cell.data_type = "s"  # a project called "=..." is text, not a formula
    if fmt:
        cell.number_format = fmt
    return cell


def _project(ws: Any, r: int, n: int, item: SummaryItem) -> None:
    row = item.row
    values: list[object] = [n, row.project_name, row.department, row.unit, row.year, row.budget, row.executed]
    for c, v in enumerate(values, start=1):
        fmt = typed_format(v, AMOUNT_PLACES) if c in (6, 7) and isinstance(v, Decimal) else None
        _put(ws, r, c, v, fmt=fmt, align=LEFT if c in (2, 3, 4) else CENTER)
    _put(ws, r, 8, rate_formula(CELLS, r), fmt=percent_format(row.rate_places), formula=True)
    _put(ws, r, 9, row.entered_total, fmt=number_format(row.total_places))
    _put(ws, r, 10, row.computed_total, fmt=number_format(row.total_places))
    for c, v in enumerate((row.grade_text, row.errors, row.warnings, item.status), start=11):
        _put(ws, r, c, v)


def _total(ws: Any, r: int, first: int, last: int, items: Sequence[SummaryItem]) -> None:
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    _put(ws, r, 1, TOTAL_ROW, font=BOLD)
    for c in range(2, LAST + 1):
        _put(ws, r, c, None)
    for col, key in (("F", "budget"), ("G", "executed")):
        rng = column_range(col, first, last, r - 1)
        fmt = amount_format(getattr(i.row, key) for i in items)
        _put(ws, r, 6 if col == "F" else 7, f"=SUM({rng})", fmt=fmt, font=BOLD, formula=True)
    _put(ws, r, 8, rate_formula(CELLS, r), fmt=percent_format(OVERALL_RATE_PLACES), font=BOLD, formula=True)


def _grades(ws: Any, r: int, items: Sequence[SummaryItem], first: int, last: int) -> tuple[int, dict[str, int]]:
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    _put(ws, r, 1, GRADE_HEADING, font=BOLD, align=LEFT)
    rows = {}
    for k, grade in enumerate(grade_counts(i.row for i in items), start=1):
        rows[grade] = r + k
        _put(ws, r + k, 2, grade)
        count = f'=COUNTIF({GRADE_COL}{first}:{GRADE_COL}{last},"{grade}")' if last >= first else 0
        _put(ws, r + k, 3, count, formula=True)
    return r + len(rows) + 1, rows


def _low(ws: Any, r: int, items: Sequence[SummaryItem]) -> list[int]:
    rows = low_execution(i.row for i in items)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=LAST)
    _put(ws, r, 1, low_heading(rows[0].note_below if rows else None, len(rows)), font=BOLD, align=LEFT)
    if not rows:
        return []
    r += 1
    for c, head in enumerate(LOW_HEADINGS, start=1):
        _put(ws, r, c, head, font=BOLD)
    ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=LAST)
    out = []
    for n, row in enumerate(rows, start=1):
        r += 1
        _put(ws, r, 1, n)
        _put(ws, r, 2, row.project_name, align=LEFT)
        _put(ws, r, 3, row.department, align=LEFT)
        _put(ws, r, 4, row.rate, fmt=percent_format(row.rate_places))
        ws.merge_cells(start_row=r, start_column=5, end_row=r, end_column=LAST)
        _put(ws, r, 5, row.fund_note.strip() or NO_NOTE, align=LEFT)
        for c in range(6, LAST + 1):
            _put(ws, r, c, None)
        lines = max(1, len(row.fund_note) // 70 + row.fund_note.count("\n") + 1)
        ws.row_dimensions[r].height = max(20, 14 * lines + 4)
        out.append(r)
    return out


def _notes(ws: Any, r: int, notes: Sequence[str]) -> list[int]:
    """The 说明 lines: what the 汇总 left out and which forms to check (one merged row each)."""
    if not notes:
        return []
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=LAST)
    _put(ws, r, 1, NOTES_HEADING, font=BOLD, align=LEFT)
    out = []
    for n, line in enumerate(notes, start=1):
        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=LAST)
        _put(ws, r, 1, f"{n}. {line}", align=LEFT)
        ws.row_dimensions[r].height = max(20, 14 * (len(line) // 110 + 1) + 4)
        out.append(r)
    return out


def build_summary(items: Sequence[SummaryItem], notes: Sequence[str] = ()) -> tuple[Any, SummaryMap]:
    """The workbook of these projects (未填 rows are left out: the caller lists them in `notes`)."""
    by_row = {id(i.row): i for i in items if not i.row.unfilled}
    items = [by_row[id(r)] for r in summary_order(i.row for i in by_row.values())]
    wb = Workbook()
    wb.properties.keywords = SUMMARY_MARK
    wb.properties.title = without_controls(summary_title([i.row for i in items]))
    ws = wb.active
    ws.title = SHEET_TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=LAST)
    ws.cell(row=1, column=1, value=without_controls(summary_title([i.row for i in items]))).font = TITLE_FONT
    ws.cell(row=1, column=1).alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=LAST)
    ws.cell(row=2, column=1, value=f"共 {len(items)} 个项目　　{AMOUNT_UNIT}").alignment = Alignment(horizontal="right")
    for c, head in enumerate(HEADINGS, start=1):
        _put(ws, HEAD_ROW, c, head, font=BOLD)
        ws.column_dimensions[get_column_letter(c)].width = WIDTHS[c - 1]
    ws.row_dimensions[HEAD_ROW].height = 30
    first = HEAD_ROW + 1
    for n, item in enumerate(items, start=1):
        _project(ws, first + n - 1, n, item)
    last = first + len(items) - 1
    total_row = last + 1
    _total(ws, total_row, first, last, items)
    end, grades = _grades(ws, total_row + 2, items, first, last)
    low_rows = _low(ws, end + 1, items)
    after_low = low_rows[-1] if low_rows else end + 1
    note_rows = _notes(ws, after_low + 2, notes)
    _print_setup(ws, note_rows[-1] if note_rows else after_low)
    ws.freeze_panes = f"A{first}"
    return wb, SummaryMap(first, last, total_row, grades, low_rows, note_rows)


def _print_setup(ws: Any, last_row: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.3, footer=0.3)
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"
    ws.print_area = f"A1:{get_column_letter(LAST)}{last_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_summary_xlsx(
    items: Sequence[SummaryItem], path: str | os.PathLike[str], notes: Sequence[str] = ()
) -> SummaryMap:
    wb, smap = build_summary(items, notes)
    save_workbook(wb, path, SummaryError)
    return smap
