"""JSON files: round trip, schema, atomic save with backup, and every kind of unreadable file left untouched;
hostile contents (huge numbers, lone surrogates) and output paths that are folders, missing or unwritable end
in a Chinese sentence, never a traceback."""

import json
import os
import subprocess
import sys
from decimal import Decimal as D

import pytest

from selfeval_gui.domain.checks import check
from selfeval_gui.domain.rules import new_form
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.formfile import FormFileError, dumps, fingerprint, form_to_data, load_form, loads, save_form
from selfeval_gui.files.pdf.form_pdf import write_pdf
from selfeval_gui.files.xlsx.export import XlsxExportError, export_xlsx
from selfeval_gui.paths import resource_path

from .support import BLANK, ROOT, SEED1, SEED2


@pytest.mark.parametrize("path", [SEED1, SEED2, BLANK])
def test_round_trip(path, cn_dir):
    form = load_form(path)
    out = cn_dir / "再存一次.json"
    save_form(form, out)
    again = load_form(out)
    assert again == form
    assert out.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_decimals_stay_exact(seed1, cn_dir):
    out = cn_dir / "表.json"
    save_form(seed1, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["funds"][0]["initial"] == "1514.0223"
    assert load_form(out).fund("total").initial == D("1514.0223")


def test_bundled_forms_match_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resource_path("schema", "selfeval-form.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in sorted(BLANK.parent.glob("*.json")):  # the seeds, the blank forms (朝阳区 2020, 某省 2023)
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_save_keeps_backup_and_leaves_no_temp(seed1, cn_dir):
    out = cn_dir / "公共事务协管经费.json"
    save_form(seed1, out)
    first = out.read_bytes()
    seed1.project_name = "改过的名称"
    save_form(seed1, out)
    assert (cn_dir / "公共事务协管经费.json.bak").read_bytes() == first
    assert load_form(out).project_name == "改过的名称"
    assert sorted(p.name for p in cn_dir.iterdir()) == ["公共事务协管经费.json", "公共事务协管经费.json.bak"]


def test_save_retries_a_windows_sharing_error(seed1, cn_dir, monkeypatch):
    real = os.replace
    calls = {"n": 0}

    def flaky(a, b):
        calls["n"] += 1
        if calls["n"] <= 2:
            raise PermissionError(13, "另一个程序正在使用此文件")
        return real(a, b)

    monkeypatch.setattr(os, "replace", flaky)
    out = cn_dir / "表.json"
    save_form(seed1, out, backup=False)
    assert calls["n"] == 3 and load_form(out) == seed1


@pytest.mark.slow  # the save retries a refused replace with real waits: about two seconds
def test_failed_save_leaves_old_file(seed1, cn_dir, monkeypatch):
    out = cn_dir / "表.json"
    save_form(seed1, out)
    before = out.read_bytes()

    def always(a, b):
        raise PermissionError(13, "denied")

    monkeypatch.setattr(os, "replace", always)
    with pytest.raises(FormFileError, match="原文件未改动"):
        save_form(new_form(), out, backup=False)
    assert out.read_bytes() == before
    assert [p.name for p in cn_dir.iterdir()] == ["表.json"]


def _valid():
    return json.loads(SEED1.read_text(encoding="utf-8"))


def _with(**changes):
    d = _valid()
    d.update(changes)
    return json.dumps(d, ensure_ascii=False).encode("utf-8")


BAD_FILES = {
    "not_json": (b"{ this is not json", "不是有效的 JSON"),
    "empty": (b"", "不是有效的 JSON"),
    "binary": (bytes(range(256)) * 4, "UTF-8"),
    "other_json": (b'{"hello": "world"}', "不是绩效自评表文件"),
    "a_list": (b"[1, 2, 3]", "不是绩效自评表文件"),
    "newer_version": (_with(version=99), "更新版本"),
    "bad_version": (_with(version="一"), "版本号无效"),
    "bad_year": (_with(year="二〇二〇"), "年度"),
    "bad_rule_set_id": (_with(rule_set="../火星"), "规则集的名称"),
    "list_amount": (_with(budget_weight=[10]), "写成文字的数字"),
    "number_as_name": (_with(header={"project_name": 1.5}), "应为文字"),
    "letters_in_amount": (_with(budget_weight="十分"), "不是一个数字"),
    "wrong_shape": (_with(funds={"total": 1}), "格式不对"),
    "deep_nesting": (b"[" * 100000 + b"]" * 100000, "JSON"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_file_gives_message_and_is_unchanged(name, cn_dir):
    content, expected = BAD_FILES[name]
    path = cn_dir / f"坏文件_{name}.json"
    path.write_bytes(content)
    with pytest.raises(FormFileError) as e:
        load_form(path)
    assert expected in str(e.value)
    assert "Traceback" not in str(e.value)
    assert path.read_bytes() == content
    assert [p.name for p in cn_dir.iterdir()] == [path.name]


def test_messages_name_fields_in_chinese(cn_dir):
    d = _valid()
    d["funds"][0]["budget"] = "一千"
    path = cn_dir / "表.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormFileError) as e:
        load_form(path)
    assert "年度资金总额" in str(e.value) and "全年预算数" in str(e.value) and "budget" not in str(e.value)


def test_missing_file_and_folder(cn_dir):
    with pytest.raises(FormFileError, match="找不到文件"):
        load_form(cn_dir / "没有这个文件.json")
    with pytest.raises(FormFileError, match="文件夹"):
        load_form(cn_dir)


def test_fingerprint_follows_content(seed1):
    a = fingerprint(seed1)
    assert len(a) == 12 and a == fingerprint(loads(dumps(seed1)))
    seed1.tree[0].children[0].indicators[0].actual = "未到位"
    assert fingerprint(seed1) != a


def test_only_inputs_are_stored(seed2):
    text = json.dumps(form_to_data(seed2), ensure_ascii=False)
    assert "4.67" not in text and "0.596" not in text and "90.67" not in text


def test_unquoted_numbers_stay_exact():
    d = _valid()
    d["funds"][0]["initial"] = "@@"
    text = json.dumps(d, ensure_ascii=False).replace('"@@"', "1514.0223")
    assert loads(text).fund("total").initial == D("1514.0223")


HUGE = "1" + "0" * 30  # 31 digits: more than Decimal's default 28-digit context


def _edited_seed(tmp_path, edit, name="表.json"):
    data = json.loads(SEED2.read_text(encoding="utf-8"))
    edit(data)
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    return p


def test_form_with_a_huge_executed_amount_is_scored_and_checked(tmp_path):
    def edit(d):
        d["funds"][0]["executed"] = HUGE

    form = load_form(_edited_seed(tmp_path, edit))
    ev = evaluate(form)
    assert ev.budget_score == D(10)  # capped at 分值
    assert ev.rate_text.endswith("%") and len(ev.rate_text) > 28
    assert any("预算执行得分" in f.message for f in check(form, ev))


def test_cli_check_on_a_huge_weight_prints_the_form(tmp_path):
    def edit(d):
        d["indicators"][0]["children"][0]["indicators"][0]["weight"] = HUGE

    p = _edited_seed(tmp_path, edit)
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", str(p)], capture_output=True, text=True, encoding="utf-8"
    )
    assert r.returncode == 1, r.stderr
    assert "处理失败" not in r.stderr and "分值合计" in r.stdout


def test_lone_surrogate_in_a_file_does_not_break_saving_or_the_pdf(tmp_path):
    def edit(d):
        d["header"]["project_name"] = "城管\ud800经费"
        d["indicators"][0]["children"][0]["indicators"][0]["deviation"] = "原因\udfff"

    form = load_form(_edited_seed(tmp_path, edit))
    assert form.project_name == "城管\ufffd经费"
    out = tmp_path / "另存.json"
    save_form(form, out)
    assert load_form(out).project_name == "城管\ufffd经费"
    assert len(fingerprint(form)) == 12
    write_pdf(form, tmp_path / "表.pdf")
    assert (tmp_path / "表.pdf").stat().st_size > 1000


def test_fingerprint_of_a_form_built_with_a_surrogate_in_memory(seed2):
    seed2.unit = "单位\ud83d"
    assert len(fingerprint(seed2)) == 12


@pytest.mark.parametrize("kind", ["json", "pdf", "xlsx"])
def test_output_path_that_is_a_folder(seed2, tmp_path, kind):
    (tmp_path / "导出").mkdir()
    target = tmp_path / "导出"
    with pytest.raises((FormFileError, XlsxExportError, Exception)) as info:
        {"json": save_form, "pdf": write_pdf, "xlsx": lambda f, p: export_xlsx([f], p)}[kind](seed2, target)
    message = getattr(info.value, "clerk_message", None) or str(info.value)
    assert "是一个文件夹" in message and "Is a directory" not in message
    assert not [p for p in tmp_path.iterdir() if p.name != "导出"]  # no temporary file left beside it


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_output_into_a_missing_folder_is_chinese(seed2, tmp_path, kind):
    target = tmp_path / "没有这个文件夹" / ("a." + kind)
    with pytest.raises(Exception) as info:
        {"json": save_form, "xlsx": lambda f, p: export_xlsx([f], p)}[kind](seed2, target)
    message = getattr(info.value, "clerk_message", None) or str(info.value)
    assert "文件夹不存在" in message and "No such file" not in message


def test_unwritable_folder_is_not_blamed_on_an_open_file(seed2, tmp_path, monkeypatch):
    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr("selfeval_gui.files.atomic.pause", lambda attempt: None)
    with pytest.raises(Exception) as info:
        export_xlsx([seed2], tmp_path / "新.xlsx")
    assert "没有在文件夹" in info.value.clerk_message and "权限" in info.value.clerk_message


# ---- atomic writing (files/atomic.py): the Windows sharing-violation retry driven on any system ------------


def _refusing_replace(monkeypatch, refusals):
    """os.replace refuses (PermissionError, as Windows does while another program holds the file) `refusals`
    times, then works; the waits between attempts are recorded instead of slept."""
    from selfeval_gui.files import atomic

    real, calls, pauses = os.replace, [], []

    def replace(src, dst):
        calls.append(dst)
        if refusals is None or len(calls) <= refusals:
            raise PermissionError(13, "另一个程序正在使用此文件。")
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.setattr(atomic, "pause", pauses.append)
    return calls, pauses


def test_retry_runs_the_action_again_after_two_sharing_violations(monkeypatch):
    from selfeval_gui.files import atomic

    pauses = []
    monkeypatch.setattr(atomic, "pause", pauses.append)
    tries = []

    def action():
        tries.append(1)
        if len(tries) <= 2:
            raise PermissionError(32, "sharing violation")

    atomic.retry_on_sharing_violation(action, retries=5)
    assert len(tries) == 3 and pauses == [1, 2]


def test_retry_gives_up_with_the_last_error_and_does_not_retry_other_errors(monkeypatch):
    from selfeval_gui.files import atomic

    monkeypatch.setattr(atomic, "pause", lambda attempt: None)
    tries = []

    def refused():
        tries.append(1)
        raise PermissionError(13, f"refused {len(tries)}")

    with pytest.raises(PermissionError, match="refused 4"):
        atomic.retry_on_sharing_violation(refused, retries=4)
    assert len(tries) == 4

    def missing():
        tries.append(1)
        raise FileNotFoundError(2, "gone")

    tries.clear()
    with pytest.raises(FileNotFoundError):
        atomic.retry_on_sharing_violation(missing, retries=4)
    assert len(tries) == 1  # only a sharing violation is worth waiting for
    tries.clear()
    with pytest.raises(PermissionError):
        atomic.retry_on_sharing_violation(refused, retries=0)
    assert len(tries) == 1  # always at least one attempt


def test_save_succeeds_after_two_sharing_violations(seed1, cn_dir, monkeypatch):
    out = cn_dir / "表.json"
    save_form(new_form(), out)
    calls, pauses = _refusing_replace(monkeypatch, refusals=2)
    save_form(seed1, out, backup=False)
    assert load_form(out) == seed1 and pauses == [1, 2] and len(calls) == 3
    assert [p.name for p in cn_dir.iterdir()] == ["表.json"]  # no temporary file left


def test_save_always_refused_says_so_in_chinese_and_keeps_the_old_file(seed1, cn_dir, monkeypatch):
    out = cn_dir / "表.json"
    save_form(seed1, out)
    before = out.read_bytes()
    calls, pauses = _refusing_replace(monkeypatch, refusals=None)
    with pytest.raises(FormFileError) as e:
        save_form(new_form(), out)
    message = str(e.value)
    assert "表.json" in message and "正在被其他程序打开" in message and message.endswith("原文件未改动。")
    assert "Permission" not in message and "Errno" not in message
    assert out.read_bytes() == before
    from selfeval_gui.files.atomic import RETRIES

    assert len(pauses) == RETRIES - 1
    # the .bak copy is itself written through a replace: it was refused too, so nothing new is left beside it
    assert sorted(p.name for p in cn_dir.iterdir()) == ["表.json"]


def test_atomic_write_is_still_importable_from_formfile():
    from selfeval_gui.files import atomic, formfile

    assert formfile.atomic_write_bytes is atomic.atomic_write_bytes


# ---- each number of the file held to its field's rule (domain/number_rules.py) ----------------------------


def _load_changed(cn_dir, change):
    d = _valid()
    change(d)
    path = cn_dir / "改过的表.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormFileError) as e:
        load_form(path)
    return str(e.value)


def _set(*path_and_value):
    *path, key, value = path_and_value

    def change(d):
        for p in path:
            d = d[p]
        d[key] = value

    return change


@pytest.mark.parametrize(
    "change, words",
    [
        (_set("funds", 0, "budget", "-5"), ("年度资金总额", "全年预算数", "负数")),
        (_set("funds", 1, "executed", -3), ("当年财政拨款", "全年执行数", "负数")),
        (_set("funds", 0, "initial", "1514.0223101"), ("年度资金总额", "年初预算数", "最多保留6位小数")),
        (_set("budget_score", "9.125"), ("项目资金", "得分", "最多保留2位小数")),
        (_set("budget_weight", "-10"), ("项目资金", "分值", "负数")),
        (_set("indicators", 0, "children", 0, "indicators", 0, "score", "4.333"), ("三级指标", "得分", "2位小数")),
        (_set("indicators", 0, "children", 0, "indicators", 0, "weight", "-5"), ("三级指标", "分值", "负数")),
        (_set("stated_totals", {"weight": "100", "score": "90.125"}), ("总分", "得分", "2位小数")),
    ],
)
def test_a_number_against_its_fields_rule_is_refused_naming_the_field(cn_dir, change, words):
    message = _load_changed(cn_dir, change)
    assert all(w in message for w in words), message
    assert not any(key in message for key in ("budget", "executed", "initial", "score", "weight"))


def test_numbers_within_their_rules_load(cn_dir):
    d = _valid()
    d["funds"][0]["initial"] = "1514.0223"  # four decimals: an amount to the yuan
    d["budget_score"] = "9.12"
    d["indicators"][0]["children"][0]["indicators"][0]["score"] = 4  # a JSON integer
    d["stated_totals"] = {"weight": "100.00", "score": ""}
    path = cn_dir / "表.json"
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    form = load_form(path)
    assert form.fund("total").initial == D("1514.0223") and form.budget_score == D("9.12")
    assert form.tree[0].children[0].indicators[0].score == D(4) and form.stated_total_weight == D("100.00")


def test_every_bundled_form_loads_under_the_number_rules():
    for path in sorted((ROOT / "forms").glob("*.json")):
        assert load_form(path).year >= 1990


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_written_files_get_ordinary_permissions_not_private_ones(tmp_path, seed2):
    """mkstemp makes a private (0600) file; an exported form is the clerk's to share, an overwritten one keeps
    its mode."""
    from selfeval_gui.files.atomic import atomic_write_bytes

    umask = os.umask(0o022)
    try:
        new = tmp_path / "新.pdf"
        atomic_write_bytes(new, b"x", backup=False)
        assert new.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "旧.json"
        kept.write_bytes(b"old")
        kept.chmod(0o664)
        atomic_write_bytes(kept, b"new")
        assert kept.stat().st_mode & 0o777 == 0o664 and kept.read_bytes() == b"new"
    finally:
        os.umask(umask)
