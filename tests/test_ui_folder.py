"""The 项目一览 window as a clerk uses it: the folder's rows, a file changed/added/removed while it is open, the
filter, double-click, batch export with 取消, the 汇总表, next year's drafts, 打开文件夹 in the main window."""

import os
import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from selfeval_gui.files.folder.listing import FolderEntry, read_entry
from selfeval_gui.files.formfile import load_form, save_form
from selfeval_gui.ui.common import background
from selfeval_gui.ui.folder import actions as folder_actions
from selfeval_gui.ui.folder import opening
from selfeval_gui.ui.folder.model import KEYS, FolderModel
from selfeval_gui.ui.folder.window import FolderWindow

from .support import SEED2
from .test_folder import CLEAN, clean_form, make_folder

pytestmark = pytest.mark.usefixtures("boxes")


def shown_rows(fw):
    """What the table shows, row by row (in the view's order), as {column heading key: text}."""
    p = fw.proxy
    return [{k: p.index(r, c).data() for c, k in enumerate(KEYS)} for r in range(p.rowCount())]


def by_file(fw):
    return {row["file"]: row for row in shown_rows(fw)}


@pytest.fixture
def folder(tmp_path):
    return make_folder(tmp_path)


@pytest.fixture
def fw(qtbot, folder):
    opened, imported = [], []
    w = FolderWindow(folder, open_path=opened.append, import_path=imported.append)
    w.opened, w.imported = opened, imported
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.is_loading() and w.model.rowCount() == 5, timeout=10000)
    return w


def test_window_lists_five_rows_with_the_right_figures(fw):
    rows = by_file(fw)
    assert len(rows) == 5
    s2 = rows[SEED2.name]
    assert (
        s2["project_name"],
        s2["rate"],
        s2["entered_total"],
        s2["computed_total"],
        s2["grade"],
        s2["errors"],
        s2["status"],
    ) == ("城管以奖促治经费", "60%", "96", "90.67", "优", "3", "草稿")
    assert rows["公共事务协管经费_2020.json"]["budget"] == "1150.3927"
    assert "不是有效的 JSON" in rows["坏的表.json"]["project_name"]
    assert rows["导入用.xlsx"]["project_name"] == "Excel 工作簿，可导入"
    assert "3 个表" in fw.status_label.text() and "1 个文件无法读取" in fw.status_label.text()


def test_model_passes_the_modeltester(qtmodeltester, folder):
    model = FolderModel()
    for p in sorted(folder.iterdir()):
        model.put(read_entry(p))
    qtmodeltester.check(model)


def _touch_later(path):
    """A later modification time, so the change is seen even on a file system with coarse times."""
    t = time.time() + 5
    os.utime(path, (t, t))


def test_a_changed_added_or_removed_file_updates_the_list(qtbot, fw, folder):
    form = load_form(folder / SEED2.name)
    form.project_name = "城管以奖促治经费（改）"
    save_form(form, folder / SEED2.name)
    _touch_later(folder / SEED2.name)
    qtbot.waitUntil(lambda: by_file(fw)[SEED2.name]["project_name"] == "城管以奖促治经费（改）", timeout=10000)
    save_form(clean_form(), folder / "新表.json")
    qtbot.waitUntil(lambda: "新表.json" in by_file(fw), timeout=10000)
    assert by_file(fw)["新表.json"]["errors"] == "0"
    (folder / "坏的表.json").unlink()
    qtbot.waitUntil(lambda: "坏的表.json" not in by_file(fw), timeout=10000)
    assert fw.model.rowCount() == 5


def test_filter_sort_and_double_click(qtbot, fw):
    fw.filter_edit.setText("以奖促治")
    assert [r["file"] for r in shown_rows(fw)] == [SEED2.name]
    fw.view.doubleClicked.emit(fw.proxy.index(0, 0))
    assert fw.opened == [fw.folder / SEED2.name]
    fw.filter_edit.setText("")
    fw.view.sortByColumn(KEYS.index("computed_total"), Qt.SortOrder.DescendingOrder)
    assert shown_rows(fw)[0]["computed_total"] == "100.00"
    book = next(r for r in range(fw.proxy.rowCount()) if fw.proxy.index(r, 0).data() == "导入用.xlsx")
    fw.view.doubleClicked.emit(fw.proxy.index(book, 0))
    assert fw.imported == [fw.folder / "导入用.xlsx"]


def test_batch_export_from_the_window(qtbot, fw, folder, tmp_path, monkeypatch, choices):
    save_form(clean_form(), folder / "改正.json")
    fw.rescan()
    out = tmp_path / "导出"
    said = []
    monkeypatch.setattr(folder_actions, "ask_folder", lambda *a: out)
    monkeypatch.setattr(folder_actions, "offer_open_folder", lambda parent, title, text, where: said.append(text))
    asked_in = []
    monkeypatch.setattr(folder_actions, "ask_folder", lambda parent, title, start: asked_in.append(start) or out)
    choices.answers = [0]  # 跳过有错误的表
    fw.act_both.trigger()
    assert "有 2 个表有错误" in choices.texts()[0] and choices.calls[0][1][:2] == ["跳过有错误的表", "导出草稿"]
    assert sorted(p.name for p in out.iterdir()) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]
    assert "跳过 4 个表" in said[0] and "未填：还没有填写" in said[0]  # the blank form: 未填, not an error
    choices.answers = [0]
    fw.act_pdf.trigger()
    assert asked_in[-1] == out.resolve()  # the next batch starts where the last one went
    fw.view.selectRow(next(r for r in range(fw.proxy.rowCount()) if fw.proxy.index(r, 0).data() == "改正.json"))
    result = folder_actions.batch_export(fw, pdf=True)  # the selected form only: no errors, no question
    assert sorted(p.name for p in out.iterdir()) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]  # its own output replaced
    assert not result.skipped and len(choices.calls) == 2
    assert "坏的表.json" in said[0]


