"""Issue 24 through the real window: Delete / Backspace clear cells, Ctrl+Delete removes the row and names it,
Ctrl+C / Ctrl+V / 清除内容 on cells and blocks (text from Excel with tabs and new lines, through the number rules,
one undo step), and a refused entry counted as an error wherever findings are counted, gone in every order."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from selfeval_gui.files.formfile import load_form
from selfeval_gui.ui.form.cell_clipboard import join_cells, split_cells
from selfeval_gui.ui.form.funds_model import COL as FCOL
from selfeval_gui.ui.form.indicator_columns import COL
from selfeval_gui.ui.output import output_check

from .support import SEED2, fix_seed2
from .ui_support import BoxRecorder, open_window, shown, type_into_cell

Select = QItemSelectionModel.SelectionFlag


@pytest.fixture
def boxes(monkeypatch):
    return BoxRecorder(monkeypatch, answer=QMessageBox.Discard)


@pytest.fixture
def win(qtbot, cn_dir, boxes):
    path = cn_dir / "城管以奖促治经费_2020.json"
    shutil.copy(SEED2, path)
    w = open_window(qtbot, load_form(path), path)
    qtbot.waitExposed(w)
    return w


def _cell(win, path, key):
    return win.sheet.model.index_for_path(path, COL[key])


def _select(view, first, last=None):
    view.setFocus()
    view.setCurrentIndex(first)
    if last is not None:
        view.selectionModel().select(type(view.selectionModel().selection())(first, last), Select.ClearAndSelect)


def _rows(win, i=0, j=0):
    return len(win.doc.form.rows_at(i, j))


# ---------------------------------------------------------------------- Delete, Backspace, Ctrl+Delete


@pytest.mark.parametrize("key", [Qt.Key_Delete, Qt.Key_Backspace])
def test_delete_and_backspace_clear_the_cell_not_the_row(qtbot, win, key):
    tree = win.sheet.tree
    rows = _rows(win)
    idx = _cell(win, (0, 0, 0), "actual")
    assert shown(idx)
    _select(tree, idx)
    qtbot.keyClick(tree, key)
    assert _rows(win) == rows  # the row is still there
    assert shown(_cell(win, (0, 0, 0), "actual")) == ""
    assert win.doc.form.rows_at(0, 0)[0].actual == ""
    win.doc.undo_stack.undo()
    assert shown(_cell(win, (0, 0, 0), "actual"))


def test_a_block_is_cleared_in_one_undo_step(qtbot, win):
    tree = win.sheet.tree
    first, last = _cell(win, (0, 1, 0), "target"), _cell(win, (0, 1, 1), "actual")
    before = [(r.target, r.actual) for r in win.doc.form.rows_at(0, 1)[:2]]
    _select(tree, first, last)
    steps = win.doc.undo_stack.count()
    qtbot.keyClick(tree, Qt.Key_Delete)
    assert [(r.target, r.actual) for r in win.doc.form.rows_at(0, 1)[:2]] == [("", "")] * 2
    assert win.doc.undo_stack.count() == steps + 1
    assert "清除内容" in win.doc.undo_stack.undoText()
    win.doc.undo_stack.undo()
    assert [(r.target, r.actual) for r in win.doc.form.rows_at(0, 1)[:2]] == before


def test_ctrl_delete_removes_the_row_and_says_which(qtbot, win):
    tree = win.sheet.tree
    rows = _rows(win)
    name = win.doc.form.rows_at(0, 0)[0].name
    _select(tree, _cell(win, (0, 0, 0), "target"))
    qtbot.keyClick(tree, Qt.Key_Delete, Qt.ControlModifier)
    assert _rows(win) == rows - 1
    assert name[:10] in win.status_message() and "已删除" in win.status_message()
    assert name[:10] in win.doc.undo_stack.undoText()
    win.doc.undo_stack.undo()
    assert _rows(win) == rows and win.doc.form.rows_at(0, 0)[0].name == name


def test_the_funds_grid_clears_too(qtbot, win):
    funds = win.sheet.funds
    idx = win.sheet.funds_model.index(0, FCOL["executed"])
    assert shown(idx)
    _select(funds, idx)
    qtbot.keyClick(funds, Qt.Key_Delete)
    assert shown(win.sheet.funds_model.index(0, FCOL["executed"])) in ("", "—")
    assert win.doc.form.funds[0].executed is None


# ---------------------------------------------------------------------- copy and paste


def test_split_cells_reads_what_excel_writes():
    assert split_cells("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert split_cells('a\t"two\nlines"\t"say ""hi"""\n') == [["a", "two\nlines", 'say "hi"']]
    assert split_cells("only") == [["only"]]
    assert split_cells("a\t\tc\n") == [["a", "", "c"]]
    rows = [["x\ty", "1"], ['"q"', "line\nbreak"]]
    assert split_cells(join_cells(rows)) == rows


