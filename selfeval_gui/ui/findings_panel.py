"""The 检查结果 panel: every finding from domain.checks, newest evaluation always; a click goes to the cell."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QStyle, QTreeView, QVBoxLayout, QWidget

from ..domain.checks import ERROR, INFO, LEVEL_LABELS, WARNING
from .cell_editing import CellDelegate
from .qt_compat import item_data

LEVEL_COLORS = {ERROR: "#c0392b", WARNING: "#b9770e", INFO: "#2e6da4"}
LEVEL_ICONS = {ERROR: QStyle.SP_MessageBoxCritical, WARNING: QStyle.SP_MessageBoxWarning,
               INFO: QStyle.SP_MessageBoxInformation}


class FindingsModel(QAbstractListModel):
    """The findings as rows.  A change replaces only the rows that differ (the list can run to hundreds on a
    big form, and most edits change one or two of them)."""

    def __init__(self, style, parent=None):
        super().__init__(parent)
        self.findings = []
        self._rows = []  # (display text, icon, brush) per finding, made once
        self._icons = {lvl: style.standardIcon(sp) for lvl, sp in LEVEL_ICONS.items()}
        self._error_brush = QBrush(QColor(LEVEL_COLORS[ERROR]))

    def _row(self, f):
        return (f"【{f.level_label}】{f.where}\n{f.message}", self._icons[f.level],
                self._error_brush if f.level == ERROR else None)

    def set_findings(self, findings) -> None:
        new = list(findings)
        old = self.findings
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        n_old = len(old)
        if head + tail < n_old:
            self.beginRemoveRows(QModelIndex(), head, n_old - tail - 1)
            del self.findings[head:n_old - tail]  # `old` is this same list: n_old keeps its length
            del self._rows[head:n_old - tail]
            self.endRemoveRows()
        if head + tail < len(new):
            added = new[head:len(new) - tail]
            self.beginInsertRows(QModelIndex(), head, head + len(added) - 1)
            self.findings[head:head] = added
            self._rows[head:head] = [self._row(f) for f in added]
            self.endInsertRows()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.findings)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.DisplayRole:
            return self._rows[index.row()][0]
        if role == Qt.DecorationRole:
            return self._rows[index.row()][1]
        if role == Qt.ForegroundRole:
            return self._rows[index.row()][2]
        if role == Qt.ToolTipRole:
            return self.findings[index.row()].message
        if role == Qt.UserRole:
            return self.findings[index.row()]
        return None


class FindingsView(QTreeView):
    """A flat list whose rows wrap their text; a tree view measures only the rows on screen."""

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped heights depend on the width


class FindingsPanel(QWidget):
    """Summary line and the list.  Emits activated(finding) when the clerk clicks one."""

    activated = Signal(object)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = FindingsModel(self.style(), self)
        self.view = FindingsView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(False)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QTreeView.NoEditTriggers)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setItemDelegate(CellDelegate(self.view, wrap=True, max_lines=12))
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.view)
        doc.findingsChanged.connect(self.show_findings)
        self.show_findings(doc.findings)

    def show_findings(self, findings) -> None:
        self.model.set_findings(findings)
        counts = {lvl: sum(1 for f in findings if f.level == lvl) for lvl in (ERROR, WARNING, INFO)}
        if not findings:
            self.summary.setText("未发现问题。")
        else:
            self.summary.setText("　".join(
                f"<span style='color:{LEVEL_COLORS[lvl]}'><b>{LEVEL_LABELS[lvl]} {n}</b></span>"
                for lvl, n in counts.items()) + "　（点击一条可跳到对应的格子）")

    def texts(self) -> list[str]:
        """What the panel lists, as the clerk reads it (for tests and screen readers)."""
        return [self.model.data(self.model.index(n), Qt.DisplayRole) for n in range(self.model.rowCount())]

    def _clicked(self, index) -> None:
        f = item_data(index, Qt.UserRole)
        if f is not None:
            self.activated.emit(f)
