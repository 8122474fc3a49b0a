"""The command line as a clerk's IT staff scripts it: output, JSON and exit codes; awkward arguments and output
folders: Chinese messages, exit code 2, nothing lost."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.xlsx.export import export_xlsx

from .support import BLANK, ROOT, SEED1, SEED2


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
    )


def test_check_json_seed2():
    r = run("check", SEED2, "--json")
    assert r.returncode == 1, r.stderr
    [rep] = json.loads(r.stdout)
    assert rep["rule_set"] == "chaoyang-2020"
    assert rep["execution_rate"] == "0.596225"  # 419.5215 ÷ 703.63
    assert rep["budget_score"] == "6"
    assert rep["total_weight"] == "100"
    assert rep["grade"] in ("优", "良", "中", "差")
    course = next(i for i in rep["indicators"] if i["name"] == "完成课程数")
    assert course["computed_score"] == "4.67" and course["entered_score"] == "10"
    assert {"level1", "level2", "name", "target", "actual", "weight", "entered_score", "computed_score"} <= set(course)
    msgs = [(f["level"], f["where"], f["message"]) for f in rep["findings"]]
    assert any(lv == "error" and "完成课程数" in w and "偏差原因" in m for lv, w, m in msgs)
    assert any("执行率" in w and "59.62%" in m for lv, w, m in msgs)


def test_check_json_seed1_and_text_output():
    r = run("check", SEED1, "--json")
    [rep] = json.loads(r.stdout)
    assert rep["execution_rate"] == "0.993400"  # 1142.8 ÷ 1150.3927 = 0.99340002…
    assert rep["budget_score"] == "10"
    assert any("1000" in f["message"] for f in rep["findings"])
    t = run("check", SEED1)
    assert "执行率：99%" in t.stdout and "1000" in t.stdout


def test_exit_codes(tmp_path):
    good = tmp_path / "好表.json"
    data = json.loads(SEED1.read_text(encoding="utf-8"))
    data["stated_totals"] = {"weight": "100", "score": "100"}
    good.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run("check", good)
    assert r.returncode == 0, r.stdout
    bad = tmp_path / "坏.json"
    bad.write_text("{oops", encoding="utf-8")
    r = run("check", bad)
    assert r.returncode == 2
    assert "不是有效的 JSON" in r.stderr and "Traceback" not in r.stderr
    r = run("check", good, tmp_path / "没有.json", "--json")
    assert r.returncode == 2
    reps = json.loads(r.stdout)
    assert reps[1]["error"].startswith("找不到文件")


def test_chinese_folder(tmp_path):
    d = tmp_path / "财务科" / "绩效自评"
    d.mkdir(parents=True)
    shutil.copy(SEED2, d / "城管以奖促治经费.json")
    r = run("check", "城管以奖促治经费.json", "--json", cwd=d)
    assert json.loads(r.stdout)[0]["file"] == "城管以奖促治经费.json"


def test_blank_form_reports_no_rate():
    [rep] = json.loads(run("check", BLANK, "--json").stdout)
    assert rep["execution_rate"] is None and rep["budget_score"] is None


def test_export_without_target_is_a_usage_error():
    r = run("export", SEED1)
    assert r.returncode == 2 and "--pdf" in r.stderr


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


@pytest.mark.parametrize(
    "args, words",
    [
        (["check"], "缺少参数"),
        (["check", "--bogus", "a.json"], "不认识的参数"),
        (["export", "a.json", "--pdf"], "后面要跟一个值"),
        (["import", "a.xlsx"], "缺少参数"),
    ],
)
def test_bad_arguments_are_said_in_chinese(args, words):
    r = run(*args)
    assert r.returncode == 2
    assert words in r.stderr and "错误：" in r.stderr
    assert "error:" not in r.stderr and "Traceback" not in r.stderr


# ---- file names from the shared naming helper; the catch-all says one sentence and logs the traceback -----


def test_import_targets_are_safe_and_unique(cn_dir):
    from selfeval_gui.domain.form import Form
    from selfeval_gui.files.folder.imported import imported_targets

    names = ["城管经费", "城管经费", "", "a/b:c", "CON", "城管经费"]
    out = cn_dir / "导入"
    out.mkdir()
    (out / "城管经费（2）.json").write_text("已有", encoding="utf-8")
    forms = [Form(project_name=n) for n in names]
    assert [p.name for p in imported_targets(out, forms)] == [
        "城管经费.json",
        "城管经费（3）.json",  # （2） is taken by a file already there
        "表3.json",
        "a_b_c.json",
        "CON_.json",
        "城管经费（4）.json",
    ]


def test_import_into_a_folder_twice_keeps_the_first_files(cn_dir):
    """The command line and the window's 全部保存到文件夹… share one rule (files/folder/imported.py)."""
    a, b = load_form(SEED2), load_form(SEED1)
    book = cn_dir / "两张.xlsx"
    export_xlsx([a, b], book)
    out = cn_dir / "导入"
    assert run("import", book, "-o", out).returncode in (0, 1)
    first = {p.name: p.read_bytes() for p in out.glob("*.json")}
    r = run("import", book, "-o", out)
    assert r.returncode in (0, 1), r.stderr
    now = {p.name: p.read_bytes() for p in out.glob("*.json")}
    assert {n: now[n] for n in first} == first  # the first import's files are untouched
    assert sorted(set(now) - set(first)) == sorted(f"{Path(n).stem}（2）.json" for n in first)
    assert not list(out.glob("*.bak"))


def test_an_unexpected_error_is_one_sentence_and_goes_to_the_error_log(monkeypatch, capsys, _user_data_in_tmp):
    from selfeval_gui.cli import main as cli

    def broken(args):
        raise RuntimeError("内部错误")

    monkeypatch.setattr(cli, "cmd_check", broken)
    assert cli.run(["check", str(SEED1)]) == cli.EXIT_UNREADABLE
    err = capsys.readouterr().err
    assert err == "错误：处理失败（RuntimeError：内部错误）。\n"
    [log] = (_user_data_in_tmp / "logs").glob("error-*.log")
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "RuntimeError: 内部错误" in text and "'check'" in text
    assert not cli.logging.getLogger("selfeval_gui").handlers  # the log is attached only while a command runs


def test_a_clerk_error_is_said_without_logging_a_traceback(monkeypatch, capsys, _user_data_in_tmp):
    from selfeval_gui.cli import main as cli
    from selfeval_gui.files.errors import ClerkError

    def refused(args):
        raise ClerkError("无法写入“表.pdf”：文件可能正在被PDF 阅读器打开，请关闭后再试。")

    monkeypatch.setattr(cli, "cmd_check", refused)
    assert cli.run(["check", str(SEED1)]) == cli.EXIT_UNREADABLE
    assert capsys.readouterr().err == "错误：无法写入“表.pdf”：文件可能正在被PDF 阅读器打开，请关闭后再试。\n"
    assert not (_user_data_in_tmp / "logs").exists()


def test_the_command_words_the_window_start_knows_are_the_parsers():
    """app.main tells the command line from the window by selfeval_gui.cli.words, without loading cli.py."""
    from selfeval_gui.cli.main import build_parser
    from selfeval_gui.cli.words import COMMANDS

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert sorted(COMMANDS) == sorted(sub.choices)
