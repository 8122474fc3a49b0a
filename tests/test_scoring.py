"""Scoring: 执行率, budget score, indicator scores, totals, grade — exact Decimals, rounded as the rule set says."""

import ast
from decimal import Decimal as D
from pathlib import Path

import pytest

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.rules import get_rule_set, new_form
from selfeval_gui.domain.scoring import evaluate, score_indicator

CY = get_rule_set("chaoyang-2020")
GEN = get_rule_set("general-2dp")


def test_seed1_rate_and_budget_score(seed1):
    ev = evaluate(seed1)
    assert ev.rate == D("1142.8") / D("1150.3927")
    assert ev.rate_text == "99%"
    assert ev.budget_score == D("10")
    assert ev.total_weight == D("100")
    assert ev.total_score == D("100")
    assert ev.grade == "优"


def test_seed2_rate_budget_and_course_count(seed2):
    ev = evaluate(seed2)
    assert ev.rate_text == "60%"
    assert ev.budget_score == D("6")
    course = next(r for r in ev.indicators if r.indicator.name == "完成课程数")
    assert course.computed == D("4.67")
    assert course.explanation == "14 ÷ 30 × 10 = 4.67"
    assert course.missed and course.needs_note
    assert course.indicator.score == D("10")  # the clerk's own score is kept beside it
    assert ev.total_score == D("90.67")
    assert ev.entered_total_score == D("96")
    assert ev.column_total == D("96")
    seed2.tree[0].children[0].indicators[0].score = None  # a blank score: the paper shows the computed 4.67
    assert evaluate(seed2).column_total == D("90.67")


def test_rounding_differs_by_rule_set(seed2):
    seed2.rule_set = "general-2dp"
    ev = evaluate(seed2)
    assert ev.rate_text == "59.62%"
    assert ev.budget_score == D("5.96")
    # general-2dp caps the total by execution rate: 59.62% -> at most 69
    assert ev.cap == D("69")
    assert ev.total_score == D("69")
    assert ev.uncapped_total == D("90.63")  # 5.96 + 4.67 + 80
    assert ev.grade == "中"


def test_budget_score_never_above_weight():
    f = new_form()
    t = f.fund("total")
    t.budget, t.executed = D("100"), D("130")
    ev = evaluate(f)
    assert ev.rate == D("1.3")
    assert ev.budget_score == D("10")


@pytest.mark.parametrize("budget,executed", [(None, D("5")), (D("0"), D("5")), (D("10"), None)])
def test_no_rate_without_budget(budget, executed):
    f = new_form()
    t = f.fund("total")
    t.budget, t.executed = budget, executed
    ev = evaluate(f)
    assert ev.rate is None and ev.budget_score is None and ev.rate_text == ""
    assert "无法计算" in ev.budget_explanation


def test_two_decimal_budget_example():
    f = new_form(rule_set="general-2dp")
    t = f.fund("total")
    t.budget, t.executed = D("100"), D("86.18")
    assert evaluate(f).budget_score == D("8.62")


def ind(target, actual, weight="10", score=None, grade=None):
    return Indicator("x", target, actual, D(weight), None if score is None else D(score), "", grade)


@pytest.mark.parametrize(
    "rs,target,actual,expected",
    [
        (CY, "≥90%", "95%", "10.00"),
        (CY, "≥90%", "45%", "5.00"),
        (CY, "30-50节", "14节", "4.67"),
        (CY, "30-50节", "40节", "10.00"),
        (CY, "不超过5天", "4天", "10.00"),
        (CY, "不超过5天", "8天", "6.25"),  # ratio: 5 ÷ 8 × 10
        (GEN, "不超过5天", "8天", "4.00"),  # linear: (1 − 3 ÷ 5) × 10
        (GEN, "不超过5天", "12天", "0.00"),  # linear: zero beyond twice the target
        (CY, "零投诉", "2", "0.00"),
        (CY, "90%", "0.95", "10.00"),  # a fraction typed against a percent target
    ],
)
def test_indicator_rules(rs, target, actual, expected):
    r = score_indicator(ind(target, actual), rs)
    assert r.computed == D(expected)
    assert isinstance(r.computed, D)


def test_over_achievement_needs_note():
    r = score_indicator(ind("≥100人", "140人"), CY)
    assert r.computed == D("10") and r.over and r.needs_note
    r = score_indicator(ind("≥100人", "120人"), CY)
    assert not r.over and not r.needs_note


def test_qualitative_band():
    r = score_indicator(ind("按合同要求", "足额发放", grade="partial", score="7"), CY)
    assert r.computed is None and r.band == (D("6.0"), D("8.0"))
    assert r.effective == D("7")
    assert "部分达成" in r.explanation


def test_qualitative_without_grade_uses_entered_score():
    r = score_indicator(ind("按月拨付", "按月拨付", score="10"), CY)
    assert r.computed is None and r.effective == D("10")


def test_grades():
    assert [CY.grade_for(D(x)) for x in ("90", "89.99", "80", "60", "59.99")] == ["优", "良", "良", "中", "差"]


def test_no_float_in_domain():
    """No float literal or float() call anywhere in the domain: every computed amount is a Decimal."""
    root = Path(__file__).resolve().parent.parent / "selfeval_gui" / "domain"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            is_float = isinstance(node, ast.Constant) and isinstance(node.value, float)
            assert not is_float, f"float literal in {path.name}"
            calls_float = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "float"
            assert not calls_float, f"float() in {path.name}"


def test_all_computed_values_are_decimal(seed1, seed2):
    for form in (seed1, seed2):
        ev = evaluate(form)
        for v in (ev.rate, ev.budget_exact, ev.budget_score, ev.total_weight, ev.total_score):
            assert isinstance(v, D)
        for r in ev.indicators:
            assert r.computed is None or isinstance(r.computed, D)
            assert r.exact is None or isinstance(r.exact, D)
