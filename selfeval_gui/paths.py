"""Where the program's read-only data and its writable user data live, from source and frozen.

Every module that reads a bundled file goes through resource_path(); every module that writes settings,
recent files or autosaves goes through user_data_dir().  Nothing else should build such paths.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path

from . import APP_NAME

PORTABLE_ENV = "SELFEVAL_PORTABLE"
PORTABLE_MARKER = "portable.txt"
DATA_DIR_ENV = "SELFEVAL_DATA_DIR"


def app_root() -> Path:
    """The folder holding resources/ and forms/: the bundle when frozen, the repository otherwise."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    return app_root().joinpath("resources", *parts)


def forms_path(*parts: str) -> Path:
    return app_root().joinpath("forms", *parts)


def exe_dir() -> Path | None:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def is_portable() -> bool:
    if os.environ.get(PORTABLE_ENV, "").strip() not in ("", "0"):
        return True
    d = exe_dir()
    return d is not None and (d / PORTABLE_MARKER).exists()


def user_data_dir() -> Path:
    """Settings, recent files and autosaves.  Portable copies keep them beside the exe."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        p = Path(override)
    elif is_portable():
        p = (exe_dir() or app_root()) / "userdata"
    else:
        p = user_data_path(APP_NAME, appauthor=False)
    p.mkdir(parents=True, exist_ok=True)
    return p
