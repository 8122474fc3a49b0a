"""Chinese for the few words of Qt's own dialogs that Qt's qtbase_zh_CN leaves in English.

Qt's catalogue translates "Look in:" but the file dialog asks for "&Look in:" and "Files of &type:" (with their
keyboard accelerators), and the file list calls a folder "Folder".  This translator answers only those; every
other text falls through to Qt's catalogue.  The file dialog's type chooser is also widened to its text, which Qt
otherwise cuts to 100 pixels ("绩效自评表 (*.js").
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTranslator
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog

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


class MissingWords(QTranslator):
    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 (Qt's signature)
        return MISSING_WORDS.get(source_text)  # None: not ours, the next translator (Qt's) answers

    def isEmpty(self) -> bool:
        return False


class FileDialogWidener(QObject):
    """When a (non-native) file dialog is shown, its 文件类型 chooser gets the width of its longest entry."""

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Show and isinstance(obj, QFileDialog):
            combo = obj.findChild(QComboBox, "fileTypeCombo")
            if combo is not None:
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                combo.setMinimumContentsLength(max((len(combo.itemText(n)) for n in range(combo.count())),
                                                   default=10))
        return False


def install(app: QApplication) -> list[QObject]:
    """Install both on the application; returns them (kept alive by the app as their parent)."""
    words = MissingWords(app)
    app.installTranslator(words)
    widener = FileDialogWidener(app)
    app.installEventFilter(widener)
    return [words, widener]
