"""Files from the window: save and reopen, the unsaved-changes question (a refused number counts), autosave
and recovery, recent files, drag and drop, the PDF/Excel menu entries, Qt's Chinese translation and the CJK
font."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from selfeval_gui.domain.rules import new_form
from selfeval_gui.files.formfile import load_form
from selfeval_gui.ui.common import settings
from selfeval_gui.ui.form.funds_model import COL as FCOL
from selfeval_gui.ui.form.indicator_columns import COL
from selfeval_gui.ui.window.autosave import find_recoverable
from selfeval_gui.ui.window.main_window import NOT_INSTALLED
from selfeval_gui.ui.window.start import install_translations, offer_recovery, pick_cjk_font

from .support import SEED1, SEED2
from .ui_support import open_window, shown, type_into_cell, type_into_field

pytestmark = pytest.mark.usefixtures("boxes")  # no message box may block


make = open_window


def test_save_as_in_a_chinese_folder_and_reopen(qtbot, cn_dir, monkeypatch, seed2):
    w = make(qtbot, seed2, SEED2)
    type_into_field(qtbot, w.sheet.binder.widget("filler"), "李四")
    type_into_cell(qtbot, w.sheet.tree, w.sheet.model.index_for_path((0, 0, 0), COL["actual"]), "30节")
    target = cn_dir / "以奖促治_修改.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert w.save_as()
    assert target.exists()
    assert w.windowTitle().startswith("以奖促治_修改.json") and not w.isWindowModified()
    assert load_form(target).filler == "李四"
    w.close()  # gives the file back (another window would be told it is being edited)

    w2 = make(qtbot)
    assert w2.open_path(target)
    assert w2.sheet.binder.widget("filler").text() == "李四"
    assert shown(w2.sheet.model.index_for_path((0, 0, 0), COL["computed"])) == "10"
    assert w2.current_path() == target
    assert settings.recent_files()[0] == target.resolve()


def test_save_keeps_what_is_being_typed(qtbot, tmp_path, seed2):
    """A cell still open for editing when the clerk presses 保存 is saved, not lost."""
    path = tmp_path / "f.json"
    w = make(qtbot, seed2, path)
    idx = w.sheet.funds_model.index(0, FCOL["executed"])
    w.sheet.funds.setCurrentIndex(idx)
    w.sheet.funds.edit(idx)
    w.sheet.funds.indexWidget(idx).setText("700")
    assert w.save()
    assert str(load_form(path).fund("total").executed) == "700"


def test_save_refuses_while_a_number_is_wrong(qtbot, tmp_path, seed2, boxes):
    path = tmp_path / "f.json"
    w = make(qtbot, seed2, path)
    w.sheet.totals.stated_score.setText("九十六")
    assert not w.save()
    assert not path.exists()
    assert "无法识别" in boxes.texts("warning")[0]
    assert w.sheet.totals.stated_score.text() == "九十六"  # still there to be corrected


def test_unsaved_changes_prompt_on_close(qtbot, tmp_path, seed2, boxes):
    path = tmp_path / "f.json"
    w = make(qtbot, seed2, path)
    type_into_field(qtbot, w.sheet.binder.widget("leader"), "张三")
    boxes.answer = QMessageBox.Cancel
    assert not w.close()
    assert w.isVisible()
    assert "有尚未保存的修改" in boxes.texts("question")[-1]
    boxes.answer = QMessageBox.Save
    assert w.close()
    assert load_form(path).leader == "张三"


def test_discard_closes_without_saving(qtbot, tmp_path, seed2, boxes):
    path = tmp_path / "f.json"
    w = make(qtbot, seed2, path)
    type_into_field(qtbot, w.sheet.binder.widget("leader"), "张三")
    boxes.answer = QMessageBox.Discard
    assert w.close()
    assert not path.exists()


def test_no_prompt_when_nothing_changed(qtbot, seed2, boxes):
    w = make(qtbot, seed2, SEED2)
    assert w.close()
    assert not boxes.texts("question")


def test_open_form_object_counts_as_unsaved(qtbot, seed2, boxes):
    w = make(qtbot)
    w.open_form_object(seed2)
    assert w.current_path() is None
    assert w.isWindowModified() and w.windowTitle().startswith("未命名")
    assert w.sheet.binder.widget("project_name").text() == "城管以奖促治经费"
    assert w.current_form() is seed2
    boxes.answer = QMessageBox.Cancel
    assert not w.close()


def _refuse_an_amount(win, qtbot):
    """The clerk types an amount with seven decimals: refused, it stays red in its open cell."""
    idx = win.sheet.funds_model.index(0, FCOL["budget"])
    type_into_cell(qtbot, win.sheet.funds, idx, "703.6300001")
    editor = win.sheet.funds.indexWidget(idx)
    assert editor is not None and editor.text() == "703.6300001"
    assert not win.doc.is_modified()  # nothing reached the form
    return idx


def test_opening_another_form_asks_before_dropping_a_refused_number(win, qtbot, boxes):
    idx = _refuse_an_amount(win, qtbot)
    boxes.answer = QMessageBox.Cancel
    assert not win.open_path(SEED1)
    assert any("无法识别" in t for t in boxes.texts("question"))
    assert win.current_path() == SEED2
    assert win.sheet.funds.indexWidget(idx).text() == "703.6300001"  # still there to be corrected


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


def test_a_broken_file_gives_a_chinese_message_and_keeps_the_form(qtbot, tmp_path, seed2, boxes):
    bad = tmp_path / "坏文件.json"
    bad.write_text("{ not json", encoding="utf-8")
    w = make(qtbot, seed2, SEED2)
    assert not w.open_path(bad)
    assert "不是有效的 JSON" in boxes.texts("warning")[0]
    assert w.doc.form is seed2


def test_autosave_writes_after_editing_and_not_over_the_clerks_file(qtbot, tmp_path, seed2):
    path = tmp_path / "f.json"
    w = make(qtbot, seed2, path, autosave_interval_ms=50)
    type_into_field(qtbot, w.sheet.binder.widget("project_name"), "自动保存测试")
    qtbot.waitUntil(lambda: w.autosaver.file.exists(), timeout=3000)
    data = json.loads(w.autosaver.file.read_text(encoding="utf-8"))
    assert data["form"]["header"]["project_name"] == "自动保存测试"
    assert not path.exists()
    assert w.save()
    assert not w.autosaver.file.exists()  # saved: nothing left to recover


def test_recovery_after_a_crash(qtbot, tmp_path, seed2, boxes):
    path = tmp_path / "f.json"
    crashed = make(qtbot, seed2, path)
    type_into_field(qtbot, crashed.sheet.binder.widget("project_name"), "崩溃前输入的名称")
    type_into_cell(qtbot, crashed.sheet.funds, crashed.sheet.funds_model.index(0, FCOL["executed"]), "600")
    assert crashed.autosaver.save_now()
    # the process dies: its lock is gone, its session file stays
    crashed.autosaver.timer.stop()
    crashed.autosaver.lock.unlock()
    crashed.doc.undo_stack.setClean()

    fresh = make(qtbot)
    boxes.answer = QMessageBox.Yes
    assert offer_recovery(fresh)
    assert "上次程序没有正常关闭" in boxes.texts("question")[-1]
    assert fresh.sheet.binder.widget("project_name").text() == "崩溃前输入的名称"
    assert shown(fresh.sheet.funds_model.index(0, FCOL["rate"])) == "85%"
    assert fresh.current_path() == path and fresh.isWindowModified()
    assert not find_recoverable()  # offered once only
    boxes.answer = QMessageBox.Discard


def test_a_running_window_is_not_offered_for_recovery(qtbot, seed2):
    w = make(qtbot, seed2, SEED2)
    type_into_field(qtbot, w.sheet.binder.widget("phone"), "123")
    assert w.autosaver.save_now()
    assert not find_recoverable()
    w.doc.undo_stack.undo()


def test_declined_recovery_discards_the_autosave(qtbot, seed2, boxes):
    crashed = make(qtbot, seed2, SEED2)
    type_into_field(qtbot, crashed.sheet.binder.widget("phone"), "123")
    crashed.autosaver.save_now()
    crashed.autosaver.lock.unlock()
    crashed.doc.undo_stack.setClean()
    assert crashed.autosaver.file.exists()
    boxes.answer = QMessageBox.No
    assert not offer_recovery(make(qtbot))
    assert not crashed.autosaver.file.exists()
    assert not find_recoverable()


def test_recent_menu_lists_opened_files(qtbot, seed2):
    w = make(qtbot)
    w.open_path(SEED2)
    w._fill_recent_menu()
    texts = [a.text() for a in w.recent_menu.actions()]
    assert any(SEED2.name in t for t in texts)


def test_drop_a_json_file_opens_it(qtbot):
    w = make(qtbot)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(SEED2))])
    ev = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    w.dropEvent(ev)
    qtbot.waitUntil(lambda: w.current_path() == SEED2, timeout=2000)
    assert w.sheet.binder.widget("project_name").text() == "城管以奖促治经费"


def _drop(w, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    w.dropEvent(QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier))


def test_drop_a_workbook_imports_it(qtbot, tmp_path, seed2, monkeypatch):
    from selfeval_gui.files.xlsx.export import export_xlsx
    from selfeval_gui.ui.output import excel_actions

    shown_boxes = []
    monkeypatch.setattr(excel_actions, "_show", lambda box: shown_boxes.append(box.text()))  # the findings box
    book = tmp_path / "以奖促治.xlsx"
    export_xlsx([seed2], book)
    w = make(qtbot)
    _drop(w, book)
    qtbot.waitUntil(lambda: w.current_form().project_name == "城管以奖促治经费", timeout=3000)
    assert w.current_path() is None  # imported, not yet saved as a form file
    assert shown_boxes and "以奖促治.xlsx" in shown_boxes[-1]


def test_drop_another_kind_of_file_says_why(qtbot, tmp_path, boxes):
    doc = tmp_path / "说明.pptx"  # a Word document (.docx) is imported, as a workbook is
    doc.write_bytes(b"PK")
    w = make(qtbot)
    _drop(w, doc)
    qtbot.waitUntil(lambda: bool(boxes.texts("information")), timeout=2000)
    assert "说明.pptx" in boxes.texts("information")[-1] and "不是自评表文件" in boxes.texts("information")[-1]
    assert w.current_form().project_name == ""


def _replace_module(monkeypatch, name, module):
    """The window imports its PDF / Excel actions when first used (``from selfeval_gui.ui.output import
    pdf_actions``): stand `module` in for them (None: the import fails).  An imported module is also an
    attribute of its package, which the import statement looks at first, so that goes too."""
    import selfeval_gui.ui.output

    monkeypatch.setitem(sys.modules, f"selfeval_gui.ui.output.{name}", module)
    monkeypatch.delattr(selfeval_gui.ui.output, name, raising=False)


def test_missing_pdf_or_excel_module_says_so(qtbot, monkeypatch, boxes):
    w = make(qtbot)
    _replace_module(monkeypatch, "pdf_actions", None)  # import now fails
    _replace_module(monkeypatch, "excel_actions", None)
    for act in (w.act_pdf, w.act_print, w.act_import_xlsx, w.act_export_xlsx):
        act.trigger()
    assert boxes.texts("information") == [NOT_INSTALLED] * 4


def test_pdf_and_excel_entries_call_the_modules_with_the_session(qtbot, monkeypatch):
    import types

    calls = []
    fake = types.ModuleType("selfeval_gui.ui.output.pdf_actions")
    fake.export_pdf = lambda win: calls.append(("pdf", win))
    fake.print_form = lambda win: calls.append(("print", win))
    _replace_module(monkeypatch, "pdf_actions", fake)
    w = make(qtbot)
    w.act_pdf.trigger()
    w.act_print.trigger()
    assert calls == [("pdf", w.session), ("print", w.session)]  # the session, never the window itself
    menu = w.menuBar().actions()[0].menu()
    assert {"导出PDF…", "打印…", "导入Excel或Word…", "导出Excel…"} <= {a.text() for a in menu.actions()}


def test_new_form_is_blank_from_the_template(qtbot):
    w = make(qtbot)
    assert w.doc.form == new_form()
    assert w.sheet.title.text() == f"朝阳区项目支出绩效自评表（{new_form().year}年度）"
    assert w.sheet.model.rowCount() == 3
    assert "还没有填写任何三级指标" in "\n".join(w.findings.texts())


def test_new_form_dialog_makes_the_chosen_year(qtbot):
    from selfeval_gui.ui.window.new_form_dialog import NewFormDialog

    dlg = NewFormDialog()
    qtbot.addWidget(dlg)
    dlg.year.setValue(2023)
    form = dlg.make_form()
    assert form.year == 2023 and form.tree and form.rule_set == dlg.rule_set.currentData()


def test_changing_the_template_keeps_the_chosen_year(qtbot):
    from selfeval_gui.ui.window.new_form_dialog import NewFormDialog

    dlg = NewFormDialog()
    qtbot.addWidget(dlg)
    dlg.year.setValue(2022)
    dlg.template.setCurrentIndex(dlg.template.findData("general-2021"))
    form = dlg.make_form()
    assert form.year == 2022 and form.rule_set == "general-2dp"
    assert [l1.name for l1 in form.tree][1] == "成本指标"


def test_qt_dialogs_speak_chinese_and_a_cjk_font_is_chosen(qtbot):
    app = QApplication.instance()
    loaded = install_translations(app)
    try:
        assert loaded, "qtbase_zh_CN.qm was not found"
        assert QApplication.translate("QPlatformTheme", "Cancel") == "取消"
        fam = pick_cjk_font(app)
        assert fam is not None
    finally:
        for tr in loaded:
            app.removeTranslator(tr)


def test_file_dialogs_start_in_the_forms_folder_then_the_last_one(qtbot, tmp_path, cn_dir):
    from selfeval_gui.paths import forms_path
    from selfeval_gui.ui.common import action_support

    w = make(qtbot)
    assert w.session.dialog_dir() == str(forms_path())  # nothing used yet: the example forms
    action_support.remember_file(cn_dir / "表.json")
    assert w.session.dialog_dir() == str(cn_dir.resolve())
    assert w.open_path(SEED2)
    assert w.session.dialog_dir() == str(SEED2.parent)  # an open form: its own folder
    assert action_support.start_dir(None, tmp_path / "没有这个文件夹") == action_support.documents_dir()


def test_busy_cursor_is_restored_when_the_work_fails(qapp):
    from selfeval_gui.ui.common.action_support import busy

    with pytest.raises(OSError), busy():
        assert QApplication.overrideCursor() is not None
        raise OSError("磁盘已满")
    assert QApplication.overrideCursor() is None
