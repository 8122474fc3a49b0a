"""File names made from what a clerk typed: safe on Windows, and never the same as another output.

One place for the rule, used by the window's PDF, Excel and file actions and by the command line.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from selfeval_gui.files.atomic import TEMP_EXTRA_BYTES
from selfeval_gui.files.errors import ClerkError

log = logging.getLogger(__name__)

_BAD = set('<>:"/\\|?*\n\r\t') | {chr(c) for c in range(32)} | {"\x7f"}
# Direction controls (U+202A–202E, U+2066–2069, the marks U+200E/F, U+061C) make "表\u202Efdp.exe" show as
# "表exe.pdf": a name must read as it is.
_BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
NAME_MAX_BYTES = 255  # one path component on Linux and macOS (Windows: 255 UTF-16 units, never fewer)
# The stem leaves room for what is added after it: "（12）", "_2020", ".json", and the temporary and backup
# names a save makes beside the file (atomic.TEMP_EXTRA_BYTES: ".名称.json.1a2b3c4d.tmp"; "名称.json.bak").
MAX_STEM_BYTES = 160
assert MAX_STEM_BYTES + 40 + TEMP_EXTRA_BYTES <= NAME_MAX_BYTES
# Names Windows keeps for devices: "CON.json" cannot be created there, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


class UnwritableName(ClerkError):
    """A file name that cannot be written (clerk_message says which and why)."""


def is_reserved_name(stem: str) -> bool:
    """True for a Windows device name (CON, nul, Com1 …), which no file may be called."""
    return stem.split(".")[0].strip().upper() in _RESERVED


def _cut_bytes(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, never half a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def safe_stem(name: str, fallback: str = "绩效自评表", tail: str = "") -> str:
    """A file name stem from a project name: no characters Windows refuses, no direction controls, no trailing
    dot or space, no device name, at most MAX_STEM_BYTES bytes of UTF-8; `fallback` when nothing is left.

    tail: what the program adds after the name ("_2021", "_草稿"): the name is shortened to leave room for it,
    so a long name never loses it.  The one rule for every output name, in the window and on the command line.
    """
    clean = "".join("_" if c in _BAD else c for c in (name or "") if c not in _BIDI).strip(" .")
    clean = _cut_bytes(clean, MAX_STEM_BYTES - len(tail.encode("utf-8"))).strip(" .") or fallback
    if not clean:
        return ""
    stem = f"{clean}{tail}"
    if is_reserved_name(stem):  # "CON", "con.2020": the device name is what comes before the first dot
        first, dot, rest = stem.partition(".")
        stem = f"{first.strip()}_{dot}{rest}"
    return stem


def occupied(path: Path) -> bool:
    """A name that is taken: a file, a folder, or a link — even a dangling one (writing there would write
    wherever the link points)."""
    return os.path.lexists(path)


def unique_paths(
    folder: Path,
    names: list[str],
    suffix: str,
    *,
    keep_existing: bool = False,
    fallback: str = "表{n}",
    tails: Sequence[str] = (),
) -> list[Path]:
    """One path per name in `folder`, none the same as another (Windows ignores case): a second 名称 becomes
    名称（2）.  keep_existing: also step past files already in the folder, so none is overwritten.
    fallback: the stem for an empty name, with {n} the 1-based position.  tails: what follows each name
    (safe_stem's tail; none by default)."""
    used: set[str] = set()
    out = []
    for n, name in enumerate(names):
        stem = safe_stem(name, fallback.format(n=n + 1), tails[n] if n < len(tails) else "")
        candidate, k = stem, 1
        while candidate.casefold() in used or (keep_existing and occupied(folder / f"{candidate}{suffix}")):
            k += 1
            candidate = f"{stem}（{k}）"
        used.add(candidate.casefold())
        out.append(folder / f"{candidate}{suffix}")
    return out


def unique_path(folder: Path, name: str, suffix: str, tail: str = "") -> Path:
    """A path in `folder` for `name` (and `tail` after it) that does not overwrite a file already there."""
    return unique_paths(folder, [name], suffix, keep_existing=True, tails=[tail])[0]


def _name_max(folder: Path) -> int:
    """The longest name the folder's file system takes, in bytes (255 where it cannot say)."""
    try:
        return min(NAME_MAX_BYTES, os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):  # Windows has no pathconf
        return NAME_MAX_BYTES


def check_targets(paths: list[Path], room: int = TEMP_EXTRA_BYTES) -> None:
    """Before the first file of a batch is written: every target can be written (its name, with `room` bytes
    for the temporary name beside it, fits the file system; no folder stands in its place).  Raises UnwritableName
    naming every one that cannot, so a batch is written whole or not at all."""
    problems = []
    for p in paths:
        if p.is_dir():
            problems.append(f"“{p.name}”：已有同名文件夹")
        elif len(os.fsencode(p.name)) + room > _name_max(p.parent if p.parent.is_dir() else Path(".")):
            problems.append(f"“{p.name}”：文件名太长")
        elif is_reserved_name(p.name):
            problems.append(f"“{p.name}”：Windows 保留的设备名")
    if problems:
        raise UnwritableName("以下文件无法写入，没有写任何文件：" + "；".join(problems) + "。")


DRAFT_SUFFIX = "_草稿"  # a draft copy's file name says so, so it is never taken for the final copy


def draft_stem(stem: str, draft: bool = True) -> str:
    """名称 → 名称_草稿 for a draft copy (unchanged for the final one)."""
    return f"{stem}{DRAFT_SUFFIX}" if draft else stem
