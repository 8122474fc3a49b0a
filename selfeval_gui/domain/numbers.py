"""Parse what clerks type into Decimal, and format Decimals back for display.

Accepts full-width digits and punctuation (１５１４．０２２３), thousands separators (1,514.0223), a
trailing percent sign (90%, ９０％) and the placeholders clerks use for "nothing here" (blank, —, -, /).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

from selfeval_gui.domain.quoting import quoted

log = logging.getLogger(__name__)

EMPTY_MARKS = {"", "—", "——", "-", "--", "－", "/", "／", "无", "―", "–"}

_NUMBER_RE = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


class NumberError(ValueError):
    """A text that is not a number; the message is a plain Chinese sentence."""


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    percent: bool = False

    @property
    def fraction(self) -> Decimal:
        """The value as a fraction: 90% -> 0.9, 0.9 -> 0.9."""
        return self.value / 100 if self.percent else self.value


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), Chinese full stop in numbers to dot, spaces trimmed."""
    t = unicodedata.normalize("NFKC", text or "")
    t = t.replace("。", ".").replace("，", ",").replace("\u3000", " ")
    return t.strip()


def parse_number(text: str | None, *, allow_percent: bool = True) -> ParsedNumber | None:
    """Return the number in `text`, None when it is blank or a placeholder, or raise NumberError."""
    if text is None:
        return None
    t = normalize(str(text))
    if t in EMPTY_MARKS:
        return None
    percent = False
    if t.endswith("%"):
        if not allow_percent:
            raise NumberError(f"{quoted(text)}不能带百分号，请只填数字。")
        percent = True
        t = t[:-1].strip()
    t = t.replace(" ", "")
    if not t or not _NUMBER_RE.match(t) or not any(c.isdigit() for c in t):
        raise NumberError(f"{quoted(text)}不是一个数字，请只填数字（可带小数点）。")
    try:
        value = Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex already rules this out
        raise NumberError(f"{quoted(text)}不是一个数字。") from None
    return ParsedNumber(value, percent)


def parse_decimal(text: str | None, *, allow_negative: bool = False, max_places: int | None = None) -> Decimal | None:
    """An amount or score: no percent sign; optionally no negatives and at most `max_places` decimals."""
    p = parse_number(text, allow_percent=False)
    if p is None:
        return None
    if p.value < 0 and not allow_negative:
        raise NumberError(f"{quoted(text)}是负数，这里不能填负数。")
    exponent = p.value.as_tuple().exponent
    if max_places is not None and isinstance(exponent, int) and -exponent > max_places:
        raise NumberError(f"{quoted(text)}的小数超过{max_places}位，请最多保留{max_places}位小数。")
    return p.value


def quantize(value: Decimal, places: int, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round half up to `places` decimals (the way clerks and Excel's ROUND do it); `rounding` another mode."""
    # The default context holds 28 digits and quantize raises InvalidOperation past that; a mistyped or
    # hostile amount (30 digits, or a tiny 全年预算数 making a huge rate) must still display, so widen it.
    ctx = Context(prec=max(28, value.adjusted() + places + 2), rounding=rounding, Emax=MAX_EMAX, Emin=MIN_EMIN)
    return value.quantize(Decimal(1).scaleb(-places), context=ctx)


def fmt_decimal(value: Decimal | None, places: int | None = None) -> str:
    """Display form: blank for None; no exponent; trailing zeros dropped unless `places` is given."""
    if value is None:
        return ""
    if places is not None:
        value = quantize(value, places)
        return f"{value:.{places}f}" if places > 0 else f"{value:.0f}"
    s = format(value, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fmt_percent(fraction: Decimal | None, places: int) -> str:
    """0.993403 with places=0 -> '99%'; with places=2 -> '99.34%'."""
    if fraction is None:
        return ""
    return fmt_decimal(fraction * 100, places) + "%"


def to_json(value: Decimal | None) -> str | None:
    return None if value is None else fmt_decimal(value)
