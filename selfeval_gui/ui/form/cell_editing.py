"""Cell editing shared by the 项目资金 grid and the 绩效指标 tree.

The delegate refuses a number the domain parser does not accept: the editor stays open with the clerk's
text, turns red and the parser's Chinese message is shown, so nothing typed is silently dropped.  Enter
and Tab commit and move on to the next editable cell in paper order (left to right, top to bottom).
Long notes (偏差原因分析及改进措施) get a multi-line editor: Enter still commits and moves on, as in every
other cell; Shift+Enter or Ctrl+Enter starts a new line (as in chat programs and spreadsheets' Alt+Enter).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QTreeView,
)

from selfeval_gui.domain.vocabulary import GRADE_LABELS, GRADE_SHORT, GRADES
from selfeval_gui.ui.common import look
from selfeval_gui.ui.common.qt_compat import item_data

log = logging.getLogger(__name__)

INVALID_STYLE = f"QLineEdit {{ {look.INVALID_STYLE} }}"
COMMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


MAX_LINES = 4
TREE_MAX_LINES = 30  # the indicator rows grow to show their text in full (issue 10); past this, the tooltip
MULTILINE_COLUMNS = {"name", "target", "actual", "deviation"}  # column keys whose cells take several lines of text
EDITOR_LINES = 5  # a multi-line editor shows at least this many lines, over the rows below
MOD = Qt.KeyboardModifier
NEWLINE_MODIFIERS = MOD.ShiftModifier | MOD.ControlModifier | MOD.AltModifier


class NoteCellEditor(QPlainTextEdit):
    """The multi-line cell editor (a class of its own so tests and the delegate can tell it apart)."""


class GradeChooser(QComboBox):
    """The grade editor.  A pick from the drop-down list is stored at once; arrow keys and the wheel only
    step through the grades (a closed combo box reports each step as `activated`, which would store the
    first step and close, so a clerk on the keyboard could never reach 部分达成) — Enter or Tab stores."""

    stepping = False

    def keyPressEvent(self, event):
        self.stepping = True
        try:
            super().keyPressEvent(event)
        finally:
            self.stepping = False

    def wheelEvent(self, event):
        self.stepping = True
        try:
            super().wheelEvent(event)
        finally:
            self.stepping = False


class CellLineEdit(QLineEdit):
    """A one-line cell editor that remembers its cell (a refused entry is shown red on that cell)."""

    cell_index: QPersistentModelIndex | None = None
    refusal_token: object | None = None  # while its refused entry is listed in 检查结果


class CellDelegate(QStyledItemDelegate):
    """Line editors for text and numbers, a chooser for the qualitative grade.

    With wrap=True, long texts wrap inside their column and the row grows (up to max_lines lines; the
    whole text is in the tooltip), as on the paper form.
    """

    refused = Signal(str)  # the message for a refused entry
    # a cell of this grid (source) holds a refused entry (where, sentence) / no longer does (""): listed in
    # 检查结果 and counted as an error while it lasts (FormDocument.set_refusal)
    refusedEntry = Signal(str, str, str)

    def __init__(self, parent=None, wrap: bool = False, max_lines: int = MAX_LINES, source: str = "cells"):
        super().__init__(parent)
        self.source = source
        self.wrap = wrap
        self.max_lines = max_lines
        self._sizes: dict[tuple, QSize] = {}  # measured wrapped sizes, see sizeHint
        self._refusal_token: object | None = None  # the editor whose refused entry is listed

    def sizeHint(self, option, index):
        view = self.parent()
        if not self.wrap or not isinstance(view, (QTableView, QTreeView)):
            return super().sizeHint(option, index)
        text = self.display_text(index)
        width = view.columnWidth(index.column()) - 10
        if index.column() == 0 and isinstance(view, QTreeView) and view.rootIsDecorated():
            width -= view.indentation() * 3
        has_icon = item_data(index, Qt.ItemDataRole.DecorationRole) is not None
        if has_icon:
            width -= option.decorationSize.width() + 8
        # measuring wrapped text is the costly part of a repaint; the same text in the same width and
        # font always measures the same, so a row that did not change is not measured again
        level = getattr(index.model(), "level", None)
        key = (text, width, has_icon, level(index) if level else 0, option.font.key())
        size = self._sizes.get(key)
        if size is not None:
            return QSize(size)
        size = super().sizeHint(option, index)
        fm = option.fontMetrics
        if text and width > 20 and fm.horizontalAdvance(text) > width:
            wrap = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere
            rect = fm.boundingRect(QRect(0, 0, width, 10000), wrap, text)
            height = min(rect.height(), fm.lineSpacing() * self.max_lines) + 6
            size = QSize(size.width(), max(size.height(), height))
        if len(self._sizes) > 20000:
            self._sizes.clear()
        self._sizes[key] = size
        return QSize(size)

    def helpEvent(self, event, view, option, index):
        """A cell whose text does not fit shows it in full as its tooltip (when the model has no tooltip)."""
        if (
            event.type() == QEvent.Type.ToolTip
            and index.isValid()
            and not item_data(index, Qt.ItemDataRole.ToolTipRole)
        ):
            text = self.display_text(index)
            fits = self.sizeHint(option, index).height() >= self._full_height(option, index, text)
            if text and not fits or option.fontMetrics.horizontalAdvance(text) > 4 * view.width():
                QToolTip.showText(event.globalPos(), text, view)
                return True
        return super().helpEvent(event, view, option, index)

    def _full_height(self, option, index, text: str) -> int:
        view = self.parent()
        width = view.columnWidth(index.column()) - 10 if isinstance(view, (QTreeView, QTableView)) else 200
        wrap = Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere
        return option.fontMetrics.boundingRect(QRect(0, 0, max(width, 20), 100000), wrap, text).height() + 6

    def display_text(self, index) -> str:
        """The text the cell shows, including the 指标N： number of a 三级 row."""
        text = item_data(index, Qt.ItemDataRole.DisplayRole)
        text = "" if text is None else str(text)
        model = index.model()
        if index.column() == 0 and getattr(model, "level", None) and model.level(index) == 3:
            text = model.row_label(index) + text
        return text

    def initStyleOption(self, option, index):
        super().initStyleOption(option, index)
        if index.column() == 0:
            # Qt turns "\n" into a line break only in text it fetched itself; this text is set here
            option.text = self.display_text(index).replace("\n", "\u2028")
        if self.wrap:
            option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

    def createEditor(self, parent, option, index):
        model = index.model()
        if getattr(model, "column_key", None) and model.column_key(index) == "grade":
            box = GradeChooser(parent)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.addItem("（未选择）")
            for key, label in GRADES:
                box.addItem(GRADE_SHORT[key])
                box.setItemData(box.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
            box.activated.connect(lambda _n, b=box: None if b.stepping else self._commit_and_close(b))
            return box
        if getattr(model, "column_key", None) and model.column_key(index) in MULTILINE_COLUMNS:
            note = NoteCellEditor(parent)
            note.setTabChangesFocus(True)
            note.setToolTip("回车：完成；Shift+回车 或 Ctrl+回车：换行")
            note.installEventFilter(self)
            return note
        editor = CellLineEdit(parent)
        editor.setFrame(False)
        editor.cell_index = QPersistentModelIndex(index)
        editor.installEventFilter(self)
        return editor

    def updateEditorGeometry(self, editor, option, index):
        if isinstance(editor, GradeChooser):
            # as wide as its longest choice, not the 70-pixel column ("（未选择" was cut off)
            rect = QRect(option.rect)
            rect.setWidth(max(rect.width(), editor.sizeHint().width()))
            editor.setGeometry(rect)
            editor.view().setMinimumWidth(editor.view().sizeHintForColumn(0) + 24)
            return
        if not isinstance(editor, NoteCellEditor):
            super().updateEditorGeometry(editor, option, index)
            return
        # taller than its row so a paragraph can be read while editing; kept inside the visible area
        rect = QRect(option.rect)
        lines = editor.fontMetrics().lineSpacing() * EDITOR_LINES + 12
        rect.setHeight(max(rect.height(), lines))
        holder = editor.parentWidget()
        area = holder.rect() if holder is not None else rect
        if rect.bottom() > area.bottom():
            rect.moveBottom(area.bottom())
        if rect.top() < area.top():
            rect.setTop(area.top())
        editor.setGeometry(rect)

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            keys = [k for k, _ in GRADES]
            key = item_data(index, Qt.ItemDataRole.EditRole)
            editor.setCurrentIndex(keys.index(key) + 1 if key in keys else 0)
            return
        if isinstance(editor, NoteCellEditor):
            editor.setPlainText(item_data(index, Qt.ItemDataRole.EditRole) or "")
            editor.selectAll()  # as a line editor does: typing straight away replaces the note
            return
        editor.setText(item_data(index, Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            n = editor.currentIndex()  # 0 is “not chosen”; currentData() is avoided (see qt_compat)
            model.setData(index, GRADES[n - 1][0] if n > 0 else None, Qt.ItemDataRole.EditRole)
            return
        if isinstance(editor, NoteCellEditor):
            model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)
            return
        text = editor.text()
        message = self._problem(index, text)
        if message:
            # the view is closing this editor (a click elsewhere): reopen it with the clerk's text
            self.refused.emit(message)
            self._reopen_later(index, text, message)
            return
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    def _commit_and_close(self, editor):
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    @staticmethod
    def _problem(index, text: str) -> str | None:
        validate = getattr(index.model(), "validate", None)
        return validate(index, text) if validate else None

    def _show_problem(self, editor: QLineEdit, message: str) -> None:
        self._mark_refused(editor, message)
        QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), message, editor)

    def _mark_refused(self, editor: QLineEdit, message: str) -> None:
        """Red editor, the reason as its tooltip, and the refusal listed in 检查结果 until the editor closes; the
        tooltip goes as soon as the clerk types again (it spoke of the old text)."""
        editor.setStyleSheet(INVALID_STYLE)
        editor.setToolTip(message)
        self.refused.emit(message)
        pidx = getattr(editor, "cell_index", None)
        index = QModelIndex(pidx) if pidx is not None and pidx.isValid() else QModelIndex()
        if index.isValid():
            shown = item_data(index, Qt.ItemDataRole.DisplayRole)
            old = f"原来的值 {shown}" if shown not in (None, "", "—") else "空值"
            self.refusedEntry.emit(
                self.source,
                self.cell_name(index),
                f"输入的“{editor.text()}”没有记入：{message} 在改正之前，计算仍使用{old}。",
            )
        # one token per editor: marked again (a second Enter, focus leaving for a dialog) it stays the same, so the
        # listing ends when that editor closes, whatever happened in between; a reopened editor takes it over
        token = getattr(editor, "refusal_token", None)
        if token is None:
            token = object()
            setattr(editor, "refusal_token", token)  # noqa: B010 (any line editor, CellLineEdit declares it)

            def typed_again(*_):
                QToolTip.hideText()
                editor.setToolTip("")

            editor.textEdited.connect(typed_again)
            editor.destroyed.connect(lambda *_, t=token: self._refusal_over(t))
        self._refusal_token = token

    def _refusal_over(self, token) -> None:
        if token is self._refusal_token:
            self._refusal_token = None
            self.refusedEntry.emit(self.source, "", "")

    def cell_name(self, index) -> str:
        """The refused cell as the clerk finds it: its row's label and its column heading."""
        model = index.model()
        heading = model.headerData(index.column(), Qt.Orientation.Horizontal)
        if isinstance(self.parent(), QTreeView):
            row = self.display_text(index.siblingAtColumn(0))
        else:
            row = model.headerData(index.row(), Qt.Orientation.Vertical)
        return f"{row} › {heading}"

    def _reopen_later(self, index, text: str, message: str) -> None:
        view = self.parent()
        if not isinstance(view, QAbstractItemView):
            return
        pidx = QPersistentModelIndex(index)

        def reopen():
            if not pidx.isValid():
                return
            idx = view.model().index(pidx.row(), pidx.column(), pidx.parent())
            view.setCurrentIndex(idx)
            view.edit(idx)
            ed = view.indexWidget(idx)
            if isinstance(ed, QLineEdit):
                ed.setText(text)
                ed.selectAll()
                self._show_problem(ed, message)

        QTimer.singleShot(0, reopen)

    def eventFilter(self, editor, event):
        if (
            isinstance(editor, NoteCellEditor)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            hint = QAbstractItemDelegate.EndEditHint
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, hint.EditNextItem if event.key() == Qt.Key.Key_Tab else hint.EditPreviousItem)
            return True
        if (
            isinstance(editor, NoteCellEditor)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if event.modifiers() & NEWLINE_MODIFIERS:
                editor.insertPlainText("\n")
            else:
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.EditNextItem)
            return True
        if isinstance(editor, QLineEdit):
            kind = event.type()
            if kind == QEvent.Type.KeyPress and event.key() in COMMIT_KEYS or kind == QEvent.Type.FocusOut:
                pidx = getattr(editor, "cell_index", None)
                index = QModelIndex(pidx) if pidx is not None and pidx.isValid() else QModelIndex()
                message = self._problem(index, editor.text()) if index.isValid() else None
                if message:
                    if kind == QEvent.Type.KeyPress:
                        self._show_problem(editor, message)
                        return True
                    self._mark_refused(editor, message)
                    return True  # keep the editor (and the text) when focus wanders off
                if kind == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self.commitData.emit(editor)
                    self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.EditNextItem)
                    return True
        return super().eventFilter(editor, event)


