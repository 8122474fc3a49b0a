"""Issue 13: a form in the funds-with-调整后预算数 layout (the bundled province-2023 template) shows in the window,
prints, and round-trips through the workbook — by its labels, also without our hidden sheet."""

from __future__ import annotations

from decimal import Decimal as D

import openpyxl
import pytest
from PySide6.QtCore import Qt

from selfeval_gui.domain.rules import get_template, new_form
from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.pdf.form_pdf import write_pdf
from selfeval_gui.files.xlsx.export import FUND_CELLS, export_xlsx
from selfeval_gui.files.xlsx.layout import META_SHEET
from selfeval_gui.files.xlsx.reader import import_workbook

from .support import BLANK, page_texts, province_form
from .ui_support import BoxRecorder, open_window

BLANK_PROVINCE = BLANK.parent / "空白表_某省2023.json"
FUND_WORDS = ["年度资金总额", "财政资金", "财政专户管理资金", "单位资金", "其他资金"]


def test_the_bundled_blank_form_is_the_template():
    form = load_form(BLANK_PROVINCE)
    template_year = get_template("province-2023").year  # new_form() without a year takes the year before today
    assert form.__dict__ == {
        **new_form("province-2023", year=template_year).__dict__,
        "loaded_fingerprint": form.loaded_fingerprint,
    }
    assert form.budget_weight == D(20) and [r.key for r in form.funds][1:] == [
        "fiscal",
        "special",
        "unit_funds",
        "other",
    ]


def test_window_shows_the_template_funds_block_and_extra_columns(qtbot):
    w = open_window(qtbot, province_form())
    funds, tree = w.sheet.funds_model, w.sheet.model
    heads = [funds.headerData(c, Qt.Horizontal) for c in range(funds.columnCount())]
    assert heads[:3] == ["年初预算数", "调整后预算数", "预算执行数"]
    assert [funds.headerData(r, Qt.Vertical) for r in range(funds.rowCount())] == FUND_WORDS
    computed = heads.index("计算得分")  # 填报得分 then 计算得分, as in the indicator table (issue 10)
    assert funds.index(0, 4).data() == "50%" and funds.index(0, computed).data() == "10.00"
    assert funds.index(2, 4).data() == "50%"  # 财政专户管理资金 50 ÷ 100
    shown = [tree.headerData(c, Qt.Horizontal) for c in range(tree.columnCount()) if not w.sheet.tree.isColumnHidden(c)]
    assert "指标性质" in shown and "度量单位" in shown
    header = w.sheet.tree.header()
    assert header.visualIndex(tree.columnCount() - 2) == 1  # 指标性质 right after 三级指标
    row = tree.index(0, 0, tree.index(0, 0, tree.index(0, 0)))
    assert tree.index(0, tree.columnCount() - 2, row.parent()).data() == "正向"
    assert tree.row_label(tree.index(1, 0, row.parent())) == ""  # "指标2：桥梁检测" keeps its own number
    assert tree.index(1, 5, row.parent()).data() == "不适用"


def test_other_templates_hide_the_extra_columns(qtbot, seed2):
    w = open_window(qtbot, seed2)
    tree = w.sheet.model
    hidden = [tree.headerData(c, Qt.Horizontal) for c in range(tree.columnCount()) if w.sheet.tree.isColumnHidden(c)]
    assert hidden == ["指标性质", "度量单位"]
    assert w.sheet.funds_model.rowCount() == 4


def test_pdf_prints_the_template_layout(cn_dir):
    out = cn_dir / "省级.pdf"
    write_pdf(province_form(), out, draft=True)
    text = "".join(page_texts(out))
    for word in [
        "某省项目支出绩效自评表",
        "调整后预算数",
        "预算执行数",
        *FUND_WORDS,
        "指标性质",
        "度量单位",
        "正向",
        "公里",
        "指标2：桥梁检测",
        "2023年10月",
    ]:
        assert word in text, word
    assert "指标2：指标2" not in text


def test_workbook_round_trip_by_labels(cn_dir):
    form = province_form()
    out = cn_dir / "省级.xlsx"
    export_xlsx([form], out)
    ws = openpyxl.load_workbook(out)[form.project_name]
    budget_score = ws[f"{FUND_CELLS.score}{7}"].value
    assert "ROUND(H7,2)" in budget_score  # the rate rounded to a whole percent before scoring, as the rule set says
    for keep_meta in (True, False):
        if not keep_meta:  # a workbook without our hidden sheet: found by its labels alone
            wb = openpyxl.load_workbook(out)
            del wb[META_SHEET]
            wb.save(out)
        [imported] = import_workbook(out)
        back = imported.form
        assert back.template == "province-2023" and back.rule_set == "province-2023"
        assert [(r.key, r.initial, r.budget, r.executed) for r in back.funds] == [
            (r.key, r.initial, r.budget, r.executed) for r in form.funds
        ]
        assert back.budget_weight == D(20) and back.budget_score == D(10)
        first = back.tree[0].children[0].indicators[0]
        assert (first.nature, first.measure_unit) == ("正向", "公里")
        assert back.tree[0].children[2].indicators[0].target == "2023年12月"
        assert back.tree[0].children[0].indicators[1].name == "桥梁检测"  # the number is the row's, not the name's


