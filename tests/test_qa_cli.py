"""QA: the command line with awkward arguments and outputs: Chinese messages, exit code 2, nothing lost."""
import subprocess
import sys

import pytest

from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.xlsx_export import export_xlsx

from .conftest import ROOT, SEED2


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd)


def test_two_sheets_of_the_same_project_become_two_files(cn_dir):
    a, b = load_form(SEED2), load_form(SEED2)
    b.year, b.unit = 2021, "另一个实施单位"
    book = cn_dir / "两 年.xlsx"
    export_xlsx([a, b], book)
    out = cn_dir / "导入 结果"
    r = run("import", book, "-o", out)
    assert r.returncode in (0, 1), r.stderr
    files = sorted(out.glob("*.json"))
    assert len(files) == 2, [f.name for f in files]
    assert sorted(load_form(f).year for f in files) == [2020, 2021]
    assert {load_form(f).unit for f in files} == {a.unit, "另一个实施单位"}


def test_import_into_a_folder_below_a_file(cn_dir):
    a, b = load_form(SEED2), load_form(SEED2)
    book = cn_dir / "表.xlsx"
    export_xlsx([a, b], book)
    blocker = cn_dir / "已有文件.json"
    blocker.write_text("x", encoding="utf-8")
    r = run("import", book, "-o", blocker / "子文件夹")
    assert r.returncode == 2
    assert r.stderr.startswith("错误：") and "Not a directory" not in r.stderr and "Traceback" not in r.stderr
    assert blocker.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("args, words", [
    (["check"], "缺少参数"),
    (["check", "--bogus", "a.json"], "不认识的参数"),
    (["export", "a.json", "--pdf"], "后面要跟一个值"),
    (["import", "a.xlsx"], "缺少参数"),
])
def test_bad_arguments_are_said_in_chinese(args, words):
    r = run(*args)
    assert r.returncode == 2
    assert words in r.stderr and "错误：" in r.stderr
    assert "error:" not in r.stderr and "Traceback" not in r.stderr
