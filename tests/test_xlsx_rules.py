"""Every number the import reads is held to its field's rule (domain.number_rules), as the window holds it."""
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_gui.domain.checks import ERROR
from selfeval_gui.files.xlsx_import import import_workbook

from .xlsx_handmade import handmade_book


def _book_with(tmp_path, form, cells):
    """A hand-typed workbook of `form` with some cells overwritten: {(row, col): value}."""
    book = tmp_path / "b.xlsx"
    [at] = handmade_book(book, [form])
    wb = load_workbook(book)
    for (r, c), value in cells(at).items():
        wb.active.cell(row=r, column=c, value=value)
    wb.save(book)
    [item] = import_workbook(book)
    return item


@pytest.mark.parametrize("executed, score", [(-5, 4.667), ("-5", "4.667"), (Decimal("-5"), Decimal("4.667"))],
                         ids=["numbers", "text", "decimals"])
def test_negative_amount_and_over_precise_score_are_left_empty_with_a_finding(tmp_path, seed2, executed, score):
    def cells(at):
        total_row = at["rate"][0]
        return {(total_row, 5): executed, (at["indicator_rows"]["完成课程数"], 8): score}
    item = _book_with(tmp_path, seed2, cells)
    assert item.form.fund("total").executed is None
    assert item.form.tree[0].children[0].indicators[0].score is None
    errors = [f for f in item.findings if f.level == ERROR and "已留空，请改正" in f.message]
    negative = [f for f in errors if "负数" in f.message]
    places = [f for f in errors if "最多保留2位小数" in f.message]
    assert len(negative) == 1 and "全年执行数" in negative[0].message and "单元格 E" in negative[0].where
    assert negative[0].place.key == "total" and negative[0].place.column == "executed"
    assert len(places) == 1 and "“完成课程数”的得分" in places[0].message and "单元格 H" in places[0].where
    assert places[0].place.key == "score"


def test_over_precise_amount_and_weight_are_refused_too(tmp_path, seed2):
    def cells(at):
        total_row = at["rate"][0]
        return {(total_row, 3): 703.63001, (total_row, 6): "10.005"}
    item = _book_with(tmp_path, seed2, cells)
    assert item.form.fund("total").initial is None and item.form.budget_weight is None
    msgs = [f.message for f in item.findings if f.level == ERROR]
    assert any("年初预算数" in m and "最多保留4位小数" in m for m in msgs)
    assert any("预算执行率的分值" in m and "最多保留2位小数" in m for m in msgs)


def test_allowed_numbers_are_kept_exactly(tmp_path, seed2):
    def cells(at):
        return {(at["rate"][0], 5): 419.5215, (at["indicator_rows"]["完成课程数"], 8): 4.67}
    item = _book_with(tmp_path, seed2, cells)
    assert item.form.fund("total").executed == Decimal("419.5215")
    assert item.form.tree[0].children[0].indicators[0].score == Decimal("4.67")
    assert not [f for f in item.findings if "已留空" in f.message]
