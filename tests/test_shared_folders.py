"""Shared folders are hostile (issue 23): nothing read without bound, nothing written through a link, no lock that
locks a clerk out, one bad entry never takes the whole folder down.  Links, FIFOs and /dev/zero on Linux."""

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from selfeval_gui import regular_files
from selfeval_gui.files import editlock
from selfeval_gui.files.atomic import LinkedTargetError, atomic_write_bytes
from selfeval_gui.files.folder.listing import UNREADABLE, list_folder
from selfeval_gui.files.formfile import FormFileError, load_form, save_form
from selfeval_gui.files.naming import unique_paths

from .support import ROOT, SEED2

posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and /dev/zero are POSIX")


def _cli(*args, timeout=60):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


# ---- 1. reads without bound


@posix_only
def test_a_form_that_is_a_link_to_dev_zero_is_refused_at_once(tmp_path):
    form = tmp_path / "表.json"
    form.symlink_to("/dev/zero")
    with pytest.raises(FormFileError, match="设备"):
        load_form(form)
    r = _cli("check", form)
    assert r.returncode == 2 and "设备" in r.stderr and "Traceback" not in r.stderr


@posix_only
def test_a_fifo_named_like_a_form_does_not_make_check_wait(tmp_path):
    fifo = tmp_path / "x.json"
    os.mkfifo(fifo)
    r = _cli("check", fifo, timeout=30)  # before: waited for a writer forever
    assert r.returncode == 2 and "管道" in r.stderr


@posix_only
def test_a_rule_set_to_install_that_is_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "规则.json"
    os.mkfifo(fifo)
    r = _cli("rulesets", "install", fifo, timeout=30)
    assert r.returncode == 2 and "管道" in r.stdout + r.stderr


def test_a_file_that_grows_past_the_limit_is_refused(tmp_path):
    big = tmp_path / "大.json"
    big.write_bytes(b" " * 2000)
    assert regular_files.read_regular(big, 2000) == b" " * 2000
    with pytest.raises(regular_files.FileTooLarge):
        regular_files.read_regular(big, 1999)


# ---- 2. writes through a link


@posix_only
def test_a_dangling_link_at_an_output_name_is_a_taken_name(tmp_path):
    outside = tmp_path / "别处" / "偷偷写这里.pdf"
    outside.parent.mkdir()
    out = tmp_path / "导出"
    out.mkdir()
    (out / "城管以奖促治经费.pdf").symlink_to(outside)
    [p] = unique_paths(out, ["城管以奖促治经费"], ".pdf", keep_existing=True)
    assert p.name == "城管以奖促治经费（2）.pdf"
    with pytest.raises(LinkedTargetError):
        atomic_write_bytes(out / "城管以奖促治经费.pdf", b"%PDF", backup=False)
    assert not outside.exists()


@posix_only
def test_export_folder_never_writes_where_a_planted_link_points(tmp_path):
    forms = tmp_path / "表"
    forms.mkdir()
    shutil.copy(SEED2, forms / SEED2.name)
    outside = tmp_path / "别处.pdf"
    out = tmp_path / "导出"
    out.mkdir()
    (out / "城管以奖促治经费_草稿.pdf").symlink_to(outside)
    r = _cli("export", forms, "--pdf", out, "--draft")
    assert r.returncode in (0, 1), r.stderr
    assert not outside.exists()
    assert (out / "城管以奖促治经费_草稿（2）.pdf").is_file()


@posix_only
def test_the_clerk_s_own_linked_form_is_saved_at_its_target(tmp_path):
    real = tmp_path / "真的.json"
    shutil.copy(SEED2, real)
    link = tmp_path / "链接.json"
    link.symlink_to(real)
    form = load_form(link)
    form.unit = "改过的单位"
    save_form(form, link)
    assert link.is_symlink() and load_form(real).unit == "改过的单位"


# ---- 3. the edit lock


def _lock(tmp_path, **fields):
    form = tmp_path / "表.json"
    shutil.copy(SEED2, form)
    info = {
        "user": "某人",
        "computer": editlock.computer_name(),
        "pid": os.getpid(),
        "time": "刚才",
        "timestamp": time.time(),
        "token": "t",
        **fields,
    }
    editlock.lock_path(form).write_text(json.dumps(info), encoding="utf-8")
    return form


@pytest.mark.parametrize("fields", [{"pid": 2147483648}, {"pid": -5}, {"timestamp": time.time() + 86400}])
def test_an_impossible_lock_is_stale_and_taken_over(tmp_path, fields):
    form = _lock(tmp_path, **fields)
    got = editlock.acquire(form)
    assert isinstance(got, editlock.LockHolder) and got.stale
    assert isinstance(editlock.take_over(form, got), editlock.EditLock)


