"""导出PDF… and 打印… from the GUI, with the dialogs replaced by stand-ins."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from selfeval_gui.files.pdf.form_pdf import render_pdf
from selfeval_gui.ui.output import pdf_actions

from .support import SEED2


class _NoDocument:
    """The stand-in's document: only what the output check asks of it."""

    refusals: dict = {}  # no entry typed and refused

    def make_strict(self):
        pass


class FakeWindow(QWidget):
    """What pdf_actions needs of the session (ui/form/session.py)."""

    def __init__(self, form, path):
        super().__init__()
        self._form, self._path = form, path

    def current_form(self):
        return self._form

    def current_path(self):
        return self._path

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


@pytest.fixture(autouse=True)
def as_draft(monkeypatch):
    """The check before output: seed 2 has errors; the clerk chooses 输出草稿."""
    from selfeval_gui.ui.output import output_check

    monkeypatch.setattr(output_check, "run_dialog", lambda dlg: dlg.draft_button.click())


@pytest.fixture
def window(qtbot, seed2, cn_dir):
    path = cn_dir / "城管以奖促治经费_2020.json"
    shutil.copy(SEED2, path)
    w = FakeWindow(seed2, path)
    w.tmp_out = cn_dir / "printed.pdf"
    qtbot.addWidget(w)
    return w


@pytest.fixture
def boxes(monkeypatch):
    """Record message boxes instead of showing them; question() answers Yes."""
    shown = []

    def record(kind, answer=None):
        def box(parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return answer

        return box

    monkeypatch.setattr(QMessageBox, "warning", record("warning"))
    monkeypatch.setattr(QMessageBox, "information", record("information"))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    return shown


def test_export_defaults_beside_the_form_and_offers_the_folder(window, boxes, monkeypatch):
    asked, opened = [], []

    def save_dialog(parent, title, start, filters):
        asked.append(start)
        return str(Path(start).with_name("导出的自评表")), filters  # typed without .pdf

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(pdf_actions.QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    out = pdf_actions.export_pdf(window)
    # seed 2 has errors: the clerk chose the draft, suggested under a name of its own
    assert asked == [str(window.current_path().with_name("城管以奖促治经费_2020_草稿.pdf"))]
    assert out == window.current_path().parent / "导出的自评表.pdf" and out.is_file()
    text = "".join(p.extract_text() for p in PdfReader(str(out)).pages)
    assert "城管以奖促治经费" in text and "城管以奖促治经费_2020.json" in text
    assert boxes[0][0] == "question" and "共 3 页" in boxes[0][2]  # the form's 2 and the findings
    assert opened == [str(out.parent)]


def test_export_cancelled_writes_nothing(window, boxes, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    assert pdf_actions.export_pdf(window) is None
    assert not list(window.current_path().parent.glob("*.pdf")) and boxes == []


def test_export_failure_is_a_chinese_message(window, boxes, monkeypatch):
    target = window.current_path().parent / "不存在的文件夹" / "a.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    assert pdf_actions.export_pdf(window) is None
    assert boxes[0][0] == "warning" and "文件夹不存在" in boxes[0][2]
    assert "Traceback" not in boxes[0][2]


def test_unsaved_form_gets_a_name_from_the_project(qtbot, seed2):
    w = FakeWindow(seed2, None)
    qtbot.addWidget(w)
    assert pdf_actions.default_pdf_path(w).name == "城管以奖促治经费.pdf"


def test_printing_puts_the_pdf_pages_on_paper(window, tmp_path):
    """The pages the preview prints are the PDF's pages: same count, and they carry ink."""
    pytest.importorskip("pypdfium2")
    printer = pdf_actions.make_printer(window)
    printer.setResolution(72)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed_to = tmp_path / "打印.pdf"
    printer.setOutputFileName(str(printed_to))
    data = render_pdf(window.current_form(), source_name="x.json").data
    assert pdf_actions.paint_pages(printer, data) == len(PdfReader(__import__("io").BytesIO(data)).pages) == 2
    assert len(PdfReader(str(printed_to)).pages) == 2
    if shutil.which("pdftoppm"):  # the printed page looks like the PDF's page: about as much ink
        source = tmp_path / "source.pdf"
        source.write_bytes(data)
        assert 0.7 < dark_pixels(printed_to, tmp_path / "printed") / dark_pixels(source, tmp_path / "src") < 1.3


def dark_pixels(pdf: Path, prefix: Path) -> int:
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", str(pdf), str(prefix)], check=True)
    pgm = next(prefix.parent.glob(prefix.name + "*.pgm"))
    pixels = pgm.read_bytes().split(b"\n", 3)[3]
    return sum(1 for b in pixels if b < 160)


def test_print_form_opens_a_preview_whose_print_button_paints_the_pages(window, boxes, monkeypatch, qtbot):
    pytest.importorskip("pypdfium2")
    shown, painted = [], []
    real_paint = pdf_actions.paint_pages

    def paint_to_file(printer, data):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # no real printer in the test
        printer.setOutputFileName(str(window.tmp_out))
        painted.append(real_paint(printer, data))
        return painted[-1]

    monkeypatch.setattr(pdf_actions, "paint_pages", paint_to_file)
    monkeypatch.setattr(pdf_actions, "run_print_dialog", lambda dialog: True)

    def fake_run(preview):  # show it for real, press its 打印 button
        shown.append((preview.windowTitle(), preview.page_count, preview.print_button.text()))
        preview.show()
        qtbot.waitExposed(preview)
        preview.print_button.click()

    monkeypatch.setattr(pdf_actions, "run_preview", fake_run)
    pdf_actions.print_form(window)
    assert shown == [("打印预览", 3, "打印…")]  # the draft: the form's 2 pages and the findings
    assert painted and painted[0] == 3
    assert not [b for b in boxes if b[0] == "warning"]


def test_page_range_is_respected(window, tmp_path):
    pytest.importorskip("pypdfium2")
    printer = pdf_actions.make_printer(window)
    printer.setResolution(72)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "p2.pdf"))
    printer.setFromTo(2, 2)
    data = render_pdf(window.current_form()).data
    assert pdf_actions.paint_pages(printer, data) == 1
    assert re.search(rb"/Count 1\b", (tmp_path / "p2.pdf").read_bytes())
