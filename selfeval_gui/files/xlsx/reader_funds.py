"""The 项目资金 table of a sheet: its rows and columns found by their words, each amount read, and the 执行率 the
workbook states compared with the program's."""

from __future__ import annotations

import logging

from selfeval_gui.domain.checks import ERROR, WARNING, Place
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.numbers import NumberError, fmt_percent
from selfeval_gui.domain.rules import (
    template_of,
)
from selfeval_gui.domain.scoring import evaluate, form_rule_set, fund_row_rate, rates_agree
from selfeval_gui.domain.vocabulary import (
    FUND_COLUMN_WORDS,
    FUND_COLUMNS,
    FUND_LABELS,
    FUND_NOTE,
    FUND_TABLE_HEADER,
    FUNDS_SECTION,
    RATE,
    SCORE,
    WEIGHT,
    WEIGHT_WORDS,
)
from selfeval_gui.files.xlsx.grid import Computed, as_text
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.reader_cells import (
    _BUDGET,
    _FUND_WORD,
    _RATE_DEN,
    _RATE_NUM,
    Cell,
    _stated_fraction,
    _StatedRate,
    header_word,
)
from selfeval_gui.files.xlsx.reader_header import SheetHeader

log = logging.getLogger(__name__)


class SheetFunds(SheetHeader):
    def _fund_hits(self, head: Cell, ind_head: Cell | None, words: dict[str, str]) -> dict[str, int]:
        """The rows of the funds table (below its header, above the indicators) by their words: key -> row."""
        hr, end = head[0], ind_head[0] if ind_head else head[0] + 12
        found: dict[str, int] = {}
        for key, word in sorted(words.items(), key=lambda kw: -len(kw[1])):  # 财政专户管理资金 before 财政资金
            taken = set(found.values())
            hits = self.g.find(lambda t, w=word: w in t and RATE not in t, range(hr + 1, end))  # type: ignore[misc]
            free = [r for r, _c in hits if r not in taken]
            if free:
                found[key] = free[0]
        return found

    def fund_rows_found(self, head: Cell | None, ind_head: Cell | None) -> set[str]:
        """Which fund rows the workbook has (it helps choose the template: 财政资金 … or 当年财政拨款 …)."""
        return set(self._fund_hits(head, ind_head, _FUND_WORD)) if head else set()

    def funds(self, form: Form, head: Cell | None, ind_head: Cell | None) -> dict[str, _StatedRate]:
        g = self.g
        stated_rates: dict[str, _StatedRate] = {}
        if head is None:
            self.add(
                ERROR,
                None,
                None,
                f"没有找到“{FUNDS_SECTION}”表格（找不到“{_BUDGET}”）。",
                Place("funds", "total", "budget"),
            )
            return stated_rates
        hr = head[0]
        cols: dict[str, int] = {}
        words = {
            **{w: attr for attr, ws in FUND_COLUMN_WORDS.items() for w in ws},
            **{label: attr for attr, label in template_of(form).fund_columns},  # the template's words first
            **{w: w for w in FUND_TABLE_HEADER[len(FUND_COLUMNS) :]},
            **{w: WEIGHT for w in WEIGHT_WORDS},  # 权重 is 分值
        }  # 分值, 执行率, 得分
        for c in g.row_cells(hr):
            label = g.label(hr, c)
            key = words.get(label) or words.get(header_word(label))  # 年初预算数(A), 年初预算数（A）
            if key is not None and key not in cols:
                cols[key] = c
        rows = {k: _FUND_WORD.get(k) or label.removeprefix("其中：") for k, label in template_of(form).fund_rows}
        hits = self._fund_hits(head, ind_head, rows)
        if "total" not in hits:
            self.add(ERROR, None, None, f"没有找到“{FUND_LABELS['total']}”这一行。", Place("funds", "total", "budget"))
        for key, r in hits.items():
            stated = self.fund_row(form, r, key, rows[key], cols)
            if stated is not None:
                stated_rates[key] = stated
        note = g.first(lambda t: t.startswith(FUND_NOTE))
        if note:
            form.fund_note = self.value_right(*note, FUND_NOTE)
        return stated_rates

    def fund_row(self, form: Form, r: int, key: str, word: str, cols: dict[str, int]) -> _StatedRate | None:
        """One 项目资金 row: its amounts, and for 年度资金总额 the 分值 and 得分; returns the 执行率 it states."""
        row, labels = form.fund(key), template_of(form).fund_column_labels
        for attr, default in FUND_COLUMNS:
            label = labels.get(attr, default)
            setattr(row, attr, self.number(r, cols.get(attr), attr, f"{word}的{label}", Place("funds", key, attr)))
        if key == "total":
            form.budget_weight = self.number(
                r, cols.get(WEIGHT), "budget_weight", "预算执行率的分值", Place("funds", key, "weight")
            )
            score = self.cell_number(
                r, cols.get(SCORE), "budget_score", "预算执行率的得分", Place("funds", key, "score")
            )
            # our own formula, not yet calculated: it equals the program's value
            form.budget_score = evaluate(form).budget_score if isinstance(score, Computed) else score
        if RATE in cols and self.g.get(r, cols[RATE]) is not None:
            return _StatedRate(r, cols[RATE], self.g.get(r, cols[RATE]))
        return None

    def compare_rates(self, form: Form, stated: dict[str, _StatedRate]) -> None:
        """执行率 as the workbook shows it against the program's (scoring.rates_agree)."""
        rs = form_rule_set(form)[0]
        labels = template_of(form).fund_labels
        for key, s in stated.items():
            if isinstance(s.value, Computed):
                continue
            rate, place = fund_row_rate(form.fund(key)), Place("funds", key, "rate")
            label = _FUND_WORD.get(key) or labels.get(key, key)
            try:
                fraction = _stated_fraction(s.value)
            except NumberError:
                self.add(WARNING, s.row, s.col, f"{label}的执行率“{as_text(s.value)}”看不懂，已忽略。", place)
                continue
            if fraction is None:
                continue
            shown = fmt_percent(fraction, rs.rate_places)
            if rate is None:
                self.add(
                    ERROR,
                    s.row,
                    s.col,
                    f"{label}的执行率写的是 {shown}，但{_RATE_DEN}为空或为0，无法计算执行率。",
                    place,
                )
            elif not rates_agree(fraction, rate, rs):
                self.add(
                    ERROR,
                    s.row,
                    s.col,
                    f"{label}的执行率写的是 {shown}，按{_RATE_NUM} ÷ {_RATE_DEN}计算应为 {rs.rate_text(rate)}。",
                    place,
                )
