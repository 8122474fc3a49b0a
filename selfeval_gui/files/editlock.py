"""Who has a form open for editing: a small lock file beside the form, `~$名称.json.lock`, as Office does.

The lock file is JSON: the user's name, the computer's name, the process id, the time it was taken, and a token
that tells this window's lock from another window's in the same program.  It is made with O_EXCL, so of two
programs opening the same file at once exactly one gets it; the other is told who has it (LockHolder) and may
open the form read-only.

A lock is stale when its program is gone (same computer, process no longer running) or it is older than a day;
the window then asks before taking it over.  Taking over moves the stale file aside with a rename (only one
program can do that) and makes a new lock with O_EXCL, so two clerks taking over at once do not both win.

What depends on Windows sits in small functions a test replaces: process_alive, user_name, computer_name.
"""

from __future__ import annotations

import getpass
import json
import logging
import math
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from selfeval_gui import APP_TITLE
from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)

PREFIX, SUFFIX = "~$", ".lock"
STALE_AFTER = 24 * 3600  # seconds: a lock older than a day is left over, whoever holds it
UNREADABLE_GRACE = 60  # seconds: an unreadable lock may be one being written right now
MAX_LOCK_BYTES = 64 * 1024  # a lock file is a few hundred bytes
MAX_PID = 2**31 - 1  # process ids are positive 32-bit numbers on every system
FUTURE_SLACK = 10 * 60  # seconds: two computers' clocks may differ by this much
PROGRAM = APP_TITLE  # the program named in a lock file (another program may hold one)


@dataclass(frozen=True)
class LockInfo:
    user: str
    computer: str
    pid: int
    time: str  # local time, for people: 2026-11-28 10:00
    timestamp: float
    token: str
    program: str = PROGRAM

    def who(self) -> str:
        """The holder as a clerk reads it: 张三（电脑 PC-01，2026-11-28 10:00 起）."""
        return f"{self.user}（电脑 {self.computer}，{self.time} 起）"


@dataclass(frozen=True)
class LockHolder:
    """Someone else's lock: who (None when the file cannot be read) and whether it is left over."""

    path: Path
    info: LockInfo | None
    stale: bool

    def who(self) -> str:
        return self.info.who() if self.info else "另一位用户（编辑标记无法读取）"


class EditLock:
    """A lock this window holds; release() removes the file if it is still ours."""

    def __init__(self, path: Path, info: LockInfo) -> None:
        self.path = path
        self.info = info

    def release(self) -> None:
        current = _read(self.path)
        if current is None or current.token != self.info.token:
            log.info("lock %s is no longer ours; left as it is", self.path)
            return
        try:
            self.path.unlink()
        except OSError as e:
            log.warning("编辑标记 %s 无法删除：%s", self.path, e)


# ---------------------------------------------------------------- the machine's side (tests replace these)


def user_name() -> str:
    try:
        return getpass.getuser() or "未知用户"
    except (OSError, KeyError, ImportError):  # no USERNAME and no password entry
        return "未知用户"


def computer_name() -> str:
    return os.environ.get("COMPUTERNAME") or _node_name() or "未知电脑"


def _node_name() -> str:
    """The computer's network name where COMPUTERNAME is not set (not Windows).  os.uname, not the platform
    module: that one costs a millisecond of every start-up (issue 12)."""
    uname = getattr(os, "uname", None)
    return uname().nodename if uname is not None else ""


def process_alive(pid: int) -> bool:
    """True while a process of that id runs on this computer (a reused id counts as alive: the day limit ends
    that lock)."""
    if not 0 < pid <= MAX_PID:  # no process has such an id (os.kill would raise OverflowError)
        return False
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _windows_process_alive(pid: int) -> bool:
    if sys.platform != "win32":
        return True
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return bool(code.value == 259)  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


# ---------------------------------------------------------------- taking, reading, taking over


def lock_path(form_path: Path) -> Path:
    """The lock file of a form (of a link's target: the link and its target are one file)."""
    real = Path(os.path.realpath(form_path))
    return real.with_name(f"{PREFIX}{real.name}{SUFFIX}")


