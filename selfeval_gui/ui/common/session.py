"""What the windows beside the form (the 项目一览, the dialogs of the folder features) may ask of the main window:
a parent for their dialogs and the ways to open a file in it.  A Protocol: ui/common imports no other ui part, and
whatever provides these (ui/window/session.py's WindowSession) is never imported by the code that uses them."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget


class FileSession(Protocol):
    """Opening files in the main window, from anywhere."""

    @property
    def widget(self) -> QWidget:
        """The main window, as the parent of dialogs and message boxes."""
        ...

    def current_path(self) -> Path | None: ...

    def ask_to_save(self) -> bool:
        """True when it is fine to drop the open form (saved, or the clerk said so)."""
        ...

    def open_path(self, path: Path, *, ask: bool = True) -> bool: ...

    def import_excel(self, path: Path | None = None) -> None: ...

    def show_message(self, text: str, msecs: int = 10000) -> None: ...
