"""Reading a file that may come from a shared folder: only a regular file, and never more than a limit.

A name in a shared folder can be a link to a device (/dev/zero reads forever), a FIFO (a read waits forever) or a
file swapped for either between a check and the read.  read_regular opens the name once (without blocking on a
FIFO), asks the open handle what it is — so the check and the read are about the same file — refuses anything
that is not a regular file, and reads at most `limit` + 1 bytes: a file that turns out longer is refused too.
Both refusals are OSErrors whose strerror is the Chinese reason, so every caller's sentence for a failed read
(files/reading.read_failure) says it.  Below domain, files and ui alike (the domain reads rule sets with it).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

CHUNK = 1 << 20
_KINDS = (
    (stat.S_ISDIR, "文件夹"),
    (stat.S_ISFIFO, "管道"),
    (stat.S_ISCHR, "设备"),
    (stat.S_ISBLK, "设备"),
    (stat.S_ISSOCK, "套接字"),
)


class NotRegularFile(OSError):
    """The name is a folder, a device, a pipe or a socket, not a file."""


class FileTooLarge(OSError):
    """The file holds more than the reader's limit."""


def open_flags() -> int:
    """Read-only, binary on Windows, and not waiting for a writer when the name is a FIFO (where the system has
    O_NONBLOCK; Windows has no FIFOs in its folders)."""
    return os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def kind_of(mode: int) -> str | None:
    """None for a regular file, else the word for what it is."""
    if stat.S_ISREG(mode):
        return None
    return next((word for test, word in _KINDS if test(mode)), "特殊文件")


def too_large(path: Path, limit: int) -> FileTooLarge:
    mb = max(1, limit // (1 << 20))
    return FileTooLarge(0, f"文件超过 {mb} MB，不是本程序能读的文件", str(path))


def read_head(path: str | os.PathLike[str], limit: int) -> tuple[int, bytes]:
    """(the size the open file reports, its first `limit` bytes) — NotRegularFile for anything but a file."""
    p = Path(path)
    fd = os.open(p, open_flags())
    try:
        st = os.fstat(fd)
        what = kind_of(st.st_mode)
        if what is not None:
            raise NotRegularFile(0, f"这是一个{what}，不是文件", str(p))
        chunks, total = [], 0
        while total < limit:
            chunk = os.read(fd, min(CHUNK, limit - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return max(st.st_size, total), b"".join(chunks)
    finally:
        os.close(fd)


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them; NotRegularFile / FileTooLarge / any other
    OSError otherwise.  A file that grows past the limit while it is read is refused like one that was larger."""
    size, data = read_head(path, limit + 1)
    if size > limit or len(data) > limit:
        raise too_large(Path(path), limit)
    return data
