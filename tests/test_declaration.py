"""绩效目标申报表 → 自评表 draft (issue 20 item 1): each invented layout, as .xlsx and .docx, imports into a draft
whose rows, names and targets equal the source in order; the 长期 table is skipped and said so; the draft
remembers what was approved and a changed approved target or name later gives a 提示."""

from __future__ import annotations

import pytest

from selfeval_gui.domain.checks import INFO, check
from selfeval_gui.files.formfile import dumps, loads
from selfeval_gui.files.importing import import_document
from selfeval_gui.files.xlsx.reader import XlsxImportError

from .make_declarations import LAYOUTS, write_docx, write_xlsx

WRITERS = {"xlsx": write_xlsx, "docx": write_docx}


def _import(tmp_path, layout, suffix):
    blocks, _rows = LAYOUTS[layout]
    path = WRITERS[suffix](blocks, tmp_path / f"申报表_{layout}.{suffix}")
    items = import_document(path)
    assert len(items) == 1
    return items[0]


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_each_layout_gives_the_source_rows_in_order(tmp_path, layout, suffix):
    item = _import(tmp_path, layout, suffix)
    form = item.form
    want = [(r[0], r[1], r[2], r[3]) for r in LAYOUTS[layout][1]]
    got = [(l1.name, l2.name, ind.name, ind.target) for _i, _j, _k, l1, l2, ind in form.iter_indicators()]
    assert got == want
    for ind in form.indicators():
        assert (ind.actual, ind.score, ind.deviation, ind.grade) == ("", None, "", None)
    assert all(row.executed is None for row in form.funds)
    assert form.goal_actual == "" and form.budget_score is None
    assert form.approved is not None and form.approved.source == f"申报表_{layout}.{suffix}"
    assert [(a.level1, a.level2, a.name, a.target) for a in form.approved.rows] == want
    assert not [f for f in check(form) if "申报表" in f.message]  # nothing changed yet


def test_two_tables_skip_the_long_term_one_with_a_finding(tmp_path):
    item = _import(tmp_path, "two_tables", "docx")
    form = item.form
    assert form.year == 2021
    assert (form.project_name, form.department, form.unit, form.leader, form.phone) == (
        "社区养老服务中心运营补助",
        "某区民政局",
        "某区养老服务指导中心",
        "李明",
        "010-12345678",
    )
    assert [(r.key, str(r.initial), str(r.budget)) for r in form.funds] == [
        ("total", "120.5", "120.5"),
        ("current", "100", "100"),
        ("carryover", "15.5", "15.5"),
        ("other", "5", "5"),
    ]
    assert form.goal_expected.startswith("为全区老年人提供助餐")
    skipped = [f for f in item.findings if "长期绩效指标" in f.message]
    assert len(skipped) == 1 and skipped[0].level == INFO and "2 条" in skipped[0].message
    assert "三年累计服务人次" not in [i.name for i in form.indicators()]


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_nature_and_unit_where_the_template_has_them(tmp_path, suffix):
    form = _import(tmp_path, "nature_unit", suffix).form
    assert form.template == "province-2023" and form.year == 2023 and form.district == "某省"
    assert [(i.nature, i.measure_unit) for i in form.indicators()] == [(r[4], r[5]) for r in LAYOUTS["nature_unit"][1]]
    assert form.fund("fiscal").budget == 60 and form.fund("total").initial == 80


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_budget_export_keeps_the_weights(tmp_path, suffix):
    form = _import(tmp_path, "budget_export", suffix).form
    assert [str(i.weight) for i in form.indicators()] == [r[6] for r in LAYOUTS["budget_export"][1]]
    assert form.year == 2022 and form.fund("total").budget == 400 and form.fund("carryover").initial == 50
    assert form.goal_expected == "完成5000平方米校舍修缮，消除安全隐患。"


def test_a_forced_template_is_used_and_an_unknown_one_refused(tmp_path):
    blocks, _rows = LAYOUTS["two_tables"]
    path = write_docx(blocks, tmp_path / "a.docx")
    assert import_document(path, template="chaoyang-2020")[0].form.template == "chaoyang-2020"
    with pytest.raises(XlsxImportError) as e:
        import_document(path, template="no-such-template")
    assert "没有模板" in e.value.clerk_message


