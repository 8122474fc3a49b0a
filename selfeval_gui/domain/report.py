"""The 自评报告's content: the figures, tables and missed indicators the program fills in under the outline's
headings, computed from the form as the rules compute them (the same numbers as `check --json` and the PDF),
and the report's findings.  Qt-free; files/report/docx_report.py lays it out as Word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.report_outline import Outline, Section, outline_of_template
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.scoring import Evaluation, IndicatorResult, evaluate

# What a clerk writes where there is nothing to say; where an indicator was missed it says nothing.
PLACEHOLDERS = frozenset({"无", "暂无", "没有", "无。", "暂无。", "/", "-", "—", "略", "见附表", "同上"})


@dataclass(frozen=True)
class Figures:
    """The form's numbers as text, formatted the way the rule set shows them ("" where none)."""

    initial: str  # 年度资金总额: 年初预算数
    budget: str  # 全年预算数
    executed: str  # 全年执行数
    rate: str  # 执行率 as shown (99%)
    budget_weight: str
    budget_score: str  # the rules' budget 得分
    total_weight: str
    total_score: str  # the rules' 总分, after any cap
    grade: str
    level1: tuple[tuple[str, str, str], ...] = ()  # (一级, 分值, 得分) in the form's order


@dataclass(frozen=True)
class IndicatorLine:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: str
    score: str  # the rules' score (computed, or the entered one held to what the rules allow)
    deviation: str


@dataclass
class ReportContent:
    """Everything the report prints: the outline, the figures, the indicator lines, the missed ones, and the
    clerk's text of each section."""

    outline: Outline
    title: str
    form: Form
    figures: Figures
    indicators: list[IndicatorLine] = field(default_factory=list)
    missed: list[IndicatorLine] = field(default_factory=list)

    def text(self, section: Section) -> str:
        return self.form.report.get(section.key, "")


def _amount(value: Decimal | None) -> str:
    return fmt_decimal(value) if value is not None else ""


def figures(form: Form, ev: Evaluation) -> Figures:
    rs = ev.rule_set
    total = form.fund("total")
    by_level1: dict[str, Decimal] = {}
    for r in ev.indicators:
        if r.excluded or r.effective is None:
            continue
        name = form.tree[r.path[0]].name
        by_level1[name] = by_level1.get(name, Decimal(0)) + r.effective
    places = rs.indicator_score_places
    level1 = tuple(
        (l1.name, fmt_decimal(ev.level1_weights.get(l1.name)), rs.fmt(by_level1.get(l1.name), places))
        for l1 in form.tree
        if l1.name in ev.level1_weights or l1.name in by_level1
    )
    return Figures(
        initial=_amount(total.initial),
        budget=_amount(total.budget),
        executed=_amount(total.executed),
        rate=ev.rate_text,
        budget_weight=_amount(form.budget_weight),
        budget_score=rs.fmt(ev.budget_score, rs.budget_score_places),
        total_weight=fmt_decimal(ev.total_weight),
        total_score=rs.fmt(ev.total_score, rs.total_places),
        grade=ev.grade or "",
        level1=level1,
    )


def fell_short(r: IndicatorResult) -> bool:
    """An indicator whose target was not reached or that scored below its 分值 (not one beaten by far)."""
    w, s = r.indicator.weight, r.effective
    return not r.excluded and (r.missed or (w is not None and s is not None and s < w))


def _line(form: Form, ev: Evaluation, r: IndicatorResult) -> IndicatorLine:
    rs, ind = ev.rule_set, r.indicator
    l1 = form.tree[r.path[0]]
    return IndicatorLine(
        l1.name,
        l1.children[r.path[1]].name,
        ind.name,
        ind.target,
        ind.actual,
        _amount(ind.weight),
        rs.fmt(r.effective, rs.indicator_score_places),
        ind.deviation,
    )


def report_content(form: Form, ev: Evaluation | None = None, outline: Outline | None = None) -> ReportContent:
    ev = ev or evaluate(form)
    outline = outline or outline_of_template(template_of(form))
    rows = [r for r in ev.indicators if not r.indicator.is_blank()]
    return ReportContent(
        outline=outline,
        title=outline.heading(form.project_name),
        form=form,
        figures=figures(form, ev),
        indicators=[_line(form, ev, r) for r in rows],
        missed=[_line(form, ev, r) for r in rows if fell_short(r)],
    )


# ---------------------------------------------------------------- how far the clerk has got


REPORT_NOT_BEGUN, REPORT_PARTLY, REPORT_WRITTEN = "未写", "未写完", "已写"


def report_state(form: Form, outline: Outline | None = None) -> str:
    """未写 (no section has text), 已写 (every required section has text) or 未写完 — for the 项目一览."""
    if not any(form.report.values()):
        return REPORT_NOT_BEGUN
    outline = outline or outline_of_template(template_of(form))
    required = [s for s in outline.sections if s.required]
    return REPORT_WRITTEN if all(form.report.get(s.key, "").strip() for s in required) else REPORT_PARTLY


@dataclass(frozen=True)
class ReportProblem:
    level: str  # "error" | "warning" (checks.ERROR / WARNING)
    section: Section
    message: str


def count_chars(text: str) -> int:
    """字数 as Word counts Chinese text: every character but spaces and line breaks."""
    return sum(1 for c in text if not c.isspace())


def report_problems(form: Form, ev: Evaluation, outline: Outline | None = None) -> list[ReportProblem]:
    """Once the clerk has begun the report: a required section left empty (warning), a text over its limit
    (error), a placeholder (无, 暂无) where an indicator fell short (warning)."""
    if not any(form.report.values()):
        return []  # the report is not begun: the form alone is judged
    outline = outline or outline_of_template(template_of(form))
    short = any(fell_short(r) for r in ev.indicators if not r.indicator.is_blank())
    out = []
    for s in outline.sections:
        text = form.report.get(s.key, "").strip()
        n = count_chars(text)
        if s.required and not text:
            out.append(ReportProblem("warning", s, f"“{s.title}”还没有写。"))
        if s.limit and n > s.limit:
            out.append(ReportProblem("error", s, f"“{s.title}”有 {n} 字，超过了 {s.limit} 字的上限。"))
        if text in PLACEHOLDERS and short and (s.required or s.auto == "missed"):
            out.append(
                ReportProblem("warning", s, f"有指标未完成，“{s.title}”却只写了“{text}”：请写明原因、问题或措施。")
            )
    return out


def report_where(section: Section) -> str:
    return f"{words.REPORT_WORD} › {section.title}"
