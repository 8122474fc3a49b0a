"""Where the program's read-only data and its writable user data live, from source and frozen.

Every module that reads a bundled file goes through resource_path() or forms_path(); every module that writes
settings, recent files or autosaves goes through user_data_dir(); rebuildable caches go to user_cache_dir().
Nothing else should build such paths.

The bundled folders resources/ and forms/ sit at the top of the repository.  An installed wheel carries them
inside the package (pyproject.toml maps them to selfeval_gui/resources and selfeval_gui/forms); frozen by
PyInstaller (one folder), they sit in _internal/ (sys._MEIPASS) beside the exe.  _bundled() looks in that order.

The program writes nothing beside the exe unless it is a portable copy: a file named portable.txt beside the
exe, or the environment variable SELFEVAL_PORTABLE=1, moves settings and autosaves into a "userdata" folder there.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path

from platformdirs import user_cache_path, user_data_path

from selfeval_gui import APP_NAME

log = logging.getLogger(__name__)

PORTABLE_ENV = "SELFEVAL_PORTABLE"
PORTABLE_MARKER = "portable.txt"
PORTABLE_DIR = "userdata"
DATA_DIR_ENV = "SELFEVAL_DATA_DIR"  # explicit folder; tests use it to keep out of the real one
CACHE_DIR_ENV = "SELFEVAL_CACHE_DIR"  # the same for the cache (the parsed PDF font)
_OFF = ("", "0", "false", "no", "off")


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def package_dir() -> Path:
    """The selfeval_gui package's own folder (in site-packages when installed from the wheel)."""
    return Path(__file__).resolve().parent


def app_root() -> Path:
    """The folder that holds the package: the bundle's _internal when frozen, the repository from source."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).resolve().parent))
    return package_dir().parent


def _bundled(folder: str) -> Path:
    """The bundled read-only folder `folder` ("resources" or "forms"), the first of these that exists:

    1. inside the package, selfeval_gui/<folder>: installed from the wheel (`pip install .`);
    2. beside the package, app_root()/<folder>: the checkout's top-level folder (`python main.py`,
       `pip install -e .`), or _internal/<folder> in the frozen one-folder app.

    When neither exists (a broken copy) the second is returned, so error messages name the usual place.
    """
    inside = package_dir() / folder
    return inside if inside.is_dir() else app_root() / folder


def resource_path(*parts: str) -> Path:
    """A bundled read-only file: rule sets, templates, the schema, icons, translations."""
    return _bundled("resources").joinpath(*parts)


def forms_path(*parts: str) -> Path:
    """The example and blank forms shipped with the program."""
    return _bundled("forms").joinpath(*parts)


def exe_dir() -> Path | None:
    """The folder the clerk sees (SelfEval.exe's), when frozen; None when run from source."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return None


def is_portable() -> bool:
    if os.environ.get(PORTABLE_ENV, "").strip().lower() not in _OFF:
        return True
    d = exe_dir()
    return d is not None and (d / PORTABLE_MARKER).is_file()


def portable_dir() -> Path:
    """Where a portable copy keeps its data: beside the exe (beside main.py from source)."""
    return (exe_dir() or app_root()) / PORTABLE_DIR


def _writable_dir(p: Path) -> bool:
    """Create p if needed and prove a file can be written there (a USB stick may be write-protected)."""
    try:
        p.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=p):
            pass
        return True
    except OSError:
        return False


def portable_problem() -> str | None:
    """A sentence for the clerk when a portable copy cannot keep its data beside the exe, else None."""
    if os.environ.get(DATA_DIR_ENV) or not is_portable() or _writable_dir(portable_dir()):
        return None
    return (
        f"便携版无法在“{portable_dir()}”保存设置和自动保存的内容（可能是U盘写保护或没有写入权限），"
        f"本次改为保存到本机的“{_standard_dir()}”。"
    )


def _standard_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def user_data_dir() -> Path:
    """Settings, recent files and autosaves.  Portable copies keep them beside the exe when they can."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        p = Path(override)
    elif is_portable() and _writable_dir(portable_dir()):
        return portable_dir()
    else:  # not portable, or the portable folder is read-only: the user's own data folder
        p = _standard_dir()
    p.mkdir(parents=True, exist_ok=True)
    return p


def user_cache_dir() -> Path:
    """Data the program can always rebuild (the parsed PDF font): platformdirs' user cache folder, a "cache"
    folder inside a portable copy's userdata, or SELFEVAL_CACHE_DIR.  Not created here: a cache that cannot be
    written is simply not kept."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override)
    if is_portable() and _writable_dir(portable_dir()):
        return portable_dir() / "cache"
    return user_cache_path(APP_NAME, appauthor=False)
