"""Export forms to an .xlsx workbook laid out like the paper 项目支出绩效自评表, one sheet per form.

Inputs are written as numbers or text exactly as stored; the computed cells (执行率, 预算执行得分, 总分) are
live formulas that follow the form's rule set, so the workbook stays right when someone edits it in Excel,
WPS or LibreOffice.  Columns A–I are the paper table; column J (完成等级, outside the print area) keeps the
clerk's grade for qualitative indicators, and a hidden sheet records rule set and template.
"""
from __future__ import annotations

import io
import math
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins

from .errors import ClerkError
from ..domain.form import FUND_ROWS, GRADE_LABELS, GRADES, Form
from ..domain.numbers import fmt_decimal
from ..domain.rules import get_rule_set
from .formfile import atomic_write_bytes
from .reading import write_failure
from .xlsx_layout import (FUND_NOTE_LABEL, GRADE_HEADER, META_HEADER, META_SHEET, META_VERSION, indicator_label,
                          sheet_title)

# Paper columns A..I, then J for the grade.  Widths in Excel character units, chosen so the longest usual
# content shows and the table still fits one A4 page wide at a readable scale.
WIDTHS = {"A": 7, "B": 10, "C": 12, "D": 17, "E": 22, "F": 22, "G": 7, "H": 8, "I": 20, "J": 16}
LAST_COL = 9  # I: the printed table ends here
FONT_NAME = "宋体"  # on every Chinese Windows; WPS and LibreOffice substitute a CJK font elsewhere

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
FONT = Font(name=FONT_NAME, size=10)
BOLD = Font(name=FONT_NAME, size=10, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
AMOUNT_FORMAT = "0.0000"
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


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _put(ws, row: int, col: int, value, *, align=CENTER, font=FONT, fmt: str | None = None, border=True):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = _clean(value)
        if cell.value.startswith("="):
            cell.data_type = "s"  # a clerk's "=90%" is text, not a formula
    else:
        cell.value = value
    cell.alignment = align
    cell.font = font
    if border:
        cell.border = BORDER
    if fmt:
        cell.number_format = fmt
    return cell


def _formula(ws, row: int, col: int, formula: str, fmt: str):
    cell = _put(ws, row, col, None, fmt=fmt)
    cell.value = formula
    return cell


def _box(ws, r1: int, c1: int, r2: int, c2: int):
    """Borders on every cell of a block, so merged cells keep their frame in every program."""
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            ws.cell(row=r, column=c).border = BORDER


def _merge(ws, r1: int, c1: int, r2: int, c2: int, border=True):
    if border:
        _box(ws, r1, c1, r2, c2)
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _text_width(line: str) -> float:
    """Width in Excel character units: a CJK character is about two digits wide at 10 points."""
    return sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in line)


def _lines(text: str, width: float) -> int:
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in (text or "").split("\n"))


class _Heights:
    """Excel does not grow rows for wrapped text in a file it did not lay out, so estimate the heights."""

    def __init__(self):
        self.lines: dict[int, int] = {}

    def need(self, row: int, text: str, c1: int, c2: int | None = None):
        width = sum(WIDTHS[get_column_letter(c)] for c in range(c1, (c2 or c1) + 1))
        self.lines[row] = max(self.lines.get(row, 1), _lines(text, width))

    def apply(self, ws, minimum: float = 20):
        for row, n in self.lines.items():
            ws.row_dimensions[row].height = max(minimum, n * LINE_PT + 5)


def _percent_format(places: int) -> str:
    return "0%" if places == 0 else "0." + "0" * places + "%"


def _number_format(places: int) -> str:
    return "0" if places == 0 else "0." + "0" * places


