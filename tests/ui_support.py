"""Helpers for the window tests (no tests here): type into a cell the way a clerk does, read what it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from selfeval_gui.ui.common.qt_compat import item_data

from .support import SEED2


def open_window(qtbot, form=None, path=None, **kw):
    """A shown main window on `form`, closed with the test."""
    from selfeval_gui.ui.window.main_window import MainWindow

    w = MainWindow(form, path, **kw)
    qtbot.addWidget(w)
    w.show()
    return w


def seed2_window(qtbot, seed2):
    """Seed 2 open from its file, exposed; for the `win` fixtures of the window tests."""
    w = open_window(qtbot, seed2, SEED2)
    qtbot.waitExposed(w)
    return w


def type_into_cell(qtbot, view, index, text: str, key=Qt.Key_Return):
    """Open the cell's editor, replace its text, press Enter (or `key`). Returns the editor."""
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, (QLineEdit, QPlainTextEdit)), "the cell did not open an editor"
    if isinstance(editor, QPlainTextEdit):  # a multi-line note: Shift+Enter for each line break
        editor.selectAll()
        editor.textCursor().removeSelectedText()
        for n, line in enumerate(text.split("\n")):
            if n:
                qtbot.keyClick(editor, Qt.Key_Return, Qt.ShiftModifier)
            _type(qtbot, editor, line)
        qtbot.keyClick(editor, key)
        return editor
    editor.selectAll()
    editor.del_()
    _type(qtbot, editor, text)
    qtbot.keyClick(editor, key)
    return editor


def _type(qtbot, editor, text: str):
    if text.isascii():
        qtbot.keyClicks(editor, text)
    elif isinstance(editor, QPlainTextEdit):
        editor.insertPlainText(text)
    else:  # QTest cannot synthesise keys for Chinese or full-width characters: an input method commits text
        editor.insert(text)


def shown(index) -> str:
    return item_data(index, Qt.DisplayRole) or ""


def type_into_field(qtbot, edit: QLineEdit, text: str):
    edit.setFocus()
    edit.selectAll()
    edit.del_()
    _type(qtbot, edit, text)
    qtbot.keyClick(edit, Qt.Key_Return)


class BoxRecorder:
    """Stands in for QMessageBox's static functions: records what would have been asked, never blocks."""

    def __init__(self, monkeypatch, answer=None):
        from PySide6.QtWidgets import QMessageBox

        self.calls = []
        self.answer = QMessageBox.Discard if answer is None else answer
        for name in ("question", "warning", "information", "critical"):
            monkeypatch.setattr(QMessageBox, name, staticmethod(self._make(name)))
        # A box built and exec()'d by hand (e.g. the import findings) must not block a test either.
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self.calls.append(("exec", box.text())) or QMessageBox.Ok)

    def _make(self, name):
        from PySide6.QtWidgets import QMessageBox

        def box(parent, title, text, *args, **kwargs):
            self.calls.append((name, text))
            return self.answer if name == "question" else QMessageBox.Ok

        return box

    def texts(self, name=None):
        return [t for n, t in self.calls if name is None or n == name]


class ChoiceRecorder:
    """Stands in for action_support.choose: records (text, buttons), answers with the next of `answers`."""

    def __init__(self, monkeypatch):
        from selfeval_gui.ui.common import action_support

        self.calls: list[tuple[str, list[str]]] = []
        self.answers: list[int | None] = []
        monkeypatch.setattr(action_support, "choose", self._choose)

    def _choose(self, parent, title, text, buttons, default=0):
        self.calls.append((text, list(buttons)))
        return self.answers.pop(0) if self.answers else None

    def texts(self):
        return [t for t, _ in self.calls]
