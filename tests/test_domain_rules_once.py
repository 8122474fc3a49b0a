"""One rule per number field: places and sign, the same wherever a number comes in."""

from decimal import Decimal

import pytest

from selfeval_gui.domain.form import FundRow
from selfeval_gui.domain.number_rules import AMOUNT, NUMBER_RULES, SCORE, NumberError, parse_field, rule_for
from selfeval_gui.domain.rules import get_rule_set
from selfeval_gui.domain.scoring import RATE_RULE, rates_agree, score_differs


def test_amounts_take_six_decimals_and_no_sign():
    assert parse_field("budget", "1,514.0223") == Decimal("1514.0223")
    assert parse_field("budget", "21.545763") == Decimal("21.545763")  # 万元 to the fen
    with pytest.raises(NumberError, match="负数"):
        parse_field("executed", "-3")
    with pytest.raises(NumberError, match="最多保留6位"):
        parse_field("initial", "1.2345678")


def test_scores_take_two_decimals():
    assert parse_field("score", "4.67") == Decimal("4.67")
    with pytest.raises(NumberError, match="最多保留2位"):
        parse_field("weight", "4.667")
    with pytest.raises(NumberError, match="负数"):
        SCORE.check(Decimal("-1"))
    assert AMOUNT.check(Decimal("1514.0223")) == Decimal("1514.0223")
    assert AMOUNT.check(None) is None


def test_every_number_field_of_the_form_has_a_rule():
    for key in (
        "initial",
        "budget",
        "executed",
        "budget_weight",
        "budget_score",
        "weight",
        "score",
        "stated_total_weight",
        "stated_total_score",
    ):
        assert rule_for(key) in (AMOUNT, SCORE)
    assert set(NUMBER_RULES) >= {"budget", "score"}
    with pytest.raises(KeyError):
        rule_for("project_name")


def test_rate_rule_and_comparisons():
    assert RATE_RULE.of(FundRow("total", budget=Decimal("1150.3927"), executed=Decimal("1142.8"))) is not None
    assert RATE_RULE.of(FundRow("total", budget=Decimal(0), executed=Decimal(1))) is None
    assert RATE_RULE.of(FundRow("total", budget=Decimal(5), executed=None)) is None
    rs = get_rule_set("chaoyang-2020")  # rate shown as whole percent: compare at 2 places of the fraction
    assert rates_agree(Decimal("0.99"), Decimal("0.9934"), rs)
    assert not rates_agree(Decimal("0.98"), Decimal("0.9934"), rs)
    assert score_differs(Decimal(10), Decimal("4.67"))
    assert not score_differs(None, Decimal("4.67")) and not score_differs(Decimal(1), None)
    assert not score_differs(Decimal("10"), Decimal("10.00"))


def test_rows_are_added_removed_and_moved_by_the_form(seed2):
    rows = seed2.rows_at(0, 0)
    n = len(rows)
    new = seed2.insert_indicator(0, 0, 0)
    assert rows[0] is new and len(rows) == n + 1
    seed2.move_indicator(0, 0, 0, 1)
    assert rows[1] is new
    assert seed2.remove_indicator(0, 0, 1) is new and len(rows) == n
