"""The open form's session: its document, its file (the edit lock, the digest read, the autosave) and the ways to
open, save and reload it.  The main window builds one and hands it to every action (ui/output, ui/folder,
file_actions.py, 表格设置); the actions never see the window itself, only this object, typed by the Protocols in
ui/form/session.py and ui/common/session.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMainWindow, QMessageBox

from selfeval_gui import APP_TITLE
from selfeval_gui.domain.form import Form
from selfeval_gui.files import editlock
from selfeval_gui.files.atomic import digest_on_disk
from selfeval_gui.files.editlock import EditLock
from selfeval_gui.files.formfile import FormChangedError, FormFileError, load_form, save_form
from selfeval_gui.files.naming import safe_stem
from selfeval_gui.paths import forms_path
from selfeval_gui.ui.common import qt_words
from selfeval_gui.ui.common.action_support import last_dir, remember_file, start_dir
from selfeval_gui.ui.form.document import FormDocument
from selfeval_gui.ui.window import file_guard
from selfeval_gui.ui.window.autosave import Autosaver

log = logging.getLogger(__name__)

FILE_FILTER = "绩效自评表 (*.json);;所有文件 (*)"
FORM_SUFFIX = ".json"
REFUSED_NUMBERS_QUESTION = (
    "有格子里填写的数字无法识别（已标红），还没有记入表中。\n\n选择“丢弃”将不保留这些输入；选择“取消”可回去改正。"
)
REFUSED_NUMBERS_SAVE = "有格子里的数字无法识别（已标红），请先改正再保存。"
Button = QMessageBox.StandardButton


def _digest(path: Path) -> str | None:
    try:
        return digest_on_disk(path)
    except OSError:
        return None  # load_form says why it cannot be read


class WindowSession:
    """One per main window.  `commit` stores what is being typed (the sheet's commit_pending); `message` shows a
    sentence in the status bar; `saved` follows a save (the window's title); `importer` runs 导入Excel."""

    def __init__(
        self,
        window: QMainWindow,
        doc: FormDocument,
        autosaver: Autosaver,
        *,
        commit: Callable[[], bool],
        message: Callable[[str, int], None],
        saved: Callable[[], None],
        importer: Callable[[Path | None], None],
        go_to: Callable[[object], None],
    ) -> None:
        self._window, self._doc, self.autosaver = window, doc, autosaver
        self.guard = file_guard.Guard()  # the edit lock of the open file
        self._commit, self._message, self._saved, self._importer = commit, message, saved, importer
        self.go_to = go_to  # show a finding's cell (a Place) in the sheet

    # ------------------------------------------------------------------ what every action reads

    @property
    def widget(self) -> QMainWindow:
        return self._window

    @property
    def doc(self) -> FormDocument:
        return self._doc

    def current_path(self) -> Path | None:
        return self._doc.path

    def current_form(self) -> Form:
        self._commit()
        return self._doc.form

    def commit_pending(self) -> bool:
        return self._commit()

    def show_message(self, text: str, msecs: int = 10000) -> None:
        self._message(text, msecs)

    def status(self, text: str) -> None:
        """A passing word in the status bar (已保存到…)."""
        self._window.statusBar().showMessage(text, 5000)

    def import_excel(self, path: Path | None = None) -> None:
        self._importer(path)

    def dialog_dir(self) -> str:
        """Where 打开 / 另存为 start: the form's folder, the folder last used, the example forms."""
        return str(start_dir(self._doc.path, last_dir(), forms_path()))

    # ------------------------------------------------------------------ dropping the open form

    def ask_to_save(self) -> bool:
        """True when it is fine to drop the open form (saved, or the clerk said so)."""
        if not self._commit():
            # a refused number never reached the form, so is_modified() cannot see it: ask, or it is lost
            answer = QMessageBox.question(
                self._window, APP_TITLE, REFUSED_NUMBERS_QUESTION, Button.Discard | Button.Cancel, Button.Cancel
            )
            if answer != Button.Discard:
                return False
        if not self._doc.is_modified():
            return True
        name = self._doc.path.name if self._doc.path else "未命名的自评表"
        answer = QMessageBox.question(
            self._window,
            APP_TITLE,
            f"“{name}”有尚未保存的修改。是否保存？",
            Button.Save | Button.Discard | Button.Cancel,
            Button.Save,
        )
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    # ------------------------------------------------------------------ 打开, 重新载入

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        if ask and not self.ask_to_save():
            return False
        path = Path(path)
        claim = file_guard.claim(self._window, self.guard, path) if path.is_file() else file_guard.Claim()
        if claim is None:
            return False
        try:
            digest = _digest(path)  # before reading: a change made meanwhile shows at the next save, never lost
            form = load_form(path)
        except FormFileError as e:
            if claim.lock is not None and claim.lock is not self.guard.lock:
                claim.lock.release()
            log.warning("无法打开 %s: %s", path, e)
            QMessageBox.warning(self._window, APP_TITLE, str(e))
            return False
        self._doc.replace(form, path, digest=digest, read_only=claim.read_only)
        self.guard.keep(claim)
        remember_file(path)
        return True

    def adopt_preloaded(self, path: Path, digest: str | None) -> bool:
        """The window was built on the form read from `path` (start-up): take the edit lock without a question and
        keep the digest of the bytes read.  False, holding nothing, when another clerk or window has the lock."""
        got = editlock.acquire(path)
        if got is not None and not isinstance(got, EditLock):
            return False
        self.guard.keep(file_guard.Claim(got))
        self._doc.disk_digest = digest
        return True

    def show_form(self, form: Form, path: Path | None, *, modified: bool, digest: str | None = None) -> None:
        """Put a form that did not come from 打开 in the window (an import written to `path`, a recovered autosave
        of `path`): the window takes the file's lock when it can; without a path it holds none."""
        claim = file_guard.Claim()
        if path is not None and path.is_file():
            asked = file_guard.claim(self._window, self.guard, path)
            if asked is None:  # someone else edits it and the clerk declined to only look: an unsaved copy
                path, modified, digest = None, True, None
            else:
                claim = asked
                if digest is None and not modified:
                    digest = _digest(path)  # the file was just written from this form
        self._doc.replace(form, path, modified=modified, digest=digest, read_only=claim.read_only)
        self.guard.keep(claim)

    def open_form(self, form: Form, path: Path | None = None) -> None:
        """Replace the open form (an import, a recovery).  Without a path it counts as unsaved."""
        self.show_form(form, path, modified=path is None)

    def reload(self) -> bool:
        """Show the file as it is on disk now, dropping the window's changes (the clerk said so)."""
        path = self._doc.path
        if path is None:
            return False
        try:
            digest = _digest(path)
            form = load_form(path)
        except FormFileError as e:
            log.warning("无法重新载入 %s: %s", path, e)
            QMessageBox.warning(self._window, APP_TITLE, str(e))
            return False
        self._doc.replace(form, path, digest=digest, read_only=self._doc.read_only_reason)
        self.status(f"已重新载入 {path}")
        return True

    # ------------------------------------------------------------------ 保存, 另存为

    def save(self) -> bool:
        if self._doc.read_only_reason:  # someone else edits it (a finalized form of one's own is saved)
            QMessageBox.information(
                self._window,
                APP_TITLE,
                f"这份表是只读打开的（{self._doc.read_only_reason}），不能保存到原文件。可以用“另存为”保存一份副本。",
            )
            return False
        if self._doc.path is None:
            return self.save_as()
        return self.save_to(self._doc.path, check=True)

    def suggested_path(self) -> Path:
        """The form's own file; for a new form its project name and year in the start folder."""
        if self._doc.path:
            return self._doc.path
        form = self._doc.form
        return Path(self.dialog_dir()) / f"{safe_stem(form.project_name, '自评表', f'_{form.year}')}{FORM_SUFFIX}"

    def save_as(self) -> bool:
        name = qt_words.save_file_name(self._window, "另存为", str(self.suggested_path()), FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(FORM_SUFFIX)
        refused = file_guard.held_by_other(self.guard, path)
        if refused:
            QMessageBox.warning(self._window, APP_TITLE, refused)
            return False
        # the clerk chose this file and confirmed replacing it: no check against what the window read
        return self.save_to(path)

    def save_to(self, path: Path, *, check: bool = False) -> bool:
        """Save to `path`.  check: refuse (and ask what to do) when the file changed since it was opened or saved."""
        if not self._commit():
            QMessageBox.warning(self._window, APP_TITLE, REFUSED_NUMBERS_SAVE)
            return False
        try:
            digest = save_form(self._doc.form, path, expect=self._doc.disk_digest if check else None)
        except FormChangedError as e:
            log.warning("没有保存到 %s: %s", path, e)
            answer = file_guard.changed_on_disk(self._window, path)
            if answer == "save_as":
                return self.save_as()
            if answer == "reload":
                self.reload()
            return False
        except FormFileError as e:
            log.warning("没有保存到 %s: %s", path, e)
            QMessageBox.warning(self._window, APP_TITLE, str(e))
            return False
        if not self.guard.holds(path):  # saved under a new name: that file is now the one this window edits
            got = editlock.acquire(path)
            self.guard.keep(file_guard.Claim(got if isinstance(got, EditLock) else None))
        self._doc.mark_saved(Path(path), digest)
        self.autosaver.remove()
        self._saved()
        remember_file(Path(path))
        self.status(f"已保存到 {path}")
        return True
