"""The 自评报告 of one form, and of a unit's folder, as a .docx: the outline's headings in order, under each the
part the program fills in from the form (domain/report.py: the same figures as `check --json` and the PDF) and
the clerk's text.  A draft says 草稿 in its page header; a finalized form's footer carries 定稿 and the content
fingerprint, like the PDF's.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.report import IndicatorLine, ReportContent, report_content
from selfeval_gui.domain.report_outline import Section
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.domain.yearbook import ProjectRow, grade_counts, project_row, totals
from selfeval_gui.files.atomic import atomic_write_bytes
from selfeval_gui.files.formfile import fingerprint

log = logging.getLogger(__name__)

UNFILLED = "（未填写）"
NO_MISSED = "各项绩效指标均已完成，没有未完成的绩效目标。"
INDICATOR_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
INDICATOR_WIDTHS = [1.7, 1.9, 3.0, 3.0, 3.0, 1.4, 1.6]  # cm: 15.6, the text width of A4 with 公文 margins
CHINESE_NUMBERS = "一二三四五六七八九十"


def _new_document() -> Any:
    from docx import Document  # python-docx: only when a report is written

    from selfeval_gui.files.report import word_style

    doc = Document()
    word_style.page_setup(doc)
    return doc


def _marks(form: Form, draft: bool) -> tuple[str, str]:
    """The page header and the footer's words: 草稿 on a draft, 定稿 and the fingerprint on a finalized form."""
    fin = form.finalized
    if draft or fin is None:
        return f"{words.DRAFT_WORD}（未定稿，仅供核对）" if draft else "", f"指纹 {fingerprint(form)}"
    return "", f"{words.FINAL_WORD} {fin.shown_at}  指纹 {fin.fingerprint}"


def _ordinal(n: int) -> str:
    return f"（{CHINESE_NUMBERS[n] if n < len(CHINESE_NUMBERS) else n + 1}）"


# ---------------------------------------------------------------- the parts the program fills in


def _basics(doc: Any, c: ReportContent) -> None:
    from selfeval_gui.files.report import word_style as ws

    f, form = c.figures, c.form
    ws.labelled(
        doc,
        "项目名称：",
        f"{form.project_name}；主管部门：{form.department}；实施单位：{form.unit}；项目负责人：{form.leader}。",
    )
    ws.labelled(
        doc,
        "资金情况：",
        f"年初预算数 {f.initial or '—'} 万元，全年预算数 {f.budget or '—'} 万元，全年执行数 {f.executed or '—'} 万元，"
        f"执行率 {f.rate or '—'}。",
    )


def _indicator_table(doc: Any, lines: Sequence[IndicatorLine]) -> None:
    from selfeval_gui.files.report import word_style as ws

    rows = [[x.level1, x.level2, x.name, x.target, x.actual, x.weight, x.score] for x in lines]
    ws.table(doc, INDICATOR_HEADER, rows, INDICATOR_WIDTHS)


def _goals(doc: Any, c: ReportContent) -> None:
    from selfeval_gui.files.report import word_style as ws

    ws.labelled(doc, "年度总体目标：", c.form.goal_expected or "—")
    ws.labelled(doc, "绩效指标：", f"共 {len(c.indicators)} 项，见下表。")
    _indicator_table(doc, c.indicators)


def _execution(doc: Any, c: ReportContent) -> None:
    from selfeval_gui.files.report import word_style as ws

    f = c.figures
    ws.labelled(
        doc,
        "预算执行：",
        f"全年预算数 {f.budget or '—'} 万元，全年执行数 {f.executed or '—'} 万元，执行率 {f.rate or '—'}，"
        f"得分 {f.budget_score or '—'}（分值 {f.budget_weight or '—'}）。",
    )
    if c.form.goal_actual:
        ws.labelled(doc, "总体目标完成情况：", c.form.goal_actual)
    for name, weight, score in f.level1:
        ws.labelled(doc, f"{name}：", f"分值 {weight or '—'}，得分 {score or '—'}。")


def _conclusion(doc: Any, c: ReportContent) -> None:
    from selfeval_gui.files.report import word_style as ws

    f = c.figures
    ws.labelled(doc, "自评得分：", f"总分 {f.total_score or '—'}（满分 {f.total_weight}），等级“{f.grade or '—'}”。")


