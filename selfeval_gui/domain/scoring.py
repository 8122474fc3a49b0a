"""Scoring as a pure function of the form and its rule set: evaluate(form) -> Evaluation.

Inputs are never rounded; each computed value is rounded once, where it is shown, as the rule set says.
The clerk's entered scores are kept beside the computed ones: `effective` uses the computed score where the
rule can compute one and the clerk's own where it cannot (qualitative or unparseable targets).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from selfeval_gui.domain.form import GRADE_SHORT, Form, FundRow, Indicator
from selfeval_gui.domain.numbers import fmt_decimal, fmt_percent
from selfeval_gui.domain.row_kinds import settle
from selfeval_gui.domain.rules import RuleSet, rule_set_or_default, template_of
from selfeval_gui.domain.targets import (
    EQUAL,
    EXCLUDED,
    HIGHER,
    LOWER,
    RANGE,
    Actual,
    Target,
    on_time,
    parse_actual,
    parse_date,
    parse_target,
    with_nature,
)
from selfeval_gui.domain.template_fields import TemplateOptions

log = logging.getLogger(__name__)

ZERO = Decimal(0)


@dataclass
class IndicatorResult:
    path: tuple[int, int, int]
    indicator: Indicator
    target: Target
    actual: Actual | None
    computed: Decimal | None = None  # rounded as the rule set says; None when the rule cannot compute
    exact: Decimal | None = None
    explanation: str = ""  # how the computed score was reached, e.g. "14 ÷ 30 × 10 = 4.67"
    missed: bool = False  # target not reached
    over: bool = False  # target beaten by the over-achievement threshold or more
    band: tuple[Decimal, Decimal] | None = None  # allowed score range for a graded qualitative indicator
    over_threshold: Decimal = ZERO  # the rule set's over-achievement margin, for the finding's sentence
    # Where the rule computes nothing: the entered score held to what the rules allow (0..分值 and the grade's
    # band), which is what the computed total counts; None when nothing was entered.
    counted: Decimal | None = None
    excluded: bool = False  # marked "/" or 不适用: no 分值, not in the totals
    # Row kinds (domain/row_kinds.py): a breakdown row (其中: no score, not in the totals), how many breakdown rows
    # a row has and the names of those missed, the target read from the 三级 name where the 年度指标值 is empty.
    breakdown: bool = False
    parts: int = 0
    missed_parts: tuple[str, ...] = ()
    name_target: str = ""

    @property
    def effective(self) -> Decimal | None:
        return self.computed if self.computed is not None else self.counted

    @property
    def needs_note(self) -> bool:
        if self.breakdown:
            return False  # a missed breakdown row asks its parent for the note (missed_parts)
        w, s = self.indicator.weight, self.effective
        return self.missed or self.over or bool(self.missed_parts) or (w is not None and s is not None and s < w)


@dataclass
class Evaluation:
    rule_set: RuleSet
    rate: Decimal | None  # exact 全年执行数 ÷ 全年预算数
    rate_text: str  # as the rule set shows it, e.g. "99%"
    budget_exact: Decimal | None
    budget_score: Decimal | None  # rounded
    budget_explanation: str
    indicators: list[IndicatorResult] = field(default_factory=list)
    total_weight: Decimal = ZERO
    total_score: Decimal | None = None  # rounded, after any execution-rate cap
    uncapped_total: Decimal | None = None
    cap: Decimal | None = None
    entered_total_score: Decimal = ZERO
    grade: str | None = None
    level1_weights: dict[str, Decimal] = field(default_factory=dict)
    budget_entered: Decimal | None = None  # the budget 得分 the clerk wrote
    missing_rule_set: str = ""  # the form names a rule set that is not installed; scored with rule_set instead
    _by_path: dict[tuple[int, int, int], IndicatorResult] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def column_total(self) -> Decimal:
        """The 得分 column as the paper shows it: each entered score, the computed one where none was entered."""
        budget = self.budget_entered if self.budget_entered is not None else self.budget_score
        total = budget or ZERO
        for r in self.indicators:
            if r.excluded or r.breakdown:
                continue
            s = r.indicator.score if r.indicator.score is not None else r.computed
            total += s or ZERO
        return total

    def result_at(self, path: tuple[int, int, int]) -> IndicatorResult | None:
        # an index built on first use: a search per call made the PDF of 4,000 indicators quadratic
        if len(self._by_path) != len(self.indicators):
            self._by_path = {r.path: r for r in self.indicators}
        return self._by_path.get(path)


def _n(v: Decimal | None) -> str:
    return fmt_decimal(v)


@dataclass(frozen=True)
class RateRule:
    """执行率 = numerator ÷ denominator of a 项目资金 row; no rate when either is blank or the denominator is 0.

    The one description of the rule: scoring computes with it and the workbook's formulas are written from it
    (files/xlsx_formulas.py), so the two cannot drift apart.
    """

    numerator: str = "executed"  # FundRow attribute: 全年执行数
    denominator: str = "budget"  # FundRow attribute: 全年预算数

    def of(self, row: FundRow) -> Decimal | None:
        num: Decimal | None = getattr(row, self.numerator)
        den: Decimal | None = getattr(row, self.denominator)
        if den is None or den == 0 or num is None:
            return None
        return num / den


RATE_RULE = RateRule()


def fund_row_rate(row: FundRow) -> Decimal | None:
    """执行率 of one 项目资金 row (the paper form shows it for the sub-rows too); None when it cannot be computed."""
    return RATE_RULE.of(row)


def execution_rate(form: Form) -> Decimal | None:
    """The form's 执行率: the rate of 年度资金总额."""
    return RATE_RULE.of(form.fund("total"))


