"""How the 绩效指标 table's columns share the page width: by what they hold, within limits that keep the official
proportions.

The fixed columns (the stacked 绩效指标, 一级, 二级, 分值, 得分) keep their widths.  The four text columns — 三级指标,
年度指标值, 实际完成值, 偏差原因分析及改进措施 — each get what their longest line needs (so "指标1：完成课程数" does
not break when there is room), held between a floor and a ceiling.  The names come first; the other three share
what is left by how much text they hold, none beyond what its longest line needs.  An empty 偏差原因 column
therefore gives its width to the names and values beside it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from reportlab.lib.units import mm

from selfeval_gui.files.pdf.layout import HANG, PAD_X
from selfeval_gui.files.pdf.textblock import text_width

log = logging.getLogger(__name__)

DEFAULT = (8, 18, 19, 26, 27, 27, 13, 17, 25)  # mm; sums to 180 (the content width)
FLEX = (3, 4, 5, 8)  # 三级指标, 年度指标值, 实际完成值, 偏差原因分析及改进措施
NAME = 3
# 偏差原因分析及改进措施's floor keeps its heading on two lines (偏差原因分析 / 及改进措施).
FLOOR = {3: 22.0, 4: 20.0, 5: 20.0, 8: 23.0}
CEILING = {3: 34.0, 4: 38.0, 5: 38.0, 8: 40.0}


def _line_mm(text: str, font: str, size: float) -> float:
    """The widest line of `text` in mm, with the cell's padding."""
    widest = max((text_width(line, font, size) for line in text.split("\n")), default=0.0)
    return float((widest + 2 * PAD_X + HANG) / float(mm))


def _needs(columns: Mapping[int, Iterable[str]], font: str, size: float) -> tuple[dict[int, float], dict[int, float]]:
    """Per flexible column: what its longest line needs (between floor and ceiling), and how much text it holds."""
    need: dict[int, float] = {}
    volume: dict[int, float] = {}
    for c in FLEX:
        lines = [_line_mm(t, font, size) for t in columns.get(c, ()) if t]
        need[c] = min(max([FLOOR[c], *lines]), CEILING[c])
        volume[c] = sum(lines) + 1.0
    return need, volume


def _share_by_volume(share: dict[int, float], need: dict[int, float], volume: dict[int, float], total: float) -> None:
    """The values and notes grow from their floors by how much text they hold, up to what they need."""
    rest = [c for c in FLEX if c != NAME]
    for _ in range(len(rest)):
        left = total - sum(share.values())
        wanting = [c for c in rest if share[c] < need[c]]
        if left < 0.01 or not wanting:
            return
        whole = sum(volume[c] for c in wanting)
        for c in wanting:
            share[c] += min(left * volume[c] / whole, need[c] - share[c])


def _spread_left(share: dict[int, float], total: float) -> None:
    """Everything fits on one line: the room left keeps the official proportions."""
    rest = [c for c in FLEX if c != NAME]
    left = total - sum(share.values())
    if left > 0.01:
        whole = sum(DEFAULT[c] for c in rest)
        for c in rest:
            share[c] += left * DEFAULT[c] / whole


def indicator_widths(columns: Mapping[int, Iterable[str]], font: str, size: float) -> tuple[float, ...]:
    """The nine column widths (mm) for the texts each flexible column holds (header lines included)."""
    need, volume = _needs(columns, font, size)
    total = sum(DEFAULT[c] for c in FLEX)
    rest = [c for c in FLEX if c != NAME]
    # the names first: they are short, and a name broken in the middle reads badly
    share = {NAME: min(need[NAME], total - sum(FLOOR[c] for c in rest)), **{c: FLOOR[c] for c in rest}}
    _share_by_volume(share, need, volume, total)
    _spread_left(share, total)
    widths: list[float] = [float(w) for w in DEFAULT]
    for c in FLEX:
        widths[c] = share[c]
    return tuple(widths)


EXTRA_WIDTH = 11.0  # mm for 指标性质 / 度量单位: two characters a line


def with_extra_columns(widths: tuple[float, ...], count: int) -> tuple[float, ...]:
    """`count` narrow columns (a template's 指标性质, 度量单位) put after 三级指标, their room taken from the four
    text columns in proportion, so the table stays 180 mm wide."""
    if count == 0:
        return widths
    flex = sum(widths[c] for c in FLEX)
    scale = (flex - count * EXTRA_WIDTH) / flex
    scaled = [w * scale if c in FLEX else w for c, w in enumerate(widths)]
    return (*scaled[: NAME + 1], *([EXTRA_WIDTH] * count), *scaled[NAME + 1 :])