def test_paste_from_excel_fills_the_block_through_the_number_rules_in_one_step(qtbot, win):
    tree = win.sheet.tree
    QGuiApplication.clipboard().setText("≥95%\t96%\r\n≥100人\t120人\r\n")
    _select(tree, _cell(win, (0, 1, 0), "target"))
    steps = win.doc.undo_stack.count()
    qtbot.keyClick(tree, Qt.Key_V, Qt.ControlModifier)
    rows = win.doc.form.rows_at(0, 1)
    assert (rows[0].target, rows[0].actual, rows[1].target, rows[1].actual) == ("≥95%", "96%", "≥100人", "120人")
    assert win.doc.undo_stack.count() == steps + 1 and "粘贴" in win.doc.undo_stack.undoText()
    assert shown(_cell(win, (0, 1, 1), "actual")) == "120人"
    assert "已粘贴 4 个单元格" in win.status_message()


def test_a_paste_passes_over_the_heading_rows(qtbot, win):
    tree = win.sheet.tree
    QGuiApplication.clipboard().setText("第一\n第二\n")
    _select(tree, _cell(win, (0, 0, 0), "deviation"))
    qtbot.keyClick(tree, Qt.Key_V, Qt.ControlModifier)
    assert win.doc.form.rows_at(0, 0)[0].deviation == "第一"
    assert win.doc.form.rows_at(0, 1)[0].deviation == "第二"  # the 质量指标 heading row between is passed over


def test_a_refused_value_in_a_paste_is_named_and_the_rest_goes_in(qtbot, win, boxes):
    tree = win.sheet.tree
    old = win.doc.form.rows_at(0, 0)[0].weight
    QGuiApplication.clipboard().setText("10分\t3\n")  # 分值, 得分
    _select(tree, _cell(win, (0, 0, 0), "weight"))
    qtbot.keyClick(tree, Qt.Key_V, Qt.ControlModifier)
    row = win.doc.form.rows_at(0, 0)[0]
    assert row.weight == old and str(row.score) == "3"
    warned = boxes.texts("warning")
    assert warned and "“10分”没有记入" in warned[0] and "不是一个数字" in warned[0]


def test_one_value_fills_every_selected_cell(qtbot, win):
    tree = win.sheet.tree
    QGuiApplication.clipboard().setText("见附件")
    _select(tree, _cell(win, (0, 1, 0), "deviation"), _cell(win, (0, 1, 1), "deviation"))
    qtbot.keyClick(tree, Qt.Key_V, Qt.ControlModifier)
    assert [r.deviation for r in win.doc.form.rows_at(0, 1)[:2]] == ["见附件", "见附件"]


def test_copy_then_paste_elsewhere(qtbot, win):
    tree = win.sheet.tree
    source = win.doc.form.rows_at(0, 0)[0]
    _select(tree, _cell(win, (0, 0, 0), "target"), _cell(win, (0, 0, 0), "actual"))
    qtbot.keyClick(tree, Qt.Key_C, Qt.ControlModifier)
    assert QGuiApplication.clipboard().text() == join_cells([[source.target, source.actual]])
    _select(tree, _cell(win, (0, 1, 1), "target"))
    qtbot.keyClick(tree, Qt.Key_V, Qt.ControlModifier)
    copy = win.doc.form.rows_at(0, 1)[1]
    assert (copy.target, copy.actual) == (source.target, source.actual)


def test_a_paste_past_the_last_row_says_what_was_left(qtbot, win):
    tree = win.sheet.tree
    total = sum(
        len(win.doc.form.rows_at(i, j)) for i, l1 in enumerate(win.doc.form.tree) for j in range(len(l1.children))
    )
    QGuiApplication.clipboard().setText("\n".join(["说明"] * (total + 3)))
    _select(tree, _cell(win, (0, 0, 0), "deviation"))
    qtbot.keyClick(tree, Qt.Key_V, Qt.ControlModifier)
    assert "放不下的 3 行" in win.status_message()


def test_the_menus_offer_the_cell_actions(win):
    words = [a.text() for a in win.sheet.tree.actions()]
    assert {"复制", "粘贴", "清除内容", "删除三级指标"} <= set(words)
    assert {"复制", "粘贴", "清除内容"} <= {a.text() for a in win.sheet.funds.actions()}
    edit = next(m for m in win.menuBar().actions() if m.text().startswith("编辑")).menu()
    assert {"复制", "粘贴", "清除内容"} <= {a.text() for a in edit.actions()}


