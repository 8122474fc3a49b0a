"""The 绩效指标 model's row structure: the tree of 一级 / 二级 / 三级 rows as model indexes, and the
begin/end calls when the document inserts, removes or moves a 三级 row (never a model reset)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.row_kinds import is_breakdown, row_number
from selfeval_gui.domain.vocabulary import has_own_number
from selfeval_gui.ui.form.indicator_base import BASE, ROLE, ROOT, Index, IndicatorModelBase
from selfeval_gui.ui.form.indicator_columns import NCOLS


class IndicatorRows(IndicatorModelBase):
    """Model indexes for the tree, and the begin/end calls around the document's row changes."""

    @property
    def tree(self):
        return self.doc.form.tree

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        # bounds checked here: hasIndex() would call back into rowCount and columnCount through Qt (the views ask
        # for indexes thousands of times a repaint)
        if row < 0 or not 0 <= column < NCOLS or row >= self.rowCount(parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        pid = parent.internalId()
        if pid == 0:
            return self.createIndex(row, column, 1 + parent.row())
        if pid < BASE:
            return self.createIndex(row, column, BASE + ((pid - 1) << 12) + parent.row())
        return QModelIndex()

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        iid = index.internalId()
        if iid == 0:
            return QModelIndex()
        if iid < BASE:
            return self.createIndex(iid - 1, 0, 0)
        i, j = divmod(iid - BASE, 1 << 12)
        return self.createIndex(j, 0, 1 + i)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self.tree)
        if parent.column() != 0:
            return 0
        pid = parent.internalId()
        if pid == 0:
            return len(self.tree[parent.row()].children)
        if pid < BASE:
            return len(self.tree[pid - 1].children[parent.row()].indicators)
        return 0

    def level(self, index: Index) -> int:
        """1, 2 or 3 for 一级 / 二级 / 三级 rows; 0 for an invalid index."""
        if not index.isValid():
            return 0
        iid = index.internalId()
        return 1 if iid == 0 else 2 if iid < BASE else 3

    def path_of(self, index: Index) -> tuple[int, ...]:
        """(i,), (i, j) or (i, j, k)."""
        iid = index.internalId()
        if iid == 0:
            return (index.row(),)
        if iid < BASE:
            return (iid - 1, index.row())
        i, j = divmod(iid - BASE, 1 << 12)
        return (i, j, index.row())

    def indicator_at(self, index: Index) -> Indicator | None:
        if self.level(index) != 3:
            return None
        i, j, k = self.path_of(index)
        return self.tree[i].children[j].indicators[k]

    def index_for_path(self, path, column: int = 0) -> QModelIndex:
        if len(path) == 1:
            return self.createIndex(path[0], column, 0)
        if len(path) == 2:
            return self.createIndex(path[1], column, 1 + path[0])
        i, j, k = path
        return self.createIndex(k, column, BASE + (i << 12) + j)

    def _rows_parent(self, i: int, j: int) -> QModelIndex:
        return self.index_for_path((i, j))

    def _before_insert(self, i: int, j: int, k: int) -> None:
        self.beginInsertRows(self._rows_parent(i, j), k, k)

    def _after_insert(self, i: int, j: int, k: int) -> None:
        self.endInsertRows()
        self._renumber(i, j, k + 1)

    def _before_remove(self, i: int, j: int, k: int) -> None:
        self.beginRemoveRows(self._rows_parent(i, j), k, k)

    def _after_remove(self, i: int, j: int, k: int) -> None:
        self.endRemoveRows()
        self._renumber(i, j, k)

    def _before_move(self, i: int, j: int, src: int, dst: int) -> None:
        parent = self._rows_parent(i, j)
        # Qt wants the destination as the row *before which* the item lands in the old numbering
        qt_dst = dst + 1 if dst > src else dst
        self.beginMoveRows(parent, src, src, parent, qt_dst)

    def _after_move(self, i: int, j: int, src: int, dst: int) -> None:
        self.endMoveRows()
        self._renumber(i, j, min(src, dst))

    def row_label(self, index: Index) -> str:
        """ "指标N：" before a 三级 name.  Drawn by the view, not stored in the data, so that an insert
        does not change the data of the rows below it (the number is a matter of position).  A name typed with
        its own "指标1:" gets none (the number is not doubled), nor does a breakdown row (其中：…, not counted)."""
        ind = self.indicator_at(index)
        if ind is None or is_breakdown(ind) or has_own_number(ind.name):
            return ""
        i, j, k = self.path_of(index)
        return f"指标{row_number(self.tree[i].children[j].indicators, k) + 1}："

    def _renumber(self, i: int, j: int, start: int) -> None:
        """The 指标N label shifts for the rows after an insert/remove/move: repaint them."""
        n = len(self.tree[i].children[j].indicators)
        if start < n:
            self.dataChanged.emit(
                self.index_for_path((i, j, start), 0), self.index_for_path((i, j, n - 1), 0), [ROLE.DisplayRole]
            )
