"""The checks a careful reviewer at the finance bureau would make (ARCHITECTURE.md: where each rule lives).

check(form) -> list[Finding]; each finding names its level, its place (for the GUI to jump to) and says in
one plain Chinese sentence what is wrong and what to do.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.form import Form, Indicator
from selfeval_gui.domain.numbers import fmt_decimal, fmt_percent, normalize, quantize
from selfeval_gui.domain.quoting import quoted
from selfeval_gui.domain.report import PLACEHOLDERS, count_chars, fell_short, report_problems, report_where
from selfeval_gui.domain.row_kinds import (
    counted_row,
    is_breakdown,
    kind_findings,
    missed_parts_reason,
    not_required,
    row_words,
)
from selfeval_gui.domain.rules import TEXT_LIMIT_FIELDS, RuleSet, template_of
from selfeval_gui.domain.scoring import Evaluation, IndicatorResult, evaluate, score_differs
from selfeval_gui.domain.targets import EXCLUDED, LOWER, MULTIPLE, QUALITATIVE, actual_bound, nature_kind, parse_target
from selfeval_gui.domain.template_checks import is_moot, option_problems
from selfeval_gui.domain.template_fields import TemplateOptions
from selfeval_gui.domain.vocabulary import (
    ACTUAL,
    DEVIATION,
    FINAL_WORD,
    FUND_NOTE,
    GOAL_FIELDS,
    GOALS_SECTION,
    HEADER_FIELDS,
    INDICATOR_LABELS,
    INDICATORS_SECTION,
    SCORE,
    SIGNOFF_FIELDS,
    SIGNOFF_SECTION,
    TARGET,
)

log = logging.getLogger(__name__)

ERROR, WARNING, INFO = "error", "warning", "info"
# 未填: a required field still empty.  check() gives such findings their real level (error or warning) and
# `missing=True`; the window shows them as MISSING (muted, counted) until the clerk first saves under a name,
# prints or finalizes (soften_missing), so a blank form is not a wall of red.  Contradictions are errors at once.
MISSING = "missing"
LEVEL_LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示", MISSING: "未填"}


@dataclass(frozen=True)
class Place:
    """Where a finding points.  section: header | funds | goals | indicator | totals | signoff | status | report
    (key: the report section's key)."""

    section: str
    key: str = ""  # field name, fund row key, or indicator column
    column: str = ""  # fund column
    path: tuple[int, int, int] | None = None  # indicator (level1, level2, index)


@dataclass(frozen=True)
class Finding:
    level: str
    where: str
    message: str
    place: Place
    missing: bool = False  # a required field not yet filled in (see MISSING)

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


_DATE_RE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?$")


def parse_fill_date(text: str) -> date | None:
    m = _DATE_RE.match(normalize(text))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _percent_below(rate: Decimal, limit: Decimal) -> str:
    """The rate with enough decimals that it visibly falls short of `limit` (89.999% is not "90.00%")."""
    places = 2
    while places < 8 and quantize(rate * 100, places) >= limit * 100:
        places += 1
    return fmt_percent(rate, places)


def _n(v: Decimal | None) -> str:
    return fmt_decimal(v)


def indicator_where(form: Form, path: tuple[int, int, int]) -> str:
    i, j, k = path
    l1 = form.tree[i]
    l2 = l1.children[j]
    return f"{l1.name} › {l2.name} › {row_words(l2.indicators, k)}"  # numbered as printed, 其中 rows by name


_Add = Callable[..., None]


def _collector(out: list[Finding]) -> _Add:
    def add(level: str, where: str, message: str, place: Place, *, missing: bool = False) -> None:
        out.append(Finding(level, where, message, place, missing))

    return add


def soften_missing(findings: list[Finding]) -> list[Finding]:
    """The findings as the window shows them before the first save under a name, print or 定稿: a field not yet
    filled is 未填 (level MISSING), not an error.  Everything else keeps its level."""
    return [replace(f, level=MISSING) if f.missing and f.level != MISSING else f for f in findings]


def _indicator_inputs(
    add: _Add, ind: Indicator, where: str, at: Callable[[str], Place], skipped: frozenset[str] = frozenset()
) -> None:
    """The row's inputs that are missing (skipped: those its row kind may leave empty, row_kinds.not_required)."""
    if not ind.name.strip():
        add(ERROR, where, "这个三级指标没有名称，请填写指标名称。", at("name"), missing=True)
    for key, message in (("target", "没有填写年度指标值。"), ("actual", "没有填写实际完成值。")):
        if not getattr(ind, key).strip() and key not in skipped:
            add(ERROR, f"{where} › {INDICATOR_LABELS[key]}", message, at(key), missing=True)
    for key, message in (("weight", "没有填写分值。"), ("score", "没有填写得分。")):
        if getattr(ind, key) is None and key not in skipped:
            add(ERROR, f"{where} › {INDICATOR_LABELS[key]}", message, at(key), missing=True)


def _indicator_scores(add: _Add, r: IndicatorResult, where: str, at: Callable[[str], Place]) -> None:
    """The entered 得分 against its 分值, the rules' score and the grade's band."""
    ind = r.indicator
    here = f"{where} › {SCORE}"
    if ind.score is not None and ind.weight is not None and ind.score > ind.weight:
        add(ERROR, here, f"得分 {_n(ind.score)} 超过了分值 {_n(ind.weight)}。", at("score"))
    if score_differs(ind.score, r.computed):
        add(
            ERROR,
            here,
            f"填报得分 {_n(ind.score)}，按规则计算应为 {_n(r.computed)}（{r.explanation}），请核对得分。",
            at("score"),
        )
    if r.band is not None and ind.score is not None and not (r.band[0] <= ind.score <= r.band[1]):
        add(
            ERROR,
            here,
            f"完成等级对应的得分范围是 {_n(r.band[0])}～{_n(r.band[1])}，填报得分 {_n(ind.score)} 不在范围内。",
            at("score"),
        )


def _indicator_hints(add: _Add, r: IndicatorResult, where: str, at: Callable[[str], Place]) -> None:
    """Targets the program could not score by itself."""
    ind = r.indicator
    if r.target.quantitative and r.actual is None and ind.actual.strip():
        add(
            INFO,
            f"{where} › {ACTUAL}",
            f"年度指标值是数值（{r.target.describe()}），但实际完成值“{ind.actual.strip()}”中找不到一个数值，"
            "程序无法自动评分，按填报得分计；建议填写实际数值。",
            at("actual"),
        )
    if r.target.kind == MULTIPLE and ind.target.strip():
        add(
            INFO,
            f"{where} › {TARGET}",
            "年度指标值含多个数值，程序无法自动评分，按填报得分计，请自行核对。",
            at("target"),
        )


def _indicator_note(add: _Add, r: IndicatorResult, where: str, at: Callable[[str], Place]) -> None:
    """偏差原因分析及改进措施 where the target was missed, the score is low or the target was beaten by far."""
    if not r.needs_note or r.indicator.deviation.strip():
        return
    if r.over and r.target.kind == LOWER:
        why = f"实际完成值低于上限{fmt_percent(r.over_threshold, 0)}以上（上限可能定得过宽）"
    elif r.over:
        why = f"实际完成值超出年度指标值{fmt_percent(r.over_threshold, 0)}以上（指标可能定得过低）"
    elif r.missed:
        why = "未完成年度指标值"
    elif r.missed_parts:
        why = missed_parts_reason(r)
    else:
        why = "得分低于分值"
    add(ERROR, f"{where} › {DEVIATION}", f"{why}，需要填写“{DEVIATION}”。", at("deviation"), missing=True)


def _excluded_findings(add: _Add, r: IndicatorResult, where: str, at: Callable[[str], Place]) -> None:
    """A row marked "/" or 不适用: said to be left out; a 分值 or 得分 typed into it is not counted."""
    ind = r.indicator
    add(
        INFO,
        where,
        f"年度指标值为“{ind.target.strip()}”：本指标{words.NOT_APPLICABLE}，不计分值，不计入总分。",
        at("target"),
    )
    if ind.weight is not None or ind.score is not None:
        add(
            WARNING,
            f"{where} › {words.WEIGHT}",
            f"本指标{words.NOT_APPLICABLE}，填写的分值或得分不计入总分，请清空，并把分值分给其他指标。",
            at("weight"),
        )


def indicator_findings(form: Form, r: IndicatorResult) -> list[Finding]:
    """The findings for one 三级 row, from its scoring result (check() lists them in row order)."""
    out: list[Finding] = []
    if r.indicator.is_blank():
        return out
    add = _collector(out)
    where = indicator_where(form, r.path)

    def at(col: str) -> Place:
        return Place("indicator", col, path=r.path)

    if r.excluded:
        _excluded_findings(add, r, where, at)
        return out
    _indicator_inputs(add, r.indicator, where, at, not_required(r))
    _row_kind_findings(add, form, r, where, at)
    _indicator_scores(add, r, where, at)
    _indicator_hints(add, r, where, at)
    _indicator_direction(add, r, where, at)
    _indicator_note(add, r, where, at)
    return out


def _row_kind_findings(add: _Add, form: Form, r: IndicatorResult, where: str, at: Callable[[str], Place]) -> None:
    """A breakdown row with no row above it or with a score typed, a target read from the name (row_kinds)."""
    for level, key, message in kind_findings(form.rows_at(r.path[0], r.path[1]), r):
        add(level, f"{where} › {INDICATOR_LABELS[key]}", message, at(key))  # row_kinds writes "warning" / "info"


def _header_findings(add: _Add, form: Form) -> None:
    """Header, goals and sign-off fields, and the fill date."""
    for key, label in HEADER_FIELDS:
        if not getattr(form, key).strip():
            add(ERROR, f"表头 › {label}", f"“{label}”没有填写，请补上。", Place("header", key), missing=True)
    for key, label in SIGNOFF_FIELDS:
        if not getattr(form, key).strip():
            add(
                WARNING,
                f"{SIGNOFF_SECTION} › {label}",
                f"“{label}”没有填写，打印前请补上。",
                Place("signoff", key),
                missing=True,
            )
    for key, label in GOAL_FIELDS:
        if not getattr(form, key).strip():
            add(
                ERROR,
                f"{GOALS_SECTION} › {label}",
                f"{GOALS_SECTION}的“{label}”没有填写。",
                Place("goals", key),
                missing=True,
            )


def _fill_date_findings(add: _Add, form: Form, rs: RuleSet) -> None:
    if not form.fill_date.strip():
        return
    where = f"{SIGNOFF_SECTION} › 填写日期"
    d = parse_fill_date(form.fill_date)
    if d is None:
        add(
            WARNING,
            where,
            f"填写日期{quoted(form.fill_date)}看不懂，请按 2021.2.24 或 2021-02-24 的格式填写。",
            Place("signoff", "fill_date"),
        )
    elif rs.fill_date_after_year and d <= date(form.year, 12, 31):
        add(
            ERROR,
            where,
            f"填写日期 {form.fill_date} 在{form.year}年度结束之前，自评应在年度结束后填写，请核对日期。",
            Place("signoff", "fill_date"),
        )


def _fund_amount_findings(add: _Add, form: Form) -> None:
    """The amounts: a rate can be computed, the sub-rows add up, nothing executed beyond its budget."""
    t = template_of(form)
    cols, rows = t.fund_column_labels, t.fund_labels
    total_label, budget, executed = rows["total"], cols["budget"], cols["executed"]
    total = form.fund("total")
    if total.budget is None or total.budget == 0:
        add(
            ERROR,
            f"项目资金 › {total_label} › {budget}",
            f"{total_label}的“{budget}”为空或为0，无法计算执行率，请填写{budget}。",
            Place("funds", "total", "budget"),
            missing=total.budget is None,
        )
    elif total.executed is None:
        add(
            ERROR,
            f"项目资金 › {total_label} › {executed}",
            f"{total_label}的“{executed}”没有填写，无法计算执行率。",
            Place("funds", "total", "executed"),
            missing=True,
        )
    subs = [k for k in t.sub_rows if any(r.key == k for r in form.funds)]
    names = "、".join(rows[k].removeprefix("其中：") for k in subs)
    for col, col_label in t.fund_columns:
        parts = [getattr(form.fund(k), col) for k in subs]
        stated = getattr(total, col)
        if any(p is not None for p in parts):
            s = sum((p for p in parts if p is not None), Decimal(0))
            if stated != s:
                add(
                    ERROR,
                    f"项目资金 › {col_label}",
                    f"“{col_label}”的{names}合计 {_n(s)} 万元，"
                    f"与{total_label} {_n(stated) or '（空）'} 万元不一致，请核对。",
                    Place("funds", "total", col),
                )
    for row in form.funds:
        if row.executed is not None and row.budget not in (None, Decimal(0)) and row.executed > row.budget:
            label = rows.get(row.key, row.label)
            add(
                WARNING,
                f"项目资金 › {label}",
                f"“{label}”的{executed} {_n(row.executed)} 超过{budget} {_n(row.budget)}，请核对。",
                Place("funds", row.key, "executed"),
            )


def _rule_set_findings(add: _Add, form: Form, ev: Evaluation) -> None:
    """A form naming a rule set that is not installed opens, is scored with the template's, and says so."""
    if ev.missing_rule_set:
        add(
            ERROR,
            "规则集",
            f"本表使用的规则集“{ev.missing_rule_set}”没有安装，暂按“{ev.rule_set.name}”（{ev.rule_set.id}）计算。"
            "请向财政局索取该规则集文件，用“文件 › 安装规则集或模板…”安装后重新打开本表。",
            Place("status"),
        )


def _budget_score_findings(add: _Add, form: Form, ev: Evaluation) -> None:
    """The execution-rate note, the budget 分值 and the clerk's budget 得分."""
    rs = ev.rule_set
    if ev.rate is not None and ev.rate < rs.execution_note_below and not form.fund_note.strip():
        add(
            WARNING,
            "项目资金 › 执行率",
            f"执行率 {_percent_below(ev.rate, rs.execution_note_below)} 低于 "
            f"{fmt_percent(rs.execution_note_below, 0)}，请在“{FUND_NOTE}”中写明原因和改进措施。",
            Place("funds", "fund_note"),
            missing=True,
        )
    if form.budget_weight is None:
        add(
            ERROR,
            "项目资金 › 分值",
            "年度资金总额的“分值”没有填写（通常为10分）。",
            Place("funds", "total", "weight"),
            missing=True,
        )
    if score_differs(form.budget_score, ev.budget_score):
        add(
            ERROR,
            "项目资金 › 得分",
            f"预算执行得分填的是 {_n(form.budget_score)}，"
            f"按执行率计算应为 {_n(ev.budget_score)}（{ev.budget_explanation}）。",
            Place("funds", "total", "score"),
        )
    if form.budget_score is not None and form.budget_weight is not None and form.budget_score > form.budget_weight:
        add(
            ERROR,
            "项目资金 › 得分",
            f"预算执行得分 {_n(form.budget_score)} 超过了分值 {_n(form.budget_weight)}。",
            Place("funds", "total", "score"),
        )


def _filled_rows(form: Form) -> list[Indicator]:
    """The filled rows that carry a 分值 / 得分 (a breakdown row carries none)."""
    return [ind for ind in form.indicators() if not ind.is_blank() and counted_row(ind)]


def _weights_unfilled(form: Form) -> bool:
    """Some 分值 is still empty: a total short of 100 is then work not yet done, not a contradiction (a total above
    it is one at once)."""
    rows = _filled_rows(form)
    options = template_of(form).options  # 分值 on the headings, or the funds unscored: not the clerk's to fill
    funds_unfilled = form.budget_weight is None and options.funds_scored
    return funds_unfilled or not rows or (options.rows_weighted and any(ind.weight is None for ind in rows))


def _rows_unfilled(form: Form) -> bool:
    return _weights_unfilled(form) or any(ind.is_blank() for ind in form.indicators())


def _scores_unfilled(form: Form) -> bool:
    rows = _filled_rows(form)
    funds_unfilled = form.budget_score is None and template_of(form).options.funds_scored
    return funds_unfilled or not rows or any(ind.score is None for ind in rows)


def _total_findings(add: _Add, form: Form, ev: Evaluation) -> None:
    """The 总分 row: 分值 adding up to the rule set's total, and the totals the clerk wrote."""
    rs = ev.rule_set
    if ev.total_weight != rs.weight_total:
        add(
            ERROR,
            "总分 › 分值",
            f"各项分值合计为 {_n(ev.total_weight)}，应为 {_n(rs.weight_total)}，请调整分值。",
            Place("totals", "weight"),
            missing=ev.total_weight < rs.weight_total and _rows_unfilled(form),
        )
    if form.stated_total_weight is not None and form.stated_total_weight != ev.total_weight:
        add(
            ERROR,
            "总分 › 分值",
            f"总分行的分值写的是 {_n(form.stated_total_weight)}，各项分值实际合计 {_n(ev.total_weight)}。",
            Place("totals", "weight"),
        )
    entered_total = ev.entered_total_score
    if form.stated_total_score is not None and form.stated_total_score != entered_total:
        add(
            ERROR,
            "总分 › 得分",
            f"总分行的得分写的是 {_n(form.stated_total_score)}，各项填报得分实际合计 {_n(entered_total)}。",
            Place("totals", "score"),
        )
    if ev.total_score is not None and ev.total_score != entered_total:
        add(
            WARNING,
            "总分 › 得分",
            f"按规则计算的总分为 {_n(ev.total_score)}，各项填报得分合计 {_n(entered_total)}，请核对有差异的得分。",
            Place("totals", "score"),
            missing=_scores_unfilled(form),
        )
    if ev.cap is not None and ev.uncapped_total is not None and ev.uncapped_total > ev.cap:
        add(
            INFO,
            "总分",
            f"执行率 {fmt_percent(ev.rate, 2)}，按规则总分最高 {_n(ev.cap)} 分，已从 {_n(ev.uncapped_total)} 封顶。",
            Place("totals", "score"),
        )


def _weights_findings(add: _Add, form: Form, ev: Evaluation) -> None:
    """The usual weights per 一级 (a guideline: a departure is a hint)."""
    guide = ev.rule_set.weights_guideline
    if _weights_unfilled(form):
        return  # weights still being typed: compare them once they are all there
    by_level1 = {"预算执行率": form.budget_weight or Decimal(0), **ev.level1_weights}
    # A guideline key may join several 一级 with "+" (2021+ templates: 产出指标+成本指标 share 50).
    actual = {k: sum((by_level1.get(n, Decimal(0)) for n in k.split("+")), Decimal(0)) for k in guide}
    if any(actual[k] != v for k, v in guide.items()):
        said = "、".join(f"{k}{_n(v)}" for k, v in guide.items())
        got = "、".join(f"{k}{_n(actual[k])}" for k in guide)
        add(INFO, "总分 › 分值", f"常用权重为{said}；本表为{got}。如有依据可以保留。", Place("totals", "weight"))


def _status_findings(add: _Add, form: Form) -> None:
    """A finalized file edited outside the program since 定稿: its content no longer matches the fingerprint
    recorded then, or its 定稿 record (定稿人, 定稿时间, the history, the format version) was changed."""
    fin = form.finalized
    if fin is None or not form.changed_since_final():
        return
    if form.loaded_fingerprint and form.loaded_fingerprint != fin.fingerprint:
        what = f"文件内容现在的指纹是 {form.loaded_fingerprint}：文件在定稿后被改动过"
    else:
        what = f"文件中的{form.record_edited}在定稿后被改动过"
    add(
        WARNING,
        FINAL_WORD,
        f"本表已于 {fin.shown_at} 定稿（指纹 {fin.fingerprint}），但{what}（不是在本程序中）。"
        "请核对内容，撤销定稿后重新定稿。",
        Place("status"),
    )


def _report_findings(add: _Add, form: Form, ev: Evaluation) -> None:
    """The 自评报告, once begun: required sections, limits, placeholders (domain/report.py)."""
    for p in report_problems(form, ev):
        add(p.level, report_where(p.section), p.message, Place("report", p.section.key))


def _approved_findings(add: _Add, form: Form) -> None:
    """A draft made from the 绩效目标申报表 (Form.approved, that year only): an approved 三级 name or 年度指标值
    changed since, or the row gone, is a hint naming the row and what the 申报表 approved."""
    approved = form.approved
    if approved is None or approved.year != form.year:
        return
    tail = f"与{words.DECLARATION_WORD}不一致（{words.DECLARATION_WORD}："
    advice = "）；如经批准调整，请在偏差原因中说明。"
    for kind, a, path in approved.differences(form.tree):
        target = f"{words.TARGET}{quoted(a.target)}"
        if kind == "target" and path is not None:
            now = form.tree[path[0]].children[path[1]].indicators[path[2]].target
            message = f"{words.TARGET}{quoted(now)}{tail}{quoted(a.target)}{advice}"
            add(INFO, indicator_where(form, path), message, Place("indicator", "target", path=path))
        elif kind == "name" and path is not None:
            message = f"{words.LEVEL3}名称{tail}{quoted(a.name)}，{target}{advice}"
            add(INFO, indicator_where(form, path), message, Place("indicator", "name", path=path))
        else:
            message = f"{words.DECLARATION_WORD}中的{words.LEVEL3}{quoted(a.name)}（{target}）已不在表中；"
            add(INFO, f"{a.level1} › {a.level2}", message + "如经批准调整，请在偏差原因中说明。", Place("indicator"))


def check(form: Form, ev: Evaluation | None = None, *, cache: CheckCache | None = None) -> list[Finding]:
    """cache: a CheckCache gives the same findings faster when the form is checked again after a small edit."""
    ev = ev or evaluate(form)
    out: list[Finding] = []
    add = _collector(out)
    _status_findings(add, form)
    _rule_set_findings(add, form, ev)
    _header_findings(add, form)
    _fill_date_findings(add, form, ev.rule_set)
    _fund_amount_findings(add, form)
    _budget_score_findings(add, form, ev)
    if not ev.indicators or all(r.indicator.is_blank() for r in ev.indicators):
        add(ERROR, INDICATORS_SECTION, "还没有填写任何三级指标。", Place("indicator"), missing=True)
    numbers = _printed_numbers(form) if cache is not None else {}
    for r in ev.indicators:
        out.extend(indicator_findings(form, r) if cache is None else cache.findings_for(form, r, numbers.get(r.path)))
    _total_findings(add, form, ev)
    _weights_findings(add, form, ev)
    _approved_findings(add, form)
    _text_limit_findings(add, form)
    reviewed = reviewer_rows(form, ev)
    out[:] = beside_their_rows(out, reviewed)
    _report_findings(add, form, ev)
    kept = _under_template_options(form, ev, out)
    # counted after the template's options left out what is moot under them
    still = {id(f) for f in reviewed}
    return [*kept, *reviewer_summary(sum(1 for f in kept if id(f) in still))]


def beside_their_rows(found: list[Finding], more: list[Finding]) -> list[Finding]:
    """`more` merged into `found`: a finding of a 三级 row after that row's other findings, or where the row comes
    among the rows (a clerk reads 检查结果 row by row); the rest (the form as a whole) at the end, in their order."""
    rows = [(f.place.path, n) for n, f in enumerate(found) if f.place.path is not None]
    if not rows:
        return [*found, *more]
    after: dict[int, list[Finding]] = {}  # index in `found` → findings to put after it (-1: before the rows)
    rest: list[Finding] = []
    for f in more:
        p = f.place.path
        if p is None:
            rest.append(f)
            continue
        before = [n for path, n in rows if path <= p]
        after.setdefault(before[-1] if before else rows[0][1] - 1, []).append(f)
    out = list(after.get(-1, [])) if rows[0][1] == 0 else []
    for n, f in enumerate(found):
        out.append(f)
        out.extend(after.get(n, []))
    return [*out, *rest]


def _printed_numbers(form: Form) -> dict[tuple[int, int, int], int]:
    """Each 三级 row's printed number (breakdown rows not counted; -1 for them), in one pass: a row's findings name
    it by that number, so a cached row's findings are made again when it changes (a row above turned 其中)."""
    out: dict[tuple[int, int, int], int] = {}
    for i, l1 in enumerate(form.tree):
        for j, l2 in enumerate(l1.children):
            n = 0
            for k, ind in enumerate(l2.indicators):
                breakdown = is_breakdown(ind)
                out[(i, j, k)] = -1 if breakdown else n
                n += 0 if breakdown else 1
    return out


def _under_template_options(form: Form, ev: Evaluation, found: list[Finding]) -> list[Finding]:
    """The template's options (template_checks.py): findings moot under them left out, theirs added."""
    options = template_of(form).options
    if options == TemplateOptions():
        return found
    out = [f for f in found if not is_moot(options, f.place.section, f.place.key, f.place.column, f.missing)]
    for p in option_problems(form, ev, options):
        out.append(Finding(p.level, p.where, p.message, Place("indicator", p.key, path=p.path)))
    return out


class CheckCache:
    """Reuses a row's findings while nothing they are made from has changed: the scoring result (the same
    IndicatorResult object, as a ScoreCache hands back for unchanged inputs), the row's inputs, and the
    names in its “where” (一级, 二级, 指标N).  An editor re-checking a 1,000-row form after each edit then
    builds findings for the edited row only.  Pass as check(form, ev, cache=cache).
    """

    def __init__(self, limit: int = 20000):
        self._memo: dict[int, tuple[IndicatorResult, Indicator, tuple[object, ...], list[Finding]]] = {}
        self._limit = limit

    def findings_for(self, form: Form, r: IndicatorResult, number: int | None = None) -> list[Finding]:
        """number: the row's printed number (check() passes it; -1 for a breakdown row)."""
        ind = r.indicator
        i, j, _k = r.path
        key = (
            r.path,
            number,
            form.tree[i].name,
            form.tree[i].children[j].name,
            ind.name,
            ind.target,
            ind.actual,
            str(ind.weight),
            str(ind.score),
            ind.deviation,
            ind.grade,
            ind.nature,
            ind.measure_unit,
        )
        hit = self._memo.get(id(ind))
        # the entry keeps r and ind alive, so an id cannot be reused by another object while it is stored
        if hit is not None and hit[0] is r and hit[1] is ind and hit[2] == key:
            return hit[3]
        found = indicator_findings(form, r)
        if len(self._memo) >= self._limit:
            self._memo.clear()  # deleted rows pile up otherwise
        self._memo[id(ind)] = (r, ind, key, found)
        return found


def has_errors(findings: list[Finding]) -> bool:
    return any(f.level == ERROR for f in findings)


def errors_of(findings: list[Finding]) -> list[Finding]:
    """What stops a final copy (正式) or a 定稿: the findings of level error.  Warnings and hints do not."""
    return [f for f in findings if f.level == ERROR]


# ---------------------------------------------------------------- direction, bounds in actuals, 字数上限


def _indicator_direction(add: _Add, r: IndicatorResult, where: str, at: Callable[[str], Place]) -> None:
    """指标性质 against the 年度指标值's own comparator, a 指标性质 not understood, a comparator in an 实际完成值."""
    ind, nature_label = r.indicator, words.NATURE
    if r.target.conflict:
        add(
            ERROR,
            f"{where} › {nature_label}",
            f"{nature_label}为“{r.target.nature}”，年度指标值“{ind.target.strip()}”却写的是“{r.target.conflict}”，"
            f"两者方向矛盾（暂按{nature_label}“{r.target.nature}”计分），请改正其中一个。",
            at("nature"),
        )
    elif ind.nature.strip() and nature_kind(ind.nature) is None and r.target.kind != EXCLUDED:
        add(
            INFO,
            f"{where} › {nature_label}",
            f"{nature_label}“{ind.nature.strip()}”看不懂，按年度指标值本身的写法计分；请填写 ≥、≤、＝ 或 定性。",
            at("nature"),
        )
    bound = actual_bound(ind.actual) if r.target.quantitative and r.actual is not None else ""
    if bound:
        add(
            WARNING,
            f"{where} › {ACTUAL}",
            f"实际完成值“{ind.actual.strip()}”带有“{bound}”，是一个范围，不是实际完成的数值；"
            f"程序暂按 {_n(r.actual.value if r.actual else None)} 计分，请填写实际测得的数值。",
            at("actual"),
        )


def _text_limit_findings(add: _Add, form: Form) -> None:
    """The template's 字数上限 (text_limits): a text longer than its limit, naming the field and the count."""
    limits = template_of(form).text_limits
    if not limits:
        return
    form_places = {"goal_expected": "goals", "goal_actual": "goals", "fund_note": "funds"}
    for key, limit in limits:
        label = TEXT_LIMIT_FIELDS[key]
        if key in form_places:
            n = count_chars(getattr(form, key))
            if n > limit:
                where = GOALS_SECTION if form_places[key] == "goals" else "项目资金"
                add(WARNING, f"{where} › {label}", _too_long(label, n, limit), Place(form_places[key], key))
            continue
        for i, j, k, _l1, _l2, ind in form.iter_indicators():
            n = count_chars(getattr(ind, key))
            if n > limit:
                where = indicator_where(form, (i, j, k))
                add(
                    WARNING,
                    f"{where} › {label}",
                    _too_long(label, n, limit),
                    Place("indicator", key, path=(i, j, k)),
                )


def _too_long(label: str, n: int, limit: int) -> str:
    return f"“{label}”有 {n} 字，超过本表样规定的 {limit} 字上限，请精简。"


# ---------------------------------------------------------------- the reviewer's checks (RuleSet.reviewer_checks)

# What a clerk writes where the reason for a miss belongs (report.PLACEHOLDERS and a few more).
_EMPTY_EXCUSES = PLACEHOLDERS | {"无偏差", "没有偏差", "无问题", "没有问题", "暂无问题", "不存在", "无原因", "无措施"}
_REQUIRED_LEVEL1 = ("产出", "效益", "满意度")
_PERCENT_WORDS = ("百分比", "百分率")
REVIEWER_SUMMARY = "评审时可能被质疑的问题"


def _is_excuse(text: str) -> bool:
    t = normalize(text).strip().rstrip("。.；;，,！!")
    return bool(t) and (t in _EMPTY_EXCUSES or text.strip() in _EMPTY_EXCUSES)


def _scored_rows(ev: Evaluation) -> list[IndicatorResult]:
    return [r for r in ev.indicators if not r.excluded and not r.breakdown and not r.indicator.is_blank()]


def _word_actual(add: _Add, form: Form, r: IndicatorResult) -> None:
    """实际完成值 "完成" (no number at all) against a numeric 年度指标值."""
    actual = r.indicator.actual.strip()
    if not r.target.quantitative or not actual or any(c.isdigit() for c in normalize(actual)):
        return
    add(
        WARNING,
        f"{indicator_where(form, r.path)} › {ACTUAL}",
        f"年度指标值是数值（{r.target.describe()}），实际完成值只写了{quoted(actual)}，没有实际数值："
        "评审时会要求写明实际完成了多少，请填写实际数值。",
        Place("indicator", "actual", path=r.path),
    )


def _empty_excuse(add: _Add, form: Form, r: IndicatorResult) -> None:
    """偏差原因 written 无 / 暂无 / 没有 where the target was missed or the score is below its 分值."""
    text = r.indicator.deviation
    if not fell_short(r) or not _is_excuse(text):
        return
    why = "未完成年度指标值" if r.missed else "得分低于分值"
    add(
        WARNING,
        f"{indicator_where(form, r.path)} › {DEVIATION}",
        f"本指标{why}，“{DEVIATION}”却只写了“{text.strip()}”：评审时会要求写明未完成的原因和改进措施。",
        Place("indicator", "deviation", path=r.path),
    )


def _empty_fund_excuse(add: _Add, form: Form, ev: Evaluation) -> None:
    """资金执行偏差说明 written 无 where the execution rate needs an explanation."""
    rs = ev.rule_set
    if ev.rate is None or ev.rate >= rs.execution_note_below or not _is_excuse(form.fund_note):
        return
    add(
        WARNING,
        f"项目资金 › {FUND_NOTE}",
        f"执行率 {_percent_below(ev.rate, rs.execution_note_below)} 低于 {fmt_percent(rs.execution_note_below, 0)}，"
        f"“{FUND_NOTE}”却只写了“{form.fund_note.strip()}”：请写明执行率低的原因和改进措施。",
        Place("funds", "fund_note"),
    )


def _unit_in_value(add: _Add, form: Form, r: IndicatorResult, has_unit_column: bool) -> None:
    """A unit spelled into the value (≥100百分比), or one that disagrees with the 度量单位 column."""
    ind = r.indicator
    for key, text in (("target", ind.target), ("actual", ind.actual)):
        own = parse_target(text)
        if not own.quantitative:
            continue
        written = "%" if own.percent else own.unit
        column = normalize(ind.measure_unit).strip() if has_unit_column else ""
        if written in _PERCENT_WORDS:
            why = f"把单位“{written}”写进了数值，请写作百分数（如“90%”）"
        elif column and written and written != column and not (own.percent and column in _PERCENT_WORDS):
            why = (
                f"写的单位“{written}”与{words.MEASURE_UNIT}“{column}”不一致，请只写数值，单位以{words.MEASURE_UNIT}为准"
            )
        else:
            continue
        label = INDICATOR_LABELS[key]
        add(
            WARNING,
            f"{indicator_where(form, r.path)} › {label}",
            f"{label}{quoted(text.strip())}{why}。",
            Place("indicator", key, path=r.path),
        )


def _dominant_weight(add: _Add, form: Form, ev: Evaluation, r: IndicatorResult) -> None:
    """One 三级 carrying more than half of the 三级 分值 the rule set leaves after the budget row."""
    w = r.indicator.weight
    planned = ev.rule_set.weight_total - (form.budget_weight or Decimal(0))
    if w is None or planned <= 0 or w * 2 <= planned:
        return
    add(
        WARNING,
        f"{indicator_where(form, r.path)} › {words.WEIGHT}",
        f"本指标分值 {_n(w)}，超过全部三级指标分值（{_n(planned)}）的一半：单个指标权重过大，"
        "评审时可能要求把分值分散到其他指标。",
        Place("indicator", "weight", path=r.path),
    )


def _empty_level1(add: _Add, form: Form) -> None:
    """产出 / 效益 / 满意度 一级 with no filled 三级 indicator (a blank form has its own error)."""
    if not any(not ind.is_blank() for ind in form.indicators()):
        return
    for i, l1 in enumerate(form.tree):
        if not l1.name.startswith(_REQUIRED_LEVEL1):
            continue
        rows = [ind for l2 in l1.children for ind in l2.indicators if not ind.is_blank()]
        if any(parse_target(ind.target).kind != EXCLUDED for ind in rows):
            continue
        first = l1.children[0].indicators if l1.children else []
        add(
            WARNING,
            f"{INDICATORS_SECTION} › {l1.name}",
            f"一级指标“{l1.name}”下没有填写三级指标：绩效指标应涵盖产出、效益和满意度，请补充指标或说明不设的理由。",
            Place("indicator", "name", path=(i, 0, 0)) if first else Place("indicator"),
        )


def _inflated_scores(add: _Add, form: Form, ev: Evaluation) -> None:
    """Every qualitative row at full marks while 执行率 < 100% or a quantitative target was missed (提示)."""
    rows = _scored_rows(ev)
    graded = [r for r in rows if r.target.kind == QUALITATIVE and r.computed is None and r.indicator.weight is not None]
    if len(graded) < 2 or any(r.indicator.score != r.indicator.weight for r in graded):
        return
    reasons = []
    if ev.rate is not None and ev.rate < 1:
        reasons.append(f"执行率为 {_percent_below(ev.rate, Decimal(1))}")
    missed = [r.indicator.name.strip() or "（未命名）" for r in rows if r.target.quantitative and r.missed]
    if missed:
        reasons.append(f"定量指标“{'”“'.join(missed[:3])}”{'等' if len(missed) > 3 else ''}未完成年度指标值")
    if not reasons:
        return
    add(
        INFO,
        f"{INDICATORS_SECTION} › {SCORE}",
        f"{len(graded)} 个定性指标全部给了满分，而{'，'.join(reasons)}：自评结果可能偏高。"
        "财政部要求“严禁刻意抬高分数”，请按实际完成情况核实定性指标的得分。",
        Place("indicator", "score", path=graded[0].path),
    )


def reviewer_findings(form: Form, ev: Evaluation) -> list[Finding]:
    """What a reviewer at the finance bureau would question, as the rule set switches them on, and a 提示
    counting them (REVIEWER_SUMMARY)."""
    found = reviewer_rows(form, ev)
    return [*found, *reviewer_summary(len(found))]


def reviewer_rows(form: Form, ev: Evaluation) -> list[Finding]:
    """The reviewer's findings without their count (check() counts them after the template's options)."""
    on = ev.rule_set.reviewer_checks
    out: list[Finding] = []
    add = _collector(out)
    has_unit_column = "measure_unit" in dict(template_of(form).indicator_columns)
    for r in _scored_rows(ev):
        if "word_actual" in on:
            _word_actual(add, form, r)
        if "empty_excuse" in on:
            _empty_excuse(add, form, r)
        if "unit_in_value" in on:
            _unit_in_value(add, form, r, has_unit_column)
        if "dominant_weight" in on:
            _dominant_weight(add, form, ev, r)
    if "empty_excuse" in on:
        _empty_fund_excuse(add, form, ev)
    if "empty_level1" in on:
        _empty_level1(add, form)
    if "inflated_scores" in on:
        _inflated_scores(add, form, ev)
    return out


def reviewer_summary(n: int) -> list[Finding]:
    """The 提示 counting what a reviewer would raise (none when nothing)."""
    if not n:
        return []
    return [Finding(INFO, INDICATORS_SECTION, f"{REVIEWER_SUMMARY}：{n} 处，报送前请逐条核实。", Place("indicator"))]
