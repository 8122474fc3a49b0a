"""What a rule set or a template may hold: numbers a form can use, no setting that contradicts another, and
no more fund rows, columns and 一级/二级 headings than a paper form has.

rules.ruleset_from_json and rules.template_from_json call these after reading the values, so a file a bureau
hands out is held to them when it is installed and whenever it is read.  Each refusal is one Chinese sentence
naming the field (raised as rules.RuleSetError by the caller's type, passed in to keep this module free of it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from selfeval_gui.domain.quoting import quoted

# A number in a rule set is a share, a rate, a weight or a total: a few digits each side of the point.
MAX_NUMBER_CHARS = 12
MAX_WEIGHT_TOTAL = Decimal(1000)
MAX_OVER_ACHIEVEMENT = Decimal(10)  # beating the target by 1,000%
MAX_GRADES = 10
MAX_FUND_ROWS = 12  # 年度资金总额 and its parts: published forms have 3 to 6
MAX_LEVEL1 = 10
MAX_LEVEL2 = 30  # under one 一级
MAX_LABEL_CHARS = 60  # a row, column or heading label
ONE, ZERO = Decimal(1), Decimal(0)


class BoundsError(ValueError):
    """A value outside what a form can use; str() is the sentence naming the field."""


def number(value: object, field: str) -> Decimal:
    """A decimal string or number of at most MAX_NUMBER_CHARS characters, finite."""
    text = str(value).strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise BoundsError(
            f"字段“{field}”的数字太长（{len(text):,} 个字符），规则集中的数字最多 {MAX_NUMBER_CHARS} 位。"
        )
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise BoundsError(f"字段“{field}”的值“{text}”不是数字。") from None
    if not d.is_finite():
        raise BoundsError(f"字段“{field}”的值“{text}”不是有效的数字。")
    return d


def within(value: Decimal, low: Decimal, high: Decimal, field: str) -> None:
    if not low <= value <= high:
        raise BoundsError(f"字段“{field}”的值 {value} 超出范围，应在 {low} 到 {high} 之间。")


def descending(values: Sequence[Decimal], field: str) -> None:
    if any(a <= b for a, b in zip(values, values[1:], strict=False)):
        raise BoundsError(f"字段“{field}”应从高到低排列，且不能重复。")


def unique(names: Iterable[str], field: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise BoundsError(f"字段“{field}”中“{name}”出现了两次。")
        seen.add(name)


def at_most(items: Sequence[object], limit: int, field: str) -> None:
    if len(items) > limit:
        raise BoundsError(f"字段“{field}”有 {len(items):,} 项，最多 {limit} 项。")


def labels(names: Iterable[str], field: str) -> None:
    for name in names:
        if not name.strip() or len(name) > MAX_LABEL_CHARS or any(ord(c) < 32 for c in name):
            raise BoundsError(
                f"字段“{field}”中的名称{quoted(name, 20)}无效（不能为空、不能含控制字符，最多 {MAX_LABEL_CHARS} 字）。"
            )


def check_rule_set_values(
    weight_total: Decimal,
    guideline: dict[str, Decimal],
    bands: dict[str, tuple[Decimal, Decimal]],
    over_achievement: Decimal,
    execution_note_below: Decimal,
    grades: Sequence[tuple[str, Decimal]],
    cap: Sequence[tuple[Decimal, Decimal | None]] | None,
) -> None:
    """The rule set's numbers within what a form can use and agreeing with each other."""
    within(weight_total, ONE, MAX_WEIGHT_TOTAL, "weight_total")
    for key, value in guideline.items():
        within(value, ZERO, weight_total, f"weights_guideline › {key}")
    if sum(guideline.values(), ZERO) > weight_total:
        raise BoundsError(f"字段“weights_guideline”的各项之和大于总分值 weight_total（{weight_total}）。")
    for key, (low, high) in bands.items():
        within(low, ZERO, ONE, f"qualitative_bands › {key}")
        within(high, ZERO, ONE, f"qualitative_bands › {key}")
        if low > high:
            raise BoundsError(f"字段“qualitative_bands › {key}”的下限 {low} 大于上限 {high}。")
    within(over_achievement, ZERO, MAX_OVER_ACHIEVEMENT, "over_achievement")
    within(execution_note_below, ZERO, ONE, "execution_note_below")
    at_most(grades, MAX_GRADES, "grades")
    labels((g for g, _ in grades), "grades")
    unique((g for g, _ in grades), "grades")
    for name, low in grades:
        within(low, ZERO, weight_total, f"grades › {name}")
    descending([low for _, low in grades], "grades")
    if cap:
        for rate, highest in cap:
            within(rate, ZERO, ONE, "execution_cap")
            if highest is not None:
                within(highest, ZERO, weight_total, "execution_cap")
        descending([rate for rate, _ in cap], "execution_cap")


def check_template_values(
    budget_weight: Decimal,
    fund_rows: Sequence[tuple[str, str]],
    fund_columns: Sequence[tuple[str, str]],
    tree: Sequence[tuple[str, Sequence[str]]],
) -> None:
    """The template's block sizes and names: what a paper form can hold, nothing twice."""
    within(budget_weight, ZERO, MAX_WEIGHT_TOTAL, "budget_weight")
    at_most(fund_rows, MAX_FUND_ROWS, "funds › rows")
    unique((k for k, _ in fund_rows), "funds › rows")
    labels((label for _, label in fund_rows), "funds › rows")
    unique((k for k, _ in fund_columns), "funds › columns")
    labels((label for _, label in fund_columns), "funds › columns")
    at_most(tree, MAX_LEVEL1, "tree")
    unique((name for name, _ in tree), "tree")
    labels((name for name, _ in tree), "tree")
    for name, children in tree:
        at_most(children, MAX_LEVEL2, f"tree › {name}")
        unique(children, f"tree › {name}")
        labels(children, f"tree › {name}")


MAX_TEXT_LIMIT = 10000  # 字数上限 of one text field


def switches(value: object, known: Iterable[str], field: str) -> frozenset[str]:
    """The keys switched on by an object of true/false ({"word_actual": false}): every known key is on unless
    the object turns it off; an unknown key or a value that is not true/false is refused."""
    names = tuple(known)
    if value is None:
        return frozenset(names)
    if not isinstance(value, dict):
        raise BoundsError(f"字段“{field}”应为一个对象（各项检查写 true 或 false）。")
    for key, on in value.items():
        if key not in names:
            raise BoundsError(f"字段“{field}”中的{quoted(str(key), 30)}不认识，可用：{'、'.join(names)}。")
        if not isinstance(on, bool):
            raise BoundsError(f"字段“{field} › {key}”应为 true 或 false。")
    return frozenset(k for k in names if value.get(k, True))


def text_limits(value: object, known: Iterable[str], field: str) -> tuple[tuple[str, int], ...]:
    """字数上限 per text field ({"deviation": 200}): known fields only, whole numbers from 1 to MAX_TEXT_LIMIT."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise BoundsError(f"字段“{field}”应为一个对象（字段名: 字数上限）。")
    names = tuple(known)
    out = []
    for key, limit in value.items():
        if key not in names:
            raise BoundsError(f"字段“{field}”中的{quoted(str(key), 30)}不认识，可用：{'、'.join(names)}。")
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_TEXT_LIMIT:
            raise BoundsError(f"字段“{field} › {key}”应为 1 到 {MAX_TEXT_LIMIT} 之间的整数。")
        out.append((str(key), limit))
    return tuple(out)
