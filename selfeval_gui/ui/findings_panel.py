"""The 检查结果 panel: every finding from domain.checks, newest evaluation always; a click goes to the cell."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListView, QStyle, QVBoxLayout, QWidget

from ..domain.checks import ERROR, INFO, LEVEL_LABELS, WARNING

LEVEL_COLORS = {ERROR: "#c0392b", WARNING: "#b9770e", INFO: "#2e6da4"}
LEVEL_ICONS = {ERROR: QStyle.SP_MessageBoxCritical, WARNING: QStyle.SP_MessageBoxWarning,
               INFO: QStyle.SP_MessageBoxInformation}


class FindingsModel(QAbstractListModel):
    def __init__(self, style, parent=None):
        super().__init__(parent)
        self.findings = []
        self._icons = {lvl: style.standardIcon(sp) for lvl, sp in LEVEL_ICONS.items()}

    def set_findings(self, findings) -> None:
        # a short flat list replaced wholesale; the indicator tree is the model that must never reset
        self.beginResetModel()
        self.findings = list(findings)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.findings)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        f = self.findings[index.row()]
        if role == Qt.DisplayRole:
            return f"【{f.level_label}】{f.where}\n{f.message}"
        if role == Qt.ToolTipRole:
            return f.message
        if role == Qt.DecorationRole:
            return self._icons[f.level]
        if role == Qt.ForegroundRole and f.level == ERROR:
            return QBrush(QColor(LEVEL_COLORS[ERROR]))
        if role == Qt.UserRole:
            return f
        return None


class FindingsPanel(QWidget):
    """Summary line and the list.  Emits activated(finding) when the clerk clicks one."""

    activated = Signal(object)

    def __init__(self, doc, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = FindingsModel(self.style(), self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSpacing(1)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.Adjust)
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
        f = index.data(Qt.UserRole)
        if f is not None:
            self.activated.emit(f)
