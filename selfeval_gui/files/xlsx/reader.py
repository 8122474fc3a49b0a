"""Import filled workbooks laid out like the official 项目支出绩效自评表: ours, or typed by hand, or saved by WPS.

The table is found by its labels (项目名称, 年度资金总额, 一级指标 … from domain.vocabulary), never by cell
addresses.  Every sheet that holds a form becomes one ImportedForm; what the workbook states but the form does
not store (执行率) is compared with the program's value here, and what the form stores (scores, 总分 row) is
compared by domain.checks.check, so the two lists together are every difference.  Every number read is held to
its field's rule (domain.number_rules): one the window would refuse is left empty with a finding naming the cell.

Safety (size, zip bombs, encryption, defusedxml) is guard.py's; the sheet's cells are read by grid.py.  One sheet
is read by SheetReader, built in layers, each a module: reader_cells (a cell as text or number, findings),
reader_header (title, header fields, goals, sign-off), reader_funds (项目资金, 执行率), reader_template (which
template fits), reader_indicators (the 绩效指标 rows), reader_totals (the 总分 row); read() here runs them in order.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_gui.domain.checks import WARNING, Place
from selfeval_gui.domain.numbers import NumberError, parse_decimal
from selfeval_gui.domain.rules import (
    new_form,
    template_ids,
)
from selfeval_gui.domain.vocabulary import (
    FUND_ROW_WORDS,
    HEADER_LABELS,
    LEVEL1,
    LEVEL3,
    TOTAL,
)
from selfeval_gui.files.xlsx.grid import MAX_COLS, MAX_ROWS, Grid
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.guard import Progress, load, read_checked
from selfeval_gui.files.xlsx.guard import XlsxImportError as XlsxImportError
from selfeval_gui.files.xlsx.layout import (
    META_SHEET,
    norm,
)
from selfeval_gui.files.xlsx.reader_cells import (
    _BUDGET_WORDS,
    SheetMeta,
    _templates,
    header_word,
)
from selfeval_gui.files.xlsx.reader_cells import ImportedForm as ImportedForm  # the import's result
from selfeval_gui.files.xlsx.reader_totals import SheetTotals

log = logging.getLogger(__name__)


class SheetReader(SheetTotals):
    """One sheet read into a form: the parts in order (reader_header, reader_funds, reader_template,
    reader_indicators, reader_totals over reader_cells)."""

    def read(self) -> ImportedForm:
        g = self.g
        ind_head = self.indicator_header()
        budget_words = set(_BUDGET_WORDS) | {t.fund_column_labels["budget"] for t in _templates()}
        fund_head = g.first(lambda t: t in budget_words or header_word(t) in budget_words)  # 全年预算数(B)
        if fund_head:
            self.fund_words = {header_word(g.label(fund_head[0], c)) for c in g.row_cells(fund_head[0])}
        total_cell = None
        if ind_head:
            total_cell = g.first(lambda t: t == TOTAL, range(ind_head[0] + 1, g.max_row + 1))
        top_end = fund_head[0] if fund_head else (ind_head[0] if ind_head else g.max_row + 1)

        district, year = self.title(top_end)
        rows = self.indicator_rows(ind_head, total_cell)
        self.fund_keys = self.fund_rows_found(fund_head, ind_head)
        template_id, rule_set = self.choose_template(rows, year, district)
        form = new_form(template_id, year=year, rule_set=rule_set, district=district)
        for l1 in form.tree:
            for l2 in l1.children:
                l2.indicators = []
        self.header(form, top_end)
        stated_rates = self.funds(form, fund_head, ind_head)
        self.goals(form, ind_head)
        self.place_indicators(form, rows)
        self.totals(form, ind_head, total_cell)
        self.signoff(form, total_cell[0] if total_cell else (ind_head[0] if ind_head else 1))
        if g.truncated:
            self.add(
                WARNING,
                None,
                None,
                f"工作表超过 {MAX_ROWS} 行或 {MAX_COLS} 列，只读取了前面部分，请核对。",
                Place("indicator"),
            )
        self.compare_rates(form, stated_rates)
        return ImportedForm(form, g.title, self.findings, self.template_choices)


# ---------------------------------------------------------------- the workbook


def _meta_decimal(v: object) -> Decimal | None:
    try:
        return parse_decimal(str(v)) if v not in (None, "") else None
    except NumberError:
        log.info("hidden sheet holds no number: %r", v)
        return None


def _read_meta(wb: Any) -> dict[str, SheetMeta]:
    if META_SHEET not in wb.sheetnames:
        return {}
    out = {}
    for row in wb[META_SHEET].iter_rows(min_row=2, max_row=200, max_col=6, values_only=True):
        if row and row[0]:
            row = tuple(row) + (None,) * (6 - len(row))
            out[str(row[0])] = SheetMeta(
                rule_set=str(row[1] or ""),
                template=str(row[2] or ""),
                stated_weight=_meta_decimal(row[4]),
                stated_score=_meta_decimal(row[5]),
            )
    return out


def _looks_like_form(grid: Grid) -> bool:
    labels = {norm(v) for v in grid.values.values() if isinstance(v, str)}
    has_indicators = LEVEL1 in labels and LEVEL3 in labels
    has_funds = any(FUND_ROW_WORDS[0][1] in t for t in labels) and HEADER_LABELS["project_name"] in labels
    return has_indicators or has_funds


def _read_sheet(grid: Grid, meta: SheetMeta | None, template: str | None = None) -> ImportedForm:
    try:
        return SheetReader(grid, meta, template).read()
    except (XlsxImportError, MemoryError):
        raise
    except Exception as e:  # a layout we did not foresee: name the sheet, never a traceback
        log.exception("sheet %r could not be read", grid.title)
        raise XlsxImportError(
            f"工作表“{grid.title}”的内容无法识别（{type(e).__name__}），请对照官方表格式核对。"
        ) from e


def _no_progress(_what: str) -> None:
    return None


def unknown_template(template: str) -> str | None:
    """The sentence for a template id that is not installed (naming those that are), or None when it is."""
    installed = template_ids()
    if template in installed:
        return None
    return f"没有模板“{template}”。已安装的模板：{'、'.join(installed)}。"


def import_workbook(
    path: str | Path,
    progress: Progress = _no_progress,
    *,
    template: str | None = None,
    sheets: Collection[str] | None = None,
) -> list[ImportedForm]:
    """Every form in the workbook, one per sheet; raises XlsxImportError (clerk_message) when there is none.
    `progress` is told what is being read and may raise ImportCancelled to stop.  `template` reads the sheets
    with that installed template (the clerk's choice); `sheets` reads only the sheets of those names."""
    p = Path(path)
    problem = unknown_template(template) if template else None
    if problem:
        raise XlsxImportError(problem)
    data = read_checked(p, progress)
    try:
        return _import(p, data, progress, template, sheets)
    except MemoryError:
        log.warning("out of memory importing %s", p.name, exc_info=True)
        raise XlsxImportError(f"读取“{p.name}”时电脑内存不足，没有导入。请关闭其他程序后再试。") from None


def _import(
    p: Path, data: bytes, progress: Progress, template: str | None = None, sheets: Collection[str] | None = None
) -> list[ImportedForm]:
    progress("")
    wb_f = load(data, data_only=False, name=p.name)
    progress("")
    wb_v = load(data, data_only=True, name=p.name)
    meta = _read_meta(wb_f)
    items, skipped = [], []
    for ws in wb_f.worksheets:
        if ws.title == META_SHEET or (sheets is not None and ws.title not in sheets):
            continue
        progress(ws.title)
        grid = Grid(ws, wb_v[ws.title])
        if not _looks_like_form(grid):
            skipped.append(ws.title)
            continue
        items.append(_read_sheet(grid, meta.get(ws.title), template))
    if not items:
        names = "、".join(f"“{s}”" for s in skipped) or "（无）"
        raise XlsxImportError(
            f"“{p.name}”中没有找到绩效自评表：工作表 {names} 都没有“{HEADER_LABELS['project_name']}”"
            f"“{FUND_ROW_WORDS[0][1]}”或“{LEVEL1}”“{LEVEL3}”等表头。"
        )
    return items