def _write_sheet(ws, form: Form) -> SheetMap:
    rs = get_rule_set(form.rule_set)
    m = SheetMap(ws.title)
    h = _Heights()
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width

    # Title.
    _put(ws, 1, 1, form.title, font=Font(name=FONT_NAME, size=16, bold=True), border=False)
    _merge(ws, 1, 1, 1, LAST_COL, border=False)
    ws.row_dimensions[1].height = 30
    _put(ws, 2, 1, form.year_label, font=Font(name=FONT_NAME, size=12), border=False)
    _merge(ws, 2, 1, 2, LAST_COL, border=False)

    # Header: 项目名称 across the row, then two label/value pairs per row.
    _put(ws, 3, 1, "项目名称")
    _merge(ws, 3, 1, 3, 2)
    _put(ws, 3, 3, form.project_name, align=LEFT)
    _merge(ws, 3, 3, 3, LAST_COL)
    h.need(3, form.project_name, 3, LAST_COL)
    for row, (k1, l1), (k2, l2) in ((4, ("department", "主管部门"), ("unit", "实施单位")),
                                    (5, ("leader", "项目负责人"), ("phone", "联系电话"))):
        _put(ws, row, 1, l1)
        _merge(ws, row, 1, row, 2)
        _put(ws, row, 3, getattr(form, k1), align=LEFT)
        _merge(ws, row, 3, row, 5)
        _put(ws, row, 6, l2)
        _merge(ws, row, 6, row, 7)
        _put(ws, row, 8, getattr(form, k2), align=LEFT)
        _merge(ws, row, 8, row, LAST_COL)
        h.need(row, getattr(form, k1), 3, 5)
        h.need(row, getattr(form, k2), 8, LAST_COL)

    # 项目资金（万元）: header row then the four fund rows.
    r0 = 6
    _put(ws, r0, 1, "项目资金\n（万元）")
    _merge(ws, r0, 1, r0 + len(FUND_ROWS), 1)
    _put(ws, r0, 2, "")
    _merge(ws, r0, 2, r0, 3)
    for col, label in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=4):
        _put(ws, r0, col, label)
    rate_fmt = _percent_format(rs.rate_places)
    for n, (key, label) in enumerate(FUND_ROWS, start=1):
        r = r0 + n
        m.fund_rows[key] = r
        row = form.fund(key)
        _put(ws, r, 2, label)
        _merge(ws, r, 2, r, 3)
        h.need(r, label, 2, 3)
        for col, value in ((4, row.initial), (5, row.budget), (6, row.executed)):
            _put(ws, r, col, value, fmt=AMOUNT_FORMAT)
        # 执行率 = 全年执行数 ÷ 全年预算数; blank when the budget is empty or 0 (scoring.execution_rate).
        _formula(ws, r, 8, f'=IF(AND(ISNUMBER(E{r}),ISNUMBER(F{r}),E{r}<>0),F{r}/E{r},"")', rate_fmt)
        if key == "total":
            _put(ws, r, 7, form.budget_weight)
            # 得分 = 执行率 × 分值, never above 分值, rounded once as the rule set says (scoring.evaluate).
            _formula(ws, r, 9, f'=IF(AND(ISNUMBER(H{r}),ISNUMBER(G{r})),'
                               f'ROUND(MIN(H{r}*G{r},G{r}),{rs.budget_score_places}),"")',
                     _number_format(rs.budget_score_places))
            m.rate_cell, m.budget_score_cell = f"H{r}", f"I{r}"
        else:
            _put(ws, r, 7, "—")
            _put(ws, r, 9, "—")
    total_row = m.fund_rows["total"]
    r = r0 + len(FUND_ROWS) + 1

    # 资金执行偏差说明 is not on the paper form; it appears only when the clerk wrote one.
    if form.fund_note:
        _put(ws, r, 1, FUND_NOTE_LABEL)
        _merge(ws, r, 1, r, 3)
        _put(ws, r, 4, form.fund_note, align=LEFT)
        _merge(ws, r, 4, r, LAST_COL)
        h.need(r, form.fund_note, 4, LAST_COL)
        r += 1

    # 年度总体目标.
    _put(ws, r, 1, "年度总体目标")
    _merge(ws, r, 1, r + 1, 1)
    _put(ws, r, 2, "预期目标")
    _merge(ws, r, 2, r, 5)
    _put(ws, r, 6, "实际完成情况")
    _merge(ws, r, 6, r, LAST_COL)
    _put(ws, r + 1, 2, form.goal_expected, align=LEFT)
    _merge(ws, r + 1, 2, r + 1, 5)
    _put(ws, r + 1, 6, form.goal_actual, align=LEFT)
    _merge(ws, r + 1, 6, r + 1, LAST_COL)
    h.need(r + 1, form.goal_expected, 2, 5)
    h.need(r + 1, form.goal_actual, 6, LAST_COL)
    h.lines[r + 1] = max(h.lines.get(r + 1, 1), 3)  # room for the vertical label 年度总体目标
    r += 2

    # 绩效指标.
    head = r
    for col, label in enumerate(("一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分",
                                 "偏差原因分析及改进措施"), start=2):
        _put(ws, head, col, label, font=BOLD)
    h.need(head, "偏差原因分析及改进措施", 9)
    h.need(head, "年度\n指标值", 5)
    _put(ws, head, 10, GRADE_HEADER, font=BOLD)
    r = head + 1
    first = r
    for i, l1 in enumerate(form.tree):
        r1 = r
        for j, l2 in enumerate(l1.children):
            r2 = r
            rows = list(enumerate(l2.indicators)) or [(0, None)]
            for k, ind in rows:
                if ind is None:  # an empty 二级 keeps one placeholder row, as on paper
                    _put(ws, r, 4, indicator_label(0, ""), align=LEFT)
                    for col in range(5, LAST_COL + 1):
                        _put(ws, r, col, None)
                else:
                    m.indicator_rows[(i, j, k)] = r
                    _put(ws, r, 4, indicator_label(k, ind.name), align=LEFT)
                    _put(ws, r, 5, ind.target, align=LEFT)
                    _put(ws, r, 6, ind.actual, align=LEFT)
                    _put(ws, r, 7, ind.weight)
                    _put(ws, r, 8, ind.score)
                    _put(ws, r, 9, ind.deviation, align=LEFT)
                    _put(ws, r, 10, GRADE_LABELS.get(ind.grade or "", ""), align=LEFT)
                    for col, text in ((4, indicator_label(k, ind.name)), (5, ind.target), (6, ind.actual),
                                      (9, ind.deviation)):
                        h.need(r, text, col)
                r += 1
            _put(ws, r2, 3, l2.name)
            _merge(ws, r2, 3, r - 1, 3)
            if r - 1 == r2:
                h.need(r2, l2.name, 3)
        _put(ws, r1, 2, l1.name)
        _merge(ws, r1, 2, r - 1, 2)
    last = r - 1
    _put(ws, head, 1, "绩\n效\n指\n标")
    _merge(ws, head, 1, last, 1)
    grades = DataValidation(type="list", formula1='"' + ",".join(label for _k, label in GRADES) + '"',
                            allow_blank=True, showErrorMessage=True, errorTitle="完成等级",
                            error="请从列表中选择完成等级，或留空。")
    ws.add_data_validation(grades)
    if last >= first:
        grades.add(f"J{first}:J{last}")

    # 总分: the sum of every 分值 and every 得分, budget row included.
    tr = last + 1
    _put(ws, tr, 1, "总分", font=BOLD)
    _merge(ws, tr, 1, tr, 6)
    g_range = f"G{first}:G{last}" if last >= first else f"G{head}"
    h_range = f"H{first}:H{last}" if last >= first else f"H{head}"
    _formula(ws, tr, 7, f"=SUM(G{total_row},{g_range})", "General")
    _formula(ws, tr, 8, f"=SUM(I{total_row},{h_range})", "General")
    _put(ws, tr, 9, None)
    m.total_weight_cell, m.total_score_cell = f"G{tr}", f"H{tr}"
    ws.row_dimensions[tr].height = 22

    # Sign-off line, as on paper, with room below for signature and stamp.
    sr = tr + 1
    for c1, c2, label, value in ((1, 3, "填表人", form.filler), (4, 6, "联系电话", form.filler_phone),
                                 (7, LAST_COL, "填写日期", form.fill_date)):
        _put(ws, sr, c1, f"{label}：{value}", align=LEFT, border=False)
        _merge(ws, sr, c1, sr, c2, border=False)
    ws.row_dimensions[sr].height = 36

    h.apply(ws)
    _print_setup(ws, head, sr)
    return m