def budget_score_exact(rate: Decimal, weight: Decimal) -> Decimal:
    """预算执行得分 before rounding: 执行率 × 分值, never above 分值 (the workbook's MIN(rate×w, w))."""
    return min(rate * weight, weight)


def rates_agree(stated: Decimal, rate: Decimal, rs: RuleSet) -> bool:
    """A rate written on a form (as a fraction) agrees with the computed one at the precision the rule set shows."""
    places = rs.rate_places + 2
    return rs.round(stated, places) == rs.round(rate, places)


def score_differs(entered: Decimal | None, computed: Decimal | None) -> bool:
    """The clerk's score and the rules' score are both there and not the same: the cell is marked, a finding made."""
    return entered is not None and computed is not None and entered != computed


Path = tuple[int, int, int]


def _score_qualitative(res: IndicatorResult, rs: RuleSet) -> None:
    """A qualitative target: the clerk's grade gives the band the score must fall in."""
    ind, w = res.indicator, res.indicator.weight
    if ind.grade in rs.qualitative_bands and w is not None:
        lo, hi = rs.qualitative_bands[ind.grade]
        res.band = (lo * w, hi * w)
        res.missed = ind.grade != "achieved"
        res.explanation = f"定性指标，完成等级“{GRADE_SHORT[ind.grade]}”：得分应在 {_n(lo * w)}～{_n(hi * w)} 之间"
    else:
        res.explanation = f"{res.target.describe()}，按填报得分计"


def _score_higher(res: IndicatorResult, rs: RuleSet, a: Decimal, t: Decimal, w: Decimal) -> Decimal:
    """Higher is better (also ranges, against their lower bound, and plain numbers)."""
    if a >= t:
        res.explanation = f"{_n(a)} ≥ {_n(t)}，得满分 {_n(w)}"
        top = res.target.high if res.target.kind == RANGE and res.target.high is not None else t
        res.over = top > 0 and a >= top * (1 + rs.over_achievement) and rs.asks_over_note(res.target.kind)
        return w
    res.missed = True
    exact = a / t * w if t else ZERO
    res.explanation = f"{_n(a)} ÷ {_n(t)} × {_n(w)} = {fmt_decimal(exact, rs.indicator_score_places)}"
    return exact


def _score_lower(res: IndicatorResult, rs: RuleSet, a: Decimal, t: Decimal, w: Decimal) -> Decimal:
    """Lower is better: the rule set picks the ratio or the linear rule for a missed target."""
    places = rs.indicator_score_places
    if a <= t:
        res.explanation = f"{_n(a)} ≤ {_n(t)}，得满分 {_n(w)}"
        res.over = t > 0 and a <= t * (1 - rs.over_achievement) and rs.asks_over_note(LOWER)
        return w
    res.missed = True
    if t == 0:
        res.explanation = f"目标为0，实际 {_n(a)}，得0分"
        return ZERO
    if rs.reverse_rule == "ratio":
        exact = t / a * w
        res.explanation = f"{_n(t)} ÷ {_n(a)} × {_n(w)} = {fmt_decimal(exact, places)}"
        return exact
    exact = max(ZERO, (1 - (a - t) / t) * w)
    res.explanation = f"(1 − ({_n(a)} − {_n(t)}) ÷ {_n(t)}) × {_n(w)} = {fmt_decimal(exact, places)}"
    return exact


