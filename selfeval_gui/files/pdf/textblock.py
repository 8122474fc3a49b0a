"""The text of one table cell of the PDF: broken into lines to a width, measured, cut between pages, drawn.

Our own, in place of reportlab's Paragraph (issue 12): importing reportlab.platypus cost 30 ms of every PDF
process (20 of them compiling a URL pattern no form uses), and a Paragraph was wrapped two or three times per cell.
A cell holds plain text, no markup: "\n" breaks a line.  After the cell's text may come notes, each a run of
lines in its own (smaller) size starting on a line of its own — the "（应为4.67）" under an entered score.  All
lines of a block are `leading` apart, whatever their size.

Where a line may break (Chinese rules, as the paper form is set):
- between any two CJK characters;
- a punctuation mark that must not start a line (CANNOT_START: ，。、；：）》 …) never does: when it is the
  character that overflows, it hangs past the line end (the cell keeps HANG points for it, pdf_layout);
- a number never breaks inside, nor from its "%" or unit ("100 / %", "14 / 节", "1514 / .0223"): the whole number
  moves to the next line, unless it starts the line (then it is simply too long);
- a Latin word (a run of characters below U+3000 without spaces: words, URLs, numbers with their signs) breaks
  at a space; the word moves to the next line when it fits there, else it is broken by characters;
- a single space at a break is dropped; a run of several spaces (a clerk's hand alignment) moves to the next line
  whole.

Widths come straight from the TrueType font's width table (font_cache.width_table: reportlab's charWidths or
the cached face's own), in thousandths of the font size, each character looked up once per process, summed with
itertools.accumulate: a line is found by bisecting those sums, not by adding character after character.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Any

from reportlab.pdfbase import pdfmetrics

from selfeval_gui.files.pdf.font_cache import width_table

log = logging.getLogger(__name__)

# Chinese punctuation that must not start a line, then the Western and other marks reportlab's CJK line breaker
# kept from starting one (its textsplit.ALL_CANNOT_START) which the form's text may hold.
CHINESE_CANNOT_START = "，；：！？）》」』】〕〉｝、。…—％‰℃"
CANNOT_START = CHINESE_CANNOT_START + "!',.:;?\")]］〗〙々―‐°′″￠・ー"
NUMBER_CHARS = "0123456789.,"
AFTER_NUMBER = "%％‰℃"
_FUZZ = 1e-8


# Plain classes, not dataclasses or NamedTuples: those cost 0.5–1.5 ms each to define, in every PDF process.
class Style:
    __slots__ = ("font", "size", "leading", "center")

    def __init__(self, font: str, size: float, leading: float, center: bool = False):
        self.font = font  # a font registered with reportlab
        self.size = size
        self.leading = leading
        self.center = center

    def scaled(self, size: float) -> Style:
        """The same style in another size, its leading in proportion."""
        return Style(self.font, size, self.leading * size / self.size, self.center)

    def __repr__(self) -> str:
        return f"Style({self.font!r}, {self.size}, {self.leading}, center={self.center})"


class Run:
    """A note after a cell's text: its own lines, in its own size."""

    __slots__ = ("text", "size")

    def __init__(self, text: str, size: float):
        self.text = text
        self.size = size


Line = tuple[str, float, float]  # text, font size, width in points


class Metrics:
    """Advance widths of one registered font, in thousandths of the font size, each character looked up once."""

    def __init__(self, font_name: str):
        font = pdfmetrics.getFont(font_name)
        face = getattr(font, "face", None)
        self._font = font
        # a TrueType font: its own table (font_cache's searched one for a cached face), the default width for the
        # rest; the built-in CID font (no table): measured by reportlab
        self._table = width_table(face)
        self._default = float(getattr(face, "defaultWidth", 0) or 0)
        self._known: dict[str, float] = {}

    def widths(self, text: str) -> list[float]:
        known = self._known
        try:
            return list(map(known.__getitem__, text))
        except KeyError:
            for ch in set(text).difference(known):
                known[ch] = self._width(ch)
            return list(map(known.__getitem__, text))

    def _width(self, ch: str) -> float:
        if self._table is None:
            return float(self._font.stringWidth(ch, 1000))
        return self._table.get(ord(ch), self._default)  # type: ignore[no-any-return]

    def width(self, text: str, size: float) -> float:
        return sum(self.widths(text)) * size / 1000


@lru_cache(maxsize=16)
def metrics(font_name: str) -> Metrics:
    return Metrics(font_name)


def text_width(text: str, font_name: str, size: float) -> float:
    """The width of `text` on one line, in points (as reportlab's stringWidth)."""
    return metrics(font_name).width(text, size)


def _latin(ch: str) -> bool:
    return ord(ch) < 0x3000 and not ch.isspace()


def _glued(text: str, k: int) -> bool:
    """Whether a line may not start at position k: inside a number, or between a number and its % or unit."""
    if not 0 < k < len(text) or not text[k - 1].isdigit():
        return False
    ch = text[k]
    return ch in NUMBER_CHARS or ch in AFTER_NUMBER or ord(ch) >= 0x3000 and ch.isalpha()


def _number_start(text: str, start: int, end: int) -> int | None:
    """Where the number that a line [start, end) would cut begins, if the line keeps something before it."""
    if not _glued(text, end):
        return None
    p = end
    while p > start and text[p - 1] in NUMBER_CHARS:
        p -= 1
    return p if p > start else None