def test_batch_export_writes_drafts_of_forms_with_errors_when_asked(qtbot, fw, folder, tmp_path, monkeypatch, choices):
    """Issue 11 + 15: a form with errors gets no final copy; asked for, its 草稿 copy (名称_草稿.pdf, marked
    草稿 on every page, with the findings) — the clean forms still get their final copies."""
    from .support import page_texts

    save_form(clean_form(), folder / "改正.json")
    fw.rescan()
    out = tmp_path / "导出"
    monkeypatch.setattr(folder_actions, "ask_folder", lambda *a: out)
    monkeypatch.setattr(folder_actions, "offer_open_folder", lambda *a: None)
    choices.answers = [1]  # 导出草稿
    result = folder_actions.batch_export(fw, pdf=True)
    names = sorted(p.name for p in out.iterdir())
    assert f"{CLEAN}.pdf" in names and "城管以奖促治经费_草稿.pdf" in names
    assert len(result.drafts) == len([n for n in names if n.endswith("_草稿.pdf")]) >= 2
    draft_text = "".join(page_texts(out / "城管以奖促治经费_草稿.pdf"))
    assert "草稿" in draft_text and "检查结果" in draft_text and "应为" in draft_text
    final_text = "".join(page_texts(out / f"{CLEAN}.pdf"))
    assert "草稿" not in final_text and "应为" not in final_text
    # unreadable: nothing to draft; the blank form: 未填, nothing of the year to print
    assert sorted(n for n, _why in result.skipped) == sorted(["坏的表.json", "空白表_朝阳区2020.json"])


def test_cancelling_the_drafts_question_writes_nothing(qtbot, fw, folder, tmp_path, monkeypatch, choices):
    out = tmp_path / "导出"
    monkeypatch.setattr(folder_actions, "ask_folder", lambda *a: out)
    choices.answers = [None]
    assert folder_actions.batch_export(fw, pdf=True) is None
    assert not out.exists()


def test_cancel_in_the_progress_dialog_leaves_nothing_partial(qtbot, fw, folder, tmp_path, monkeypatch):
    for n in range(3):
        f = clean_form()
        f.project_name = f"项目{n}"
        save_form(f, folder / f"p{n}.json")
    fw.rescan()
    fw.filter_edit.setText("项目")
    out = tmp_path / "导出"
    monkeypatch.setattr(folder_actions, "ask_folder", lambda *a: out)
    monkeypatch.setattr(folder_actions, "offer_open_folder", lambda *a: None)
    # the clerk presses 取消 in the progress dialog once the first PDF is there
    shown = QProgressDialog.setLabelText

    def show_then_cancel(dlg, text):
        shown(dlg, text)
        if text != background.CANCELLING and out.is_dir() and any(out.iterdir()):
            dlg.findChild(QPushButton).click()  # its 取消 button

    monkeypatch.setattr(QProgressDialog, "setLabelText", show_then_cancel)
    result = folder_actions.batch_export(fw, pdf=True)
    assert result.cancelled
    assert [p.name for p in out.iterdir()] == ["项目0.pdf"]


def test_summary_and_next_year_from_the_window(qtbot, fw, folder, tmp_path, monkeypatch):
    monkeypatch.setattr(folder_actions, "ask_summary_path", lambda *a: tmp_path / "汇总")
    monkeypatch.setattr(folder_actions, "ask_folder", lambda *a: tmp_path / "2021")
    said = []
    monkeypatch.setattr(folder_actions, "offer_open_folder", lambda parent, title, text, where: said.append(text))
    assert folder_actions.summary(fw) == tmp_path / "汇总.xlsx"
    assert (tmp_path / "汇总.pdf").exists() and "1 个无法读取的文件未汇总" in said[0]
    fw.next_year()
    assert sorted(p.name for p in (tmp_path / "2021").iterdir()) == [
        "公共事务协管经费_2021.json",
        "城管以奖促治经费_2021.json",
        "空白表_朝阳区2020_2021.json",
    ]
    assert "未生成 1 个" in said[1]


def test_main_window_opens_a_folder_and_a_draft_from_last_year(qtbot, win, folder, monkeypatch):
    fw = win.open_folder(folder)
    qtbot.addWidget(fw)
    qtbot.waitUntil(lambda: fw.model.rowCount() == 5, timeout=10000)
    assert isinstance(fw.model.entry(0), FolderEntry)
    monkeypatch.setattr(opening, "ask_last_year_file", lambda *a: folder / SEED2.name)
    win.act_from_last_year.trigger()
    new = folder / "城管以奖促治经费_2021.json"
    assert new.exists() and win.current_path() == new
    assert win.current_form().year == 2021 and win.current_form().indicators()[0].actual == ""


def test_new_offers_a_blank_form_and_last_years_form(qtbot):
    """文件 › 新建 › 空白表… / 从上年表格… / 从绩效目标申报表…, and the same from the toolbar's 新建 arrow."""
    from PySide6.QtWidgets import QToolButton

    from selfeval_gui.ui.window.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    file_menu = win.menuBar().actions()[0].menu()
    new_menu = next(a.menu() for a in file_menu.actions() if a.text() == "新建")
    assert [a.text() for a in new_menu.actions()] == ["空白表…", "从上年表格…", "从绩效目标申报表…"]
    button = next(w for w in win.findChildren(QToolButton) if w.defaultAction() is win.act_new)
    assert button.menu() is new_menu
