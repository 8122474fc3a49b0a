"""Issue 15 through the real window: the check before output, 输出草稿, the final copy once the errors are fixed,
定稿 (read-only everywhere, kept over save and reopen), 撤销定稿, a hand-edited finalized file, 导出报送材料."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFileDialog, QMessageBox

from selfeval_gui.files.formfile import fingerprint, load_form, save_form
from selfeval_gui.ui.form.funds_model import COL as FCOL
from selfeval_gui.ui.form.indicator_columns import COL
from selfeval_gui.ui.output import final_actions, output_check

from .support import SEED2
from .test_final_copy import page_texts
from .ui_support import BoxRecorder, open_window, type_into_cell, type_into_field


@pytest.fixture
def boxes(monkeypatch):
    return BoxRecorder(monkeypatch, answer=QMessageBox.Yes)


@pytest.fixture
def win(qtbot, cn_dir):
    path = cn_dir / "城管以奖促治经费_2020.json"
    shutil.copy(SEED2, path)
    w = open_window(qtbot, load_form(path), path)
    qtbot.waitExposed(w)
    return w


def _dialog_does(monkeypatch, action):
    """Replace the modal run of the check dialog: record what it lists, then do `action` to it."""
    seen = []

    def run(dlg):
        seen.append([dlg.list.item(n).text() for n in range(dlg.list.count())])
        action(dlg)

    monkeypatch.setattr(output_check, "run_dialog", run)
    return seen


def _save_to(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_export_shows_the_errors_and_back_writes_nothing(win, monkeypatch, boxes, cn_dir):
    seen = _dialog_does(monkeypatch, lambda dlg: dlg.back_button.click())
    _save_to(monkeypatch, cn_dir / "x.pdf")
    win.export_pdf()
    win.print_form()
    win.export_excel()
    assert len(seen) == 3
    errors = [t for t in seen[0] if t.startswith("【错误】")]
    assert len(errors) == 3 and any("完成课程数" in t and "4.67" in t for t in errors)
    assert any(t.startswith("【警告】") for t in seen[0])  # warnings listed after the errors
    assert seen[0].index(errors[-1]) < min(n for n, t in enumerate(seen[0]) if not t.startswith("【错误】"))
    assert not list(cn_dir.glob("*.pdf")) and not list(cn_dir.glob("*.xlsx"))


def test_the_dialog_defaults_to_back_and_a_click_goes_to_the_cell(win, monkeypatch, boxes, cn_dir):
    def click_course(dlg):
        assert dlg.back_button.isDefault() and not dlg.draft_button.isDefault()
        item = next(dlg.list.item(n) for n in range(dlg.list.count()) if "完成课程数 › 得分" in dlg.list.item(n).text())
        dlg.list.itemClicked.emit(item)
        assert not dlg.isVisible()

    _dialog_does(monkeypatch, click_course)
    _save_to(monkeypatch, cn_dir / "x.pdf")
    win.export_pdf()
    assert win.sheet.tree.currentIndex() == win.sheet.model.index_for_path((0, 0, 0), COL["score"])
    assert not (cn_dir / "x.pdf").exists()


def test_draft_from_the_window(win, monkeypatch, boxes, cn_dir):
    _dialog_does(monkeypatch, lambda dlg: dlg.draft_button.click())
    out = cn_dir / "草稿.pdf"
    _save_to(monkeypatch, out)
    win.export_pdf()
    pages = page_texts(out)
    assert all("草稿" in p for p in pages)
    assert pages[-1].startswith("检查结果") and "完成课程数" in pages[-1] and "4.67" in pages[-1]


def fix_errors(qtbot, win):
    """What the clerk does about seed 2's three errors."""
    tree, model = win.sheet.tree, win.sheet.model
    type_into_cell(qtbot, tree, model.index_for_path((0, 0, 0), COL["score"]), "4.67")
    type_into_cell(qtbot, tree, model.index_for_path((0, 0, 0), COL["deviation"]), "受疫情影响线下课程减少")
    type_into_field(qtbot, win.sheet.totals.stated_weight, "100")
    type_into_field(qtbot, win.sheet.totals.stated_score, "90.67")
    assert not [f for f in win.doc.findings if f.level == "error"]


def test_with_the_errors_fixed_the_pdf_is_final(qtbot, win, monkeypatch, boxes, cn_dir):
    seen = _dialog_does(monkeypatch, lambda dlg: dlg.draft_button.click())
    fix_errors(qtbot, win)
    out = cn_dir / "正式.pdf"
    _save_to(monkeypatch, out)
    win.export_pdf()
    assert seen == []  # no errors: no dialog
    text = "".join(page_texts(out))
    assert "应为" not in text and "草稿" not in text and "4.67" in text


def _base(widget) -> str:
    """The background colour a field is drawn with."""
    return widget.palette().color(QPalette.ColorRole.Base).name()


