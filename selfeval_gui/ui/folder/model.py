"""The 项目一览's table: a QAbstractTableModel over the folder's entries (files.folder.FolderEntry, each holding
its domain.yearbook.ProjectRow), and the reader thread that streams them in.

The model holds the entries only; every figure it shows is the row's own (from evaluate and check of that
form).  Rows are added, replaced and removed one by one (beginInsertRows …), never by a reset, so a sorted and
filtered view keeps its selection while the folder changes.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QThread, Signal
from PySide6.QtGui import QColor

from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.vocabulary import REPORT_WORD
from selfeval_gui.domain.yearbook import SUMMARY_COLUMNS
from selfeval_gui.files.folder.listing import (
    FORM,
    SUMMARY,
    SUMMARY_NOTE,
    UNREADABLE,
    WORKBOOK,
    WORKBOOK_NOTE,
    FolderEntry,
    read_entry,
)
from selfeval_gui.ui.common import look

log = logging.getLogger(__name__)

# (key, heading): the summary's columns, then the list's own
COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "文件"),
    *SUMMARY_COLUMNS,
    ("errors", "错误"),
    ("warnings", "警告"),
    ("status", "状态"),
    ("report", REPORT_WORD),
    ("modified", "修改时间"),
)
KEYS = [k for k, _ in COLUMNS]
NUMERIC = {"year", "budget", "executed", "rate", "entered_total", "computed_total", "errors", "warnings"}
# a 未填 form (nothing of the year's results entered) shows 未填 as its grade and none of these: they would only
# say how empty it is (差, 0 分, 10 处错误)
UNFILLED_BLANK = {"rate", "entered_total", "computed_total", "errors", "warnings"}
SORT_ROLE = Qt.ItemDataRole.UserRole
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_COLOR = QColor(look.RED)
NOTE_COLOR = QColor(look.DARK_GREY)
Index = QModelIndex | QPersistentModelIndex


def _text(entry: FolderEntry, key: str) -> str:
    if key == "file":
        return entry.name
    if key == "modified":
        return datetime.fromtimestamp(entry.modified).strftime("%Y-%m-%d %H:%M") if entry.modified else ""
    row = entry.row
    if row is None:  # an unreadable file, a workbook or our 汇总表 says what it is in the 项目名称 column
        if key == "project_name":
            return entry.error if entry.kind == UNREADABLE else {SUMMARY: SUMMARY_NOTE}.get(entry.kind, WORKBOOK_NOTE)
        return ""
    if key == "status":
        return entry.status
    if key == "grade":
        return row.grade_text
    if row.unfilled and key in UNFILLED_BLANK:
        return ""
    value = getattr(row, key)
    if key == "rate":
        return row.rate_text
    if key == "computed_total":
        return fmt_decimal(value, row.total_places) if value is not None else ""
    if isinstance(value, Decimal):
        return fmt_decimal(value)
    return "" if value is None else str(value)


def _sort_key(entry: FolderEntry, key: str) -> Any:
    """What a column sorts by: numbers as numbers (blank lowest), text as text; unreadable rows and workbooks
    after the forms when sorting by text."""
    if key == "modified":
        return entry.modified
    if key in NUMERIC:
        row = entry.row
        value = getattr(row, key, None) if row is not None and not (row.unfilled and key in UNFILLED_BLANK) else None
        return float(value) if value is not None else float("-inf")
    return _text(entry, key) if entry.kind == FORM else "\uffff" + _text(entry, key)


class FolderModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[FolderEntry] = []
        self._rows: dict[Path, int] = {}  # file -> row, so 500 streamed rows do not search the list each time

    # ------------------------------------------------------------------ Qt's interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry, key = self._entries[index.row()], KEYS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _text(entry, key)
        if role == SORT_ROLE:
            return _sort_key(entry, key)
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(entry, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _color(entry: FolderEntry, key: str) -> QColor | None:
        if entry.kind == UNREADABLE:
            return ERROR_COLOR
        if entry.kind in (WORKBOOK, SUMMARY) or (entry.row is not None and entry.row.unfilled):
            return NOTE_COLOR
        if key == "errors" and entry.row is not None and entry.row.errors:
            return ERROR_COLOR
        return None

    # ------------------------------------------------------------------ changes

    def entries(self) -> list[FolderEntry]:
        return list(self._entries)

    def entry(self, row: int) -> FolderEntry:
        return self._entries[row]

    def row_of(self, path: Path) -> int:
        return self._rows.get(path, -1)

    def put(self, entry: FolderEntry) -> None:
        """Add the entry, or replace the one of the same file (only its cells are said to change)."""
        n = self.row_of(entry.path)
        if n < 0:
            self.beginInsertRows(QModelIndex(), len(self._entries), len(self._entries))
            self._rows[entry.path] = len(self._entries)
            self._entries.append(entry)
            self.endInsertRows()
            return
        self._entries[n] = entry
        self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUMNS) - 1))

    def put_many(self, entries: list[FolderEntry]) -> None:
        """Entries streamed in by the reader: the new ones appended in one block (one insert for the proxy to
        sort in, not one per file), the known ones replaced."""
        new = [e for e in entries if e.path not in self._rows]
        for e in entries:
            if e.path in self._rows:
                self.put(e)
        if not new:
            return
        start = len(self._entries)
        self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
        for k, e in enumerate(new):
            self._rows[e.path] = start + k
        self._entries.extend(new)
        self.endInsertRows()

    def remove(self, path: Path) -> None:
        n = self.row_of(path)
        if n >= 0:
            self.beginRemoveRows(QModelIndex(), n, n)
            del self._entries[n]
            self._rows = {e.path: k for k, e in enumerate(self._entries)}
            self.endRemoveRows()

    def clear(self) -> None:
        if self._entries:
            self.beginRemoveRows(QModelIndex(), 0, len(self._entries) - 1)
            self._entries.clear()
            self._rows.clear()
            self.endRemoveRows()


class FolderReader(QThread):
    """Reads the given files off the GUI thread and hands the entries over as they are read (a queued signal,
    a few at a time: every BATCH_SECONDS or BATCH_SIZE files), so the window fills while the clerk can already
    scroll, sort and filter, and the GUI thread is never handed hundreds of rows at once."""

    entriesRead = Signal(list)
    BATCH_SIZE = 25
    BATCH_SECONDS = 0.05

    def __init__(self, paths: list[Path], parent: Any = None) -> None:
        super().__init__(parent)
        self._paths = list(paths)

    def run(self) -> None:
        batch: list[FolderEntry] = []
        since = time.monotonic()
        for path in self._paths:
            if self.isInterruptionRequested():
                return
            batch.append(read_entry(path))
            if len(batch) >= self.BATCH_SIZE or time.monotonic() - since >= self.BATCH_SECONDS:
                self.entriesRead.emit(batch)
                batch, since = [], time.monotonic()
        if batch:
            self.entriesRead.emit(batch)
