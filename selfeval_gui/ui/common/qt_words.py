"""Chinese for the few words of Qt's own dialogs that Qt's qtbase_zh_CN leaves in English.

Qt's catalogue translates "Look in:" but the file dialog asks for "&Look in:" and "Files of &type:" (with their
keyboard accelerators), and the file list calls a folder "Folder".  This translator answers only those; every
other text falls through to Qt's catalogue.  The file dialog's type chooser is also widened to its text, which Qt
otherwise cuts to 100 pixels ("绩效自评表 (*.js"): the program's file dialogs are opened through the functions
here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, QTranslator
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QWidget

log = logging.getLogger(__name__)

MISSING_WORDS = {
    "&Look in:": "查找范围(&L)：",
    "Files of &type:": "文件类型(&T)：",
    "Folder": "文件夹",
    "File Folder": "文件夹",
    "Drive": "驱动器",
    "Shortcut": "快捷方式",
    "Alias": "快捷方式",
}


# the keys as printed on a keyboard (Qt's catalogue says "Ctrl+上方向" and "Ctrl+删除" in the menus)
KEY_WORDS = {
    "Up": "↑",
    "Down": "↓",
    "Left": "←",
    "Right": "→",
    "Del": "Delete",
    "Ins": "Insert",
    "Backspace": "Backspace",
    "PgUp": "PgUp",
    "PgDown": "PgDn",
    "Esc": "Esc",
    "Return": "Enter",
    "Enter": "Enter",
    "Tab": "Tab",
    "Home": "Home",
    "End": "End",
}


class MissingWords(QTranslator):
    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 (Qt's signature)
        if context == "QShortcut" and source_text in KEY_WORDS:
            return KEY_WORDS[source_text]
        if context == "QFileSystemModel" and source_text == "Size":
            return "大小"  # Qt's catalogue says 体积
        return MISSING_WORDS.get(source_text)  # None: not ours, the next translator (Qt's) answers

    def isEmpty(self) -> bool:
        return False


class FileDialogWidener(QObject):
    """When a (non-native) file dialog is shown, its 文件类型 chooser gets the width of its longest entry."""

    def eventFilter(self, obj, event):
        # isinstance first: every event of the program passes here, and asking the others' type would make
        # PySide build its Python enum of all ~180 event types at start-up (about 20 ms, issue 12)
        if isinstance(obj, QFileDialog) and event.type() == QEvent.Type.Show:
            combo = obj.findChild(QComboBox, "fileTypeCombo")
            if combo is not None:
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                combo.setMinimumContentsLength(max((len(combo.itemText(n)) for n in range(combo.count())), default=10))
        return False


def install(app: QApplication) -> MissingWords:
    """The missing words, on the application (kept alive by it as their parent)."""
    words = MissingWords(app)
    app.installTranslator(words)
    return words


@contextmanager
def widened() -> Iterator[None]:
    """The widener watches the application's events only while a file dialog is open: a Python filter on every
    event of the program made PySide build Python types and enums for every kind of widget and event at start-up
    (about 20 ms before the first window, issue 12) and slowed every keystroke after."""
    app = QApplication.instance()
    widener = FileDialogWidener()
    if app is not None:
        app.installEventFilter(widener)
    try:
        yield
    finally:
        if app is not None:
            app.removeEventFilter(widener)


def open_file_name(parent: QWidget | None, title: str, start: str, filters: str) -> str:
    """QFileDialog.getOpenFileName, widened; "" when the clerk cancels."""
    with widened():
        name, _ = QFileDialog.getOpenFileName(parent, title, start, filters)
    return name


def save_file_name(parent: QWidget | None, title: str, start: str, filters: str) -> str:
    """QFileDialog.getSaveFileName, widened; "" when the clerk cancels."""
    with widened():
        name, _ = QFileDialog.getSaveFileName(parent, title, start, filters)
    return name


def existing_directory(parent: QWidget | None, title: str, start: str) -> str:
    """QFileDialog.getExistingDirectory (it has no type chooser; one place for all dialogs all the same)."""
    return QFileDialog.getExistingDirectory(parent, title, start)
