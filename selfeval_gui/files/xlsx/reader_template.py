"""Which installed template a sheet is: the one whose 一级 / 二级 headings its rows fit best (the year and the
district named break ties)."""

from __future__ import annotations

import logging

from selfeval_gui.domain.checks import INFO, WARNING, Place
from selfeval_gui.domain.rules import (
    DEFAULT_TEMPLATE,
    RuleSetError,
    get_rule_set,
    get_template,
)
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.layout import (
    norm,
)
from selfeval_gui.files.xlsx.reader_cells import (
    _IndicatorRow,
    _match_pair,
    _templates,
)
from selfeval_gui.files.xlsx.reader_funds import SheetFunds

log = logging.getLogger(__name__)


class SheetTemplate(SheetFunds):
    def choose_template(self, rows: list[_IndicatorRow], year: int | None) -> tuple[str, str | None]:
        """The template named in our hidden sheet, else the one whose 一级/二级 names fit the rows best."""
        tid, rs = (self.meta.template, self.meta.rule_set) if self.meta else ("", "")
        try:
            if tid:
                get_template(tid)
            if rs:
                get_rule_set(rs)
            if tid:
                return tid, rs or None
        except RuleSetError:
            self.add(
                WARNING,
                None,
                None,
                f"工作簿记录的模板或规则集（{tid}、{rs}）本程序没有，已按表格内容选择模板。",
                Place("header"),
            )
            rs = ""
        pairs = {(norm(x.l1), norm(x.l2)) for x in rows}

        def fit(t_id: str) -> tuple[int, int, int, int, bool, bool]:
            # most fund rows and column words known (fewest of its own words missing), then most indicator rows
            # placed, then the form's year, then the default
            t = get_template(t_id)
            words = set(t.fund_column_labels.values())
            return (
                len(self.fund_keys & set(t.fund_labels)),
                len(self.fund_words & words),
                -len(words - self.fund_words),
                sum(1 for a, b in pairs if _match_pair(t, a, b) is not None),
                t.year == year,
                t_id == DEFAULT_TEMPLATE,
            )

        best = max((t.id for t in _templates()), key=fit)
        if self.meta is None:
            t = get_template(best)
            self.add(
                INFO,
                None,
                None,
                f"按“{t.name}”和规则集“{get_rule_set(rs or t.rule_set).name}”计算，请确认。",
                Place("header"),
            )
        return best, rs or None
