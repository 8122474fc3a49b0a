"""A sheet as the importer reads it: its non-empty cells, formulas replaced by their calculated values, and the
extent of its merged cells.  No cell address is fixed here; the reader finds the table by its labels."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from selfeval_gui.domain.numbers import quantize
from selfeval_gui.files.xlsx.layout import norm

log = logging.getLogger(__name__)

MAX_ROWS, MAX_COLS = 3000, 40  # a form has well under a hundred rows; stray formatting must not cost memory
_PLAIN = (str, int, float, Decimal, dt.date, dt.time, bool)


class Computed:
    """A formula cell no spreadsheet program has calculated yet (openpyxl writes no values)."""


COMPUTED = Computed()


def float_decimal(f: float) -> Decimal:
    """A float from the file as the decimal a person typed: repr is the shortest exact string (1514.0223),
    and a spreadsheet's binary noise (1142.8000000000002) is cut at ten places."""
    d = Decimal(repr(f))
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -10:
        d = quantize(d, 10)
        d = Decimal(format(d, "f").rstrip("0").rstrip(".") or "0")
    return d


def as_text(v: object) -> str:
    """A cell's value as the text a clerk sees (a date as 2021.3.5, a float without binary noise)."""
    if v is None or isinstance(v, Computed):
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return format(float_decimal(v), "f")
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        v = v.date()
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return f"{v.year}.{v.month}.{v.day}"
    return str(v)


def ref(row: int, col: int) -> str:
    """The A1-style address of a cell."""
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _calculated(ws_values: Any, row: int, col: int, formula: str) -> object:
    """What a spreadsheet program last calculated for a formula cell; COMPUTED when nothing or an error (#DIV/0!).
    A formula that is a plain number (=21.54576) is that number even when nothing calculated it."""
    cached: object = ws_values.cell(row=row, column=col).value
    if cached is None or (isinstance(cached, str) and cached.startswith("#")):
        m = _CONSTANT_RE.fullmatch(formula)
        return Decimal(m.group(1)) if m else COMPUTED
    return cached


_CONSTANT_RE = re.compile(r"=\s*([+-]?\d+(?:\.\d+)?)\s*")
# A formula a clerk typed as text: a constant with % or a comparison sign (=100%, =≥90%), no cell it refers to.
_TYPED_RE = re.compile(r"[=＝]\s*[^A-Za-z!$:()\"]*")


class Grid:
    """A sheet's non-empty cells (formulas replaced by their calculated values) with merged-cell extents."""

    def where(self, r: int | None = None, c: int | None = None) -> str:
        """A place in the sheet as a finding names it: 工作表“表1” 单元格 C7 (or 第 7 行)."""
        s = f"工作表“{self.title}”"
        return s + (f" 单元格 {ref(r, c)}" if r is not None and c is not None else (f" 第 {r} 行" if r else ""))

    def __init__(self, ws: Any, ws_values: Any) -> None:
        self.title: str = ws.title
        self.values: dict[tuple[int, int], object] = {}
        self.formulas: set[tuple[int, int]] = set()
        self.formula_texts: dict[tuple[int, int], str] = {}  # a formula cell's formula as written (=100%)
        self.truncated: bool = ws.max_row > MAX_ROWS or ws.max_column > MAX_COLS
        self.max_row: int = min(ws.max_row, MAX_ROWS)
        self.max_col: int = min(ws.max_column, MAX_COLS)
        self._read_cells(ws, ws_values)
        self.by_row: dict[int, list[int]] = {}
        for r, c in sorted(self.values):
            self.by_row.setdefault(r, []).append(c)
        self.extent: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in ws.merged_cells.ranges:
            self.extent[(rng.min_row, rng.min_col)] = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)

    def _read_cells(self, ws: Any, ws_values: Any) -> None:
        for row in ws.iter_rows(min_row=1, max_row=self.max_row, max_col=self.max_col):
            for cell in row:
                v: object = cell.value
                if v is None or (isinstance(v, str) and not v.strip()):
                    continue
                key = (cell.row, cell.column)
                if cell.data_type == "f" or not isinstance(v, _PLAIN):
                    self.formulas.add(key)
                    self.formula_texts[key] = v.strip() if isinstance(v, str) else ""
                    v = _calculated(ws_values, cell.row, cell.column, self.formula_texts[key])
                self.values[key] = v

    def get(self, r: int, c: int) -> object:
        return self.values.get((r, c))

    def text(self, r: int, c: int) -> str:
        return as_text(self.get(r, c))

    def written(self, r: int, c: int) -> str:
        """A text column's cell as the clerk typed it: a formula nothing calculated, or one typed as text
        (=100%, a published way to write 等于100%, which Excel stores as a formula), keeps its formula text."""
        formula = self.formula_texts.get((r, c), "")
        if formula and (isinstance(self.get(r, c), Computed) or _TYPED_RE.fullmatch(formula)):
            return formula
        return self.text(r, c)

    def label(self, r: int, c: int) -> str:
        v = self.get(r, c)
        return norm(v) if isinstance(v, str) else ""

    def row_cells(self, r: int) -> list[int]:
        return self.by_row.get(r, [])

    def find(self, pred: Callable[[str], bool], rows: range | None = None) -> list[tuple[int, int]]:
        hits = [
            (r, c)
            for (r, c), v in self.values.items()
            if isinstance(v, str) and (rows is None or r in rows) and pred(norm(v))
        ]
        return sorted(hits)

    def first(self, pred: Callable[[str], bool], rows: range | None = None) -> tuple[int, int] | None:
        hits = self.find(pred, rows)
        return hits[0] if hits else None

    def right_edge(self, r: int, c: int) -> int:
        e = self.extent.get((r, c))
        return e[3] if e else c
