"""The 绩效指标 tree as a QAbstractItemModel adapter over form.tree (一级 → 二级 → the clerk's 三级 rows).

Nothing is copied: data() reads the domain objects and the document's latest Evaluation.  After every
recalculation only the rows whose shown values changed get dataChanged; rows are inserted, removed and
moved with the begin/end calls, never by resetting the model.

The parts: indicator_columns.py (the columns), indicator_base.py (the index scheme, the shared state),
indicator_rows.py (row structure), indicator_display.py (what a cell shows), indicator_repaint.py (what to
repaint after a recalculation); here the model itself puts them together with editing (flags, setData).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from selfeval_gui.domain.number_rules import NumberError, rule_for
from selfeval_gui.domain.vocabulary import GRADE_LABELS, GRADE_SHORT, grade_from_text
from selfeval_gui.ui.form.indicator_base import ROLE, ROOT, Index
from selfeval_gui.ui.form.indicator_columns import (
    COLUMNS,
    HEADER_TIPS,
    NCOLS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
)
from selfeval_gui.ui.form.indicator_repaint import IndicatorRepaint

if TYPE_CHECKING:
    from selfeval_gui.ui.form.document import FormDocument


def grade_key(value: object) -> str | None:
    """A qualitative grade as chosen (its key) or typed / pasted (vocabulary.grade_from_text); blank or the
    chooser's （未选择） / （可选择） is none; anything else is refused with the words to use."""
    if value in GRADE_LABELS:
        return str(value)
    text = "" if value is None else str(value).strip()
    key = None if text.startswith("（") else grade_from_text(text)
    if key is False:
        raise NumberError("完成等级只能是 " + " / ".join(GRADE_SHORT.values()) + "。")
    return key if isinstance(key, str) else None


class IndicatorModel(IndicatorRepaint):
    def __init__(self, doc: FormDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._results: dict = {}  # path -> IndicatorResult of the latest evaluation
        self._by_ind: dict = {}  # id(indicator) -> IndicatorResult
        self._l1_sig: dict[int, str] = {}
        self._errors: set = set()
        self._pending: set = set()  # id() of indicators whose inputs changed since the last evaluation
        self._bold = QFont()
        self._bold.setBold(True)
        doc.valueChanged.connect(self._on_value_changed)
        doc.evaluated.connect(self._on_evaluated)
        doc.formReplaced.connect(self._on_form_replaced)
        doc.rowAboutToBeInserted.connect(self._before_insert)
        doc.rowInserted.connect(self._after_insert)
        doc.rowAboutToBeRemoved.connect(self._before_remove)
        doc.rowRemoved.connect(self._after_remove)
        doc.rowAboutToBeMoved.connect(self._before_move)
        doc.rowMoved.connect(self._after_move)
        self._remember()

    def columnCount(self, parent: Index = ROOT) -> int:
        return NCOLS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = ROLE.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == ROLE.DisplayRole:
            return self.column_label(COLUMNS[section][0])
        if orientation == Qt.Orientation.Horizontal and role == ROLE.ToolTipRole:
            return HEADER_TIPS.get(COLUMNS[section][0])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.level(index) != 3 or self.doc.read_only:  # locked by another clerk, or finalized
            return base
        key = self.column_key(index)
        if key in TEXT_COLUMNS or key in NUMBER_COLUMNS:
            return base | Qt.ItemFlag.ItemIsEditable
        if key == "grade" and self.is_qualitative(index):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def parse_cell(self, index: Index, value: object) -> object:
        """The stored value for what the clerk typed, or raise NumberError with the Chinese message."""
        key = self.column_key(index)
        if key in NUMBER_COLUMNS:
            return rule_for(key).parse(value if isinstance(value, str) else str(value or ""))
        if key == "grade":
            return grade_key(value)
        return "" if value is None else str(value)

    def cell_target(self, index: Index) -> tuple[object, str, str] | None:
        """(object, attribute, the cell's words) of the input behind an editable cell; None for a heading row."""
        ind = self.indicator_at(index)
        return None if ind is None else (ind, self.column_key(index), COLUMNS[index.column()][1])

    def cell_value(self, index: Index) -> object:
        """The stored input behind an editable cell (None for a heading row)."""
        target = self.cell_target(index)
        return getattr(target[0], target[1], None) if target is not None else None

    def validate(self, index: Index, text: str) -> str | None:
        try:
            self.parse_cell(index, text)
        except NumberError as e:
            return str(e)
        return None

    def setData(self, index: Index, value: Any, role: int = ROLE.EditRole) -> bool:
        if role != ROLE.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        ind = self.indicator_at(index)
        key = self.column_key(index)
        try:
            stored = self.parse_cell(index, value)
        except NumberError as e:
            self.doc.message.emit(f"{COLUMNS[index.column()][1]}：{e}")
            return False
        self.doc.set_value(ind, key, stored, COLUMNS[index.column()][1])
        return True
