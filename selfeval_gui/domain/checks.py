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
from selfeval_gui.domain.report import report_problems, report_where
from selfeval_gui.domain.rules import RuleSet, template_of
from selfeval_gui.domain.scoring import Evaluation, IndicatorResult, evaluate, score_differs
from selfeval_gui.domain.targets import MULTIPLE
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
    ind = l2.indicators[k]
    return f"{l1.name} › {l2.name} › {words.indicator_label(k, ind.name or '（未命名）')}"


_Add = Callable[..., None]


def _collector(out: list[Finding]) -> _Add:
    def add(level: str, where: str, message: str, place: Place, *, missing: bool = False) -> None:
        out.append(Finding(level, where, message, place, missing))

    return add


def soften_missing(findings: list[Finding]) -> list[Finding]:
    """The findings as the window shows them before the first save under a name, print or 定稿: a field not yet
    filled is 未填 (level MISSING), not an error.  Everything else keeps its level."""
    return [replace(f, level=MISSING) if f.missing and f.level != MISSING else f for f in findings]


def _indicator_inputs(add: _Add, ind: Indicator, where: str, at: Callable[[str], Place]) -> None:
    """The row's inputs that are missing."""
    if not ind.name.strip():
        add(ERROR, where, "这个三级指标没有名称，请填写指标名称。", at("name"), missing=True)
    for key, message in (("target", "没有填写年度指标值。"), ("actual", "没有填写实际完成值。")):
        if not getattr(ind, key).strip():
            add(ERROR, f"{where} › {INDICATOR_LABELS[key]}", message, at(key), missing=True)
    for key, message in (("weight", "没有填写分值。"), ("score", "没有填写得分。")):
        if getattr(ind, key) is None:
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
    if r.over:
        why = f"实际完成值超出年度指标值{fmt_percent(r.over_threshold, 0)}以上（指标可能定得过低）"
    elif r.missed:
        why = "未完成年度指标值"
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
    _indicator_inputs(add, r.indicator, where, at)
    _indicator_scores(add, r, where, at)
    _indicator_hints(add, r, where, at)
    _indicator_note(add, r, where, at)
    return out


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
    return [ind for ind in form.indicators() if not ind.is_blank()]


def _weights_unfilled(form: Form) -> bool:
    """Some 分值 is still empty: a total short of 100 is then work not yet done, not a contradiction (a total above
    it is one at once)."""
    rows = _filled_rows(form)
    return form.budget_weight is None or not rows or any(ind.weight is None for ind in rows)


def _rows_unfilled(form: Form) -> bool:
    return _weights_unfilled(form) or len(_filled_rows(form)) < len(form.indicators())


def _scores_unfilled(form: Form) -> bool:
    rows = _filled_rows(form)
    return form.budget_score is None or not rows or any(ind.score is None for ind in rows)


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
    for r in ev.indicators:
        out.extend(indicator_findings(form, r) if cache is None else cache.findings_for(form, r))
    _total_findings(add, form, ev)
    _weights_findings(add, form, ev)
    _report_findings(add, form, ev)
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

    def findings_for(self, form: Form, r: IndicatorResult) -> list[Finding]:
        ind = r.indicator
        i, j, _k = r.path
        key = (
            r.path,
            form.tree[i].name,
            form.tree[i].children[j].name,
            ind.name,
            ind.target,
            ind.actual,
            str(ind.weight),
            str(ind.score),
            ind.deviation,
            ind.grade,
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
