"""The exported workbook as the finance bureau opens it: layout, number formats, print setup, round trip."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.rules import new_form
from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.xlsx.export import export_xlsx
from selfeval_gui.files.xlsx.reader import import_workbook

from .support import FORMS
from .xlsx_handmade import inputs


def _rich_form():
    """Everything a clerk can type that the paper does not show, and text that trips spreadsheets."""
    form = new_form("general-2021")
    form.project_name = "R&D <测试> 项目：第[1]期/二"
    form.department, form.unit, form.leader, form.phone = "某局", "某中心", "张三", "010-12345678"
    total = form.fund("total")
    total.initial, total.budget, total.executed = Decimal("1514.0223"), Decimal("100.0001"), Decimal("86.18")
    form.fund("current").budget = Decimal("0.0001")
    form.budget_score = Decimal("8.62")
    form.fund_note = "部分合同延期至次年支付。\n已督促加快进度。"
    form.goal_expected, form.goal_actual = "=1+1 不是公式", "第一行\n第二行"
    form.tree[0].children[0].indicators = [
        Indicator("课程数", "≥30节", "28节", Decimal("10"), Decimal("9.33"), "部分课程延期"),
        Indicator("", "", "", Decimal("5"), None),
    ]
    form.tree[0].children[1].indicators = [
        Indicator("质量", "符合规范", "符合", Decimal("12.5"), Decimal("11"), grade="achieved"),
        Indicator("服务", "及时", "基本及时", Decimal("7.5"), Decimal("5"), "人手不足", grade="partial"),
    ]
    form.filler, form.filler_phone, form.fill_date = "李四", "13800000000", "2022-01-15"
    return form


def _example_forms():
    return [load_form(p) for p in sorted(FORMS.glob("*.json"))] + [_rich_form()]


def test_round_trip_keeps_every_input(tmp_path, cn_dir):
    forms = _example_forms()
    out = cn_dir / "全部表.xlsx"
    export_xlsx(forms, out)
    items = import_workbook(out)
    assert len(items) == len(forms)
    for item, form in zip(items, forms, strict=True):
        got, want = inputs(item.form), inputs(form)
        # The 总分 row is exported as SUM formulas; what the clerk wrote there (seed 1: 1000) comes back from
        # the hidden sheet, so the round trip keeps it and check() still reports it.
        assert got == want, form.project_name
        assert item.findings == [] or all(f.level == "info" for f in item.findings)


def test_round_trip_keeps_the_seed_total_error(tmp_path, seed1):
    from selfeval_gui.domain.checks import check

    out = tmp_path / "表.xlsx"
    export_xlsx([seed1], out)
    [item] = import_workbook(out)
    assert item.form.stated_total_score == seed1.stated_total_score == Decimal("1000")
    assert any("1000" in f.message for f in check(item.form))


def test_layout_numbers_and_print_setup(tmp_path, seed1):
    out = tmp_path / "a.xlsx"
    [m] = export_xlsx([seed1], out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["公共事务协管经费", "_selfeval"]
    assert wb["_selfeval"].sheet_state == "hidden"
    ws = wb["公共事务协管经费"]
    assert ws["A1"].value == "朝阳区项目支出绩效自评表" and ws["A2"].value == "（2020年度）"
    assert ws["C3"].value == "公共事务协管经费"
    r = m.fund_rows["total"]
    assert ws[f"B{r}"].value == "年度资金总额"
    assert Decimal(repr(ws[f"D{r}"].value)) == Decimal("1514.0223")
    assert ws[f"D{r}"].number_format == "0.0000"
    assert ws[m.rate_cell].value.startswith("=IF(") and ws[m.rate_cell].number_format == "0%"
    assert "ROUND(MIN(" in ws[m.budget_score_cell].value and ",0)" in ws[m.budget_score_cell].value
    assert ws[m.total_weight_cell].value.startswith("=SUM(")
    assert ws[m.total_score_cell].value.startswith("=SUM(")
    row = m.indicator_rows[(0, 0, 0)]
    assert ws[f"D{row}"].value == "指标1：协管人数"
    assert ws[f"E{row}"].value == "112人（上半年）     85人（下半年）"
    merged = {str(x) for x in ws.merged_cells.ranges}
    l1_rows = [v for k, v in m.indicator_rows.items() if k[0] == 0]
    assert f"B{min(l1_rows)}:B{max(l1_rows)}" in merged  # 产出指标 spans its rows
    assert ws[f"E{row}"].alignment.wrap_text
    assert ws[f"E{row}"].border.left.style == "thin"
    assert ws.column_dimensions["E"].width >= 20
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows  # the 绩效指标 header repeats
    assert "$A$1:$I$" in str(ws.print_area)


def test_two_decimal_rule_set_and_text_that_looks_like_a_formula(tmp_path):
    form = _rich_form()
    out = tmp_path / "b.xlsx"
    [m] = export_xlsx([form], out)
    ws = load_workbook(out).worksheets[0]
    assert ws.title == "R&D <测试> 项目_第_1_期_二"
    assert ws[m.rate_cell].number_format == "0.00%"
    assert ",2)" in ws[m.budget_score_cell].value
    cells = [c for row in ws.iter_rows() for c in row if c.value == "=1+1 不是公式"]
    assert cells and cells[0].data_type == "s"


def test_same_project_twice_gets_two_sheets(tmp_path, seed1):
    [a, b] = export_xlsx([seed1, seed1], tmp_path / "c.xlsx")
    assert a.title != b.title and len(b.title) <= 31


def test_export_failure_names_the_file_and_writes_nothing(tmp_path, seed1):
    from selfeval_gui.files.xlsx.export import XlsxExportError

    target = tmp_path / "没有这个文件夹" / "a.xlsx"
    with pytest.raises(XlsxExportError) as e:
        export_xlsx([seed1], target)
    assert "无法写入" in e.value.clerk_message
    assert not target.parent.exists()
