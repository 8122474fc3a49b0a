"""The 绩效指标 tree as a QAbstractItemModel adapter over form.tree (一级 → 二级 → the clerk's 三级 rows).

Nothing is copied: data() reads the domain objects and the document's latest Evaluation.  After every
recalculation only the rows whose shown values changed get dataChanged; rows are inserted, removed and
moved with the begin/end calls, never by resetting the model.

Index scheme: internalId 0 = a 一级 row; 1 + i = a 二级 row under 一级 i; BASE + (i << 12) + j = a 三级
row under 二级 (i, j).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from selfeval_gui.domain.checks import errors_of
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.number_rules import NumberError, rule_for
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.scoring import IndicatorResult, score_differs
from selfeval_gui.domain.targets import EMPTY, EXCLUDED, QUALITATIVE
from selfeval_gui.domain.vocabulary import (
    ACTUAL,
    COMPUTED_SCORE,
    DEVIATION,
    ENTERED_SCORE,
    EXTRA_INDICATOR_COLUMNS,
    GRADE_COLUMN,
    GRADE_LABELS,
    GRADE_SHORT,
    LEVEL3,
    NOT_APPLICABLE,
    TARGET,
    WEIGHT,
    has_own_number,
)
from selfeval_gui.ui.common.look import ERROR_BG, GROUP_BG, MISMATCH_FG, MUTED_FG

if TYPE_CHECKING:
    from selfeval_gui.ui.form.document import FormDocument

log = logging.getLogger(__name__)

BASE = 1 << 24
COLUMNS = (
    ("name", LEVEL3),
    ("target", TARGET),
    ("actual", ACTUAL),
    ("weight", WEIGHT),
    ("score", ENTERED_SCORE),
    ("computed", COMPUTED_SCORE),
    ("grade", GRADE_COLUMN),
    ("deviation", DEVIATION),
    # Only templates that have them show these (the view hides them otherwise and shows them after 三级指标):
    *EXTRA_INDICATOR_COLUMNS.items(),
)
COL = {key: n for n, (key, _) in enumerate(COLUMNS)}
NCOLS = len(COLUMNS)
NUMBER_COLUMNS = {"weight", "score"}
TEXT_COLUMNS = {"name", "target", "actual", "deviation", *EXTRA_INDICATOR_COLUMNS}
CENTERED_COLUMNS = ("weight", "score", "computed")
HEADER_TIPS = {
    "score": "您填写的得分",
    "computed": "程序按规则计算的得分；与填写的得分不同时显示为红色，鼠标停留可看计算过程",
    "grade": "定性指标的完成等级：达成 / 部分达成 / 未达成",
}
ROLE = Qt.ItemDataRole
CENTER = int(Qt.AlignmentFlag.AlignCenter)
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
Path = tuple[int, ...]


class IndicatorModel(QAbstractItemModel):
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

    # ------------------------------------------------------------------ structure

    @property
    def tree(self):
        return self.doc.form.tree

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        # bounds checked here: hasIndex() would call back into rowCount and columnCount through Qt (the views ask
        # for indexes thousands of times a repaint)
        if row < 0 or not 0 <= column < NCOLS or row >= self.rowCount(parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        pid = parent.internalId()
        if pid == 0:
            return self.createIndex(row, column, 1 + parent.row())
        if pid < BASE:
            return self.createIndex(row, column, BASE + ((pid - 1) << 12) + parent.row())
        return QModelIndex()

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        iid = index.internalId()
        if iid == 0:
            return QModelIndex()
        if iid < BASE:
            return self.createIndex(iid - 1, 0, 0)
        i, j = divmod(iid - BASE, 1 << 12)
        return self.createIndex(j, 0, 1 + i)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self.tree)
        if parent.column() != 0:
            return 0
        pid = parent.internalId()
        if pid == 0:
            return len(self.tree[parent.row()].children)
        if pid < BASE:
            return len(self.tree[pid - 1].children[parent.row()].indicators)
        return 0

    def columnCount(self, parent: Index = ROOT) -> int:
        return NCOLS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = ROLE.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == ROLE.DisplayRole:
            return self.column_label(COLUMNS[section][0])
        if orientation == Qt.Orientation.Horizontal and role == ROLE.ToolTipRole:
            return HEADER_TIPS.get(COLUMNS[section][0])
        return None

    # ------------------------------------------------------------------ locating

    def level(self, index: Index) -> int:
        """1, 2 or 3 for 一级 / 二级 / 三级 rows; 0 for an invalid index."""
        if not index.isValid():
            return 0
        iid = index.internalId()
        return 1 if iid == 0 else 2 if iid < BASE else 3

    def path_of(self, index: Index) -> tuple[int, ...]:
        """(i,), (i, j) or (i, j, k)."""
        iid = index.internalId()
        if iid == 0:
            return (index.row(),)
        if iid < BASE:
            return (iid - 1, index.row())
        i, j = divmod(iid - BASE, 1 << 12)
        return (i, j, index.row())

    def indicator_at(self, index: Index) -> Indicator | None:
        if self.level(index) != 3:
            return None
        i, j, k = self.path_of(index)
        return self.tree[i].children[j].indicators[k]

    def index_for_path(self, path, column: int = 0) -> QModelIndex:
        if len(path) == 1:
            return self.createIndex(path[0], column, 0)
        if len(path) == 2:
            return self.createIndex(path[1], column, 1 + path[0])
        i, j, k = path
        return self.createIndex(k, column, BASE + (i << 12) + j)

    def find_indicator(self, ind: Indicator):
        for i, j, k, _l1, _l2, other in self.doc.form.iter_indicators():
            if other is ind:
                return (i, j, k)
        return None

    def column_label(self, key: str) -> str:
        return dict(template_of(self.doc.form).indicator_columns).get(key) or dict(COLUMNS)[key]

    def hidden_columns(self) -> list[int]:
        """The extra columns (指标性质, 度量单位) the form's template does not have."""
        shown = {k for k, _ in template_of(self.doc.form).indicator_columns}
        return [COL[k] for k in EXTRA_INDICATOR_COLUMNS if k not in shown]

    def column_key(self, index: Index) -> str:
        return COLUMNS[index.column()][0]

    # ------------------------------------------------------------------ data

    def _result(self, path: Path) -> IndicatorResult | None:
        """The latest IndicatorResult for the row at path (None while a structural change is half done)."""
        r = self._results.get(path)
        if r is None:
            return None
        i, j, k = path
        try:
            if self.tree[i].children[j].indicators[k] is not r.indicator:
                return None
        except IndexError:
            return None
        return r

    def _qualitative(self, path: Path) -> bool:
        r = self._result(path)
        return (
            r is not None and not r.target.quantitative and r.target.kind not in (EMPTY, EXCLUDED) and r.exact is None
        )

    def is_qualitative(self, index: Index) -> bool:
        return self.level(index) == 3 and self._qualitative(self.path_of(index))

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

    def data(self, index: Index, role: int = ROLE.DisplayRole) -> Any:
        if not index.isValid():
            return None
        lvl = self.level(index)
        key = self.column_key(index)
        if lvl == 1:
            return self._level1_data(index.row(), key, role)
        if lvl == 2:
            return self._level2_data(self.path_of(index), key, role)
        read = self._ROW_ROLES.get(role)
        if read is None:
            return None
        path = self.path_of(index)
        i, j, k = path
        return read(self, self.tree[i].children[j].indicators[k], path, key)

    def _level1_data(self, row: int, key: str, role: int) -> Any:
        """一级 rows: the name in bold, and under 分值 the subtotal of their rows' 分值 (muted, centred)."""
        l1 = self.tree[row]
        if role == ROLE.BackgroundRole:
            return GROUP_BG
        if key == "name":
            return l1.name if role == ROLE.DisplayRole else self._bold if role == ROLE.FontRole else None
        if key != "weight":
            return None
        if role == ROLE.DisplayRole:
            w = self.doc.evaluation.level1_weights.get(l1.name)
            return fmt_decimal(w) if w is not None else ""
        looks: dict[int, Any] = {
            ROLE.ToolTipRole: f"{l1.name}各三级指标分值小计",
            ROLE.ForegroundRole: MUTED_FG,
            ROLE.TextAlignmentRole: CENTER,
        }  # centred under the 分值 of its rows
        return looks.get(role)

    def _level2_data(self, path: Path, key: str, role: int) -> Any:
        if role == ROLE.DisplayRole and key == "name":
            i, j = path
            return self.tree[i].children[j].name
        if role == ROLE.BackgroundRole:
            return GROUP_BG
        return None

    # a 三级 row: one method per role, each given (indicator, path, column key)

    def _edit(self, ind: Indicator, path: Path, key: str) -> str | None:
        if key in NUMBER_COLUMNS:
            return fmt_decimal(getattr(ind, key))
        if key == "grade":
            return ind.grade or ""
        if key in TEXT_COLUMNS:
            return str(getattr(ind, key))
        return None

    def _background(self, ind: Indicator, path: Path, key: str) -> Any:
        if (path, key) in self._errors or (key == "computed" and (path, "score") in self._errors):
            return ERROR_BG
        return None

    def _foreground(self, ind: Indicator, path: Path, key: str) -> Any:
        if key == "computed":
            r = self._result(path)
            return MISMATCH_FG if r is not None and self._mismatch(r) else MUTED_FG
        if key == "grade" and not self._qualitative(path):
            return MUTED_FG
        return None

    def _alignment(self, ind: Indicator, path: Path, key: str) -> int | None:
        return CENTER if key in CENTERED_COLUMNS else None

    @staticmethod
    def _mismatch(r: IndicatorResult) -> bool:
        """The entered 得分 differs from the rules' score, or lies outside the grade's band."""
        s = r.indicator.score
        if r.computed is not None:
            return score_differs(s, r.computed)
        if r.band is not None and s is not None:
            return not (r.band[0] <= s <= r.band[1])
        return False

    def _display(self, ind: Indicator, path: Path, key: str) -> str:
        if key in TEXT_COLUMNS:
            return str(getattr(ind, key))
        if key in NUMBER_COLUMNS:
            return fmt_decimal(getattr(ind, key))
        r = self._result(path)
        if key == "computed":
            return self._computed_text(ind, r)
        if key == "grade":
            if r is not None and not r.target.quantitative and ind.grade:
                return GRADE_SHORT.get(ind.grade, "")
            if r is not None and r.target.kind == QUALITATIVE and r.exact is None and not r.missed:
                return "（请选择）"  # not for a date target the rule set scores as a deadline
        return ""

    def _computed_text(self, ind: Indicator, r: IndicatorResult | None) -> str:
        if r is None:
            return ""
        if r.computed is not None:
            return fmt_decimal(r.computed, self.doc.evaluation.rule_set.indicator_score_places)
        if r.band is not None:
            return f"{fmt_decimal(r.band[0])}～{fmt_decimal(r.band[1])}"
        if r.excluded:
            return NOT_APPLICABLE
        return "—" if not ind.is_blank() else ""

    def _tooltip(self, ind: Indicator, path: Path, key: str) -> str | None:
        r = self._result(path)
        if key == "computed" and r is not None:
            return r.explanation or None
        if key == "target" and r is not None and ind.target.strip():
            return f"{ind.target}\n程序理解为：{r.target.describe()}"
        if key == "grade":
            return GRADE_LABELS.get(ind.grade or "", "定性指标请选择完成等级；定量指标由程序计算")
        if key in TEXT_COLUMNS and getattr(ind, key):
            return str(getattr(ind, key))
        if key == "score" and r is not None and self._mismatch(r):
            return f"按规则：{r.explanation}"
        return None

    _ROW_ROLES: dict[int, Callable[[IndicatorModel, Indicator, Path, str], Any]] = {
        ROLE.DisplayRole: _display,
        ROLE.EditRole: _edit,
        ROLE.ToolTipRole: _tooltip,
        ROLE.BackgroundRole: _background,
        ROLE.ForegroundRole: _foreground,
        ROLE.TextAlignmentRole: _alignment,
    }

    # ------------------------------------------------------------------ editing

    def parse_cell(self, index: Index, value: object) -> object:
        """The stored value for what the clerk typed, or raise NumberError with the Chinese message."""
        key = self.column_key(index)
        if key in NUMBER_COLUMNS:
            return rule_for(key).parse(value if isinstance(value, str) else str(value or ""))
        if key == "grade":
            return value if value in GRADE_LABELS else None
        return "" if value is None else str(value)

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

    # ------------------------------------------------------------------ 三级 rows: the document changes the Form

    def _rows_parent(self, i: int, j: int) -> QModelIndex:
        return self.index_for_path((i, j))

    def _before_insert(self, i: int, j: int, k: int) -> None:
        self.beginInsertRows(self._rows_parent(i, j), k, k)

    def _after_insert(self, i: int, j: int, k: int) -> None:
        self.endInsertRows()
        self._renumber(i, j, k + 1)

    def _before_remove(self, i: int, j: int, k: int) -> None:
        self.beginRemoveRows(self._rows_parent(i, j), k, k)

    def _after_remove(self, i: int, j: int, k: int) -> None:
        self.endRemoveRows()
        self._renumber(i, j, k)

    def _before_move(self, i: int, j: int, src: int, dst: int) -> None:
        parent = self._rows_parent(i, j)
        # Qt wants the destination as the row *before which* the item lands in the old numbering
        qt_dst = dst + 1 if dst > src else dst
        self.beginMoveRows(parent, src, src, parent, qt_dst)

    def _after_move(self, i: int, j: int, src: int, dst: int) -> None:
        self.endMoveRows()
        self._renumber(i, j, min(src, dst))

    @staticmethod
    def row_label(index: Index) -> str:
        """ "指标N：" before a 三级 name.  Drawn by the view, not stored in the data, so that an insert
        does not change the data of the rows below it (the number is a matter of position).  A name typed with
        its own "指标1:" gets none (the number is not doubled)."""
        name = index.data(ROLE.EditRole)
        return "" if isinstance(name, str) and has_own_number(name) else f"指标{index.row() + 1}："

    def _renumber(self, i: int, j: int, start: int) -> None:
        """The 指标N label shifts for the rows after an insert/remove/move: repaint them."""
        n = len(self.tree[i].children[j].indicators)
        if start < n:
            self.dataChanged.emit(
                self.index_for_path((i, j, start), 0), self.index_for_path((i, j, n - 1), 0), [ROLE.DisplayRole]
            )

    # ------------------------------------------------------------------ reacting to the document

    def _on_value_changed(self, obj, attr):
        # the recalculation that always follows repaints the row once (see _on_evaluated): one
        # dataChanged per edit, so the view measures the row's wrapped height once, not twice
        if isinstance(obj, Indicator) and attr in COL:
            self._pending.add(id(obj))

    def _row_sig(self, r) -> tuple:
        """What a 三级 row shows beyond its own inputs."""
        return (r.path, r.computed, r.band, r.explanation, r.target.kind, r.indicator.grade, self._mismatch(r))

    def _error_cells(self) -> set:
        return {
            (f.place.path, f.place.key)
            for f in errors_of(self.doc.findings)
            if f.place.section == "indicator" and f.place.path is not None
        }

    def _l1_texts(self) -> dict:
        ev = self.doc.evaluation
        return {i: fmt_decimal(ev.level1_weights.get(l1.name)) for i, l1 in enumerate(self.tree)}

    def _remember(self):
        ev = self.doc.evaluation
        self._results = {r.path: r for r in ev.indicators}
        self._by_ind = {id(r.indicator): r for r in ev.indicators}
        self._errors = self._error_cells()
        self._l1_sig = self._l1_texts()
        self._pending = set()

    def _on_evaluated(self, _old, _new):
        ev = self.doc.evaluation
        old_by_ind = self._by_ind
        changed_paths = set()
        by_ind = {}
        for r in ev.indicators:
            key = id(r.indicator)
            by_ind[key] = r
            old = old_by_ind.get(key)
            # a ScoreCache hands back the very same result while a row's inputs and place are unchanged
            if old is not r and (
                old is None or old.indicator is not r.indicator or self._row_sig(old) != self._row_sig(r)
            ):
                changed_paths.add(r.path)
        for key in self._pending:
            pending = by_ind.get(key)
            if pending is not None:
                changed_paths.add(pending.path)
        errors = self._error_cells()
        for path, _col in errors.symmetric_difference(self._errors):
            changed_paths.add(path)
        old_l1 = self._l1_sig
        l1 = self._l1_texts()
        self._results = {r.path: r for r in ev.indicators}
        self._by_ind, self._errors, self._l1_sig, self._pending = by_ind, errors, l1, set()
        last = len(COLUMNS) - 1
        n1 = len(self.tree)
        for path in sorted(changed_paths):
            i, j, k = path
            if i < n1 and j < len(self.tree[i].children) and k < len(self.tree[i].children[j].indicators):
                self.dataChanged.emit(self.index_for_path(path, 0), self.index_for_path(path, last))
        for i, text in l1.items():
            if old_l1.get(i) != text:
                idx = self.index_for_path((i,), COL["weight"])
                self.dataChanged.emit(idx, idx)

    def _on_form_replaced(self):
        self.beginResetModel()  # a different form altogether (open / new / import), not an edit
        self._remember()
        self.endResetModel()
