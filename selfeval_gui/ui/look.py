"""Colours the tables share, so the funds grid and the indicator tree mark things alike.

(How many decimals a number may have is the domain's rule: selfeval_gui.domain.number_rules.)
"""
import logging

from PySide6.QtGui import QBrush, QColor

log = logging.getLogger(__name__)

ERROR_BG = QBrush(QColor("#fde2e2"))  # a cell with an error finding
COMPUTED_BG = QBrush(QColor("#f4f6f8"))  # a computed, read-only cell
GROUP_BG = QBrush(QColor("#eef2f7"))  # 一级 / 二级 rows
MISMATCH_FG = QBrush(QColor("#c0392b"))  # a computed score that differs from the entered one
MUTED_FG = QBrush(QColor("#7f8c8d"))
