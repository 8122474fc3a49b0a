"""What each cell of the 绩效指标 tree shows: text, tooltip, colours, alignment, read from the domain objects and
the document's latest Evaluation (nothing is copied)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.row_kinds import BREAKDOWN_SCORE_TEXT, indented_name
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.scoring import IndicatorResult, score_differs
from selfeval_gui.domain.targets import EMPTY, EXCLUDED, QUALITATIVE
from selfeval_gui.domain.vocabulary import (
    EXTRA_INDICATOR_COLUMNS,
    GRADE_LABELS,
    GRADE_SHORT,
    NOT_APPLICABLE,
)
from selfeval_gui.ui.common.look import ERROR_BG, GROUP_BG, MISMATCH_FG, MUTED_FG
from selfeval_gui.ui.form.indicator_base import CENTER, ROLE, Index, Path
from selfeval_gui.ui.form.indicator_columns import (
    CENTERED_COLUMNS,
    COL,
    COLUMNS,
    NUMBER_COLUMNS,
    TEXT_COLUMNS,
)
from selfeval_gui.ui.form.indicator_rows import IndicatorRows

SCORE_COLUMNS = ("weight", "score", "computed", "grade")  # left out where the template has no scores


class IndicatorDisplay(IndicatorRows):
    """data() for every role: what a 一级, 二级 or 三级 row shows in each column."""

    def column_label(self, key: str) -> str:
        return dict(template_of(self.doc.form).indicator_columns).get(key) or dict(COLUMNS)[key]

    def hidden_columns(self) -> list[int]:
        """The extra columns (指标性质, 度量单位) the form's template does not have."""
        shown = {k for k, _ in template_of(self.doc.form).indicator_columns}
        return [COL[k] for k in EXTRA_INDICATOR_COLUMNS if k not in shown] + self.score_columns_hidden()

    def score_columns_hidden(self) -> list[int]:
        """A template without 分值/得分 (options.scored false): 分值, 填报得分, 计算得分, 完成等级 hidden."""
        return [] if template_of(self.doc.form).options.scored else [COL[k] for k in SCORE_COLUMNS]

    def column_key(self, index: Index) -> str:
        return COLUMNS[index.column()][0]

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
        if key == "weight" and role in (ROLE.DisplayRole, ROLE.TextAlignmentRole):
            return self._level2_weight(path) if role == ROLE.DisplayRole else CENTER
        return None

    def _level2_weight(self, path: Path) -> str:
        """A 二级's own 分值 where the template weights the 二级 headings (weights_on level2)."""
        i, j = path
        w = template_of(self.doc.form).options.weight_of(self.tree[i].name, self.tree[i].children[j].name)
        return fmt_decimal(w) if w is not None else ""

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
        if key == "name":
            return indented_name(ind)  # a breakdown row: indented, “其中：” first (the name itself is unchanged)
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
                # an invitation while the form can be edited (not for a deadline the rule set scores)
                return "" if self.doc.read_only else "（可选择）"
        return ""

    def _computed_text(self, ind: Indicator, r: IndicatorResult | None) -> str:
        if r is None:
            return ""
        if r.computed is not None:  # rounded by the rule set, written as the clerk writes 得分: 10, 4.67, 7.5
            text = fmt_decimal(r.computed, self.doc.evaluation.rule_set.indicator_score_places)
            return text.rstrip("0").rstrip(".") if "." in text else text
        if r.band is not None:
            return f"{fmt_decimal(r.band[0])}～{fmt_decimal(r.band[1])}"
        if r.excluded:
            return NOT_APPLICABLE
        if r.breakdown:
            return BREAKDOWN_SCORE_TEXT
        return "—" if not ind.is_blank() else ""

    def _tooltip(self, ind: Indicator, path: Path, key: str) -> str | None:
        r = self._result(path)
        if key == "computed" and r is not None:
            return r.explanation or None
        if key == "target" and r is not None and ind.target.strip():
            return f"{ind.target}\n程序理解为：{r.target.describe()}"
        if key == "grade":
            return GRADE_LABELS.get(ind.grade or "", "定性指标可选择完成等级，程序据此核对得分；定量指标由程序计算")
        if key in TEXT_COLUMNS and getattr(ind, key):
            return str(getattr(ind, key))
        if key == "score" and r is not None and self._mismatch(r):
            return f"按规则：{r.explanation}"
        return None

    _ROW_ROLES: dict[int, Callable[[IndicatorDisplay, Indicator, Path, str], Any]] = {
        ROLE.DisplayRole: _display,
        ROLE.EditRole: _edit,
        ROLE.ToolTipRole: _tooltip,
        ROLE.BackgroundRole: _background,
        ROLE.ForegroundRole: _foreground,
        ROLE.TextAlignmentRole: _alignment,
    }
