"""Issue 22 item 3: a template's options — weights on the 一级 / 二级 headings, a template without 分值/得分, and
预算执行率 as an indicator row.  Each template is invented here and installed into the test's user data folder."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from selfeval_gui.domain import rules
from selfeval_gui.domain.checks import ERROR, check, errors_of
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.rule_files import InstallError, install

BASE = {"name": "测试模板", "district": "测试区", "year": 2023, "rule_set": "chaoyang-2020"}

HEADINGS = {
    **BASE,
    "id": "test-headings",
    "weights_on": "level1",
    "tree": [
        {"name": "产出指标", "weight": "50", "children": ["数量指标", "质量指标"]},
        {"name": "效益指标", "weight": "30", "children": ["社会效益指标"]},
        {"name": "满意度指标", "weight": "10", "children": ["服务对象满意度指标"]},
    ],
}
LEVEL2 = {
    **BASE,
    "id": "test-level2",
    "weights_on": "level2",
    "tree": [
        {"name": "产出指标", "children": [{"name": "数量指标", "weight": "30"}, {"name": "质量指标", "weight": "20"}]},
        {"name": "效益指标", "children": [{"name": "社会效益指标", "weight": "30"}]},
        {"name": "满意度指标", "children": [{"name": "服务对象满意度指标", "weight": "10"}]},
    ],
}
UNSCORED = {
    **BASE,
    "id": "test-unscored",
    "scored": False,
    "tree": [
        {"name": "产出指标", "children": ["数量指标"]},
        {"name": "效益指标", "children": ["社会效益指标"]},
        {"name": "满意度指标", "children": ["服务对象满意度指标"]},
    ],
}
RATE_ROW = {
    **BASE,
    "id": "test-rate-row",
    "execution_rate_row": "预算执行率",
    "tree": [
        {"name": "产出指标", "children": ["数量指标"]},
        {"name": "效益指标", "children": ["社会效益指标"]},
        {"name": "满意度指标", "children": ["服务对象满意度指标"]},
        {"name": "项目管理", "children": ["资金管理"]},
    ],
}


def _install(tmp_path, data: dict) -> str:
    path = tmp_path / f"{data['id']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    install(path)
    return str(data["id"])


def _row(name, target, actual, weight=None, score=None, deviation="") -> Indicator:
    return Indicator(name=name, target=target, actual=actual, weight=weight, score=score, deviation=deviation)


def _form(template_id: str, budget="100", executed="100"):
    form = rules.new_form(template_id, year=2023)
    total = form.fund("total")
    total.budget, total.executed = D(budget), D(executed)
    return form


def _put(form, i: int, j: int, *rows: Indicator) -> None:
    form.tree[i].children[j].indicators[:] = list(rows)


def _texts(findings, level=None) -> list[str]:
    return [f"{f.where}：{f.message}" for f in findings if level is None or f.level == level]


# ---------------------------------------------------------------- weights on the headings


def _heading_form(tmp_path, extra_score="10"):
    form = _form(_install(tmp_path, HEADINGS))
    form.budget_score = D(10)
    _put(form, 0, 0, _row("完成台数", "≥10台", "10台", score=D(30)))
    _put(form, 0, 1, _row("合格率", "≥95%", "96%", score=D(extra_score)))
    _put(form, 1, 0, _row("受益人数", "≥100人", "120人", score=D(30)))
    _put(form, 2, 0, _row("满意度", "≥90%", "95%", score=D(10)))
    return form


def test_heading_weights_are_read_and_the_rows_need_no_weight(tmp_path):
    form = _heading_form(tmp_path, extra_score="20")
    ev = evaluate(form)
    assert ev.level1_weights == {"产出指标": D(50), "效益指标": D(30), "满意度指标": D(10)}
    assert ev.total_weight == D(100)
    assert ev.total_score == D(100)
    found = check(form, ev)
    assert not [f for f in found if "没有填写分值" in f.message], _texts(found)
    assert not [f for f in found if f.where.startswith("总分")], _texts(found)


def test_rows_scoring_more_than_their_heading_are_an_error_naming_it(tmp_path):
    form = _heading_form(tmp_path, extra_score="25")
    errors = _texts(errors_of(check(form)))
    assert any("一级指标“产出指标”各三级指标得分合计 55，超过了它的分值 50" in e for e in errors), errors
    assert not any("效益指标“" in e for e in errors), errors


def test_level2_weights_hold_each_level2(tmp_path):
    form = _form(_install(tmp_path, LEVEL2))
    form.budget_score = D(10)
    _put(form, 0, 0, _row("完成台数", "≥10台", "10台", score=D(31)))
    ev = evaluate(form)
    assert ev.level1_weights["产出指标"] == D(50)
    assert ev.total_weight == D(100)
    errors = _texts(errors_of(check(form, ev)))
    assert any("二级指标“数量指标”各三级指标得分合计 31，超过了它的分值 30" in e for e in errors), errors


def test_a_weight_typed_on_a_row_is_not_counted_and_asked_to_be_cleared(tmp_path):
    form = _heading_form(tmp_path, extra_score="20")
    form.tree[0].children[0].indicators[0].weight = D(30)
    ev = evaluate(form)
    assert ev.total_weight == D(100)
    assert any("三级指标不填分值" in t for t in _texts(check(form, ev)))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"weights_on": "level3"}, "weights_on"),
        ({"weights_on": "level2"}, "没有写分值"),
        ({"weights_on": "level4"}, "weights_on"),
        ({"scored": False}, "scored"),
    ],
)
def test_heading_weights_that_do_not_agree_are_refused(tmp_path, change, words):
    with pytest.raises(InstallError, match=words):
        _install(tmp_path, {**HEADINGS, **change})


def test_a_level1_weight_beside_its_level2_weights_must_be_their_sum(tmp_path):
    data = json.loads(json.dumps(LEVEL2))
    data["tree"][0]["weight"] = "60"
    with pytest.raises(InstallError, match="合计 50"):
        _install(tmp_path, data)


# ---------------------------------------------------------------- a template without 分值/得分


def _unscored_form(tmp_path):
    form = _form(_install(tmp_path, UNSCORED), executed="80")
    _put(form, 0, 0, _row("完成台数", "≥10台", "8台"))
    _put(form, 1, 0, _row("受益人数", "≥100人", "120人"))
    _put(form, 2, 0, _row("满意度", "≥90%", ""))
    return form


def test_a_form_without_scores_has_no_score_findings_and_no_grade(tmp_path):
    form = _unscored_form(tmp_path)
    assert form.budget_weight is None
    ev = evaluate(form)
    assert ev.total_score is None and ev.grade is None and ev.budget_score is None
    assert all(r.computed is None and r.effective is None for r in ev.indicators)
    found = check(form, ev)
    texts = _texts(found)
    for word in ("分值", "得分", "总分", "完成等级"):
        assert not [t for t in texts if t.split("：")[0].endswith(word) or t.startswith(word)], texts
    assert not [f for f in found if f.place.section == "totals"], texts
    # completeness and the deviation note are still asked for
    assert any("没有填写实际完成值" in t for t in texts), texts
    assert any("需要填写“偏差原因分析及改进措施”" in t and "完成台数" in t for t in texts), texts
    assert any("执行率" in t for t in texts), texts


# ---------------------------------------------------------------- 预算执行率 as an indicator row


def _rate_form(tmp_path, score, executed="100"):
    form = _form(_install(tmp_path, RATE_ROW), executed=executed)
    _put(form, 3, 0, _row("预算执行率", "100%", "100%", weight=D(10), score=score))
    return form


def test_the_execution_rate_row_is_scored_from_the_funds_rate(tmp_path):
    form = _rate_form(tmp_path, D(10))
    assert form.budget_weight is None
    ev = evaluate(form)
    row = ev.result_at((3, 0, 0))
    assert row is not None and row.computed == D(10)
    assert ev.budget_score is None
    found = check(form, ev)
    assert not [f for f in found if f.place.section == "funds" and f.place.column in ("weight", "score")]
    assert not [f for f in found if f.place.path == (3, 0, 0) and f.place.key == "score"], _texts(found)


def test_a_wrong_score_on_the_execution_rate_row_is_flagged(tmp_path):
    form = _rate_form(tmp_path, D(9))
    errors = [f for f in check(form) if f.level == ERROR and f.place.path == (3, 0, 0)]
    assert any("填报得分 9，按规则计算应为 10" in f.message for f in errors), _texts(errors)


def test_the_execution_rate_row_follows_the_rate_and_is_capped(tmp_path):
    ev = evaluate(_rate_form(tmp_path, None, executed="80"))
    row = ev.result_at((3, 0, 0))
    assert row is not None and row.computed == D(8) and row.missed
    ev = evaluate(_rate_form(tmp_path, None, executed="120"))
    row = ev.result_at((3, 0, 0))
    assert row is not None and row.computed == D(10)


# ---------------------------------------------------------------- the bundled templates and the seed forms


def test_the_bundled_templates_have_the_usual_options():
    for template_id in rules.template_ids():
        assert rules.get_template(template_id).options == rules.TemplateOptions()


def test_the_seed_forms_findings_do_not_change(seed1, seed2):
    from selfeval_gui.domain.checks import _under_template_options

    for form in (seed1, seed2):
        ev = evaluate(form)
        found = check(form, ev)
        assert _under_template_options(form, ev, found) == found


# ---------------------------------------------------------------- the window and the PDF


def test_the_window_hides_the_score_columns_of_a_form_without_scores(qtbot, tmp_path):
    from selfeval_gui.ui.form.funds_model import COL as FUND_COL
    from selfeval_gui.ui.form.indicator_columns import COL

    from .ui_support import open_window

    w = open_window(qtbot, _unscored_form(tmp_path))
    for key in ("weight", "score", "computed", "grade"):
        assert w.sheet.tree.isColumnHidden(COL[key]), key
    assert not w.sheet.tree.isColumnHidden(COL["target"])
    for key in ("weight", "score", "computed"):
        assert w.sheet.funds.isColumnHidden(FUND_COL[key]), key
    totals = w.sheet.totals
    assert not totals.score.isVisible() and not totals.grade.isVisible() and not totals.stated_weight.isVisible()
    assert totals.unscored_note.isVisible() and "不计分值" in totals.unscored_note.text()
    from selfeval_gui.domain.rules import new_form

    w.doc.replace(new_form(), None)  # a scored template again: the 总分 line is back
    assert totals.score.isVisible() and totals.stated_weight.isVisible() and not totals.unscored_note.isVisible()


def test_the_window_shows_the_heading_weights(qtbot, tmp_path):
    from selfeval_gui.ui.form.indicator_columns import COL

    from .ui_support import open_window

    form = _form(_install(tmp_path, LEVEL2))
    w = open_window(qtbot, form)
    model = w.sheet.model
    level1 = model.index(0, COL["weight"])
    assert model.data(level1) == "50"
    assert model.data(model.index(1, COL["weight"], model.index(0, 0))) == "20"
    assert not w.sheet.tree.isColumnHidden(COL["score"])


def test_the_pdf_of_a_form_without_scores_has_no_score_words(tmp_path):
    from selfeval_gui.files.pdf.form_pdf import write_pdf

    from .test_pdf import pypdf_text, squash

    out = tmp_path / "不计分.pdf"
    write_pdf(_unscored_form(tmp_path), out, draft=True)
    text = squash(pypdf_text(out)).split("检查结果")[0]
    for word in ("分值", "得分", "总分", "—"):  # nor the dashes of the funds rows' 分值 / 得分, as in the workbook
        assert word not in text, word
    assert "完成台数" in text and "执行率" in text


def test_the_pdf_prints_the_heading_weights(tmp_path):
    from selfeval_gui.files.pdf.form_pdf import write_pdf

    from .test_pdf import pypdf_text, squash

    out = tmp_path / "标题分值.pdf"
    write_pdf(_heading_form(tmp_path), out, draft=True)
    text = squash(pypdf_text(out))
    assert "产出指标（50分）" in text and "效益指标（30分）" in text


# ---------------------------------------------------------------- the workbook


def _sheet_values(form, tmp_path):
    from openpyxl import load_workbook

    from selfeval_gui.files.xlsx.export import export_xlsx

    out = tmp_path / "表.xlsx"
    export_xlsx([form], out)
    ws = load_workbook(out).worksheets[0]
    return out, [[c.value for c in row] for row in ws.iter_rows()]


def test_the_workbook_of_a_no_score_template_has_no_score_columns_or_total(tmp_path):
    form = _form(_install(tmp_path, UNSCORED))
    _put(form, 0, 0, _row("完成台数", "≥10台", "10台"))
    _out, rows = _sheet_values(form, tmp_path)
    cells = [str(v) for row in rows for v in row if v not in (None, "")]
    assert "执行率" in cells and "分值" not in cells and "得分" not in cells
    assert not any(v.startswith("总分") for v in cells) and "—" not in cells


def test_the_workbook_prints_heading_weights_and_sums_them(tmp_path):
    from selfeval_gui.files.xlsx.reader import import_workbook

    form = _heading_form(tmp_path)
    out, rows = _sheet_values(form, tmp_path)
    cells = [str(v) for row in rows for v in row if v not in (None, "")]
    assert {"产出指标（50分）", "效益指标（30分）", "满意度指标（10分）"} <= set(cells)
    total = next(row for row in rows if row[0] == "总分")
    assert "+90" in str(total[6])  # the budget row's 分值 + the headings' 50 + 30 + 10
    back = import_workbook(out)[0].form
    assert [l1.name for l1 in back.tree] == [l1.name for l1 in form.tree]
    assert [i.name for i in back.indicators()] == [i.name for i in form.indicators()]


def test_the_reviewer_count_leaves_out_what_the_template_made_moot(tmp_path, monkeypatch):
    """The 提示 counting the reviewer's findings counts only those still listed under the template's options."""
    from selfeval_gui.domain import checks
    from selfeval_gui.domain.checks import REVIEWER_SUMMARY

    form = _heading_form(tmp_path)
    form.rows_at(0, 0)[0].actual = "完成"  # a word for an actual against ≥10台: the reviewer would ask
    assert any(f.place.key == "actual" and f.level == "warning" for f in check(form))
    assert any(REVIEWER_SUMMARY in f.message for f in check(form))
    monkeypatch.setattr(checks, "is_moot", lambda options, section, key, column, missing: key == "actual")
    found = check(form)
    assert not any(f.place.key == "actual" for f in found)
    assert not any(REVIEWER_SUMMARY in f.message for f in found)
