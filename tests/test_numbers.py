"""Numbers as clerks type them."""

from decimal import Decimal as D

import pytest

from selfeval_gui.domain.numbers import NumberError, fmt_decimal, fmt_percent, parse_decimal, parse_number, quantize

HUGE = "1" + "0" * 30  # 31 digits: more than Decimal's default 28-digit context


@pytest.mark.parametrize(
    "text,value,percent",
    [
        ("1,514.0223", "1514.0223", False),
        ("１５１４．０２２３", "1514.0223", False),
        ("１，５１４．０２２３", "1514.0223", False),
        (" 90% ", "90", True),
        ("９０％", "90", True),
        ("1514.0223", "1514.0223", False),
        ("0", "0", False),
        (".5", "0.5", False),
        ("-3", "-3", False),
    ],
)
def test_parse_number(text, value, percent):
    p = parse_number(text)
    assert p.value == D(value) and p.percent is percent
    assert isinstance(p.value, D)


@pytest.mark.parametrize("text", ["", "   ", "—", "——", "-", "/", None, "　"])
def test_empty_marks(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["abc", "12a", "1.2.3", "1,23", "%", "1e5", "十", "1 2,3"])
def test_refused_with_chinese_message(text):
    with pytest.raises(NumberError) as e:
        parse_number(text)
    assert "数字" in str(e.value)


def test_amount_rules():
    assert parse_decimal("1514.0223", max_places=4) == D("1514.0223")
    with pytest.raises(NumberError, match="4位"):
        parse_decimal("1.23456", max_places=4)
    with pytest.raises(NumberError, match="负数"):
        parse_decimal("-1")
    with pytest.raises(NumberError, match="百分号"):
        parse_decimal("90%")


def test_format():
    assert fmt_decimal(D("1142.8000")) == "1142.8"
    assert fmt_decimal(D("1E+1")) == "10"
    assert fmt_decimal(None) == ""
    assert fmt_decimal(D("4.665"), 2) == "4.67"  # half up, as clerks round
    assert fmt_decimal(D("9.5"), 0) == "10"
    assert fmt_percent(D("0.993403"), 0) == "99%"
    assert fmt_percent(D("0.59622"), 2) == "59.62%"
    assert quantize(D("2.5"), 0) == D("3")


def test_display_of_numbers_longer_than_28_digits():
    assert fmt_decimal(D(HUGE), 2) == HUGE + ".00"
    assert fmt_percent(D(HUGE), 0) == HUGE + "00%"
