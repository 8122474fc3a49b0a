"""A unit's year: one row per project for the 项目一览 and the 汇总表, their totals and grade counts, and next
year's draft made from this year's form.

Every figure of a row comes from scoring.evaluate and checks.check of that one form (the same functions the
window, the PDF and the command line use), and the overall 执行率 of the 合计 row from scoring.RATE_RULE, so a
project's numbers in the list are the numbers of its own form.  No Qt, no files.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from selfeval_gui.domain.checks import WARNING, Finding, check, errors_of
from selfeval_gui.domain.form import Form, FundRow
from selfeval_gui.domain.numbers import fmt_percent
from selfeval_gui.domain.report import report_state
from selfeval_gui.domain.report_outline import outline_of_template
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.scoring import RATE_RULE, Evaluation, evaluate
from selfeval_gui.domain.vocabulary import (
    COMPUTED_TOTAL,
    DRAFT_WORD,
    ENTERED_TOTAL,
    FINAL_WORD,
    FUND_COLUMN_LABELS,
    HEADER_LABELS,
    RATE,
    TOTAL_GRADE,
    YEAR,
)

log = logging.getLogger(__name__)

ZERO = Decimal(0)
CHANGED_SINCE_FINAL = f"{FINAL_WORD}（内容已改动）"  # finalized, but the file no longer matches its fingerprint
TOTAL_ROW = "合计"
UNFILLED_WORD = "未填"  # shown instead of a grade: nothing of the year's results has been entered yet


def has_results(form: Form) -> bool:
    """Whether anything of how the year went has been entered (the rule is Form.has_results: exactly what
    next_year_form clears).  A form without any of it (the blank form, a next-year draft) is 未填: listed as
    such, not graded, and left out of the 汇总's counts, grade counts and 合计."""
    return form.has_results()


def status_of(form: Form) -> str:
    """草稿 or 定稿 as the form's file records it (定稿（内容已改动） when it was changed outside since)."""
    fin = form.finalized
    if fin is None:
        return DRAFT_WORD
    if form.changed_since_final():
        return CHANGED_SINCE_FINAL
    return FINAL_WORD


# The list's and the summary's columns: (key of ProjectRow / of the folder entry, heading).
SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    *((key, HEADER_LABELS[key]) for key in ("project_name", "department", "unit")),
    ("year", YEAR),
    *((key, FUND_COLUMN_LABELS[key]) for key in ("budget", "executed")),
    ("rate", RATE),
    ("entered_total", ENTERED_TOTAL),
    ("computed_total", COMPUTED_TOTAL),
    ("grade", TOTAL_GRADE),
)


@dataclass(frozen=True)
class ProjectRow:
    """One form as the 项目一览 and the 汇总表 show it."""

    project_name: str
    department: str
    unit: str
    year: int
    district: str
    budget: Decimal | None  # 年度资金总额 › 全年预算数
    executed: Decimal | None  # 年度资金总额 › 全年执行数
    rate: Decimal | None  # exact, None when it cannot be computed
    rate_text: str  # as the form's rule set shows it
    entered_total: Decimal  # the clerk's scores added up (checks compare the 总分 row with it)
    computed_total: Decimal | None  # the rules' 总分, rounded and capped as the rule set says
    total_places: int
    rate_places: int
    grade: str | None
    errors: int
    warnings: int
    fund_note: str  # 资金执行偏差说明
    note_below: Decimal  # the rule set's rate below which a note is needed (0.9)
    report: str = ""  # the 自评报告: 未写 / 未写完 / 已写 (domain/report.report_state)
    unfilled: bool = False  # 未填 (not has_results): no grade, out of the totals and grade counts

    @property
    def low_execution(self) -> bool:
        return not self.unfilled and self.rate is not None and self.rate < self.note_below

    @property
    def grade_text(self) -> str:
        """The grade as the list and the 汇总 show it: 未填 for a form not filled yet."""
        return UNFILLED_WORD if self.unfilled else (self.grade or "")


