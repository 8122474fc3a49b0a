"""Row kinds as data in the form (issue 22 item 2): breakdown rows, parents scored from them, targets in the name.

- A **breakdown row** (分解指标, printed “其中：…”) is an `Indicator` with `kind == BREAKDOWN` in the same list as
  the other rows of its 二级: it belongs to the nearest row above it that is not a breakdown row (its parent).
  It has its own 年度指标值 and 实际完成值, no 分值 / 得分 of its own, and is never counted in the totals; a
  missed breakdown row asks its parent for a 偏差原因.
- A **parent with no target of its own** is scored from its breakdown rows: all met → full marks; otherwise the
  clerk's score stands (held to 0..分值).
- A **target read from the 三级 name** where the 年度指标值 is empty (“年度资金支付完成率100%” → “100%”).

Keeping breakdown rows in the one list of rows keeps insert / remove / move (domain/form.py) and the window's
row model unchanged.  `settle` works on scoring's results through the `Scored` protocol (scoring calls it; this
module does not import scoring).
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Protocol, TypeVar

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.numbers import fmt_decimal, normalize
from selfeval_gui.domain.rules import RuleSet
from selfeval_gui.domain.targets import parse_target

log = logging.getLogger(__name__)

BREAKDOWN = "breakdown"
KINDS = ("", BREAKDOWN)
BREAKDOWN_WORD = "分解指标"
BREAKDOWN_PREFIX = "其中："
# How a workbook writes a breakdown row's name: 其中：… / 其中:… / 其中 … / （其中）… / (其中)…
_PREFIX_RE = re.compile(r"^\s*(?:[（(]\s*其中\s*[)）]|其中)\s*[：:，,、]?\s*")
STAR = "★"
BREAKDOWN_SCORE_TEXT = "不计分"  # the window's 计算得分 cell of a breakdown row

Path = tuple[int, int, int]


def is_breakdown(ind: Indicator) -> bool:
    return ind.kind == BREAKDOWN


def toggled(kind: str) -> str:
    """The kind the 设为分解指标（其中） action gives a row of this kind."""
    return "" if kind == BREAKDOWN else BREAKDOWN


def shown_name(ind: Indicator) -> str:
    """The 三级 name as printed and shown: a breakdown row's with “其中：” before it (once: a name typed with its
    own 其中 keeps one)."""
    return f"{BREAKDOWN_PREFIX}{split_prefix(ind.name)[1]}" if is_breakdown(ind) else ind.name


def row_number(rows: Sequence[Indicator], k: int) -> int:
    """How many numbered rows come before row k of a 二级 (its 指标N is this + 1): breakdown rows are not
    numbered, so the row after a ★ row's 其中 rows is 指标2, as on paper."""
    return sum(1 for ind in rows[:k] if not is_breakdown(ind))


INDENT = "\u3000"  # a full-width space: how far a breakdown row's name is shown and printed in from its parent's


def indented_name(ind: Indicator) -> str:
    """The name as the window shows it and the PDF and workbook print it: a breakdown row's indented, “其中：” first."""
    return f"{INDENT}{shown_name(ind)}" if is_breakdown(ind) else ind.name


def split_prefix(name: str) -> tuple[bool, str]:
    """A 三级 name as a workbook writes it → (whether it is written as a breakdown row, the name without 其中)."""
    m = _PREFIX_RE.match(name)
    if m is None or m.end() == len(name):
        return False, name
    return True, name[m.end() :]


def has_star(name: str) -> bool:
    return STAR in name


def parent_index(rows: Sequence[Indicator], k: int) -> int | None:
    """The row a breakdown row at k belongs to: the nearest row above it, in the same 二级, that is not a breakdown
    row; None when there is none."""
    for p in range(k - 1, -1, -1):
        if not is_breakdown(rows[p]):
            return p
    return None


def breakdown_indexes(rows: Sequence[Indicator], k: int) -> list[int]:
    """The breakdown rows of the row at k: the breakdown rows right below it."""
    out = []
    for p in range(k + 1, len(rows)):
        if not is_breakdown(rows[p]):
            break
        out.append(p)
    return out


_NAME_TARGET_RE = re.compile(
    r"(?<=[^\d\s.,])((?:[≥≤><=]|不低于|不少于|不高于|不超过|达到|达)?\s*\d+(?:\.\d+)?\s*(?:%|[\u4e00-\u9fff]{1,3})?)$"
)


