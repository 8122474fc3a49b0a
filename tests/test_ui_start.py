"""`python main.py FORM`: the window is built on the named form (read before the window, issue 12); 最近打开
remembers it once the window is up; a form that cannot be read still gets its message over a blank form."""

from __future__ import annotations

import shutil
import sys
import threading

from PySide6.QtWidgets import QApplication

from selfeval_gui.ui.common import settings
from selfeval_gui.ui.window import start
from selfeval_gui.ui.window.main_window import MainWindow

from .support import SEED2


def run_start(monkeypatch, argv, look=None):
    """start_gui with the event loop replaced by: handle what is queued, note what the clerk sees, close."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    seen = []
    earlier = set(QApplication.topLevelWidgets())  # windows other tests left behind are not this start's

    def fake_exec(*_a):
        QApplication.processEvents()
        wins = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible() and w not in earlier
        ]
        seen.extend((w.doc.form.project_name, w.doc.path, w.windowTitle()) for w in wins)
        if look is not None:
            look(wins)
        for w in wins:
            w.doc.undo_stack.setClean()
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert start.start_gui(argv) == 0
    return seen


def test_the_named_form_is_shown_and_remembered(qapp, boxes, monkeypatch, cn_dir):
    path = cn_dir / "城管以奖促治经费.json"
    shutil.copyfile(SEED2, path)
    built = []
    real_init = MainWindow.__init__

    def counting(self, *a, **k):
        built.append(a)
        real_init(self, *a, **k)

    monkeypatch.setattr(MainWindow, "__init__", counting)
    [(name, doc_path, title)] = run_start(monkeypatch, [str(path)])
    assert name == "城管以奖促治经费" and doc_path == path and "城管以奖促治经费" in title
    assert len(built) == 1 and built[0][0].project_name == "城管以奖促治经费"  # built once, on the form
    assert settings.recent_files()[0] == path.resolve()
    assert boxes.calls == []


def test_a_form_that_cannot_be_read_is_reported_over_a_blank_form(qapp, boxes, monkeypatch, cn_dir):
    bad = cn_dir / "坏的.json"
    bad.write_text("{这不是", encoding="utf-8")
    [(name, doc_path, _title)] = run_start(monkeypatch, [str(bad)])
    assert doc_path is None and name == ""
    [(kind, text)] = boxes.calls
    assert kind == "warning" and "坏的.json" in text
    assert bad.read_text(encoding="utf-8") == "{这不是"


def test_the_named_form_is_held_by_its_edit_lock_and_its_bytes_remembered(qapp, boxes, monkeypatch, cn_dir):
    """Built on the preloaded form, the window still takes the file's lock and keeps the digest of what it read,
    as 打开 does: another clerk is told, and a change made on disk is noticed at 保存."""
    from selfeval_gui.files import editlock
    from selfeval_gui.files.atomic import digest_on_disk

    path = cn_dir / "城管以奖促治经费.json"
    shutil.copyfile(SEED2, path)
    held = []
    run_start(
        monkeypatch,
        [str(path)],
        look=lambda wins: held.extend(
            (editlock.lock_path(path).exists(), w.doc.disk_digest == digest_on_disk(path)) for w in wins
        ),
    )
    assert held == [(True, True)]
    assert not editlock.lock_path(path).exists()  # closing the window gave it back


def test_a_named_form_someone_else_has_open_is_asked_about_first(qapp, boxes, choices, monkeypatch, cn_dir):
    from selfeval_gui.files import editlock

    path = cn_dir / "城管以奖促治经费.json"
    shutil.copyfile(SEED2, path)
    other = editlock.acquire(path)
    assert isinstance(other, editlock.EditLock)
    monkeypatch.setattr(editlock, "process_alive", lambda pid: True)
    choices.answers = [0]  # 只读打开
    try:
        [(name, doc_path, title)] = run_start(monkeypatch, [str(path)])
    finally:
        other.release()
    assert name == "城管以奖促治经费" and doc_path == path and "只读" in title
    assert len(choices.calls) == 1 and "只读打开" in choices.calls[0][1]
