"""A Word document's tables as the workbook reader reads a sheet: DocxGrid has the interface of files/xlsx/grid.Grid
(title, values {(row, col): text}, formulas, truncated, max_row, max_col, by_row, extent and its methods), so the
same label reader (files/xlsx/reader*.py, files/declaration) reads a 自评表 or a 申报表 typed in Word or WPS.

The document's body is laid out as one column of rows, top to bottom: a paragraph is a row of one cell (the title
"2020年度项目支出绩效自评表" above a table is then a row above it), a table row is a row of cells.  A cell merged
as Word and WPS write it — across (w:gridSpan, or the old w:hMerge) and down (w:vMerge restart / continue) —
appears once, at its top-left, with its extent; w:gridBefore shifts a row's first cell.  Numbers stay text (the
reader's cells parse text).  The rows are cut into one grid per form: a new grid starts at a title (自评表 or
申报表) once the current one already has a title and a table, so a document of several forms gives several grids
and a form split over several tables gives one.  python-docx is loaded only here, when a document is read.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from selfeval_gui.domain.vocabulary import DECLARATION_TITLE_WORD, TITLE_WORD
from selfeval_gui.files.word.docx_guard import WordImportError
from selfeval_gui.files.xlsx.grid import MAX_COLS, MAX_ROWS, Grid
from selfeval_gui.files.xlsx.layout import norm

log = logging.getLogger(__name__)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = (_W + t for t in ("p", "tbl", "tr", "tc", "sdt"))
_T, _TAB, _BR, _CR, _R = (_W + t for t in ("t", "tab", "br", "cr", "r"))
_VAL = _W + "val"
_TITLES = (TITLE_WORD, DECLARATION_TITLE_WORD)


@dataclass
class _Cell:
    col: int
    span: int
    text: str
    vmerge: str | None = None  # "restart", "continue" or None
    hmerge: str | None = None


@dataclass
class _Row:
    cells: list[_Cell]
    table: int | None  # which table of the document, from 1 (None: a paragraph)


@dataclass
class _Section:
    rows: list[_Row] = field(default_factory=list)
    titled: bool = False
    has_table: bool = False


@dataclass
class _SheetCell:
    """A cell as Grid reads a worksheet's (openpyxl's names): always text, never a formula."""

    row: int
    column: int
    value: str
    data_type: str = "s"


@dataclass(frozen=True)
class _Range:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


class _Sheet:
    """The document's rows in the shape Grid reads a worksheet in, so a DocxGrid is made by Grid's own code: each
    cell at its top-left; a vMerge continue extends the cell above it in the same table and column."""

    def __init__(self, title: str, rows: list[_Row]) -> None:
        self.title = title
        self.max_row = len(rows)
        self.max_column = max((c.col + c.span - 1 for row in rows for c in row.cells), default=1)
        self.values: dict[tuple[int, int], str] = {}
        self.extent: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self._place(rows[:MAX_ROWS])
        self.merged_cells = SimpleNamespace(ranges=[_Range(*e) for e in self.extent.values() if e[:2] != e[2:]])

    def _place(self, rows: list[_Row]) -> None:
        open_at: dict[tuple[int | None, int], tuple[int, int]] = {}  # (table, column) -> the merge's top-left
        for r, row in enumerate(rows, start=1):
            for cell in row.cells:
                right = cell.col + cell.span - 1
                top = open_at.get((row.table, cell.col)) if cell.vmerge == "continue" else None
                if top is not None:
                    r1, c1, _r2, c2 = self.extent[top]
                    self.extent[top] = (r1, c1, r, max(c2, right))
                    continue
                open_at.pop((row.table, cell.col), None)
                if cell.vmerge == "restart":
                    open_at[(row.table, cell.col)] = (r, cell.col)
                self.extent[(r, cell.col)] = (r, cell.col, r, right)
                if cell.text.strip():
                    self.values[(r, cell.col)] = cell.text

    def iter_rows(self, min_row: int, max_row: int, max_col: int) -> Iterator[list[_SheetCell]]:
        for r in range(min_row, max_row + 1):
            yield [_SheetCell(r, c, v) for c in range(1, max_col + 1) if (v := self.values.get((r, c))) is not None]

    def cell(self, row: int, column: int) -> _SheetCell:  # a calculated value: none, there are no formulas
        return _SheetCell(row, column, self.values.get((row, column), ""))


class DocxGrid(Grid):
    """Rows of a Word document (paragraphs and table rows) as a Grid: text values, merged cells' extents."""

    def __init__(self, title: str, rows: list[_Row]) -> None:
        sheet = _Sheet(title, rows)
        super().__init__(sheet, sheet)
        # each stacked row: (which table of the document, its row in that table), or (None, 0) for a paragraph
        self.origin: list[tuple[int | None, int]] = []
        counted: dict[int, int] = {}
        for row in rows[:MAX_ROWS]:
            if row.table is None:
                self.origin.append((None, 0))
            else:
                counted[row.table] = counted.get(row.table, 0) + 1
                self.origin.append((row.table, counted[row.table]))

    def where(self, r: int | None = None, c: int | None = None) -> str:
        """A place as a clerk finds it in Word: 第 2 个表格 第 7 行第 3 列 (a paragraph: 表格外的文字)."""
        if r is None or not 1 <= r <= len(self.origin):
            return f"Word 文档“{self.title}”"
        table, n = self.origin[r - 1]
        if table is None:
            return f"Word 文档“{self.title}” 表格外的文字"
        return f"Word 文档“{self.title}” 第 {table} 个表格 第 {n} 行" + (f"第 {c} 列" if c is not None else "")


