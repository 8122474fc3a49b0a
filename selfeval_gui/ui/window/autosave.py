"""Autosave of the open form to the user data folder, and recovery after a crash.

Each running window owns one session file (autosave/session-<id>.json) and holds a QLockFile beside it
for as long as it runs.  A session file whose lock can be taken belongs to a program that is gone without
cleaning up — a crash — and is offered for recovery at the next start.  The clerk's own file is never
touched by autosave.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QTimer

from selfeval_gui.domain.form import Form
from selfeval_gui.files.formfile import (
    MAX_FILE_BYTES,
    FormFileError,
    atomic_write_bytes,
    clean_text,
    form_from_data,
    form_to_data,
)
from selfeval_gui.paths import user_data_dir
from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)

AUTOSAVE_FORMAT = "selfeval-autosave"
INTERVAL_MS = 30_000


def autosave_dir() -> Path:
    d = user_data_dir() / "autosave"
    d.mkdir(parents=True, exist_ok=True)
    return d


@dataclass
class Recovered:
    file: Path  # the session file
    lock: QLockFile  # held while the clerk decides, so two starts do not both offer it
    form: Form
    source: Path | None  # the clerk's file the autosave was made from, if any
    saved_at: str
    source_digest: str | None = None  # that file's content digest as the window had read or saved it

    def discard(self) -> None:
        _remove(self.file)
        self.lock.unlock()


def find_recoverable() -> list[Recovered]:
    """Session files left behind by a program that is no longer running, newest first."""
    return scan()[0]


def damaged_dir() -> Path:
    return autosave_dir() / "damaged"


def scan() -> tuple[list[Recovered], list[Path]]:
    """(session files left behind by a program no longer running, newest first; damaged ones, moved out of the
    way into damaged_dir() so they are reported once and never again)."""
    found, damaged = [], []
    for f in sorted(autosave_dir().glob("session-*.json"), key=_mtime, reverse=True):
        lock = QLockFile(str(f.with_suffix(".lock")))
        lock.setStaleLockTime(0)
        if not lock.tryLock(0):
            continue  # its program is still running
        try:
            found.append(_read(f, lock))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, FormFileError) as e:
            log.warning("自动保存的文件 %s 已损坏，无法恢复，移到 %s：%r", f, damaged_dir(), e)
            moved = _set_aside(f)
            lock.unlock()
            if moved is not None:
                damaged.append(moved)
    return found, damaged


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def _read(f: Path, lock: QLockFile) -> Recovered:
    data = json.loads(read_regular(f, MAX_FILE_BYTES).decode("utf-8"))
    form = form_from_data(data["form"])
    source = Path(data["source"]) if data.get("source") else None
    digest = data.get("source_digest")
    return Recovered(f, lock, form, source, str(data.get("saved_at", "")), digest if isinstance(digest, str) else None)


def _set_aside(f: Path) -> Path | None:
    """Move a damaged session file into damaged_dir() (kept for IT staff, never offered again)."""
    target = damaged_dir() / f.name
    try:
        target.parent.mkdir(exist_ok=True)
        f.replace(target)
        return target
    except OSError as e:
        log.warning("损坏的自动保存文件 %s 无法移走：%s", f, e)
        _remove(f)
        return None if f.exists() else f


class Autosaver(QObject):
    """Writes the document to its session file 30 s after the first unsaved edit, and again after more."""

    def __init__(self, doc, parent=None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.doc = doc
        self.session = f"session-{os.urandom(6).hex()}"  # uuid would load the platform module at start
        self.file = autosave_dir() / f"{self.session}.json"
        self.lock = QLockFile(str(self.file.with_suffix(".lock")))
        self.lock.setStaleLockTime(0)
        self.lock.tryLock(0)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.save_now)
        doc.undo_stack.indexChanged.connect(self._edited)
        doc.formReplaced.connect(self._edited)

    def _edited(self, *_):
        try:
            modified = self.doc.is_modified()
        except RuntimeError:  # the undo stack signals once more while the window is being destroyed
            return
        if modified:
            if not self.timer.isActive():
                self.timer.start()
        else:
            self.timer.stop()
            self.remove()  # saved (or back at the saved state): nothing to recover

    def save_now(self) -> bool:
        if not self.doc.is_modified():
            return False
        data = {
            "format": AUTOSAVE_FORMAT,
            "saved_at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "source": str(self.doc.path) if self.doc.path else None,
            "source_digest": self.doc.disk_digest,
            "form": form_to_data(self.doc.form),
        }
        # a lone surrogate typed or pasted into a field cannot be written as UTF-8: cleaned as a save cleans it
        text = clean_text(json.dumps(data, ensure_ascii=False))
        try:
            atomic_write_bytes(self.file, text.encode("utf-8"), backup=False)
        except OSError as e:
            log.warning("自动保存没有写入 %s：%s", self.file, e)
            return False  # a full disk must not interrupt the clerk; the next edit tries again
        return True

    def remove(self) -> None:
        _remove(self.file)

    def close(self) -> None:
        """Normal end of the session: no recovery needed."""
        self.timer.stop()
        self.remove()
        self.lock.unlock()


def _remove(file: Path) -> None:
    """Delete a session file if it is there; one that cannot be deleted is logged and left."""
    try:
        file.unlink(missing_ok=True)
    except OSError as e:
        log.warning("自动保存的文件 %s 无法删除：%s", file, e)