def name_target(name: str) -> str:
    """A target written at the end of the 三级 name: “年度资金支付完成率100%” → “100%”; "" when there is none (a
    number needs a %, a comparator or a unit after it: “指标1” is no target)."""
    text = normalize(name).strip()
    m = _NAME_TARGET_RE.search(text)
    if m is None:
        return ""
    found = m.group(1).strip()
    if found[-1].isdigit() and found[0] not in "≥≤><=不达":
        return ""
    return found if parse_target(found).quantitative else ""


def name_target_of(ind: Indicator) -> str:
    """The target read from the name, only where the 年度指标值 is empty."""
    return "" if ind.target.strip() else name_target(ind.name)


class Scored(Protocol):
    """What settle needs of a scoring result (scoring.IndicatorResult)."""

    path: Path
    indicator: Indicator
    computed: Decimal | None
    exact: Decimal | None
    counted: Decimal | None
    explanation: str
    missed: bool
    excluded: bool
    breakdown: bool
    parts: int
    missed_parts: tuple[str, ...]
    name_target: str


R = TypeVar("R", bound=Scored)
Rescore = Callable[[Indicator, Path], R]


def _with_name_target(r: R, rescore: Rescore[R]) -> R:
    """A row whose 年度指标值 is empty, scored against the target its name holds."""
    ind = r.indicator
    target = name_target_of(ind)
    if not target:
        return r
    out = rescore(replace(ind, target=target), r.path)
    out.indicator = ind
    out.name_target = target
    return out


def _as_breakdown(r: R, rescore: Rescore[R]) -> tuple[R, str]:
    """A breakdown row and its state (met / missed / unknown / excluded): scored against its own target as if its
    分值 were 1, never a score of its own."""
    ind = r.indicator
    probe = replace(ind, target=ind.target.strip() or name_target(ind.name), weight=Decimal(1), score=None)
    out = rescore(probe, r.path)
    if out.excluded:
        state = "excluded"
    else:
        state = "missed" if out.missed else "met" if out.computed is not None or ind.grade == "achieved" else "unknown"
    out.indicator = ind
    out.name_target = name_target_of(ind)
    out.breakdown = True
    out.excluded = False
    out.computed = out.exact = out.counted = None
    out.explanation = f"{BREAKDOWN_WORD}：不单独计分，不计入总分（{_STATE_WORDS[state]}）"
    return out, state


_STATE_WORDS = {"met": "已完成", "missed": "未完成", "unknown": "无法判断是否完成", "excluded": "不适用"}


def _as_parent(r: R, parts: list[R], states: list[str], full: Callable[[Decimal], Decimal]) -> R:
    """A row with breakdown rows: their misses ask it for a 偏差原因; with no target of its own it is scored from
    them (all met → full marks, otherwise the clerk's score stands, already held to 0..分值 by scoring)."""
    out = copy.copy(r)
    out.parts = len(parts)
    out.missed_parts = tuple(
        p.indicator.name.strip() or "（未命名）" for p, s in zip(parts, states, strict=True) if s == "missed"
    )
    if out.excluded or out.indicator.target.strip() or out.name_target:
        return out
    w = out.indicator.weight
    met = [s for s in states if s != "excluded"]
    if met and all(s == "met" for s in met) and w is not None:
        out.exact, out.computed, out.counted = w, full(w), None
        out.explanation = f"{len(met)} 项{BREAKDOWN_WORD}全部完成，得满分 {fmt_decimal(w)}"
    elif not met or any(s == "unknown" for s in met):
        out.explanation = f"{BREAKDOWN_WORD}尚不能全部判断是否完成，按填报得分计"
    else:
        out.explanation = f"{BREAKDOWN_WORD}未全部完成，按填报得分计"
    return out


def _group(results: Sequence[Scored]) -> dict[tuple[int, int], list[int]]:
    groups: dict[tuple[int, int], list[int]] = {}
    for n, r in enumerate(results):
        groups.setdefault(r.path[:2], []).append(n)
    return groups


def _settle_group(out: list[R], idxs: list[int], rescore: Rescore[R], full: Callable[[Decimal], Decimal]) -> None:
    rows = [out[x].indicator for x in idxs]
    states: dict[int, str] = {}
    for n, x in enumerate(idxs):
        if is_breakdown(rows[n]):
            out[x], states[n] = _as_breakdown(out[x], rescore)
        elif name_target_of(rows[n]):
            out[x] = _with_name_target(out[x], rescore)
    for n, x in enumerate(idxs):
        parts = [] if is_breakdown(rows[n]) else breakdown_indexes(rows, n)
        if parts:
            out[x] = _as_parent(out[x], [out[idxs[p]] for p in parts], [states[p] for p in parts], full)


def _involved(r: Scored) -> bool:
    ind = r.indicator
    return is_breakdown(ind) or (not ind.target.strip() and bool(ind.name.strip()))


