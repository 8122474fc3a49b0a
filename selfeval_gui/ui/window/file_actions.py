"""新建, 打开, 最近打开, 保存, 另存为 and dropped files for the main window.

The window is the MainWindow: its document (doc), its sheet (for what is still being typed), its autosaver and
its title.  Every function here is called by one thin slot of the window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, QTimer
from PySide6.QtWidgets import QMenu, QMessageBox

from selfeval_gui.domain.form import Form
from selfeval_gui.files import editlock
from selfeval_gui.files.atomic import digest_on_disk
from selfeval_gui.files.editlock import EditLock
from selfeval_gui.files.formfile import FormChangedError, FormFileError, load_form, save_form
from selfeval_gui.files.naming import safe_stem
from selfeval_gui.paths import forms_path
from selfeval_gui.ui.common import qt_words, settings
from selfeval_gui.ui.common.action_support import last_dir, remember_file, start_dir
from selfeval_gui.ui.window import file_guard

if TYPE_CHECKING:
    from selfeval_gui.ui.window.main_window import MainWindow

log = logging.getLogger(__name__)

APP_TITLE = "绩效自评表填报工具"
FILE_FILTER = "绩效自评表 (*.json);;所有文件 (*)"
# A dropped .json opens; a dropped workbook is imported; anything else is refused with a sentence.
FORM_SUFFIX = ".json"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DROP_KINDS = (FORM_SUFFIX, *WORKBOOK_SUFFIXES)

REFUSED_NUMBERS_QUESTION = (
    "有格子里填写的数字无法识别（已标红），还没有记入表中。\n\n选择“丢弃”将不保留这些输入；选择“取消”可回去改正。"
)
REFUSED_NUMBERS_SAVE = "有格子里的数字无法识别（已标红），请先改正再保存。"

Button = QMessageBox.StandardButton


def dialog_dir(window: MainWindow) -> str:
    """Where 打开 / 另存为 start: the form's folder, the folder last used, the example forms."""
    return str(start_dir(window.doc.path, last_dir(), forms_path()))


# ------------------------------------------------------------------ dropping the open form


def ask_to_save(window: MainWindow) -> bool:
    """True when it is fine to drop the open form (saved, or the clerk said so)."""
    if not window.sheet.commit_pending():
        # a refused number never reached the form, so is_modified() cannot see it: ask, or it is lost
        answer = QMessageBox.question(
            window, APP_TITLE, REFUSED_NUMBERS_QUESTION, Button.Discard | Button.Cancel, Button.Cancel
        )
        if answer != Button.Discard:
            return False
    if not window.doc.is_modified():
        return True
    name = window.doc.path.name if window.doc.path else "未命名的自评表"
    answer = QMessageBox.question(
        window,
        APP_TITLE,
        f"“{name}”有尚未保存的修改。是否保存？",
        Button.Save | Button.Discard | Button.Cancel,
        Button.Save,
    )
    if answer == Button.Save:
        return save(window)
    return answer == Button.Discard


# ------------------------------------------------------------------ 新建, 打开, 最近打开


def new_form(window: MainWindow) -> None:
    if not ask_to_save(window):
        return
    from selfeval_gui.ui.window.new_form_dialog import NewFormDialog  # not needed for the first screen

    dlg = NewFormDialog(window)
    if dlg.exec():
        window.doc.replace(dlg.make_form(), None)
        window.guard.release()


def open_dialog(window: MainWindow) -> None:
    if not ask_to_save(window):
        return
    name = qt_words.open_file_name(window, "打开自评表", dialog_dir(window), FILE_FILTER)
    if name:
        open_path(window, Path(name), ask=False)


def open_path(window: MainWindow, path: Path, *, ask: bool = True) -> bool:
    if ask and not ask_to_save(window):
        return False
    path = Path(path)
    claim = file_guard.claim(window, path) if path.is_file() else file_guard.Claim()
    if claim is None:
        return False
    try:
        digest = _digest(path)  # before reading: a change made meanwhile shows at the next save, never lost
        form = load_form(path)
    except FormFileError as e:
        if claim.lock is not None and claim.lock is not window.guard.lock:
            claim.lock.release()
        log.warning("无法打开 %s: %s", path, e)
        QMessageBox.warning(window, APP_TITLE, str(e))
        return False
    window.doc.replace(form, path, digest=digest, read_only=claim.read_only)
    window.guard.keep(claim)
    remember_file(path)
    return True


def adopt_preloaded(window: MainWindow, path: Path, digest: str | None) -> bool:
    """The window was built on the form read from `path` (start-up): take the edit lock without a question and
    keep the digest of the bytes read.  False, holding nothing, when another clerk or window has the lock."""
    got = editlock.acquire(path)
    if got is not None and not isinstance(got, EditLock):
        return False
    window.guard.keep(file_guard.Claim(got))
    window.doc.disk_digest = digest
    return True


def _digest(path: Path) -> str | None:
    try:
        return digest_on_disk(path)
    except OSError:
        return None  # load_form says why it cannot be read


