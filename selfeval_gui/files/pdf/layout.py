"""A small grid layout for paper forms: bands of ruled cells, paginated and drawn with a reportlab canvas.

Why not reportlab's Table: the form's 一级/二级 cells span many rows, and Table refuses to break a page
inside a row span (a 200-indicator form would not fit), nor can it shrink a spanned label to a page's piece
of it.  Here a page break may fall anywhere: a span is cut into one fragment per page, each showing its label
again; a row taller than the space left is split line by line; a band's header rows are repeated at the top of
every continuation page.  A cell's text is a pdf_textblock.TextBlock, broken into lines once when the rows are
measured and reused for placing, splitting and drawing.

Each band has its own column widths (as in the Word form, where the 项目资金 and 绩效指标 parts of the one
table have different column boundaries).  Coordinates inside this module run top-down from the page's top
margin; they are turned into reportlab's bottom-up coordinates only when drawing.
"""

from __future__ import annotations

import logging
from typing import Any

from selfeval_gui.files.pdf.textblock import Run, Style, TextBlock

log = logging.getLogger(__name__)

PAD_X = 2.5
PAD_Y = 2.5
# A punctuation mark that must not start a line hangs past the line end instead (pdf_textblock.CANNOT_START), so
# lines are broken HANG narrower than the cell: the hung glyph's ink (the left half of its em box) then stays
# inside the cell.
HANG = 5.0
MIN_SPLIT_SPACE = 40  # points: less than this left on a page and a tall row starts on the next one


class LayoutError(Exception):
    clerk_message = "表格内容无法排版到页面中（某个单元格的内容过宽或过高）。"


# Plain classes with __slots__: a dataclass or NamedTuple costs 0.5–1.5 ms to define, paid by every PDF process
# (issue 12); these are made in their thousands and never compared.
class Cell:
    __slots__ = ("row", "col", "text", "style", "rowspan", "colspan", "repeat", "notes")

    def __init__(
        self,
        row: int,
        col: int,
        text: str,
        style: Style,
        rowspan: int = 1,
        colspan: int = 1,
        repeat: bool = False,
        notes: tuple[Run, ...] = (),
    ):
        self.row, self.col = row, col
        self.text = text  # plain text as printed ("\n" breaks a line), already prepared (pdf_text.TextPrep.text)
        self.style = style
        self.rowspan, self.colspan = rowspan, colspan
        self.repeat = repeat  # a label: drawn again on every page (or split piece) its rows continue on
        self.notes = notes  # smaller lines after the text (the "（应为…）" under a score)

    def __repr__(self) -> str:
        return f"Cell({self.row}, {self.col}, {self.text[:20]!r})"


class Band:
    def __init__(
        self,
        widths: list[float],
        cells: list[Cell],
        *,
        header_rows: int = 0,
        borders: bool = True,
        keep_together: bool = False,
        pull_rows: int = 0,
        keep_with_previous: bool = False,
        min_row_height: float = 16.0,
        space_before: float = 0.0,
        page_break_before: bool = False,
    ):
        self.widths = widths
        self.cells = cells
        self.header_rows = header_rows  # repeated at the top of each page the band continues on
        self.borders = borders
        self.keep_together = keep_together  # move the whole band to the next page rather than split it
        self.pull_rows = pull_rows  # when moved, bring this many rows before it along (a signature never stands alone)
        # never starts a page without the row before it (the 总分 row goes overleaf with the last indicator at least)
        self.keep_with_previous = keep_with_previous
        self.min_row_height = min_row_height
        self.space_before = space_before
        self.row_min_heights: dict[int, float] = {}  # e.g. room for a stamp
        self.page_break_before = page_break_before  # starts on a page of its own (the draft's 检查结果 page)
        self.nrows = max((c.row + c.rowspan for c in cells), default=0)


class Placed:
    """One row (or one piece of a split row) on a page."""

    __slots__ = ("band", "row", "y", "height", "content", "repeated", "piece")

    def __init__(
        self,
        band: int,
        row: int,
        y: float,
        height: float,
        content: dict[int, TextBlock | None],
        repeated: bool = False,
        piece: bool = False,
    ):
        self.band, self.row = band, row
        self.y = y  # top, measured down from the top margin
        self.height = height
        self.content = content  # column -> what this piece shows for that row's single-row cells
        self.repeated = repeated  # a header row repeated on a continuation page
        self.piece = piece  # part of a row split across pages


class Page:
    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: list[Placed] = []


def _x_of(band: Band, col: int) -> float:
    return sum(band.widths[:col])


def _width_of(band: Band, cell: Cell) -> float:
    return sum(band.widths[cell.col : cell.col + cell.colspan])


