"""The checks a template's options change (README: weights_on, scored, execution_rate_row), as plain values for
domain/checks.py to turn into findings: which findings are moot under the template, and what the heading weights
add (an 一级 / 二级 whose rows' 得分 exceed its weight, a 分值 typed on a 三级 row the template weights above).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.row_kinds import row_words
from selfeval_gui.domain.scoring import Evaluation, IndicatorResult
from selfeval_gui.domain.template_fields import TemplateOptions

ZERO = Decimal(0)
SCORE_KEYS = frozenset({"weight", "score", "grade", "computed"})
FUND_SCORE_COLUMNS = frozenset({"weight", "score"})


@dataclass(frozen=True)
class Problem:
    """One finding the options add: level (checks' ERROR / WARNING), where, the sentence, the column and row."""

    level: str
    where: str
    message: str
    key: str
    path: tuple[int, int, int]


def is_moot(options: TemplateOptions, section: str, key: str, column: str, missing: bool) -> bool:
    """A finding at this place says nothing under the template: no scores at all (every 分值, 得分, 完成等级 and
    the 总分 row), 分值 on the headings (a 三级 row's 分值 not filled), the funds block unscored (its 分值/得分)."""
    funds_score = section == "funds" and key == "total" and column in FUND_SCORE_COLUMNS
    if not options.scored:
        return section == "totals" or funds_score or (section == "indicator" and key in SCORE_KEYS)
    if options.on_headings and section == "indicator" and key == "weight" and missing:
        return True
    return funds_score and not options.funds_scored


def _rows_under(ev: Evaluation, form: Form, level1: str, level2: str) -> list[IndicatorResult]:
    out = []
    for r in ev.indicators:
        i, j, _k = r.path
        l1 = form.tree[i]
        if l1.name == level1 and (not level2 or l1.children[j].name == level2) and not r.excluded:
            out.append(r)
    return out


def _shown_score(r: IndicatorResult) -> Decimal:
    s = r.indicator.score if r.indicator.score is not None else r.computed
    return s or ZERO


def heading_overruns(form: Form, ev: Evaluation, options: TemplateOptions) -> list[Problem]:
    """An 一级 / 二级 whose 三级 rows' 得分 add up to more than its weight: an error naming the heading."""
    out = []
    for level1, level2, weight in options.scored_headings():
        rows = [r for r in _rows_under(ev, form, level1, level2) if not r.indicator.is_blank()]
        total = sum((_shown_score(r) for r in rows), ZERO)
        if not rows or total <= weight:
            continue
        name, word = (f"{level1} › {level2}", words.LEVEL2) if level2 else (level1, words.LEVEL1)
        out.append(
            Problem(
                "error",
                f"{name} › {words.SCORE}",
                f"{word}“{level2 or level1}”各三级指标得分合计 {fmt_decimal(total)}，"
                f"超过了它的分值 {fmt_decimal(weight)}，请核对得分。",
                "score",
                rows[0].path,
            )
        )
    return out


def row_weights_ignored(form: Form, ev: Evaluation, options: TemplateOptions) -> list[Problem]:
    """A 分值 typed on a 三级 row where the template weights the headings: not counted, asked to be cleared."""
    if not options.on_headings:
        return []
    level = words.LEVEL1 if options.weights_on == "level1" else words.LEVEL2
    out = []
    for r in ev.indicators:
        if r.indicator.weight is None or r.excluded:
            continue
        i, j, k = r.path
        l2 = form.tree[i].children[j]
        where = f"{form.tree[i].name} › {l2.name} › {row_words(l2.indicators, k)}"
        out.append(
            Problem(
                "warning",
                f"{where} › {words.WEIGHT}",
                f"本模板的分值写在{level}上，三级指标不填分值；这里的分值 {fmt_decimal(r.indicator.weight)} "
                "不计入总分，请清空。",
                "weight",
                r.path,
            )
        )
    return out


def option_problems(form: Form, ev: Evaluation, options: TemplateOptions) -> list[Problem]:
    return heading_overruns(form, ev, options) + row_weights_ignored(form, ev, options)
