"""Never a traceback for the clerk: unexpected errors are logged, the form autosaved, a Chinese box shown;
a damaged installation and a read-only portable folder are explained at start."""

from __future__ import annotations

import json
import sys
import threading
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from selfeval_gui.domain import rules
from selfeval_gui.ui.window import crash_guard
from selfeval_gui.ui.window.main_window import MainWindow


@pytest.fixture
def guarded(qtbot, seed2, monkeypatch):
    """A window with an unsaved edit and the crash guard installed (removed again after the test)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    w = MainWindow(seed2)
    qtbot.addWidget(w)
    w.show()
    ind = w.doc.form.tree[0].children[0].indicators[0]
    w.doc.set_value(ind, "actual", "29节")
    guard = crash_guard.install(lambda: w)
    yield w
    guard.uninstall()
    w.doc.undo_stack.setClean()


def _log_text(user_data) -> str:
    logs = sorted((user_data / "logs").glob("error-*.log"))
    assert logs, "no log file was written"
    return logs[-1].read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_autosaved_and_explained(guarded, boxes, qtbot, _user_data_in_tmp):
    def broken_slot():
        return Decimal(1) / Decimal(0)  # a bug somewhere behind a button

    button = QPushButton("试一下", guarded)
    button.clicked.connect(broken_slot)
    button.show()
    qtbot.mouseClick(button, __import__("PySide6.QtCore", fromlist=["Qt"]).Qt.LeftButton)

    [(kind, text)] = boxes.calls
    assert kind == "critical"
    assert "程序遇到意外错误" in text and "您的内容已自动保存" in text
    log = _user_data_in_tmp / "logs"
    assert f"日志位置：{log}" in text
    assert "Traceback" not in text  # the clerk reads a sentence, the log keeps the details
    logged = _log_text(_user_data_in_tmp)
    assert "broken_slot" in logged and "DivisionByZero" in logged
    saved = json.loads(guarded.autosaver.file.read_text(encoding="utf-8"))
    assert "29节" in json.dumps(saved, ensure_ascii=False)  # the unsaved edit is in the autosave
    # the window carries on
    ind = guarded.doc.form.tree[0].children[0].indicators[0]
    guarded.doc.set_value(ind, "actual", "30节")
    assert guarded.doc.evaluation.indicators[0].computed == Decimal("10.00")


@pytest.mark.qt_no_exception_capture
def test_an_error_in_another_thread_is_shown_by_the_window(guarded, boxes, qtbot, _user_data_in_tmp):
    def worker():
        raise RuntimeError("线程里出错了")

    t = threading.Thread(target=worker, name="导出")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: bool(boxes.calls), timeout=3000)
    assert "程序遇到意外错误" in boxes.texts("critical")[0]
    logged = _log_text(_user_data_in_tmp)
    assert "线程 导出" in logged and "线程里出错了" in logged


def test_nothing_unsaved_says_so(qtbot, seed2, boxes, _user_data_in_tmp):
    w = MainWindow(seed2)
    qtbot.addWidget(w)
    assert crash_guard.rescue_form(w) == "您的自评表没有未保存的修改。"
    assert not w.autosaver.file.exists()


@pytest.fixture
def no_bundled_data(monkeypatch, tmp_path):
    """resources/rulesets and templates deleted, as after a half-copied installation."""
    monkeypatch.setattr(rules, "resource_path", lambda *parts: tmp_path.joinpath("resources", *parts))
    rules.clear_caches()
    yield
    monkeypatch.undo()
    rules.clear_caches()


def test_missing_bundled_data_gives_a_message_and_a_clean_exit(qapp, boxes, monkeypatch, no_bundled_data):
    from selfeval_gui.ui.window import start

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(QApplication, "exec", lambda *a: pytest.fail("the event loop must not start"))
    assert start.start_gui([]) == 1
    [(kind, text)] = boxes.calls
    assert kind == "critical"
    assert "程序自带的数据缺失或已损坏" in text and "重新安装" in text
    assert not isinstance(getattr(sys.excepthook, "__self__", None), crash_guard.CrashGuard)  # hook removed


def test_start_shows_the_portable_problem_once(qapp, qtbot, boxes, monkeypatch):
    from selfeval_gui import paths
    from selfeval_gui.ui.window import start

    sentence = "便携版无法在“E:\\自评\\userdata”保存设置和自动保存的内容（可能是U盘写保护或没有写入权限）。"
    monkeypatch.setattr(paths, "portable_problem", lambda: sentence)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    seen = []

    def fake_exec(*_a):
        wins = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(w.status_message() for w in wins)
        for w in wins:
            w.doc.undo_stack.setClean()
            w.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", fake_exec)
    assert start.start_gui([]) == 0
    assert seen == [sentence]
    assert not isinstance(getattr(sys.excepthook, "__self__", None), crash_guard.CrashGuard)


def test_a_warning_from_any_module_reaches_the_error_log(guarded, boxes, _user_data_in_tmp, monkeypatch):
    """The README's error log gets every module's WARNING records, with the traceback when there is one;
    INFO stays out."""
    import logging

    from selfeval_gui.ui.common import settings

    logging.getLogger("selfeval_gui.ui.window.file_actions").warning("没有保存到 %s", "某处.json")
    logging.getLogger("selfeval_gui.files.naming").info("只是说明")
    monkeypatch.setattr(settings, "atomic_write_bytes", _refuse_to_write)
    settings.set_value("last_dir", "D:\\自评")  # settings cannot be written: logged, the clerk carries on
    logged = _log_text(_user_data_in_tmp)
    assert "WARNING selfeval_gui.ui.window.file_actions: 没有保存到 某处.json" in logged
    assert "只是说明" not in logged
    assert "WARNING selfeval_gui.ui.common.settings: 设置没有保存" in logged and "磁盘已满" in logged


def test_the_error_log_is_attached_while_the_guard_is_installed(qapp, monkeypatch):
    import logging

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    package = logging.getLogger("selfeval_gui")
    guard = crash_guard.install(lambda: None)
    try:
        assert sum(isinstance(h, crash_guard.ErrorLogHandler) for h in package.handlers) == 1
        assert crash_guard.attach_error_log() is guard.log_handler  # attached once, however often asked
    finally:
        guard.uninstall()
    assert not any(isinstance(h, crash_guard.ErrorLogHandler) for h in package.handlers)


def _refuse_to_write(*_a, **_k):
    raise OSError(28, "磁盘已满")
