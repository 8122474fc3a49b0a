"""The print preview: the PDF's pages as they will be printed, sharp at every zoom and screen scale.

Qt's QPrintPreviewDialog draws a print-resolution image scaled down to the screen (blurred) and opens at a fixed
size; this one renders each page with pypdfium2 at exactly the pixels it is shown with (zoom × the screen's
device pixel ratio), fits the screen, opens fitted to the width, and has page navigation and a labelled 打印
button.  Printing prints the same PDF pages (pdf_actions.paint_pages).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from selfeval_gui.ui.common import look

log = logging.getLogger(__name__)

FIT_WIDTH, FIT_PAGE = "fit-width", "fit-page"
ZOOMS = (
    (FIT_WIDTH, "适合宽度"),
    (FIT_PAGE, "整页"),
    (0.5, "50%"),
    (0.75, "75%"),
    (1.0, "100%"),
    (1.5, "150%"),
    (2.0, "200%"),
)
A4_POINTS = (595.0, 842.0)


def fitted_size(available_width: int, available_height: int) -> tuple[int, int]:
    """The dialog's size on a screen of that free area: most of its height, an A4 page's width fitted to it."""
    height = int(available_height * 0.92)
    width = min(int(available_width * 0.9), max(640, int(height * 0.85)))
    return width, height


class PrintPreview(QDialog):
    """pages: the PDF bytes; print_pdf: called with the dialog when the clerk presses 打印."""

    def __init__(self, pdf_data: bytes, print_pdf: Callable[[QWidget], None], parent=None):
        super().__init__(parent)
        import pypdfium2 as pdfium

        self.setWindowTitle("打印预览")
        self._doc = pdfium.PdfDocument(pdf_data)
        self.page_count = len(self._doc)
        self.page = 0
        self._print = print_pdf
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pane = QScrollArea()
        self.pane.setWidget(self.image)
        self.pane.setWidgetResizable(True)
        self.pane.setAlignment(Qt.AlignmentFlag.AlignCenter)
        back = look.PREVIEW_BACK
        self.pane.setStyleSheet(f"QScrollArea {{ background: {back}; }} QLabel {{ background: {back}; }}")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(self._build_bar())
        lay.addWidget(self.pane, 1)
        self._rerender = QTimer(self)
        self._rerender.setSingleShot(True)
        self._rerender.setInterval(60)
        self._rerender.timeout.connect(self.render_page)
        self._fit_screen()
        self.finished.connect(self._close_document)

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.prev_button = QPushButton("◀ 上一页")
        self.next_button = QPushButton("下一页 ▶")
        self.page_label = QLabel()
        self.zoom = QComboBox()
        for value, text in ZOOMS:
            self.zoom.addItem(text, value)
        self.zoom.setToolTip("缩放：适合宽度 / 整页 / 百分比")
        self.print_button = QPushButton("打印…")
        self.print_button.setToolTip("选择打印机并打印这些页（Ctrl+P）")
        self.close_button = QPushButton("关闭")
        self.prev_button.clicked.connect(lambda: self.go(self.page - 1))
        self.next_button.clicked.connect(lambda: self.go(self.page + 1))
        self.zoom.currentIndexChanged.connect(lambda *_: self.render_page())
        self.print_button.clicked.connect(lambda: self._print(self))
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, lambda: self._print(self))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.go(self.page + 1))
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.go(self.page - 1))
        for w in (self.prev_button, self.page_label, self.next_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(QLabel("缩放："))
        bar.addWidget(self.zoom)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.close_button)
        self.print_button.setDefault(True)
        return bar

    def _fit_screen(self) -> None:
        parent = self.parentWidget()
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(800, 600)
            return
        avail = screen.availableGeometry()
        self.resize(*fitted_size(avail.width(), avail.height()))

    def _close_document(self, *_) -> None:
        self._rerender.stop()
        if self._doc is not None:
            self._doc.close()
            self._doc = None

    def go(self, page: int) -> None:
        if 0 <= page < self.page_count:
            self.page = page
            self.render_page()
            self.pane.verticalScrollBar().setValue(0)

    def scale(self) -> float:
        """Screen pixels (logical) per PDF point at the chosen zoom."""
        mode = self.zoom.currentData()
        w, h = self._doc[self.page].get_size() if self.page_count and self._doc is not None else A4_POINTS
        view = self.pane.viewport().size()
        bar = self.pane.verticalScrollBar().sizeHint().width()
        if mode == FIT_WIDTH:
            return max(0.1, (view.width() - bar - 8) / w)
        if mode == FIT_PAGE:
            return max(0.1, min((view.width() - 8) / w, (view.height() - 8) / h))
        return float(mode) * self.logicalDpiX() / 72

    def render_page(self) -> None:
        """Render the page at the pixels it is shown with: sharp at any zoom and device pixel ratio."""
        if self._doc is None:
            return
        if not self.page_count:
            self.page_label.setText("（没有页面）")
            return
        ratio = self.devicePixelRatioF()
        bitmap = self._doc[self.page].render(scale=self.scale() * ratio, prefer_bgrx=True)
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB32).copy()
        image.setDevicePixelRatio(ratio)
        self.image.setPixmap(QPixmap.fromImage(image))
        self.page_label.setText(f"第 {self.page + 1} / {self.page_count} 页")
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < self.page_count - 1)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.render_page()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.zoom.currentData() in (FIT_WIDTH, FIT_PAGE):
            self._rerender.start()

    def shown_pixmap_size(self) -> tuple[int, int]:
        """The page image's size in device pixels (for tests)."""
        pm = self.image.pixmap()
        return pm.width(), pm.height()
