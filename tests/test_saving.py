"""Saving a form file when something else is going on: another program saving the same file at the same moment,
a linked file, leftovers of a killed save, a folder that refuses new files, a file someone changed since it was
read (files/atomic.py, files/formfile.py's save path, files/reading.py's sentences)."""

from __future__ import annotations

import errno
import multiprocessing
import os
import time

import pytest

from selfeval_gui.domain.rules import new_form
from selfeval_gui.files import atomic
from selfeval_gui.files.atomic import content_digest
from selfeval_gui.files.formfile import FormChangedError, FormFileError, load_form, save_form

from .support import SEED2


def _save_in_a_loop(path: str, name: str, rounds: int, errors) -> None:
    form = load_form(SEED2)
    for n in range(rounds):
        form.project_name = f"{name}{n}"
        try:
            save_form(form, path)
        except FormFileError as e:
            errors.put(str(e))
            return


@pytest.mark.skipif(multiprocessing.get_start_method(allow_none=False) != "fork", reason="fork keeps it quick")
def test_two_processes_saving_the_same_file_never_fail(cn_dir):
    path = cn_dir / "共用的表.json"
    save_form(load_form(SEED2), path)
    errors: multiprocessing.Queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_save_in_a_loop, args=(str(path), name, 300, errors)) for name in ("甲", "乙")
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == [] and all(w.exitcode == 0 for w in workers)
    assert load_form(path).project_name in ("甲299", "乙299")  # whole: the last save of one of them
    assert sorted(p.name for p in cn_dir.iterdir()) == ["共用的表.json", "共用的表.json.bak"]


def test_every_temporary_name_is_new(tmp_path, monkeypatch):
    """The .bak copy too goes through a temporary file of its own (it used a fixed name "….bak.tmp")."""
    made = []
    real = os.replace

    def replace(src, dst):
        made.append(os.path.basename(src))
        return real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    path = tmp_path / "表.json"
    for n in range(3):
        atomic.atomic_write_bytes(path, b"x%d" % n)
    assert len(made) == 5 and len(set(made)) == 5
    assert all(name.startswith(".表.json.") and name.endswith(".tmp") for name in made)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need extra rights on Windows")
def test_a_linked_file_is_updated_at_its_target(tmp_path, seed2):
    real = tmp_path / "共享" / "表.json"
    real.parent.mkdir()
    save_form(new_form(), real)
    real.chmod(0o664)  # a shared folder's group may write it
    link = tmp_path / "桌面上的表.json"
    link.symlink_to(real)
    seed2.project_name = "经链接保存"
    save_form(seed2, link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert load_form(real).project_name == "经链接保存"
    assert (real.parent / "表.json.bak").exists() and not (tmp_path / "桌面上的表.json.bak").exists()
    assert real.stat().st_mode & 0o777 == 0o664 and (real.parent / "表.json.bak").stat().st_mode & 0o777 == 0o664


def test_leftovers_of_an_interrupted_save_are_removed_by_the_next_save(cn_dir, seed2):
    old = time.time() - atomic.STRAY_AGE - 60
    leftovers = [".表.json.3fa9c0de.tmp", ".别的表.json.k2_x9q0z.tmp", "表.json.bak.tmp"]
    young = ".表.json.0123abcd.tmp"  # may belong to a save still running
    others = ["笔记.tmp", ".表.json.tmp", "表.json.tmp.txt"]  # not of our naming
    for name in [*leftovers, young, *others]:
        (cn_dir / name).write_bytes(b"\0" * 1000)
        if name != young:
            os.utime(cn_dir / name, (old, old))
    save_form(seed2, cn_dir / "表.json")
    assert sorted(p.name for p in cn_dir.iterdir()) == sorted([young, *others, "表.json"])


def _refuse_new_files(monkeypatch):
    real = os.open

    def refuse(path, flags, *a, **k):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real(path, flags, *a, **k)

    monkeypatch.setattr(atomic.os, "open", refuse)


def test_a_folder_that_refuses_new_files_is_named_as_the_reason(cn_dir, seed2, monkeypatch):
    path = cn_dir / "表.json"
    save_form(seed2, path)
    before = path.read_bytes()
    _refuse_new_files(monkeypatch)
    with pytest.raises(FormFileError) as e:
        save_form(seed2, path)
    message = str(e.value)
    assert message.startswith(f"无法写入“{path}”：没有在文件夹") and "正在被" not in message
    assert message.endswith("原文件未改动。") and path.read_bytes() == before


def test_a_failed_save_of_a_new_file_does_not_speak_of_an_original(cn_dir, seed2, monkeypatch):
    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full)
    path = cn_dir / "新表.json"
    with pytest.raises(FormFileError) as e:
        save_form(seed2, path)
    assert "磁盘空间不足" in str(e.value) and "原文件" not in str(e.value)
    assert list(cn_dir.iterdir()) == []


def test_a_file_changed_since_it_was_read_is_not_overwritten(cn_dir, seed2):
    path = cn_dir / "表.json"
    read = save_form(seed2, path)
    assert read == content_digest(path.read_bytes())
    other = load_form(path)
    other.project_name = "另一个窗口的修改"
    save_form(other, path)  # the other window saves first
    theirs = path.read_bytes()
    seed2.project_name = "本窗口的修改"
    with pytest.raises(FormChangedError, match="已被修改"):
        save_form(seed2, path, expect=read)
    assert path.read_bytes() == theirs and sorted(p.name for p in cn_dir.iterdir()) == ["表.json", "表.json.bak"]
    # the same content written again (only the time changed) is no change
    os.utime(path, (time.time() + 100, time.time() + 100))
    assert save_form(seed2, path, expect=content_digest(theirs)) == content_digest(path.read_bytes())
