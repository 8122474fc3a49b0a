"""Import workbooks typed by hand into the official layout: labels, not addresses, find the table."""

import subprocess
import sys
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_gui.domain.checks import ERROR, check
from selfeval_gui.domain.rules import new_form
from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.xlsx.reader import import_workbook

from .support import ROOT
from .xlsx_handmade import handmade_book, inputs


def _compare_typed(item, original):
    got, want = inputs(item.form), inputs(original)
    for key in want:
        assert got[key] == want[key], key


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"l12": "first"},
        {"l12": "every", "numbers": "text"},
        {"numbers": "fullwidth", "blank_rows": True},
        {"col0": 3, "header_colon": True, "signoff_one_cell": False, "placeholders": False},
        {"blank_rows": True, "l12": "first", "numbers": "text", "col0": 2},
    ],
    ids=["paper", "unmerged", "repeated-text-numbers", "fullwidth-blank-rows", "shifted-colon-labels", "everything"],
)
def test_seed_forms_typed_by_hand_import_with_their_total_errors(tmp_path, seed1, seed2, options):
    book = tmp_path / "两张表.xlsx"
    handmade_book(book, [seed1, seed2], **options)
    items = import_workbook(book)
    assert [i.sheet for i in items] == ["Sheet1", "Sheet2"]
    for item, seed in zip(items, (seed1, seed2), strict=True):
        _compare_typed(item, seed)
    f1, f2 = items[0].form, items[1].form
    assert f1.project_name == "公共事务协管经费"
    assert f1.fund("total").initial == Decimal("1514.0223")
    assert str(f1.fund("total").initial) == "1514.0223"
    assert (f1.stated_total_weight, f1.stated_total_score) == (100, 1000)
    assert (f2.stated_total_weight, f2.stated_total_score) == (96, 96)
    msgs1 = [f.message for f in items[0].findings + check(f1) if f.level == ERROR]
    msgs2 = [f.message for f in items[1].findings + check(f2) if f.level == ERROR]
    assert any("1000" in m and "100" in m for m in msgs1)
    assert any("总分行的分值写的是 96" in m for m in msgs2)
    assert any("4.67" in m for m in msgs2)
    assert f1.filler == "周湜" and f1.fill_date == "2021.2.24" and f1.filler_phone == "87710550"
    assert f1.tree[1].children[0].name == "经济效益指标"  # "经济效益\n指标" on paper
    assert [i.name for i in f1.tree[0].children[0].indicators] == ["协管人数", "临时工人数"]


def test_stated_rate_that_disagrees_is_a_finding_with_its_cell(tmp_path, seed2):
    book = tmp_path / "b.xlsx"
    [at] = handmade_book(book, [seed2], stated_rate="70%")
    [item] = import_workbook(book)
    rate = [f for f in item.findings if "执行率写的是" in f.message]
    assert len(rate) == 1 and rate[0].level == ERROR
    assert "70%" in rate[0].message and "60%" in rate[0].message
    r, c = at["rate"]
    assert f"G{r}" in rate[0].where and "Sheet1" in rate[0].where


def test_stated_rate_as_fraction_or_whole_percent_agrees(tmp_path, seed1):
    for stated in ("99%", "0.9934", "99"):
        book = tmp_path / "b.xlsx"
        handmade_book(book, [seed1], stated_rate=stated)
        [item] = import_workbook(book)
        assert not [f for f in item.findings if "执行率写的是" in f.message], stated


def test_bad_number_keeps_going_and_names_the_cell(tmp_path, seed2):
    book = tmp_path / "b.xlsx"
    [at] = handmade_book(book, [seed2])
    wb = load_workbook(book)
    r = at["indicator_rows"]["完成课程数"]
    wb.active.cell(row=r, column=7, value="十分")
    wb.save(book)
    [item] = import_workbook(book)
    bad = [f for f in item.findings if "十分" in f.message]
    assert bad and f"G{r}" in bad[0].where and bad[0].level == ERROR
    assert item.form.tree[0].children[0].indicators[0].weight is None
    assert item.form.tree[0].children[0].indicators[0].target == "30-50节"