# ---------------------------------------------------------------- reading the XML


def _paragraph_text(p: Any) -> str:
    """A paragraph's text as Word shows it: runs anywhere below it (content controls, hyperlinks, insertions),
    tabs and breaks; deleted text and field codes are other elements and left out."""
    parts: list[str] = []
    for el in p.iter(_T, _TAB, _BR, _CR):
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.getparent() is not None and el.getparent().tag == _R:  # w:tab in w:tabs is a tab stop, not text
            parts.append("\t" if el.tag == _TAB else "\n")
    return "".join(parts)


def _cell_text(tc: Any) -> str:
    return "\n".join(_paragraph_text(p) for p in tc.iter(_P)).strip()


def _prop(el: Any, *path: str) -> Any:
    """A property element below el (w:tcPr/w:gridSpan …), or None."""
    for name in path:
        el = el.find(_W + name) if el is not None else None
    return el


def _int_val(el: Any, default: int) -> int:
    try:
        return max(1, min(int(el.get(_VAL)), MAX_COLS)) if el is not None else default
    except (TypeError, ValueError):
        return default


def _merge_kind(el: Any) -> str | None:
    if el is None:
        return None
    return "restart" if el.get(_VAL) == "restart" else "continue"


def _children(el: Any, tag: str) -> list[Any]:
    """el's children of `tag`, looking through content controls (w:sdt) that wrap them."""
    out = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag == _SDT and _prop(child, "sdtContent") is not None:
            out.extend(_children(_prop(child, "sdtContent"), tag))
    return out


def _table_rows(tbl: Any, table: int) -> list[_Row]:
    rows = []
    for tr in _children(tbl, _TR)[: MAX_ROWS + 1]:
        before = _prop(tr, "trPr", "gridBefore")
        col = 1 + (_int_val(before, 0) if before is not None else 0)
        cells: list[_Cell] = []
        for tc in _children(tr, _TC)[: MAX_COLS + 1]:
            span = _int_val(_prop(tc, "tcPr", "gridSpan"), 1)
            cell = _Cell(col, span, _cell_text(tc), _merge_kind(_prop(tc, "tcPr", "vMerge")))
            cell.hmerge = _merge_kind(_prop(tc, "tcPr", "hMerge"))
            if cell.hmerge == "continue" and cells:  # the old horizontal merge: part of the cell before
                cells[-1].span += span
            else:
                cells.append(cell)
            col += span
        rows.append(_Row(cells, table))
    return rows


def _body_rows(body: Any) -> list[_Row]:
    """The body's paragraphs and table rows, top to bottom (empty paragraphs left out)."""
    rows: list[_Row] = []
    tables = 0
    for el in _blocks(body):
        if len(rows) > MAX_ROWS:
            break
        if el.tag == _P:
            text = _paragraph_text(el).strip()
            if text:
                rows.append(_Row([_Cell(1, 1, text)], None))
        else:
            tables += 1
            rows.extend(_table_rows(el, tables))
    return rows


def _blocks(body: Any) -> list[Any]:
    """The body's paragraphs and tables in order, content controls looked through."""
    out = []
    for child in body:
        if child.tag in (_P, _TBL):
            out.append(child)
        elif child.tag == _SDT and _prop(child, "sdtContent") is not None:
            out.extend(_blocks(_prop(child, "sdtContent")))
    return out


def _is_title(row: _Row) -> bool:
    return any(any(w in norm(c.text) for w in _TITLES) for c in row.cells)


def _sections(rows: list[_Row]) -> list[_Section]:
    sections = [_Section()]
    for row in rows:
        cur = sections[-1]
        if _is_title(row):
            if cur.titled and cur.has_table:
                cur = _Section()
                sections.append(cur)
            cur.titled = True
        cur.has_table = cur.has_table or row.table is not None
        cur.rows.append(row)
    return [s for s in sections if s.has_table]


def _document(data: bytes, name: str) -> Any:
    from docx import Document  # python-docx: only when a Word document is imported

    try:
        return Document(io.BytesIO(data))
    except Exception as e:  # a damaged part, a missing relationship, another kind of zip: all mean "cannot read"
        log.warning("python-docx could not read %s", name, exc_info=True)
        raise WordImportError(
            f"“{name}”已损坏或格式不受支持，无法读取（{type(e).__name__}）。"
            "请在 Word 或 WPS 中打开后另存为 .docx 再试。"
        ) from None


def document_grids(data: bytes, name: str) -> list[DocxGrid]:
    """The grids of a checked .docx's bytes (docx_guard.read_checked_docx): one per form it holds, in order.
    A document without any table gives none."""
    doc = _document(data, name)
    sections = _sections(_body_rows(doc.element.body))
    if len(sections) == 1:
        return [DocxGrid("表格", sections[0].rows)]
    return [DocxGrid(f"第{n}份表格", s.rows) for n, s in enumerate(sections, start=1)]
