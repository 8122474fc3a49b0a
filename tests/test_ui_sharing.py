"""Two clerks, one file, in the window: the edit lock, read-only windows, a file changed on disk since it was
opened (保存 asks: 另存为… / 重新载入 / 取消), and the autosave around them (ui/file_guard.py, ui/file_actions.py,
ui/autosave.py, ui/start.py)."""

from __future__ import annotations

import json
import os
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from selfeval_gui.files import editlock
from selfeval_gui.files.formfile import load_form, save_form
from selfeval_gui.ui.form.indicator_columns import COL
from selfeval_gui.ui.window.autosave import damaged_dir, find_recoverable
from selfeval_gui.ui.window.start import offer_recovery, open_named_file

from .support import SEED2
from .ui_support import open_window, type_into_field

pytestmark = pytest.mark.usefixtures("boxes")


@pytest.fixture
def clerk(monkeypatch):
    monkeypatch.setattr(editlock, "user_name", lambda: "张三")
    monkeypatch.setattr(editlock, "computer_name", lambda: "PC-01")
    monkeypatch.setattr(editlock, "process_alive", lambda pid: pid == os.getpid())


@pytest.fixture
def shared(cn_dir, seed2):
    path = cn_dir / "以奖促治.json"
    save_form(seed2, path)
    return path


def _opened(qtbot, path):
    w = open_window(qtbot)
    assert w.open_path(path, ask=False)
    return w


