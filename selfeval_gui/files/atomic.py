"""Writing a file so that nobody ever sees half of it: the JSON form, the PDF, the workbook, the settings.

The bytes go to a temporary file in the same folder (so the final rename stays on one disk), are flushed and
fsync'ed, and the temporary file then replaces the target with os.replace; the old file is kept as .bak when
asked.  Any failure leaves the old file as it was and removes the temporary file.

Every temporary file has a name of its own (`.名称.json.<8 hex>.tmp`, made with O_EXCL), so two programs saving
the same file at once never take each other's temporary file away.  A temporary file a killed program left
behind (older than STRAY_AGE) is removed by the next save into that folder.

A link at the output's name is never written through, unless the caller says the file is the clerk's own
(`follow_link`: the form file the window opened, which may be a link the clerk made): then a link to an existing
file is written at its target, so the link stays a link.  Anyone who can drop a link into a shared folder must not
choose where the next export lands (LinkedTargetError; files/naming.py counts a link, even a dangling one, as a
name that is taken).

Windows refuses a replace while another program (an antivirus, a backup tool, a PDF reader) holds the target
open — a sharing violation, which Python raises as PermissionError.  That one Windows-only situation is
handled by retry_on_sharing_violation, a small function of its own so a test can drive it (with os.replace
failing a few times) on any system.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TypeAlias

log = logging.getLogger(__name__)

RETRIES = 10  # attempts; with the growing pause that is about 2.75 s in all
PAUSE = 0.05  # seconds before the second attempt, growing by as much each time
STRAY_AGE = 15 * 60  # seconds: a temporary file this old belongs to no save still running
# What a temporary name adds to the file's name: "." + name + "." + 8 hex digits + ".tmp".  A name made to fit a
# file system's limit (255 bytes) must leave this much room (files/naming.py).
TEMP_EXTRA_BYTES = 14
# Our temporary files: this version's (hex), an older version's (mkstemp: a-z, 0-9, _) and its fixed ".bak.tmp".
_STRAY = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp|.+\.bak\.tmp", re.DOTALL)

StrPath: TypeAlias = "str | os.PathLike[str]"


class FolderNotWritableError(PermissionError):
    """No new file may be made in the folder (not: the file itself is held open by another program)."""


class LinkedTargetError(OSError):
    """The output's name is a link (symlink) the program was not told to follow."""


class ChangedOnDiskError(Exception):
    """The file on disk is no longer what was read or last written (another window or clerk saved it)."""


def content_digest(data: bytes) -> str:
    """The fingerprint of a file's bytes that tells whether it changed (by content, not by time)."""
    return hashlib.sha256(data).hexdigest()


def digest_on_disk(path: StrPath) -> str | None:
    """content_digest of the file as it is now; None when there is no such file."""
    try:
        return content_digest(Path(path).read_bytes())
    except FileNotFoundError:
        return None


def atomic_write_bytes(
    path: StrPath,
    data: bytes,
    *,
    backup: bool = True,
    retries: int = RETRIES,
    expect: str | None = None,
    follow_link: bool = False,
) -> str:
    """Write `data` to `path` atomically; keep the old file as path + ".bak" when `backup`.  Returns the
    content_digest of what was written.

    expect: the digest of the file as the caller read it (or last wrote it); when the file on disk is different
    now, ChangedOnDiskError is raised and nothing is changed.  A file that is gone counts as not changed.

    OSError passes through (the caller words it for the clerk with reading.write_failure); the old file is then
    untouched and no temporary file is left behind.
    """
    p = _target(Path(path), follow_link)
    remove_strays(p.parent if str(p.parent) else Path("."))
    tmp = _write_temp(p, data)
    try:
        # the compare and the replace are one step: two programs saving the same file wait for each other here
        with saving_lock(p) if expect is not None else nullcontext():
            if expect is not None and digest_on_disk(p) not in (expect, None):
                raise ChangedOnDiskError(f"{p} changed on disk")
            if backup and p.exists():
                retry_on_sharing_violation(lambda: _copy(p, p.with_name(p.name + ".bak")), retries)
            retry_on_sharing_violation(lambda: os.replace(tmp, p), retries)
    except BaseException:
        _remove(tmp)
        raise
    return content_digest(data)


def saving_lock_path(p: Path) -> Path:
    """The small hidden file beside a form that saves take turns on (it stays: removing it would race)."""
    return p.with_name(f".{p.name}.saving")


