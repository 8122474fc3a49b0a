"""The 汇总表 as a PDF: A4 landscape, the column header repeated on every page, the same CJK font as the
form's PDF embedded (fonts.find_font), user text escaped (pdf_text.TextPrep).  Same rows, 合计, grade counts and
low-execution list as the workbook (summary_xlsx), from the same domain functions."""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.yearbook import TOTAL_ROW, grade_counts, low_execution, summary_order, totals
from selfeval_gui.files.atomic import atomic_write_bytes
from selfeval_gui.files.folder.summary_words import (
    AMOUNT_UNIT,
    GRADE_HEADING,
    HEADINGS,
    LOW_HEADINGS,
    NO_NOTE,
    NOTES_HEADING,
    low_heading,
    summary_title,
)
from selfeval_gui.files.folder.summary_xlsx import OVERALL_RATE_PLACES, SummaryError, SummaryItem
from selfeval_gui.files.pdf.fonts import FontChoice, find_font
from selfeval_gui.files.pdf.text import TextPrep
from selfeval_gui.files.reading import write_failure

log = logging.getLogger(__name__)

PAGE = landscape(A4)
MARGIN = 12 * mm
# mm per column, 序号 … 状态; sums to the 273 mm between the margins
# amounts as typed (like the form's PDF); 填报总分 / 计算总分 wide enough for their headings on one line
COLS = (10, 50, 36, 36, 12, 20, 20, 15, 17, 17, 10, 10, 10, 10)
LOW_COLS = (10, 52, 36, 15, 160)


class _Cells:
    def __init__(self, font: FontChoice) -> None:
        self.text = TextPrep(font)
        self.font = font.name
        self.left: Any = ParagraphStyle("s-l", fontName=font.name, fontSize=8, leading=10, wordWrap="CJK")
        self.center: Any = ParagraphStyle("s-c", parent=self.left, alignment=TA_CENTER)
        self.title: Any = ParagraphStyle("s-t", parent=self.center, fontSize=15, leading=20)
        self.head: Any = ParagraphStyle("s-h", parent=self.left, fontSize=10, leading=14)

    def p(self, value: object, *, left: bool = False) -> Paragraph:
        return Paragraph(self.text.markup("" if value is None else str(value)), self.left if left else self.center)


def _grid(data: list[list[Any]], widths: Sequence[float], font: str, *, bold_last: bool = False) -> Table:
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("FONTNAME", (0, 0), (-1, -1), font),
    ]
    if bold_last:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f6f6f6")))
    table.setStyle(TableStyle(style))
    return table


def _main_table(items: Sequence[SummaryItem], c: _Cells) -> Table:
    data: list[list[Any]] = [[c.p(h) for h in HEADINGS]]
    for n, item in enumerate(items, start=1):
        r = item.row
        data.append(
            [
                c.p(n),
                c.p(r.project_name, left=True),
                c.p(r.department, left=True),
                c.p(r.unit, left=True),
                c.p(r.year),
                c.p(fmt_decimal(r.budget)),
                c.p(fmt_decimal(r.executed)),
                c.p(r.rate_text),
                c.p(fmt_decimal(r.entered_total, r.total_places)),
                c.p(fmt_decimal(r.computed_total, r.total_places)),
                c.p(r.grade_text),
                c.p(r.errors),
                c.p(r.warnings),
                c.p(item.status),
            ]
        )
    t = totals(i.row for i in items)
    data.append(
        [
            c.p(TOTAL_ROW),
            "",
            "",
            "",
            "",
            c.p(fmt_decimal(t.budget)),
            c.p(fmt_decimal(t.executed)),
            c.p(t.rate_text(OVERALL_RATE_PLACES)),
            *[""] * (len(HEADINGS) - 8),
        ]
    )
    table = _grid(data, COLS, c.font, bold_last=True)
    table.setStyle(TableStyle([("SPAN", (0, -1), (4, -1))]))
    return table


def _notes(notes: Sequence[str], c: _Cells) -> list[Any]:
    """The 说明 lines, as in the workbook."""
    if not notes:
        return []
    story: list[Any] = [Spacer(0, 5 * mm), Paragraph(NOTES_HEADING, c.head), Spacer(0, 2 * mm)]
    for n, line in enumerate(notes, start=1):
        story += [Paragraph(c.text.markup(f"{n}. {line}"), c.left), Spacer(0, 1 * mm)]
    return story


def _story(items: Sequence[SummaryItem], c: _Cells) -> list[Any]:
    rows = [i.row for i in items]
    counts = grade_counts(rows)
    grades = "　".join(f"{g}：{n}" for g, n in counts.items())
    low = low_execution(rows)
    story: list[Any] = [
        Paragraph(c.text.markup(summary_title(rows)), c.title),
        Spacer(0, 3 * mm),
        Paragraph(f"共 {len(items)} 个项目　　{AMOUNT_UNIT}", c.left),
        Spacer(0, 2 * mm),
        _main_table(items, c),
        Spacer(0, 5 * mm),
        Paragraph(f"{GRADE_HEADING}　{grades}", c.head),
        Spacer(0, 4 * mm),
        Paragraph(c.text.markup(low_heading(low[0].note_below if low else None, len(low))), c.head),
        Spacer(0, 2 * mm),
    ]
    if low:
        data: list[list[Any]] = [[c.p(h) for h in LOW_HEADINGS]]
        data += [
            [
                c.p(n),
                c.p(r.project_name, left=True),
                c.p(r.department, left=True),
                c.p(r.rate_text),
                c.p(r.fund_note.strip() or NO_NOTE, left=True),
            ]
            for n, r in enumerate(low, start=1)
        ]
        story.append(_grid(data, LOW_COLS, c.font))
    return story


def render_summary_pdf(
    items: Sequence[SummaryItem], *, font: FontChoice | None = None, notes: Sequence[str] = ()
) -> bytes:
    """The PDF of these projects (未填 rows are left out: the caller lists them in `notes`)."""
    font = font or find_font()
    cells = _Cells(font)
    by_row = {id(i.row): i for i in items if not i.row.unfilled}
    ordered = [by_row[id(r)] for r in summary_order(i.row for i in by_row.values())]

    def footer(canv: Any, doc: Any) -> None:
        canv.setFont(font.name, 8)
        canv.drawCentredString(PAGE[0] / 2, 7 * mm, f"第 {doc.page} 页")

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=14 * mm,
        title=summary_title([i.row for i in ordered]),
        initialFontName=font.name,
    )
    doc.build([*_story(ordered, cells), *_notes(notes, cells)], onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def write_summary_pdf(
    items: Sequence[SummaryItem],
    path: str | os.PathLike[str],
    *,
    font: FontChoice | None = None,
    notes: Sequence[str] = (),
) -> None:
    data = render_summary_pdf(items, font=font, notes=notes)
    try:
        atomic_write_bytes(path, data, backup=False)
    except OSError as e:
        raise SummaryError(write_failure(Path(path), e, "PDF 阅读器")) from None
