"""The workbook's live formulas, written from the domain's description of each rule.

执行率 follows scoring.RATE_RULE (which FundRow attribute is divided by which: the columns come from the
export's mapping of FundRow attribute → column letter), 预算执行得分 follows scoring.budget_score_exact
(min(执行率 × 分值, 分值)) rounded as the rule set says, and 总分 adds every 分值 and every 得分.  So a change
of the rule changes the formulas, and the program's numbers and the spreadsheet's cannot drift apart.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from selfeval_gui.domain.rules import RuleSet
from selfeval_gui.domain.scoring import RATE_RULE, RateRule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FundCells:
    """Where a 项目资金 row keeps its values: the columns of the FundRow attributes, then 分值, 执行率, 得分."""

    columns: Mapping[str, str]  # FundRow attribute -> column letter, e.g. {"budget": "E", "executed": "F"}
    weight: str
    rate: str
    score: str


def rate_formula(cells: FundCells, row: int, rule: RateRule = RATE_RULE) -> str:
    """执行率 = numerator ÷ denominator; blank when either is not a number or the denominator is 0 (RateRule.of)."""
    num = f"{cells.columns[rule.numerator]}{row}"
    den = f"{cells.columns[rule.denominator]}{row}"
    return f'=IF(AND(ISNUMBER({den}),ISNUMBER({num}),{den}<>0),{num}/{den},"")'


ROUND_FUNCTIONS = {"half_up": "ROUND", "down": "ROUNDDOWN"}  # RuleSet.rounding -> the spreadsheet function


def round_call(rs: RuleSet, expr: str, places: int) -> str:
    """`expr` rounded the way the rule set rounds (RuleSet.round): ROUND or ROUNDDOWN."""
    return f"{ROUND_FUNCTIONS[rs.rounding]}({expr},{places})"


def budget_score_formula(cells: FundCells, row: int, rs: RuleSet) -> str:
    """预算执行得分 = 执行率 × 分值, never above 分值 (scoring.budget_score_exact), rounded once as `rs` says; with
    score_on_shown_rate the rate is first rounded as it is shown (RuleSet.scoring_rate)."""
    rate, weight = f"{cells.rate}{row}", f"{cells.weight}{row}"
    used = round_call(rs, rate, rs.rate_places + 2) if rs.score_on_shown_rate else rate
    return (
        f"=IF(AND(ISNUMBER({rate}),ISNUMBER({weight})),"
        f'{round_call(rs, f"MIN({used}*{weight},{weight})", rs.budget_score_places)},"")'
    )


def column_range(column: str, first: int, last: int, empty_row: int) -> str:
    """The cells of one column from `first` to `last`; the single cell at `empty_row` when there are none."""
    return f"{column}{first}:{column}{last}" if last >= first else f"{column}{empty_row}"


def sum_formula(*parts: str) -> str:
    """总分: the sum of the budget row's cell and the indicators' range."""
    return f"=SUM({','.join(parts)})"


def percent_format(places: int) -> str:
    """The number format that shows a fraction as a percentage with `places` decimals (0.9934 -> 99%)."""
    return "0%" if places == 0 else "0." + "0" * places + "%"


def number_format(places: int) -> str:
    return "0" if places == 0 else "0." + "0" * places


def typed_format(value: Decimal | None, most: int) -> str | None:
    """The format showing a number with the places the clerk typed (703.63 stays "703.63", not "703.6300"),
    at most `most`; None (General) for an empty cell."""
    if value is None:
        return None
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number_format(min(places, most))


def rate_format(rs: RuleSet) -> str:
    """执行率 shown with the rule set's places."""
    return percent_format(rs.rate_places)


def budget_score_format(rs: RuleSet) -> str:
    """预算执行得分 shown with the places it is rounded to."""
    return number_format(rs.budget_score_places)
