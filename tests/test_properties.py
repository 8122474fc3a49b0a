"""Properties over arbitrary input: what a clerk types or a damaged file holds never escapes as anything but the
clerk's own error type, and every computed value is a Decimal."""

import copy
import json
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_gui.cli.main import report
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
@given(
    typed,
    typed,
    st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=0, max_value=10**6)),
    st.sampled_from([None, "achieved", "partial", "missed"]),
)
def test_any_indicator_scores_to_a_decimal_or_nothing(target, actual, weight, grade):
    for rs in RULE_SETS:
        r = score_indicator(Indicator("x", target, actual, weight, None, "", grade), rs)
        assert r.computed is None or isinstance(r.computed, Decimal)
        if r.computed is not None and weight is not None:
            assert Decimal(0) <= r.computed <= weight + Decimal("0.005")
        assert isinstance(r.explanation, str)


VALUES = [
    None,
    True,
    0,
    -1,
    1.5,
    1e308,
    10**40,
    "",
    "abc",
    "１，５１４．０２２３",
    "-5",
    "1e5",
    "NaN",
    [],
    {},
    [1],
    {"a": 1},
    "\x00",
    "achieved",
    "general-2dp",
    1989,
    2101,
    "2020",
    "≥90%",
    "50-30节",
    "0.00001",
    "1" * 40,
]


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


# ---------------------------------------------------------------- whole files through the command line
# What a clerk's IT staff would see running `check`, `export` and `import` on damaged or hostile files: exit code
# 0, 1 or 2 only, never a traceback, the input file unchanged, and every file written complete (none half-written,
# no temporary file left).  In-process (cli.run), so a hundred files take seconds, not minutes.

FUZZ = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
SNIPPETS = [
    b"",
    b"\x00",
    b"\x0b",
    b"\xff\xfe",
    b"-",
    b"=1+1",
    b'"',
    b"}",
    b"]",
    b"{",
    b"9" * 5000,
    b"1e999",
    b"\\ud800",
    b'"\\u202e"',
    b"<",
    b"&amp;",
    b"&lol;",
    b"</row>",
    b"<row>",
    b'<c r="B3"><v>-5</v></c>',
    b'<c r="XFD1048576"><v>1</v></c>',
    b'<mergeCell ref="A1:XFD1048576"/>',
    b"<v>" + b"9" * 5000 + b"</v>",
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<c t="s"><v>999999</v></c>',
    b"\xe4\xb8",
]
edit = st.tuples(st.floats(0, 1), st.integers(0, 40), st.one_of(st.sampled_from(SNIPPETS), st.binary(max_size=12)))


def _mutate(data: bytes, edits) -> bytes:
    for where, cut, insert in edits:
        at = int(where * len(data))
        data = data[:at] + insert + data[at + cut :]
    return data


def _run_cli(*argv: str) -> tuple[int, str]:
    import contextlib
    import io

    from selfeval_gui.cli.main import run

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(argv))
    assert code in (0, 1, 2), (argv, code, err.getvalue())
    text = out.getvalue() + err.getvalue()
    assert "Traceback" not in text and "Error:" not in text, text
    assert "处理失败（" not in text, text  # the catch-all: an error nobody foresaw
    return code, err.getvalue()


def _written_whole(folder) -> None:
    """Every file the command wrote opens; nothing temporary is left beside them."""
    from openpyxl import load_workbook

    from selfeval_gui.files.formfile import load_form

    for p in folder.iterdir():
        assert not p.name.endswith((".tmp", ".bak")), p.name
        if p.suffix == ".json":
            load_form(p)
        elif p.suffix == ".xlsx":
            load_workbook(p).close()
        elif p.suffix == ".pdf":
            data = p.read_bytes()
            assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]


json_value = st.one_of(
    st.sampled_from(VALUES + ["=1+1", "\x0b\x01", "\u202e表", "9" * 5000, "1" * 100_000, "-0.5", "1" * 30]),
    st.text(max_size=20),
)
json_edit = st.tuples(st.integers(0, 10**6), json_value)


def _mutate_json(data: bytes, edits) -> bytes:
    """Values replaced inside the file's structure (the file stays JSON; what it holds does not fit)."""
    form = json.loads(data)
    for at, value in edits:
        paths = [p for p in _paths(form) if p]
        path = paths[at % len(paths)]
        node = form
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = copy.deepcopy(value)  # a sampled value is one shared object: never nest it in itself
    return json.dumps(form, ensure_ascii=False).encode("utf-8")


@pytest.mark.slow
@FUZZ
@given(
    st.sampled_from([SEED1, SEED2]),
    st.one_of(
        st.tuples(st.just("bytes"), st.lists(edit, min_size=1, max_size=4)),
        st.tuples(st.just("json"), st.lists(json_edit, min_size=1, max_size=4)),
    ),
)
def test_damaged_form_files_through_check_and_export(seed, how):
    import tempfile
    from pathlib import Path

    kind, edits = how
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        src = folder / "in" / "表.json"
        src.parent.mkdir()
        data = seed.read_bytes()
        src.write_bytes(_mutate(data, edits) if kind == "bytes" else _mutate_json(data, edits))
        before = src.read_bytes()
        out = folder / "out"
        out.mkdir()
        code, _ = _run_cli("check", str(src), "--json")
        final = folder / "final"
        final.mkdir()
        _run_cli("export", str(src), "--pdf", str(final / "a.pdf"), "--xlsx", str(final / "a.xlsx"))
        # the final copy only of a form without errors (issue 15); the draft of any form that opens
        assert sorted(p.name for p in final.iterdir()) == (["a.pdf", "a.xlsx"] if code == 0 else [])
        _run_cli("export", str(src), "--pdf", str(out / "a.pdf"), "--xlsx", str(out / "a.xlsx"), "--draft")
        assert src.read_bytes() == before
        if code != 2:  # a form that opens exports whole
            assert sorted(p.name for p in out.iterdir()) == ["a.pdf", "a.xlsx"]
        _written_whole(out)
        _written_whole(final)


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory):
    from selfeval_gui.files.formfile import load_form
    from selfeval_gui.files.xlsx.export import workbook_bytes

    return workbook_bytes([load_form(SEED1), load_form(SEED2)])


def _mutate_book(book: bytes, member: int, edits, raw) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(book)) as z:
        parts = [(i.filename, z.read(i)) for i in z.infolist()]
    name, data = parts[member % len(parts)]
    parts[member % len(parts)] = (name, _mutate(data, edits))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts:
            z.writestr(n, d)
    return _mutate(buf.getvalue(), raw)


@pytest.mark.slow
@FUZZ
@given(st.integers(0, 30), st.lists(edit, min_size=1, max_size=4), st.lists(edit, max_size=1))
def test_damaged_workbooks_through_import(seed_book, member, edits, raw):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        book = folder / "表.xlsx"
        book.write_bytes(_mutate_book(seed_book, member, edits, raw))
        before = book.read_bytes()
        out = folder / "导入"
        code, _ = _run_cli("import", str(book), "-o", str(out))
        assert book.read_bytes() == before
        if code == 2:
            assert not out.exists() or not any(out.iterdir())  # refused: nothing written
        else:
            _written_whole(out)
            for p in out.iterdir():
                assert _run_cli("check", str(p))[0] in (0, 1)  # what import writes, check opens