def test_unknown_level2_is_kept_and_reported(tmp_path, seed1):
    book = tmp_path / "b.xlsx"
    [at] = handmade_book(book, [seed1], l12="every")
    wb = load_workbook(book)
    r = at["indicator_rows"]["聘用标准"]
    wb.active.cell(row=r, column=3, value="规范指标")
    wb.save(book)
    [item] = import_workbook(book)
    assert any("规范指标" in f.message for f in item.findings)
    names = [l2.name for l2 in item.form.tree[0].children]
    assert "规范指标" in names
    assert item.form.tree[0].children[names.index("规范指标")].indicators[0].name == "聘用标准"


def test_more_indicator_rows_than_the_template_and_grades(tmp_path):
    form = new_form()
    form.project_name = "多行指标"
    qty = form.tree[0].children[0]
    qty.indicators = []
    from selfeval_gui.domain.form import Indicator

    for n in range(12):
        qty.indicators.append(Indicator(f"指标项{n}", f"≥{n + 1}个", f"{n + 1}个", Decimal("2.5"), Decimal("2.5")))
    book = tmp_path / "b.xlsx"
    handmade_book(book, [form], numbers="text")
    [item] = import_workbook(book)
    got = item.form.tree[0].children[0].indicators
    assert [i.name for i in got] == [f"指标项{n}" for n in range(12)]
    assert all(i.weight == Decimal("2.5") for i in got)


def test_general_2021_template_is_recognised_from_its_names(tmp_path):
    form = new_form("general-2021", year=2021)
    form.project_name = "新模板"
    from selfeval_gui.domain.form import Indicator

    form.tree[1].children[0].indicators = [Indicator("单位成本", "≤100元", "90元", Decimal(10), Decimal(10))]
    book = tmp_path / "b.xlsx"
    handmade_book(book, [form])
    [item] = import_workbook(book)
    assert item.form.template == "general-2021" and item.form.rule_set == "general-2dp"
    assert item.form.year == 2021
    assert item.form.tree[1].name == "成本指标"
    assert item.form.tree[1].children[0].indicators[0].name == "单位成本"


def test_sheets_without_a_form_are_skipped(tmp_path, seed1):
    book = tmp_path / "b.xlsx"
    handmade_book(book, [seed1])
    wb = load_workbook(book)
    notes = wb.create_sheet("说明", 0)
    notes["A1"] = "请各单位于3月底前报送"
    wb.save(book)
    items = import_workbook(book)
    assert [i.sheet for i in items] == ["Sheet1"]


def test_cli_import_several_forms_into_a_folder(tmp_path, seed1, seed2, cn_dir):
    book = cn_dir / "两张表.xlsx"
    handmade_book(book, [seed1, seed2])
    out = cn_dir / "导入"
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(book), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )
    assert r.returncode == 1, r.stderr  # the seeds have errors
    assert "Traceback" not in r.stderr
    files = sorted(p.name for p in out.iterdir())
    assert files == ["公共事务协管经费.json", "城管以奖促治经费.json"]
    assert "1000" in r.stdout
    again = load_form(out / "公共事务协管经费.json")
    assert inputs(again) == inputs(seed1)


def test_workbook_values_saved_by_a_spreadsheet_program_are_read(tmp_path, seed1):
    """WPS/Excel store a formula with its calculated value; the value is what the workbook states."""
    book = tmp_path / "b.xlsx"
    [at] = handmade_book(book, [seed1])
    wb = load_workbook(book)
    ws = wb.active
    r = at["total_row"]
    ws.cell(row=r, column=8, value="=SUM(H10:H40)")
    wb.save(book)
    # openpyxl cannot store a cached value; emulate WPS by writing it into the XML ourselves
    import zipfile

    src = zipfile.ZipFile(book)
    parts = {n: src.read(n) for n in src.namelist()}
    src.close()
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>SUM(H10:H40)</f><v></v>" in sheet or "<f>SUM(H10:H40)</f><v />" in sheet
    sheet = sheet.replace("<f>SUM(H10:H40)</f><v></v>", "<f>SUM(H10:H40)</f><v>990</v>")
    sheet = sheet.replace("<f>SUM(H10:H40)</f><v />", "<f>SUM(H10:H40)</f><v>990</v>")
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    [item] = import_workbook(book)
    assert item.form.stated_total_score == 990
    assert any("990" in f.message for f in check(item.form))