def test_a_second_window_is_told_who_edits_and_opens_read_only(qtbot, shared, clerk, choices, boxes, monkeypatch):
    a = _opened(qtbot, shared)
    assert (shared.parent / "~$以奖促治.json.lock").exists()
    choices.answers = [0]  # 只读打开
    b = _opened(qtbot, shared)
    text, buttons = choices.calls[-1]
    assert "正在被 张三（电脑 PC-01，" in text and buttons == ["只读打开", "取消"]
    assert "[只读]" in b.windowTitle() and "张三" in b.read_only_bar.text() and b.read_only_bar.isVisible()
    assert "[只读]" not in a.windowTitle() and not a.read_only_bar.isVisible()
    # edits refused: fields read-only, no cell editable, no row actions, 保存 off
    assert b.sheet.binder.widget("project_name").isReadOnly()
    name = b.sheet.model.index_for_path((0, 0, 0), COL["name"])
    assert not (b.sheet.model.flags(name) & Qt.ItemFlag.ItemIsEditable)
    assert not b.sheet.funds_model.flags(b.sheet.funds_model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not b.act_save.isEnabled() and not b.act_add.isEnabled()
    assert not b.doc.set_value(b.doc.form, "project_name", "偷改", "项目名称")
    assert "只读" in b.status_message() and b.doc.form.project_name == a.doc.form.project_name
    assert not b.save() and "另存为" in boxes.texts("information")[-1]
    # 另存为 is allowed, and the copy is the window's own to edit
    copy = shared.parent / "副本.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(copy), "")))
    assert b.save_as()
    assert load_form(copy).project_name == a.doc.form.project_name
    assert "[只读]" not in b.windowTitle() and b.sheet.binder.widget("project_name").isReadOnly() is False
    assert (shared.parent / "~$副本.json.lock").exists() and (shared.parent / "~$以奖促治.json.lock").exists()


def test_a_second_window_may_decline(qtbot, shared, clerk, choices):
    _opened(qtbot, shared)
    choices.answers = [None]
    b = open_window(qtbot)
    assert not b.open_path(shared, ask=False) and b.doc.path is None


def test_the_lock_goes_when_the_form_is_closed_or_another_is_opened(qtbot, shared, clerk, seed2):
    lock = shared.parent / "~$以奖促治.json.lock"
    w = _opened(qtbot, shared)
    assert lock.exists()
    w.open_path(SEED2, ask=False)
    assert not lock.exists()
    w.open_path(shared, ask=False)
    assert lock.exists()
    w.close()
    assert not lock.exists()


def test_opening_the_same_file_again_in_the_same_window_keeps_its_lock(qtbot, shared, clerk, choices):
    w = _opened(qtbot, shared)
    assert w.open_path(shared, ask=False)
    assert choices.calls == [] and "[只读]" not in w.windowTitle()
    assert (shared.parent / "~$以奖促治.json.lock").exists()


def test_a_left_over_lock_is_taken_over_after_a_question(qtbot, shared, clerk, choices):
    lock = shared.parent / "~$以奖促治.json.lock"
    lock.write_text(
        json.dumps(
            {
                "user": "李四",
                "computer": "PC-01",
                "pid": 999999,
                "time": "2026-11-27 17:00",
                "timestamp": time.time() - 3600,
                "token": "feedc0de",
            }
        ),
        encoding="utf-8",
    )
    choices.answers = [0]  # 接管并编辑
    w = _opened(qtbot, shared)
    text, buttons = choices.calls[-1]
    assert "李四（电脑 PC-01，2026-11-27 17:00 起）" in text and "已不在运行" in text
    assert buttons == ["接管并编辑", "只读打开", "取消"]
    assert "[只读]" not in w.windowTitle()
    assert json.loads(lock.read_text(encoding="utf-8"))["user"] == "张三"


def _edit_and_change_on_disk(qtbot, shared):
    w = _opened(qtbot, shared)
    type_into_field(qtbot, w.sheet.binder.widget("filler"), "本窗口的填表人")
    other = load_form(shared)  # another program without our lock (an older version, a hand edit) saves
    other.filler = "同事的填表人"
    save_form(other, shared)
    return w, shared.read_bytes()


def test_save_does_not_overwrite_a_file_changed_since_it_was_opened(qtbot, shared, clerk, choices):
    w, theirs = _edit_and_change_on_disk(qtbot, shared)
    choices.answers = [None]  # 取消
    assert not w.save()
    text, buttons = choices.calls[-1]
    assert "已被别人修改过" in text and buttons == ["另存为…", "重新载入", "取消"]
    assert shared.read_bytes() == theirs and w.isWindowModified()
    assert w.sheet.binder.widget("filler").text() == "本窗口的填表人"


def test_the_clerk_may_save_the_windows_version_under_another_name(qtbot, shared, clerk, choices, monkeypatch):
    w, theirs = _edit_and_change_on_disk(qtbot, shared)
    mine = shared.parent / "我的版本.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(mine), "")))
    choices.answers = [0]  # 另存为…
    assert w.save()
    assert shared.read_bytes() == theirs and load_form(mine).filler == "本窗口的填表人"
    assert w.current_path() == mine and not w.isWindowModified()


def test_reload_asks_again_then_shows_the_file_as_it_is(qtbot, shared, clerk, choices):
    w, theirs = _edit_and_change_on_disk(qtbot, shared)
    choices.answers = [1, None]  # 重新载入, then 取消 at the second question
    assert not w.save()
    assert "丢弃本窗口" in choices.texts()[-1] and w.sheet.binder.widget("filler").text() == "本窗口的填表人"
    choices.answers = [1, 0]  # 重新载入, 重新载入
    assert not w.save()
    assert w.sheet.binder.widget("filler").text() == "同事的填表人" and not w.isWindowModified()
    type_into_field(qtbot, w.sheet.binder.widget("filler"), "再改一次")
    assert w.save()  # the reloaded file is the one the window knows now
    assert load_form(shared).filler == "再改一次" and shared.read_bytes() != theirs


def test_a_file_only_touched_or_saved_by_this_window_is_saved_without_a_question(qtbot, shared, clerk, choices):
    w = _opened(qtbot, shared)
    type_into_field(qtbot, w.sheet.binder.widget("filler"), "第一次")
    assert w.save()
    later = time.time() + 60
    os.utime(shared, (later, later))  # a backup tool touched it: the content is the same
    type_into_field(qtbot, w.sheet.binder.widget("filler"), "第二次")
    assert w.save() and choices.calls == [] and load_form(shared).filler == "第二次"


def test_save_as_over_a_file_another_window_edits_is_refused(qtbot, shared, clerk, boxes, monkeypatch, seed2):
    _opened(qtbot, shared)
    b = open_window(qtbot, seed2)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(shared), "")))
    before = shared.read_bytes()
    assert not b.save_as()
    assert "正在被 张三" in boxes.texts("warning")[-1] and shared.read_bytes() == before


# ---- autosave (ui/autosave.py, ui/start.py) -------------------------------------------------------------


