"""Excel habits on the form's two grids (the 项目资金 table and the 绩效指标 tree): 清除内容, 复制 and 粘贴.

清除内容 (Delete, Backspace) empties the selected cells; 复制 (Ctrl+C) puts the selected block on the clipboard
as Excel and WPS write it (a tab between cells, a line per row); 粘贴 (Ctrl+V) fills the cells the clipboard's
block covers from the selected cell — or every selected cell, when one value was copied — each value through
the same number rule as typing.  Rows of the tree that hold no editable cell (the 一级 / 二级 headings) are
passed over.  Every change one action makes is one undo step.  The parsing of the clipboard text is plain
Python (`split_cells`); the rest reads the view and its model.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from selfeval_gui.domain.numbers import NumberError
from selfeval_gui.ui.common.qt_compat import item_data
from selfeval_gui.ui.form.document import FormDocument
from selfeval_gui.ui.form.undo_commands import BatchCommand

MAX_CELLS = 20000  # a paste larger than any form (a whole worksheet copied by mistake) is refused at once


@dataclass
class PasteResult:
    """What a paste did, for the sentence the clerk reads."""

    stored: int = 0  # cells whose value changed
    refused: list[str] = field(default_factory=list)  # "where：reason" for each value the number rule refused
    locked: int = 0  # values that fell on cells that cannot be typed into (computed, headings)
    left_over: int = 0  # rows of the clipboard below the last row of the table

    def sentence(self) -> str:
        parts = [f"已粘贴 {self.stored} 个单元格" if self.stored else "没有单元格被改动"]
        if self.refused:
            parts.append(f"{len(self.refused)} 个值没有记入（见下）")
        if self.locked:
            parts.append(f"{self.locked} 个值落在不能填写的格子上，已略过")
        if self.left_over:
            parts.append(f"表格下面放不下的 {self.left_over} 行没有粘贴")
        return "；".join(parts) + "。"


def split_cells(text: str) -> list[list[str]]:
    """Clipboard text as rows of cells, as Excel and WPS put it there (the csv module's excel-tab dialect: a tab
    between cells, a line per row, a cell holding a tab, a line break or a quote written in quotes with the quotes
    doubled).  The last line break ends the last row (no empty row after it)."""
    return [row for row in csv.reader(io.StringIO(text, newline=""), dialect="excel-tab")]


def join_cells(rows: list[list[str]]) -> str:
    """Rows of cells as Excel writes them to the clipboard (quoted where a cell holds a tab, line or quote)."""
    out = io.StringIO()
    csv.writer(out, dialect="excel-tab", lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------------- the grid's cells in paper order


def visual_rows(view: QAbstractItemView) -> list[QModelIndex]:
    """Column 0 of each row as it stands on screen, top to bottom (the tree's rows as expanded)."""
    model = view.model()
    if not isinstance(view, QTreeView):
        return [model.index(r, 0) for r in range(model.rowCount())]
    rows: list[QModelIndex] = []
    idx = model.index(0, 0)
    while idx.isValid():
        rows.append(idx)
        idx = view.indexBelow(idx)
    return rows


def visible_columns(view: QAbstractItemView) -> list[int]:
    hidden = getattr(view, "isColumnHidden", lambda c: False)
    return [c for c in range(view.model().columnCount()) if not hidden(c)]


def selected_block(view: QAbstractItemView) -> list[list[QModelIndex]]:
    """The selected cells, row by row in paper order; the current cell alone when nothing is selected."""
    chosen = view.selectionModel()
    columns = visible_columns(view)
    block = []
    for row in visual_rows(view):
        cells = [row.siblingAtColumn(c) for c in columns if chosen.isSelected(row.siblingAtColumn(c))]
        if cells:
            block.append(cells)
    current = view.currentIndex()
    return block or ([[current]] if current.isValid() else [])


def _editable(index: QModelIndex) -> bool:
    return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)


