"""Issue 22, items 1 and 4: 指标性质 drives the direction where the template has the column; a number with a
duration unit is never a date; the over-achievement note's wording follows the direction and is asked where the
rule set says; a comparator in an 实际完成值 is a warning.  Rows made up for these tests."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from selfeval_gui.domain import rules
from selfeval_gui.domain.checks import ERROR, INFO, WARNING, check
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.rules import get_rule_set, new_form, ruleset_from_json
from selfeval_gui.domain.scoring import ScoreCache, evaluate, score_indicator
from selfeval_gui.domain.targets import (
    EQUAL,
    HIGHER,
    LOWER,
    QUALITATIVE,
    RANGE,
    actual_bound,
    nature_kind,
    parse_actual,
    parse_target,
    with_nature,
)

from .support import ROOT


def _rule_set(**changes):
    data = json.loads((ROOT / "resources" / "rulesets" / "province-2023.json").read_text(encoding="utf-8"))
    data.update(id="test-direction", **changes)
    return ruleset_from_json(data)


def _form(template: str, *rows: Indicator):
    """A form of the template with the rows under its first 二级 (the others left blank)."""
    f = new_form(template, year=2023)
    f.tree[0].children[0].indicators = list(rows)
    return f


def _row_findings(form, ev=None):
    return [f for f in check(form, ev) if f.place.section == "indicator" and f.place.path == (0, 0, 0)]


# ---------------------------------------------------------------- 1. 指标性质 drives the direction


@pytest.mark.parametrize(
    ("nature", "kind"),
    [
        ("≥", HIGHER),
        ("≧", HIGHER),
        ("＞＝", HIGHER),
        (">=", HIGHER),
        ("正向", HIGHER),
        ("正向指标", HIGHER),
        ("≤", LOWER),
        ("≦", LOWER),
        ("＜＝", LOWER),
        ("反向", LOWER),
        ("＝", EQUAL),
        ("═", EQUAL),
        ("﹦", EQUAL),
        ("=", EQUAL),
        ("等于", EQUAL),
        ("定性", QUALITATIVE),
        ("", ""),
        ("定量", ""),
        ("看情况", None),
    ],
)
def test_nature_words(nature, kind):
    assert nature_kind(nature) == kind


def test_a_cost_row_with_nature_le_is_lower_is_better_with_its_unit():
    t = with_nature(parse_target("30"), "≤", "万元")
    assert (t.kind, t.value, t.unit, t.conflict) == (LOWER, D(30), "万元", "")
    assert t.describe().startswith("越低越好，不高于 30万元")


def test_the_column_scores_the_row_in_a_template_that_has_it():
    cost = Indicator("设备采购成本", "30", "26万元", D(20), D(20), "", None, "≤", "万元")
    f = _form("province-2023", cost)
    r = evaluate(f).result_at((0, 0, 0))
    assert r.target.kind == LOWER and r.computed == D("20.00") and not r.missed
    cost.actual = "36万元"  # over the cap: 30 ÷ 36 × 20
    r = evaluate(f).result_at((0, 0, 0))
    assert r.missed and r.computed == D("16.67")


def test_without_the_column_the_row_is_read_as_before():
    cost = Indicator("设备采购成本", "30", "26万元", D(20), D(20), "", None, "≤", "万元")
    f = _form("general-2021", cost)  # no 指标性质 column: a value left over from another template is not read
    r = evaluate(f).result_at((0, 0, 0))
    assert r.target.kind == HIGHER and r.missed


def test_equal_and_qualitative_natures():
    f = _form(
        "province-2023",
        Indicator("培训场次", "12", "12场", D(10), D(10), "", None, "﹦", "场"),
    )
    r = evaluate(f).result_at((0, 0, 0))
    assert r.target.kind == EQUAL and r.computed == D("10.00")
    f.tree[0].children[0].indicators[0] = Indicator("服务质量", "95", "97", D(10), D(9), "", "achieved", "定性", "分")
    r = evaluate(f).result_at((0, 0, 0))
    assert r.target.kind == QUALITATIVE and r.computed is None and r.band == (D(8), D(10))


def test_a_range_under_le_is_held_to_its_upper_bound():
    t = with_nature(parse_target("5-8"), "≤", "天")
    assert (t.kind, t.value, t.unit) == (LOWER, D(8), "天")
    assert with_nature(parse_target("5-8"), "≥", "天").kind == RANGE


def test_a_percent_measure_unit_makes_the_target_a_percent():
    t = with_nature(parse_target("90"), "≥", "%")
    assert t.percent and t.value == D(90)
    r = score_indicator(
        Indicator("合格率", "90", "0.95", D(10), None, "", None, "≥", "%"), get_rule_set("province-2023")
    )
    assert r.computed == D("10.00")  # 0.95 against 90% is 95%


def test_a_target_contradicting_the_column_is_an_error_naming_both():
    row = Indicator("办公费用", "≥30万元", "28万元", D(20), D(20), "", None, "≤", "万元")
    found = _row_findings(_form("province-2023", row))
    errors = [f for f in found if f.level == ERROR and f.place.key == "nature"]
    assert len(errors) == 1
    assert "“≤”" in errors[0].message and "“≥”" in errors[0].message and "矛盾" in errors[0].message
    assert evaluate(_form("province-2023", row)).result_at((0, 0, 0)).target.kind == LOWER  # the column scores it


def test_agreeing_or_soft_words_are_no_conflict():
    for text in ("≤30万元", "30万元", "控制在30万元以内"):
        t = with_nature(parse_target(text), "≤", "万元")
        assert (t.kind, t.conflict) == (LOWER, ""), text
    assert with_nature(parse_target("达到95%"), "＝", "").conflict == ""


def test_a_nature_not_understood_is_a_hint_and_the_target_decides():
    row = Indicator("维修次数", "≤4次", "3次", D(20), D(20), "", None, "看情况", "次")
    f = _form("province-2023", row)
    assert evaluate(f).result_at((0, 0, 0)).target.kind == LOWER
    hints = [x for x in _row_findings(f) if x.place.key == "nature"]
    assert [x.level for x in hints] == [INFO] and "看不懂" in hints[0].message


def test_the_score_cache_sees_a_changed_nature():
    row = Indicator("设备采购成本", "30", "36万元", D(20), None, "", None, "≥", "万元")
    f = _form("province-2023", row)
    cache = ScoreCache()
    assert not evaluate(f, scorer=cache).result_at((0, 0, 0)).missed
    row.nature = "≤"
    assert evaluate(f, scorer=cache).result_at((0, 0, 0)).missed


# ---------------------------------------------------------------- 4. targets


@pytest.mark.parametrize("text", ["≥15年", "15年", "不少于3个月", "30天", "48小时", "2年内"])
def test_a_duration_is_a_quantity_not_a_date(text):
    t = parse_target(text)
    assert t.quantitative and t.value is not None, text


@pytest.mark.parametrize("text", ["2021年11月底", "2023年", "2023 年12月", "21年3月", "6月底前", "2023年度"])
def test_a_date_stays_a_date(text):
    assert parse_target(text).kind == QUALITATIVE, text


def test_fifteen_years_against_fifteen_years_scores_full():
    r = score_indicator(Indicator("设施使用年限", "≥15年", "15年", D(10)), get_rule_set("province-2023"))
    assert parse_actual("15年").value == D(15)
    assert r.computed == D("10.00") and not r.missed
    r = score_indicator(Indicator("设施使用年限", "≥15年", "12年", D(10)), get_rule_set("province-2023"))
    assert r.missed and r.computed == D("8.00")


def _note(form):
    return [f for f in _row_findings(form) if f.place.key == "deviation"]


def test_the_over_achievement_wording_follows_the_direction():
    low = Indicator("单位能耗", "≤100千瓦时", "60千瓦时", D(20), D(20))
    notes = _note(_form("province-2023", low))
    assert len(notes) == 1 and "低于上限30%以上" in notes[0].message and "超出" not in notes[0].message
    high = Indicator("培训人次", "≥100人次", "140人次", D(20), D(20))
    notes = _note(_form("province-2023", high))
    assert len(notes) == 1 and "超出年度指标值30%以上" in notes[0].message


def test_the_over_achievement_note_only_where_the_rule_set_asks():
    low = Indicator("单位能耗", "≤100千瓦时", "60千瓦时", D(20), D(20))
    high = Indicator("培训人次", "≥100人次", "140人次", D(20), D(20))
    higher_only = _rule_set(over_achievement_note="higher")
    f = _form("province-2023", low)
    assert not _note_under(f, higher_only)
    assert _note_under(_form("province-2023", high), higher_only)
    none = _rule_set(over_achievement_note="none")
    assert not _note_under(_form("province-2023", high), none)
    assert get_rule_set("province-2023").over_achievement_note == "all"  # today's behaviour by default
    with pytest.raises(rules.RuleSetError, match="over_achievement_note"):
        _rule_set(over_achievement_note="lower")


def _note_under(form, rs):
    return [f for f in check(form, evaluate(form, rs)) if f.place.key == "deviation" and f.place.path == (0, 0, 0)]


@pytest.mark.parametrize(
    ("text", "bound"), [("≥266米", "≥"), ("≧266米", "≥"), ("95%以上", "以上"), ("不少于20人", "不少于")]
)
def test_a_comparator_in_an_actual_is_found(text, bound):
    assert actual_bound(text) == bound


@pytest.mark.parametrize("text", ["266米", "满意率达90%", "已完成100%", "2023年10月"])
def test_a_measured_actual_has_no_comparator(text):
    assert actual_bound(text) == ""


def test_a_comparator_in_an_actual_is_a_warning_asking_for_the_measured_value():
    row = Indicator("新建步道长度", "≥250米", "≥266米", D(20), D(20))
    f = _form("general-2021", row)
    assert evaluate(f).result_at((0, 0, 0)).computed == D("20.00")  # still scored by its number
    warned = [x for x in _row_findings(f) if x.place.key == "actual" and x.level == WARNING]
    assert len(warned) == 1
    assert "“≥”" in warned[0].message and "实际测得的数值" in warned[0].message and "266" in warned[0].message
    row.actual = "266米"
    assert not [x for x in _row_findings(f) if x.place.key == "actual"]
