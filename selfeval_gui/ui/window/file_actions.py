"""新建, 打开, 最近打开 and dropped files for the main window: the dialogs around the session's own open and save
(ui/window/session.py).  Every function here is called by one thin slot of the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtWidgets import QMenu, QMessageBox

from selfeval_gui import APP_TITLE
from selfeval_gui.ui.common import qt_words, settings
from selfeval_gui.ui.window.session import FILE_FILTER, FORM_SUFFIX, WindowSession

log = logging.getLogger(__name__)

# A dropped .json opens; a dropped workbook is imported; anything else is refused with a sentence.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DROP_KINDS = (FORM_SUFFIX, *WORKBOOK_SUFFIXES, ".docx")  # a Word form or 申报表 is imported like a workbook


# ------------------------------------------------------------------ 新建, 打开, 最近打开


def new_form(session: WindowSession) -> None:
    if not session.ask_to_save():
        return
    from selfeval_gui.ui.window.new_form_dialog import NewFormDialog  # not needed for the first screen

    dlg = NewFormDialog(session.widget)
    if dlg.exec():
        session.doc.replace(dlg.make_form(), None)
        session.guard.release()


def open_dialog(session: WindowSession) -> None:
    if not session.ask_to_save():
        return
    name = qt_words.open_file_name(session.widget, "打开自评表", session.dialog_dir(), FILE_FILTER)
    if name:
        session.open_path(Path(name), ask=False)


def open_recent(session: WindowSession, path: Path) -> None:
    if not path.exists():
        QMessageBox.warning(session.widget, APP_TITLE, f"找不到文件“{path}”，已从最近打开的列表中移除。")
        settings.remove_recent_file(path)
        return
    session.open_path(path)


def fill_recent_menu(menu: QMenu, open_file: Callable[[Path], object]) -> None:
    """最近打开: one entry per remembered file (its full path as the tip), or （无）."""
    menu.clear()
    items = settings.recent_files()
    if not items:
        menu.addAction("（无）").setEnabled(False)
        return
    names = [p.name for p in items]
    for n, p in enumerate(items, 1):
        # two files of one name (the draft in two folders) are told apart by their folder
        where = f"（{p.parent.name or p.parent}）" if names.count(p.name) > 1 else ""
        a = menu.addAction(f"&{n} {p.name}{where}")
        a.setToolTip(str(p))
        a.setStatusTip(str(p))
        a.triggered.connect(lambda *_, p=p: open_file(p))


# ------------------------------------------------------------------ dropped files


def dropped_file(mime: QMimeData) -> Path | None:
    """The first form or workbook among the dropped local files, else the first file; None for no files."""
    if not mime.hasUrls():
        return None
    files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    for p in files:
        if p.suffix.lower() in DROP_KINDS:
            return p
    return files[0] if files else None


def handle_drop(session: WindowSession, path: Path) -> None:
    """Open a form, import a workbook, or say why not; after the drop ends, so a question box does not block
    the drag source."""
    suffix = path.suffix.lower()
    if suffix == FORM_SUFFIX:
        QTimer.singleShot(0, lambda: session.open_path(path))
    elif suffix in DROP_KINDS:  # a workbook or a Word document: imported (files/importing.py tells them apart)
        QTimer.singleShot(0, lambda: session.import_excel(path))
    else:
        QTimer.singleShot(
            0,
            lambda: QMessageBox.information(
                session.widget,
                "无法打开",
                f"“{path.name}”不是自评表文件（.json）、Excel 工作簿（.xlsx）或 Word 文档（.docx），没有打开。",
            ),
        )
