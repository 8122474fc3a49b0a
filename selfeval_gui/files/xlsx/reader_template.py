"""Which installed template a sheet is: the one the clerk named, else the one whose 一级 / 二级 headings its rows fit
best (the year and the district named break ties); a sheet naming no district lists every template that fits as
well, so the clerk is asked (issue 20)."""

from __future__ import annotations

import logging

from selfeval_gui.domain.checks import INFO, WARNING, Place
from selfeval_gui.domain.rules import (
    DEFAULT_TEMPLATE,
    RuleSetError,
    Template,
    get_rule_set,
    get_template,
)
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.guard import XlsxImportError
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
    def choose_template(
        self, rows: list[_IndicatorRow], year: int | None, district: str | None = None
    ) -> tuple[str, str | None]:
        """The template the clerk named, else the one named in our hidden sheet, else the one whose 一级/二级 names
        fit the rows best; self.template_choices lists every template that fits as well (best first) when the
        sheet names no district."""
        if self.forced_template:
            return self._forced(self.forced_template)
        tid, rs = (self.meta.template, self.meta.rule_set) if self.meta else ("", "")
        try:
            if tid:
                get_template(tid)
            if rs:
                get_rule_set(rs)
            if tid:
                self.template_choices = [tid]
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
        choices = self._fitting(rows, year, district)
        best = choices[0]
        self.template_choices = choices if district is None else [best]  # a district named: no question
        if self.meta is None:
            self._say_chosen(best, rs)
        return best, rs or None

    def _fitting(self, rows: list[_IndicatorRow], year: int | None, district: str | None) -> list[str]:
        """The installed templates the sheet fits best, best guess first: most fund rows and column words known
        (fewest of its own words missing), then most indicator rows placed; those alike in that are ordered by
        the form's year, the district named, then the default."""
        pairs = {(norm(x.l1), norm(x.l2)) for x in rows}

        def fit(t: Template) -> tuple[tuple[int, int, int, int], tuple[bool, bool, bool]]:
            words = set(t.fund_column_labels.values())
            shape = (
                len(self.fund_keys & set(t.fund_labels)),
                len(self.fund_words & words),
                -len(words - self.fund_words),
                sum(1 for a, b in pairs if _match_pair(t, a, b) is not None),
            )
            return shape, (t.year == year, t.district == district, t.id == DEFAULT_TEMPLATE)

        ranked = sorted(_templates(), key=fit, reverse=True)
        best = fit(ranked[0])[0]
        return [t.id for t in ranked if fit(t)[0] == best]

    def _say_chosen(self, best: str, rs: str) -> None:
        """The 提示 naming the template and rule set guessed, and the others that fit as well."""
        t = get_template(best)
        text = f"按“{t.name}”和规则集“{get_rule_set(rs or t.rule_set).name}”计算，请确认。"
        others = self.template_choices[1:]
        if others:
            names = "、".join(f"“{get_template(x).name}”（{x}）" for x in others)
            text = f"表中没有写地区，有 {len(others) + 1} 个模板都适用；{text}也可改用{names}。"
        self.add(INFO, None, None, text, Place("header"))

    def _forced(self, tid: str) -> tuple[str, str | None]:
        """The template the clerk named (--template, or chosen in the window)."""
        try:
            t = get_template(tid)
        except RuleSetError as e:
            raise XlsxImportError(f"模板“{tid}”无法读取：{e}") from None
        same = self.meta is not None and self.meta.template == tid
        rs = self.meta.rule_set if same and self.meta is not None else ""
        self.template_choices = [tid]
        self.add(INFO, None, None, f"按指定的模板“{t.name}”（{tid}）读取。", Place("header"))
        return tid, rs or None