def _missed(doc: Any, c: ReportContent) -> None:
    from selfeval_gui.files.report import word_style as ws

    if not c.missed:
        ws.body(doc, NO_MISSED)
        return
    for n, x in enumerate(c.missed):
        ws.heading(doc, f"{_ordinal(n)}{x.name}", 2)
        ws.body(
            doc,
            f"年度指标值 {x.target or '—'}，实际完成值 {x.actual or '—'}，"
            f"得分 {x.score or '—'}（分值 {x.weight or '—'}）。",
        )
        ws.labelled(doc, "偏差原因：", x.deviation or "（未填写）")


AUTO_WRITERS = {
    "basics": _basics,
    "goals": _goals,
    "execution": _execution,
    "conclusion": _conclusion,
    "missed": _missed,
}


def _section(doc: Any, c: ReportContent, s: Section, draft: bool) -> None:
    from selfeval_gui.files.report import word_style as ws

    ws.heading(doc, s.title, 1)
    if s.auto:
        AUTO_WRITERS[s.auto](doc, c)
    text = c.text(s).strip()
    if text:
        ws.body(doc, text)
    elif draft and not s.auto:
        ws.body(doc, UNFILLED, grey=True)


def report_document(form: Form, *, draft: bool) -> Any:
    """The report of one form as a python-docx Document."""
    from selfeval_gui.files.report import word_style as ws

    c = report_content(form)
    doc = _new_document()
    ws.header_and_footer(doc, *_marks(form, draft))
    ws.title(doc, c.title)
    for s in c.outline.sections:
        _section(doc, c, s, draft)
    return doc


def _bytes(doc: Any) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def report_bytes(form: Form, *, draft: bool | None = None) -> bytes:
    """The .docx of the 自评报告.  draft None: a draft unless the form is finalized."""
    return _bytes(report_document(form, draft=form.finalized is None if draft is None else draft))


def write_report(form: Form, path: Path, *, draft: bool | None = None) -> None:
    """The 自评报告 of `form` at `path`, written whole or not at all."""
    atomic_write_bytes(Path(path), report_bytes(form, draft=draft), backup=False)


# ---------------------------------------------------------------- a unit's report: a section per project


def unit_report_document(forms: Sequence[Form], unit: str) -> Any:
    """One report for the unit: the totals and grade counts (as the 汇总 counts them), then each project."""
    from selfeval_gui.files.report import word_style as ws

    rows: list[ProjectRow] = [project_row(f, evaluate(f)) for f in forms]
    doc = _new_document()
    ws.header_and_footer(doc, "", "")
    ws.title(doc, f"{unit}项目支出绩效自评报告（汇总）")
    ws.heading(doc, "一、总体情况", 1)
    t = totals(rows)
    places = rows[0].rate_places if rows else 0
    counts = "，".join(f"{g} {n} 个" for g, n in grade_counts(rows).items())
    ws.body(
        doc,
        f"本单位共 {len(rows)} 个项目开展了绩效自评。全年预算数合计 {t.budget} 万元，全年执行数合计 {t.executed} 万元，"
        f"总体执行率 {t.rate_text(places) or '—'}。自评等级：{counts}。",
    )
    ws.heading(doc, "二、各项目自评情况", 1)
    for n, form in enumerate(forms):
        c = report_content(form)
        ws.heading(doc, f"{_ordinal(n)}{form.project_name or '（未填项目名称）'}", 2)
        _basics(doc, c)
        _conclusion(doc, c)
        for s in c.outline.sections:
            if s.auto in ("conclusion", "missed") and c.text(s).strip():
                ws.labelled(doc, f"{s.title.split('、', 1)[-1]}：", c.text(s).strip())
        if c.missed:
            ws.labelled(
                doc, "未完成的指标：", "；".join(f"{x.name}（偏差原因：{x.deviation or '未填写'}）" for x in c.missed)
            )
    return doc


def write_unit_report(forms: Sequence[Form], path: Path, unit: str) -> None:
    atomic_write_bytes(Path(path), _bytes(unit_report_document(forms, unit)), backup=False)
