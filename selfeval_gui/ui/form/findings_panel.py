"""The 检查结果 panel: every finding from domain.checks, newest evaluation always; a click goes to the cell."""

from __future__ import annotations

import logging

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStyle, QTreeView, QVBoxLayout, QWidget

from selfeval_gui.domain.checks import ERROR, INFO, LEVEL_LABELS, MISSING, WARNING
from selfeval_gui.ui.common import look
from selfeval_gui.ui.common.qt_compat import item_data
from selfeval_gui.ui.form.cell_editing import CellDelegate

log = logging.getLogger(__name__)

ROOT = QModelIndex()
LEVEL_COLORS = {ERROR: look.RED, WARNING: look.AMBER, INFO: look.BLUE, MISSING: look.GREY}
LEVEL_ICONS = {
    ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
    MISSING: QStyle.StandardPixmap.SP_FileDialogContentsView,
}


MISSING_TIP = "“未填”是还没有填写的必填项：第一次保存、打印或定稿时，它们会变成错误"


def _counts(findings) -> dict[str, int]:
    counts = {lvl: 0 for lvl in (ERROR, WARNING, INFO, MISSING)}
    for f in findings:
        counts[f.level] += 1
    return counts


def summary_parts(findings) -> list[tuple[str, str]]:
    """The panel's first line as (level, words): the counts of errors, warnings and hints, 还有 N 项未填, and the
    hint that a click goes to the cell; [] when there is no finding (the line then says 未发现问题。)."""
    counts = _counts(findings)
    missing = counts.pop(MISSING)
    parts = [(lvl, f"{LEVEL_LABELS[lvl]} {n}") for lvl, n in counts.items() if n]
    if missing:
        parts.append((MISSING, f"还有 {missing} 项未填"))
    return parts


NO_FINDINGS = "未发现问题。"
CLICK_HINT = "（点击一条可跳到对应的格子）"


class SummaryLine(QWidget):
    """The counts in their colours, each a plain-text label, then the hint.  An edit that changes a count changes
    one short label: a rich-text label was parsed and laid out anew on every such edit (half a millisecond of the
    2 ms an edit may take, issue 12)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.labels: dict[str, QLabel] = {}
        for lvl in (ERROR, WARNING, INFO, MISSING):
            label = QLabel()
            pal = label.palette()
            pal.setColor(QPalette.ColorRole.WindowText, QColor(LEVEL_COLORS[lvl]))
            label.setPalette(pal)
            if lvl != MISSING:
                font = label.font()
                font.setBold(True)
                label.setFont(font)
            label.hide()
            lay.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
            self.labels[lvl] = label
        self.hint = QLabel(NO_FINDINGS)
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint, 1, Qt.AlignmentFlag.AlignTop)
        self.setToolTip(MISSING_TIP)

    def show_findings(self, findings) -> None:
        parts = dict(summary_parts(findings))
        for lvl, label in self.labels.items():
            words = parts.get(lvl)
            if words is not None and label.text() != words:
                label.setText(words)
            if label.isHidden() == (words is not None):
                label.setVisible(words is not None)
        hint = CLICK_HINT if parts else NO_FINDINGS
        if self.hint.text() != hint:
            self.hint.setText(hint)

    def text(self) -> str:
        """The line as the clerk reads it (for tests and screen readers)."""
        return "　".join([*(lab.text() for lab in self.labels.values() if not lab.isHidden()), self.hint.text()])


def count_text(findings) -> str:
    """The counts in plain words, for the status bar's button (the panel may be hidden): 错误 3 · 警告 2 · 未填 12."""
    counts = _counts(findings)
    parts = [f"{LEVEL_LABELS[lvl]} {n}" for lvl, n in counts.items() if n]
    return "检查结果：" + (" · ".join(parts) if parts else "未发现问题")


