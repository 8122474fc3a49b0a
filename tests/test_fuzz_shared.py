"""Issue 23's fuzz: hypothesis throws lock files, folders with links and loops, and rule-set files at the
program; each must end in a sentence or a result — never a traceback, a hang, or a file written outside the
folder chosen.  Marked slow (each example runs whole commands); the quick run leaves them out, CI runs them."""

from __future__ import annotations

import copy
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfeval_gui.domain import rules
from selfeval_gui.files import editlock
from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.naming import is_reserved_name, safe_stem

from .support import ROOT, SEED1, SEED2
from .test_properties import _mutate, _mutate_json, _run_cli, edit, json_value

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
posix_only = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs, links and /dev/zero as on Linux")

# ---------------------------------------------------------------- lock files

LOCK_KEYS = ("user", "computer", "pid", "time", "timestamp", "token", "program")
lock_value = st.one_of(
    json_value,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([None, [], {}, [[[[]]]], {"a": {"b": {}}}, True]),
)


def _good_lock() -> dict:
    return {
        "user": "某人",
        "computer": editlock.computer_name(),
        "pid": os.getpid(),
        "time": "刚才",
        "timestamp": 1.7e9,
        "token": "t",
        "program": editlock.PROGRAM,
    }


def _lock_bytes(how) -> bytes:
    kind, edits = how
    good = json.dumps(_good_lock(), ensure_ascii=False).encode("utf-8")
    if kind == "bytes":
        return _mutate(good, edits)
    data: object = _good_lock()
    for key, shared in edits:
        value = copy.deepcopy(shared)  # sampled values are shared objects: never nest one in itself
        if isinstance(data, dict) and key in LOCK_KEYS:
            data[key] = value
        else:
            data = value  # the whole file is some other JSON value
    return json.dumps(data, ensure_ascii=False, allow_nan=True).encode("utf-8")


@pytest.mark.slow
@FUZZ
@given(
    st.one_of(
        st.tuples(st.just("bytes"), st.lists(edit, min_size=1, max_size=4)),
        st.tuples(st.just("json"), st.lists(st.tuples(st.sampled_from((*LOCK_KEYS, "")), lock_value), max_size=4)),
        st.tuples(st.just("nested"), st.integers(1, 200_000)),
    )
)
def test_any_lock_file_is_held_or_stale_never_an_exception(how):
    with tempfile.TemporaryDirectory() as tmp:
        form = Path(tmp) / "表.json"
        shutil.copy(SEED2, form)
        lock = editlock.lock_path(form)
        if how[0] == "nested":
            lock.write_text("[" * how[1] + "]" * how[1], encoding="utf-8")
        else:
            lock.write_bytes(_lock_bytes(how))
        found = editlock.holder(lock)
        assert isinstance(found, editlock.LockHolder)
        if found.info is not None and editlock.impossible(found.info):
            assert found.stale
        got = editlock.take_over(form, found) if found.stale else editlock.acquire(form)
        assert got is None or isinstance(got, (editlock.EditLock, editlock.LockHolder))
        if isinstance(got, editlock.EditLock):
            got.release()
        load_form(form)  # the form itself opens whatever the lock holds


# ---------------------------------------------------------------- folders with links and loops

ENTRY_KINDS = ("form", "form", "damaged", "dangling", "loop", "self_loop", "dir_link", "zero", "fifo", "subdir")
entries = st.lists(st.tuples(st.sampled_from(ENTRY_KINDS), st.integers(0, 3)), min_size=1, max_size=8)
OUTPUT_NAMES = ("城管以奖促治经费_草稿.pdf", "城管以奖促治经费_2021.json", "汇总.xlsx", "城管以奖促治经费.json")


def _make(folder: Path, kind: str, n: int, outside: Path) -> None:
    name = folder / f"{kind}{n}.json"
    if name.exists() or name.is_symlink():
        return
    if kind == "form":
        shutil.copy(SEED2 if n % 2 else SEED1, name)
    elif kind == "damaged":
        name.write_bytes(SEED2.read_bytes()[: 200 * (n + 1)])
    elif kind == "dangling":
        name.symlink_to(outside / f"去向{n}.json")
    elif kind == "loop":
        other = folder / f"loop{n}b.json"
        if not other.is_symlink():
            name.symlink_to(other)
            other.symlink_to(name)
    elif kind == "self_loop":
        name.symlink_to(name)
    elif kind == "dir_link":
        name.symlink_to(folder)
    elif kind == "zero":
        name.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(name)
    elif kind == "subdir":
        name.mkdir()


@posix_only
@pytest.mark.slow
@FUZZ
@given(entries, st.lists(st.sampled_from(OUTPUT_NAMES), max_size=3))
def test_a_folder_of_links_loops_and_devices_never_hangs_and_never_writes_outside(found, planted):
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        folder, out, outside = base / "表", base / "导出", base / "别处"
        for d in (folder, out, outside):
            d.mkdir()
        for kind, n in found:
            _make(folder, kind, n, outside)
        for name in planted:  # links planted at the names the outputs will take
            target = out / name
            if not target.is_symlink():
                target.symlink_to(outside / f"被引走的{name}")
        _run_cli("list", str(folder))
        _run_cli("list", str(folder), "--json")
        _run_cli("summary", str(folder), "-o", str(out / "汇总.xlsx"))
        _run_cli("export", str(folder), "--pdf", str(out), "--draft")
        _run_cli("next-year", str(folder), "-o", str(out))
        assert list(outside.iterdir()) == [], "a file was written through a planted link"


# ---------------------------------------------------------------- rule-set and template files


def _rule_file(seed: str, edits) -> bytes:
    kind, changes = edits
    data = json.loads((ROOT / "resources" / seed).read_text(encoding="utf-8"))
    data["id"] = "fuzz-1"
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return _mutate(raw, changes) if kind == "bytes" else _mutate_json(raw, changes)


rule_value = st.one_of(json_value, st.sampled_from(["con", "nul\n", "1" * 100_000, "-1", "1e9", [], {}, None]))


@pytest.mark.slow
@FUZZ
@given(
    st.sampled_from(["rulesets/general-2dp.json", "rulesets/province-2023.json", "templates/province-2023.json"]),
    st.one_of(
        st.tuples(st.just("bytes"), st.lists(edit, min_size=1, max_size=3)),
        st.tuples(st.just("json"), st.lists(st.tuples(st.integers(0, 10**6), rule_value), min_size=1, max_size=3)),
    ),
)
def test_damaged_rule_files_install_whole_or_are_refused_with_a_sentence(seed, edits):
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        before = os.environ.get("SELFEVAL_DATA_DIR")
        os.environ["SELFEVAL_DATA_DIR"] = str(base / "用户数据")
        rules.clear_caches()
        try:
            path = base / "规则.json"
            path.write_bytes(_rule_file(seed, edits))
            code, err = _run_cli("rulesets", "install", str(path))  # a traceback or catch-all fails here
            assert code in (0, 2), err
            _run_cli("rulesets", "list")
            data_dir = base / "用户数据"
            installed = list(data_dir.rglob("*.json")) if data_dir.exists() else []
            assert len(installed) == (1 if code == 0 else 0)
            for p in installed:  # what was installed is a safe name, read back and used without complaint
                assert not is_reserved_name(p.stem) and safe_stem(p.stem, "") == p.stem
                (rules.get_rule_set if p.parent.name == rules.RULESETS else rules.get_template)(p.stem)
        finally:
            if before is None:
                os.environ.pop("SELFEVAL_DATA_DIR", None)
            else:
                os.environ["SELFEVAL_DATA_DIR"] = before
            rules.clear_caches()