def settle(results: list[R], rescore: Rescore[R], rs: RuleSet) -> list[R]:
    """The results with the row kinds applied: breakdown rows marked (no score), their parents settled, targets read
    from names.  Results of rows no kind touches are handed back as they are (the same objects); the others are
    new objects, so a result a ScoreCache keeps is never changed."""
    if not any(_involved(r) for r in results):
        return results
    out = list(results)

    def full(w: Decimal) -> Decimal:
        return rs.round(w, rs.indicator_score_places)

    for idxs in _group(results).values():
        if any(_involved(out[x]) for x in idxs):
            _settle_group(out, idxs, rescore, full)
    return out


# ---------------------------------------------------------------- what the checks need


def not_required(r: Scored) -> frozenset[str]:
    """The inputs a row of its kind may leave empty: a breakdown row's 分值 / 得分, a target its name holds, and a
    parent's own 年度指标值 and 实际完成值 when its breakdown rows carry them."""
    out: set[str] = set()
    if r.breakdown:
        out |= {"weight", "score"}
    if r.name_target:
        out.add("target")
    if r.parts and not r.indicator.target.strip() and not r.name_target:
        out |= {"target", "actual"}
    return frozenset(out)


def kind_findings(rows: Sequence[Indicator], r: Scored) -> list[tuple[str, str, str]]:
    """(level, column, sentence) for a row of a kind: a breakdown row with no row above it, a 分值 / 得分 typed into
    a breakdown row, a target read from the name."""
    out: list[tuple[str, str, str]] = []
    ind = r.indicator
    if r.breakdown and parent_index(rows, r.path[2]) is None:
        out.append(
            (
                "warning",
                "name",
                f"这个{BREAKDOWN_WORD}上方没有所属的三级指标：请把它移到所属指标的下面，或取消“{BREAKDOWN_WORD}”。",
            )
        )
    if r.breakdown and (ind.weight is not None or ind.score is not None):
        out.append(("info", "weight", f"{BREAKDOWN_WORD}不单独计分：这一行填写的分值、得分不计入总分。"))
    if r.name_target:
        out.append(("info", "target", f"年度指标值没有填写，已按三级指标名称中的“{r.name_target}”作为年度指标值。"))
    return out


def missed_parts_reason(r: Scored) -> str:
    """Why a parent needs a 偏差原因 because of its breakdown rows ("" when none was missed)."""
    if not r.missed_parts:
        return ""
    names = "”“".join(r.missed_parts[:3]) + ("”等" if len(r.missed_parts) > 3 else "”")
    return f"{BREAKDOWN_WORD}“{names}未完成年度指标值"


def counted_row(ind: Indicator) -> bool:
    """A row whose 分值 / 得分 count in the totals: every row but a breakdown row."""
    return not is_breakdown(ind)


# ---------------------------------------------------------------- printed, exported and imported


def printed_label(k: int, name: str, ind: Indicator) -> str:
    """The 三级 cell as the PDF and the workbook print it: “指标N：name”, a breakdown row's indented “其中：name”."""
    return indented_name(ind) if is_breakdown(ind) else words.indicator_label(k, name)


def row_words(rows: Sequence[Indicator], k: int) -> str:
    """Row k of a 二级 as a finding names it: “指标N：name” (numbered as printed), a breakdown row “其中：name”."""
    ind = rows[k]
    if is_breakdown(ind):
        return shown_name(ind)
    return words.indicator_label(row_number(rows, k), ind.name or "（未命名）")


def own_numbers(ind: Indicator) -> tuple[Decimal | None, Decimal | None]:
    """(分值, 得分) as printed: a breakdown row's cells are empty."""
    return (None, None) if is_breakdown(ind) else (ind.weight, ind.score)


def mark_imported(rows: Sequence[Indicator], ind: Indicator) -> None:
    """A row read from a workbook, about to follow `rows` in its 二级: a breakdown row when its name is written
    “其中：…” / “（其中）…”, or when it follows a ★ row (or that row's breakdown rows) with no 分值 of its own or the
    parent's 分值 and 得分 repeated (those are then left to the parent)."""
    parent = parent_index(rows, len(rows))
    if parent is None:
        return
    written, name = split_prefix(ind.name)
    if written:
        ind.name, ind.kind = name, BREAKDOWN
    top = rows[parent]
    if not has_star(top.name) or has_star(ind.name):
        return
    repeated = ind.weight is not None and (ind.weight, ind.score) == (top.weight, top.score)
    if ind.weight is None or repeated:
        ind.kind = BREAKDOWN
    if is_breakdown(ind) and repeated:
        ind.weight = ind.score = None
