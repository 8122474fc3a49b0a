"""Issue 22, item 5: the reviewer's checks, each firing on its own made-up case, naming the row and the reason,
silent when the rule set switches it off; the 提示 counting them; the template's 字数上限 (text_limits)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from selfeval_gui.domain import rules
from selfeval_gui.domain.checks import INFO, REVIEWER_SUMMARY, WARNING, check, reviewer_findings
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.rules import REVIEWER_CHECKS, get_rule_set, ruleset_from_json
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.rule_files import InstallError, install, validate

from .support import ROOT, SEED1, SEED2, province_form


def _rule_set(**changes):
    data = json.loads((ROOT / "resources" / "rulesets" / "province-2023.json").read_text(encoding="utf-8"))
    data.update(id="test-reviewer", **changes)
    return ruleset_from_json(data)


def _base():
    """A filled province form a reviewer has nothing to say about (its rows are made up in tests/support.py)."""
    f = province_form()
    f.year = 2023
    return f


def _reviewed(form, rs=None):
    ev = evaluate(form, rs)
    return [x for x in reviewer_findings(form, ev) if REVIEWER_SUMMARY not in x.message]


def _first_row(form):
    return form.tree[0].children[0].indicators[0]


def test_the_base_form_gives_a_reviewer_nothing():
    f = _base()
    assert reviewer_findings(f, evaluate(f)) == []
    assert not [x for x in check(f) if REVIEWER_SUMMARY in x.message]


def _set_word_actual(f):
    row = _first_row(f)
    row.name, row.target, row.actual, row.nature, row.measure_unit = "办公经费", "≤30万元", "完成", "≤", "万元"


def _set_empty_excuse(f):
    row = _first_row(f)  # 1180 of 1200 公里: missed, scored 19.67
    row.deviation = "暂无"


def _set_inflated(f):
    sat = f.tree[2].children[0].indicators
    sat[0] = Indicator("服务态度", "态度良好", "态度良好", D(10), D(10), "", "achieved", "定性", "")
    f.tree[1].children[1].indicators[0].score = D(30)  # 通行条件, qualitative, now at full marks too


def _set_unit(f):
    row = _first_row(f)
    row.target, row.actual, row.measure_unit, row.nature = "≥100百分比", "100%", "", "正向"


def _set_dominant(f):
    row = _first_row(f)
    row.weight, row.score = D(50), D("49.17")


def _set_empty_level1(f):
    f.tree[2].children[0].indicators = [Indicator()]


CASES = {
    "word_actual": (_set_word_actual, WARNING, ("办公经费", "“完成”", "实际数值")),
    "empty_excuse": (_set_empty_excuse, WARNING, ("养护里程", "“暂无”", "原因和改进措施")),
    "inflated_scores": (_set_inflated, INFO, ("2 个定性指标全部给了满分", "执行率为 49.96%", "自评结果可能偏高")),
    "unit_in_value": (_set_unit, WARNING, ("养护里程", "≥100百分比", "百分比")),
    "dominant_weight": (_set_dominant, WARNING, ("养护里程", "分值 50", "一半")),
    "empty_level1": (_set_empty_level1, WARNING, ("满意度指标", "没有填写三级指标")),
}


@pytest.mark.parametrize("key", sorted(CASES))
def test_each_check_fires_on_its_case_naming_the_row_and_the_reason(key):
    make, level, said = CASES[key]
    f = _base()
    make(f)
    found = _reviewed(f)
    assert len(found) == 1, [x.message for x in found]
    x = found[0]
    assert x.level == level
    text = f"{x.where} {x.message}"
    for word in said:
        assert word in text, (word, text)
    summary = [y for y in check(f) if REVIEWER_SUMMARY in y.message]
    assert len(summary) == 1 and summary[0].level == INFO and f"{REVIEWER_SUMMARY}：1 处" in summary[0].message


@pytest.mark.parametrize("key", sorted(CASES))
def test_each_check_is_silent_when_the_rule_set_switches_it_off(key):
    make, _level, _said = CASES[key]
    f = _base()
    make(f)
    off = _rule_set(reviewer_checks={key: False})
    assert key not in off.reviewer_checks and set(REVIEWER_CHECKS) - {key} <= off.reviewer_checks
    assert _reviewed(f, off) == []
    assert not [y for y in check(f, evaluate(f, off)) if REVIEWER_SUMMARY in y.message]


def test_every_check_is_on_by_default_and_the_summary_counts_them_all():
    assert get_rule_set("province-2023").reviewer_checks == frozenset(REVIEWER_CHECKS)
    f = _base()
    _set_word_actual(f)
    _set_inflated(f)
    _set_empty_level1(f)
    found = _reviewed(f)
    assert len(found) == 2  # the 满意度 rows are gone, so no "all qualitative at full marks" either
    _set_dominant(f)
    found = _reviewed(f)
    summary = [y for y in check(f) if REVIEWER_SUMMARY in y.message]
    assert len(found) == 3 and f"{REVIEWER_SUMMARY}：3 处" in summary[0].message


def test_an_empty_excuse_for_a_low_execution_rate():
    f = _base()
    f.fund_note = "无。"
    found = _reviewed(f)
    assert len(found) == 1 and found[0].place.key == "fund_note" and "资金执行偏差说明" in found[0].message
    f.fund("total").executed = D(1000)  # 100%: the note is no longer needed
    assert not [x for x in _reviewed(f) if x.place.key == "fund_note"]


def test_an_excuse_is_fine_where_nothing_was_missed():
    f = _base()
    sat = f.tree[2].children[0].indicators[0]
    sat.deviation = "无"  # 93% against ≥90%: met, full marks
    assert _reviewed(f) == []


def test_inflated_scores_silent_at_full_execution_with_every_target_met():
    f = _base()
    _set_inflated(f)
    for row in f.funds:
        row.executed = row.budget
    _first_row(f).actual = "1200公里"
    assert _reviewed(f) == []


def test_a_unit_disagreeing_with_the_measure_unit_column():
    f = _base()
    row = _first_row(f)
    row.target, row.measure_unit = "≥1200米", "公里"
    found = _reviewed(f)
    assert len(found) == 1 and "“米”" in found[0].message and "“公里”" in found[0].message


def test_the_reviewer_checks_are_validated_like_the_rest_of_the_rule_set():
    with pytest.raises(rules.RuleSetError, match="reviewer_checks"):
        _rule_set(reviewer_checks={"guess": False})
    with pytest.raises(rules.RuleSetError, match="reviewer_checks"):
        _rule_set(reviewer_checks={"word_actual": "no"})
    data = json.loads((ROOT / "resources" / "rulesets" / "province-2023.json").read_text(encoding="utf-8"))
    data.update(id="bureau-x", reviewer_checks={"dominant_weight": False}, over_achievement_note="higher")
    assert validate(data) == rules.RULESETS
    data["reviewer_checks"] = {"unknown": True}
    with pytest.raises(InstallError):
        validate(data)


def test_the_seed_forms_new_reviewer_findings(seed1, seed2):
    """The only findings the seeds gain (listed in the issue's note): seed 1's 临时工人数 "到位" against 6人,
    and on both the qualitative rows all at full marks with 执行率 under 100%, each with the count."""
    one = _reviewed(seed1)
    assert [(x.level, x.place.path) for x in one] == [(WARNING, (0, 0, 1)), (INFO, (0, 1, 0))]
    assert "“到位”" in one[0].message and "自评结果可能偏高" in one[1].message
    two = _reviewed(seed2)
    assert [x.level for x in two] == [INFO] and "定量指标“完成课程数”未完成" in two[0].message
    assert SEED1.exists() and SEED2.exists()


def test_text_limits_of_a_template(tmp_path):
    data = json.loads((ROOT / "resources" / "templates" / "province-2023.json").read_text(encoding="utf-8"))
    data.update(id="limits-2023", text_limits={"deviation": 9, "goal_actual": 10})
    path = tmp_path / "limits.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    install(path)
    f = _base()
    f.template = "limits-2023"
    found = [x for x in check(f) if "字上限" in x.message]
    assert {(x.where, x.place.key) for x in found} == {
        ("年度总体目标 › 实际完成情况", "goal_actual"),
        ("产出指标 › 数量指标 › 指标1：养护里程 › 偏差原因分析及改进措施", "deviation"),
    }
    deviation = next(x for x in found if x.place.key == "deviation")
    assert "有 10 字" in deviation.message and "9 字上限" in deviation.message and deviation.level == WARNING
    f.template = "province-2023"
    assert not [x for x in check(f) if "字上限" in x.message]
    bad = dict(data, id="limits-bad", text_limits={"deviation": 0})
    with pytest.raises(InstallError):
        validate(bad)


def test_a_reviewers_finding_stands_beside_its_rows_other_findings():
    """检查结果 read row by row: the reviewer's warning on 临时工人数 comes right after that row's own 提示, before the
    rows below and the totals."""
    from selfeval_gui.files.formfile import load_form

    from .support import SEED1

    found = check(load_form(SEED1))
    wheres = [f.where for f in found]
    mine = [n for n, w in enumerate(wheres) if "临时工人数" in w]
    assert mine == list(range(mine[0], mine[0] + len(mine))) and len(mine) >= 2  # together
    totals = [n for n, f in enumerate(found) if f.place.section == "totals"]
    assert not totals or mine[-1] < totals[0]
