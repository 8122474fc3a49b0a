"""The window recalculates as the clerk types: 执行率, scores, totals, grade and findings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from selfeval_gui.domain.checks import check
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.ui.common.qt_compat import item_data
from selfeval_gui.ui.form.funds_model import COL as FCOL
from selfeval_gui.ui.form.indicator_columns import COL
from selfeval_gui.ui.window.main_window import MainWindow

from .support import SEED1
from .ui_support import seed2_window, shown, type_into_cell

COURSES = (0, 0, 0)  # 产出指标 › 数量指标 › 指标1：完成课程数 in seed 2
TOPIC = (0, 1, 0)  # 质量指标 › 指标1：选题设计 (qualitative)


pytestmark = pytest.mark.usefixtures("boxes")  # no message box may block


@pytest.fixture
def win(qtbot, seed2):
    w = seed2_window(qtbot, seed2)
    yield w
    w.doc.undo_stack.setClean()  # no "save changes?" box when the test ends


def cell(w, path, key):
    return w.sheet.model.index_for_path(path, COL[key])


def fund(w, row, key):
    return w.sheet.funds_model.index(row, FCOL[key])


def panel(w) -> str:
    return "\n".join(w.findings.texts())


def test_seed2_as_the_clerk_sees_it(win):
    assert "朝阳区项目支出绩效自评表（2020年度）" == win.sheet.title.text()
    assert shown(fund(win, 0, "rate")) == "60%"
    assert shown(fund(win, 0, "computed")) == "6"
    assert shown(fund(win, 0, "executed")) == "419.5215"
    assert win.sheet.tree.itemDelegate().display_text(cell(win, COURSES, "name")) == "指标1：完成课程数"
    assert shown(cell(win, COURSES, "score")) == "10"
    assert shown(cell(win, COURSES, "computed")) == "4.67"
    assert item_data(cell(win, COURSES, "computed"), Qt.ToolTipRole) == "14 ÷ 30 × 10 = 4.67"
    assert item_data(cell(win, COURSES, "score"), Qt.BackgroundRole) is not None  # marked as an error
    assert win.sheet.totals.score.text() == "90.67"
    assert win.sheet.totals.weight.text() == "100"
    assert win.sheet.totals.grade.text() == "优"
    text = panel(win)
    assert "按规则计算应为 4.67" in text
    assert "执行率 59.62% 低于 90%" in text
    assert "总分行的分值写的是 96" in text
    assert win.findings.summary.text().count("错误 3") == 1


def test_typing_an_amount_updates_rate_score_totals_and_findings(win, qtbot):
    type_into_cell(qtbot, win.sheet.funds, fund(win, 0, "executed"), "703.63")
    assert shown(fund(win, 0, "rate")) == "100%"
    assert shown(fund(win, 0, "computed")) == "10"
    assert win.sheet.totals.score.text() == "94.67"
    assert "低于 90%" not in panel(win)
    assert "预算执行得分填的是 6，按执行率计算应为 10" in panel(win)
    # the sub-row no longer adds up: the check says so and the cell is marked
    assert "与年度资金总额 703.63 万元不一致" in panel(win)
    assert item_data(fund(win, 0, "executed"), Qt.BackgroundRole) is not None


def test_typing_an_actual_value_recomputes_that_indicator_only(win, qtbot):
    model = win.sheet.model
    changed, resets = [], []
    model.dataChanged.connect(lambda a, b, roles=(): changed.append((model.path_of(a), a.column(), b.column())))
    model.modelReset.connect(lambda: resets.append(1))
    model.layoutChanged.connect(lambda *a: resets.append(2))
    type_into_cell(qtbot, win.sheet.tree, cell(win, COURSES, "actual"), "30节")
    assert shown(cell(win, COURSES, "computed")) == "10"
    assert "30 ≥ 30" in item_data(cell(win, COURSES, "computed"), Qt.ToolTipRole)
    assert win.sheet.totals.score.text() == "96.00"
    assert "按规则计算应为 4.67" not in panel(win)
    assert not resets
    assert changed and all(path == COURSES for path, _a, _b in changed)


def test_totals_and_grade_follow_a_weight_change(win, qtbot):
    type_into_cell(qtbot, win.sheet.tree, cell(win, TOPIC, "weight"), "20")
    assert win.sheet.totals.weight.text() == "110"
    assert "各项分值合计为 110，应为 100" in panel(win)
    assert shown(win.sheet.model.index_for_path((0,), COL["weight"])) == "60"  # 产出指标 subtotal
    # lower the seed's 选题设计 score: grade and total follow
    type_into_cell(qtbot, win.sheet.tree, cell(win, TOPIC, "score"), "0")
    assert win.sheet.totals.score.text() == "80.67"
    assert win.sheet.totals.grade.text() == "良"


def test_subtotal_of_level1_updates(win, qtbot):
    l1 = win.sheet.model.index_for_path((0,), COL["weight"])
    assert shown(l1) == "50"
    type_into_cell(qtbot, win.sheet.tree, cell(win, TOPIC, "weight"), "5")
    assert shown(l1) == "45"


@pytest.mark.parametrize("typed, stored", [("１２", "12"), ("7.5", "7.5"), ("８．２５", "8.25")])
def test_number_cells_accept_what_the_parser_accepts(win, qtbot, typed, stored):
    type_into_cell(qtbot, win.sheet.tree, cell(win, TOPIC, "score"), typed)
    assert shown(cell(win, TOPIC, "score")) == stored


def test_amounts_take_thousands_separators_and_four_decimals(win, qtbot):
    type_into_cell(qtbot, win.sheet.funds, fund(win, 0, "budget"), "1,514.0223")
    assert shown(fund(win, 0, "budget")) == "1514.0223"
    assert shown(fund(win, 0, "rate")) == "28%"


@pytest.mark.parametrize("typed, words", [("十分", "不是一个数字"), ("1.1234567", "最多保留6位小数"), ("-3", "负数")])
def test_a_refused_amount_keeps_the_editor_and_says_why(win, qtbot, typed, words):
    idx = fund(win, 0, "budget")
    editor = type_into_cell(qtbot, win.sheet.funds, idx, typed)
    assert win.sheet.funds.indexWidget(idx) is editor  # still open, text kept
    assert editor.text() == typed
    assert words in win.status_message()
    assert shown(idx) == "703.63"  # nothing stored
    editor.setText("800")
    qtbot.keyClick(editor, Qt.Key_Return)
    assert shown(idx) == "800"
    assert win.status_message() == ""  # the complaint went with the corrected number


def test_a_refused_score_through_setdata_is_reported(win):
    ok = win.sheet.model.setData(cell(win, TOPIC, "score"), "abc")
    assert not ok
    assert "不是一个数字" in win.status_message()
    assert shown(cell(win, TOPIC, "score")) == "10"


def test_a_corrected_number_clears_the_complaint_about_it(win, qtbot):
    idx = win.sheet.model.index_for_path((0, 0, 0), COL["score"])
    editor = type_into_cell(qtbot, win.sheet.tree, idx, "-5")
    assert "负数" in win.status_message()
    editor.setText("5")
    qtbot.keyClick(editor, Qt.Key_Return)
    assert shown(idx) == "5"
    assert win.status_message() == ""  # no longer says “-5 是负数” beside a cell that shows 5


def test_qualitative_grade_chooser_and_band_check(win, qtbot):
    idx = cell(win, TOPIC, "grade")
    assert idx.flags() & Qt.ItemIsEditable
    assert not (cell(win, COURSES, "grade").flags() & Qt.ItemIsEditable)  # quantitative: computed instead
    assert win.sheet.model.setData(idx, "partial")
    assert shown(idx) == "部分达成"
    assert shown(cell(win, TOPIC, "computed")) == "6～8"
    assert "得分范围是 6～8，填报得分 10 不在范围内" in panel(win)
    type_into_cell(qtbot, win.sheet.tree, cell(win, TOPIC, "score"), "7")
    assert "不在范围内" not in panel(win)


def test_grade_editor_is_a_chooser(win, qtbot):
    from PySide6.QtWidgets import QComboBox

    idx = cell(win, TOPIC, "grade")
    win.sheet.tree.setCurrentIndex(idx)
    win.sheet.tree.edit(idx)
    box = win.sheet.tree.indexWidget(idx)
    assert isinstance(box, QComboBox)
    assert [box.itemText(n) for n in range(box.count())] == ["（未选择）", "达成", "部分达成", "未达成"]
    box.setCurrentIndex(3)
    box.activated.emit(3)
    assert shown(idx) == "未达成"


def _grade_cell(qtbot, seed1):
    """Seed 1 in a window, and the 完成等级 cell of 聘用标准 (a qualitative row)."""
    w = MainWindow(seed1, SEED1)
    qtbot.addWidget(w)
    w.show()
    return w, w.sheet.tree, w.sheet.model.index_for_path((0, 1, 0), COL["grade"])


def test_arrow_keys_step_through_the_grades_and_enter_stores(qtbot, seed1, boxes):
    w, tree, idx = _grade_cell(qtbot, seed1)
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
    assert shown(idx) == "（可选择）"


def test_a_grade_picked_from_the_list_is_stored_at_once(qtbot, seed1, boxes):
    _w, tree, idx = _grade_cell(qtbot, seed1)
    tree.setCurrentIndex(idx)
    tree.edit(idx)
    chooser = tree.indexWidget(idx)
    chooser.setCurrentIndex(3)
    chooser.activated.emit(3)  # what a click in the drop-down list sends
    assert tree.indexWidget(idx) is None and shown(idx) == "未达成"


def test_budget_weight_and_clerk_score(win, qtbot):
    assert not (fund(win, 1, "weight").flags() & Qt.ItemIsEditable)
    assert shown(fund(win, 1, "weight")) == "—"
    type_into_cell(qtbot, win.sheet.funds, fund(win, 0, "score"), "8")
    assert item_data(fund(win, 0, "score"), Qt.ForegroundRole) is not None  # differs from the computed 6
    assert "预算执行得分填的是 8，按执行率计算应为 6" in panel(win)


def test_findings_click_selects_the_cell(win, qtbot):
    fv = win.findings.view
    texts = win.findings.texts()
    row = next(n for n, t in enumerate(texts) if "按规则计算应为 4.67" in t)
    qtbot.mouseClick(fv.viewport(), Qt.LeftButton, pos=fv.visualRect(win.findings.model.index(row)).center())
    cur = win.sheet.tree.currentIndex()
    assert win.sheet.model.path_of(cur) == COURSES and cur.column() == COL["score"]
    row = next(n for n, t in enumerate(texts) if "执行率 59.62%" in t)
    qtbot.mouseClick(fv.viewport(), Qt.LeftButton, pos=fv.visualRect(win.findings.model.index(row)).center())
    assert win.sheet.fund_note.hasFocus() or QApplicationFocus() is win.sheet.fund_note


def QApplicationFocus():
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget()


def test_the_window_evaluation_is_the_domains(win, qtbot):
    """The cached evaluation the window keeps equals a fresh evaluate()/check() after edits."""
    type_into_cell(qtbot, win.sheet.tree, cell(win, COURSES, "actual"), "20节")
    type_into_cell(qtbot, win.sheet.tree, cell(win, TOPIC, "weight"), "15")
    fresh = evaluate(win.doc.form)
    assert [r.computed for r in fresh.indicators] == [r.computed for r in win.doc.evaluation.indicators]
    assert fresh.total_score == win.doc.evaluation.total_score
    assert check(win.doc.form) == win.doc.findings


def test_indicator_model_passes_modeltester(qtmodeltester, seed1):
    from selfeval_gui.ui.form.document import FormDocument
    from selfeval_gui.ui.form.indicator_model import IndicatorModel

    doc = FormDocument(seed1)
    qtmodeltester.check(IndicatorModel(doc))


def test_funds_model_passes_modeltester(qtmodeltester, seed2):
    from selfeval_gui.ui.form.document import FormDocument
    from selfeval_gui.ui.form.funds_model import FundsModel

    doc = FormDocument(seed2)
    qtmodeltester.check(FundsModel(doc))


def test_modeltester_through_edits(qtmodeltester, win):
    """Insert, remove and move through the model while the tester watches every signal."""
    from selfeval_gui.ui.form.undo_commands import InsertIndicatorCommand, MoveIndicatorCommand, RemoveIndicatorCommand

    model = win.sheet.model
    qtmodeltester.check(model, force_py=True)
    stack = win.doc.undo_stack
    stack.push(InsertIndicatorCommand(win.doc, 0, 1, 1))
    stack.push(MoveIndicatorCommand(win.doc, 0, 1, 0, 1))
    stack.push(RemoveIndicatorCommand(win.doc, 0, 0, 0))
    stack.undo()
    stack.undo()
    stack.undo()
    qtmodeltester.check(model, force_py=True)


def test_seed1_shows_1000_stated_total(qtbot, seed1):
    w = MainWindow(seed1, SEED1)
    qtbot.addWidget(w)
    assert w.sheet.totals.stated_score.text() == "1000"
    assert "总分行的得分写的是 1000" in panel(w)
    assert shown(w.sheet.funds_model.index(0, FCOL["rate"])) == "99%"


def test_fund_sub_rows_show_their_own_rate_as_on_paper(qtbot, seed1):
    """Seed 1's paper shows 99% on 年度资金总额 and on 其中：当年财政拨款; empty rows show nothing."""
    w = MainWindow(seed1, SEED1)
    qtbot.addWidget(w)
    w.show()
    assert [shown(fund(w, r, "rate")) for r in range(4)] == ["99%", "99%", "", ""]
    assert [shown(fund(w, r, "computed")) for r in range(4)] == ["10", "—", "—", "—"]
    assert item_data(fund(w, 1, "rate"), Qt.ToolTipRole) == "1142.8 ÷ 1150.3927 = 99.34%"
    # typing amounts into a sub-row shows its rate at once, rounded as the rule set says (whole percent)
    type_into_cell(qtbot, w.sheet.funds, fund(w, 2, "budget"), "200")
    assert shown(fund(w, 2, "rate")) == ""
    told = []  # the view must be told to repaint the rate cell, not only the model answer right
    w.sheet.funds_model.dataChanged.connect(
        lambda a, b, *_: told.append(a.row() <= 2 <= b.row() and a.column() <= FCOL["rate"] <= b.column())
    )
    type_into_cell(qtbot, w.sheet.funds, fund(w, 2, "executed"), "123.4")
    assert shown(fund(w, 2, "rate")) == "62%" and any(told)
    type_into_cell(qtbot, w.sheet.funds, fund(w, 2, "budget"), "0")
    assert shown(fund(w, 2, "rate")) == ""  # no rate without a budget, and no crash
    w.doc.undo_stack.setClean()


