"""Opening a file the clerk chose, with one Chinese sentence for each way that can fail."""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from selfeval_gui import regular_files
from selfeval_gui.files.atomic import FolderNotWritableError

log = logging.getLogger(__name__)


def read_head(path: Path, limit: int) -> tuple[int, bytes]:
    """(size, the first `limit` bytes) of a regular file — a link to a device or a FIFO is refused at once
    (regular_files.py); OSError passes through."""
    return regular_files.read_head(path, limit)


# The system's reasons, said in Chinese (strerror is English on most machines).
_REASONS = {
    errno.ELOOP: "链接形成了循环（链接指向它自己）",
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的",
    errno.EBUSY: "文件正被占用",
    errno.EMFILE: "同时打开的文件太多",
    errno.EIO: "读写磁盘出错",
    errno.EINVAL: "文件名或参数无效",
}


def reason(error: OSError) -> str:
    """Why an operation failed, in Chinese: our own errors say it in strerror (regular_files, atomic); the
    system's are looked up by errno; an unknown one is named by its number."""
    if error.errno in _REASONS:
        return _REASONS[error.errno]
    if error.strerror and not error.strerror.isascii():
        return error.strerror
    return f"系统错误 {error.errno}" if error.errno else "未知错误"


def read_failure(path: Path, error: OSError, what: str = "文件") -> str:
    """The sentence for an OSError met while reading `path`."""
    log.info("reading %s failed: %r", path, error)
    if isinstance(error, FileNotFoundError):
        return f"找不到{what}“{path}”。"
    if isinstance(error, IsADirectoryError):
        return f"“{path}”是文件夹，不是{what}。"
    if isinstance(error, PermissionError):
        return f"没有权限读取“{path.name}”，它可能正在被其他程序（如 Excel、WPS）打开，请关闭后再试。"
    return f"无法读取“{path.name}”：{reason(error)}。"


def write_failure(path: Path, error: OSError, holder: str = "其他程序") -> str:
    """The sentence for an OSError met while writing `path` (JSON, PDF and Excel say the same things).

    holder names the program that usually keeps such a file open on Windows (e.g. “Excel 或 WPS”).
    """
    path = Path(path)
    log.info("writing %s failed: %r", path, error)
    head = f"无法写入“{path}”："
    if isinstance(error, IsADirectoryError) or path.is_dir():
        return head + "这是一个文件夹，请在后面写上文件名。"
    if not path.parent.is_dir():
        return head + f"文件夹不存在（“{path.parent}”）。"
    if isinstance(error, FileNotFoundError):  # the folder is there: a file vanished while it was being written
        return head + "写入时文件被移走或删除了（可能另一个程序同时在保存它），请再保存一次。"
    if isinstance(error, PermissionError):
        # not even a temporary file could be made there: the folder, not an open file, is the reason
        if isinstance(error, FolderNotWritableError) or not path.exists():
            return head + f"没有在文件夹“{path.parent}”中写文件的权限，请换一个文件夹。"
        return head + f"文件可能正在被{holder}打开，请关闭后再试；或者没有修改它的权限。"
    if error.errno == errno.ENOSPC:
        return head + "磁盘空间不足。"
    if error.errno == errno.EROFS:
        return head + "这个磁盘（或U盘）是只读的，请换一个位置。"
    return head + f"{reason(error)}。"
