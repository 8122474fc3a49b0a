"""Writing a file so that nobody ever sees half of it: the JSON form, the PDF, the workbook, the settings.

The bytes go to a temporary file in the same folder (so the final rename stays on one disk), are flushed and
fsync'ed, and the temporary file then replaces the target with os.replace; the old file is kept as .bak when
asked.  Any failure leaves the old file as it was and removes the temporary file.

Windows refuses a replace while another program (an antivirus, a backup tool, a PDF reader) holds the target
open — a sharing violation, which Python raises as PermissionError.  That one Windows-only situation is
handled by retry_on_sharing_violation, a small function of its own so a test can drive it (with os.replace
failing a few times) on any system.
"""
from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

log = logging.getLogger(__name__)

RETRIES = 10  # attempts; with the growing pause that is about 2.75 s in all
PAUSE = 0.05  # seconds before the second attempt, growing by as much each time

StrPath: TypeAlias = "str | os.PathLike[str]"


def atomic_write_bytes(path: StrPath, data: bytes, *, backup: bool = True, retries: int = RETRIES) -> None:
    """Write `data` to `path` atomically; keep the old file as path + ".bak" when `backup`.

    OSError passes through (the caller words it for the clerk with reading.write_failure); the old file is then
    untouched and no temporary file is left behind.
    """
    p = Path(path)
    tmp = _write_temp(p, data)
    try:
        if backup and p.exists():
            retry_on_sharing_violation(lambda: _copy(p, p.with_name(p.name + ".bak")), retries)
        retry_on_sharing_violation(lambda: os.replace(tmp, p), retries)
    except BaseException:
        _remove(tmp)
        raise


def _write_temp(p: Path, data: bytes) -> str:
    """A new temporary file beside `p` holding `data`, flushed to the disk; its path."""
    folder = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        os.chmod(tmp, _mode_for(p))  # mkstemp makes it private (0600); the file is the clerk's to share
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
    tmp = dst.with_name(dst.name + ".tmp")
    try:
        tmp.write_bytes(src.read_bytes())
        os.replace(tmp, dst)
    except BaseException:
        _remove(tmp)
        raise


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