def allowed_score(entered: Decimal, weight: Decimal | None, band: tuple[Decimal, Decimal] | None) -> Decimal:
    """An entered score held to what the rules allow: 0 to 分值, and inside the chosen grade's band."""
    lo, hi = ZERO, weight
    if band is not None:
        lo, hi = max(lo, band[0]), band[1] if hi is None else min(hi, band[1])
    held = max(entered, lo)
    return held if hi is None else min(held, hi)


def _count_entered(res: IndicatorResult) -> None:
    """No computable score: the total counts the entered one, clamped, and the explanation says so."""
    entered = res.indicator.score
    if res.computed is not None or entered is None or res.excluded:
        return
    res.counted = allowed_score(entered, res.indicator.weight, res.band)
    if res.counted != entered:
        res.explanation += f"；填报 {_n(entered)}，按规则计 {_n(res.counted)}"


def score_indicator(
    ind: Indicator, rs: RuleSet, path: Path = (0, 0, 0), columns: frozenset[str] | None = None
) -> IndicatorResult:
    """columns: the template's extra indicator columns; 指标性质 and 度量单位 are read only where the template has
    them (None: wherever they are filled)."""
    res = _score(ind, rs, path, columns)
    _count_entered(res)
    return res


def _score_deadline(res: IndicatorResult, rs: RuleSet) -> bool:
    """A date target as a deadline (when the rule set says so): done on or before it gets the full 分值; later is
    missed and counts the clerk's own score.  False when the target and the actual are not both one date."""
    ind = res.indicator
    if rs.date_targets != "deadline" or ind.weight is None:
        return False
    planned, done = parse_date(ind.target), parse_date(ind.actual)
    if planned is None or done is None:
        return False
    if on_time(done, planned):
        res.exact = ind.weight
        res.computed = rs.round(ind.weight, rs.indicator_score_places)
        res.explanation = f"计划 {planned.text()} 前完成，实际 {done.text()}，按时完成，得满分 {_n(ind.weight)}"
    else:
        res.missed = True
        res.explanation = f"计划 {planned.text()} 前完成，实际 {done.text()}，晚于计划，按填报得分计"
    return True


def indicator_target(ind: Indicator, columns: frozenset[str] | None = None) -> Target:
    """The row's 年度指标值 as scored: with its 指标性质 and 度量单位 where the template has those columns."""
    target = parse_target(ind.target)
    nature = ind.nature if columns is None or "nature" in columns else ""
    unit = ind.measure_unit if columns is None or "measure_unit" in columns else ""
    return with_nature(target, nature, unit) if nature or unit else target


def _score(ind: Indicator, rs: RuleSet, path: Path, columns: frozenset[str] | None = None) -> IndicatorResult:
    target = indicator_target(ind, columns)
    actual = parse_actual(ind.actual)
    res = IndicatorResult(path, ind, target, actual, over_threshold=rs.over_achievement)
    w = ind.weight
    if target.kind == EXCLUDED:
        res.excluded = True
        res.explanation = "标为不适用，不计分值，不计入总分"
        return res
    if _score_deadline(res, rs):
        return res
    if not target.quantitative or target.value is None:
        _score_qualitative(res, rs)
        return res
    if w is None:
        res.explanation = "未填分值，无法计算"
        return res
    if actual is None:
        res.explanation = "实际完成值中找不到唯一的数值，按填报得分计"
        return res
    a, t = actual.value, target.value
    if target.percent and not actual.percent and a <= 1:
        a = a * 100  # 0.95 against 90% means 95%
    if target.kind in (HIGHER, RANGE, EQUAL):
        res.exact = _score_higher(res, rs, a, t, w)
    elif target.kind == LOWER:
        res.exact = _score_lower(res, rs, a, t, w)
    if res.exact is not None:
        res.computed = rs.round(res.exact, rs.indicator_score_places)
    return res


Scorer = Callable[[Indicator, RuleSet, Path, frozenset[str] | None], IndicatorResult]