def test_a_nan_timestamp_is_stale(tmp_path):
    form = tmp_path / "表.json"
    shutil.copy(SEED2, form)
    text = '{"user":"a","computer":"b","pid":1,"time":"t","timestamp":NaN,"token":"t"}'
    editlock.lock_path(form).write_text(text, encoding="utf-8")
    got = editlock.acquire(form)
    assert isinstance(got, editlock.LockHolder) and got.stale


def test_a_deeply_nested_lock_is_unreadable_not_an_exception(tmp_path):
    form = tmp_path / "表.json"
    shutil.copy(SEED2, form)
    editlock.lock_path(form).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    got = editlock.acquire(form)  # before: RecursionError
    assert isinstance(got, editlock.LockHolder) and got.info is None


@posix_only
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_a_lock_that_is_a_fifo_or_a_device_is_stale_at_once(tmp_path, kind):
    form = tmp_path / "表.json"
    shutil.copy(SEED2, form)
    lock = editlock.lock_path(form)
    os.mkfifo(lock) if kind == "fifo" else lock.symlink_to("/dev/zero")
    got = editlock.acquire(form)  # before: a hang (FIFO) or MemoryError (/dev/zero)
    assert isinstance(got, editlock.LockHolder) and got.stale
    assert isinstance(editlock.take_over(form, got), editlock.EditLock)


def test_a_process_id_beyond_the_system_s_range_is_not_alive():
    assert not editlock.process_alive(2**31)  # before: OverflowError from os.kill


# ---- 4. one bad entry in a folder


@posix_only
def test_a_link_loop_is_one_red_row_in_chinese(tmp_path):
    shutil.copy(SEED2, tmp_path / SEED2.name)
    os.symlink(tmp_path / "环.json", tmp_path / "环.json")
    entries = list_folder(tmp_path)
    [bad] = [e for e in entries if e.kind == UNREADABLE]
    assert "循环" in bad.error and "Too many" not in bad.error
    assert len(entries) == 2
    r = _cli("list", tmp_path)  # before: exit 2 with no list and an English system message
    assert "城管以奖促治经费" in r.stdout and "循环" in r.stdout and "Too many" not in r.stdout + r.stderr


# ---- 6. rule sets and templates accepted that should not be; output names


def _bundled(kind, name):
    return json.loads((ROOT / "resources" / kind / f"{name}.json").read_text(encoding="utf-8"))


def _rule_set(**changes):
    return {**_bundled("rulesets", "chaoyang-2020"), "id": "city-2024", "name": "某市 2024年度", **changes}


def _install(folder, data):
    from selfeval_gui.files.rule_files import install

    path = folder / "规则.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return install(path)


@pytest.mark.parametrize("item_id", ["con", "nul", "com1", "lpt9", "prn", "aux", "city\n", "city-2024\n"])
def test_a_rule_set_id_that_cannot_be_a_file_name_is_refused(cn_dir, item_id):
    from selfeval_gui.domain import rules
    from selfeval_gui.files.rule_files import InstallError

    with pytest.raises(InstallError) as e:
        _install(cn_dir, _rule_set(id=item_id))
    assert "id" in str(e.value) and len(str(e.value)) < 200
    assert item_id not in rules.rule_set_ids() and item_id.strip() not in rules.rule_set_ids()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weight_total": "1" * 100_000}, "weight_total"),
        ({"over_achievement": "0." + "3" * 100_000}, "over_achievement"),
        ({"weight_total": "100000"}, "weight_total"),
        ({"grades": [["优", "60"], ["良", "80"], ["中", "60"], ["差", "0"]]}, "grades"),
        ({"grades": [["优", "90"], ["优", "80"]]}, "grades"),
        ({"grades": [["优", "190"], ["差", "0"]]}, "grades"),
        (
            {"qualitative_bands": {"achieved": ["1", "0.8"], "partial": ["0.6", "0.8"], "missed": ["0", "0.6"]}},
            "qualitative_bands",
        ),
        (
            {"qualitative_bands": {"achieved": ["0.8", "3"], "partial": ["0.6", "0.8"], "missed": ["0", "0.6"]}},
            "qualitative_bands",
        ),
        ({"weights_guideline": {"产出指标": "80", "效益指标": "80"}}, "weights_guideline"),
        ({"execution_note_below": "9"}, "execution_note_below"),
        ({"execution_cap": [["0.5", "59"], ["0.8", None]]}, "execution_cap"),
        ({"execution_cap": [["0.8", "500"]]}, "execution_cap"),
    ],
)
def test_a_rule_set_out_of_bounds_or_contradicting_itself_is_refused_naming_the_field(cn_dir, change, field):
    from selfeval_gui.domain import rules
    from selfeval_gui.files.rule_files import InstallError

    with pytest.raises(InstallError, match=field) as e:
        _install(cn_dir, _rule_set(**change))
    assert len(str(e.value)) < 300  # a short sentence, never the 100,000 digits
    assert "city-2024" not in rules.rule_set_ids()