def test_a_finalized_form_refuses_a_paste(qtbot, cn_dir, boxes):
    from selfeval_gui.files.formfile import fingerprint

    form = fix_seed2(load_form(SEED2))
    form.finalize("2021-03-01 10:00", fingerprint(form))
    w = open_window(qtbot, form)
    QGuiApplication.clipboard().setText("1")
    before = form.rows_at(0, 0)[0].weight
    _select(w.sheet.tree, w.sheet.model.index_for_path((0, 0, 0), COL["weight"]))
    w.grid_actions.paste()  # as 编辑 › 粘贴 does
    w.grid_actions.clear()
    assert form.rows_at(0, 0)[0].weight == before
    assert "定稿" in w.status_message()


# ---------------------------------------------------------------------- one truth for what is pending


def _refuse(qtbot, win, text="10分"):
    tree = win.sheet.tree
    idx = _cell(win, (0, 0, 0), "weight")
    return type_into_cell(qtbot, tree, idx, text)


def test_a_refused_entry_is_an_error_in_the_status_bar(qtbot, win):
    before = win.findings_button.text()
    _refuse(qtbot, win)
    errors = int(before.split("错误 ")[1].split()[0]) if "错误" in before else 0
    assert f"错误 {errors + 1}" in win.findings_button.text()


def test_a_refused_entry_stops_the_final_copy_and_is_listed_first(qtbot, cn_dir, monkeypatch, boxes):
    path = cn_dir / "clean.json"
    from selfeval_gui.files.formfile import save_form

    save_form(fix_seed2(load_form(SEED2)), path)
    w = open_window(qtbot, load_form(path), path)
    seen = []

    def run(dlg):
        seen.append([dlg.list.item(n).text() for n in range(dlg.list.count())])
        dlg.back_button.click()

    monkeypatch.setattr(output_check, "run_dialog", run)
    out = cn_dir / "x.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    _refuse(qtbot, w)
    w.export_pdf()
    assert seen and seen[0][0].startswith("【错误】") and "“10分”没有记入" in seen[0][0]
    assert not out.exists()


@pytest.mark.parametrize("order", ["esc", "export-esc", "export-valid", "valid", "export-export-esc"])
def test_the_refusal_goes_in_every_order(qtbot, win, monkeypatch, order):
    monkeypatch.setattr(output_check, "run_dialog", lambda dlg: dlg.back_button.click())
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    editor = _refuse(qtbot, win)
    assert any("没有记入" in t for t in win.findings.texts())
    for step in order.split("-"):
        if step == "export":
            win.export_pdf()
            qtbot.wait(10)
            editor = win.sheet.tree.indexWidget(_cell(win, (0, 0, 0), "weight")) or editor
        elif step == "esc":
            qtbot.keyClick(editor, Qt.Key_Escape)
        else:
            editor.setText("8")
            qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: not any("没有记入" in t for t in win.findings.texts()), timeout=3000)
    assert "没有记入" not in " ".join(f.message for f in win.doc.all_findings())
    if order.endswith("valid"):
        assert str(win.doc.form.rows_at(0, 0)[0].weight) == "8"


# ---------------------------------------------------------------------- the cell typed into after an undo


@pytest.mark.parametrize("action", ["move", "delete", "insert"])
def test_after_undo_of_a_row_change_typing_goes_to_the_selected_cell(qtbot, win, action):
    tree = win.sheet.tree
    _select(tree, _cell(win, (0, 1, 1), "weight"))
    if action == "move":
        qtbot.keyClick(tree, Qt.Key_Up, Qt.ControlModifier)
    elif action == "delete":
        qtbot.keyClick(tree, Qt.Key_Delete, Qt.ControlModifier)
    else:
        qtbot.keyClick(tree, Qt.Key_Insert)
        tree.setCurrentIndex(_cell(win, (0, 1, 2), "weight"))
    win.doc.undo_stack.undo()
    current = tree.currentIndex()
    assert current.isValid() and tree.selectionModel().selectedIndexes() == [current]  # shown where it is
    path, column = win.sheet.model.path_of(current), current.column()
    assert len(path) == 3
    target = win.sheet.model.indicator_at(current)
    others = [(r.name, r.weight) for r in win.doc.form.rows_at(0, 1) if r is not target]
    tree.setFocus()
    qtbot.keyClicks(tree, "7")
    editor = tree.indexWidget(current)
    assert editor is not None, "typing opened the selected cell"
    qtbot.keyClick(editor, Qt.Key_Return)
    key = next(k for k, c in COL.items() if c == column)
    assert str(getattr(target, key)) == "7"
    assert [(r.name, r.weight) for r in win.doc.form.rows_at(0, 1) if r is not target] == others