class ScoreCache:
    """Memoises score_indicator for an editor that re-evaluates after every keystroke-sized edit.

    Scoring an indicator is a pure function of its inputs, so a result is reused while the indicator
    object, its place and every input the rule reads are unchanged.  Pass as evaluate(form, scorer=cache).
    """

    def __init__(self, limit: int = 20000):
        self._memo: dict[tuple[object, ...], IndicatorResult] = {}
        self._limit = limit

    def __call__(
        self, ind: Indicator, rs: RuleSet, path: Path = (0, 0, 0), columns: frozenset[str] | None = None
    ) -> IndicatorResult:
        key: tuple[object, ...] = (id(ind), rs.id, path, ind.target, ind.actual, str(ind.weight), str(ind.score))
        key += (ind.grade, ind.nature, ind.measure_unit, columns)
        hit = self._memo.get(key)
        if hit is not None and hit.indicator is ind:
            return hit
        if len(self._memo) >= self._limit:
            self._memo.clear()
        res = self._memo[key] = score_indicator(ind, rs, path, columns)
        return res


def _budget(form: Form, rs: RuleSet, rate: Decimal | None) -> tuple[Decimal | None, Decimal | None, str]:
    """预算执行得分: (exact, rounded, how it was reached)."""
    w = form.budget_weight
    if rate is None:
        return None, None, "全年预算数为空或为0，无法计算执行率"
    if w is None:
        return None, None, "未填预算执行率分值"
    used = rs.scoring_rate(rate)
    exact = budget_score_exact(used, w)
    score = rs.round(exact, rs.budget_score_places)
    total = form.fund("total")
    explain = (
        f"{_n(total.executed)} ÷ {_n(total.budget)} = {fmt_percent(rate, 2)}；"
        + (
            f"执行率按 {rs.rate_text(rate)} 计；{rs.rate_text(rate)} × {_n(w)} = {fmt_decimal(used * w, 2)}"
            if rs.score_on_shown_rate
            else f"{fmt_percent(rate, 2)} × {_n(w)} = {fmt_decimal(rate * w, 2)}"
        )
        + ("（不超过分值）" if used * w > w else "")
        + (f" → {_n(score)}" if rs.budget_score_places < 2 or rs.rounding != "half_up" else "")
    )
    return exact, score, explain


def form_rule_set(form: Form) -> tuple[RuleSet, str]:
    """The form's rule set and "" — or, when it is not installed, the template's (or the default) and its id."""
    rs, found = rule_set_or_default(form.rule_set, template_of(form).rule_set)
    return rs, "" if found else form.rule_set


def evaluate(form: Form, rule_set: RuleSet | None = None, *, scorer: Scorer | None = None) -> Evaluation:
    """scorer: score_indicator by default; a ScoreCache gives the same results faster on repeat calls.
    rule_set: score under another rule set than the form names (`check --rule-set`)."""
    scorer = scorer or score_indicator
    missing = ""
    if rule_set is None:
        rule_set, missing = form_rule_set(form)
    rs = rule_set
    rate = execution_rate(form)
    budget_exact, budget_score, explain = _budget(form, rs, rate)
    ev = Evaluation(rs, rate, rs.rate_text(rate), budget_exact, budget_score, explain)
    ev.missing_rule_set = missing
    ev.budget_entered = form.budget_score
    total_weight = form.budget_weight or ZERO
    total_score = budget_score or ZERO
    entered = form.budget_score or ZERO
    columns = frozenset(key for key, _ in template_of(form).indicator_columns)
    rows = list(form.iter_indicators())
    results = [scorer(ind, rs, (i, j, k), columns) for i, j, k, _l1, _l2, ind in rows]
    results = settle(results, lambda ind, path: score_indicator(ind, rs, path, columns), rs)
    for (_i, _j, _k, l1, _l2, ind), r in zip(rows, results, strict=True):
        ev.indicators.append(r)
        if r.excluded or r.breakdown:
            continue
        if ind.weight is not None:
            total_weight += ind.weight
            ev.level1_weights[l1.name] = ev.level1_weights.get(l1.name, ZERO) + ind.weight
        if r.effective is not None:
            total_score += r.effective
        if ind.score is not None:
            entered += ind.score
    ev.total_weight = total_weight
    ev.entered_total_score = entered
    ev.uncapped_total = rs.round(total_score, rs.total_places)
    ev.cap = rs.cap_for(rate)
    ev.total_score = ev.uncapped_total if ev.cap is None else min(ev.uncapped_total, ev.cap)
    ev.grade = rs.grade_for(ev.total_score)
    options = template_of(form).options
    if options != TemplateOptions():
        apply_template_options(form, ev, options)
    return ev


# ---------------------------------------------------------------- the template's options (template_fields.py)


