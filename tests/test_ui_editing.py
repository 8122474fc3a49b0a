"""Editing 三级 rows: add, delete, move (toolbar and keys), Tab/Enter order, undo and redo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from selfeval_gui.ui.form.indicator_columns import COL

from .ui_support import shown, type_into_cell, type_into_field

QUALITY = (0, 1)  # 产出指标 › 质量指标: 选题设计, 教学内容


pytestmark = pytest.mark.usefixtures("boxes")  # no message box may block; `win` comes from conftest.py


def names(w, l2=QUALITY):
    model = w.sheet.model
    parent = model.index_for_path(l2)
    return [shown(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]


def labels(w, l2=QUALITY):
    model, delegate = w.sheet.model, w.sheet.tree.itemDelegate()
    parent = model.index_for_path(l2)
    return [delegate.display_text(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]


def select(w, path, col="name"):
    w.sheet.select_indicator(path, col)


def test_insert_key_adds_a_row_below_and_it_can_be_named(win, qtbot):
    select(win, (0, 1, 0))
    qtbot.keyClick(win.sheet.tree, Qt.Key_Insert)
    assert names(win) == ["选题设计", "", "教学内容"]
    assert labels(win) == ["指标1：选题设计", "指标2：", "指标3：教学内容"]
    type_into_cell(qtbot, win.sheet.tree, win.sheet.model.index_for_path((0, 1, 1), 0), "课程数量")
    assert names(win)[1] == "课程数量"
    assert "质量指标 › 指标2：课程数量" in "\n".join(win.findings.texts())  # the new row is checked at once


def test_toolbar_add_on_a_level2_row_appends(win, qtbot):
    win.sheet.tree.setCurrentIndex(win.sheet.model.index_for_path(QUALITY))
    win.act_add.trigger()
    assert names(win) == ["选题设计", "教学内容", ""]


def test_ctrl_delete_removes_and_undo_restores(win, qtbot):
    total_before = win.sheet.totals.weight.text()
    select(win, (0, 1, 0))
    qtbot.keyClick(win.sheet.tree, Qt.Key_Delete, Qt.ControlModifier)
    assert names(win) == ["教学内容"]
    assert win.sheet.totals.weight.text() == "90"
    win.doc.undo_stack.undo()
    assert names(win) == ["选题设计", "教学内容"]
    assert win.sheet.totals.weight.text() == total_before
    win.doc.undo_stack.redo()
    assert names(win) == ["教学内容"]


def test_ctrl_up_and_down_move_rows(win, qtbot):
    select(win, (0, 1, 1))
    qtbot.keyClick(win.sheet.tree, Qt.Key_Up, Qt.ControlModifier)
    assert names(win) == ["教学内容", "选题设计"]
    assert win.sheet.model.path_of(win.sheet.tree.currentIndex()) == (0, 1, 0)  # the moved row stays selected
    assert not win.act_up.isEnabled()
    qtbot.keyClick(win.sheet.tree, Qt.Key_Down, Qt.ControlModifier)
    assert names(win) == ["选题设计", "教学内容"]
    win.doc.undo_stack.undo()
    assert names(win) == ["教学内容", "选题设计"]


def test_delete_key_in_a_text_field_does_not_delete_a_row(win, qtbot):
    select(win, (0, 1, 0))
    edit = win.sheet.binder.widget("project_name")
    edit.setFocus()
    edit.setCursorPosition(0)
    qtbot.keyClick(edit, Qt.Key_Delete)
    assert names(win) == ["选题设计", "教学内容"]


def test_tab_and_enter_walk_cells_in_paper_order(win, qtbot):
    tree, model = win.sheet.tree, win.sheet.model
    start = model.index_for_path((0, 1, 0), COL["name"])
    ed = type_into_cell(qtbot, tree, start, "选题设计", key=Qt.Key_Tab)
    assert tree.currentIndex() == model.index_for_path((0, 1, 0), COL["target"])
    ed = tree.indexWidget(tree.currentIndex())  # Tab opened the next cell's editor
    assert ed is not None
    qtbot.keyClick(ed, Qt.Key_Return)
    assert tree.currentIndex() == model.index_for_path((0, 1, 0), COL["actual"])
    # from the last cell of a row, the next is the first cell of the next 三级 row, over the computed cells
    last = model.index_for_path((0, 1, 0), COL["deviation"])
    type_into_cell(qtbot, tree, last, "无", key=Qt.Key_Tab)
    assert tree.currentIndex() == model.index_for_path((0, 1, 1), COL["name"])
    # the computed column is skipped
    w = model.index_for_path((0, 1, 1), COL["score"])
    nxt = tree.next_editable(w)
    assert nxt.column() == COL["grade"]  # qualitative: the grade chooser comes next
    nxt = tree.next_editable(model.index_for_path((0, 0, 0), COL["score"]))
    assert nxt.column() == COL["deviation"]  # quantitative: computed and grade are skipped


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


def test_undo_redo_of_a_value_and_of_a_field(win, qtbot):
    idx = win.sheet.model.index_for_path((0, 0, 0), COL["actual"])
    type_into_cell(qtbot, win.sheet.tree, idx, "30节")
    assert shown(win.sheet.model.index_for_path((0, 0, 0), COL["computed"])) == "10"
    type_into_field(qtbot, win.sheet.binder.widget("project_name"), "新项目")
    assert win.doc.form.project_name == "新项目"
    win.sheet.tree.setFocus()
    qtbot.keyClick(win, Qt.Key_Z, Qt.ControlModifier)
    assert win.sheet.binder.widget("project_name").text() == "城管以奖促治经费"
    win.act_undo.trigger()
    assert shown(idx) == "14节"
    assert shown(win.sheet.model.index_for_path((0, 0, 0), COL["computed"])) == "4.67"
    qtbot.keyClick(win, Qt.Key_Y, Qt.ControlModifier)
    assert shown(idx) == "30节"
    assert win.act_undo.text() == "撤销 修改实际完成值"


def test_title_star_follows_undo_to_the_saved_state(win, qtbot):
    assert not win.isWindowModified()
    assert win.windowTitle().startswith("城管以奖促治经费_2020.json")
    type_into_cell(qtbot, win.sheet.tree, win.sheet.model.index_for_path((0, 0, 0), COL["weight"]), "9")
    assert win.isWindowModified()
    win.doc.undo_stack.undo()
    assert not win.isWindowModified()


def test_deviation_cell_takes_several_lines(win, qtbot):
    """Shift+Enter / Ctrl+Enter break the line, Enter stores the note and moves on, the row grows."""
    from PySide6.QtWidgets import QPlainTextEdit

    tree, model = win.sheet.tree, win.sheet.model
    win.resize(1366, 728)  # the clerk's laptop: the row's other cells fit on one line (a narrow window wraps them)
    qtbot.waitUntil(lambda: tree.viewport().width() > 700)
    idx = model.index_for_path((0, 0, 0), COL["deviation"])
    qtbot.wait(50)
    height_before = tree.visualRect(idx).height()
    ed = type_into_cell(qtbot, tree, idx, "原因：课程安排调整\n措施：下年度提前排课")
    assert isinstance(ed, QPlainTextEdit)
    assert win.doc.form.tree[0].children[0].indicators[0].deviation == "原因：课程安排调整\n措施：下年度提前排课"
    assert tree.indexWidget(idx) is None  # Enter closed the editor ...
    assert tree.currentIndex() == model.index_for_path((0, 1, 0), COL["name"])  # ... and went to the next row
    assert shown(idx) == "原因：课程安排调整\n措施：下年度提前排课"
    qtbot.waitUntil(lambda: tree.visualRect(idx).height() > height_before)  # both lines show in the row
    assert not [t for t in win.findings.texts() if "完成课程数 › 偏差原因分析及改进措施" in t]
    # Ctrl+Enter breaks a line too; the editor opens over the rows below, tall enough to read a paragraph
    tree.setCurrentIndex(idx)
    tree.edit(idx)
    ed = tree.indexWidget(idx)
    assert ed.height() >= ed.fontMetrics().lineSpacing() * 4
    ed.moveCursor(ed.textCursor().MoveOperation.End)
    qtbot.keyClick(ed, Qt.Key_Return, Qt.ControlModifier)
    qtbot.keyClicks(ed, "OK")
    qtbot.keyClick(ed, Qt.Key_Tab)  # Tab stores and moves on as well
    assert win.doc.form.tree[0].children[0].indicators[0].deviation.endswith("下年度提前排课\nOK")
    win.doc.undo_stack.undo()
    assert win.doc.form.tree[0].children[0].indicators[0].deviation.endswith("下年度提前排课")


def test_escape_in_a_note_cell_keeps_the_stored_note(win, qtbot):
    tree, model = win.sheet.tree, win.sheet.model
    idx = model.index_for_path((0, 0, 0), COL["deviation"])
    before = win.doc.form.tree[0].children[0].indicators[0].deviation
    tree.setCurrentIndex(idx)
    tree.edit(idx)
    ed = tree.indexWidget(idx)
    qtbot.keyClicks(ed, "abc")
    qtbot.keyClick(ed, Qt.Key_Escape)
    assert tree.indexWidget(idx) is None
    assert win.doc.form.tree[0].children[0].indicators[0].deviation == before


def test_fund_note_is_a_paragraph_field(win, qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    note = win.sheet.fund_note
    assert isinstance(note, QPlainTextEdit)
    note.setFocus()
    note.selectAll()
    qtbot.keyClicks(note, "line one")
    qtbot.keyClick(note, Qt.Key_Return)  # a free-text field: Enter is a new line
    qtbot.keyClicks(note, "line two")
    qtbot.keyClick(note, Qt.Key_Tab)  # Tab leaves the field and stores it
    assert not note.hasFocus()
    assert win.doc.form.fund_note == "line one\nline two"
    assert "低于 90%" not in "\n".join(win.findings.texts())
    win.doc.undo_stack.undo()
    assert note.toPlainText() == win.doc.form.fund_note != "line one\nline two"


def test_rows_change_through_the_document_which_tells_before_and_after(qtbot, seed2):
    """The document changes the Form's rows and says so before and after; the model follows with Qt's
    begin/end calls (no reset), and a document without any view works the same."""
    from selfeval_gui.ui.form.document import FormDocument
    from selfeval_gui.ui.form.indicator_model import IndicatorModel

    doc = FormDocument(seed2)
    rows = doc.form.rows_at(*QUALITY)
    seen = []
    for name in (
        "rowAboutToBeInserted",
        "rowInserted",
        "rowAboutToBeRemoved",
        "rowRemoved",
        "rowAboutToBeMoved",
        "rowMoved",
    ):
        getattr(doc, name).connect(lambda *a, name=name: seen.append((name, len(rows), *a)))
    new = doc.insert_indicator(*QUALITY, 2)
    assert rows[2] is new and any(r.indicator is new for r in doc.evaluation.indicators)  # recalculated
    doc.move_indicator(*QUALITY, 2, 0)
    assert rows[0] is new
    assert doc.remove_indicator(*QUALITY, 0) is new
    assert seen == [
        ("rowAboutToBeInserted", 2, 0, 1, 2),
        ("rowInserted", 3, 0, 1, 2),
        ("rowAboutToBeMoved", 3, 0, 1, 2, 0),
        ("rowMoved", 3, 0, 1, 2, 0),
        ("rowAboutToBeRemoved", 3, 0, 1, 0),
        ("rowRemoved", 2, 0, 1, 0),
    ]

    model = IndicatorModel(doc)
    parent = model.index_for_path(QUALITY)
    qt = []
    model.rowsInserted.connect(lambda p, first, last: qt.append(("inserted", p.row(), first)))
    model.rowsMoved.connect(lambda p, start, end, dest, row: qt.append(("moved", start, row)))
    model.rowsRemoved.connect(lambda p, first, last: qt.append(("removed", p.row(), first)))
    model.modelReset.connect(lambda: qt.append("reset"))
    doc.insert_indicator(*QUALITY, 0)
    doc.move_indicator(*QUALITY, 0, 2)  # Qt counts the destination before the move: row 3
    doc.remove_indicator(*QUALITY, 2)
    assert qt == [("inserted", 1, 0), ("moved", 0, 3), ("removed", 1, 2)]
    assert model.rowCount(parent) == 2 and shown(model.index(0, 0, parent)) == "选题设计"
