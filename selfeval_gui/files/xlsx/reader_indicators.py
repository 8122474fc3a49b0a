"""The 绩效指标 table of a sheet: its header row and columns, its 三级 rows under their 一级 / 二级, each read into
an Indicator of the form."""

from __future__ import annotations

import logging
import re
from decimal import Decimal

from selfeval_gui.domain.checks import ERROR, WARNING, Place
from selfeval_gui.domain.form import Form, Indicator, Level1, Level2
from selfeval_gui.domain.row_kinds import mark_imported
from selfeval_gui.domain.vocabulary import (
    GRADE_COLUMN,
    INDICATORS_SECTION,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    SCORE,
    SIGNOFF_LABELS,
    WEIGHT,
    grade_from_text,
)
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.layout import (
    is_placeholder_name,
    norm,
    strip_indicator_prefix,
)
from selfeval_gui.files.xlsx.reader_cells import (
    _GRADE_CHOICES,
    _IND_HEADER,
    Cell,
    _IndicatorRow,
    _same,
    is_header,
)
from selfeval_gui.files.xlsx.reader_template import SheetTemplate

log = logging.getLogger(__name__)


HEADING_WEIGHT = re.compile(r"\s*[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)]\s*$")


def without_weight(heading: str) -> str:
    """An 一级 / 二级 heading without the weight printed beside it: "产出指标（50分）" → "产出指标" (the template
    holds the weight: templates with weights on the headings print it so)."""
    return HEADING_WEIGHT.sub("", heading)


class SheetIndicators(SheetTemplate):
    def indicator_header(self) -> Cell | None:
        g = self.g
        for r, c in g.find(lambda t: t == LEVEL1):
            labels = {g.label(r, cc) for cc in g.row_cells(r)}
            if LEVEL2 in labels and LEVEL3 in labels:
                return r, c
        return None

    def indicator_columns(self, hr: int) -> dict[str, int]:
        """The 绩效指标 table's columns, by their labels in the header row."""
        g = self.g
        cols: dict[str, int] = {}
        for c in g.row_cells(hr):
            t = g.label(hr, c)
            for key in _IND_HEADER:
                if key not in cols and is_header(key, t):
                    cols[key] = c
        for key in ("target", "actual", "weight", "score"):
            if key not in cols:
                self.add(ERROR, hr, None, f"绩效指标表头缺少“{_IND_HEADER[key]}”一列。", Place("indicator", key))
        return cols

    def indicator_rows(self, head: Cell | None, total_cell: Cell | None) -> list[_IndicatorRow]:
        """Each row of the 绩效指标 table as texts and cell positions, 一级/二级 filled down."""
        g = self.g
        if head is None:
            self.add(
                ERROR,
                None,
                None,
                f"没有找到“{INDICATORS_SECTION}”表格（找不到“{LEVEL1}”“{LEVEL2}”“{LEVEL3}”）。",
                Place("indicator"),
            )
            return []
        hr = head[0]
        cols = self.ind_cols = self.indicator_columns(hr)
        end = total_cell[0] if total_cell else g.max_row + 1
        signoff = g.first(lambda t: t.startswith(SIGNOFF_LABELS["filler"]), range(hr + 1, end))
        if signoff:
            end = signoff[0]
        out: list[_IndicatorRow] = []
        l1 = l2 = ""
        for r in range(hr + 1, end):
            t1, t2 = g.text(r, cols["l1"]), g.text(r, cols["l2"])
            if norm(t1) == LEVEL1:
                continue  # the header repeated (a hand-typed second page)
            if t1.strip():
                l1, l2 = without_weight(t1), ""
            if t2.strip():
                l2 = without_weight(t2)
            name = g.text(r, cols["l3"])
            rest = [
                g.get(r, cols[k]) for k in ("target", "actual", "weight", "score", "deviation", "grade") if k in cols
            ]
            if all(v is None for v in rest) and is_placeholder_name(name):
                continue
            out.append(_IndicatorRow(r, l1, l2, strip_indicator_prefix(name)))
        return out

    def place_indicators(self, form: Form, rows: list[_IndicatorRow]) -> None:
        for x in rows:
            l1 = self._find_l1(form, x.l1, x.row)
            l2 = self._find_l2(l1, x.l2, x.row)
            path = (form.tree.index(l1), l1.children.index(l2), len(l2.indicators))
            ind = self.indicator(x, path)
            mark_imported(l2.indicators, ind)  # 其中 rows and the rows under a ★ row: breakdown rows
            l2.indicators.append(ind)

    def indicator(self, x: _IndicatorRow, path: tuple[int, int, int]) -> Indicator:
        g, cols, r = self.g, self.ind_cols, x.row

        def text(key: str) -> str:
            if key not in cols:
                return ""
            return g.written(r, cols[key]) if key in ("target", "actual") else g.text(r, cols[key])

        def number(key: str, label: str) -> Decimal | None:
            return self.number(r, cols.get(key), key, f"“{x.name}”的{label}", Place("indicator", key, path=path))

        ind = Indicator(
            name=x.name,
            target=text("target"),
            actual=text("actual"),
            weight=number("weight", WEIGHT),
            score=number("score", SCORE),
            deviation=text("deviation"),
            nature=text("nature"),
            measure_unit=text("measure_unit"),
        )
        if "grade" in cols:
            grade = grade_from_text(text("grade"))
            if grade is False:
                self.add(
                    WARNING,
                    r,
                    cols["grade"],
                    f"{GRADE_COLUMN}“{text('grade')}”不是{_GRADE_CHOICES}之一，已留空。",
                    Place("indicator", "grade", path=path),
                )
            elif grade is not True:
                ind.grade = grade
        return ind

    def _find_l1(self, form: Form, text: str, r: int) -> Level1:
        for l1 in form.tree:
            if _same(norm(text), norm(l1.name)):
                return l1
        name = " ".join(text.split()) or f"（未填{LEVEL1}）"
        self.add(
            WARNING,
            r,
            self.ind_cols.get("l1"),
            f"{LEVEL1}“{name}”不在模板中，已按原文保留，请核对。",
            Place("indicator"),
        )
        l1 = Level1(name, [])
        form.tree.append(l1)
        return l1

    def _find_l2(self, l1: Level1, text: str, r: int) -> Level2:
        for l2 in l1.children:
            if _same(norm(text), norm(l2.name)):
                return l2
        name = " ".join(text.split()) or f"（未填{LEVEL2}）"
        self.add(
            WARNING,
            r,
            self.ind_cols.get("l2"),
            f"{LEVEL2}“{name}”不在模板的“{l1.name}”之下，已按原文保留，请核对。",
            Place("indicator"),
        )
        l2 = Level2(name, [])
        l1.children.append(l2)
        return l2