def show_form(window: MainWindow, form: Form, path: Path | None, *, modified: bool, digest: str | None = None) -> None:
    """Put a form that did not come from 打开 in the window (an import written to `path`, a recovered autosave of
    `path`): the window takes the file's lock when it can; without a path it holds none."""
    claim = file_guard.Claim()
    if path is not None and path.is_file():
        asked = file_guard.claim(window, path)
        if asked is None:  # someone else edits it and the clerk declined to only look: an unsaved copy
            path, modified, digest = None, True, None
        else:
            claim = asked
            if digest is None and not modified:
                digest = _digest(path)  # the file was just written from this form
    window.doc.replace(form, path, modified=modified, digest=digest, read_only=claim.read_only)
    window.guard.keep(claim)


def reload(window: MainWindow) -> bool:
    """Show the file as it is on disk now, dropping the window's changes (the clerk said so)."""
    path = window.doc.path
    if path is None:
        return False
    try:
        digest = _digest(path)
        form = load_form(path)
    except FormFileError as e:
        log.warning("无法重新载入 %s: %s", path, e)
        QMessageBox.warning(window, APP_TITLE, str(e))
        return False
    window.doc.replace(form, path, digest=digest, read_only=window.doc.read_only_reason)
    window.statusBar().showMessage(f"已重新载入 {path}", 5000)
    return True


def open_recent(window: MainWindow, path: Path) -> None:
    if not path.exists():
        QMessageBox.warning(window, APP_TITLE, f"找不到文件“{path}”，已从最近打开的列表中移除。")
        settings.remove_recent_file(path)
        return
    open_path(window, path)


def fill_recent_menu(menu: QMenu, open_file: Callable[[Path], object]) -> None:
    """最近打开: one entry per remembered file (its full path as the tip), or （无）."""
    menu.clear()
    items = settings.recent_files()
    if not items:
        menu.addAction("（无）").setEnabled(False)
        return
    for n, p in enumerate(items, 1):
        a = menu.addAction(f"&{n} {p.name}")
        a.setToolTip(str(p))
        a.setStatusTip(str(p))
        a.triggered.connect(lambda *_, p=p: open_file(p))


# ------------------------------------------------------------------ 保存, 另存为


def save(window: MainWindow) -> bool:
    if window.doc.read_only_reason:  # someone else edits it (a finalized form of one's own is saved)
        QMessageBox.information(
            window,
            APP_TITLE,
            f"这份表是只读打开的（{window.doc.read_only_reason}），不能保存到原文件。可以用“另存为”保存一份副本。",
        )
        return False
    if window.doc.path is None:
        return save_as(window)
    return save_to(window, window.doc.path, check=True)


def suggested_path(window: MainWindow) -> Path:
    """The form's own file; for a new form its project name and year in the start folder."""
    if window.doc.path:
        return window.doc.path
    form = window.doc.form
    return Path(dialog_dir(window)) / f"{safe_stem(form.project_name, '自评表')}_{form.year}{FORM_SUFFIX}"


def save_as(window: MainWindow) -> bool:
    name = qt_words.save_file_name(window, "另存为", str(suggested_path(window)), FILE_FILTER)
    if not name:
        return False
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(FORM_SUFFIX)
    refused = file_guard.held_by_other(window, path)
    if refused:
        QMessageBox.warning(window, APP_TITLE, refused)
        return False
    # the clerk chose this file and confirmed replacing it: no check against what the window read
    return save_to(window, path)


def save_to(window: MainWindow, path: Path, *, check: bool = False) -> bool:
    """Save to `path`.  check: refuse (and ask what to do) when the file changed since it was opened or saved."""
    if not window.sheet.commit_pending():
        QMessageBox.warning(window, APP_TITLE, REFUSED_NUMBERS_SAVE)
        return False
    try:
        digest = save_form(window.doc.form, path, expect=window.doc.disk_digest if check else None)
    except FormChangedError as e:
        log.warning("没有保存到 %s: %s", path, e)
        answer = file_guard.changed_on_disk(window, path)
        if answer == "save_as":
            return save_as(window)
        if answer == "reload":
            reload(window)
        return False
    except FormFileError as e:
        log.warning("没有保存到 %s: %s", path, e)
        QMessageBox.warning(window, APP_TITLE, str(e))
        return False
    if not window.guard.holds(path):  # saved under a new name: that file is now the one this window edits
        got = editlock.acquire(path)
        window.guard.keep(file_guard.Claim(got if isinstance(got, EditLock) else None))
    window.doc.mark_saved(Path(path), digest)
    window.autosaver.remove()
    window.update_title()
    remember_file(Path(path))
    window.statusBar().showMessage(f"已保存到 {path}", 5000)
    return True


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


def handle_drop(window: MainWindow, path: Path) -> None:
    """Open a form, import a workbook, or say why not; after the drop ends, so a question box does not block
    the drag source."""
    suffix = path.suffix.lower()
    if suffix == FORM_SUFFIX:
        QTimer.singleShot(0, lambda: window.open_path(path))
    elif suffix in WORKBOOK_SUFFIXES:
        QTimer.singleShot(0, lambda: window.import_excel(path))
    else:
        QTimer.singleShot(
            0,
            lambda: QMessageBox.information(
                window, "无法打开", f"“{path.name}”不是自评表文件（.json）或 Excel 工作簿（.xlsx），没有打开。"
            ),
        )
