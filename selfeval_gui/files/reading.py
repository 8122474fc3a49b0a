"""Opening a file the clerk chose, with one Chinese sentence for each way that can fail."""
from __future__ import annotations

from pathlib import Path


def read_head(path: Path, limit: int | None) -> tuple[int, bytes]:
    """(size, the first `limit` bytes — or all of them when limit is None); OSError passes through."""
    size = path.stat().st_size
    with path.open("rb") as f:
        return size, f.read() if limit is None else f.read(limit)


def read_failure(path: Path, error: OSError, what: str = "文件") -> str:
    """The sentence for an OSError met while reading `path`."""
    if isinstance(error, FileNotFoundError):
        return f"找不到{what}“{path}”。"
    if isinstance(error, IsADirectoryError):
        return f"“{path}”是文件夹，不是{what}。"
    if isinstance(error, PermissionError):
        return f"没有权限读取“{path.name}”，它可能正在被其他程序（如 Excel、WPS）打开，请关闭后再试。"
    return f"无法读取“{path.name}”：{error.strerror or error}。"
