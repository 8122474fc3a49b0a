"""End to end through the real window: 导出Excel… and 导出PDF… from the open form, then 导入Excel… into a fresh
window, and what the clerk sees afterwards."""

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QMessageBox

from selfeval_gui.ui.form.funds_model import COL as FCOL
from selfeval_gui.ui.form.indicator_columns import COL
from selfeval_gui.ui.output import excel_actions

from .support import SEED2
from .ui_support import BoxRecorder, open_window, shown


@pytest.fixture(autouse=True)
def as_draft(monkeypatch):
    """The check before output: the seed has errors; the clerk chooses 输出草稿."""
    from selfeval_gui.ui.output import output_check

    monkeypatch.setattr(output_check, "run_dialog", lambda dlg: dlg.draft_button.click())


@pytest.fixture(autouse=True)
def boxes(monkeypatch):
    rec = BoxRecorder(monkeypatch, answer=QMessageBox.No)  # "open the folder?" → no
    monkeypatch.setattr(excel_actions, "_show", lambda box: rec.calls.append(("box", box.text())))
    return rec


def _window(qtbot, form=None, path=None):
    return open_window(qtbot, form, path)


def test_export_from_the_window_and_import_into_another(qtbot, seed2, cn_dir, monkeypatch, boxes):
    w = _window(qtbot, seed2, SEED2)
    book, pdf = cn_dir / "以奖促治.xlsx", cn_dir / "以奖促治.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(book), ""))
    w.export_excel()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pdf), ""))
    w.export_pdf()
    assert book.exists() and pdf.exists()
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert "城管以奖促治经费" in text and "4.67" in text

    fresh = _window(qtbot)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(book), ""))
    fresh.import_excel()
    assert fresh.current_form().project_name == "城管以奖促治经费"
    assert fresh.current_path() is None
    assert shown(fresh.sheet.funds_model.index(0, FCOL["rate"])) == "60%"
    course = fresh.sheet.model.index_for_path((0, 0, 0), COL["computed"])
    assert shown(course) == "4.67"
    assert any("4.67" in t for t in fresh.findings.texts())
    assert "*" in fresh.windowTitle()  # imported, not yet saved
