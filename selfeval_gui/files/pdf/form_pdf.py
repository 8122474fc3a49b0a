"""The form as the paper 项目支出绩效自评表: A4 portrait PDF built with reportlab, no Qt.

Two kinds of copy (issue 15).  正式 (final, the default): exactly the form as the clerk filled it — the 得分
cells show the entered score (the computed one where none was entered), the 总分 row the sum of the 得分
column as printed, the same as the workbook's SUM formulas; no notes, no watermark.  The callers (window, CLI)
make a final copy only of a form without errors, so a signed copy never contradicts itself.  草稿 (draft=True):
a diagonal "草稿" on every page, "10（应为4.67）" where the rules compute a different score
(scoring.score_differs), "96（应为90.67）" in the 总分 row, and a last page 检查结果 listing every finding.

Each page carries a footer with the form's file name, when the PDF was made and the content fingerprint
(formfile.fingerprint), so a signed paper copy can be matched to the emailed file; it starts with 草稿, or with
定稿 when the form was finalized and its content still has the fingerprint recorded then.
"""

from __future__ import annotations

import io
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.checks import LEVEL_LABELS, Finding, check
from selfeval_gui.domain.form import Form, Indicator
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.row_kinds import own_numbers, printed_label, row_number
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.scoring import Evaluation, evaluate, fund_row_rate, score_differs
from selfeval_gui.domain.vocabulary import DRAFT_WORD, FINAL_WORD
from selfeval_gui.files.atomic import StrPath, atomic_write_bytes
from selfeval_gui.files.errors import ClerkError
from selfeval_gui.files.formfile import clean_text, fingerprint
from selfeval_gui.files.pdf.columns import DEFAULT as DEFAULT_INDICATOR_COLS
from selfeval_gui.files.pdf.columns import indicator_widths
from selfeval_gui.files.pdf.fonts import FontChoice, find_font
from selfeval_gui.files.pdf.layout import Band, Cell, Layout, inner_width
from selfeval_gui.files.pdf.text import TextPrep
from selfeval_gui.files.pdf.textblock import Run, Style, break_lines, text_width
from selfeval_gui.files.reading import write_failure

log = logging.getLogger(__name__)

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 14 * mm
MARGIN_BOTTOM = 17 * mm
FOOTER_Y = 9 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X  # 180 mm

FONT_SIZE = 9
LEADING = 12
SMALL = 7  # the "（应为…）" line under an entered score
DASH = "—"

# Column widths in mm per part of the form; each part sums to 180 mm (CONTENT_W).
HEADER_COLS = (24, 66, 24, 66)
FUND_COLS = (24, 34, 24, 24, 24, 14, 16, 20)
GOAL_COLS = (24, 78, 78)
INDICATOR_COLS = DEFAULT_INDICATOR_COLS  # the official proportions; a form's own come from pdf_columns
SIGNOFF_COLS = (60, 60, 60)
STAMP_SPACE = 42 * mm  # an official round stamp is 40–42 mm across

_INDICATOR_PREFIX = re.compile(r"^\s*指标\s*\d+\s*[:：]\s*")

# Words only the paper has (the form's labels come from domain/vocabulary.py).
SIGN_HERE = "（签字）"
STAMP_HERE = "单位（盖章）"
UNSAVED = "（未保存的表）"
FINDINGS_TITLE = "检查结果"
FINDINGS_HEAD = ("级别", "位置", "问题及处理")
FINDINGS_COLS = (14, 58, 108)
NO_FINDINGS = "未发现问题。"
CREATOR = f"{words.TITLE_WORD} 填报工具"


def broken(word: str, *at: int) -> str:
    """A label with line breaks before the given character positions: broken("年度指标值", 2)."""
    cuts = (0, *at, len(word))
    return "\n".join(word[a:b] for a, b in pairwise(cuts))


def stacked(word: str) -> str:
    """A label written top to bottom, one character a line (the 绩效指标 column)."""
    return "\n".join(word)


def colon(label: str) -> str:
    return f"{label}："


class PdfError(ClerkError):
    """The PDF could not be written; clerk_message says why in Chinese."""