class FindingsModel(QAbstractListModel):
    """The findings as rows.  A change replaces only the rows that differ (the list can run to hundreds on a
    big form, and most edits change one or two of them)."""

    def __init__(self, style, parent=None):
        super().__init__(parent)
        self.findings = []
        self._rows = []  # (display text, icon, brush) per finding, made once
        self._icons = {lvl: style.standardIcon(sp) for lvl, sp in LEVEL_ICONS.items()}
        self._brushes = {ERROR: QBrush(QColor(LEVEL_COLORS[ERROR])), MISSING: QBrush(QColor(LEVEL_COLORS[MISSING]))}

    def _row(self, f):
        return (f"【{f.level_label}】{f.where}\n{f.message}", self._icons[f.level], self._brushes.get(f.level))

    def set_findings(self, findings) -> None:
        """Bring the rows in line with `findings` with as few row changes as a short look-ahead finds.

        An edit usually adds or drops a finding or two in the middle (the edited row's) and rewords one at
        the end (the totals).  Equal rows are kept, a reworded row is replaced in place (the view measures
        that one row again), and only a real insert or removal makes the view lay the list out anew.
        """
        new = list(findings)
        cur = self.findings
        i = j = 0
        while True:
            if j >= len(new):
                if i < len(cur):
                    self._remove(i, len(cur))
                return
            if i >= len(cur):
                self._insert(i, new[j:])
                return
            a, b = cur[i], new[j]
            if a is b or a == b:
                i += 1
                j += 1
                continue
            step = self._resync(cur, i, new, j)
            if step > 0:  # new[j:j+step] were added before cur[i]
                self._insert(i, new[j : j + step])
                i += step
                j += step
            elif step < 0:  # cur[i:i-step] are gone
                self._remove(i, i - step)
            else:
                self.findings[i] = b
                self._rows[i] = self._row(b)
                idx = self.index(i)
                self.dataChanged.emit(idx, idx)
                i += 1
                j += 1

    LOOK_AHEAD = 12

    def _resync(self, cur, i, new, j) -> int:
        """+d when cur[i] shows up d rows further on in new (rows added), -d when new[j] shows up d rows
        further on in cur (rows removed), 0 to replace cur[i] by new[j]."""
        for d in range(1, self.LOOK_AHEAD + 1):
            if j + d < len(new) and cur[i] == new[j + d]:
                return d
            if i + d < len(cur) and cur[i + d] == new[j]:
                return -d
        return 0

    def _remove(self, first: int, end: int) -> None:
        self.beginRemoveRows(QModelIndex(), first, end - 1)
        del self.findings[first:end]
        del self._rows[first:end]
        self.endRemoveRows()

    def _insert(self, at: int, added: list) -> None:
        self.beginInsertRows(QModelIndex(), at, at + len(added) - 1)
        self.findings[at:at] = added
        self._rows[at:at] = [self._row(f) for f in added]
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.findings)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][0]
        if role == Qt.ItemDataRole.DecorationRole:
            return self._rows[index.row()][1]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._rows[index.row()][2]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.findings[index.row()].message
        if role == Qt.ItemDataRole.UserRole:
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
        self.summary = SummaryLine()
        self.model = FindingsModel(self.style(), self)
        self.view = FindingsView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(False)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setItemDelegate(CellDelegate(self.view, wrap=True, max_lines=12))
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.summary)
        lay.addWidget(self.view)
        doc.findingsChanged.connect(self.show_findings)
        self.show_findings(doc.all_findings())

    def show_findings(self, findings) -> None:
        # the list: refused entries, errors, warnings and hints, then what is still 未填 (muted, under its count)
        ordered = [f for f in findings if f.level != MISSING] + [f for f in findings if f.level == MISSING]
        self.model.set_findings(ordered)
        self.summary.show_findings(findings)

    def texts(self) -> list[str]:
        """What the panel lists, as the clerk reads it (for tests and screen readers)."""
        return [self.model.data(self.model.index(n), Qt.ItemDataRole.DisplayRole) for n in range(self.model.rowCount())]

    def _clicked(self, index) -> None:
        f = item_data(index, Qt.ItemDataRole.UserRole)
        if f is not None:
            self.activated.emit(f)
