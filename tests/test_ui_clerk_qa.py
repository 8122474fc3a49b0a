"""Found by using the window as a clerk would (adversarial QA): each test failed before its fix."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

sys.path.insert(0, str(Path(__file__).parent))
from test_ui_support import BoxRecorder, seed2_window, shown, type_into_cell, type_into_field  # noqa: E402

from selfeval_gui.ui.funds_model import COL as FCOL  # noqa: E402
from selfeval_gui.ui.indicator_model import COL  # noqa: E402
from selfeval_gui.ui.main_window import MainWindow  # noqa: E402

from conftest import SEED1, SEED2  # noqa: E402


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    return BoxRecorder(monkeypatch)


@pytest.fixture
def win(qtbot, seed2):
    return seed2_window(qtbot, seed2)


def _refuse_an_amount(win, qtbot):
    """The clerk types an amount with five decimals: refused, it stays red in its open cell."""
    idx = win.sheet.funds_model.index(0, FCOL["budget"])
    type_into_cell(qtbot, win.sheet.funds, idx, "703.63001")
    editor = win.sheet.funds.indexWidget(idx)
    assert editor is not None and editor.text() == "703.63001"
    assert not win.doc.is_modified()  # nothing reached the form
    return idx


def test_opening_another_form_asks_before_dropping_a_refused_number(win, qtbot, boxes):
    idx = _refuse_an_amount(win, qtbot)
    boxes.answer = QMessageBox.Cancel
    assert not win.open_path(SEED1)
    assert any("无法识别" in t for t in boxes.texts("question"))
    assert win.current_path() == SEED2
    assert win.sheet.funds.indexWidget(idx).text() == "703.63001"  # still there to be corrected


def test_closing_asks_before_dropping_a_refused_total(win, qtbot, boxes):
    type_into_field(qtbot, win.sheet.totals.stated_score, "96.555")
    assert not win.doc.is_modified()
    boxes.answer = QMessageBox.Cancel
    assert not win.close()
    assert win.isVisible() and win.sheet.totals.stated_score.text() == "96.555"
    assert any("无法识别" in t for t in boxes.texts("question"))


def test_the_clerk_may_drop_a_refused_number_on_purpose(win, qtbot, boxes):
    _refuse_an_amount(win, qtbot)
    boxes.answer = QMessageBox.Discard
    assert win.open_path(SEED1)
    assert win.current_path() == SEED1


def test_arrow_keys_step_through_the_grades_and_enter_stores(qtbot, seed1, boxes):
    w = MainWindow(seed1, SEED1)
    qtbot.addWidget(w)
    w.show()
    tree, model = w.sheet.tree, w.sheet.model
    idx = model.index_for_path((0, 1, 0), COL["grade"])  # 聘用标准: a qualitative row
    tree.setFocus()
    tree.setCurrentIndex(idx)
    qtbot.keyClick(tree, Qt.Key_F2)
    chooser = tree.indexWidget(idx)
    assert chooser is not None
    qtbot.keyClick(chooser, Qt.Key_Down)
    qtbot.keyClick(chooser, Qt.Key_Down)  # past 达成 to 部分达成: the chooser must still be open
    assert tree.indexWidget(idx) is chooser
    qtbot.keyClick(chooser, Qt.Key_Return)
    qtbot.waitUntil(lambda: tree.indexWidget(idx) is None, timeout=2000)  # Qt commits Enter queued
    assert shown(idx) == "部分达成"
    assert w.doc.form.tree[0].children[1].indicators[0].grade == "partial"
    w.act_undo.trigger()  # one choice, one undo step
    assert shown(idx) == "（请选择）"


def test_a_grade_picked_from_the_list_is_stored_at_once(qtbot, seed1, boxes):
    w = MainWindow(seed1, SEED1)
    qtbot.addWidget(w)
    w.show()
    tree, model = w.sheet.tree, w.sheet.model
    idx = model.index_for_path((0, 1, 0), COL["grade"])
    tree.setCurrentIndex(idx)
    tree.edit(idx)
    chooser = tree.indexWidget(idx)
    chooser.setCurrentIndex(3)
    chooser.activated.emit(3)  # what a click in the drop-down list sends
    assert tree.indexWidget(idx) is None and shown(idx) == "未达成"


def test_a_corrected_number_clears_the_complaint_about_it(win, qtbot):
    idx = win.sheet.model.index_for_path((0, 0, 0), COL["score"])
    editor = type_into_cell(qtbot, win.sheet.tree, idx, "-5")
    assert "负数" in win.status_message()
    editor.setText("5")
    qtbot.keyClick(editor, Qt.Key_Return)
    assert shown(idx) == "5"
    assert win.status_message() == ""  # no longer says “-5 是负数” beside a cell that shows 5


def test_tab_never_stops_on_an_invisible_place(win, qtbot):
    """Keyboard-only: Tab from the last field goes round to the first one without a silent extra stop."""
    from PySide6.QtWidgets import QApplication, QScrollArea
    app = QApplication.instance()
    win.activateWindow()
    field = win.sheet.binder.widget("fill_date")
    field.setFocus()
    qtbot.waitUntil(lambda: app.focusWidget() is field, timeout=2000)
    stops = []
    for _ in range(4):
        qtbot.keyClick(app.focusWidget(), Qt.Key_Tab)
        stops.append(app.focusWidget())
    assert not any(isinstance(w, QScrollArea) for w in stops)
    assert win.sheet.binder.widget("project_name") in stops
