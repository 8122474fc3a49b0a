"""Two programs saving one file within milliseconds, each with the changed-on-disk check: the compare and the
replace are one step under an OS-level lock (files/atomic.saving_lock), so no acknowledged save is lost."""

import subprocess
import sys
import types
from pathlib import Path

import pytest

from selfeval_gui.files import atomic
from selfeval_gui.files.formfile import load_form, save_form

from .support import SEED2

SAVER = Path(__file__).with_name("race_saver.py")


def _race(tmp_path: Path, count: int) -> tuple[set[str], set[str]]:
    form = load_form(SEED2)
    form.fund_note = ""
    path = tmp_path / "同一个表.json"
    save_form(form, path, backup=False)
    runs = [
        subprocess.Popen([sys.executable, str(SAVER), str(path), name, str(count)], stdout=subprocess.PIPE, text=True)
        for name in ("甲", "乙")
    ]
    acked = set()
    for run in runs:
        out, _ = run.communicate(timeout=600)
        assert run.returncode == 0
        acked |= set(out.split())
    return acked, set(load_form(path).fund_note.split())


@pytest.mark.slow
def test_two_programs_saving_two_thousand_times_lose_nothing(tmp_path):
    acked, kept = _race(tmp_path, 1000)
    assert len(acked) == 2000
    assert acked - kept == set()  # before: about 100 of 3,814 acknowledged saves were lost


def test_a_short_race_loses_nothing(tmp_path):
    acked, kept = _race(tmp_path, 60)
    assert len(acked) == 120 and acked <= kept


def test_windows_takes_turns_with_msvcrt_locking(monkeypatch):
    calls = []
    fake = types.SimpleNamespace(LK_LOCK=1, LK_UNLCK=0, locking=lambda fd, mode, n: calls.append((mode, n)))
    monkeypatch.setattr(atomic.sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(atomic.os, "lseek", lambda fd, pos, how: 0)
    atomic.lock_fd(7, timeout=1)
    atomic.unlock_fd(7)
    assert calls == [(1, 1), (0, 1)]
