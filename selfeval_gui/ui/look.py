"""Colours and number places the tables share, so the funds grid and the indicator tree mark things alike."""
from PySide6.QtGui import QBrush, QColor

ERROR_BG = QBrush(QColor("#fde2e2"))  # a cell with an error finding
COMPUTED_BG = QBrush(QColor("#f4f6f8"))  # a computed, read-only cell
GROUP_BG = QBrush(QColor("#eef2f7"))  # 一级 / 二级 rows
MISMATCH_FG = QBrush(QColor("#c0392b"))  # a computed score that differs from the entered one
MUTED_FG = QBrush(QColor("#7f8c8d"))

AMOUNT_PLACES = 4  # 万元 with four decimals is down to the yuan
SCORE_PLACES = 2  # 分值 and 得分 are written with at most two decimals
