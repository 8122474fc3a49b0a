"""A template's scoring options (README: the template fields weights_on, scored, execution_rate_row and a
heading's weight in the tree): where the 分值 are written, whether the form is scored at all, and which 三级 row
is 预算执行率, scored from the 项目资金 block's rate.

rules.template_from_json reads them with read_options; a refusal is a BoundsError (a ValueError) naming the
field, which the reader turns into its "模板数据有误" sentence.  Nothing here scores: domain/scoring.py and
domain/template_checks.py use the TemplateOptions this returns.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.rule_bounds import MAX_WEIGHT_TOTAL, ZERO, BoundsError, number, within

LEVEL1, LEVEL2, LEVEL3 = "level1", "level2", "level3"
WEIGHTS_ON = (LEVEL1, LEVEL2, LEVEL3)
SEP = " › "
MAX_ROW_NAME = 60
HeadingWeights = tuple[tuple[str, Decimal], ...]  # ("产出指标", 70), or ("产出指标 › 数量指标", 20) for a 二级


def heading_key(level1: str, level2: str = "") -> str:
    """The name a heading's weight is kept under: the 一级's name, or "一级 › 二级"."""
    return f"{level1}{SEP}{level2}" if level2 else level1


@dataclass(frozen=True)
class TemplateOptions:
    """weights_on: "level3" (each 三级 row has its 分值, the usual form), "level1" or "level2" (the 分值 are on the
    headings, the 三级 rows carry none).  scored: False for a form of targets and actuals only (no 分值, 得分,
    grade).  execution_rate_row: a 三级 row name scored from the funds' rate; the funds block is then unscored."""

    weights_on: str = LEVEL3
    heading_weights: HeadingWeights = ()
    scored: bool = True
    execution_rate_row: str = ""

    @property
    def on_headings(self) -> bool:
        return self.weights_on != LEVEL3

    @property
    def funds_scored(self) -> bool:
        """The 项目资金 block has its 分值 and 得分 (not in a no-score template, nor where a row is 预算执行率)."""
        return self.scored and not self.execution_rate_row

    @property
    def rows_weighted(self) -> bool:
        """Each 三级 row carries its own 分值."""
        return self.scored and not self.on_headings

    def weight_of(self, level1: str, level2: str = "") -> Decimal | None:
        return dict(self.heading_weights).get(heading_key(level1, level2))

    def is_rate_row(self, name: str) -> bool:
        return bool(self.execution_rate_row) and name.strip() == self.execution_rate_row

    def scored_headings(self) -> tuple[tuple[str, str, Decimal], ...]:
        """(一级, 二级 or "", weight) of the headings whose rows' 得分 are held to the weight: the level weights
        are on, and the 一级 too where they have one."""
        out = []
        for key, weight in self.heading_weights:
            l1, _, l2 = key.partition(SEP)
            if self.weights_on == LEVEL2 or not l2:
                out.append((l1, l2, weight))
        return tuple(out)

    def level1_weights(self) -> dict[str, Decimal]:
        """Each 一级's weight: its own, or the sum of its 二级 weights."""
        out: dict[str, Decimal] = {}
        for key, weight in self.heading_weights:
            l1, _, l2 = key.partition(SEP)
            if l2 and l1 not in dict(self.heading_weights):
                out[l1] = out.get(l1, ZERO) + weight
            elif not l2:
                out[l1] = weight
        return out

    def total_weight(self) -> Decimal:
        return sum(self.level1_weights().values(), ZERO)

    def heading_label(self, level1: str, level2: str = "") -> str:
        """An 一级 / 二级 name as printed, with its 分值 where the template weights the headings: 产出指标（50分）."""
        w = self.weight_of(level1, level2)
        return (level2 or level1) + (f"（{fmt_decimal(w)}分）" if w is not None else "")


def child_name(child: object) -> str:
    """A 二级 in the tree: a name, or {"name": …, "weight": …}."""
    if isinstance(child, dict):
        return str(child["name"])
    return str(child)


def _weight(node: dict[str, Any], field: str) -> Decimal:
    w = number(node["weight"], field)
    within(w, ZERO, MAX_WEIGHT_TOTAL, field)
    return w


def _tree_weights(tree: Iterable[dict[str, Any]]) -> HeadingWeights:
    out: list[tuple[str, Decimal]] = []
    for node in tree:
        l1 = str(node["name"])
        if "weight" in node:
            out.append((l1, _weight(node, f"tree › {l1} › weight")))
        for child in node["children"]:
            if isinstance(child, dict) and "weight" in child:
                key = heading_key(l1, child_name(child))
                out.append((key, _weight(child, f"tree › {key} › weight")))
    return tuple(out)


def _missing_weights(weights_on: str, tree: Sequence[dict[str, Any]], given: dict[str, Decimal]) -> list[str]:
    if weights_on == LEVEL1:
        return [str(n["name"]) for n in tree if str(n["name"]) not in given]
    return [
        heading_key(str(n["name"]), child_name(c))
        for n in tree
        for c in n["children"]
        if heading_key(str(n["name"]), child_name(c)) not in given
    ]


def _check_level2_sums(tree: Sequence[dict[str, Any]], given: dict[str, Decimal]) -> None:
    """An 一级 weight written beside its 二级 weights must be their sum."""
    for n in tree:
        l1 = str(n["name"])
        if l1 not in given:
            continue
        parts = sum((given.get(heading_key(l1, child_name(c)), ZERO) for c in n["children"]), ZERO)
        if parts != given[l1]:
            raise BoundsError(f"字段“tree › {l1} › weight”为 {given[l1]}，但其二级指标的分值合计 {parts}。")


def _choice(value: object, field: str) -> str:
    if value not in WEIGHTS_ON:
        raise BoundsError(f"字段“{field}”的值应为 {'、'.join(WEIGHTS_ON)} 之一。")
    return str(value)


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise BoundsError(f"字段“{field}”应为 true 或 false。")
    return value


def _row_name(value: object) -> str:
    name = str(value or "").strip()
    if len(name) > MAX_ROW_NAME or any(ord(c) < 32 for c in name):
        raise BoundsError(f"字段“execution_rate_row”应为一个三级指标名称（最多 {MAX_ROW_NAME} 字）。")
    return name


def read_options(d: dict[str, Any]) -> TemplateOptions:
    """The options of a template's JSON, held to what agrees: weights on the headings the option names (all of
    them), no weights nor 预算执行率 row in a template without scores."""
    weights_on = _choice(d.get("weights_on", LEVEL3), "weights_on")
    scored = _flag(d.get("scored", True), "scored")
    rate_row = _row_name(d.get("execution_rate_row"))
    tree = list(d.get("tree") or [])
    weights = _tree_weights(tree)
    given = dict(weights)
    if weights and weights_on == LEVEL3:
        raise BoundsError("模板的 tree 中写了一级/二级指标的分值（weight），请写明 weights_on（level1 或 level2）。")
    if weights_on == LEVEL1 and any(SEP in key for key in given):
        raise BoundsError("weights_on 为 level1 时，分值（weight）只写在一级指标上。")
    missing = _missing_weights(weights_on, tree, given) if weights_on != LEVEL3 else []
    if missing:
        raise BoundsError(f"weights_on 为 {weights_on}，但“{missing[0]}”没有写分值（weight）。")
    if weights_on == LEVEL2:
        _check_level2_sums(tree, given)
    if not scored and (weights_on != LEVEL3 or rate_row):
        raise BoundsError("scored 为 false（不计分的模板）时，不能再写 weights_on 或 execution_rate_row。")
    return TemplateOptions(weights_on, weights, scored, rate_row)