@dataclass
class PdfResult:
    path: str | None
    data: bytes
    pages: int
    font: str  # e.g. "wqy-microhei.ttc" or "STSong-Light（未嵌入）"
    font_embedded: bool
    fingerprint: str
    notes: list[str] = field(default_factory=list)
    indicator_cols: tuple[float, ...] = INDICATOR_COLS  # mm, as this form's 绩效指标 table was laid out


class _Styles:
    """The styles of the form's cells, made once per PDF."""

    def __init__(self, font: FontChoice):
        self.font_name = font.name
        self.left = Style(font.name, FONT_SIZE, LEADING)
        self.center = Style(font.name, FONT_SIZE, LEADING, center=True)
        self.title = Style(font.name, 18, 24, center=True)
        self.subtitle = Style(font.name, 12, 16, center=True)
        self.signoff = Style(font.name, 10.5, 14)

    def fitting(self, text: str, width_mm: float) -> Style:
        """Centred when the text fits on one line (a short value looks as on the Word form), else flush left."""
        if "\n" in text:
            return self.left
        w = text_width(text, self.font_name, FONT_SIZE) if text else 0
        return self.center if w <= inner_width(width_mm * mm) else self.left


Widths = tuple[float, ...]


class _FormBuilder:
    """Turns the form and its evaluation into the bands of the paper layout."""

    def __init__(self, form: Form, ev: Evaluation, styles: _Styles, text: TextPrep, draft: bool = False):
        self.form, self.ev, self.s, self.t = form, ev, styles, text
        self.draft = draft
        self.template = template_of(form)
        self.extras = self.template.indicator_columns  # 指标性质, 度量单位 after 三级指标 when the template has them
        self.cols = self._indicator_cols()

    def _x(self, col: int) -> int:
        """The table column of the standard layout's column `col` (0 绩效指标 … 8 偏差原因), after any extras."""
        return col if col <= 3 else col + len(self.extras)

    def _indicator_cols(self) -> tuple[float, ...]:
        """The 绩效指标 columns shared by what this form's rows hold (pdf_columns), a template's extras included."""
        heads = (words.LEVEL3, broken(words.TARGET, 2), broken(words.ACTUAL, 2), broken(words.DEVIATION, 6))
        rows = [
            (printed_label(k, _INDICATOR_PREFIX.sub("", ind.name), ind), ind.target, ind.actual, ind.deviation)
            for _i, _j, k, _l1, _l2, ind in self.form.iter_indicators()
        ]
        return indicator_widths(rows, heads, self.s.font_name, FONT_SIZE, len(self.extras))

    def _cell(
        self,
        row: int,
        col: int,
        value: str,
        widths: Widths,
        colspan: int = 1,
        rowspan: int = 1,
        *,
        style: Style | None = None,
    ) -> Cell:
        """A cell holding the clerk's text."""
        text = self.t.text(value)
        style = style or self.s.fitting(text, sum(widths[col : col + colspan]))
        return Cell(row, col, text, style, rowspan, colspan)

    def _centred(self, row: int, col: int, value: str, widths: Widths) -> Cell:
        return self._cell(row, col, value, widths, style=self.s.center)

    def _label(self, row: int, col: int, text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
        # Our own words (vocabulary, template names already through TextPrep.text); "\n" breaks a line.
        return Cell(row, col, text, self.s.center, rowspan, colspan, repeat=True)

    def _score(
        self, entered: Decimal | None, computed: Decimal | None, places: int, width_mm: float
    ) -> tuple[str, tuple[Run, ...]]:
        """The entered score; the computed one when nothing was entered; both when they differ (the computed one
        as a smaller note under it)."""
        if entered is None and computed is not None:
            return fmt_decimal(computed, places), ()
        if not self.draft or not score_differs(entered, computed):
            return fmt_decimal(entered), ()
        value = fmt_decimal(computed, places)
        note = f"（应为{value}）"
        # Break after 应为 rather than inside the number when the note is wider than the cell.
        if len(break_lines(note, self.s.font_name, SMALL, inner_width(width_mm * mm))) > 1:
            note = f"（应为\n{value}）"
        return fmt_decimal(entered), (Run(note, SMALL),)

    def _score_cell(
        self, row: int, col: int, entered: Decimal | None, computed: Decimal | None, places: int, width_mm: float
    ) -> Cell:
        text, notes = self._score(entered, computed, places, width_mm)
        return Cell(row, col, text, self.s.center, notes=notes)

    def _heading(self, level1: str, level2: str = "") -> str:
        """An 一级 / 二级 name, with its 分值 where the template weights the headings: 产出指标（50分）."""
        return self.template.options.heading_label(level1, level2)

    @staticmethod
    def _score_heads(*heads: str, scored: bool) -> tuple[str, ...]:
        """The 分值 / 得分 headings, left empty where the template has no scores there (the 执行率 stays)."""
        return heads if scored else tuple(h if h == words.RATE else "" for h in heads)

    def bands(self, findings: list[Finding] | None = None) -> list[Band]:
        bands = [
            self.title(),
            self.header(),
            self.funds(),
            self.goals(),
            self.indicators(),
            *([self.total()] if self.template.options.scored else []),  # no 总分 row in a form without scores
            self.signoff(),
        ]
        if findings is not None:
            bands += self.findings(findings)
        return bands

    def findings(self, findings: list[Finding]) -> list[Band]:
        """The draft's last page: every finding with its level and place."""
        title = Band(
            [CONTENT_W],
            [Cell(0, 0, FINDINGS_TITLE, self.s.subtitle)],
            borders=False,
            min_row_height=24,
            page_break_before=True,
        )
        w = FINDINGS_COLS
        cells = [self._label(0, c, head) for c, head in enumerate(FINDINGS_HEAD)]
        for r, f in enumerate(findings, start=1):
            cells += [
                self._centred(r, 0, LEVEL_LABELS[f.level], w),
                self._cell(r, 1, f.where, w, style=self.s.left),
                self._cell(r, 2, f.message, w, style=self.s.left),
            ]
        if not findings:
            cells.append(self._cell(1, 0, NO_FINDINGS, w, 3, style=self.s.left))
        return [title, Band([mm * x for x in w], cells, header_rows=1, min_row_height=18)]

    def title(self) -> Band:
        f = self.form
        return Band(
            [CONTENT_W],
            [Cell(0, 0, self.t.text(f.title), self.s.title), Cell(1, 0, self.t.text(f.year_label), self.s.subtitle)],
            borders=False,
            min_row_height=20,
        )

    def header(self) -> Band:
        f, w, c, label = self.form, HEADER_COLS, self._cell, words.HEADER_LABELS
        cols = [mm * x for x in w]
        cells = [
            self._label(0, 0, label["project_name"]),
            c(0, 1, f.project_name, w, 3),
            self._label(1, 0, label["department"]),
            c(1, 1, f.department, w),
            self._label(1, 2, label["unit"]),
            c(1, 3, f.unit, w),
            self._label(2, 0, label["leader"]),
            c(2, 1, f.leader, w),
            self._label(2, 2, label["phone"]),
            c(2, 3, f.phone, w),
        ]
        return Band(cols, cells, keep_together=True, min_row_height=22, space_before=6)

    def _fund_widths(self) -> tuple[float, ...]:
        """FUND_COLS, the 72 mm of the amounts shared by as many amount columns as the template has."""
        n = len(self.template.fund_columns)
        return (*FUND_COLS[:2], *([sum(FUND_COLS[2:5]) / n] * n), *FUND_COLS[5:])

    def funds(self) -> Band:
        f, w, t = self.form, self._fund_widths(), self.template
        note = f.fund_note.strip()
        rows = t.fund_rows
        nrows = 1 + len(rows) + (1 if note else 0)
        cells = [
            self._label(0, 0, f"{words.FUNDS_SECTION}\n{words.FUNDS_UNIT}", rowspan=nrows),
            self._cell(0, 1, "", w),
        ]
        heads = [label for _, label in t.fund_columns] + list(
            self._score_heads(words.WEIGHT, words.RATE, words.SCORE, scored=t.options.funds_scored)
        )
        cells += [self._label(0, 2 + i, self.t.text(head)) for i, head in enumerate(heads)]
        for r, (key, label) in enumerate(rows, start=1):
            cells.append(self._label(r, 1, self.t.text(label)))
            cells += self._fund_row(r, key, w)
        if note:
            r = nrows - 1
            cells += [
                self._label(r, 1, words.FUND_NOTE),
                self._cell(r, 2, f.fund_note, w, len(w) - 2, style=self.s.left),
            ]
        return Band([mm * x for x in w], cells, keep_together=True, min_row_height=18)

    def _fund_row(self, r: int, key: str, w: tuple[float, ...]) -> list[Cell]:
        """The amounts of one fund row, then its 分值, 执行率 and 得分 (only the total row has a score)."""
        f, ev, c = self.form, self.ev, self._centred
        rs = ev.rule_set
        row = f.fund(key)
        cols = self.template.fund_columns
        cells = [c(r, 2 + i, fmt_decimal(getattr(row, col)), w) for i, (col, _) in enumerate(cols)]
        k = 2 + len(cols)  # 分值, then 执行率 and 得分
        if key == "total":
            score = self._score_cell(r, k + 2, f.budget_score, ev.budget_score, rs.budget_score_places, w[k + 2])
            return cells + [c(r, k, fmt_decimal(f.budget_weight), w), c(r, k + 1, ev.rate_text, w), score]
        rate = rs.rate_text(fund_row_rate(row))
        dash = DASH if self.template.options.funds_scored else ""  # no 分值/得分 columns at all: nothing to dash
        return cells + [c(r, k, dash, w), c(r, k + 1, rate, w), c(r, k + 2, dash, w)]

    def goals(self) -> Band:
        f, w = self.form, GOAL_COLS
        (_, expected), (_, actual) = words.GOAL_FIELDS
        cells = [
            self._label(0, 0, words.GOALS_SECTION, rowspan=2),
            self._label(0, 1, expected),
            self._label(0, 2, actual),
            self._cell(1, 1, f.goal_expected, w),
            self._cell(1, 2, f.goal_actual, w),
        ]
        return Band([mm * x for x in w], cells, header_rows=1, min_row_height=18)

    def indicators(self) -> Band:
        f = self.form
        heads = (
            words.LEVEL1,
            words.LEVEL2,
            words.LEVEL3,
            broken(words.TARGET, 2),
            broken(words.ACTUAL, 2),
            *self._score_heads(words.WEIGHT, words.SCORE, scored=self.template.options.scored),
            broken(words.DEVIATION, 6),
        )
        cells = [self._label(0, self._x(1 + i), h) for i, h in enumerate(heads)]
        cells += [self._label(0, 4 + n, self.t.text(label)) for n, (_, label) in enumerate(self.extras)]
        r = 1
        for i, l1 in enumerate(f.tree):
            r1 = r
            for j, l2 in enumerate(l1.children):
                r2 = r
                rows: list[Indicator | None] = [*l2.indicators] or [None]  # a 二级 without any still shows its row
                for k, ind in enumerate(rows):
                    cells += self._indicator_row(r, (i, j, k), ind)
                    r += 1
                cells.append(self._label(r2, 2, self.t.text(self._heading(l1.name, l2.name)), rowspan=r - r2))
            if r == r1:  # a 一级 with no 二级 at all: one empty row so its name still prints
                cells += [self._cell(r, c, "", self.cols) for c in range(2, len(self.cols))]
                r += 1
            cells.append(self._label(r1, 1, self.t.text(self._heading(l1.name)), rowspan=r - r1))
        cells.append(self._label(0, 0, stacked(words.INDICATORS_SECTION), rowspan=r))
        return Band([mm * x for x in self.cols], cells, header_rows=1, min_row_height=18)

    def _indicator_row(self, r: int, path: tuple[int, int, int], ind: Indicator | None) -> list[Cell]:
        """One 三级 row: its number and name, then its values (blank cells for a 二级 without indicators)."""
        w, k = self.cols, row_number(self.form.rows_at(path[0], path[1]), path[2])  # 其中 rows not numbered
        name = _INDICATOR_PREFIX.sub("", ind.name) if ind else ""
        label = printed_label(k, name, ind) if ind else words.indicator_label(k, name)  # 其中：… indented
        cells = [self._cell(r, 3, label, w, style=self.s.left)]
        if ind is None:
            return cells + [self._cell(r, c, "", w) for c in range(4, len(w))]
        weight, score = own_numbers(ind)  # a breakdown row prints empty 分值 / 得分
        res = self.ev.result_at(path)
        computed = res.computed if res is not None else None
        places = self.ev.rule_set.indicator_score_places
        x = self._x
        cells += [self._centred(r, 4 + n, getattr(ind, key), w) for n, (key, _) in enumerate(self.extras)]
        return cells + [
            self._cell(r, x(4), ind.target, w),
            self._cell(r, x(5), ind.actual, w),
            self._centred(r, x(6), fmt_decimal(weight), w),
            self._score_cell(r, x(7), score, computed, places, w[x(7)]),
            self._cell(r, x(8), ind.deviation, w),
        ]

    def total(self) -> Band:
        ev, w = self.ev, self.cols
        rs = ev.rule_set
        capped = ev.cap is not None and ev.uncapped_total is not None and ev.uncapped_total > ev.cap
        notes: tuple[Run, ...] = ()
        if capped and not self.draft:
            # the final copy: the rules' total, which the cap makes lower than the column's sum — said beside it
            score = fmt_decimal(ev.total_score, rs.total_places)
        else:
            # the sum of the 得分 column as printed; the draft adds the rules' total where it differs
            score, notes = self._score(ev.column_total, ev.total_score, rs.total_places, w[self._x(7)])
        if capped:
            notes += (Run(f"（按执行率封顶，未封顶为{fmt_decimal(ev.uncapped_total, rs.total_places)}）", SMALL),)
        x = self._x
        cells = [
            self._label(0, 0, words.TOTAL, colspan=x(6)),
            self._centred(0, x(6), fmt_decimal(ev.total_weight), w),
            Cell(0, x(7), score, self.s.center, notes=notes),
            self._cell(0, x(8), "", w),
        ]
        # moved overleaf, it brings one row of its table along (and the table's header above it): never more than
        # keeps it from standing alone; the sign-off pulling it overleaf brings that row too (keep_with_previous)
        return Band(
            [mm * x for x in w], cells, min_row_height=20, keep_together=True, pull_rows=1, keep_with_previous=True
        )

    def signoff(self) -> Band:
        f, t, st = self.form, self.t, self.s.signoff
        label = words.SIGNOFF_LABELS
        cells = [
            Cell(0, 0, colon(label["filler"]) + t.text(f.filler), st),
            Cell(0, 1, colon(label["filler_phone"]) + t.text(f.filler_phone), st),
            Cell(0, 2, colon(label["fill_date"]) + t.text(f.fill_date), st),
            Cell(1, 0, colon(label["filler"] + SIGN_HERE), st),
            Cell(1, 1, "", st),
            Cell(1, 2, colon(STAMP_HERE), st),
            Cell(2, 0, "", st),
            Cell(2, 1, "", st),
            Cell(2, 2, "", st),
        ]
        band = Band(
            [mm * x for x in SIGNOFF_COLS],
            cells,
            borders=False,
            keep_together=True,
            min_row_height=22,
            space_before=8,
            pull_rows=1,
        )  # the 总分 row comes along, and the indicator row above it
        band.row_min_heights = {2: STAMP_SPACE}
        return band


def _draw_text(canv: Any, x: float, y: float, text: str) -> None:
    """One line in the canvas' current font at (x, y).  canvas.drawString and its right/centred forms measure the
    text with reportlab's stringWidth even when it is not needed, which makes reportlab build the font's whole
    width table (font_cache: 3 ms of every PDF); the text object draws the same operators without it."""
    t = canv.beginText(x, y)
    t.textLine(text)
    canv.drawText(t)


def _watermark(canv: Any, st: _Styles) -> None:
    """草稿 across the page, light enough to read the form through it."""
    canv.saveState()
    canv.setFillColorRGB(0.55, 0.55, 0.55)
    canv.setFillAlpha(0.22)
    canv.translate(PAGE_W / 2, PAGE_H / 2)
    canv.rotate(45)
    canv.setFont(st.font_name, 150)
    _draw_text(canv, -text_width(DRAFT_WORD, st.font_name, 150) / 2, -50, DRAFT_WORD)
    canv.restoreState()


def copy_mark(form: Form, fp: str, draft: bool) -> str:
    """What the footer says about the copy: 草稿, 定稿 (the content still has the fingerprint of its 定稿), or
    nothing for a final copy of a form that was never finalized."""
    if draft:
        return DRAFT_WORD
    if form.finalized is not None and form.finalized.fingerprint == fp:
        return FINAL_WORD
    return ""


def _footer(
    canv: Any, st: _Styles, text: TextPrep, source: str, made: str, fp: str, page: int, pages: int, mark: str = ""
) -> None:
    size = 7.5
    right = f"第 {page} 页 共 {pages} 页"
    canv.setFont(st.font_name, size)
    right_w = text_width(right, st.font_name, size)
    _draw_text(canv, PAGE_W - MARGIN_X - right_w, FOOTER_Y, right)
    room = CONTENT_W - right_w - 6 * mm
    full = text.plain(source)

    def left(n: str) -> str:
        return (f"{mark}　" if mark else "") + f"文件：{n}　生成时间：{made}　指纹：{fp}"

    name = full
    keep = len(full)
    while text_width(left(name), st.font_name, size) > room and keep > 8:
        keep -= 1  # a long file name loses its middle, keeping the start and the ".json"
        name = full[: keep // 2] + "…" + full[len(full) - (keep - keep // 2) :]
    _draw_text(canv, MARGIN_X, FOOTER_Y, left(name))
    canv.setLineWidth(0.3)
    canv.line(MARGIN_X, FOOTER_Y + size + 2, PAGE_W - MARGIN_X, FOOTER_Y + size + 2)


def render_pdf(
    form: Form,
    *,
    source_name: str | None = None,
    font_path: str | None = None,
    now: datetime | None = None,
    draft: bool = False,
    findings: list[Finding] | None = None,
    font: FontChoice | None = None,
) -> PdfResult:
    """Build the PDF in memory; nothing is written.  draft: the 草稿 copy (watermark, 应为 notes, the findings
    — check(form) unless given — on a last page); else the final copy, exactly as filled in.
    font: the font found once for a batch (else find_font)."""
    font = font or find_font(font_path)
    styles = _Styles(font)
    text = TextPrep(font)
    ev = evaluate(form)
    fp = fingerprint(form)
    made = (now or datetime.now()).strftime("%Y-%m-%d %H:%M")
    if draft and findings is None:
        findings = check(form, ev)
    builder = _FormBuilder(form, ev, styles, text, draft)
    bands = builder.bands(findings if draft else None)
    layout = Layout(bands, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)
    buf = io.BytesIO()
    # The CJK font from the first operator on, so no unembedded Helvetica is referenced.
    canv = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=styles.font_name)
    # reportlab encodes the document info as UTF-8: a lone surrogate there would fail the whole PDF.
    canv.setTitle(clean_text(f"{form.title}{form.year_label}{form.project_name}"))
    canv.setAuthor(clean_text(form.unit or form.department))
    canv.setSubject(f"内容指纹 {fp}")
    canv.setCreator(CREATOR)
    pages = len(layout.pages)
    source = source_name or UNSAVED
    mark = copy_mark(form, fp, draft)
    for i in range(pages):
        layout.draw_page(canv, i, MARGIN_X, PAGE_H - MARGIN_TOP)
        _footer(canv, styles, text, source, made, fp, i + 1, pages, mark)
        if draft:
            _watermark(canv, styles)
        canv.showPage()
    canv.save()
    notes = list(font.notes)
    missing = text.note()
    if missing:
        notes.append(missing)
    return PdfResult(None, buf.getvalue(), pages, font.label, font.embedded, fp, notes, builder.cols)


def write_pdf(
    form: Form,
    out_path: StrPath,
    *,
    source_name: str | None = None,
    font_path: str | None = None,
    now: datetime | None = None,
    draft: bool = False,
    font: FontChoice | None = None,
) -> PdfResult:
    """Write the PDF atomically (a reader holding the old file open never sees half a file)."""
    result = render_pdf(form, source_name=source_name, font_path=font_path, now=now, draft=draft, font=font)
    try:
        atomic_write_bytes(out_path, result.data, backup=False)
    except OSError as e:
        raise PdfError(write_failure(Path(out_path), e, "PDF 阅读器")) from None
    result.path = os.fspath(out_path)
    return result
