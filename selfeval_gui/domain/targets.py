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
from dataclasses import dataclass
from decimal import Decimal

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
_DATE_UNIT_RE = re.compile(r"\s*(年|月底|月份|月末|月前|月\d|月中|日前|号)")
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
        return f"{word} {self._num(self.value)}"


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
    return bool(_DATE_UNIT_RE.match(t, end))  # at `end`, not on a copy of the rest: that is quadratic


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
