"""What the window's file actions (open/save, PDF, Excel) share: the busy cursor, the clerk's error sentence
and the folder a file dialog starts in.

Safe and unique file names come from selfeval_gui.files.naming; the sentence for an error from
selfeval_gui.files.errors.clerk_message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from selfeval_gui.files.errors import clerk_message
from selfeval_gui.ui.common import settings

log = logging.getLogger(__name__)

LAST_DIR = "last_dir"  # the settings key of the folder last opened from or saved to


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while a file is read or written; restored however the work ends."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def show_error(parent: QWidget | None, title: str, lead: str, error: BaseException, fallback: str) -> None:
    """A warning box: what did not happen (`lead`), then the clerk's sentence for `error` (never a traceback).
    The caller logs the error."""
    QMessageBox.warning(parent, title, f"{lead}\n\n{clerk_message(error, fallback)}")


def documents_dir() -> Path:
    """Documents (我的文档), when it exists: a dialog told to open in a folder that is not there opens somewhere
    else with the folder's name typed in as a file name."""
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def start_dir(current: Path | None, *candidates: Path | None) -> Path:
    """The folder a file dialog opens in: the open form's folder; else the first candidate that is a folder;
    else Documents (the home folder when there is none)."""
    if current:
        return Path(current).parent
    for folder in candidates:
        if folder is not None and folder.is_dir():
            return folder
    return documents_dir()


def last_dir() -> Path | None:
    """The folder a form was last opened from or saved to, if the settings remember one."""
    last = settings.get_value(LAST_DIR)
    return Path(last) if isinstance(last, str) and last else None


def remembered_dir(key: str) -> Path | None:
    """The folder remembered under `key` (the last workbook imported, the last batch output), if still there."""
    value = settings.get_value(key)
    folder = Path(value) if isinstance(value, str) and value else None
    return folder if folder is not None and folder.is_dir() else None


def remember_dir(key: str, folder: Path) -> None:
    settings.set_value(key, str(Path(folder).resolve()))


def remember_file(path: Path) -> None:
    """A form file was opened or saved: first in 最近打开, and its folder is where the next dialog starts."""
    settings.add_recent_file(Path(path))
    settings.set_value(LAST_DIR, str(Path(path).resolve().parent))


def choose(parent: QWidget | None, title: str, text: str, buttons: list[str], default: int = 0) -> int | None:
    """A question with buttons of our own words (另存为…, 重新载入, 只读打开 …): the index of the one pressed, None
    for the last one (取消) or Esc.  Tests replace this function."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    made = []
    for n, label in enumerate(buttons):
        role = QMessageBox.ButtonRole.RejectRole if n == len(buttons) - 1 else QMessageBox.ButtonRole.AcceptRole
        made.append(box.addButton(label, role))
    box.setDefaultButton(made[default])
    box.setEscapeButton(made[-1])
    box.exec()
    clicked = box.clickedButton()
    for n, button in enumerate(made[:-1]):
        if clicked is button:
            return n
    return None
