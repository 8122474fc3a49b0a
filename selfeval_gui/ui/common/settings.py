"""The program's own settings (recent files, last folder, window geometry) as JSON in the user data folder.

A damaged settings file is ignored rather than stopping the program: it only holds conveniences.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from selfeval_gui.files.formfile import atomic_write_bytes
from selfeval_gui.paths import user_data_dir
from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)
MAX_SETTINGS_BYTES = 1024 * 1024  # the settings are a few kilobytes

MAX_RECENT = 8


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def load_settings() -> dict:
    try:
        data = json.loads(read_regular(settings_path(), MAX_SETTINGS_BYTES).decode("utf-8"))
        return data if isinstance(data, dict) else {}
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        log.warning("设置文件无法读取，按默认设置：%s", e)
        return {}


def save_settings(data: dict) -> None:
    try:
        atomic_write_bytes(
            settings_path(), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), backup=False
        )
    except OSError as e:  # settings are a convenience; never stop the clerk's work for them
        log.warning("设置没有保存：%s", e)


def recent_files() -> list[Path]:
    items = load_settings().get("recent", [])
    return [Path(p) for p in items if isinstance(p, str)][:MAX_RECENT]


def add_recent_file(path: Path) -> list[Path]:
    data = load_settings()
    p = str(Path(path).resolve())
    items = [x for x in data.get("recent", []) if isinstance(x, str) and x != p]
    data["recent"] = [p, *items][:MAX_RECENT]
    save_settings(data)
    return [Path(x) for x in data["recent"]]


def remove_recent_file(path: Path) -> None:
    data = load_settings()
    p = str(Path(path).resolve())
    data["recent"] = [x for x in data.get("recent", []) if x != p]
    save_settings(data)


def get_value(key: str, default=None):
    return load_settings().get(key, default)


def set_value(key: str, value) -> None:
    data = load_settings()
    data[key] = value
    save_settings(data)