def _cell_text(index: QModelIndex) -> str:
    """What a copied cell holds: the text its editor would show (a number as typed, the 三级 name without its
    指标N： label), else what it shows."""
    for role in (Qt.ItemDataRole.EditRole, Qt.ItemDataRole.DisplayRole):
        value = item_data(index, role)
        if value is not None and value != "—":
            return str(value)
    return ""


def copy_text(view: QAbstractItemView) -> str:
    """The selected cells as the clipboard text Excel and WPS read."""
    return join_cells([[_cell_text(i) for i in row] for row in selected_block(view)])


# ---------------------------------------------------------------------- changing cells


class _Change:
    """The parsed values for cells, stored together as one undo step."""

    def __init__(self, view: QAbstractItemView, doc: FormDocument) -> None:
        self.view, self.doc = view, doc
        self.model: Any = view.model()  # FundsModel or IndicatorModel: parse_cell, cell_value, cell_target
        self.values: list[tuple[tuple[object, str, str], object]] = []  # ((object, attribute, words), new value)
        self.result = PasteResult()

    def add(self, index: QModelIndex, text: str) -> None:
        if not _editable(index):
            self.result.locked += 1 if text.strip() else 0
            return
        try:
            new = self.model.parse_cell(index, text)
        except NumberError as e:
            name = getattr(self.view.itemDelegate(), "cell_name", lambda i: "")(index)
            self.result.refused.append(f"{name}：“{text}”没有记入：{e}")
            return
        old = self.model.cell_value(index)
        target = self.model.cell_target(index)
        if target is not None and (old != new or str(old) != str(new)):  # "10" and "10.0" differ as seen
            self.values.append((target, new))

    def store(self, title: str) -> PasteResult:
        """Every change as one undo step, recalculated once (BatchCommand)."""
        if self.values and not self.doc.read_only:
            changes = [(obj, attr, value) for (obj, attr, _words), value in self.values]
            self.doc.undo_stack.push(BatchCommand(self.doc, f"{title}（{len(self.values)} 个单元格）", changes))
            self.result.stored = len(self.values)
        return self.result


def clear_cells(view: QAbstractItemView, doc: FormDocument) -> int:
    """Empty the selected cells that can be typed into; the number of cells changed."""
    change = _Change(view, doc)
    for row in selected_block(view):
        for index in row:
            if _editable(index):
                change.add(index, "")
    return change.store("清除内容").stored


def paste_text(view: QAbstractItemView, doc: FormDocument, text: str) -> PasteResult:
    """Fill cells from clipboard text (see the module's words); one undo step."""
    block = split_cells(text)
    change = _Change(view, doc)
    if sum(len(r) for r in block) > MAX_CELLS:
        change.result.refused.append(f"剪贴板里有超过 {MAX_CELLS} 个单元格，不像是从表格里复制的几行，没有粘贴。")
        return change.result
    selected = [i for row in selected_block(view) for i in row]
    if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
        for index in selected:  # one value into every selected cell, as Excel does
            change.add(index, block[0][0])
        return change.store("粘贴")
    if not selected or not block:
        return change.result
    _spread(view, change, selected[0], block)
    return change.store("粘贴")


def _spread(view: QAbstractItemView, change: _Change, start: QModelIndex, block: list[list[str]]) -> None:
    """The block's rows go to the rows from `start` down that have an editable cell, its cells to the visible
    columns from `start`'s rightwards."""
    rows = visual_rows(view)
    first = next((n for n, r in enumerate(rows) if r == start.siblingAtColumn(0)), 0)
    columns = [c for c in visible_columns(view) if c >= start.column()]
    targets = [r for r in rows[first:] if any(_editable(r.siblingAtColumn(c)) for c in columns)]
    change.result.left_over = max(0, len(block) - len(targets))
    for row, cells in zip(targets, block, strict=False):
        for column, value in zip(columns, cells, strict=False):
            change.add(row.siblingAtColumn(column), value)
        change.result.locked += sum(1 for v in cells[len(columns) :] if v.strip())
