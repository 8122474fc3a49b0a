"""Properties over arbitrary input: what a clerk types or a damaged file holds never escapes as anything but the
clerk's own error type, and every computed value is a Decimal."""
import copy
import json
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_gui.cli import report
from selfeval_gui.domain.checks import check
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.numbers import NumberError, fmt_decimal, fmt_percent, parse_decimal, parse_number
from selfeval_gui.domain.rules import get_rule_set
from selfeval_gui.domain.scoring import evaluate, score_indicator
from selfeval_gui.domain.targets import parse_actual, parse_target
from selfeval_gui.files.formfile import FormFileError, dumps, loads

from .support import SEED1, SEED2

CLERK_CHARS = list("0123456789.,%-~ ０１２３４５６７８９．，％－～≥≤<>=至到以内上下不超过低于零天节个万元\u3000\n\t٣𝟏²")
typed = st.one_of(st.text(max_size=40), st.text(alphabet=st.sampled_from(CLERK_CHARS), max_size=30))
RULE_SETS = [get_rule_set("chaoyang-2020"), get_rule_set("general-2dp")]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@SETTINGS
@given(typed)
def test_parsers_raise_only_number_error_and_give_decimals(text):
    for parse in (lambda: parse_number(text), lambda: parse_decimal(text), lambda: parse_decimal(text, max_places=4)):
        try:
            r = parse()
        except NumberError as e:
            assert str(e)
            continue
        if r is not None:
            v = getattr(r, "value", r)
            assert isinstance(v, Decimal)
            fmt_decimal(v), fmt_decimal(v, 2), fmt_percent(v, 0)
    t, a = parse_target(text), parse_actual(text)
    assert t.describe()
    assert all(v is None or isinstance(v, Decimal) for v in (t.value, t.high))
    assert a is None or isinstance(a.value, Decimal)


@SETTINGS
@given(typed, typed, st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=4,
                                                      min_value=0, max_value=10 ** 6)),
       st.sampled_from([None, "achieved", "partial", "missed"]))
def test_any_indicator_scores_to_a_decimal_or_nothing(target, actual, weight, grade):
    for rs in RULE_SETS:
        r = score_indicator(Indicator("x", target, actual, weight, None, "", grade), rs)
        assert r.computed is None or isinstance(r.computed, Decimal)
        if r.computed is not None and weight is not None:
            assert Decimal(0) <= r.computed <= weight + Decimal("0.005")
        assert isinstance(r.explanation, str)


VALUES = [None, True, 0, -1, 1.5, 1e308, 10 ** 40, "", "abc", "１，５１４．０２２３", "-5", "1e5", "NaN", [], {}, [1],
          {"a": 1}, "\x00", "achieved", "general-2dp", 1989, 2101, "2020", "≥90%", "50-30节", "0.00001",
          "1" * 40]


def _paths(o, p=()):
    yield p
    if isinstance(o, dict):
        for k, v in o.items():
            yield from _paths(v, p + (k,))
    elif isinstance(o, list):
        for i, v in enumerate(o):
            yield from _paths(v, p + (i,))


@pytest.mark.parametrize("seed", range(300))
def test_mutated_files_load_or_say_why(seed):
    rnd = random.Random(seed)
    data = json.loads((SEED1 if seed % 2 else SEED2).read_text(encoding="utf-8"))
    for _ in range(rnd.randint(1, 4)):
        path = rnd.choice([p for p in _paths(data) if p])
        node = data
        for k in path[:-1]:
            node = node[k]
        if rnd.random() < 0.15:
            del node[path[-1]]
        else:
            node[path[-1]] = copy.deepcopy(rnd.choice(VALUES))
    text = json.dumps(data, ensure_ascii=False)
    try:
        form = loads(text)
    except FormFileError as e:
        assert str(e)
        return
    ev = evaluate(form)
    report(form, "x.json", ev, check(form, ev))
    assert dumps(loads(dumps(form))) == dumps(form)
