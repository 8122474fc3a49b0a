"""File names made from what a clerk typed: safe on Windows, and never the same as another output.

One place for the rule, used by the window's PDF, Excel and file actions and by the command line.
"""
from __future__ import annotations

import logging
from pathlib import Path

log = logging.getLogger(__name__)

_BAD = set('<>:"/\\|?*\n\r\t') | {chr(c) for c in range(32)}
MAX_STEM = 80
# Names Windows keeps for devices: "CON.json" cannot be created there, whatever the extension.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}


def is_reserved_name(stem: str) -> bool:
    """True for a Windows device name (CON, nul, Com1 …), which no file may be called."""
    return stem.split(".")[0].strip().upper() in _RESERVED


def safe_stem(name: str, fallback: str = "绩效自评表") -> str:
    """A file name stem from a project name: no characters Windows refuses, no trailing dot or space, no device
    name, at most 80 characters; `fallback` when nothing is left."""
    clean = "".join("_" if c in _BAD else c for c in (name or "")).strip(" .")[:MAX_STEM].strip(" .")
    if not clean:
        return fallback
    return f"{clean}_" if is_reserved_name(clean) else clean


def unique_paths(folder: Path, names: list[str], suffix: str, *, keep_existing: bool = False,
                 fallback: str = "表{n}") -> list[Path]:
    """One path per name in `folder`, none the same as another (Windows ignores case): a second 名称 becomes
    名称（2）.  keep_existing: also step past files already in the folder, so none is overwritten.
    fallback: the stem for an empty name, with {n} the 1-based position."""
    used: set[str] = set()
    out = []
    for n, name in enumerate(names):
        stem = safe_stem(name, fallback.format(n=n + 1))
        candidate, k = stem, 1
        while candidate.casefold() in used or (keep_existing and (folder / f"{candidate}{suffix}").exists()):
            k += 1
            candidate = f"{stem}（{k}）"
        used.add(candidate.casefold())
        out.append(folder / f"{candidate}{suffix}")
    return out


def unique_path(folder: Path, name: str, suffix: str) -> Path:
    """A path in `folder` for `name` that does not overwrite a file already there."""
    return unique_paths(folder, [name], suffix, keep_existing=True)[0]