def _template(**changes):
    return {**_bundled("templates", "province-2023"), "id": "city-2024", "rule_set": "province-2023", **changes}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {
                "funds": {
                    "rows": [{"key": "total", "label": "年度资金总额"}]
                    + [{"key": f"r{n}", "label": f"第{n}行"} for n in range(5000)]
                }
            },
            "funds › rows",
        ),
        (
            {
                "funds": {
                    "rows": [
                        {"key": "total", "label": "合计"},
                        {"key": "a", "label": "甲"},
                        {"key": "a", "label": "乙"},
                    ]
                }
            },
            "funds › rows",
        ),
        ({"tree": [{"name": f"一级{n}", "children": ["二级"]} for n in range(50)]}, "tree"),
        ({"tree": [{"name": "产出指标", "children": ["数量指标"] * 2}]}, "tree › 产出指标"),
        ({"tree": [{"name": "产出\x07指标", "children": ["数量指标"]}]}, "tree"),
        ({"budget_weight": "200"}, "budget_weight"),
    ],
)
def test_a_template_too_big_or_contradicting_its_rule_set_is_refused(cn_dir, change, field):
    from selfeval_gui.domain import rules
    from selfeval_gui.files.rule_files import InstallError

    with pytest.raises(InstallError, match=field) as e:
        _install(cn_dir, _template(**change))
    assert len(str(e.value)) < 300
    assert "city-2024" not in rules.template_ids()


def test_the_bundled_rule_sets_and_templates_are_within_the_bounds():
    from selfeval_gui.domain import rules

    for item_id in rules.bundled_ids(rules.RULESETS):
        rules.get_rule_set(item_id)
    for item_id in rules.bundled_ids(rules.TEMPLATES):
        rules.get_template(item_id)


def test_batch_and_next_year_names_are_never_a_device_name_and_keep_their_suffix(tmp_path):
    from selfeval_gui.files.folder.next_year import write_next_year
    from selfeval_gui.files.naming import is_reserved_name, safe_stem

    forms = tmp_path / "表"
    forms.mkdir()
    form = load_form(SEED2)
    form.project_name = "CON.2020"
    save_form(form, forms / "a.json")
    form.project_name = "很长的项目名称" * 30
    save_form(form, forms / "b.json")
    out = tmp_path / "导出"
    r = _cli("export", forms, "--pdf", out, "--draft")
    assert r.returncode in (0, 1), r.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 and not any(is_reserved_name(n) for n in names), names
    assert all(n.endswith("_草稿.pdf") for n in names), names  # the long name keeps its 草稿
    result = write_next_year([forms / "a.json", forms / "b.json"], tmp_path / "下一年")
    drafts = sorted(p.name for _, p in result.written)
    assert len(drafts) == 2 and all(n.endswith("_2021.json") for n in drafts), drafts
    assert not any(is_reserved_name(n) for n in drafts), drafts
    assert safe_stem("CON", tail="_2021") == "CON_2021" and safe_stem("con.x", tail="_草稿") == "con_.x_草稿"


# ---- 9. messages quote a short excerpt; every damaged file a sentence


def test_a_message_about_a_huge_value_quotes_only_an_excerpt(tmp_path):
    data = json.loads(SEED2.read_text(encoding="utf-8"))
    data["funds"][0]["budget"] = "x" * 100_000
    path = tmp_path / "表.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormFileError) as e:
        load_form(path)
    assert len(str(e.value)) < 200 and "100,000" in str(e.value)
    from selfeval_gui.domain.numbers import parse_decimal

    with pytest.raises(ValueError) as e2:
        parse_decimal("9" * 100_000 + "元")
    assert len(str(e2.value)) < 200


@pytest.mark.parametrize("grade", [[], {}, [1], {"a": 1}, 3])
def test_a_grade_of_the_wrong_shape_is_a_sentence_not_a_type_error(tmp_path, grade):
    data = json.loads(SEED2.read_text(encoding="utf-8"))
    data["indicators"][0]["children"][0]["indicators"][0]["grade"] = grade
    path = tmp_path / "表.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FormFileError) as e:
        load_form(path)
    assert "Error" not in str(e.value) and "等级" in str(e.value)
