"""导入Excel… / 导出Excel… with the dialogs replaced and a tiny stand-in for the main window."""

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.xlsx.reader import import_workbook
from selfeval_gui.ui.output import excel_actions

from .xlsx_handmade import handmade_book, inputs


class _NoDocument:
    """The stand-in's document: only what the output check asks of it."""

    refusals: dict = {}  # no entry typed and refused

    def make_strict(self):
        pass


class StandIn(QWidget):
    def __init__(self, form=None, path=None, ok_to_replace=True):
        super().__init__()
        self.form, self.path, self.opened, self.ok = form, path, [], ok_to_replace

    def current_form(self):
        return self.form

    def current_path(self):
        return self.path

    def open_form(self, form, path=None):
        self.opened.append((form, path))

    # the rest of the session an action may use (ui/form/session.py)
    @property
    def widget(self):
        return self

    @property
    def doc(self):
        return _NoDocument()

    def commit_pending(self):
        return True

    def go_to(self, place):
        pass

    def show_message(self, text, msecs=10000):
        pass

    def ask_to_save(self):
        return self.ok


@pytest.fixture(autouse=True)
def as_draft(monkeypatch):
    """The check before output: the seeds have errors; the clerk chooses 输出草稿."""
    from selfeval_gui.ui.output import output_check

    monkeypatch.setattr(output_check, "run_dialog", lambda dlg: dlg.draft_button.click())


@pytest.fixture
def boxes(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(("warning", text)))
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text, *a: shown.append(("information", text)))
    monkeypatch.setattr(excel_actions, "_show", lambda box: shown.append(("box", box.text(), box.detailedText())))
    return shown


def _open_returns(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def test_import_one_form_opens_it_and_shows_the_findings(qtbot, tmp_path, seed1, monkeypatch, boxes, cn_dir):
    book = cn_dir / "协管.xlsx"
    handmade_book(book, [seed1])
    w = StandIn()
    qtbot.addWidget(w)
    _open_returns(monkeypatch, book)
    excel_actions.import_excel(w)
    [(form, path)] = w.opened
    assert path is None and inputs(form) == inputs(seed1)
    kind, text, details = boxes[-1]
    assert "协管.xlsx" in text and "Sheet1" in text
    assert "1000" in text  # the seed's 总分 error
    assert "尚未保存" in text


def test_import_asks_to_save_the_open_form_first(qtbot, tmp_path, seed1, monkeypatch, boxes):
    book = tmp_path / "a.xlsx"
    handmade_book(book, [seed1])
    w = StandIn(ok_to_replace=False)
    qtbot.addWidget(w)
    _open_returns(monkeypatch, book)
    assert excel_actions.import_excel(w) is None
    assert w.opened == []


def test_import_failure_shows_a_sentence_and_opens_nothing(qtbot, tmp_path, monkeypatch, boxes):
    bad = tmp_path / "坏.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    w = StandIn()
    qtbot.addWidget(w)
    _open_returns(monkeypatch, bad)
    excel_actions.import_excel(w)
    assert w.opened == []
    assert boxes[-1][0] == "warning" and "不是 Excel 工作簿" in boxes[-1][1]


def test_choose_dialog_lists_the_forms(qtbot, tmp_path, seed1, seed2):
    book = tmp_path / "两张.xlsx"
    handmade_book(book, [seed1, seed2])
    items = import_workbook(book)
    dlg = excel_actions.ChooseFormDialog(items, book.name)
    qtbot.addWidget(dlg)
    texts = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert "公共事务协管经费" in texts[0] and "城管以奖促治经费" in texts[1] and "错误" in texts[1]
    dlg.list.setCurrentRow(1)
    dlg.all_button.click()
    assert dlg.result() == dlg.DialogCode.Accepted and dlg.save_all and dlg.chosen() == 1


def test_several_forms_pick_one(qtbot, tmp_path, seed1, seed2, monkeypatch, boxes):
    book = tmp_path / "两张.xlsx"
    handmade_book(book, [seed1, seed2])
    w = StandIn()
    qtbot.addWidget(w)
    _open_returns(monkeypatch, book)
    monkeypatch.setattr(excel_actions, "choose_form", lambda window, items, name: (1, False))
    excel_actions.import_excel(w)
    [(form, path)] = w.opened
    assert form.project_name == "城管以奖促治经费" and path is None


def test_several_forms_save_all_into_a_folder(qtbot, tmp_path, seed1, seed2, monkeypatch, boxes, cn_dir):
    book = tmp_path / "两张.xlsx"
    handmade_book(book, [seed1, seed2])
    (cn_dir / "公共事务协管经费.json").write_text("已有的文件", encoding="utf-8")
    w = StandIn()
    qtbot.addWidget(w)
    _open_returns(monkeypatch, book)
    monkeypatch.setattr(excel_actions, "choose_form", lambda window, items, name: (0, True))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(cn_dir))
    excel_actions.import_excel(w)
    assert (cn_dir / "公共事务协管经费.json").read_text(encoding="utf-8") == "已有的文件"  # not overwritten
    saved = sorted(p.name for p in cn_dir.glob("*.json"))
    assert saved == ["公共事务协管经费.json", "公共事务协管经费（2）.json", "城管以奖促治经费.json"]
    [(form, path)] = w.opened
    assert path == cn_dir / "公共事务协管经费（2）.json"
    assert inputs(load_form(cn_dir / "城管以奖促治经费.json")) == inputs(seed2)
    # the same again: the first files stay as they are, the second import is （2） beside them — as on the
    # command line (`import BOOK -o FOLDER`), which goes through the same save_imported
    before = {p.name: p.read_bytes() for p in cn_dir.glob("*.json")}
    excel_actions.import_excel(w)
    after = {p.name: p.read_bytes() for p in cn_dir.glob("*.json")}
    assert {n: after[n] for n in before} == before
    assert sorted(set(after) - set(before)) == ["公共事务协管经费（3）.json", "城管以奖促治经费（2）.json"]


