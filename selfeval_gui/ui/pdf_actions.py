"""导出PDF… and 打印… for the main window.

Printing prints the very pages of the exported PDF: the PDF is built in memory and each page is rasterised
with pypdfium2 into the QPrinter (Qt's own PDF module is not in PySide6-Essentials).  pypdfium2 is imported
only when printing, so export keeps working on an install without it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRect, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPainter, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ..files.pdf import PdfResult, render_pdf, write_pdf

TITLE_EXPORT = "导出PDF"
TITLE_PRINT = "打印"
MAX_PRINT_DPI = 300  # a 1200-dpi printer would otherwise get 140-megapixel page images


def _clerk_message(e: Exception) -> str:
    msg = getattr(e, "clerk_message", None)
    if msg:
        return msg
    if isinstance(e, OSError):
        return f"无法写入文件：{e.strerror or e}"
    return f"生成 PDF 时出错（{type(e).__name__}：{e}）。表中填写的内容没有受影响。"


def _safe_stem(name: str) -> str:
    bad = '<>:"/\\|?*\n\r\t'
    return "".join("_" if c in bad else c for c in name).strip(" .")[:80] or "绩效自评表"


def default_pdf_path(window) -> Path:
    """Beside the form's file with .pdf; an unsaved form goes to Documents under its project name."""
    path = window.current_path()
    if path:
        return Path(path).with_suffix(".pdf")
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(docs) / f"{_safe_stem(window.current_form().project_name)}.pdf"


def _source_name(window) -> str | None:
    path = window.current_path()
    return Path(path).name if path else None


def _notes_text(result: PdfResult) -> str:
    return ("\n\n" + "\n".join(result.notes)) if result.notes else ""


def export_pdf(window) -> Path | None:
    """Ask where, write the PDF, then offer to open its folder.  Returns the path written, or None."""
    out, _ = QFileDialog.getSaveFileName(window, TITLE_EXPORT, str(default_pdf_path(window)), "PDF 文件 (*.pdf)")
    if not out:
        return None
    out_path = Path(out)
    if out_path.suffix.lower() != ".pdf":
        out_path = out_path.with_name(out_path.name + ".pdf")
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = write_pdf(window.current_form(), out_path, source_name=_source_name(window))
    except Exception as e:  # the clerk gets a sentence, the form stays as it is
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(window, TITLE_EXPORT, f"PDF 没有导出。\n\n{_clerk_message(e)}")
        return None
    QGuiApplication.restoreOverrideCursor()
    answer = QMessageBox.question(
        window, TITLE_EXPORT,
        f"已导出 PDF（共 {result.pages} 页）：\n{out_path}{_notes_text(result)}\n\n要打开所在的文件夹吗？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
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
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                               QImage.Format.Format_RGB32).copy()  # copy: the bitmap's memory goes away
                target = printer.pageLayout().fullRectPixels(printer.resolution())
                painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
                printed += 1
        finally:
            painter.end()
        return printed
    finally:
        doc.close()


def make_printer(window) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF page already has its margins
    form = window.current_form()
    printer.setDocName(f"{form.title}{form.year_label}{form.project_name}")
    return printer


def print_form(window) -> None:
    """A print preview of the PDF's pages; printing from it prints exactly those pages."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        QMessageBox.information(window, TITLE_PRINT, "打印预览需要 pypdfium2 组件，当前安装中没有。\n"
                                                     "请先用“导出PDF…”导出，再用 PDF 阅读器打开后打印。")
        return
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = render_pdf(window.current_form(), source_name=_source_name(window))
    except Exception as e:
        QGuiApplication.restoreOverrideCursor()
        QMessageBox.warning(window, TITLE_PRINT, f"无法生成打印内容。\n\n{_clerk_message(e)}")
        return
    QGuiApplication.restoreOverrideCursor()
    if result.notes:
        QMessageBox.information(window, TITLE_PRINT, "\n".join(result.notes))
    printer = make_printer(window)  # kept referenced: the dialog does not own it, and Qt crashes without it
    dialog = QPrintPreviewDialog(printer, window)
    dialog.setWindowTitle("打印预览")

    def paint(printer: QPrinter) -> None:
        try:
            paint_pages(printer, result.data)
        except Exception as e:
            QMessageBox.warning(window, TITLE_PRINT, f"打印失败。\n\n{_clerk_message(e)}")

    dialog.paintRequested.connect(paint)
    dialog.resize(900, 1000)
    dialog.exec()