def inner_width(width: float) -> float:
    """Width text is broken to inside a cell `width` wide."""
    return width - 2 * PAD_X - HANG


def block_of(cell: Cell, width: float, style: Style | None = None) -> TextBlock:
    """The cell's text broken to the inside of a cell `width` wide (in another size: `style`)."""
    st = style or cell.style
    notes = cell.notes
    if st.size != cell.style.size:
        notes = tuple(Run(n.text, n.size * st.size / cell.style.size) for n in notes)
    return TextBlock.of(cell.text, st, inner_width(width), notes)


def _height(block: TextBlock | None) -> float:
    if block is None:
        return 0.0
    return block.height + 2 * PAD_Y


class _Rest:
    """A row's text too tall for the space left: its lines (broken once, when measured) handed out page by page.

    Breaking what is left again on every page cost the square of a field's length (a field of 100,000
    characters over a hundred pages, issue 14); here each page takes the next lines of the one block.
    """

    def __init__(self, block: TextBlock):
        self.block = block
        self.leading = block.style.leading
        self.start = 0

    def height(self) -> float:
        return (len(self.block.lines) - self.start) * self.leading + 2 * PAD_Y

    def fitting(self, avail: float) -> int:
        """How many of the remaining lines fit into `avail` points; 0 when fewer than two (no orphan line)."""
        s = int(avail / self.leading + 1e-8)
        return s if s >= 2 else 0

    def take(self, count: int | None = None) -> TextBlock:
        """The next `count` lines (all that are left when None) as a block of their own."""
        total = len(self.block.lines)
        stop = total if count is None else min(total, self.start + count)
        if self.start == 0 and stop == total:
            return self.block
        piece = self.block.piece(self.start, stop)
        self.start = stop
        return piece


