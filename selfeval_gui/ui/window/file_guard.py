"""Two clerks, one file: the window's edit lock (files/editlock.py) and the questions around it.

claim() asks before a form is opened: somebody else editing it → 只读打开 or 取消; a left-over lock → 接管,
只读打开 or 取消.  The window keeps the lock it got (Guard) while the form is open and gives it back when another
form takes its place or the window closes.  changed_on_disk() asks what to do when 保存 finds the file changed
since it was opened or last saved (FormChangedError): 另存为…, 重新载入 or 取消 — never an overwrite.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from selfeval_gui.files import editlock
from selfeval_gui.files.editlock import EditLock, LockHolder
from selfeval_gui.ui.common import action_support

log = logging.getLogger(__name__)

TITLE = "文件正在被编辑"
HELD = "“{name}”正在被 {who} 编辑。\n\n可以以只读方式打开：能查看、打印、导出和“另存为”，但不能修改。"
STALE = (
    "“{name}”留有 {who} 的编辑标记，但那个程序已不在运行（或标记已超过一天）。\n\n"
    "如果确定没有人在编辑这份表，可以接管它并正常编辑。"
)
SAVE_AS_HELD = "“{name}”正在被 {who} 编辑，不能覆盖它。请换一个文件名。"
CHANGED = (
    "“{name}”在本窗口打开（或上次保存）之后，已被别人修改过（可能是另一位同事或另一个窗口）。\n\n"
    "直接保存会覆盖对方的修改，所以没有保存。您可以：\n"
    "· 另存为：把本窗口的内容保存为另一个文件；\n"
    "· 重新载入：丢弃本窗口的修改，显示文件现在的内容。"
)
RELOAD_QUESTION = "重新载入会丢弃本窗口中尚未保存的修改，显示“{name}”现在的内容。确定吗？"


@dataclass
class Claim:
    """The answer to "may this window edit the file?": a lock (None: no lock file could be made there), or the
    reason the form opens read-only."""

    lock: EditLock | None = None
    read_only: str = ""


class Guard:
    """The lock of the form the window shows."""

    def __init__(self) -> None:
        self.lock: EditLock | None = None

    def holds(self, path: Path) -> bool:
        return self.lock is not None and self.lock.path == editlock.lock_path(path)

    def keep(self, claim: Claim) -> None:
        """The form `claim` was made for is now shown: give back the previous lock, keep this one."""
        if self.lock is not None and self.lock is not claim.lock:
            self.lock.release()
        self.lock = claim.lock

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def claim(parent: QWidget, guard: Guard, path: Path) -> Claim | None:
    """Ask for the lock of `path` before it is opened in the window that `guard` belongs to; None when the clerk
    cancels (the questions are asked over `parent`)."""
    if guard.holds(path):
        return Claim(guard.lock)  # the same file again in the same window
    got = editlock.acquire(path)
    if isinstance(got, LockHolder) and got.stale:
        answer = action_support.choose(
            parent, TITLE, STALE.format(name=path.name, who=got.who()), ["接管并编辑", "只读打开", "取消"]
        )
        if answer == 0:
            got = editlock.take_over(path, got)
        elif answer == 1:
            return Claim(read_only=f"{got.who()} 的编辑标记")
        else:
            return None
    if isinstance(got, LockHolder):
        answer = action_support.choose(parent, TITLE, HELD.format(name=path.name, who=got.who()), ["只读打开", "取消"])
        return Claim(read_only=f"{got.who()} 正在编辑") if answer == 0 else None
    return Claim(got)


def held_by_other(guard: Guard, path: Path) -> str | None:
    """For 另存为 over an existing file: the sentence why not, when another clerk or window has it open."""
    lock = editlock.lock_path(path)
    if guard.holds(path) or not lock.exists():
        return None
    holder = editlock.holder(lock)
    return None if holder.stale else SAVE_AS_HELD.format(name=path.name, who=holder.who())


def changed_on_disk(parent: QWidget, path: Path) -> str:
    """The clerk's answer when 保存 found `path` changed by someone else: "save_as", "reload" or "cancel"."""
    answer = action_support.choose(
        parent, "文件已被修改", CHANGED.format(name=path.name), ["另存为…", "重新载入", "取消"]
    )
    if answer == 0:
        return "save_as"
    if answer == 1:
        sure = action_support.choose(
            parent, "重新载入", RELOAD_QUESTION.format(name=path.name), ["重新载入", "取消"], default=1
        )
        return "reload" if sure == 0 else "cancel"
    return "cancel"
