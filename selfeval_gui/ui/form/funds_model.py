"""The 项目资金（万元）grid as a table model over form.funds, form.budget_weight and form.budget_score.

Rows: 年度资金总额 / 其中：当年财政拨款 / 上年结转资金 / 其他资金, or the rows of the form's template
(财政资金 / 财政专户管理资金 / 单位资金 …), with the template's words for the amount columns (调整后预算数 …).
Columns: the three amounts (editable), 分值 (editable on 年度资金总额), 执行率 and 得分 (computed by the
domain), 填报得分 (what the clerk wrote).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from selfeval_gui.domain.checks import errors_of
from selfeval_gui.domain.form import FundRow
from selfeval_gui.domain.number_rules import NumberError, NumberRule, rule_for
from selfeval_gui.domain.numbers import fmt_decimal, fmt_percent
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.scoring import fund_row_rate, score_differs
from selfeval_gui.domain.vocabulary import COMPUTED_SCORE, ENTERED_SCORE, FUND_COLUMNS, FUND_ROWS, RATE, WEIGHT
from selfeval_gui.ui.common.look import COMPUTED_BG, ERROR_BG, MISMATCH_FG

if TYPE_CHECKING:
    from selfeval_gui.ui.form.document import FormDocument

log = logging.getLogger(__name__)

COLUMNS = (
    *FUND_COLUMNS,  # 年初预算数, 全年预算数, 全年执行数
    ("weight", WEIGHT),
    ("rate", RATE),
    ("score", ENTERED_SCORE),  # the clerk's, then the rules', in the same order as the 绩效指标 table
    ("computed", COMPUTED_SCORE),
)
COL = {key: n for n, (key, _) in enumerate(COLUMNS)}
AMOUNT_COLUMNS = tuple(key for key, _ in FUND_COLUMNS)
# the stored field behind an input column (the 分值 and 填报得分 of 年度资金总额 are the Form's)
FIELD_OF_COLUMN = {**{key: key for key in AMOUNT_COLUMNS}, "weight": "budget_weight", "score": "budget_score"}
DASH = "—"
ROLE = Qt.ItemDataRole
Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
HEADER_TIPS = {
    "computed": "按规则计算的预算执行得分：执行率 × 分值，不超过分值",
    "score": "您在表上填写的得分（可不填；与计算得分不同时会提示）",
    "rate": "执行率 = 全年执行数 ÷ 全年预算数",
}


class FundsModel(QAbstractTableModel):
    def __init__(self, doc: FormDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._errors: set = set()
        self._sig = None
        self._rows: tuple[tuple[str, str], ...] = FUND_ROWS
        self._labels: dict[str, str] = {}
        self._read_template()
        doc.valueChanged.connect(self._on_value_changed)
        doc.evaluated.connect(self._on_evaluated)
        doc.formReplaced.connect(self._on_form_replaced)
        self._remember()

    @property
    def form(self):
        return self.doc.form

    def _read_template(self) -> None:
        """The rows and column words of the form's template; rows the file holds beyond them come last."""
        t = template_of(self.form)
        rows = list(t.fund_rows)
        rows += [(r.key, r.label) for r in self.form.funds if r.key not in t.fund_labels]
        self._rows = tuple(rows)
        self._labels = {**dict(COLUMNS), **t.fund_column_labels}
        self._labels["rate"] = RATE

    def column_label(self, col: str) -> str:
        return self._labels.get(col, col)

    def hidden_columns(self) -> list[int]:
        """Amount columns the template does not have (an older form with only 年初预算数 and 全年执行数)."""
        t = template_of(self.form)
        shown = {k for k, _ in t.fund_columns}
        unscored = [] if t.options.funds_scored else [COL[k] for k in ("weight", "score", "computed")]
        return [COL[k] for k in AMOUNT_COLUMNS if k not in shown] + unscored

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = ROLE.DisplayRole) -> Any:
        if role == ROLE.DisplayRole:
            if orientation == Qt.Orientation.Horizontal:
                return self.column_label(COLUMNS[section][0])
            return self._rows[section][1]
        if role == ROLE.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            if COLUMNS[section][0] == "rate":  # in the template's words (预算执行数 ÷ 调整后预算数)
                return f"{RATE} = {self.column_label('executed')} ÷ {self.column_label('budget')}"
            return HEADER_TIPS.get(COLUMNS[section][0])
        return None

    def key_at(self, index: Index) -> tuple[str, str]:
        return self._rows[index.row()][0], COLUMNS[index.column()][0]

    def row_obj(self, row: int) -> FundRow:
        return self.form.fund(self._rows[row][0])

    def _target(self, index: Index) -> tuple[object, str] | None:
        """(object, attribute) holding the input shown in this cell, or None for computed cells."""
        row_key, col = self.key_at(index)
        if col in AMOUNT_COLUMNS:
            return self.row_obj(index.row()), col
        if row_key == "total" and col == "weight":
            return self.form, "budget_weight"
        if row_key == "total" and col == "score":
            return self.form, "budget_score"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        editable = self._target(index) and not self.doc.read_only  # locked by another clerk, or finalized
        return base | Qt.ItemFlag.ItemIsEditable if editable else base

    # ------------------------------------------------------------------ data: one method per role

    def data(self, index: Index, role: int = ROLE.DisplayRole) -> Any:
        if not index.isValid():
            return None
        read = self._ROLES.get(role)
        return read(self, index) if read is not None else None

    def _display(self, index: Index) -> str | None:
        target = self._target(index)
        if target:
            return fmt_decimal(getattr(*target))
        row_key, col = self.key_at(index)
        ev = self.doc.evaluation
        if row_key != "total":
            if col == "rate":  # the paper shows each sub-row's own rate too
                return ev.rule_set.rate_text(fund_row_rate(self.row_obj(index.row())))
            return DASH if col in ("weight", "computed", "score") else ""
        if col == "rate":
            return ev.rate_text or DASH
        if col == "computed":
            return "" if ev.budget_score is None else fmt_decimal(ev.budget_score, ev.rule_set.budget_score_places)
        return ""

    def _edit(self, index: Index) -> str | None:
        target = self._target(index)
        return fmt_decimal(getattr(*target)) if target else None

    def _alignment(self, index: Index) -> int:
        _row, col = self.key_at(index)
        if col in AMOUNT_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return int(Qt.AlignmentFlag.AlignCenter)

    def _tooltip(self, index: Index) -> str | None:
        row_key, col = self.key_at(index)
        ev = self.doc.evaluation
        if row_key != "total":
            if col != "rate":
                return None
            row = self.row_obj(index.row())
            rate = fund_row_rate(row)
            if rate is None:
                return None
            return f"{fmt_decimal(row.executed)} ÷ {fmt_decimal(row.budget)} = {fmt_percent(rate, 2)}"
        if col in ("rate", "computed"):
            return ev.budget_explanation
        if col == "score" and self._score_differs():
            return f"按执行率计算应为 {fmt_decimal(ev.budget_score)}（{ev.budget_explanation}）"
        return None

    def _background(self, index: Index) -> Any:
        if self.key_at(index) in self._errors:
            return ERROR_BG
        return None if self._target(index) else COMPUTED_BG

    def _foreground(self, index: Index) -> Any:
        if self.key_at(index) == ("total", "score") and self._score_differs():
            return MISMATCH_FG
        return None

    _ROLES: dict[int, Callable[[FundsModel, Index], Any]] = {
        ROLE.DisplayRole: _display,
        ROLE.EditRole: _edit,
        ROLE.TextAlignmentRole: _alignment,
        ROLE.ToolTipRole: _tooltip,
        ROLE.BackgroundRole: _background,
        ROLE.ForegroundRole: _foreground,
    }

    def _score_differs(self) -> bool:
        """The 填报得分 the clerk wrote is not the 得分 the rules give."""
        return score_differs(self.form.budget_score, self.doc.evaluation.budget_score)

    # ------------------------------------------------------------------ editing

    @staticmethod
    def rule(col: str) -> NumberRule:
        """The number rule (places, sign) of the field behind a column."""
        return rule_for(FIELD_OF_COLUMN.get(col, "budget_score"))

    def parse_cell(self, index: Index, value: object) -> Decimal | None:
        _row, col = self.key_at(index)
        return self.rule(col).parse("" if value is None else str(value))

    def cell_target(self, index: Index) -> tuple[object, str, str] | None:
        """(object, attribute, the cell's words) of the input behind an editable cell; None for a computed one."""
        target = self._target(index)
        if target is None:
            return None
        return target[0], target[1], f"{self._rows[index.row()][1]}{self.column_label(COLUMNS[index.column()][0])}"

    def cell_value(self, index: Index) -> object:
        """The stored input behind an editable cell (None for a computed one)."""
        target = self._target(index)
        return getattr(target[0], target[1]) if target is not None else None

    def validate(self, index: Index, text: str) -> str | None:
        try:
            self.parse_cell(index, text)
        except NumberError as e:
            return str(e)
        return None

    def setData(self, index: Index, value: Any, role: int = ROLE.EditRole) -> bool:
        target = self._target(index) if index.isValid() else None
        if role != ROLE.EditRole or target is None:
            return False
        try:
            stored = self.parse_cell(index, value)
        except NumberError as e:
            where = self.column_label(COLUMNS[index.column()][0])
            self.doc.message.emit(f"{self._rows[index.row()][1]} › {where}：{e}")
            return False
        label = f"{self._rows[index.row()][1]}{self.column_label(COLUMNS[index.column()][0])}"
        self.doc.set_value(target[0], target[1], stored, label)
        return True

    # ------------------------------------------------------------------ reacting to the document

    def _on_value_changed(self, obj, attr):
        if isinstance(obj, FundRow) and attr in COL:
            row = [k for k, _ in self._rows].index(obj.key)
            idx = self.index(row, COL[attr])
            self.dataChanged.emit(idx, idx)
        elif obj is self.form and attr in ("budget_weight", "budget_score"):
            idx = self.index(0, COL["weight" if attr == "budget_weight" else "score"])
            self.dataChanged.emit(idx, idx)

    def _signature(self):
        ev = self.doc.evaluation
        errors = set()
        for f in errors_of(self.doc.findings):
            if f.place.section == "funds" and f.place.column:
                errors.add((f.place.key, f.place.column))
        sub_rates = tuple(fund_row_rate(r) for r in self.form.funds)
        return (
            ev.rate_text,
            ev.budget_score,
            ev.budget_explanation,
            self._score_differs(),
            sub_rates,
            ev.rule_set.rate_places,
        ), errors

    def _remember(self):
        self._sig, self._errors = self._signature()

    def _on_evaluated(self, _old, _new):
        sig, errors = self._signature()
        if sig != self._sig:
            self.dataChanged.emit(self.index(0, COL["rate"]), self.index(len(self._rows) - 1, len(COLUMNS) - 1))
        row_of = {k: n for n, (k, _) in enumerate(self._rows)}
        for row_key, col in errors.symmetric_difference(self._errors):
            if row_key in row_of and col in COL:
                idx = self.index(row_of[row_key], COL[col])
                self.dataChanged.emit(idx, idx)
        self._sig, self._errors = sig, errors

    def _on_form_replaced(self):
        self.beginResetModel()
        self._read_template()
        self._remember()
        self.endResetModel()