def test_finalize_makes_the_form_read_only_and_survives_reopen(qtbot, win, monkeypatch, boxes, cn_dir):
    model, funds = win.sheet.model, win.sheet.funds_model
    fix_errors(qtbot, win)
    assert win.act_undo.isEnabled()
    win.finalize()
    path = win.current_path()
    assert not win.doc.is_modified() and load_form(path).finalized is not None
    fp = fingerprint(win.doc.form)
    # every cell, field and row action is read-only, and nothing earlier can be undone
    for p in ((0, 0, 0), (2, 0, 1)):
        for key in ("name", "target", "actual", "weight", "score", "deviation"):
            assert not model.flags(model.index_for_path(p, COL[key])) & Qt.ItemIsEditable
    assert not any(
        funds.flags(funds.index(r, c)) & Qt.ItemIsEditable
        for r in range(funds.rowCount())
        for c in range(funds.columnCount())
    )
    assert all(w.isReadOnly() for w, _l, _k in win.sheet.binder.bindings.values())
    assert {_base(w) for w, _l, _k in win.sheet.binder.bindings.values()} == {"#f3f3f3"}  # grey, as on paper
    assert not any(a.isEnabled() for a in (win.act_add, win.act_delete, win.act_up, win.act_down, win.act_undo))
    assert not win.act_finalize.isEnabled() and win.act_unfinalize.isEnabled() and win.act_package.isEnabled()
    assert win.banner.isVisible() and f"指纹 {fp}" in win.banner.text() and "请先撤销定稿" in win.banner.text()
    win.sheet.tree.setCurrentIndex(model.index_for_path((0, 0, 0), COL["name"]))
    win.add_indicator()
    assert len(win.doc.form.rows_at(0, 0)) == 1 and "已定稿" in win.status_message()
    # reopened in a new window: still read-only, with the banner
    again = open_window(qtbot, load_form(path), path)
    assert again.doc.read_only and again.banner.isVisible() and fp in again.banner.text()
    assert not again.sheet.model.flags(again.sheet.model.index_for_path((0, 0, 0), COL["score"])) & Qt.ItemIsEditable
    assert again.sheet.binder.widget("project_name").isReadOnly()
    assert not [f for f in again.doc.findings if f.where == "定稿"]


def test_unfinalize_asks_and_restores_editing(qtbot, win, monkeypatch, boxes, cn_dir):
    fix_errors(qtbot, win)
    win.finalize()
    fp = win.doc.form.finalized.fingerprint
    boxes.answer = QMessageBox.No
    win.unfinalize()
    assert win.doc.read_only  # the clerk said no
    boxes.answer = QMessageBox.Yes
    win.unfinalize()
    assert not win.doc.read_only and not win.banner.isVisible()
    assert "#f3f3f3" not in {_base(w) for w, _l, _k in win.sheet.binder.bindings.values()}
    idx = win.sheet.model.index_for_path((0, 0, 0), COL["score"])
    assert win.sheet.model.flags(idx) & Qt.ItemIsEditable
    type_into_cell(qtbot, win.sheet.tree, idx, "5")
    assert win.doc.form.tree[0].children[0].indicators[0].score == 5
    saved = load_form(win.current_path())
    assert saved.finalized is None and [h.fingerprint for h in saved.history] == [fp]


def test_finalize_is_refused_while_there_are_errors(win, boxes):
    win.finalize()
    assert not win.doc.read_only and any("不能定稿" in t for t in boxes.texts("warning"))
    assert load_form(win.current_path()).finalized is None


def test_a_finalized_file_edited_by_hand_opens_with_the_warning(qtbot, clean2, cn_dir, boxes):
    path = cn_dir / "定稿.json"
    clean2.finalize("2021-02-25T09:30:00", fingerprint(clean2))
    save_form(clean2, path)
    path.write_text(path.read_text(encoding="utf-8").replace('"4.67"', '"5"'), encoding="utf-8")
    w = open_window(qtbot, load_form(path), path)
    texts = w.findings.texts()
    assert any(t.startswith("【警告】定稿") and clean2.finalized.fingerprint in t for t in texts)


def test_package_from_the_window(qtbot, win, monkeypatch, boxes, cn_dir):
    opened = []
    monkeypatch.setattr(final_actions, "open_folder", opened.append)
    win.export_package()
    assert any("定稿" in t for t in boxes.texts("information"))  # not finalized yet: nothing written
    fix_errors(qtbot, win)
    win.finalize()
    out = cn_dir / "报送" / "材料.zip"
    out.parent.mkdir()
    monkeypatch.setattr(final_actions, "ask_package_target", lambda window, stem: out)
    win.export_package()
    with zipfile.ZipFile(out) as z:
        names = [
            *(f"城管以奖促治经费_2020_定稿{s}" for s in (".json", ".pdf", ".xlsx")),
            "城管以奖促治经费_2020_自评报告.docx",
        ]
        assert sorted(z.namelist()) == sorted(names)
    assert opened == [out.parent]


def test_funds_cells_stay_editable_in_a_draft(win):
    idx = win.sheet.funds_model.index(0, FCOL["budget"])
    assert win.sheet.funds_model.flags(idx) & Qt.ItemIsEditable


def test_a_cancelled_save_leaves_the_form_a_draft_with_its_undo(qtbot, clean2, monkeypatch, boxes):
    w = open_window(qtbot, clean2, None)  # never saved: 定稿 has to ask where
    type_into_field(qtbot, w.sheet.binder.widget("leader"), "王兴昌")
    assert w.act_undo.isEnabled()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not final_actions.finalize(w.session)
    assert not w.doc.read_only and w.doc.form.finalized is None and not w.banner.isVisible()
    assert w.act_undo.isEnabled() and w.sheet.binder.widget("leader").isReadOnly() is False


def test_a_version_1_file_opens_in_the_window_and_saves_as_version_2(qtbot, cn_dir, boxes):
    import json

    data = json.loads(SEED2.read_text(encoding="utf-8"))
    data["version"] = 1
    del data["status"]
    path = cn_dir / "旧版本.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    w = open_window(qtbot)
    assert w.open_path(path, ask=False)
    assert w.sheet.binder.widget("project_name").text() == "城管以奖促治经费" and not w.doc.read_only
    assert w.save()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["version"] == 2 and saved["status"]["state"] == "draft"
    assert {k: v for k, v in saved.items() if k not in ("version", "status")} == {
        k: v for k, v in data.items() if k != "version"
    }
