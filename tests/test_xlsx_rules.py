"""Every number the import reads is held to its field's rule (domain.number_rules), as the window holds it."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_gui.domain.checks import ERROR
from selfeval_gui.files.xlsx.reader import import_workbook

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


@pytest.mark.parametrize(
    "executed, score",
    [(-5, 4.667), ("-5", "4.667"), (Decimal("-5"), Decimal("4.667"))],
    ids=["numbers", "text", "decimals"],
)
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
        return {(total_row, 3): 703.6300001, (total_row, 6): "10.005"}

    item = _book_with(tmp_path, seed2, cells)
    assert item.form.fund("total").initial is None and item.form.budget_weight is None
    msgs = [f.message for f in item.findings if f.level == ERROR]
    assert any("年初预算数" in m and "最多保留6位小数" in m for m in msgs)
    assert any("预算执行率的分值" in m and "最多保留2位小数" in m for m in msgs)


def test_allowed_numbers_are_kept_exactly(tmp_path, seed2):
    def cells(at):
        return {(at["rate"][0], 5): 419.5215, (at["indicator_rows"]["完成课程数"], 8): 4.67}

    item = _book_with(tmp_path, seed2, cells)
    assert item.form.fund("total").executed == Decimal("419.5215")
    assert item.form.tree[0].children[0].indicators[0].score == Decimal("4.67")
    assert not [f for f in item.findings if "已留空" in f.message]


def test_negative_amount_weight_and_score_import_into_a_file_check_and_the_window_open(tmp_path, seed2, win, boxes):
    """Issue 14: the importer refuses what the JSON loader refuses, so what it writes always opens again."""
    import subprocess
    import sys

    from selfeval_gui.files.formfile import load_form

    from .support import ROOT

    book = tmp_path / "负数.xlsx"
    [at] = handmade_book(book, [seed2])
    wb = load_workbook(book)
    row = at["indicator_rows"]["完成课程数"]
    for (r, c), value in {(at["rate"][0], 5): -5, (row, 7): -10, (row, 8): "-3"}.items():
        wb.active.cell(row=r, column=c, value=value)
    wb.save(book)
    out = tmp_path / "导入.json"

    def cli(*args):
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
        )

    r = cli("import", book, "-o", out)
    assert r.returncode == 1, r.stderr
    said = [line for line in r.stdout.splitlines() if "负数" in line]
    assert len(said) == 3
    assert any("全年执行数" in s and f"E{at['rate'][0]}" in s for s in said)
    assert any("“完成课程数”的分值" in s and f"G{row}" in s for s in said)
    assert any("“完成课程数”的得分" in s and f"H{row}" in s for s in said)
    form = load_form(out)  # the JSON loader takes what the importer wrote
    ind = form.tree[0].children[0].indicators[0]
    assert (form.fund("total").executed, ind.weight, ind.score) == (None, None, None)
    assert cli("check", out).returncode in (0, 1)
    assert win.open_path(out) and win.current_path() == out
