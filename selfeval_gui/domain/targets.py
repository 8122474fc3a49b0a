"""Understand a 年度指标值 as people write it: comparator, value or range, unit, percent — or qualitative.

parse_target("≥90%")        -> higher-is-better, 90, percent
parse_target("不超过5个工作日") -> lower-is-better, 5, unit 个工作日
parse_target("30-50节")      -> range 30..50, unit 节 (scored against the lower bound)
parse_target("按合同要求")     -> qualitative: the clerk grades it
parse_actual("满意率达90%")    -> 90, percent
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from selfeval_gui.domain.numbers import fmt_decimal, normalize

log = logging.getLogger(__name__)

HIGHER, LOWER, RANGE, EQUAL, QUALITATIVE, MULTIPLE, EMPTY, EXCLUDED = (
    "higher",
    "lower",
    "range",
    "equal",
    "qualitative",
    "multiple",
    "empty",
    "excluded",
)
# A row marked with one of these takes no 分值 and is left out of the totals.
NOT_APPLICABLE_WORDS = ("/", "／", "不适用", "不涉及")

# Longest / negated phrases first: "不低于" must win over "低于".
_COMPARATORS: tuple[tuple[str, str], ...] = (
    ("不低于", HIGHER),
    ("不少于", HIGHER),
    ("不小于", HIGHER),
    ("不得低于", HIGHER),
    ("不得少于", HIGHER),
    ("不高于", LOWER),
    ("不超过", LOWER),
    ("不大于", LOWER),
    ("不多于", LOWER),
    ("不得超过", LOWER),
    ("不得高于", LOWER),
    ("控制在", LOWER),
    ("以内", LOWER),
    ("以下", LOWER),
    ("之内", LOWER),
    ("低于", LOWER),
    ("少于", LOWER),
    ("小于", LOWER),
    ("至多", LOWER),
    ("最多", LOWER),
    ("内", LOWER),
    ("≤", LOWER),
    ("<=", LOWER),
    ("<", LOWER),
    ("≥", HIGHER),
    (">=", HIGHER),
    (">", HIGHER),
    ("以上", HIGHER),
    ("达到", HIGHER),
    ("达", HIGHER),
    ("至少", HIGHER),
    ("高于", HIGHER),
    ("大于", HIGHER),
    ("超过", HIGHER),
    ("多于", HIGHER),
    ("提高", HIGHER),
    ("提升", HIGHER),
    ("增长", HIGHER),
    ("完成", HIGHER),
    ("降低", HIGHER),
    ("减少", HIGHER),
    ("=", EQUAL),
    ("等于", EQUAL),
)
_SYMBOLS = {"≧": "≥", "≦": "≤", "⩾": "≥", "⩽": "≤", "＞": ">", "＜": "<", "＝": "=", "～": "~", "〜": "~"}
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# Two numbers make a range when only a dash (or 至/到) stands between them.  Tested on the gap between two numbers
# found by _NUM_RE, never by one pattern searched over the text: that backtracks through a long digit run at
# every position it starts from, and 20,000 digits took a minute.
_RANGE_GAP_RE = re.compile(r"\s*(?:-|~|—|–|－|至|到)\s*")
_NUM_RE = re.compile(rf"({_NUM})\s*(%?)")
_UNIT_RE = re.compile(r"\s*([^\s\d,.;；，。、()（）%<>=≤≥~-]{0,6})")
_DATE_UNIT_RE = re.compile(r"\s*(月底|月份|月末|月前|月\d|月中|日前|号)")
# 年 after a number is a year only for four digits or with a month after it ("2021年", "21年3月"); "15年", "≥3年"
# are durations, like 个月, 天 and 小时.
_YEAR_RE = re.compile(r"\s*年")
_YEAR_MONTH_RE = re.compile(r"\s*年\s*\d{1,2}\s*月")
_FOUR_DIGITS_RE = re.compile(r"\d{4}")
_ZERO_RE = re.compile(r"^零(?=[\u4e00-\u9fff])")

DIRECTION_WORDS = {HIGHER: "不低于", LOWER: "不高于", EQUAL: "等于"}


@dataclass(frozen=True)
class Target:
    text: str
    kind: str
    value: Decimal | None = None  # threshold; a range's lower bound
    high: Decimal | None = None  # a range's upper bound
    unit: str = ""
    percent: bool = False
    comparator: str = ""
    nature: str = ""  # the 指标性质 column's word that set the direction (with_nature), "" when none did
    conflict: str = ""  # the target's own comparator where it disagrees with that column

    @property
    def quantitative(self) -> bool:
        return self.kind in (HIGHER, LOWER, RANGE, EQUAL)

    def _num(self, v: Decimal | None) -> str:
        return fmt_decimal(v) + ("%" if self.percent else self.unit)

    def describe(self) -> str:
        """What the program understood, in a clerk's words."""
        if self.kind == EMPTY:
            return "未填写"
        if self.kind == EXCLUDED:
            return "不适用（不计分值，不计入总分）"
        if self.kind == QUALITATIVE:
            return "定性指标（按完成等级评分）"
        if self.kind == MULTIPLE:
            return "含多个数值，无法自动评分（按填报得分）"
        if self.kind == RANGE:
            return f"区间 {self._num(self.value)}～{self._num(self.high)}（按下限 {self._num(self.value)} 评分）"
        word = {HIGHER: "越高越好，不低于", LOWER: "越低越好，不高于", EQUAL: "等于"}[self.kind]
        return f"{word} {self._num(self.value)}" + (f"（按指标性质“{self.nature}”）" if self.nature else "")


