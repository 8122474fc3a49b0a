"""Input written to hurt (issue 14): long digit runs, over-long integers, formula text, control characters,
over-long and direction-reversing names.  Each gets a clear Chinese message or is stored harmlessly."""

import json
import subprocess
import sys

import pytest

from selfeval_gui.files.formfile import FormFileError, load_form

from .support import ROOT, SEED1, SEED2

# ---------------------------------------------------------------- long digit runs


_DIGIT_RUNS = r"""
import sys
from selfeval_gui.domain.targets import parse_target, parse_actual
from selfeval_gui.domain.numbers import parse_number, NumberError
n = 100_000
for text in ["1" * n, "≥" + "1" * n + "人x", "1" * n + "-" + "2" * n, "1" * n + "x-", "1," * n, "1." * n,
             " " * n + "5", "1" * n + "%", "９" * n, "1" * n + " " * n + "x"]:
    parse_target(text)
    parse_actual(text)
    try:
        parse_number(text)
    except NumberError:
        pass
print("ok")
"""


def test_digit_runs_of_100000_parse_in_linear_time():
    """Before: 20,000 digits took 54 s (the range pattern backtracked at every start).  The bound here is a
    generous ceiling for ten 100,000-character texts, not a benchmark (see benchmarks/bench_targets.py)."""
    r = subprocess.run([sys.executable, "-c", _DIGIT_RUNS], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert r.stdout.strip() == "ok", r.stderr


def test_a_range_is_still_found_between_two_numbers():
    from selfeval_gui.domain.targets import RANGE, parse_target

    t = parse_target("30 % ～ 50 %")
    assert (t.kind, t.value, t.high, t.percent) == (RANGE, 30, 50, True)
    assert parse_target("30-50节").unit == "节"
    assert parse_target("30 50节").kind != RANGE


def _with_bare_int(tmp_path, digits):
    text = SEED1.read_text(encoding="utf-8")
    data = json.loads(text)
    data["funds"][0]["budget"] = "__BIG__"
    bad = tmp_path / "长数字.json"
    bad.write_text(json.dumps(data, ensure_ascii=False).replace('"__BIG__"', "9" * digits), encoding="utf-8")
    return bad


def test_a_bare_integer_of_5000_digits_is_said_in_chinese(tmp_path):
    bad = _with_bare_int(tmp_path, 5000)
    with pytest.raises(FormFileError) as e:
        load_form(bad)
    assert "5,000 位的整数" in str(e.value) and "长数字.json" in str(e.value)


def test_check_json_reports_each_file_of_a_batch_on_its_own(tmp_path):
    bad = _with_bare_int(tmp_path, 5000)
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", str(SEED1), str(bad), str(SEED2), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    reps = json.loads(r.stdout)
    assert [rep["file"] for rep in reps] == [str(SEED1), str(bad), str(SEED2)]
    assert "位的整数" in reps[1]["error"]
    assert "findings" in reps[0] and "findings" in reps[2]


def test_the_window_says_so_instead_of_the_crash_dialog(win, tmp_path, boxes):
    bad = _with_bare_int(tmp_path, 5000)
    form = win.doc.form
    assert not win.open_path(bad)
    assert "位的整数" in boxes.texts("warning")[0]
    assert win.doc.form is form


# ---------------------------------------------------------------- formula text and control characters

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://x.invalid","点我")',
    '=WEBSERVICE("http://x.invalid")',
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "=cmd|' /C calc'!A0",
    "==1",
]