def test_truncating_rule_set_writes_rounddown(cn_dir, monkeypatch):
    from selfeval_gui.domain import scoring
    from selfeval_gui.domain.rules import get_rule_set

    real = get_rule_set("province-2023")
    down = type(real)(**{**real.__dict__, "rounding": "down"})
    monkeypatch.setattr(scoring, "form_rule_set", lambda _form: (down, ""))
    from selfeval_gui.files.xlsx import export as xlsx_export

    monkeypatch.setattr(xlsx_export, "form_rule_set", lambda _form: (down, ""))
    out = cn_dir / "截尾.xlsx"
    export_xlsx([province_form()], out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws[f"{FUND_CELLS.score}7"].value == (
        '=IF(AND(ISNUMBER(H7),ISNUMBER(G7)),ROUNDDOWN(MIN(ROUNDDOWN(H7,2)*G7,G7),2),"")'
    )


def test_install_menu_installs_and_rescores_the_open_form(qtbot, monkeypatch, cn_dir):
    import json

    from selfeval_gui.domain.rules import RULESETS

    from .support import ROOT

    form = province_form()
    form.rule_set = "city-2024"
    w = open_window(qtbot, form)
    assert any("city-2024" in f.message for f in w.doc.findings)
    data = json.loads((ROOT / "resources" / RULESETS / "chaoyang-2020.json").read_text(encoding="utf-8"))
    boxes = BoxRecorder(monkeypatch)
    bad = cn_dir / "坏.json"
    bad.write_text(json.dumps({**data, "id": "city-2024", "rate_places": "零"}), encoding="utf-8")
    assert not w.install_rules(bad)
    assert "rate_places" in boxes.texts("warning")[0]
    good = cn_dir / "规则.json"
    good.write_text(json.dumps({**data, "id": "city-2024", "name": "某市"}), encoding="utf-8")
    assert w.install_rules(good)
    assert "已安装规则集“某市”" in boxes.texts("information")[0]
    assert not any("city-2024" in f.message for f in w.doc.findings)
    assert w.doc.evaluation.rule_set.id == "city-2024"
    assert w.act_install_rules in w.menuBar().actions()[0].menu().actions()


@pytest.mark.parametrize("template", ["chaoyang-2020", "general-2021", "province-2023"])
def test_every_template_computes_prints_and_round_trips(cn_dir, template):
    form = province_form() if template == "province-2023" else new_form(template)
    form.project_name = f"测试{template}"
    write_pdf(form, cn_dir / "a.pdf", draft=True)
    export_xlsx([form], cn_dir / "a.xlsx")
    [back] = import_workbook(cn_dir / "a.xlsx")
    assert [r.key for r in back.form.funds] == [r.key for r in form.funds]
    assert back.form.budget_weight == form.budget_weight


def test_an_older_two_column_template_installs_shows_prints_and_round_trips(qtbot, cn_dir):
    """年初预算数 and 全年执行数 only (older forms): the rate is 全年执行数 ÷ 年初预算数."""
    import json

    from selfeval_gui.files.rule_files import install

    from .support import ROOT

    data = json.loads((ROOT / "resources" / "templates" / "chaoyang-2020.json").read_text(encoding="utf-8"))
    data.update(
        id="old-2019",
        name="旧表样（年初预算数、全年执行数）",
        year=2019,
        funds={"columns": [{"key": "budget", "label": "年初预算数"}, {"key": "executed", "label": "全年执行数"}]},
    )
    (cn_dir / "旧表样.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    install(cn_dir / "旧表样.json")
    form = new_form("old-2019")
    form.project_name = "旧项目"
    form.fund("total").budget, form.fund("total").executed = D(200), D(150)
    w = open_window(qtbot, form)
    funds = w.sheet.funds_model
    assert [funds.headerData(c, Qt.Horizontal) for c in range(3) if not w.sheet.funds.isColumnHidden(c)] == [
        "年初预算数",
        "全年执行数",
    ]
    assert funds.index(0, 4).data() == "75%"
    write_pdf(form, cn_dir / "旧.pdf", draft=True)
    text = "".join(page_texts(cn_dir / "旧.pdf"))
    assert "年初预算数全年执行数分值执行率得分" in text and "全年预算数" not in text
    out = cn_dir / "旧.xlsx"
    export_xlsx([form], out)
    wb = openpyxl.load_workbook(out)
    del wb[META_SHEET]
    wb.save(out)
    [back] = import_workbook(out)
    assert back.form.template == "old-2019"
    assert (back.form.fund("total").budget, back.form.fund("total").executed) == (D(200), D(150))
