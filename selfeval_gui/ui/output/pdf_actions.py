"""导出PDF… and 打印… for the main window (through its session: ui/form/session.py).

Printing prints the very pages of the exported PDF: the PDF is built in memory and each page is rasterised
with pypdfium2 into the QPrinter (Qt's own PDF module is not in PySide6-Essentials).  pypdfium2 is imported
only when printing, so export keeps working on an install without it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRect, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QMessageBox

from selfeval_gui.domain.vocabulary import DRAFT
from selfeval_gui.files.naming import draft_stem, safe_stem
from selfeval_gui.files.pdf.form_pdf import PdfResult, render_pdf, write_pdf
from selfeval_gui.ui.common import qt_words
from selfeval_gui.ui.common.action_support import busy, documents_dir, show_error
from selfeval_gui.ui.form.session import FormSession
from selfeval_gui.ui.output.output_check import choose_copy

log = logging.getLogger(__name__)

TITLE_EXPORT = "导出PDF"
TITLE_PRINT = "打印"
MAX_PRINT_DPI = 300  # a 1200-dpi printer would otherwise get 140-megapixel page images


FAILED = "生成 PDF 时出错"  # the start of the sentence for an error that has no clerk's message of its own


def default_pdf_path(session: FormSession, draft: bool = False) -> Path:
    """Beside the form's file with .pdf; an unsaved form goes to Documents under its project name."""
    path = session.current_path()
    stem = Path(path).stem if path else safe_stem(session.current_form().project_name)
    folder = Path(path).parent if path else documents_dir()
    return folder / f"{draft_stem(stem, draft)}.pdf"


def _source_name(session: FormSession) -> str | None:
    path = session.current_path()
    return Path(path).name if path else None


def _notes_text(result: PdfResult) -> str:
    return ("\n\n" + "\n".join(result.notes)) if result.notes else ""


def export_pdf(session: FormSession) -> Path | None:
    """Check, ask where, write the PDF (final, or the draft the clerk chose), then offer to open its folder.
    Returns the path written, or None."""
    kind = choose_copy(session, TITLE_EXPORT)
    if kind is None:
        return None
    draft = kind == DRAFT
    out = qt_words.save_file_name(
        session.widget, TITLE_EXPORT, str(default_pdf_path(session, draft)), "PDF 文件 (*.pdf)"
    )
    if not out:
        return None
    out_path = Path(out)
    if out_path.suffix.lower() != ".pdf":
        out_path = out_path.with_name(out_path.name + ".pdf")
    try:
        with busy():
            result = write_pdf(session.current_form(), out_path, source_name=_source_name(session), draft=draft)
    except Exception as e:  # the clerk gets a sentence, the form stays as it is
        log.warning("PDF 没有导出到 %s", out_path, exc_info=True)
        show_error(session.widget, TITLE_EXPORT, "PDF 没有导出。", e, FAILED)
        return None
    answer = QMessageBox.question(
        session.widget,
        TITLE_EXPORT,
        f"已导出{'草稿' if draft else ''} PDF（共 {result.pages} 页）：\n{out_path}{_notes_text(result)}"
        "\n\n要打开所在的文件夹吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    if answer == QMessageBox.StandardButton.Yes:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(out_path.parent)))
    return out_path


def paint_pages(printer: QPrinter, pdf_data: bytes) -> int:
    """Rasterise the PDF's pages into the printer, one printer page each; returns the pages printed."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf_data)
    try:
        total = len(doc)
        first, last = printer.fromPage(), printer.toPage()  # 0 means "all"
        wanted = range((first or 1) - 1, min(last or total, total))
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("打印机无法开始打印")
        # the on-screen preview scales the page image down: filter it so thin table rules do not vanish
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        printed = 0
        try:
            for n in wanted:
                if printed:
                    printer.newPage()
                bitmap = doc[n].render(scale=dpi / 72, prefer_bgrx=True)
                image = QImage(
                    bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32
                ).copy()  # copy: the bitmap's memory goes away
                target = printer.pageLayout().fullRectPixels(printer.resolution())
                painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
                printed += 1
        finally:
            painter.end()
        return printed
    finally:
        doc.close()


def make_printer(session: FormSession) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF page already has its margins
    form = session.current_form()
    printer.setDocName(f"{form.title}{form.year_label}{form.project_name}")
    return printer


def print_form(session: FormSession) -> None:
    """A print preview of the PDF's pages (print_preview.py); printing from it prints exactly those pages."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        QMessageBox.information(
            session.widget,
            TITLE_PRINT,
            "打印预览需要 pypdfium2 组件，当前安装中没有。\n请先用“导出PDF…”导出，再用 PDF 阅读器打开后打印。",
        )
        return
    kind = choose_copy(session, TITLE_PRINT)
    if kind is None:
        return
    try:
        with busy():
            result = render_pdf(session.current_form(), source_name=_source_name(session), draft=kind == DRAFT)
    except Exception as e:
        log.warning("打印内容没有生成", exc_info=True)
        show_error(session.widget, TITLE_PRINT, "无法生成打印内容。", e, FAILED)
        return
    if result.notes:
        QMessageBox.information(session.widget, TITLE_PRINT, "\n".join(result.notes))
    from selfeval_gui.ui.output.print_preview import PrintPreview

    def print_pages(dialog) -> None:
        printer = make_printer(session)
        ask = QPrintDialog(printer, dialog)
        ask.setWindowTitle(TITLE_PRINT)
        if not run_print_dialog(ask):
            return
        try:
            with busy():
                paint_pages(printer, result.data)
        except Exception as e:
            log.warning("打印失败", exc_info=True)
            show_error(session.widget, TITLE_PRINT, "打印失败。", e, FAILED)
            return
        dialog.accept()

    preview = PrintPreview(result.data, print_pages, session.widget)
    run_preview(preview)


def run_preview(preview) -> None:
    """Shows the preview modally; tests replace this to look at it."""
    preview.exec()


def run_print_dialog(dialog: QPrintDialog) -> bool:
    return bool(dialog.exec())
