"""Issue 21 in the window: the 自评报告 tab beside the table — a text box per section of the outline with a live
count, undo like any field, read-only on a 定稿 form, findings that lead to their section, 导出自评报告…."""

from __future__ import annotations

import docx
import pytest
from PySide6.QtCore import Qt

from selfeval_gui.domain.checks import Place
from selfeval_gui.files.formfile import fingerprint
from selfeval_gui.ui.output import report_actions

from .support import province_form
from .ui_support import _type, open_window

pytestmark = pytest.mark.usefixtures("boxes")  # closing a window with unsaved text asks nothing


def _write(qtbot, win, key, text):
    qtbot.waitExposed(win)
    win.activateWindow()
    win.tabs.setCurrentWidget(win.report_page)
    box = win.report_page.boxes[key]
    box.edit.setFocus()
    qtbot.waitUntil(lambda: box.edit.hasFocus(), timeout=2000)
    box.edit.selectAll()
    _type(qtbot, box.edit, text)
    win.sheet.tree.setFocus()  # leaving the box stores the text
    qtbot.waitUntil(lambda: not box.edit.hasFocus(), timeout=2000)
    return box


def test_the_report_tab_shows_the_outline_and_the_figures(win):
    page = win.report_page
    assert [b.section.title for b in page.boxes.values()][:2] == [
        "一、项目基本情况",
        "二、绩效目标及其设立依据和调整情况",
    ]
    win.tabs.setCurrentWidget(page)
    assert "执行率 60%" in page.boxes["overview"].auto.text()
    assert "总分 90.67" in page.boxes["conclusion"].auto.text()
    assert "完成课程数" in page.boxes["missed"].auto.text()


def test_text_is_stored_on_leaving_and_undone_like_any_field(qtbot, win):
    box = _write(qtbot, win, "overview", "本项目依据朝阳区有关规定设立。")
    assert win.doc.form.report == {"overview": "本项目依据朝阳区有关规定设立。"}
    assert box.count.text() == "15 / 1500 字"
    assert win.isWindowModified() or "*" in win.windowTitle()
    win.doc.undo_stack.undo()
    assert win.doc.form.report == {} and box.edit.toPlainText() == ""


def test_the_count_turns_red_over_the_limit_and_the_finding_leads_to_the_section(qtbot):
    win = open_window(qtbot, province_form())
    box = _write(qtbot, win, "problems", "问" * 101)
    assert box.count.text() == "101 / 100 字" and "c0392b" in box.count.styleSheet()
    [over] = [f for f in win.doc.findings if f.place == Place("report", "problems")]
    assert over.level == "error"
    win.tabs.setCurrentWidget(win.sheet)
    win.go_to(over.place)
    assert win.tabs.currentWidget() is win.report_page
    qtbot.waitUntil(lambda: box.edit.hasFocus(), timeout=2000)


def test_a_finalized_form_shows_the_report_read_only(qtbot, clean2):
    clean2.report = {"overview": "项目概况。"}
    clean2.finalize("2021-02-25T09:30:00", fingerprint(clean2))
    win = open_window(qtbot, clean2)
    box = win.report_page.boxes["overview"]
    assert box.edit.isReadOnly() and box.edit.toPlainText() == "项目概况。"


def test_export_report_from_the_window(qtbot, win, tmp_path, monkeypatch):
    _write(qtbot, win, "problems", "培训课程偏少。")
    out = tmp_path / "报告.docx"
    monkeypatch.setattr(report_actions, "ask_report_path", lambda session, name: out)
    win.export_report()
    text = "\n".join(p.text for p in docx.Document(out).paragraphs)
    assert "培训课程偏少。" in text and "城管以奖促治经费项目支出绩效自评报告" in text
    assert "已导出自评报告（草稿）" in win.message_label.text()


def test_ctrl_tab_switches_to_the_report(qtbot, win):
    win.sheet.tree.setFocus()
    qtbot.keyClick(win.sheet.tree, Qt.Key_PageDown, Qt.ControlModifier)
    assert win.tabs.currentWidget() is win.report_page
    qtbot.keyClick(win.report_page, Qt.Key_PageDown, Qt.ControlModifier)
    assert win.tabs.currentWidget() is win.sheet
