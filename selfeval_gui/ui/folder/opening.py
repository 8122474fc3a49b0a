"""The 项目一览 opened from the main window (文件 › 打开文件夹…, `python main.py FOLDER`) and 新建 › 从上年表格…:
the two ways in from the form's window, through its session (ui/common/session.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from selfeval_gui.files.folder.next_year import write_next_year
from selfeval_gui.ui.common import qt_words
from selfeval_gui.ui.common.action_support import last_dir, start_dir
from selfeval_gui.ui.common.session import FileSession
from selfeval_gui.ui.folder.actions import TITLE_NEXT, ask_folder
from selfeval_gui.ui.folder.window import FolderWindow


def open_folder(session: FileSession, folder: Path | None = None) -> FolderWindow | None:
    """The 项目一览 of a folder (asked for when None), a window of its own beside the main window."""
    if folder is None:
        folder = ask_folder(session.widget, "打开文件夹", start_dir(None, last_dir()))
        if folder is None:
            return None
    fw = FolderWindow(folder, open_path=session.open_path, import_path=session.import_excel, parent=session.widget)
    fw.setWindowFlag(Qt.WindowType.Window, True)
    fw.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    fw.show()
    return fw


def ask_last_year_file(parent: QWidget, start: Path) -> Path | None:
    name = qt_words.open_file_name(parent, "选择上年的自评表", str(start), "绩效自评表 (*.json)")
    return Path(name) if name else None


def from_last_year(session: FileSession) -> Path | None:
    """新建 › 从上年表格…: a draft for this year beside last year's file, opened in the window."""
    if not session.ask_to_save():
        return None
    src = ask_last_year_file(session.widget, start_dir(session.current_path(), last_dir()))
    if src is None:
        return None
    result = write_next_year([src])
    if result.skipped:
        QMessageBox.warning(session.widget, TITLE_NEXT, result.skipped[0][1])
        return None
    _old, new = result.written[0]
    session.open_path(new, ask=False)
    session.show_message(f"已由“{src.name}”生成本年度草稿：{new.name}")
    return new
