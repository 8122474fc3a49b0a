"""What the parts of the 绩效指标 model share: the index scheme and the state the document feeds.

Index scheme: internalId 0 = a 一级 row; 1 + i = a 二级 row under 一级 i; BASE + (i << 12) + j = a 三级
row under 二级 (i, j).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

if TYPE_CHECKING:
    from selfeval_gui.ui.form.document import FormDocument

BASE = 1 << 24  # internalId of a 三级 row: BASE + (i << 12) + j
ROLE = Qt.ItemDataRole
CENTER = int(Qt.AlignmentFlag.AlignCenter)
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
Path = tuple[int, ...]


class IndicatorModelBase(QAbstractItemModel):
    """The state every part of the model reads (set by IndicatorModel.__init__): the document, the latest
    results by path and by indicator, and what was shown last (for repainting only what changed)."""

    doc: FormDocument
    _results: dict  # path -> IndicatorResult of the latest evaluation
    _by_ind: dict  # id(indicator) -> IndicatorResult
    _l1_sig: dict[int, str]
    _errors: set
    _pending: set  # id() of indicators whose inputs changed since the last evaluation
    _bold: QFont