@dataclass(frozen=True)
class Actual:
    value: Decimal
    percent: bool = False
    unit: str = ""


def _prep(text: str) -> str:
    t = normalize(text or "")
    for a, b in _SYMBOLS.items():
        t = t.replace(a, b)
    return _ZERO_RE.sub("0", t)


def _dec(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _unit_after(t: str, end: int) -> str:
    m = _UNIT_RE.match(t, end)
    unit = m.group(1) if m else ""
    # A unit ends where the comparator or the verb after it begins: "3个月内完成" -> 个月.
    cut = re.search(r"以|之|内|完|左右|前|及|或|达|为", unit)
    return unit[: cut.start()] if cut else unit


def _is_date(t: str, end: int) -> bool:
    # matched at `end`, never on a copy of the rest: that is quadratic
    if _DATE_UNIT_RE.match(t, end):
        return True
    if not _YEAR_RE.match(t, end):
        return False
    e = end
    while e > 0 and t[e - 1].isspace():  # "2021 年": the digits end before the space
        e -= 1
    four = e >= 4 and bool(_FOUR_DIGITS_RE.fullmatch(t, e - 4, e)) and (e == 4 or not t[e - 5].isdigit())
    return four or bool(_YEAR_MONTH_RE.match(t, end))


def _numbers(t: str) -> list[re.Match[str]]:
    return [m for m in _NUM_RE.finditer(t)]


def _range(t: str, nums: list[re.Match[str]]) -> tuple[re.Match[str], re.Match[str]] | None:
    """The two numbers of "30-50节" when they are the text's only two and a dash joins them."""
    if len(nums) != 2:
        return None
    a, b = nums
    return (a, b) if _RANGE_GAP_RE.fullmatch(t, a.end(), b.start()) else None


def _comparator(t: str) -> tuple[str, str]:
    for word, kind in _COMPARATORS:
        if word in t:
            return word, kind
    return "", HIGHER  # a bare number: higher is better


@lru_cache(maxsize=16384)  # a Target is frozen: the same text always reads the same (the checks ask many times)
def parse_target(text: str | None) -> Target:
    raw = text or ""
    t = _prep(raw)
    if not t:
        return Target(raw, EMPTY)
    if t.strip() in NOT_APPLICABLE_WORDS:
        return Target(raw, EXCLUDED)
    nums = _numbers(t)
    if any(_is_date(t, m.end()) for m in nums):
        return Target(raw, QUALITATIVE)
    pair = _range(t, nums)
    if pair:
        a, b = pair
        low, high = _dec(a.group(1)), _dec(b.group(1))
        if low > high:
            low, high = high, low
        percent = bool(a.group(2) or b.group(2))
        unit = "" if percent else _unit_after(t, b.end())
        word, kind = _comparator(t[: a.start()] + t[b.end() :])
        if kind == LOWER:  # "控制在5-8天以内": the upper bound is the limit
            return Target(raw, LOWER, high, None, unit, percent, word)
        return Target(raw, RANGE, low, high, unit, percent, word)
    if not nums:
        return Target(raw, QUALITATIVE)
    if len(nums) > 1:
        return Target(raw, MULTIPLE)
    m = nums[0]
    percent = bool(m.group(2))
    unit = "" if percent else _unit_after(t, m.end())
    word, kind = _comparator(t[: m.start()] + " " + t[m.end() :])
    value = _dec(m.group(1))
    if value == 0 and not word:  # "零投诉", "0起": none allowed, so lower is better
        kind = LOWER
    return Target(raw, kind, value, None, unit, percent, word)


def parse_actual(text: str | None) -> Actual | None:
    """The single number in an 实际完成值 ("14节", "满意率达90%"), or None when there is not exactly one."""
    t = _prep(text or "")
    nums = _numbers(t)
    if len(nums) != 1 or _is_date(t, nums[0].end()):
        return None
    m = nums[0]
    percent = bool(m.group(2))
    return Actual(_dec(m.group(1)), percent, "" if percent else _unit_after(t, m.end()))


@dataclass(frozen=True, order=True)
class DateValue:
    """A date written in a target or an actual: 2023年12月, 2023年10月15日, 2023-12-31."""

    year: int
    month: int
    day: int | None = None

    def text(self) -> str:
        return f"{self.year}年{self.month}月" + (f"{self.day}日" if self.day else "")


_DATE_RE = re.compile(r"(\d{4})\s*(?:年|[-./])\s*(\d{1,2})\s*(?:月)?(?:\s*(?:[-./])?\s*(\d{1,2})\s*[日号]?)?")


def parse_date(text: str | None) -> DateValue | None:
    """The one date in the text, or None when there is none or more than one (or it is not a real month)."""
    t = _prep(text or "")
    found = list(_DATE_RE.finditer(t))
    if len(found) != 1:
        return None
    y, m, d = found[0].groups()
    month, day = int(m), int(d) if d else None
    if not 1 <= month <= 12 or (day is not None and not 1 <= day <= 31):
        return None
    return DateValue(int(y), month, day)


def on_time(done: DateValue, planned: DateValue) -> bool:
    """A deadline is met when the actual date is not after the planned one; a month without a day means its end."""
    if planned.day is None or done.day is None:
        return (done.year, done.month) <= (planned.year, planned.month)
    return done <= planned


# ---------------------------------------------------------------- 指标性质 and 度量单位 columns

# How templates with a 指标性质 column write the direction (after _prep: ＝ ﹦ ＞＝ ≧ are already = >= ≥).
# "定量" says nothing about the direction; the 年度指标值's own comparator (or higher-is-better) stands.
_NATURE_WORDS: tuple[tuple[str, str], ...] = (
    ("定性", QUALITATIVE),
    ("定量", ""),
    (">=", HIGHER),
    ("≥", HIGHER),
    ("不低于", HIGHER),
    ("不少于", HIGHER),
    ("正向", HIGHER),
    ("越高越好", HIGHER),
    ("<=", LOWER),
    ("≤", LOWER),
    ("不高于", LOWER),
    ("不超过", LOWER),
    ("反向", LOWER),
    ("越低越好", LOWER),
    (">", HIGHER),
    ("<", LOWER),
    ("=", EQUAL),
    ("═", EQUAL),
    ("等于", EQUAL),
    ("等", EQUAL),
)
# Words of a target that do not say a direction firmly ("达到30万元", "完成100%"): the column decides, no conflict.
_SOFT_COMPARATORS = frozenset({"达到", "达", "完成", "提高", "提升", "增长", "降低", "减少"})
_PERCENT_UNITS = ("%", "百分比", "百分率")


def nature_kind(nature: str | None) -> str | None:
    """The direction a 指标性质 cell gives: HIGHER, LOWER, EQUAL, QUALITATIVE; "" for none (blank, 定量);
    None for words it does not understand."""
    t = _prep(nature or "")
    if not t:
        return ""
    for word, kind in _NATURE_WORDS:
        if word in t:
            return kind
    return None


def _own_direction(target: Target) -> str:
    """The direction the 年度指标值 states by itself, "" when it states none firmly (a bare number, 达到)."""
    if not target.comparator or target.comparator in _SOFT_COMPARATORS:
        return ""
    return HIGHER if target.kind == RANGE else target.kind


def _with_unit(target: Target, measure_unit: str) -> Target:
    """The 度量单位 column's unit for a 年度指标值 written without one ("30" + 万元 -> 30万元)."""
    unit = _prep(measure_unit)
    if not unit or not target.quantitative or target.unit or target.percent:
        return target
    if unit in _PERCENT_UNITS:
        return replace(target, percent=True)
    return replace(target, unit=unit)


def with_nature(target: Target, nature: str = "", measure_unit: str = "") -> Target:
    """The 年度指标值 read with the template's 指标性质 and 度量单位 columns: 指标性质 "≤", 年度指标值 "30",
    度量单位 "万元" is "不高于 30万元"; 定性 makes the row qualitative.  Where the target's own comparator says
    otherwise ("≥30" under "≤") the column's direction is used and `conflict` names the target's word."""
    if target.kind in (EMPTY, EXCLUDED):
        return target
    target = _with_unit(target, measure_unit)
    kind = nature_kind(nature)
    if not kind:
        return target
    word = (nature or "").strip()
    if kind == QUALITATIVE:
        return Target(target.text, QUALITATIVE, nature=word)
    if not target.quantitative:
        return target  # a date or words: the column cannot make a number of them
    own = _own_direction(target)
    conflict = target.comparator if own and own != kind else ""
    if target.kind == RANGE:
        if kind == LOWER:  # a range under "≤": its upper bound is the limit
            return replace(target, kind=LOWER, value=target.high, high=None, nature=word, conflict=conflict)
        return replace(target, nature=word, conflict=conflict)
    return replace(target, kind=kind, nature=word, conflict=conflict)


# Comparators that make an 实际完成值 a bound rather than a measurement ("≥266米", "95%以上").
_ACTUAL_BOUNDS = (
    "不低于",
    "不少于",
    "不小于",
    "不高于",
    "不超过",
    "不大于",
    "不多于",
    "以上",
    "以内",
    "以下",
    "至少",
    "至多",
)
_ACTUAL_SYMBOLS_RE = re.compile(r"[≥≤<>]")


def actual_bound(text: str | None) -> str:
    """The comparator written into an 实际完成值 ("≥266米" -> "≥"), "" when it reads as a measured value."""
    t = _prep(text or "")
    m = _ACTUAL_SYMBOLS_RE.search(t)
    if m:
        return m.group(0)
    return next((w for w in _ACTUAL_BOUNDS if w in t), "")
