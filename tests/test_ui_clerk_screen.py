"""Issue 10, the clerk's screen second pass: the year, 未填 versus errors, the words, room for the indicators,
wrapped rows, the print preview's size and the help window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from selfeval_gui.domain import vocabulary
from selfeval_gui.domain.checks import ERROR, MISSING, check, soften_missing
from selfeval_gui.domain.rules import evaluation_year, new_form
from selfeval_gui.ui.window import form_settings

from .support import SEED2
from .ui_support import open_window

pytestmark = pytest.mark.usefixtures("boxes")


# ---------------------------------------------------------------- 1. the year


def test_the_year_evaluated_is_the_calendar_year_before_today():
    assert evaluation_year(date(2026, 1, 5)) == 2025
    assert evaluation_year(date(2021, 12, 31)) == 2020
    assert new_form().year == evaluation_year()


def test_a_blank_window_starts_on_last_year(qtbot):
    w = open_window(qtbot)
    year = date.today().year - 1
    assert w.doc.form.year == year
    assert w.sheet.title.text() == f"朝阳区项目支出绩效自评表（{year}年度）"


def test_year_and_district_change_in_the_window_undoably(qtbot, monkeypatch):
    w = open_window(qtbot)

    def answer(dialog):
        dialog.year.setValue(2019)
        dialog.district.setText("海淀区")
        return True

    monkeypatch.setattr(form_settings, "run_dialog", answer)
    w.sheet.settings_button.click()
    assert w.sheet.title.text() == "海淀区项目支出绩效自评表（2019年度）"
    assert (w.doc.form.year, w.doc.form.district) == (2019, "海淀区")
    w.doc.undo_stack.undo()  # one step puts both back
    assert w.sheet.title.text() == f"朝阳区项目支出绩效自评表（{evaluation_year()}年度）"


def test_a_template_change_keeps_the_rows_by_name_and_undoes(qtbot, seed2):
    from selfeval_gui.domain.rules import template_ids

    others = [t for t in template_ids() if t != seed2.template]
    if not others:
        pytest.skip("only one template is bundled")
    w = open_window(qtbot, seed2, SEED2)
    before = [ind.name for ind in w.doc.form.indicators() if not ind.is_blank()]
    refused = form_settings.apply_settings(
        w.doc, {"year": 2020, "district": "朝阳区", "template": others[0], "rule_set": seed2.rule_set}
    )
    after = [ind.name for ind in w.doc.form.indicators() if not ind.is_blank()]
    if refused:
        assert "模板没有更换" in refused and w.doc.form.template == seed2.template
    else:
        assert w.doc.form.template == others[0] and sorted(after) == sorted(before)
        w.doc.undo_stack.undo()
        assert w.doc.form.template == seed2.template


# ---------------------------------------------------------------- 5. 未填 versus errors


def test_a_blank_form_shows_what_is_missing_not_errors(qtbot):
    w = open_window(qtbot)
    levels = {f.level for f in w.doc.findings}
    assert ERROR not in levels and MISSING in levels
    n = sum(f.level == MISSING for f in w.doc.findings)
    summary = w.findings.summary.text()
    assert f"还有 {n} 项未填" in summary and "错误" not in summary
    assert any(t.startswith("【未填】表头 › 项目名称") for t in w.findings.texts())
    assert w.sheet.totals.grade.text() == "—"  # no grade before anything is graded


def test_a_contradiction_is_an_error_at_once(qtbot):
    from decimal import Decimal

    w = open_window(qtbot)
    ind = w.doc.form.tree[0].children[0].indicators[0]
    w.doc.set_value(ind, "weight", Decimal("10"))
    w.doc.set_value(ind, "score", Decimal("12"))
    errors = [f for f in w.doc.findings if f.level == ERROR]
    assert any("超过了分值" in f.message for f in errors)
    assert "错误 1" in w.findings.summary.text()
    label = w.findings.summary.labels[ERROR]  # the count in the errors' red, bold
    assert label.text() == "错误 1" and label.font().bold()
    assert label.palette().color(label.foregroundRole()).name() == "#c0392b"


def test_missing_becomes_errors_after_the_first_save_with_results(qtbot, tmp_path):
    """Saved before any of the year's results are typed (a draft of targets), the form stays calm; saved with
    results in it, what is missing is an error."""
    w = open_window(qtbot)
    assert not any(f.level == ERROR for f in w.doc.findings)
    from selfeval_gui.files.formfile import save_form

    path = tmp_path / "表.json"
    save_form(w.doc.form, path)
    w.doc.mark_saved(path)
    assert not any(f.level == ERROR for f in w.doc.findings)
    w.doc.set_value(w.doc.form.fund("total"), "executed", Decimal("10"), "全年执行数")
    save_form(w.doc.form, path)
    w.doc.mark_saved(path)
    assert any(f.level == ERROR and "项目名称" in f.message for f in w.doc.findings)
    assert "未填" not in w.findings.summary.text()


def test_printing_turns_missing_into_errors(qtbot, monkeypatch):
    from selfeval_gui.ui.output import output_check

    w = open_window(qtbot)
    monkeypatch.setattr(output_check, "run_dialog", lambda d: None)
    assert output_check.choose_copy(w.session, "打印") is None  # errors: the dialog, back to the form
    assert any(f.level == ERROR for f in w.doc.findings)


def test_check_keeps_missing_fields_errors_for_output_and_the_cli():
    found = check(new_form())
    assert any(f.missing and f.level == ERROR for f in found)
    assert all(f.level != ERROR for f in soften_missing(found) if f.missing)


def test_seed2_opened_from_its_file_shows_its_errors(win):
    assert any(f.level == ERROR for f in win.doc.findings)
    assert win.sheet.totals.grade.text() in ("优", "良", "中", "差")


# ---------------------------------------------------------------- 3. one meaning per word


def test_both_tables_use_the_same_words_for_the_two_scores(win):
    funds = [win.sheet.funds_model.headerData(c, Qt.Horizontal) for c in range(win.sheet.funds_model.columnCount())]
    tree = [win.sheet.model.headerData(c, Qt.Horizontal) for c in range(win.sheet.model.columnCount())]
    for headers in (funds, tree):
        assert vocabulary.ENTERED_SCORE in headers and vocabulary.COMPUTED_SCORE in headers
        assert vocabulary.SCORE not in headers  # the bare 得分 meant one thing in one table, another in the other
        assert headers.index(vocabulary.ENTERED_SCORE) + 1 == headers.index(vocabulary.COMPUTED_SCORE)
    # seed 2's budget: the clerk wrote 6, the rules give 6 — under 填报得分 and 计算得分
    m = win.sheet.funds_model
    assert m.data(m.index(0, funds.index(vocabulary.ENTERED_SCORE))) == "6"
    assert m.data(m.index(0, funds.index(vocabulary.COMPUTED_SCORE))) == "6"


# ---------------------------------------------------------------- 2. room for the indicators


def test_the_sections_above_fold_away_and_a_finding_unfolds_them(win, qtbot):
    from selfeval_gui.domain.checks import Place

    sheet = win.sheet
    win.resize(1366, 728)
    qtbot.wait(50)
    open_height = sheet.tree.height()
    sheet.fold_button.click()
    qtbot.wait(50)
    assert not sheet.top_page.isVisible() and sheet.tree.height() > open_height + 200
    assert "展开" in sheet.fold_button.text()
    sheet.go_to(Place("header", "project_name"))
    assert sheet.top_page.isVisible() and not sheet.fold_button.isChecked()


def test_a_form_file_on_a_short_screen_opens_folded(qtbot, monkeypatch, seed2):
    from selfeval_gui.ui.form import form_sheet

    monkeypatch.setattr(form_sheet, "short_screen", lambda: True)
    w = open_window(qtbot, seed2, SEED2)
    assert w.sheet.top_folded
    blank = open_window(qtbot)  # a new form starts at its header
    assert not blank.sheet.top_folded


def test_seed2_at_1366x728_shows_every_indicator_row(qtbot, monkeypatch, seed2):
    from selfeval_gui.ui.form import form_sheet

    monkeypatch.setattr(form_sheet, "short_screen", lambda: True)
    w = open_window(qtbot, seed2, SEED2)
    w.resize(1366, 728 - 30)  # maximized under a title bar
    qtbot.wait(100)
    tree = w.sheet.tree
    visible, idx = 0, tree.indexAt(tree.viewport().rect().topLeft())
    while idx.isValid() and tree.visualRect(idx).bottom() <= tree.viewport().height():
        visible += 1
        idx = tree.indexBelow(idx)
    assert visible >= 15


def test_the_window_has_a_minimum_size(win):
    """Room for the indicator table, and still inside 1366×768 at 150% (911×485 for the window)."""
    assert 800 <= win.minimumWidth() <= 911 and 440 <= win.minimumHeight() <= 485


# ---------------------------------------------------------------- 4. long text reads in full

LONG = "区、街道（乡）城管队员对业务系统及办公设备的满意度，" * 6


def test_a_long_target_makes_its_row_grow_to_show_it_all(win, qtbot):
    from selfeval_gui.ui.form.indicator_columns import COL

    sheet = win.sheet
    ind = win.doc.form.tree[0].children[1].indicators[0]
    idx = sheet.model.index_for_path((0, 1, 0), COL["target"])
    before = sheet.tree.visualRect(idx).height()
    win.doc.set_value(ind, "target", LONG)
    qtbot.wait(50)
    sheet.tree.doItemsLayout()
    height = sheet.tree.visualRect(idx).height()
    fm = sheet.tree.fontMetrics()
    lines = -(-fm.horizontalAdvance(LONG) // (sheet.tree.columnWidth(COL["target"]) - 10))
    assert height > before and height >= fm.lineSpacing() * min(lines, 8)


@pytest.mark.parametrize("column", ["name", "target", "actual", "deviation"])
def test_long_text_columns_get_the_multi_line_editor(win, column):
    from selfeval_gui.ui.form.cell_editing import NoteCellEditor
    from selfeval_gui.ui.form.indicator_columns import COL

    tree = win.sheet.tree
    idx = win.sheet.model.index_for_path((0, 1, 0), COL[column])
    tree.setCurrentIndex(idx)
    tree.edit(idx)
    assert isinstance(tree.indexWidget(idx), NoteCellEditor)


# ---------------------------------------------------------------- 6. print preview that fits


def test_the_preview_fits_the_screen_and_opens_fitted_to_width_sharp(qtbot, seed2):
    pytest.importorskip("pypdfium2")
    from selfeval_gui.files.pdf.form_pdf import render_pdf
    from selfeval_gui.ui.output.print_preview import FIT_WIDTH, PrintPreview, fitted_size

    assert fitted_size(1366, 728)[1] <= 728 and fitted_size(1366, 728)[0] <= 1366
    assert fitted_size(1024, 728)[1] < 728
    preview = PrintPreview(render_pdf(seed2).data, lambda d: None)
    qtbot.addWidget(preview)
    preview.show()
    qtbot.waitExposed(preview)
    screen = preview.screen().availableGeometry()
    assert preview.height() <= screen.height() and preview.width() <= screen.width()
    assert preview.zoom.currentData() == FIT_WIDTH and preview.print_button.text() == "打印…"
    ratio = preview.devicePixelRatioF()
    width, _ = preview.shown_pixmap_size()
    view = preview.pane.viewport().width()
    assert view * ratio * 0.8 <= width <= view * ratio  # rendered at the pixels it is shown with, not scaled
    assert preview.page_label.text() == f"第 1 / {preview.page_count} 页" and not preview.prev_button.isEnabled()
    preview.next_button.click()
    assert preview.page_label.text().startswith("第 2 /")
    preview.zoom.setCurrentIndex(preview.zoom.findText("200%"))
    assert preview.shown_pixmap_size()[0] > width


# ---------------------------------------------------------------- 7. help inside the program


def test_help_opens_on_its_first_page_with_the_formulas_of_each_rule_set(win, qtbot):
    from selfeval_gui.domain.rules import get_rule_set, rule_set_ids

    menu = next(a.menu() for a in win.menuBar().actions() if a.text().startswith("帮助"))
    next(a for a in menu.actions() if a.text() == "使用说明").trigger()
    help_window = win.help_window
    assert help_window.isVisible() and help_window.page_title() == "填写表格"
    assert "填写表格" in help_window.text.toPlainText()
    help_window.pages.setCurrentRow(2)
    text = help_window.text.toPlainText()
    for rid in rule_set_ids():
        assert get_rule_set(rid).name in text
    assert "全年执行数 ÷ 全年预算数" in text and "目标值 ÷ 实际值 × 分值" in text
    help_window.pages.setCurrentRow(help_window.pages.count() - 1)  # 文件保存在哪里, the last page
    assert "autosave" in help_window.text.toPlainText() and "logs" in help_window.text.toPlainText()


def test_about_names_the_version_rule_sets_and_data_folder():
    from selfeval_gui import __version__
    from selfeval_gui.paths import user_data_dir
    from selfeval_gui.ui.window.help_window import about_text

    text = about_text()
    assert __version__ in text and "chaoyang-2020" in text and str(user_data_dir()) in text


# ---------------------------------------------------------------- 8. smaller things


def test_the_workbook_shows_the_places_the_clerk_typed(seed2, tmp_path):
    import openpyxl

    from selfeval_gui.files.xlsx.export import export_xlsx

    out = tmp_path / "表.xlsx"
    export_xlsx([seed2], out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    shown = {str(c.value): c.number_format for row in ws.iter_rows() for c in row if c.value is not None}
    assert shown["703.63"] == "0.00" and shown["419.5215"] == "0.0000"


def test_the_unsaved_prompt_names_the_button_it_means():
    from selfeval_gui.ui.window.session import REFUSED_NUMBERS_QUESTION

    assert "“丢弃”" in REFUSED_NUMBERS_QUESTION and "放弃" not in REFUSED_NUMBERS_QUESTION


def test_toolbar_undo_keeps_its_width_while_the_undo_text_changes(win):
    from selfeval_gui.ui.form.indicator_columns import COL

    bar = win.findChild(type(win.addToolBar("x")), "main-toolbar")
    button = bar.widgetForAction(win.tb_undo)
    width = button.sizeHint().width()
    ind = win.doc.form.tree[0].children[0].indicators[0]
    win.doc.set_value(ind, "actual", "15节", "实际完成值（一个很长的说明文字）")
    assert win.tb_undo.text() == "撤销" and button.sizeHint().width() == width
    assert "实际完成值" in win.tb_undo.toolTip() and win.tb_undo.isEnabled()
    assert COL  # the edit went through the document


def test_the_grade_chooser_is_wide_enough_for_its_choices(win, qtbot):
    from selfeval_gui.ui.form.cell_editing import GradeChooser
    from selfeval_gui.ui.form.indicator_columns import COL

    tree = win.sheet.tree
    idx = win.sheet.model.index_for_path((0, 1, 0), COL["grade"])
    tree.setCurrentIndex(idx)
    tree.edit(idx)
    box = tree.indexWidget(idx)
    assert isinstance(box, GradeChooser)
    assert box.width() >= box.fontMetrics().horizontalAdvance("（未选择）") + 20


def test_a_refused_entry_is_listed_and_says_the_old_value_counts(win, qtbot):
    from PySide6.QtWidgets import QToolTip

    from selfeval_gui.ui.form.indicator_columns import COL

    from .ui_support import type_into_cell

    tree = win.sheet.tree
    idx = win.sheet.model.index_for_path((0, 0, 0), COL["weight"])
    editor = type_into_cell(qtbot, tree, idx, "-5")
    first = win.findings.texts()[0]
    assert first.startswith("【错误】") and "分值" in first and "“-5”没有记入" in first and "原来的值 10" in first
    assert editor.toolTip()
    qtbot.keyClicks(editor, "1")  # typing again: the old complaint goes
    assert editor.toolTip() == ""
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)
    editor.setText("10")
    qtbot.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: not any("没有记入" in t for t in win.findings.texts()), timeout=2000)


def test_qt_file_dialog_words_are_chinese(qapp, monkeypatch):
    from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel

    from selfeval_gui.ui.common import qt_words

    qt_words.install(qapp)
    seen = {}

    def dialog(parent, title, start, filters):  # what Qt's static function does, without waiting for a click
        d = QFileDialog(parent, title, start, filters)
        d.setOption(QFileDialog.Option.DontUseNativeDialog)
        d.show()
        seen["labels"] = [lab.text() for lab in d.findChildren(QLabel)]
        combo = d.findChild(QComboBox, "fileTypeCombo")
        seen["wide"] = combo.width() >= combo.fontMetrics().horizontalAdvance("绩效自评表 (*.json)")
        d.close()
        return "/tmp/a.json", filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(dialog))
    # the program's file dialogs go through qt_words: the type chooser is widened while one is open
    assert qt_words.open_file_name(None, "打开", "/tmp", "绩效自评表 (*.json);;所有文件 (*)") == "/tmp/a.json"
    assert "查找范围(&L)：" in seen["labels"] and "文件类型(&T)：" in seen["labels"]
    assert seen["wide"]


def test_the_weight_total_is_red_only_when_it_is_wrong(win, qtbot):
    assert win.sheet.totals.weight.text() == "100" and "c0392b" not in win.sheet.totals.weight.styleSheet()
    blank = open_window(qtbot)
    assert "c0392b" not in blank.sheet.totals.weight.styleSheet()  # 10 of 100 on a blank form is 未填
    blank.doc.make_strict()
    assert "c0392b" in blank.sheet.totals.weight.styleSheet()


def test_the_pdf_and_workbook_follow_a_changed_year_and_district(qtbot, tmp_path):
    import subprocess

    import openpyxl

    from selfeval_gui.files.pdf.form_pdf import write_pdf
    from selfeval_gui.files.xlsx.export import export_xlsx

    w = open_window(qtbot)
    form_settings.apply_settings(
        w.doc, {"year": 2019, "district": "海淀区", "template": w.doc.form.template, "rule_set": w.doc.form.rule_set}
    )
    pdf = tmp_path / "表.pdf"
    write_pdf(w.doc.form, pdf, draft=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "海淀区项目支出绩效自评表" in text and "2019年度" in text
    book = tmp_path / "表.xlsx"
    export_xlsx([w.doc.form], book)
    cells = [str(c.value) for row in openpyxl.load_workbook(book).worksheets[0].iter_rows() for c in row if c.value]
    assert any("海淀区" in c for c in cells) and any("2019" in c for c in cells)


def test_the_window_icon_has_its_small_sizes_for_scaled_screens(win):
    sizes = {(s.width(), s.height()) for s in win.windowIcon().availableSizes()}
    assert {(16, 16), (32, 32), (48, 48)} <= sizes


def test_the_status_bar_keeps_the_counts_and_brings_the_panel_back(win, qtbot):
    # 提示: the usual weights, and the reviewer's (issue 22) 自评结果可能偏高 with its count
    assert win.findings_button.text() == "检查结果：错误 3 · 警告 2 · 提示 3"
    win.findings_dock.close()
    win.findings_button.click()
    assert win.findings_dock.isVisible()
    blank = open_window(qtbot)
    assert "未填 13" in blank.findings_button.text() and "错误" not in blank.findings_button.text()


def test_a_blank_form_opened_from_its_file_is_not_a_wall_of_red_either(qtbot, tmp_path):
    """The bundled 空白表 opened as a file: its empty fields are 未填 like a new form's; a form with results opened
    from its file counts as saved, so what is missing there is an error at once; saving it with a result makes
    it so."""
    from selfeval_gui.files.formfile import load_form, save_form

    from .support import EXAMPLES

    blank_path = EXAMPLES / "空白表_某省2023.json"
    w = open_window(qtbot, load_form(blank_path), blank_path)
    assert not w.doc.strict
    assert not [f for f in w.doc.findings if f.missing and f.level == ERROR]
    assert any(f.level == MISSING for f in w.doc.findings)
    seed = open_window(qtbot, load_form(SEED2), SEED2)
    assert seed.doc.strict
    out = tmp_path / "新表.json"
    save_form(w.doc.form, out)
    w.doc.mark_saved(out)
    assert not w.doc.strict  # nothing of the year's results yet: still calm
    w.doc.set_value(w.doc.form, "goal_actual", "已完成", "实际完成情况")
    save_form(w.doc.form, out)
    w.doc.mark_saved(out)
    assert w.doc.strict and any(f.missing and f.level == ERROR for f in w.doc.findings)


def test_the_splitter_handle_is_a_visible_grip(win, qtbot):
    """Between the sections above and the indicators: a grey line on a light face, blue under the mouse."""
    from PySide6.QtGui import QEnterEvent
    from PySide6.QtWidgets import QApplication

    handle = win.sheet.handle(1)
    win.resize(1200, 800)
    qtbot.waitUntil(lambda: handle.height() > 0 and handle.width() > 100)
    middle = handle.grab().toImage()
    x, mid = handle.width() // 2, handle.height() // 2
    assert middle.pixelColor(x, mid).name() == "#a0a0a0" and middle.pixelColor(x, 1).name() == "#f4f4f4"
    QApplication.sendEvent(
        handle, QEnterEvent(handle.rect().center(), handle.rect().center(), handle.mapToGlobal(handle.rect().center()))
    )
    assert handle.grab().toImage().pixelColor(x, mid).name() == "#cfe0f2"