def project_row(form: Form, ev: Evaluation | None = None, findings: list[Finding] | None = None) -> ProjectRow:
    """The row of one form, from its own evaluation and findings."""
    ev = ev or evaluate(form)
    findings = check(form, ev) if findings is None else findings
    total = form.fund("total")
    rs = ev.rule_set
    unfilled = not has_results(form)
    return ProjectRow(
        project_name=form.project_name,
        department=form.department,
        unit=form.unit,
        year=form.year,
        district=form.district,
        budget=total.budget,
        executed=total.executed,
        rate=ev.rate,
        rate_text=ev.rate_text,
        entered_total=ev.entered_total_score,
        computed_total=ev.total_score,
        total_places=rs.total_places,
        rate_places=rs.rate_places,
        grade=None if unfilled else ev.grade,
        errors=len(errors_of(findings)),
        warnings=sum(1 for f in findings if f.level == WARNING),
        fund_note=form.fund_note,
        note_below=rs.execution_note_below,
        report=report_state(form),
        unfilled=unfilled,
    )


def summary_order(rows: Iterable[ProjectRow]) -> list[ProjectRow]:
    """The 汇总表's order: by 主管部门, then 项目名称."""
    return sorted(rows, key=lambda r: (r.department, r.project_name))


@dataclass(frozen=True)
class Totals:
    budget: Decimal
    executed: Decimal
    rate: Decimal | None  # Σ 全年执行数 ÷ Σ 全年预算数, by RATE_RULE

    def rate_text(self, places: int) -> str:
        return fmt_percent(self.rate, places) if self.rate is not None else ""


def totals(rows: Iterable[ProjectRow]) -> Totals:
    """The 合计 row: the sums of the amounts (blanks count 0) and the overall rate computed by the same rule as
    one form's 执行率 (the workbook's formula is written from that rule too).  未填 rows are left out."""
    rows = [r for r in rows if not r.unfilled]
    budget = sum((r.budget for r in rows if r.budget is not None), ZERO)
    executed = sum((r.executed for r in rows if r.executed is not None), ZERO)
    return Totals(budget, executed, RATE_RULE.of(FundRow("total", budget=budget, executed=executed)))


GRADE_ORDER = ("优", "良", "中", "差")


def grade_counts(rows: Iterable[ProjectRow]) -> dict[str, int]:
    """How many projects got 优 / 良 / 中 / 差 (a grade a rule set adds is counted after them); 未填 rows have none."""
    counts = dict.fromkeys(GRADE_ORDER, 0)
    for r in rows:
        if r.grade is not None and not r.unfilled:
            counts[r.grade] = counts.get(r.grade, 0) + 1
    return counts


def low_execution(rows: Iterable[ProjectRow]) -> list[ProjectRow]:
    """Projects whose 执行率 is below the rule set's limit (90%), in the summary's order."""
    return [r for r in summary_order(rows) if r.low_execution]


# ---------------------------------------------------------------- next year's draft


def next_year_form(form: Form, year: int | None = None) -> Form:
    """This year's draft from last year's form: the header, 预期目标, the indicator tree with names, targets and
    分值, the rule set, the 年初/全年预算数 and 分值 of the budget row are kept; everything that records how the
    year went — 全年执行数, 资金执行偏差说明, 实际完成情况, 实际完成值, 得分, 完成等级, 偏差原因, the 总分 row,
    the 填写日期 — is cleared.  A finalization is not part of the Form, so a draft never carries one."""
    new = copy.deepcopy(form)
    new.year = form.year + 1 if year is None else year
    for row in new.funds:
        row.executed = None
    new.budget_score = None
    new.fund_note = ""
    new.goal_actual = ""
    for ind in new.indicators():
        ind.actual = ""
        ind.score = None
        ind.grade = None
        ind.deviation = ""
    new.stated_total_weight = None
    new.stated_total_score = None
    new.fill_date = ""
    outline = outline_of_template(template_of(new))
    new.report = {k: v for k, v in form.report.items() if (s := outline.section(k)) is not None and s.keep_next_year}
    return new
