"""How the 绩效指标 table's columns share the page width: by what they hold.

The fixed columns (the stacked 绩效指标, 一级, 二级, 分值, 得分, a template's 指标性质 / 度量单位) keep their widths.
The four text columns — 三级指标, 年度指标值, 实际完成值, 偏差原因分析及改进措施 — share the rest:

1. each starts at its floor: a sensible minimum, wide enough for its heading's lines;
2. what is left goes to the columns whose text does not fit on one line at the floor, by how much text overflows
   there, none beyond what its longest line needs; room nobody needs keeps the official proportions;
3. then width moves from one column to another (8 mm, 4, 2, 1, ½) as long as the table gets shorter — rows are
   as tall as their tallest cell, estimated from the lines each cell's text makes at a width — or, as tall, holds
   fewer lines in all (a name broken in the middle reads badly).

So an empty 偏差原因 column keeps only its floor and gives the rest to the names and values beside it, and an
80-character 年度指标值 gets the width that saves the most lines of paper.  A form of thousands of rows is judged
by its distinct rows, a few hundred at most (every k-th of them): the widths are an estimate anyway.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence

from reportlab.lib.units import mm

from selfeval_gui.files.pdf.layout import HANG, PAD_X
from selfeval_gui.files.pdf.textblock import text_width

log = logging.getLogger(__name__)

DEFAULT = (8, 18, 19, 26, 27, 27, 13, 17, 25)  # mm; sums to 180 (the content width)
FLEX = (3, 4, 5, 8)  # 三级指标, 年度指标值, 实际完成值, 偏差原因分析及改进措施
NAME = 3
MINIMUM = {3: 16.0, 4: 16.0, 5: 16.0, 8: 16.0}  # mm (five characters); a wider heading widens its floor
# mm; no column grows past its ceiling (a field of thousands of characters would otherwise squeeze all the others)
CEILING = {3: 34.0, 4: 40.0, 5: 40.0, 8: 40.0}
EXTRA_WIDTH = 11.0  # mm for 指标性质 / 度量单位: two characters a line
STEPS = (8.0, 4.0, 2.0, 1.0, 0.5)  # mm moved between two columns at a time
NAME_BREAK = 2  # lines of paper a broken name is worth: broken only to save more
MAX_ROWS = 300  # distinct rows judged; more are sampled
MAX_MOVES = 400  # a bound on the moves tried, whatever the form holds

Cell = tuple[float, ...]  # a cell's typed lines, each's width in points
Row = tuple[Cell, ...]  # a row's four text cells, in FLEX order


def _pad() -> float:
    """What a cell keeps beside its text, in points (pdf_layout.inner_width)."""
    return 2 * PAD_X + HANG


def _mm(points: float) -> float:
    return float((points + _pad()) / float(mm))


def _measured(text: str, font: str, size: float) -> Cell:
    """The widths of the text's typed lines; an empty text has none (a trailing line break adds none)."""
    if not text:
        return ()
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return tuple(round(text_width(line, font, size), 1) for line in lines)


class _Table:
    """The distinct rows of the table (how often each occurs) and the lines their cells make at a width."""

    def __init__(self, rows: Iterable[Sequence[str]], font: str, size: float):
        counts: dict[Row, int] = {}
        for row in rows:
            key = tuple(_measured(row[n] if n < len(row) else "", font, size) for n in range(len(FLEX)))
            counts[key] = counts.get(key, 0) + 1
        distinct = list(counts.items())
        stride = max(1, math.ceil(len(distinct) / MAX_ROWS))
        self.rows = [row for row, _ in distinct[::stride]]
        self.counts = [n for _, n in distinct[::stride]]
        self._lines: dict[tuple[int, float], list[int]] = {}

    def column(self, n: int) -> list[Cell]:
        """The cells of column FLEX[n], one per distinct row."""
        return [row[n] for row in self.rows]

    def lines(self, n: int, width_mm: float) -> list[int]:
        """How many lines each distinct row's cell of column FLEX[n] makes in a column `width_mm` wide."""
        key = (n, round(width_mm, 3))
        known = self._lines.get(key)
        if known is None:
            inner = max(width_mm * float(mm) - _pad(), 1.0)
            known = self._lines[key] = [
                sum(max(1, math.ceil(w / inner - 1e-9)) for w in cell) for cell in self.column(n)
            ]
        return known

    def cost(self, share: Sequence[float]) -> tuple[int, int]:
        """The table's height in lines (each row as tall as its tallest cell) with a line more for each name broken
        (a name broken in the middle reads badly: worth it only when that saves more than a line), then all the
        lines its cells make."""
        cols = [self.lines(n, w) for n, w in enumerate(share)]
        rows = list(zip(*cols, strict=True))
        height = sum(k * (max(t) + NAME_BREAK * (t[0] - min(t[0], 1))) for k, t in zip(self.counts, rows, strict=True))
        return height, sum(k * sum(t) for k, t in zip(self.counts, rows, strict=True))


