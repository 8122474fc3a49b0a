"""Each check: the right level, the right place, a Chinese sentence."""

from decimal import Decimal as D

import pytest

from selfeval_gui.domain.checks import ERROR, INFO, WARNING, check, has_errors, parse_fill_date
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.rules import new_form


def find(findings, level=None, where=None, text=None, key=None):
    return [
        f
        for f in findings
        if (level is None or f.level == level)
        and (where is None or where in f.where)
        and (text is None or text in f.message)
        and (key is None or f.place.key == key)
    ]


def test_seed1_score_total_1000(seed1):
    fs = check(seed1)
    hit = find(fs, ERROR, "总分 › 得分", "1000")
    assert hit and "100" in hit[0].message and hit[0].place.section == "totals"
    assert not find(fs, ERROR, "总分 › 分值")  # 100 is right
    assert not find(fs, where="项目资金 › 执行率")  # 99% needs no explanation


def test_seed2_findings(seed2):
    fs = check(seed2)
    assert find(fs, ERROR, "完成课程数 › 得分", "4.67")
    note = find(fs, ERROR, "完成课程数 › 偏差原因", "偏差原因分析及改进措施")
    assert note and note[0].place.path == (0, 0, 0) and note[0].place.key == "deviation"
    assert find(fs, WARNING, "执行率", "59.62%")
    assert find(fs, ERROR, "总分 › 分值", "96")
    assert find(fs, INFO, "总分 › 分值", "常用权重")  # 50/20/20 is a departure to point out, not an error
    assert has_errors(fs)


def test_fund_note_silences_rate_warning(seed2):
    seed2.fund_note = "部分课程因疫情推迟。"
    assert not find(check(seed2), where="执行率")


def test_subrows_must_add_up(seed1):
    seed1.fund("carryover").budget = D("10")
    hit = find(check(seed1), ERROR, "全年预算数", "不一致")
    assert hit and hit[0].place == hit[0].place.__class__("funds", "total", "budget")


def test_score_above_weight(seed1):
    seed1.tree[0].children[0].indicators[0].score = D("12")
    assert find(check(seed1), ERROR, "协管人数 › 得分", "超过了分值")


def test_weights_must_total_100(seed1):
    seed1.tree[0].children[0].indicators[0].weight = D("5")
    assert find(check(seed1), ERROR, "总分 › 分值", "95")


def test_empty_required_fields():
    fs = check(new_form())
    for label in ("项目名称", "主管部门", "实施单位", "项目负责人", "联系电话"):
        assert find(fs, ERROR, f"表头 › {label}")
    assert find(fs, ERROR, "全年预算数", "无法计算执行率")
    assert find(fs, ERROR, "绩效指标", "三级指标")
    assert find(fs, WARNING, "填写日期")


def test_indicator_missing_cells(seed1):
    seed1.tree[0].children[0].indicators.append(Indicator(name="新指标"))
    fs = check(seed1)
    for col in ("年度指标值", "实际完成值", "分值", "得分"):
        assert find(fs, ERROR, f"新指标 › {col}")


@pytest.mark.parametrize(
    "text,bad", [("2020.12.31", True), ("2020-06-01", True), ("2021.2.24", False), ("2021年1月5日", False)]
)
def test_fill_date_before_year_end(seed1, text, bad):
    seed1.fill_date = text
    assert bool(find(check(seed1), ERROR, "填写日期", "年度结束之前")) is bad


def test_unreadable_fill_date(seed1):
    seed1.fill_date = "去年年底"
    assert find(check(seed1), WARNING, "填写日期", "看不懂")
    assert parse_fill_date("2021.2.30") is None


def test_qualitative_score_outside_band(seed1):
    ind = seed1.tree[0].children[2].indicators[0]  # 拨付进度: 按月拨付
    ind.grade = "partial"
    fs = check(seed1)
    assert find(fs, ERROR, "拨付进度 › 得分", "6～8")
    ind.score = D("7")
    ind.deviation = "个别月份延迟拨付。"
    assert not find(check(seed1), where="拨付进度 › 得分", text="范围")


def test_budget_score_mismatch(seed1):
    seed1.budget_score = D("9")
    assert find(check(seed1), ERROR, "项目资金 › 得分", "应为 10")


def test_over_achievement_needs_note(seed2):
    course = seed2.tree[0].children[0].indicators[0]
    course.actual = "70节"
    fs = check(seed2)
    assert find(fs, ERROR, "完成课程数 › 偏差原因", "30%以上")
    assert not find(fs, where="完成课程数 › 得分", text="应为")


def test_multiple_values_target_is_flagged_info(seed1):
    assert find(check(seed1), INFO, "协管人数 › 年度指标值", "多个数值")


def test_every_message_is_chinese(seed1, seed2):
    for form in (seed1, seed2, new_form()):
        for f in check(form):
            assert any("\u4e00" <= c <= "\u9fff" for c in f.message)
            assert f.message.endswith("。")


def test_numeric_target_with_wordy_actual_is_flagged_info(seed1):
    hit = find(check(seed1), INFO, "临时工人数 › 实际完成值", "到位")
    assert hit and hit[0].place.key == "actual"


def test_rate_just_below_the_limit_reads_below_it(seed2):
    t = seed2.fund("total")
    t.budget, t.executed = D("100000"), D("89999.9")  # 89.9999%
    hit = find(check(seed2), WARNING, "执行率")
    assert hit and "89.9999%" in hit[0].message


def test_weights_guideline_joins_cost_and_output_in_2021_templates():
    f = new_form("general-2021")
    names = {l1.name: l1 for l1 in f.tree}
    for l1, w in (("产出指标", "30"), ("成本指标", "20"), ("效益指标", "30"), ("满意度指标", "10")):
        names[l1].children[0].indicators[0] = Indicator("x", "≥1", "1", D(w), D(w))
    assert not find(check(f), INFO, text="常用权重")
    names["成本指标"].children[0].indicators[0].weight = D("25")
    assert find(check(f), INFO, text="产出指标+成本指标50")
