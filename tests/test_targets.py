"""The 年度指标值 parser, against strings as clerks write them."""

from decimal import Decimal as D

import pytest

from selfeval_gui.domain.targets import (
    EMPTY,
    EQUAL,
    HIGHER,
    LOWER,
    MULTIPLE,
    QUALITATIVE,
    RANGE,
    parse_actual,
    parse_target,
)

# text, kind, value, high, unit, percent
TABLE = [
    ("≥90%", HIGHER, "90", None, "", True),
    ("90%", HIGHER, "90", None, "", True),
    ("９０％", HIGHER, "90", None, "", True),
    ("30-50节", RANGE, "30", "50", "节", False),
    ("30～50节", RANGE, "30", "50", "节", False),
    ("30至50节", RANGE, "30", "50", "节", False),
    ("降低60%-90%", RANGE, "60", "90", "", True),
    ("112人（上半年）     85人（下半年）", MULTIPLE, None, None, "", False),
    ("按合同要求", QUALITATIVE, None, None, "", False),
    ("按月拨付", QUALITATIVE, None, None, "", False),
    ("完成时间", QUALITATIVE, None, None, "", False),
    ("身体健康，品德优良、遵纪守法", QUALITATIVE, None, None, "", False),
    ("", EMPTY, None, None, "", False),
    ("不低于95%", HIGHER, "95", None, "", True),
    ("不少于100人", HIGHER, "100", None, "人", False),
    ("不少于100人次", HIGHER, "100", None, "人次", False),
    ("不高于5%", LOWER, "5", None, "", True),
    ("不超过3天", LOWER, "3", None, "天", False),
    ("不得超过10%", LOWER, "10", None, "", True),
    ("10个工作日以内", LOWER, "10", None, "个工作日", False),
    ("控制在50万元以内", LOWER, "50", None, "万元", False),
    ("3个月内完成", LOWER, "3", None, "个月", False),
    ("5-8天以内", LOWER, "8", None, "天", False),
    ("投诉率低于1%", LOWER, "1", None, "", True),
    ("达到100%", HIGHER, "100", None, "", True),
    ("100%以上", HIGHER, "100", None, "", True),
    ("至少4次", HIGHER, "4", None, "次", False),
    ("大于等于85%", HIGHER, "85", None, "", True),
    ("＞＝９０％", HIGHER, "90", None, "", True),
    (">=80分", HIGHER, "80", None, "分", False),
    ("≧95%", HIGHER, "95", None, "", True),
    ("≤2次", LOWER, "2", None, "次", False),
    ("<=5", LOWER, "5", None, "", False),
    ("＜３天", LOWER, "3", None, "天", False),
    ("≤0.5%", LOWER, "0.5", None, "", True),
    ("=100%", EQUAL, "100", None, "", True),
    ("＝100%", EQUAL, "100", None, "", True),
    ("≥ 1,200 人次", HIGHER, "1200", None, "人次", False),
    ("不低于1,514.0223万元", HIGHER, "1514.0223", None, "万元", False),
    ("１２０户", HIGHER, "120", None, "户", False),
    ("6人", HIGHER, "6", None, "人", False),
    ("1000平方米", HIGHER, "1000", None, "平方米", False),
    ("满意度≥90%", HIGHER, "90", None, "", True),
    ("零投诉", LOWER, "0", None, "投诉", False),
    ("安全事故0起", LOWER, "0", None, "起", False),
    ("12月底前完成", QUALITATIVE, None, None, "", False),
    ("2021年11月底", QUALITATIVE, None, None, "", False),
    ("覆盖率提高到95%", HIGHER, "95", None, "", True),
]


@pytest.mark.parametrize("text,kind,value,high,unit,percent", TABLE, ids=[t[0] or "blank" for t in TABLE])
def test_parse_target(text, kind, value, high, unit, percent):
    t = parse_target(text)
    assert t.kind == kind
    assert t.value == (None if value is None else D(value))
    assert t.high == (None if high is None else D(high))
    if t.quantitative:
        assert t.unit == unit
        assert t.percent is percent
    assert t.describe()  # always something to show the clerk


def test_table_is_large_enough():
    assert len(TABLE) >= 40


@pytest.mark.parametrize(
    "text,value,percent",
    [
        ("14节", "14", False),
        ("满意率达90%", "90", True),
        ("95.5%", "95.5", True),
        ("１２３人", "123", False),
        ("0.95", "0.95", False),
        ("1,200人次", "1200", False),
    ],
)
def test_parse_actual_single_number(text, value, percent):
    a = parse_actual(text)
    assert a.value == D(value) and a.percent is percent


@pytest.mark.parametrize("text", ["到位", "足额发放", "2021年11月底完成预算经费100%", "在19年现有基础上提升3%-10%", ""])
def test_parse_actual_without_one_number(text):
    assert parse_actual(text) is None