def test_a_lone_surrogate_in_a_field_does_not_break_autosave(qtbot, seed2):
    w = open_window(qtbot, seed2)
    w.doc.set_value(w.doc.form, "project_name", "粘贴来的\ud83d名称", "项目名称")
    assert w.autosaver.save_now()
    data = json.loads(w.autosaver.file.read_text(encoding="utf-8"))
    assert data["form"]["header"]["project_name"] == "粘贴来的\ufffd名称"


def _crashed_session(qtbot, seed2, path=None):
    crashed = open_window(qtbot, seed2, path)
    type_into_field(qtbot, crashed.sheet.binder.widget("filler"), "崩溃前的填表人")
    assert crashed.autosaver.save_now()
    crashed.autosaver.timer.stop()
    crashed.autosaver.lock.unlock()  # the process died
    crashed.doc.undo_stack.setClean()
    return crashed.autosaver.file


def test_a_damaged_autosave_is_set_aside_and_the_clerk_told_once(qtbot, seed2, boxes):
    session = _crashed_session(qtbot, seed2)
    session.write_text('{"format": "selfeval-autosave", "form": {"format": "selfe', encoding="utf-8")
    assert not offer_recovery(open_window(qtbot))
    warning = boxes.texts("warning")[-1]
    assert "1 份已损坏" in warning and str(damaged_dir()) in warning
    assert not session.exists() and (damaged_dir() / session.name).exists()
    boxes.calls.clear()
    assert not offer_recovery(open_window(qtbot)) and boxes.calls == []  # told once
    assert not find_recoverable()


def test_a_file_named_on_the_command_line_opens_beside_a_recovery(qtbot, seed2, boxes, shared, clerk):
    _crashed_session(qtbot, seed2)
    first = open_window(qtbot)
    boxes.answer = QMessageBox.Yes
    assert offer_recovery(first)
    shown_in = open_named_file(first, shared, restored=True)
    qtbot.addWidget(shown_in)
    assert shown_in is not first and shown_in.current_path() == shared
    assert first.sheet.binder.widget("filler").text() == "崩溃前的填表人" and first.isWindowModified()
    assert "另一个窗口" in first.status_message()


def test_the_recovered_form_of_the_named_file_says_which_is_shown(qtbot, seed2, boxes, shared, clerk):
    _crashed_session(qtbot, seed2, shared)
    first = open_window(qtbot)
    boxes.answer = QMessageBox.Yes
    assert offer_recovery(first)
    assert open_named_file(first, shared, restored=True) is first
    assert first.current_path() == shared and "恢复的内容" in first.status_message()
    assert (shared.parent / "~$以奖促治.json.lock").exists()  # the recovered form holds its file's lock


def test_a_recovered_form_knows_the_file_it_was_read_from(qtbot, seed2, boxes, shared, clerk, choices):
    crashed = _opened(qtbot, shared)
    type_into_field(qtbot, crashed.sheet.binder.widget("filler"), "崩溃前的填表人")
    assert crashed.autosaver.save_now()
    crashed.autosaver.timer.stop()
    crashed.autosaver.lock.unlock()
    crashed.guard.lock = None  # the process died: its lock file stays, its pid is gone
    crashed.doc.undo_stack.setClean()
    other = load_form(shared)
    other.filler = "同事的填表人"
    save_form(other, shared)
    editlock.lock_path(shared).unlink()
    fresh = open_window(qtbot)
    boxes.answer = QMessageBox.Yes
    assert offer_recovery(fresh)
    choices.answers = [None]
    assert not fresh.save()  # the colleague's save since the crash is not overwritten
    assert "已被别人修改过" in choices.texts()[-1] and load_form(shared).filler == "同事的填表人"


def test_a_recovery_of_a_file_someone_else_edits_is_kept_as_an_unsaved_copy(
    qtbot, seed2, boxes, shared, clerk, choices
):
    _crashed_session(qtbot, seed2, shared)
    _opened(qtbot, shared)  # a colleague's window has the file now
    fresh = open_window(qtbot)
    boxes.answer = QMessageBox.Yes
    choices.answers = [None]  # not read-only: 取消
    assert offer_recovery(fresh)
    assert fresh.current_path() is None and fresh.isWindowModified() and "[只读]" not in fresh.windowTitle()
    assert fresh.sheet.binder.widget("filler").text() == "崩溃前的填表人"