def _floors(heads: Sequence[str], font: str, size: float, room: float) -> list[float]:
    """Each text column's minimum: MINIMUM, or its heading's longest line; all of them shrunk alike to `room`."""
    floors = [max([MINIMUM[c], *(_mm(w) for w in _measured(heads[n], font, size))]) for n, c in enumerate(FLEX)]
    whole = sum(floors)
    if whole > room:
        log.info("the indicator headings need %.1f mm of %.1f: shrunk", whole, room)
        floors = [f * room / whole for f in floors]
    return floors


def _wants(table: _Table, floors: list[float]) -> tuple[list[float], list[float]]:
    """Per text column: the width its longest line needs (floor to ceiling), and how much text overflows its floor
    (points of text beyond the first line of each typed line, in all rows)."""
    need: list[float] = []
    volume: list[float] = []
    for n, floor in enumerate(floors):
        cells = table.column(n)
        inner = floor * float(mm) - _pad()
        longest = max((w for cell in cells for w in cell), default=0.0)
        need.append(min(max(floor, _mm(longest)), max(floor, CEILING[FLEX[n]])))
        volume.append(sum(k * max(0.0, w - inner) for k, cell in zip(table.counts, cells, strict=True) for w in cell))
    return need, volume


def _start(table: _Table, floors: list[float], room: float) -> list[float]:
    """The floors, then the room left by how much text overflows them, none beyond its longest line; room nobody
    needs by the official proportions."""
    share = list(floors)
    need, volume = _wants(table, floors)
    for _ in FLEX:
        left = room - sum(share)
        wanting = [n for n in range(len(FLEX)) if share[n] < need[n] - 1e-9 and volume[n] > 0]
        if left < 0.01 or not wanting:
            break
        whole = sum(volume[n] for n in wanting)
        for n in wanting:
            share[n] += min(left * volume[n] / whole, need[n] - share[n])
    left = room - sum(share)
    if left > 0.01:
        whole = sum(DEFAULT[c] for c in FLEX)
        share = [w + left * DEFAULT[c] / whole for w, c in zip(share, FLEX, strict=True)]
    return share


def _improve(table: _Table, share: list[float], floors: list[float]) -> list[float]:
    """Width moved between two columns while the table gets shorter (or, as tall, holds fewer lines)."""
    best = table.cost(share)
    moves = 0
    for step in STEPS:
        improved = True
        while improved and moves < MAX_MOVES:
            improved = False
            for a in range(len(FLEX)):
                if share[a] - step < floors[a] - 1e-9:
                    continue
                for b in range(len(FLEX)):
                    if a == b or share[b] + step > CEILING[FLEX[b]] + 1e-9:
                        continue
                    trial = list(share)
                    trial[a] -= step
                    trial[b] += step
                    moves += 1
                    cost = table.cost(trial)
                    if cost < best:
                        share, best, improved = trial, cost, True
                        break
    return share


def indicator_widths(
    rows: Iterable[Sequence[str]], heads: Sequence[str], font: str, size: float, extras: int = 0
) -> tuple[float, ...]:
    """The 绩效指标 table's column widths (mm), summing to 180.

    rows: each indicator row's 三级指标, 年度指标值, 实际完成值 and 偏差原因 as printed ("\\n" breaks a line);
    heads: those columns' headings as printed; extras: narrow columns (a template's 指标性质, 度量单位), EXTRA_WIDTH
    each, put after 三级指标 with their room taken from the four text columns."""
    room = sum(DEFAULT[c] for c in FLEX) - extras * EXTRA_WIDTH
    table = _Table(rows, font, size)
    floors = _floors(heads, font, size, room)
    share = _improve(table, _start(table, floors, room), floors)
    widths: list[float] = [float(w) for w in DEFAULT]
    for n, c in enumerate(FLEX):
        widths[c] = share[n]
    return (*widths[: NAME + 1], *([EXTRA_WIDTH] * extras), *widths[NAME + 1 :])