def _new_info() -> LockInfo:
    now = time.time()
    return LockInfo(
        user_name(),
        computer_name(),
        os.getpid(),
        time.strftime("%Y-%m-%d %H:%M", time.localtime(now)),
        now,
        os.urandom(8).hex(),
    )


def acquire(form_path: Path) -> EditLock | LockHolder | None:
    """Take the lock of `form_path`: an EditLock; the holder when someone has it; None when no lock file can
    be made there (a folder that refuses new files: the form opens without one, saving will say why)."""
    path = lock_path(form_path)
    info = _new_info()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except FileExistsError:
        return holder(path)
    except OSError as e:
        log.warning("编辑标记 %s 无法建立：%s", path, e)
        return None
    with os.fdopen(fd, "wb") as f:
        f.write(json.dumps(asdict(info), ensure_ascii=False, indent=1).encode("utf-8"))
    hide(path)
    return EditLock(path, info)


def hide(path: Path) -> None:
    """Windows: mark the lock file hidden, as Office does with its ~$ files (elsewhere the name says it)."""
    if sys.platform != "win32":
        return
    import ctypes

    if not ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x2):  # FILE_ATTRIBUTE_HIDDEN
        log.info("lock file %s not hidden", path)


def _read(path: Path) -> LockInfo | None:
    try:
        data = json.loads(read_regular(path, MAX_LOCK_BYTES).decode("utf-8"))
        return LockInfo(
            str(data["user"]),
            str(data["computer"]),
            int(data["pid"]),
            str(data["time"]),
            float(data["timestamp"]),
            str(data["token"]),
        )
    except (OSError, ValueError, KeyError, TypeError, RecursionError, MemoryError) as e:
        # bounded (a link to /dev/zero, a FIFO, a huge file) and never raising: an unreadable lock locks nobody out
        log.info("lock file %s unreadable: %r", path, e)
        return None


def holder(path: Path) -> LockHolder:
    """Who holds the lock file `path`, and whether that lock is left over."""
    info = _read(path)
    if info is None:
        if not path.is_file():  # a folder, a FIFO, a link to a device: no program is writing a lock there
            return LockHolder(path, None, True)
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            age = 0.0
        return LockHolder(path, None, age > UNREADABLE_GRACE)
    if impossible(info) or time.time() - info.timestamp > STALE_AFTER:
        return LockHolder(path, info, True)
    same_computer = info.computer.casefold() == computer_name().casefold()
    return LockHolder(path, info, same_computer and not process_alive(info.pid))


def impossible(info: LockInfo, now: float | None = None) -> bool:
    """A lock no running program can have written: a process id out of range, a time that is not a number or
    lies in the future."""
    now = time.time() if now is None else now
    return not 0 < info.pid <= MAX_PID or not math.isfinite(info.timestamp) or info.timestamp > now + FUTURE_SLACK


def take_over(form_path: Path, stale: LockHolder) -> EditLock | LockHolder | None:
    """Replace the left-over lock `stale` with ours.  When somebody else took it meanwhile, their holder."""
    aside = stale.path.with_name(f"{stale.path.name}.{os.urandom(4).hex()}.old")
    try:
        os.replace(stale.path, aside)
    except FileNotFoundError:
        return acquire(form_path)  # another program removed it first
    except OSError as e:
        log.warning("编辑标记 %s 无法接管：%s", stale.path, e)
        return None
    moved = _read(aside)
    moved_token = moved.token if moved else None
    if moved_token != (stale.info.token if stale.info else None):  # a fresh lock was taken meanwhile
        try:
            os.replace(aside, stale.path)
        except OSError as e:
            log.warning("编辑标记 %s 无法放回：%s", stale.path, e)
        return holder(stale.path)
    try:
        aside.unlink()
    except OSError as e:
        log.info("old lock %s left: %s", aside, e)
    log.warning("接管了 %s 的编辑标记（%s）", form_path, stale.who())
    return acquire(form_path)
