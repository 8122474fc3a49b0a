"""Plain input widgets (header, goals, notes, totals as written, sign-off) bound to one attribute of the Form.

A widget commits when the clerk leaves it (or presses Enter in a line); the edit goes through the document's
undo stack.  When the stored value changes (undo, redo, open), the widget shows it again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from selfeval_gui.domain.number_rules import NumberError, rule_for
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.ui.common import look

if TYPE_CHECKING:
    from selfeval_gui.ui.form.document import FormDocument

log = logging.getLogger(__name__)


class NoteEdit(QPlainTextEdit):
    """A multi-line field that reports when the clerk leaves it."""

    left = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()


class FieldBinder(QObject):
    """Keeps a set of widgets and the Form's attributes in step."""

    def __init__(self, doc: FormDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        # attr -> (widget, label, "text" or "decimal")
        self.bindings: dict[str, tuple[QLineEdit | NoteEdit, str, str]] = {}
        doc.valueChanged.connect(self._on_value_changed)
        doc.formReplaced.connect(self.refresh_all)
        doc.readOnlyChanged.connect(self.set_read_only)  # locked by another clerk, or finalized

    def bind_text(self, widget: QLineEdit | NoteEdit, attr: str, label: str) -> None:
        self.bindings[attr] = (widget, label, "text")
        widget.setReadOnly(self.doc.read_only)
        if isinstance(widget, QLineEdit):
            widget.editingFinished.connect(lambda a=attr: self.commit(a))
        else:
            widget.left.connect(lambda a=attr: self.commit(a))
        self._show(attr)

    def bind_decimal(self, widget: QLineEdit, attr: str, label: str) -> None:
        """A number field; what the clerk types is held to the field's rule (places, sign)."""
        self.bindings[attr] = (widget, label, "decimal")
        widget.setReadOnly(self.doc.read_only)
        widget.editingFinished.connect(lambda a=attr: self.commit(a))
        self._show(attr)

    def set_read_only(self, read_only: bool) -> None:
        for widget, _label, _kind in self.bindings.values():
            widget.setReadOnly(read_only)

    def widget(self, attr: str) -> QLineEdit | NoteEdit:
        return self.bindings[attr][0]

    @staticmethod
    def _text(widget: QLineEdit | NoteEdit) -> str:
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    def commit(self, attr: str) -> bool:
        """Store what the widget holds; False (and a message) when a number is refused."""
        widget, label, kind = self.bindings[attr]
        if self.doc.read_only:
            return True  # nothing can have been typed into a read-only field
        text = self._text(widget)
        value: object = text
        if kind != "text":
            try:
                value = rule_for(attr).parse(text)
            except NumberError as e:
                widget.setStyleSheet(look.INVALID_STYLE)
                widget.setToolTip(str(e))
                self.doc.message.emit(f"{label}：{e}")
                self.doc.set_refusal(f"field:{attr}", label, f"输入的“{text}”没有记入：{e}")
                return False
            self._valid_again(attr)
        self.doc.set_value(self.doc.form, attr, value, label)
        return True

    def commit_all(self) -> bool:
        return all([self.commit(attr) for attr in self.bindings])

    def _show(self, attr: str) -> None:
        widget, _label, kind = self.bindings[attr]
        value = getattr(self.doc.form, attr)
        text = value if kind == "text" else fmt_decimal(value)
        if self._text(widget) != text:
            if isinstance(widget, QLineEdit):
                widget.setText(text)
                widget.setCursorPosition(0)
            else:
                widget.setPlainText(text)
        if kind != "text":
            self._valid_again(attr)

    def _valid_again(self, attr: str) -> None:
        widget = self.bindings[attr][0]
        widget.setStyleSheet("")
        widget.setToolTip("")
        self.doc.set_refusal(f"field:{attr}")

    def _on_value_changed(self, obj, attr):
        if obj is self.doc.form and attr in self.bindings:
            self._show(attr)

    def refresh_all(self) -> None:
        for attr in self.bindings:
            self._show(attr)