def test_findings_show_place_and_message_on_separate_lines(win):
    """The panel draws “where” on one line and the sentence below it (Qt needs U+2028 for that)."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    view = win.findings.view
    option = QStyleOptionViewItem()
    view.itemDelegate().initStyleOption(option, win.findings.model.index(0))
    first, second = option.text.split("\u2028")
    assert first.startswith("【") and "】" in first and second == win.doc.findings[0].message


def test_red_score_marking_follows_the_domains_score_differs(win, qtbot, monkeypatch):
    """Both tables ask scoring.score_differs whether the clerk's score and the computed one differ: "6.00"
    written for a computed 6 is the same score, and a different rule for "differs" reaches both."""
    from selfeval_gui.ui.common import look
    from selfeval_gui.ui.form import funds_model, indicator_display

    courses = cell(win, COURSES, "computed")
    assert item_data(courses, Qt.ItemDataRole.ForegroundRole) == look.MISMATCH_FG  # 10 against 4.67
    type_into_cell(qtbot, win.sheet.funds, fund(win, 0, "score"), "6.00")
    assert item_data(fund(win, 0, "score"), Qt.ItemDataRole.ForegroundRole) is None
    seen = []

    def never(entered, computed):
        seen.append((entered, computed))
        return False

    monkeypatch.setattr(funds_model, "score_differs", never)
    monkeypatch.setattr(indicator_display, "score_differs", never)
    type_into_cell(qtbot, win.sheet.funds, fund(win, 0, "score"), "8")
    assert item_data(fund(win, 0, "score"), Qt.ItemDataRole.ForegroundRole) is None
    assert item_data(courses, Qt.ItemDataRole.ForegroundRole) == look.MUTED_FG
    assert {str(entered) for entered, _computed in seen} >= {"8", "10"}  # both tables asked it