def _formulas(book):
    """Every formula cell of every sheet, hidden ones included: {(sheet index, cell): formula}."""
    from openpyxl import load_workbook

    wb = load_workbook(book)
    return {
        (n, c.coordinate): c.value
        for n, ws in enumerate(wb.worksheets)
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_formula_text_is_stored_as_text_in_every_sheet(tmp_path, seed1, payload):
    from selfeval_gui.files.xlsx.export import export_xlsx

    clean = tmp_path / "clean.xlsx"
    export_xlsx([seed1], clean)
    seed1.project_name = seed1.template = payload
    seed1.unit = seed1.goal_actual = seed1.filler = payload
    ind = next(iter(seed1.indicators()))
    ind.name = ind.target = ind.actual = ind.deviation = payload
    seed1.tree[0].name = seed1.tree[0].children[0].name = payload
    book = tmp_path / "payload.xlsx"
    export_xlsx([seed1], book)
    assert _formulas(book) == _formulas(clean)  # only the program's own formulas, none of the clerk's text
    from openpyxl import load_workbook

    meta = load_workbook(book)["_selfeval"]
    assert meta["C2"].value.strip() == payload.strip()  # the template id, kept as the text it is


def test_control_characters_and_a_level1_without_level2_export(tmp_path, seed1):
    from selfeval_gui.domain.form import Level1
    from selfeval_gui.files.xlsx.export import export_xlsx, formula_notes
    from selfeval_gui.files.xlsx.reader import import_workbook

    seed1.project_name = "公共\x0b事务\x01协管\0经费"
    seed1.template = "chaoyang-2020\x01"
    seed1.tree.append(Level1("无二级的一级", []))
    book = tmp_path / "控制字符.xlsx"
    export_xlsx([seed1], book)
    [item] = import_workbook(book)
    assert item.form.project_name == "公共事务协管经费"
    [note] = [n for n in formula_notes(seed1) if "控制字符" in n]
    assert "项目名称" in note and "模板" in note
    from openpyxl import load_workbook

    ws = load_workbook(book).worksheets[0]
    assert "无二级的一级" in [c.value for c in ws["B"]]


def test_cli_export_of_control_characters_says_so_in_chinese(tmp_path, seed1):
    from selfeval_gui.files.formfile import save_form

    seed1.project_name = "项目\x0b名称"
    src = tmp_path / "a.json"
    save_form(seed1, src)
    out = tmp_path / "a.xlsx"
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export", str(src), "--xlsx", str(out), "--draft"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )
    assert r.returncode in (0, 1) and out.exists(), r.stderr
    assert "控制字符" in r.stderr and "IllegalCharacter" not in r.stderr + r.stdout


# ---------------------------------------------------------------- file names from project names


def _import(book, out):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(book), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )


def test_a_200_character_project_name_imports_into_a_folder(tmp_path, seed1, seed2):
    from selfeval_gui.files.xlsx.export import export_xlsx

    seed1.project_name = "公共事务协管经费" * 25  # 200 characters, 600 bytes of UTF-8
    book = tmp_path / "长名.xlsx"
    export_xlsx([seed1, seed2], book)
    out = tmp_path / "导入"
    r = _import(book, out)
    assert r.returncode in (0, 1), r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2
    long_name = next(n for n in names if n.startswith("公共事务"))
    assert long_name.endswith(".json") and len(long_name.encode()) <= 200
    assert load_form(out / long_name).project_name == seed1.project_name


def test_a_batch_steps_past_a_folder_in_the_way_of_a_name(tmp_path, seed1, seed2):
    """A folder named as a form would be is an existing name like any other: the form goes to 名称（2）.json
    (files/folder/imported.py decides every name before the first write)."""
    from selfeval_gui.files.xlsx.export import export_xlsx

    book = tmp_path / "两张.xlsx"
    export_xlsx([seed1, seed2], book)
    out = tmp_path / "导入"
    (out / f"{seed2.project_name}.json").mkdir(parents=True)
    r = _import(book, out)
    assert r.returncode in (0, 1) and "Traceback" not in r.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{seed1.project_name}.json", f"{seed2.project_name}.json", f"{seed2.project_name}（2）.json"]
    )
    assert (out / f"{seed2.project_name}.json").is_dir()


@pytest.mark.parametrize(
    "mark",
    ["\u202e", "\u202a", "\u202b", "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"],
)
def test_direction_controls_leave_file_names(mark):
    from selfeval_gui.files.naming import safe_stem, unique_paths

    assert safe_stem(f"协管{mark}fdp.exe") == "协管fdp.exe"
    [p] = unique_paths(ROOT, [f"{mark}经费"], ".json")
    assert p.name == "经费.json"


def test_names_are_cut_by_bytes_never_inside_a_character():
    from selfeval_gui.files.naming import MAX_STEM_BYTES, safe_stem

    for name in ["经" * 300, "a" * 300, "a" + "经" * 300, "😀" * 100]:
        stem = safe_stem(name)
        assert 0 < len(stem.encode()) <= MAX_STEM_BYTES and name.startswith(stem)
    assert safe_stem("CON") == "CON_" and safe_stem("lpt1.txt") == "lpt1_.txt"


def test_the_summary_workbook_keeps_formula_text_as_text_and_leaves_control_characters_out(tmp_path, seed1, seed2):
    from selfeval_gui.domain.yearbook import project_row
    from selfeval_gui.files.folder.summary_xlsx import SummaryItem, write_summary_xlsx

    seed1.project_name = '=HYPERLINK("http://x.invalid","点我")'
    seed2.project_name = "城管\x0b以奖\x01促治"
    book = tmp_path / "汇总.xlsx"
    write_summary_xlsx([SummaryItem(project_row(f), "草稿") for f in (seed1, seed2)], book)
    from openpyxl import load_workbook

    ws = load_workbook(book).worksheets[0]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert seed1.project_name in texts and "城管以奖促治" in texts
    assert not [f for f in _formulas(book).values() if "HYPERLINK" in f]