def _is_editable(index) -> bool:
    return index.isValid() and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)


class FormTreeView(QTreeView):
    """The indicator tree: Tab / Enter walk the editable cells in paper order."""

    def moveCursor(self, action, modifiers):
        if action in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious):
            nxt = self.next_editable(self.currentIndex(), action == QAbstractItemView.CursorAction.MoveNext)
            return nxt if nxt.isValid() else self.currentIndex()
        return super().moveCursor(action, modifiers)

    def next_editable(self, index, forward: bool = True):
        model = self.model()
        cols = model.columnCount()
        if not index.isValid():
            row = model.index(0, 0)
            col = -1 if forward else cols
        else:
            row, col = index.siblingAtColumn(0), index.column()
        while row.isValid():
            rng = range(col + 1, cols) if forward else range(col - 1, -1, -1)
            for c in rng:
                cand = row.siblingAtColumn(c)
                if _is_editable(cand) and not self.isColumnHidden(c):
                    return cand
            row = self.indexBelow(row) if forward else self.indexAbove(row)
            col = -1 if forward else cols
        return QModelIndex()


class FormTableView(QTableView):
    """The 项目资金 grid: Tab / Enter walk the editable cells row by row."""

    def moveCursor(self, action, modifiers):
        if action in (QAbstractItemView.CursorAction.MoveNext, QAbstractItemView.CursorAction.MovePrevious):
            model = self.model()
            cur = self.currentIndex()
            rows, cols = model.rowCount(), model.columnCount()
            pos = cur.row() * cols + cur.column() if cur.isValid() else -1
            step = 1 if action == QAbstractItemView.CursorAction.MoveNext else -1
            pos += step
            while 0 <= pos < rows * cols:
                cand = model.index(pos // cols, pos % cols)
                if _is_editable(cand):
                    return cand
                pos += step
            return cur
        return super().moveCursor(action, modifiers)


GRADE_HELP = "；".join(f"{GRADE_SHORT[k]}＝{GRADE_LABELS[k]}" for k, _ in GRADES)
