"""How many decimals each number of the form may have, and whether it may be negative: one rule per field.

The window's cells, the JSON loader and the workbook importer all apply these, so a value one of them refuses
is refused by the others with the same sentence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal

from selfeval_gui.domain.numbers import NumberError, fmt_decimal, parse_decimal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NumberRule:
    places: int  # at most this many decimals
    allow_negative: bool = False

    def parse(self, text: str | None) -> Decimal | None:
        """What the clerk typed, as a Decimal (None when blank); NumberError with a Chinese sentence if refused."""
        return parse_decimal(text, allow_negative=self.allow_negative, max_places=self.places)

    def check(self, value: Decimal | None) -> Decimal | None:
        """A number already read (from a workbook cell or a file) held to the same rule; returns it unchanged."""
        if value is None:
            return None
        self.parse(fmt_decimal(value))
        return value


AMOUNT = NumberRule(places=6)  # 万元 with six decimals is down to the fen (21.54576 万元 = 215,457.60 元)
SCORE = NumberRule(places=2)  # 分值 and 得分 are written with at most two decimals

# The form's number fields by the attribute that holds them (FundRow, Form, Indicator).
NUMBER_RULES: dict[str, NumberRule] = {
    "initial": AMOUNT,
    "budget": AMOUNT,
    "executed": AMOUNT,
    "budget_weight": SCORE,
    "budget_score": SCORE,
    "weight": SCORE,
    "score": SCORE,
    "stated_total_weight": SCORE,
    "stated_total_score": SCORE,
}


def rule_for(key: str) -> NumberRule:
    try:
        return NUMBER_RULES[key]
    except KeyError:
        raise KeyError(f"no number rule for field {key!r}") from None


def parse_field(key: str, text: str | None) -> Decimal | None:
    return rule_for(key).parse(text)


__all__ = ["AMOUNT", "NUMBER_RULES", "SCORE", "NumberError", "NumberRule", "parse_field", "rule_for"]
