"""Colours the tables share, so the funds grid and the indicator tree mark things alike; the grey of a read-only
form; the splitter's grip.

(How many decimals a number may have is the domain's rule: selfeval_gui.domain.number_rules.)
"""

import logging
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette
from PySide6.QtWidgets import QSplitter, QSplitterHandle, QWidget

log = logging.getLogger(__name__)

# Named colours (text in style sheets; QColor/QBrush below are made from them).  Every colour of the ui is here.
RED = "#c0392b"  # errors, a refused entry, a computed score that differs
AMBER = "#b9770e"  # warnings, the grade 中
BLUE = "#2e6da4"  # hints, the grade 良
GREEN = "#1e8449"  # the grade 优
GREY = "#7f8c8d"  # 未填, muted text
DARK_GREY = "#666666"  # notes in the folder list
PREVIEW_BACK = "#808080"  # behind the pages of the print preview
INVALID_BG = "#fff0f0"  # a field or cell holding a refused entry
GRADE_COLORS = {"优": GREEN, "良": BLUE, "中": AMBER, "差": RED}
# a field or cell editor holding a refused entry (the cell editor wraps it in "QLineEdit { … }")
INVALID_STYLE = f"background: {INVALID_BG}; border: 1px solid {RED};"
READ_ONLY_BAR_STYLE = "background:#fff4d6; color:#6b4a00; padding:6px;border-bottom:1px solid #e0c070"
FINAL_BANNER_STYLE = (
    "QLabel#final-banner{background:#e8f4ea;color:#1e6b34;border-bottom:1px solid #9cc9a8;"
    "padding:6px 10px;font-weight:bold}"
)

ERROR_BG = QBrush(QColor("#fde2e2"))  # a cell with an error finding
COMPUTED_BG = QBrush(QColor("#f4f6f8"))  # a computed, read-only cell
GROUP_BG = QBrush(QColor("#eef2f7"))  # 一级 / 二级 rows
MISMATCH_FG = QBrush(QColor(RED))  # a computed score that differs from the entered one
MUTED_FG = QBrush(QColor(GREY))

# A read-only form (finalized, or open elsewhere): every field grey, as read-only fields look on paper.
READ_ONLY_BASE = QColor("#f3f3f3")
READ_ONLY_TEXT = QColor("#333333")
GRIP_FACE = QColor("#f4f4f4")
GRIP_HOVER = QColor("#cfe0f2")
GRIP_EDGE = QColor("#d0d0d0")
GRIP_LINE = QColor("#a0a0a0")


def grey_fields(fields: Iterable[QWidget], grey: bool) -> None:
    """Fields drawn grey (read-only) or back in the normal colours.  A palette, not a style sheet: a style sheet on
    the form sheet made Qt style every widget below it through the style-sheet engine, and re-polish them all on
    each change (about a quarter of the window's build time, issue 12)."""
    for w in fields:
        if grey:
            pal = w.palette()
            pal.setColor(QPalette.ColorRole.Base, READ_ONLY_BASE)
            pal.setColor(QPalette.ColorRole.Text, READ_ONLY_TEXT)
            w.setPalette(pal)
        else:
            w.setPalette(QPalette())  # an empty palette: inherit again


class GripHandle(QSplitterHandle):
    """The splitter's handle drawn as a visible grip (a line across the middle), blue under the mouse: the clerk
    sees that the indicators' part can be made taller."""

    def __init__(self, orientation: Qt.Orientation, parent: QSplitter) -> None:
        super().__init__(orientation, parent)
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.hovered = False

    def enterEvent(self, event) -> None:
        self.hovered = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:
        self.hovered = False
        self.update()
        super().leaveEvent(event)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        r = self.rect()
        p.fillRect(r, GRIP_HOVER if self.hovered else GRIP_FACE)
        p.setPen(GRIP_EDGE)
        p.drawLine(r.left(), r.top(), r.right(), r.top())
        p.drawLine(r.left(), r.bottom(), r.right(), r.bottom())
        if not self.hovered:
            p.setPen(GRIP_LINE)
            mid = r.top() + r.height() // 2
            p.drawLine(r.left(), mid, r.right(), mid)
        p.end()
