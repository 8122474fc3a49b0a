"""Issue 24: `finalize FILE` and `unfinalize FILE` do on the command line what 定稿 / 撤销定稿 do in the window —
same checks, the domain's one state change, the edit lock respected, exit codes as `export`."""

from __future__ import annotations

import json
import os
import shutil
import time

from selfeval_gui.cli import main as cli
from selfeval_gui.files import editlock
from selfeval_gui.files.formfile import fingerprint, load_form, save_form

from .support import SEED2


def _run(capsys, *args):
    code = cli.run([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_a_clean_form_is_finalized_and_withdrawn(clean2, tmp_path, capsys):
    path = tmp_path / "表.json"
    save_form(clean2, path)
    code, out = _run(capsys, "finalize", path)
    fin = load_form(path).finalized
    assert code == 0 and fin is not None and fin.fingerprint == fingerprint(clean2) and fin.fingerprint in out
    code, out = _run(capsys, "finalize", path)
    assert code == 0 and "没有改动" in out  # already 定稿: nothing changes
    code, out = _run(capsys, "unfinalize", path)
    again = load_form(path)
    assert code == 0 and again.finalized is None and [h.fingerprint for h in again.history] == [fin.fingerprint]
    assert "已撤销定稿" in out
    code, out = _run(capsys, "unfinalize", path)
    assert code == 0 and "不是定稿" in out
    assert not editlock.lock_path(path).exists()  # the lock taken while changing it is released


def test_a_form_with_errors_is_not_finalized_exit_1(tmp_path, capsys):
    path = tmp_path / "表.json"
    shutil.copy(SEED2, path)
    before = path.read_bytes()
    code, out = _run(capsys, "finalize", path)
    assert code == 1 and "个错误，没有定稿" in out and "[错误]" in out
    assert path.read_bytes() == before


def test_a_form_open_in_someone_s_window_is_left_alone_exit_2(clean2, tmp_path, capsys):
    path = tmp_path / "表.json"
    save_form(clean2, path)
    before = path.read_bytes()
    info = {
        "user": "张三",
        "computer": "别的电脑",
        "pid": 4242,
        "time": "刚才",
        "timestamp": time.time(),
        "token": "t",
    }
    editlock.lock_path(path).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    code, out = _run(capsys, "finalize", path)
    assert code == 2 and "张三" in out and "正在编辑" in out
    assert path.read_bytes() == before


def test_an_unreadable_file_is_exit_2(tmp_path, capsys):
    path = tmp_path / "坏.json"
    path.write_text("{", encoding="utf-8")
    code, out = _run(capsys, "finalize", path)
    assert code == 2 and "错误" in out
    assert os.listdir(tmp_path) == ["坏.json"]