def _print_setup(ws, header_row: int, last_row: int):
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


def build_workbook(forms: list[Form]) -> tuple[Workbook, list[SheetMap]]:
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    maps = []
    for n, form in enumerate(forms):
        ws = wb.create_sheet(sheet_title(form.project_name, used, n))
        maps.append(_write_sheet(ws, form))
    meta = wb.create_sheet(META_SHEET)
    meta.append(list(META_HEADER))
    for form, sm in zip(forms, maps):
        # The 总分 row becomes SUM formulas; what the clerk wrote there is an input too, kept here.
        meta.append([sm.title, form.rule_set, form.template, META_VERSION,
                     fmt_decimal(form.stated_total_weight), fmt_decimal(form.stated_total_score)])
    meta.sheet_state = "hidden"
    wb.active = 0
    return wb, maps


def workbook_bytes(forms: list[Form]) -> bytes:
    wb, _maps = build_workbook(forms)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_xlsx(forms: list[Form], path: str | os.PathLike) -> list[SheetMap]:
    """Write the forms to `path` atomically (nothing half-written is left if it fails)."""
    if not forms:
        raise XlsxExportError("没有要导出的表。")
    wb, maps = build_workbook(list(forms))
    buf = io.BytesIO()
    wb.save(buf)
    try:
        atomic_write_bytes(path, buf.getvalue(), backup=False)
    except OSError as e:
        raise XlsxExportError(write_failure(Path(path), e, "Excel 或 WPS")) from None
    return maps



def formula_notes(form: Form) -> list[str]:
    """What the workbook's formulas will show differently from what the clerk wrote into the form."""
    from ..domain.scoring import evaluate
    ev = evaluate(form)
    notes = []
    if form.budget_score is not None and ev.budget_score is not None and form.budget_score != ev.budget_score:
        notes.append(f"预算执行得分在 Excel 中是公式，显示计算值 {fmt_decimal(ev.budget_score)}（表中填的是 "
                     f"{fmt_decimal(form.budget_score)}）。")
    entered = (ev.budget_score or 0) + sum((i.score or 0) for i in form.indicators())
    if form.stated_total_weight is not None and form.stated_total_weight != ev.total_weight:
        notes.append(f"总分行的分值在 Excel 中是求和公式，显示 {fmt_decimal(ev.total_weight)}（表中写的是 "
                     f"{fmt_decimal(form.stated_total_weight)}）。")
    if form.stated_total_score is not None and form.stated_total_score != entered:
        notes.append(f"总分行的得分在 Excel 中是求和公式，显示 {fmt_decimal(entered)}（表中写的是 "
                     f"{fmt_decimal(form.stated_total_score)}）。")
    return notes
