"""Issue 13, the variants as data: rounding mode, the rate rounded before scoring, date targets as deadlines,
"/" and 不适用 rows, a typed "指标N:" prefix, and a form naming a rule set that is not installed."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from selfeval_gui.domain import rules
from selfeval_gui.domain.checks import ERROR, INFO, check
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.rules import get_rule_set, new_form, ruleset_from_json
from selfeval_gui.domain.scoring import evaluate, score_indicator
from selfeval_gui.domain.vocabulary import indicator_label
from selfeval_gui.files.formfile import load_form, save_form

from .support import ROOT, province_form


def _rule_set(**changes):
    data = json.loads((ROOT / "resources" / "rulesets" / "general-2dp.json").read_text(encoding="utf-8"))
    data.update(id="test-variant", execution_cap=None, **changes)
    return ruleset_from_json(data)


def _budget_form(executed: str, weight: str = "10"):
    f = new_form("general-2021")
    f.fund("total").budget, f.fund("total").executed = D(1000), D(executed)
    f.budget_weight = D(weight)
    return f


def test_rate_rounded_to_a_whole_percent_before_scoring():
    f = _budget_form("499")  # 49.9 %
    exact = _rule_set(rate_places=0)
    shown = _rule_set(rate_places=0, score_on_shown_rate=True)
    assert evaluate(f, exact).budget_score == D("4.99")
    ev = evaluate(f, shown)
    assert (ev.rate_text, ev.budget_score) == ("50%", D("5.00"))
    assert "执行率按 50% 计" in ev.budget_explanation


def test_truncating_rule_set_cuts_off_where_half_up_rounds():
    f = _budget_form("499.6", weight="20")  # 49.96 % × 20 = 9.992
    assert evaluate(f, _rule_set(budget_score_places=1)).budget_score == D("10.0")
    down = _rule_set(budget_score_places=1, rounding="down", rate_places=0)
    ev = evaluate(f, down)
    assert (ev.rate_text, ev.budget_score) == ("49%", D("9.9"))


def test_an_unknown_rounding_mode_is_refused_naming_the_field():
    with pytest.raises(rules.RuleSetError, match="rounding"):
        _rule_set(rounding="ceiling")


@pytest.mark.parametrize(
    ("actual", "computed", "missed"),
    [
        ("2023年10月", D("10.00"), False),  # earlier than planned: met
        ("2023年12月20日", D("10.00"), False),  # within the planned month
        ("2024年1月", None, True),  # late: missed, the clerk's own score counts and a note is needed
    ],
)
def test_date_targets_are_deadlines_where_the_rule_set_says_so(actual, computed, missed):
    ind = Indicator("完工时间", "2023年12月", actual, D(10), D(10))
    r = score_indicator(ind, _rule_set(date_targets="deadline"))
    assert (r.computed, r.missed) == (computed, missed)
    assert "计划 2023年12月" in r.explanation
    # the rule sets that were there before grade dates by hand, as they always did
    assert score_indicator(ind, get_rule_set("chaoyang-2020")).computed is None


@pytest.mark.parametrize("mark", ["/", "／", "不适用"])
def test_not_applicable_rows_take_no_weight_and_are_said_to_be_excluded(mark):
    f = province_form()
    row = f.tree[0].children[0].indicators[1]
    row.target = mark
    ev = evaluate(f)
    assert ev.total_weight == D(100)
    result = ev.result_at((0, 0, 1))
    assert result.excluded and result.effective is None
    said = [x for x in check(f, ev) if x.place.path == (0, 0, 1)]
    assert [x.level for x in said] == [INFO] and "不计分值，不计入总分" in said[0].message
    row.weight = row.score = D(5)  # typed anyway: still not counted, and the clerk is told to clear it
    ev = evaluate(f)
    assert ev.total_weight == D(100) and ev.entered_total_score == f.stated_total_score
    assert any("请清空" in x.message for x in check(f, ev) if x.place.path == (0, 0, 1))


@pytest.mark.parametrize("name", ["指标2:桥梁检测", "指标2：桥梁检测", "指标２：桥梁检测"])
def test_a_typed_number_prefix_is_not_doubled(name):
    assert indicator_label(1, name) == name
    assert indicator_label(1, "桥梁检测") == "指标2：桥梁检测"


def test_a_form_naming_a_missing_rule_set_opens_and_says_which(cn_dir):
    f = province_form()
    f.rule_set = "city-2024"
    path = cn_dir / "缺规则集.json"
    save_form(f, path)
    form = load_form(path)
    ev = evaluate(form)
    assert ev.missing_rule_set == form.rule_set and ev.rule_set.id == "province-2023"  # the template's
    [finding] = [x for x in check(form, ev) if x.where == "规则集"]
    assert finding.level == ERROR and form.rule_set in finding.message and "安装规则集或模板" in finding.message


def test_province_form_scores_under_its_rule_set():
    ev = evaluate(province_form())
    assert (ev.rate_text, ev.budget_score) == ("50%", D("10.00"))  # 49.96 % shown as 50 %, × 20
    assert ev.total_weight == D(100) and ev.total_score == D("87.67")
    assert ev.result_at((0, 2, 0)).computed == D("20.00")  # 2023年10月 done, 2023年12月 planned