def _rate_row_result(r: IndicatorResult, rs: RuleSet, rate: Decimal | None) -> IndicatorResult:
    """The 预算执行率 row: scored from the funds' 执行率 by the budget rule (rate × 分值, never above 分值)."""
    w = r.indicator.weight
    if r.excluded:
        return r
    if rate is None or w is None:
        why = "全年预算数为空或为0，无法计算执行率" if rate is None else "未填分值，无法计算"
        res = replace(r, computed=None, exact=None, band=None, counted=None, explanation=f"{why}，按填报得分计")
        _count_entered(res)
        return res
    used = rs.scoring_rate(rate)
    exact = budget_score_exact(used, w)
    computed = rs.round(exact, rs.budget_score_places)
    how = f"执行率 {rs.rate_text(rate)} × {_n(w)} = {fmt_decimal(used * w, 2)}"
    how += "（不超过分值）" if used * w > w else ""
    return replace(
        r, computed=computed, exact=exact, band=None, counted=None, missed=rate < 1, over=False, explanation=how
    )


def _without_weight(r: IndicatorResult, rs: RuleSet, columns: frozenset[str], why: str) -> IndicatorResult:
    """A row with no 分值 of its own (no scores, or the 分值 on its heading): whether the target was missed or
    beaten far, found as if it had a 分值 of 1, so the deviation note is still asked for; no score computed."""
    if r.indicator.weight is not None or r.excluded or not r.target.quantitative:
        return r
    probe = _score(replace(r.indicator, weight=Decimal(1)), rs, r.path, columns)
    if probe.exact is None:
        return r
    return replace(r, missed=probe.missed, over=probe.over, explanation=f"{probe.explanation.split('，')[0]}，{why}")


def _unscored_result(r: IndicatorResult, rs: RuleSet, columns: frozenset[str]) -> IndicatorResult:
    """A template without 分值/得分: the row keeps its target, actual, missed and over, no score of any kind."""
    if r.computed is not None or r.exact is not None or r.band is not None or r.counted is not None:
        r = replace(r, computed=None, exact=None, band=None, counted=None, explanation=r.target.describe())
    return _without_weight(r, rs, columns, "本表不计分")


def _retotal(form: Form, ev: Evaluation, options: TemplateOptions) -> None:
    """The totals again after the options changed rows: the heading weights in place of the rows' 分值, the
    funds block out where it is unscored."""
    rs = ev.rule_set
    funds = options.funds_scored
    score = (ev.budget_score or ZERO) if funds else ZERO
    weight = (form.budget_weight or ZERO) if funds else ZERO
    entered = (form.budget_score or ZERO) if funds else ZERO
    for r in ev.indicators:
        if not r.excluded:
            score += r.effective or ZERO
            entered += r.indicator.score or ZERO
    if options.on_headings:
        ev.level1_weights = options.level1_weights()
        ev.total_weight = weight + options.total_weight()
    else:
        ev.total_weight = weight + sum(ev.level1_weights.values(), ZERO)
    ev.entered_total_score = entered
    ev.uncapped_total = rs.round(score, rs.total_places)
    ev.total_score = ev.uncapped_total if ev.cap is None else min(ev.uncapped_total, ev.cap)
    ev.grade = rs.grade_for(ev.total_score)


def apply_template_options(form: Form, ev: Evaluation, options: TemplateOptions) -> None:
    """Scores as the form's template says (README: weights_on, scored, execution_rate_row).  Rows are replaced,
    never changed in place: a ScoreCache hands the same result to the next evaluation."""
    columns = frozenset(key for key, _ in template_of(form).indicator_columns)
    if options.on_headings:
        why = "分值在上级指标上，按填报得分计"
        ev.indicators = [_without_weight(r, ev.rule_set, columns, why) for r in ev.indicators]
    if not options.scored:
        ev.indicators = [_unscored_result(r, ev.rule_set, columns) for r in ev.indicators]
        ev.budget_exact = ev.budget_score = ev.budget_entered = ev.total_score = ev.uncapped_total = ev.cap = None
        ev.grade, ev.total_weight, ev.entered_total_score = None, ZERO, ZERO
        ev.level1_weights = {}
        ev.budget_explanation = ""
        return
    if options.execution_rate_row:
        ev.indicators = [
            _rate_row_result(r, ev.rule_set, ev.rate) if options.is_rate_row(r.indicator.name) else r
            for r in ev.indicators
        ]
        ev.budget_exact = ev.budget_score = ev.budget_entered = None
        ev.budget_explanation = f"本模板的执行率在三级指标“{options.execution_rate_row}”中计分"
    _retotal(form, ev, options)
