"""The 总分 row of a sheet: the 分值 and 得分 the workbook states, kept for domain.checks to compare."""

from __future__ import annotations

import logging

from selfeval_gui.domain.checks import WARNING, Place
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.vocabulary import (
    TOTAL,
)
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.reader_cells import (
    Cell,
)
from selfeval_gui.files.xlsx.reader_indicators import SheetIndicators

log = logging.getLogger(__name__)


class SheetTotals(SheetIndicators):
    def totals(self, form: Form, head: Cell | None, total_cell: Cell | None) -> None:
        if head is None:
            return
        if total_cell is None:
            self.add(WARNING, None, None, f"没有找到“{TOTAL}”行。", Place("totals", "weight"))
            return
        g, cols, r = self.g, self.ind_cols, total_cell[0]
        wc, sc = cols.get("weight"), cols.get("score")
        if (wc is None or g.get(r, wc) is None) and (sc is None or g.get(r, sc) is None):
            nums = [c for c in g.row_cells(r) if c > total_cell[1]][:2]  # hand-typed: the first two cells after 总分
            padded: list[int | None] = [*nums, None, None]
            wc, sc = padded[0], padded[1]
        # Our SUM formulas that no spreadsheet has calculated yet state nothing the program does not compute
        # itself, so they leave the stated totals empty; a calculated or typed 总分 is the workbook's claim.
        # Our own export keeps what the clerk wrote in its hidden sheet.
        # Once Excel or LibreOffice has calculated our SUM, the cell holds the sum, not what the clerk wrote: the
        # import must give the same form whether or not a spreadsheet program saved the workbook in between.
        meta = self.meta
        form.stated_total_weight = self._stated(
            r, wc, "stated_total_weight", Place("totals", "weight"), meta.stated_weight if meta else None
        )
        form.stated_total_score = self._stated(
            r, sc, "stated_total_score", Place("totals", "score"), meta.stated_score if meta else None
        )
