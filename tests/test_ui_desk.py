"""Issue 24's smaller things through the real window: forms not yet filled open calm, the words of the menus and
the toolbar, 最近打开, the 填写日期 example, the 计算得分 format, the grade's invitation, the folders the dialogs
start in, and the word after 导出报送材料."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu

from selfeval_gui.domain.checks import ERROR, MISSING
from selfeval_gui.domain.yearbook import next_year_form
from selfeval_gui.files.formfile import fingerprint, load_form, save_form
from selfeval_gui.ui.form import form_sheet
from selfeval_gui.ui.form.indicator_columns import COL

from .support import BLANK, SEED2, fix_seed2
from .ui_support import open_window, shown

pytestmark = pytest.mark.usefixtures("boxes")


@pytest.fixture
def draft_path(cn_dir):
    path = cn_dir / "城管以奖促治经费_2021.json"
    save_form(next_year_form(load_form(SEED2)), path)
    return path


def test_next_years_draft_opens_calm_and_open_at_its_header(qtbot, draft_path, monkeypatch):
    monkeypatch.setattr(form_sheet, "short_screen", lambda: True)
    w = open_window(qtbot, load_form(draft_path), draft_path)
    assert not w.doc.strict
    assert not [f for f in w.doc.all_findings() if f.level == ERROR]
    assert any(f.level == MISSING for f in w.doc.findings)
    assert "错误" not in w.findings_button.text() and "未填" in w.findings_button.text()
    assert not w.sheet.fold_button.isChecked()  # 项目名称 in sight


def test_a_blank_form_file_opens_unfolded_on_a_short_screen(qtbot, monkeypatch):
    monkeypatch.setattr(form_sheet, "short_screen", lambda: True)
    w = open_window(qtbot, load_form(BLANK), BLANK)
    assert not w.sheet.fold_button.isChecked()
    seed = open_window(qtbot, load_form(SEED2), SEED2)
    assert seed.sheet.fold_button.isChecked()  # a filled form still opens at its indicators


def test_saving_a_draft_before_its_results_keeps_it_calm(qtbot, draft_path):
    w = open_window(qtbot, load_form(draft_path), draft_path)
    assert w.save()
    assert not w.doc.strict and not [f for f in w.doc.findings if f.level == ERROR]


def test_menus_print_the_keys_as_on_the_keyboard(qtbot, qapp):
    from PySide6.QtGui import QKeySequence

    from selfeval_gui.ui.common import qt_words

    qt_words.install(qapp)  # as start-up does (after Qt's own catalogue, which says "上方向")
    w = open_window(qtbot)

    texts = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in w.act_up.shortcuts()]
    assert texts == ["Ctrl+↑"]
    assert "Ctrl+Delete" in [s.toString(QKeySequence.SequenceFormat.NativeText) for s in w.act_delete.shortcuts()]


def test_the_toolbar_has_print(qtbot):
    w = open_window(qtbot)
    toolbar = w.findChild(type(w.addToolBar("x")), "main-toolbar")
    assert w.act_print in toolbar.actions()


def test_recent_files_of_one_name_are_told_apart(qtbot, tmp_path, monkeypatch):
    from selfeval_gui.ui.common import settings
    from selfeval_gui.ui.window import file_actions

    a, b = tmp_path / "甲单位" / "表.json", tmp_path / "乙单位" / "表.json"
    monkeypatch.setattr(settings, "recent_files", lambda: [a, b, tmp_path / "其他.json"])
    menu = QMenu()
    file_actions.fill_recent_menu(menu, lambda p: None)
    words = [x.text() for x in menu.actions()]
    assert words == ["&1 表.json（甲单位）", "&2 表.json（乙单位）", "&3 其他.json"]


def test_the_fill_date_example_is_of_this_year(qtbot):
    w = open_window(qtbot)
    today = date.today()
    assert w.sheet.binder.widget("fill_date").placeholderText() == f"如 {today.year}.{today.month}.{today.day}"


def test_computed_scores_are_written_as_scores_are(qtbot, seed2):
    w = open_window(qtbot, seed2)
    model = w.sheet.model
    assert shown(model.index_for_path((0, 1, 0), COL["computed"])) in ("10", "—", "")
    assert shown(model.index_for_path((0, 0, 0), COL["computed"])) == "4.67"
    assert not any(shown(model.index_for_path((0, j, 0), COL["computed"])).endswith(".00") for j in range(4))


def test_the_grade_invitation_is_not_on_a_finalized_form(qtbot):
    form = fix_seed2(load_form(SEED2))
    w = open_window(qtbot, form)
    grades = [shown(w.sheet.model.index_for_path((0, 1, k), COL["grade"])) for k in range(2)]
    assert "（可选择）" in grades
    final = fix_seed2(load_form(SEED2))
    final.finalize("2021-03-01 10:00", fingerprint(final))
    f = open_window(qtbot, final)
    assert all(shown(f.sheet.model.index_for_path((0, 1, k), COL["grade"])) == "" for k in range(2))


def test_import_starts_where_the_last_workbook_was_and_never_in_a_missing_folder(qtbot, tmp_path, monkeypatch):
    from selfeval_gui.ui.common import action_support, qt_words
    from selfeval_gui.ui.output import excel_actions

    monkeypatch.setattr(
        action_support.QStandardPaths, "writableLocation", staticmethod(lambda kind: str(tmp_path / "Documents"))
    )
    assert action_support.documents_dir() == Path.home()  # no Documents folder: not typed in as a file name
    asked = []
    books = tmp_path / "表格"
    books.mkdir()
    answers = [str(books / "a.xlsx"), ""]
    monkeypatch.setattr(
        qt_words, "open_file_name", lambda parent, title, start, filters: asked.append(start) or answers.pop(0)
    )
    monkeypatch.setattr(excel_actions, "read_workbook", lambda session, path: None)
    w = open_window(qtbot)
    excel_actions.import_excel(w.session)
    excel_actions.import_excel(w.session)
    assert asked[1] == str(books.resolve())


def test_after_the_package_the_clerk_is_told_where_when_no_file_manager_opens(qtbot, cn_dir, monkeypatch, boxes):
    from PySide6.QtWidgets import QFileDialog

    from selfeval_gui.ui.output import final_actions

    form = fix_seed2(load_form(SEED2))
    form.finalize("2021-03-01 10:00", fingerprint(form))
    path = cn_dir / "表.json"
    save_form(form, path)
    w = open_window(qtbot, load_form(path), path)
    monkeypatch.setattr(final_actions, "open_folder", lambda folder: False)
    monkeypatch.setattr(final_actions, "ask_package_target", lambda session, stem: cn_dir / "报送")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(cn_dir))
    written = final_actions.export_package(w.session)
    assert written
    told = boxes.texts("information")
    assert told and "报送材料已导出到" in told[-1] and written[0].name in told[-1]
    assert "报送材料已导出到" in w.status_message()


def test_blank_fixture_is_a_copy(tmp_path):
    shutil.copy(BLANK, tmp_path / "b.json")
    assert not load_form(tmp_path / "b.json").has_results()
    assert load_form(SEED2).has_results()


def test_the_help_has_the_folder_excel_and_printing_pages(qtbot):
    from selfeval_gui.ui.window.help_window import HelpWindow

    h = HelpWindow()
    qtbot.addWidget(h)
    titles = [h.pages.item(n).text() for n in range(h.pages.count())]
    assert {"打印", "Excel 和复制粘贴", "全部项目和汇总"} <= set(titles)
    for n, title in enumerate(titles):
        h.pages.setCurrentRow(n)
        assert len(h.text.toPlainText()) > 100, title
    h.pages.setCurrentRow(titles.index("全部项目和汇总"))
    assert "未填" in h.text.toPlainText() and "--year" in h.text.toPlainText()


def test_at_150_percent_every_indicator_column_fits_without_sideways_scrolling(qtbot):
    """1366 at 150%: the window is 911 wide, the 检查结果 panel takes a quarter; the tree's text columns narrow."""
    from selfeval_gui.ui.form.form_sheet import TREE_WIDTHS, WIDE_MINIMUM, fitted_widths

    shown = ["name", "target", "actual", "weight", "score", "computed", "grade", "deviation"]
    assert fitted_widths(2000, shown) == {k: TREE_WIDTHS[k] for k in shown}  # room enough: the usual widths
    for available in (560, 600, 680):
        widths = fitted_widths(available, shown)
        assert sum(widths.values()) <= available
        assert min(widths[k] for k in ("name", "target", "actual", "deviation")) >= WIDE_MINIMUM
    w = open_window(qtbot, load_form(SEED2))
    w.resize(911, 485)
    w.resizeDocks([w.findings_dock], [911 // 4], __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: w.sheet.tree.viewport().width() < 700)
    tree = w.sheet.tree
    qtbot.waitUntil(lambda: sum(tree.columnWidth(c) for c in range(8)) <= tree.viewport().width())
    assert tree.horizontalScrollBar().maximum() == 0
