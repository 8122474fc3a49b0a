"""ui/common/background.py: an action's slow work in a thread behind a progress dialog with 取消."""

import threading

import pytest
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from selfeval_gui.ui.common import background


@pytest.fixture
def parent(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    return w


def test_the_result_comes_back_and_the_work_ran_off_the_window_thread(parent):
    def work(progress):
        progress(1, 2, "一半")
        return threading.current_thread() is not threading.main_thread()

    assert background.run_in_background(parent, "标题", "开始", work) is True


def test_the_work_s_error_is_raised_on_the_window_thread(parent):
    def work(progress):
        raise ValueError("坏了")

    with pytest.raises(ValueError, match="坏了"):
        background.run_in_background(parent, "标题", "开始", work)


def _cancel_at(monkeypatch, text_seen):
    shown = QProgressDialog.setLabelText

    def show_then_cancel(dlg, text):
        shown(dlg, text)
        if text == text_seen:
            dlg.findChild(QPushButton).click()

    monkeypatch.setattr(QProgressDialog, "setLabelText", show_then_cancel)


def test_cancel_stops_work_that_asks_and_gives_none(parent, monkeypatch):
    _cancel_at(monkeypatch, "第 2 步")
    done = []

    def work(progress):
        for i in range(1, 6):
            progress(i, 5, f"第 {i} 步")  # raises Cancelled once the clerk pressed 取消
            done.append(i)
        return done

    assert background.run_in_background(parent, "标题", "开始", work) is None
    assert done == [1, 2]  # step 2 was shown (and 取消 pressed there) before step 3 could start


def test_work_that_stops_on_its_own_after_cancel_returns_what_it_has(parent, monkeypatch):
    _cancel_at(monkeypatch, "第 3 步")

    def work(progress):
        done = []
        for i in range(1, 6):
            if progress.cancelled:
                break
            progress.report(i, 5, f"第 {i} 步")
            done.append(i)
        return done

    assert background.run_in_background(parent, "标题", "开始", work) == [1, 2, 3]
