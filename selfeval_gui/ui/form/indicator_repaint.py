"""After each recalculation, dataChanged for only the rows whose shown values changed."""

from __future__ import annotations

from selfeval_gui.domain.checks import errors_of
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.ui.form.indicator_columns import (
    COL,
    COLUMNS,
)
from selfeval_gui.ui.form.indicator_display import IndicatorDisplay


class IndicatorRepaint(IndicatorDisplay):
    """Follows the document: a value changed, a new evaluation, a form replaced."""

    def _on_value_changed(self, obj, attr):
        # the recalculation that always follows repaints the row once (see _on_evaluated): one
        # dataChanged per edit, so the view measures the row's wrapped height once, not twice
        if isinstance(obj, Indicator) and (attr in COL or attr == "kind"):
            self._pending.add(id(obj))
        if isinstance(obj, Indicator) and attr == "kind":  # the 指标N of the rows below it shift
            path = next(((i, j, k) for i, j, k, *_r, ind in self.doc.form.iter_indicators() if ind is obj), None)
            if path is not None:
                self._renumber(*path)

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
