"""The one error shape the file layer raises for a clerk (clerk_message is a plain Chinese sentence), and the one
sentence shown for any error met while reading or writing."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


class ClerkError(Exception):
    def __init__(self, clerk_message: str):
        super().__init__(clerk_message)
        self.clerk_message = clerk_message


def clerk_message(error: BaseException, fallback: str = "处理失败") -> str:
    """The sentence a clerk is shown for an error met while reading or writing: the error's own clerk_message,
    a sentence for a file-system error, else `fallback` with the error's name (never a traceback)."""
    msg = getattr(error, "clerk_message", None)
    if isinstance(msg, str) and msg:
        return msg
    if isinstance(error, OSError):
        where = f"（{error.filename}）" if error.filename else ""
        return f"无法读写文件：{error.strerror or error}{where}"
    return f"{fallback}（{type(error).__name__}：{error}）。"