def _space_break(text: str, start: int, e: int) -> tuple[int, int]:
    """A line overflowing at a space (text[e]): one space is the break itself and is dropped; a run of several
    moves to the next line whole (unless the line holds nothing else)."""
    rs, re_ = e, e
    while rs > start and text[rs - 1] == " ":
        rs -= 1
    while re_ < len(text) and text[re_] == " ":
        re_ += 1
    if re_ - rs == 1:
        return e, e + 1
    if rs > start:
        return rs, rs
    return e, max(e, start + 1)


def _word_start(text: str, acc: list[float], start: int, e: int, limit: float) -> int:
    """Where the line overflowing at character e breaks, as far as Latin words go: before the word e is in, when
    that word fits on a line of its own; else at e."""
    if not (_latin(text[e]) and e > start and _latin(text[e - 1])):
        return e
    p, q = e, e + 1
    while p > start and _latin(text[p - 1]):
        p -= 1
    if p == start:
        return e
    # to the word's end, but no further than a line's width: a run of 100,000 digits is not walked for every line
    while q < len(text) and _latin(text[q]):
        if acc[q + 1] - acc[p] > limit + _FUZZ:
            return e
        q += 1
    return p if acc[q] - acc[p] <= limit + _FUZZ else e


def _break_at(text: str, acc: list[float], start: int, e: int, limit: float) -> tuple[int, int]:
    """Where the line that starts at `start` and overflows at character e ends, and where the next one starts."""
    if text[e] == " ":
        return _space_break(text, start, e)
    b = _word_start(text, acc, start, e, limit)
    if b == start or b == e and text[b] in CANNOT_START:
        b += 1  # hangs past the line end (or the line would be empty)
    cut = _number_start(text, start, b)
    if cut is not None:
        b = cut
    end = b
    while end > start and text[end - 1] == " ":
        end -= 1
    if b - end > 1 and end > start:
        return end, end  # a run of several spaces that just fitted moves to the next line whole, as one that did not
    if b < len(text) and text[b] == " " and (b + 1 == len(text) or text[b + 1] != " "):
        b += 1  # a single space the next line would start with
    return end, b


def break_paragraph(text: str, widths: list[float], limit: float) -> list[tuple[int, int]]:
    """The lines of a text without line breaks as (start, end) positions; widths and limit in the same units."""
    acc = list(accumulate(widths, initial=0.0))
    n = len(text)
    if acc[-1] <= limit + _FUZZ:
        return [(0, n)]
    lines: list[tuple[int, int]] = []
    start = 0
    while start < n:
        # the first character that does not fit: the last position whose sum still fits, +0
        e = bisect_right(acc, acc[start] + limit + _FUZZ, lo=start) - 1
        if e >= n:
            lines.append((start, n))
            break
        end, nxt = _break_at(text, acc, start, e, limit)
        lines.append((start, end))
        start = nxt
    return lines


def _paragraphs(text: str) -> list[str]:
    """The text's lines as typed; a last line break adds no empty line (as reportlab's <br/> at the end)."""
    if not text:
        return []
    parts = text.split("\n")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return parts


def break_lines(text: str, font: str, size: float, width: float) -> list[Line]:
    """`text` broken into lines no wider than `width` points (a hung punctuation mark aside)."""
    m = metrics(font)
    scale = size / 1000
    limit = width / scale
    out: list[Line] = []
    for para in _paragraphs(text):
        widths = m.widths(para)
        for a, b in break_paragraph(para, widths, limit):
            out.append((para[a:b], size, sum(widths[a:b]) * scale))
    return out


class TextBlock:
    """A cell's text broken into lines: its height, its pieces for page breaks, and drawing it."""

    __slots__ = ("style", "lines")

    def __init__(self, style: Style, lines: list[Line]):
        self.style = style
        self.lines = lines

    @classmethod
    def of(cls, text: str, style: Style, width: float, notes: tuple[Run, ...] = ()) -> TextBlock:
        lines = break_lines(text, style.font, style.size, width)
        for note in notes:
            lines += break_lines(note.text, style.font, note.size, width)
        return cls(style, lines)

    @property
    def height(self) -> float:
        return len(self.lines) * self.style.leading

    @property
    def widest(self) -> float:
        return max((w for _, _, w in self.lines), default=0.0)

    def text(self) -> str:
        return "\n".join(t for t, _, _ in self.lines)

    def piece(self, start: int, stop: int) -> TextBlock:
        """Lines start..stop as a block of their own (a page's share of a row split across pages)."""
        return TextBlock(self.style, self.lines[start:stop])

    def draw(self, canv: Any, x: float, y_top: float, width: float) -> None:
        """Draw the lines under y_top, from x, centred in `width` when the style says so.

        One text object; each line moves down by the leading (T*) and, centred, sideways by what its width differs
        from the line before — few numbers to write, which is most of what reportlab's drawing costs."""
        if not self.lines:
            return
        st = self.style
        size = self.lines[0][1]
        # the first baseline one font size under the top, as reportlab's Paragraph set it
        t = canv.beginText(x, y_top - size)
        t.setFont(st.font, size, st.leading)
        at = 0.0  # where the current line starts, from x
        for text, sz, w in self.lines:
            dx = (width - w) / 2 if st.center else 0.0
            if text and abs(dx - at) > 1e-3:
                t.moveCursor(dx - at, 0)
                at = dx
            if sz != size:
                t.setFont(st.font, sz, st.leading)
                size = sz
            t.textLine(text)
        canv.drawText(t)
