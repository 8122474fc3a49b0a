"""The export's fast paths (export._Styles, export._merge_cells) write the workbook openpyxl's plain per-cell
styling and ws.merge_cells write: the same bytes, and no style hashing per indicator."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side
from openpyxl.utils import indexed_list

from selfeval_gui.domain.form import Indicator
from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.xlsx import export

from .support import FORMS, SEED2


def _big_form(n: int):
    form = load_form(SEED2)
    level2 = [l2 for l1 in form.tree for l2 in l1.children]
    for l2 in level2:
        l2.indicators = []
    level2[-1].indicators = []  # one empty 二级: its placeholder row
    for k in range(n):
        level2[k % (len(level2) - 1)].indicators.append(
            Indicator(f"第{k + 1}号指标", f"≥{k}个", f"{k}个", Decimal("0.5"), Decimal("0.5"), "延后。" * (k % 3))
        )
    form.fund_note = "部分合同延期至次年支付。"
    return form


def _parts(forms, draft: bool) -> dict[str, bytes]:
    wb, _maps = export.build_workbook(forms, draft=draft)
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # core.xml: the time saved


def _plain_box(ws, r1, c1, r2, c2):
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            ws.cell(row=r, column=c).border = export.BORDER


def _plain_merge(ws, r1, c1, r2, c2, border=True):
    """export._merge as it was: a border on every cell of the block, then openpyxl's merge_cells."""
    if border:
        _plain_box(ws, r1, c1, r2, c2)
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _no_cache(self, cell, how, keep, apply):
    apply(cell)


@pytest.mark.parametrize("draft", [False, True])
def test_workbook_is_the_one_plain_openpyxl_writes(monkeypatch, draft):
    forms = [_big_form(60)] + [load_form(p) for p in sorted(FORMS.glob("*.json"))]
    fast = _parts(forms, draft)
    monkeypatch.setattr(export._Styles, "give", _no_cache)
    monkeypatch.setattr(export, "_merge", _plain_merge)
    assert _parts(forms, draft) == fast


def _cells(ws):
    return {
        k: (type(c).__name__, c.value, tuple(c._style) if c._style is not None else None) for k, c in ws._cells.items()
    }


def _lists(wb):
    return [list(getattr(wb, n)) for n in ("_fonts", "_borders", "_alignments", "_protections", "_number_formats")]


@pytest.mark.parametrize(
    "block", [(2, 2, 2, 5), (2, 2, 9, 2), (3, 1, 6, 4), (4, 4, 4, 4), (1, 1, 2, 1)], ids=lambda b: f"{b}"
)
@pytest.mark.parametrize("border", [True, False])
def test_merge_matches_openpyxl_merge_cells(block, border):
    """Cell by cell, style by style, even over cells already written and a half-framed top-left cell."""
    books = []
    for merge in (export._merge, _plain_merge):
        wb = Workbook()
        ws = wb.active
        thick = Side(style="thick", color="FF0000")
        ws.cell(row=3, column=1).border = Border(left=thick, top=thick)
        export._put(ws, 4, 4, "已有", fmt="0.00")
        export._put(ws, 2, 2, "左上", border=False)
        merge(ws, *block, border=border)
        merge(ws, 12, 1, 14, 3)
        books.append(wb)
    fast, plain = books
    assert _cells(fast.active) == _cells(plain.active)
    assert _lists(fast) == _lists(plain)
    assert sorted(map(str, fast.active.merged_cells.ranges)) == sorted(map(str, plain.active.merged_cells.ranges))


def _style_lookups(monkeypatch, n: int) -> int:
    calls = 0
    add = indexed_list.IndexedList.add

    def counted(self, value):
        nonlocal calls
        calls += 1
        return add(self, value)

    monkeypatch.setattr(indexed_list.IndexedList, "add", counted)
    export.build_workbook([_big_form(n)])
    monkeypatch.setattr(indexed_list.IndexedList, "add", add)
    return calls


def test_styles_are_looked_up_once_per_kind_of_cell_not_per_indicator(monkeypatch):
    """openpyxl hashes a style object to find it in the workbook's list; doing that per cell made a
    10,000-indicator export take seconds.  Ten times the indicators must not mean more lookups."""
    assert _style_lookups(monkeypatch, 500) == _style_lookups(monkeypatch, 50)