def test_export_default_name_and_notes(qtbot, tmp_path, seed1, monkeypatch, boxes, cn_dir):
    src = cn_dir / "协管经费.json"
    w = StandIn(seed1, src)
    qtbot.addWidget(w)
    asked = {}

    def save_dialog(parent, title, suggested, filt):
        asked["suggested"] = suggested
        return str(cn_dir / "导出的表"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    out = excel_actions.export_excel(w)
    assert asked["suggested"] == str(cn_dir / "协管经费_草稿.xlsx")  # seed 1 has errors: the draft
    assert out == cn_dir / "导出的表.xlsx" and out.exists()
    kind, text = boxes[-1]
    assert kind == "information" and "1000" in text  # the formula shows 100, the form said 1000
    [item] = import_workbook(out)
    assert item.form.project_name == "公共事务协管经费"


def test_export_unsaved_form_is_named_after_the_project(qtbot, tmp_path, seed2, monkeypatch, boxes):
    w = StandIn(seed2, None)
    qtbot.addWidget(w)
    assert excel_actions.default_xlsx_path(w).name == "城管以奖促治经费_2020.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert excel_actions.export_excel(w) is None


def test_export_failure_is_a_sentence(qtbot, tmp_path, seed2, monkeypatch, boxes):
    w = StandIn(seed2, None)
    qtbot.addWidget(w)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "没有" / "x.xlsx"), ""))
    assert excel_actions.export_excel(w) is None
    assert boxes[-1][0] == "warning" and "无法写入" in boxes[-1][1]


def test_import_runs_off_the_gui_thread_and_can_be_cancelled(qtbot, monkeypatch, boxes, tmp_path):
    """A slow workbook: the window keeps handling events, a progress dialog offers 取消, and 取消 stops it."""
    import threading
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    seen = {"threads": set(), "ticks": 0, "dialog": None}

    def slow_import(path, progress, template=None):
        seen["threads"].add(threading.current_thread())
        for _ in range(500):  # 10 s unless cancelled
            progress("Sheet1")
            time.sleep(0.02)
        raise AssertionError(f"not cancelled: {seen}")

    def tick():  # runs on the GUI thread while the import works
        seen["ticks"] += 1
        dialogs = [d for d in QApplication.topLevelWidgets() if isinstance(d, QProgressDialog)]
        dialogs += w.findChildren(QProgressDialog)
        if dialogs and seen["ticks"] > 5:
            seen["dialog"] = dialogs[0].labelText()
            [button] = dialogs[0].findChildren(QPushButton)
            assert button.text() == "取消"
            button.click()
        else:
            QTimer.singleShot(100, tick)

    monkeypatch.setattr(excel_actions, "import_document", slow_import)
    w = StandIn()
    qtbot.addWidget(w)
    QTimer.singleShot(100, tick)
    t0 = time.monotonic()
    assert excel_actions.import_excel(w, tmp_path / "慢.xlsx") is None
    assert time.monotonic() - t0 < 8  # stopped by 取消, not by the end of the work
    assert threading.main_thread() not in seen["threads"]
    assert "慢.xlsx" in seen["dialog"]
    assert w.opened == [] and boxes == []