class Layout:
    def __init__(self, bands: list[Band], page_height: float, first_page_offset: float = 0.0):
        self.bands = bands
        self.page_height = page_height
        self.pages: list[Page] = [Page()]
        self.y = first_page_offset
        self._measure()
        self._paginate()

    # ---------------------------------------------------------------- measuring

    def _measure(self) -> None:
        """Every cell's text broken into lines, once: the blocks are kept for placing and drawing."""
        self.row_heights: list[list[float]] = []
        self.singles: list[dict[int, dict[int, Cell]]] = []  # band -> row -> col -> single-row cell
        self.blocks: list[dict[int, dict[int, TextBlock]]] = []  # band -> row -> col -> its text, broken
        self.spans: list[list[Cell]] = []
        self.span_blocks: dict[int, TextBlock] = {}  # id(cell) -> a spanned label at its own size
        for band in self.bands:
            heights = [band.row_min_heights.get(r, band.min_row_height) for r in range(band.nrows)]
            singles: dict[int, dict[int, Cell]] = {r: {} for r in range(band.nrows)}
            blocks: dict[int, dict[int, TextBlock]] = {r: {} for r in range(band.nrows)}
            spans = []
            for cell in band.cells:
                if cell.rowspan == 1 and not cell.repeat:
                    singles[cell.row][cell.col] = cell
                    block = blocks[cell.row][cell.col] = block_of(cell, _width_of(band, cell))
                    heights[cell.row] = max(heights[cell.row], _height(block))
                else:
                    spans.append(cell)
            for cell in spans:  # a span's label must fit: grow its last row
                block = self.span_blocks[id(cell)] = block_of(cell, _width_of(band, cell))
                need = _height(block)
                have = sum(heights[cell.row : cell.row + cell.rowspan])
                if need > have:
                    heights[cell.row + cell.rowspan - 1] += need - have
            self.row_heights.append(heights)
            self.singles.append(singles)
            self.blocks.append(blocks)
            self.spans.append(spans)

    # ---------------------------------------------------------------- paginating

    @property
    def remaining(self) -> float:
        return self.page_height - self.y

    def _new_page(self) -> None:
        self.pages.append(Page())
        self.y = 0.0

    def _place(
        self,
        b: int,
        r: int,
        height: float,
        content: dict[int, TextBlock | None],
        *,
        repeated: bool = False,
        piece: bool = False,
    ) -> None:
        self.pages[-1].rows.append(Placed(b, r, self.y, height, content, repeated, piece))
        self.y += height

    def _take_back(self, n: int) -> list[Placed]:
        """Remove the last n whole rows from the current page, and the rows they must not start a page without (the
        row before a keep_with_previous band, a header above its first row), unless that would leave the page
        without content; then the last of them is cut, its last lines going along (_cut_tail)."""
        rows = self.pages[-1].rows
        k = len(rows)
        while k > 0 and not rows[k - 1].repeated and not rows[k - 1].piece and (len(rows) - k < n or self._glued(k)):
            k -= 1
        if not any(not p.repeated for p in rows[:k]):
            return self._cut_and_carry(k)
        carried, rows[k:] = rows[k:], []
        return carried

    def _cut_and_carry(self, k: int) -> list[Placed]:
        """Rows k… of the current page cannot all go overleaf (nothing would be left here): the last of them that
        may start a page is cut, its last lines carried with the rows after it; nothing when it cannot be cut."""
        rows = self.pages[-1].rows
        bodies = [j for j in range(k, len(rows)) if not self.bands[rows[j].band].keep_with_previous]
        tail = self._cut_tail(bodies[-1]) if bodies else None
        if tail is None:
            return []
        j = bodies[-1] + 1
        carried, rows[j:] = [tail, *rows[j:]], []
        return carried

    def _glued(self, k: int) -> bool:
        """Whether row k of the current page must not start a page without the row before it."""
        rows = self.pages[-1].rows
        if not 0 < k < len(rows):
            return False
        p, prev = rows[k], rows[k - 1]
        if self.bands[p.band].keep_with_previous and prev.band != p.band:
            return True
        heads = self.bands[prev.band].header_rows
        return prev.band == p.band and prev.row < heads <= p.row  # a header stays with the first row under it

    def _cut_tail(self, k: int) -> Placed | None:
        """Row k of the current page cut in two: its first lines stay, as a piece filling the page; the last two
        lines of its tallest text are returned to go overleaf (None when it has too few lines to leave two here)."""
        p = self.pages[-1].rows[k]
        band = self.bands[p.band]
        tallest = max((len(b.lines) for b in p.content.values() if b is not None), default=0)
        keep = tallest - 2
        if keep < 2 or p.row < band.header_rows:
            return None
        head: dict[int, TextBlock | None] = {}
        tail: dict[int, TextBlock | None] = {}
        for col, block in p.content.items():
            if block is None or len(block.lines) <= keep:
                head[col], tail[col] = block, None
            else:
                head[col], tail[col] = block.piece(0, keep), block.piece(keep, len(block.lines))
        height = max([band.min_row_height] + [_height(b) for b in tail.values()])
        p.content, p.piece, p.height = head, True, self.page_height - p.y
        return Placed(p.band, p.row, 0.0, height, tail)

    def _new_page_carrying(self, carried: list[Placed]) -> None:
        self._new_page()
        for n, p in enumerate(carried):
            if n == 0 and p.row >= self.bands[p.band].header_rows > 0:
                self._repeat_header(p.band)
            self._place(p.band, p.row, p.height, p.content)

    def _row_content(self, b: int, r: int) -> dict[int, TextBlock | None]:
        return dict(self.blocks[b][r])

    def _repeat_header(self, b: int) -> None:
        for r in range(self.bands[b].header_rows):
            self._place(b, r, self.row_heights[b][r], self._row_content(b, r), repeated=True)

    def _header_height(self, b: int) -> float:
        return sum(self.row_heights[b][: self.bands[b].header_rows])

    def _paginate(self) -> None:
        for b, band in enumerate(self.bands):
            heights = self.row_heights[b]
            if band.page_break_before and self.pages[-1].rows:
                self._new_page()
            if self.pages[-1].rows and band.space_before:
                if band.space_before >= self.remaining:
                    self._new_page()
                else:
                    self.y += band.space_before
            if band.keep_together and sum(heights) > self.remaining and sum(heights) <= self.page_height:
                self._new_page_carrying(self._take_back(band.pull_rows))
            if band.header_rows and band.nrows > band.header_rows and self.pages[-1].rows:
                # keep the header with the row under it (or with the start of that row, if it splits here)
                first = band.header_rows
                left = self.remaining - self._header_height(b)
                if heights[first] > left and not self._splits_here(b, first, left):
                    self._new_page()
            for r in range(band.nrows):
                self._place_row(b, r)

    def _splits_here(self, b: int, r: int, remaining: float) -> bool:
        """Whether row r, too tall for `remaining`, starts here and continues overleaf (else it moves over).

        A row taller than a page must split; one taller than half a page splits too when at least a quarter
        page is left, rather than leave that much paper blank.
        """
        band = self.bands[b]
        height = self.row_heights[b][r]
        fresh = self.page_height - (self._header_height(b) if r >= band.header_rows > 0 else 0)
        if remaining < MIN_SPLIT_SPACE:
            return False
        return height > fresh or (height > fresh / 2 and remaining >= fresh / 4)

    def _place_row(self, b: int, r: int) -> None:
        band = self.bands[b]
        height = self.row_heights[b][r]
        repeat = r >= band.header_rows > 0
        if height <= self.remaining:
            self._place(b, r, height, self._row_content(b, r))
            return
        if not self._splits_here(b, r, self.remaining):
            self._new_page()
            if repeat:
                self._repeat_header(b)
            if height <= self.remaining:
                self._place(b, r, height, self._row_content(b, r))
                return
        self._split_row(b, r, self._row_content(b, r), repeat)

    def _split_row(self, b: int, r: int, content: dict[int, TextBlock | None], repeat: bool) -> None:
        """Place a row taller than the space left: as many lines as fit here, the rest on the next pages."""
        band = self.bands[b]
        rest = {col: None if p is None else _Rest(p) for col, p in content.items()}
        fresh_tries = 0
        while True:
            full = max([band.min_row_height] + [x.height() for x in rest.values() if x is not None])
            if full <= self.remaining:
                self._place(b, r, full, {col: None if x is None else x.take() for col, x in rest.items()})
                return
            avail = self.remaining - 2 * PAD_Y
            counts = {
                col: None if x is None or x.height() <= self.remaining else x.fitting(avail) for col, x in rest.items()
            }
            # every column with lines to show has none that fit, or every column fits whole: nothing to split here
            if all(rest[c] is None or n == 0 for c, n in counts.items()) or all(n is None for n in counts.values()):
                fresh_tries += 1
                if fresh_tries > 2:
                    log.warning("row %d of band %d does not fit on an empty page", r, b)
                    raise LayoutError(f"row {r} of band {b} cannot be split")
            else:
                fresh_tries = 0
                self._place(b, r, self.remaining, self._pieces(rest, counts), piece=True)
            self._new_page()
            if repeat:
                self._repeat_header(b)

    @staticmethod
    def _pieces(rest: dict[int, _Rest | None], counts: dict[int, int | None]) -> dict[int, TextBlock | None]:
        """This page's piece of each column; a column placed whole is done, one with no line fitting waits."""
        first: dict[int, TextBlock | None] = {}
        for col, x in rest.items():
            n = counts[col]
            if x is None or n == 0:
                first[col] = None
            elif n is None:
                first[col] = x.take()
                rest[col] = None
            else:
                first[col] = x.take(n)
        return first

    # ---------------------------------------------------------------- drawing

    def draw_page(self, canv: Any, index: int, left: float, top: float, line_width: float = 0.6) -> None:
        """Draw page `index`; (left, top) is the top-left corner of the content area in PDF coordinates."""
        page = self.pages[index]
        canv.saveState()
        canv.setLineWidth(line_width)
        # Fragments of spanned labels on this page, keyed by the first placed row they cover: each is drawn
        # just before that row, so the PDF's text runs in reading order (label, then the row's values).
        fragments: dict[int, list[tuple[Cell, float, float]]] = {}
        for b, spans in enumerate(self.spans):
            for cell in spans:
                idx = [
                    n for n, p in enumerate(page.rows) if p.band == b and cell.row <= p.row < cell.row + cell.rowspan
                ]
                if idx:
                    y0 = page.rows[idx[0]].y
                    h = max(page.rows[n].y + page.rows[n].height for n in idx) - y0
                    fragments.setdefault(idx[0], []).append((cell, y0, h))
        for n, placed in enumerate(page.rows):
            band = self.bands[placed.band]
            for cell, y0, h in sorted(fragments.get(n, []), key=lambda f: f[0].col):
                w = _width_of(band, cell)
                block = self._fit(cell, w, h)
                self._draw_cell(canv, band, block, left + _x_of(band, cell.col), top - y0, w, h)
            for col, p in sorted(placed.content.items()):
                cell = self.singles[placed.band][placed.row][col]
                self._draw_cell(
                    canv, band, p, left + _x_of(band, col), top - placed.y, _width_of(band, cell), placed.height
                )
        canv.restoreState()

    @staticmethod
    def _draw_cell(canv: Any, band: Band, block: TextBlock | None, x: float, y_top: float, w: float, h: float) -> None:
        if band.borders:
            canv.rect(x, y_top - h, w, h, stroke=1, fill=0)
        if block is None or not block.lines:
            return
        # centred vertically, as in the Word form; a split piece fills its row, so this is exact there too
        offset = max(PAD_Y, (h - block.height) / 2)
        # centred lines are centred in the whole inner width (the hang reserve is split on both sides)
        dx = HANG / 2 if block.style.center else 0
        block.draw(canv, x + PAD_X + dx, y_top - offset, inner_width(w))

    def _fit(self, cell: Cell, width: float, height: float) -> TextBlock:
        """A spanned label for one page's fragment: the cell's own size, or smaller until it fits the fragment."""
        block = self.span_blocks[id(cell)]
        style = cell.style
        size = style.size
        while _height(block) > height and size > 4:
            size -= 0.5
            block = block_of(cell, width, style.scaled(size))
        return block
