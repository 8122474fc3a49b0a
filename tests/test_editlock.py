"""The edit lock beside a form (files/editlock.py): who has it, a second opener refused, a left-over lock."""

from __future__ import annotations

import json
import multiprocessing
import os
import time

import pytest

from selfeval_gui.files import editlock
from selfeval_gui.files.editlock import EditLock, LockHolder


@pytest.fixture
def here(monkeypatch):
    """This computer is PC-01, its clerk 张三; processes 4242 and our own run."""
    monkeypatch.setattr(editlock, "user_name", lambda: "张三")
    monkeypatch.setattr(editlock, "computer_name", lambda: "PC-01")
    monkeypatch.setattr(editlock, "process_alive", lambda pid: pid in (4242, os.getpid()))


def _lock_file(form, **info):
    data = {
        "user": "李四",
        "computer": "PC-01",
        "pid": 4242,
        "time": "2026-11-28 09:00",
        "timestamp": time.time(),
        "token": "feedc0de",
        **info,
    }
    path = editlock.lock_path(form)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_lock_file_names_who_has_the_form(cn_dir, here):
    form = cn_dir / "表.json"
    form.write_text("{}")
    lock = editlock.acquire(form)
    assert isinstance(lock, EditLock) and lock.path == cn_dir / "~$表.json.lock"
    data = json.loads(lock.path.read_text(encoding="utf-8"))
    assert (data["user"], data["computer"], data["pid"]) == ("张三", "PC-01", os.getpid())
    assert data["time"].startswith(time.strftime("%Y-"))
    second = editlock.acquire(form)  # another window, same program: told who
    assert isinstance(second, LockHolder) and not second.stale
    assert second.who().startswith("张三（电脑 PC-01，")
    lock.release()
    assert not lock.path.exists() and isinstance(editlock.acquire(form), EditLock)


def test_a_lock_is_released_only_by_its_owner(cn_dir, here):
    form = cn_dir / "表.json"
    lock = editlock.acquire(form)
    assert isinstance(lock, EditLock)
    lock.path.unlink()
    theirs = _lock_file(form)  # someone took it over meanwhile
    lock.release()
    assert theirs.exists() and json.loads(theirs.read_text(encoding="utf-8"))["user"] == "李四"


@pytest.mark.parametrize(
    "info, stale",
    [
        ({}, False),  # 李四's program runs on this computer
        ({"pid": 999999}, True),  # gone
        ({"pid": 999999, "computer": "PC-02"}, False),  # another computer: its processes cannot be seen from here
        ({"pid": 999999, "computer": "pc-01"}, True),  # Windows names ignore case
        ({"computer": "PC-02", "timestamp": time.time() - 25 * 3600}, True),  # older than a day
    ],
)
def test_a_left_over_lock_is_told_from_a_live_one(cn_dir, here, info, stale):
    form = cn_dir / "表.json"
    _lock_file(form, **info)
    got = editlock.acquire(form)
    assert isinstance(got, LockHolder) and got.stale is stale and got.who().casefold().startswith("李四（电脑 pc-0")


def test_a_left_over_lock_is_taken_over(cn_dir, here):
    form = cn_dir / "表.json"
    _lock_file(form, pid=999999)
    got = editlock.acquire(form)
    assert isinstance(got, LockHolder) and got.stale
    mine = editlock.take_over(form, got)
    assert isinstance(mine, EditLock) and mine.info.user == "张三"
    assert json.loads(mine.path.read_text(encoding="utf-8"))["token"] == mine.info.token
    assert sorted(p.name for p in cn_dir.iterdir()) == ["~$表.json.lock"]


def test_taking_over_a_lock_someone_took_meanwhile_fails(cn_dir, here):
    form = cn_dir / "表.json"
    _lock_file(form, pid=999999)
    got = editlock.acquire(form)
    _lock_file(form, user="王五", token="0badcafe")  # 王五 took it over first
    assert isinstance(got, LockHolder)
    again = editlock.take_over(form, got)
    assert isinstance(again, LockHolder) and again.who().startswith("王五") and not again.stale


def test_an_unreadable_lock_counts_as_held_until_it_is_old(cn_dir, here):
    form = cn_dir / "表.json"
    path = editlock.lock_path(form)
    path.write_bytes(b"")  # being written right now, or damaged
    got = editlock.acquire(form)
    assert isinstance(got, LockHolder) and not got.stale and "无法读取" in got.who()
    old = time.time() - 3600
    os.utime(path, (old, old))
    got = editlock.acquire(form)
    assert isinstance(got, LockHolder) and got.stale
    assert isinstance(editlock.take_over(form, got), EditLock)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need extra rights on Windows")
def test_a_link_and_its_target_share_one_lock(tmp_path, here):
    target = tmp_path / "表.json"
    target.write_text("{}")
    link = tmp_path / "快捷.json"
    link.symlink_to(target)
    assert isinstance(editlock.acquire(target), EditLock)
    assert isinstance(editlock.acquire(link), LockHolder)


def test_a_folder_without_room_for_a_lock_opens_without_one(tmp_path, here):
    assert editlock.acquire(tmp_path / "没有的文件夹" / "表.json") is None


def _try_lock(form: str, results) -> None:
    got = editlock.acquire(__import__("pathlib").Path(form))
    results.put(isinstance(got, EditLock))


@pytest.mark.skipif(multiprocessing.get_start_method(allow_none=False) != "fork", reason="fork keeps it quick")
def test_of_two_processes_opening_at_once_exactly_one_gets_the_lock(tmp_path):
    form = tmp_path / "表.json"
    for _ in range(20):
        results: multiprocessing.Queue = multiprocessing.Queue()
        procs = [multiprocessing.Process(target=_try_lock, args=(str(form), results)) for _ in range(2)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(30)
        assert sorted(results.get() for _ in procs) == [False, True]
        editlock.lock_path(form).unlink()


def test_process_alive_sees_this_process_and_not_a_finished_one():
    assert editlock.process_alive(os.getpid())
    p = multiprocessing.Process(target=int)
    p.start()
    p.join()
    assert not editlock.process_alive(p.pid)
