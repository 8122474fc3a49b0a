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