def test_a_changed_approved_target_or_name_gives_a_hint(tmp_path):
    form = _import(tmp_path, "two_tables", "xlsx").form
    inds = form.indicators()
    inds[2].target = "98%"
    inds[0].name = "服务老人人次"
    hints = [f for f in check(form) if "申报表" in f.message]
    assert all(f.level == INFO for f in hints)
    by_key = {f.place.key: f for f in hints}
    assert by_key["target"].message == (
        "年度指标值“98%”与申报表不一致（申报表：“100%”）；如经批准调整，请在偏差原因中说明。"
    )
    assert by_key["target"].place.path == (0, 1, 0) and "服务投诉办结率" in by_key["target"].where
    assert "申报表：“服务老年人人次”" in by_key["name"].message and "≥12000人次" in by_key["name"].message
    form.rows_at([l1.name for l1 in form.tree].index("满意度指标"), 0).clear()  # the 满意度 row removed
    gone = [f for f in check(form) if "已不在表中" in f.message]
    assert len(gone) == 1 and "老年人满意度" in gone[0].message


def test_moving_a_row_or_adding_one_is_no_change(tmp_path):
    form = _import(tmp_path, "two_tables", "docx").form
    form.move_indicator(0, 0, 0, 1)
    form.insert_indicator(0, 0, 0).name = "新增指标"
    assert not [f for f in check(form) if "申报表" in f.message]


def test_the_record_is_saved_and_read_back_and_next_year_is_not_compared(tmp_path):
    form = _import(tmp_path, "budget_export", "docx").form
    again = loads(dumps(form))
    assert again == form and again.approved == form.approved
    form.indicators()[0].target = "≥4000平方米"
    assert [f for f in check(form) if "申报表" in f.message]
    form.year += 1  # next year's draft carries the record but is not held to last year's 申报表
    assert not [f for f in check(form) if "申报表" in f.message]


def test_an_old_file_without_the_record_still_opens(tmp_path):
    form = _import(tmp_path, "budget_export", "xlsx").form
    form.approved = None
    text = dumps(form)
    assert '"approved"' not in text
    assert loads(text).approved is None


def test_a_draft_from_a_declaration_matches_the_published_form_schema(tmp_path):
    """The form file of a draft made from a 申报表 (with its `approved` record) is valid against the published
    schema, as the bundled forms are."""
    import json

    jsonschema = pytest.importorskip("jsonschema")
    from selfeval_gui.files.formfile import save_form
    from selfeval_gui.files.importing import import_document
    from selfeval_gui.paths import resource_path

    from .make_declarations import write_all

    files = write_all(tmp_path / "src")
    source = next(p for group in files.values() for p in group if str(p).endswith(".xlsx"))
    form = import_document(source)[0].form
    assert form.approved is not None
    save_form(form, tmp_path / "draft.json")
    schema = json.loads(resource_path("schema", "selfeval-form.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads((tmp_path / "draft.json").read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize("suffix", ["xlsx", "docx"])
def test_funds_stated_in_yuan_are_made_wan_yuan(tmp_path, suffix):
    """A budget system's 申报表 in 元: the draft's amounts are in 万元 (÷10000), and a 提示 says so."""
    import json

    blocks, _rows = LAYOUTS["two_tables"]
    in_yuan = {
        "项目资金（万元）": "项目资金（元）",
        "120.5": "1205000.00",
        "100": "1000000",
        "15.5": "155000",
        "5": "50000",
    }
    text = json.dumps(blocks, ensure_ascii=False)
    for old, new in in_yuan.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    changed = json.loads(text)
    path = WRITERS[suffix](_tuples(changed), tmp_path / f"申报表_元.{suffix}")
    item = import_document(path)[0]
    assert [(r.key, str(r.budget)) for r in item.form.funds] == [
        ("total", "120.5"),
        ("current", "100"),
        ("carryover", "15.5"),
        ("other", "5"),
    ]
    assert any("以“元”为单位" in f.message for f in item.findings)
    plain = _import(tmp_path, "two_tables", suffix)  # stated in 万元: nothing converted, nothing said
    assert str(plain.form.fund("total").budget) == "120.5"
    assert not any("以“元”为单位" in f.message for f in plain.findings)


def _tuples(value):
    """JSON turned the layout's tuples into lists: back to tuples where the writers expect them (cells)."""
    if (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(x, int) for x in value[1:])
    ):
        return tuple(value)
    if isinstance(value, list) and len(value) == 2 and value[0] in ("p", "t"):
        return (value[0], _tuples(value[1]))
    if isinstance(value, list):
        return [_tuples(v) for v in value]
    return value


def test_a_word_finding_names_the_table_and_row_as_word_shows_them(tmp_path):
    """Not “单元格 C14” (a Word table has no cell names): the table's number in the document and its row."""
    item = _import(tmp_path, "two_tables", "docx")
    [skipped] = [f for f in item.findings if "长期绩效指标" in f.message]
    assert "第 2 个表格 第 1 行" in skipped.where and "单元格" not in skipped.where
    sheet = _import(tmp_path, "two_tables", "xlsx")
    assert any("单元格" in f.where or "行" in f.where for f in sheet.findings)  # a workbook keeps its cell names
