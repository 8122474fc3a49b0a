"""The workbook as a 草稿 or a 正式 copy (issue 15), applied to a sheet xlsx_export has written.

草稿: the page header says 草稿 on every printed page, and each 得分 cell whose entered score differs from the
rules' (scoring.score_differs) carries a note (批注) with the rules' score and its working, beside the cell,
as the draft PDF prints "（应为…）".  正式: nothing added but the footer's mark — 定稿 and the fingerprint when
the form was finalized and its content still has that fingerprint.
"""

from __future__ import annotations

import logging
from typing import Any

from openpyxl.comments import Comment

from selfeval_gui.domain.form import Form
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.scoring import evaluate, score_differs
from selfeval_gui.domain.vocabulary import DRAFT_WORD
from selfeval_gui.files.formfile import fingerprint

log = logging.getLogger(__name__)

AUTHOR = "自评表填报工具"
NOTE_SIZE = (90, 260)  # height, width of a note box in points


def _note(text: str) -> Comment:
    c = Comment(text, AUTHOR)
    c.height, c.width = NOTE_SIZE
    return c


def mark_draft(
    ws: Any, form: Form, score_cells: dict[tuple[int, int, int], str], budget_cell: str, total_cell: str
) -> int:
    """Header 草稿 and a note on each 得分 cell where the rules give another score; returns the notes added."""
    ws.oddHeader.center.text = DRAFT_WORD
    ws.oddHeader.center.size = 16
    ev = evaluate(form)
    rs = ev.rule_set
    notes = 0
    for r in ev.indicators:
        cell = score_cells.get(r.path)
        if cell and score_differs(r.indicator.score, r.computed):
            ws[cell].comment = _note(f"应为 {fmt_decimal(r.computed, rs.indicator_score_places)}（{r.explanation}）")
            notes += 1
    if budget_cell and score_differs(form.budget_score, ev.budget_score):
        ws[budget_cell].comment = _note(
            f"填报 {fmt_decimal(form.budget_score)}；按执行率计算为 "
            f"{fmt_decimal(ev.budget_score, rs.budget_score_places)}"
            f"（{ev.budget_explanation}）"
        )
        notes += 1
    if total_cell and score_differs(ev.column_total, ev.total_score):
        ws[total_cell].comment = _note(f"按规则计算的总分应为 {fmt_decimal(ev.total_score, rs.total_places)}")
        notes += 1
    return notes


def mark_final(ws: Any, form: Form) -> None:
    """A finalized form's final copy: 定稿 and the fingerprint in the footer, as on the PDF."""
    fp = fingerprint(form)
    if form.finalized is not None and form.finalized.fingerprint == fp:
        ws.oddFooter.left.text = f"定稿　指纹：{fp}"
        ws.oddFooter.left.size = 8