@contextmanager
def saving_lock(p: Path, timeout: float = 30.0) -> Iterator[None]:
    """Hold the OS-level lock of `p`'s saves (fcntl.flock, or msvcrt.locking on Windows: lock_fd / unlock_fd).
    Where no lock file can be made (a read-only folder), the save goes on without one: it fails there anyway."""
    lock = saving_lock_path(p)
    try:
        fd = _locked(lock, timeout)
    except OSError as e:
        log.info("no saving lock beside %s: %r", p, e)
        yield
        return
    try:
        yield
    finally:
        if sys.platform != "win32":
            _remove(lock)  # while still held: whoever waits on it sees it gone and makes a new one
        unlock_fd(fd)
        os.close(fd)


def _locked(lock: Path, timeout: float) -> int:
    """An open, locked descriptor of the lock file that is still the one at its name (another save may have
    removed the one we waited on; then we take the new one).  Windows keeps the file: a file open elsewhere
    cannot be removed there."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    while True:
        fd = os.open(lock, flags, 0o666)
        try:
            lock_fd(fd, timeout)
            if sys.platform == "win32" or os.path.samestat(os.fstat(fd), os.stat(lock)):
                return fd
        except FileNotFoundError:
            pass  # removed between our lock and the look at its name
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def lock_fd(fd: int, timeout: float) -> None:
    """Wait for the exclusive lock of an open file (at most `timeout` seconds on Windows, whose locking call
    gives up after ten tries of a second)."""
    if sys.platform == "win32":
        import msvcrt

        deadline = time.monotonic() + timeout
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)


def unlock_fd(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _target(p: Path, follow_link: bool) -> Path:
    """Where the bytes go: the path itself; for the clerk's own linked file, its target (the link stays).  Any
    other link — dangling, or not the clerk's — is refused."""
    if not p.is_symlink():
        return p
    if not follow_link or not p.exists():
        raise LinkedTargetError(0, "这个名字是一个链接（快捷方式），程序不通过链接写文件，请换一个文件名", str(p))
    target = Path(os.path.realpath(p))
    log.info("%s is a link: writing its target %s", p, target)
    return target


def _new_temp(p: Path) -> tuple[int, str]:
    """Open a temporary file of a name no other save uses, beside `p`: (descriptor, path)."""
    folder = p.parent if str(p.parent) else Path(".")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(folder / f".{p.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue
        except PermissionError as e:
            raise FolderNotWritableError(e.errno, e.strerror, tmp) from e
    raise FileExistsError(f"no free temporary name beside {p}")


def _write_temp(p: Path, data: bytes) -> str:
    """A new temporary file beside `p` holding `data`, flushed to the disk; its path."""
    fd, tmp = _new_temp(p)
    try:
        os.chmod(tmp, _mode_for(p))  # made private (0600) first; the file is the clerk's to share
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _mode_for(p: Path) -> int:
    """The permissions the written file should have: the old file's, else what a new file gets (umask)."""
    try:
        return p.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _copy(src: Path, dst: Path) -> None:
    """Copy `src` to `dst`, itself through a temporary file and a replace (the .bak is never half written)."""
    tmp = _write_temp(src, src.read_bytes())
    try:
        os.replace(tmp, dst)
    except BaseException:
        _remove(tmp)
        raise


def remove_strays(folder: Path, now: float | None = None) -> list[str]:
    """Remove temporary files of our own naming older than STRAY_AGE from `folder` (left by a killed save or a
    full disk); the names removed.  Never raises: a save must not fail over a leftover."""
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError as e:
        log.info("could not list %s for leftovers: %s", folder, e)
        return removed
    for entry in entries:
        if not _STRAY.fullmatch(entry.name):
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat().st_mtime < STRAY_AGE:
                continue
            os.unlink(entry.path)
        except OSError as e:
            log.info("could not remove the leftover %s: %s", entry.path, e)
            continue
        log.warning("removed a temporary file left by an interrupted save: %s", entry.path)
        removed.append(entry.name)
    return removed


def _remove(tmp: StrPath) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        return  # never made (the failure came before it was written)
    except OSError as e:  # the write failed already; a stray .tmp file is the lesser problem
        log.warning("could not remove the temporary file %s: %s", tmp, e)


def retry_on_sharing_violation(action: Callable[[], None], retries: int = RETRIES) -> None:
    """Run `action`; while it raises PermissionError (Windows: another program has the file open), wait a
    little and try again, at most `retries` times in all.  The last PermissionError is raised."""
    retries = max(1, retries)  # at least one attempt, whatever the caller passed
    for attempt in range(1, retries + 1):
        try:
            action()
            return
        except PermissionError as e:
            if attempt >= retries:
                log.warning("still refused after %d attempts: %s", attempt, e)
                raise
            log.info("refused (attempt %d of %d), retrying: %s", attempt, retries, e)
            pause(attempt)


def pause(attempt: int) -> None:
    """The wait after the `attempt`-th refusal (tests replace it so they do not sleep)."""
    time.sleep(PAUSE * attempt)
