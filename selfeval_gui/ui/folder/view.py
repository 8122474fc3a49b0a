"""What the folder actions (actions.py) need of the 项目一览 window: a Protocol, so the actions do not import the
window that calls them."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from selfeval_gui.files.folder.listing import FolderEntry


class FolderView(Protocol):
    folder: Path

    @property
    def widget(self) -> QWidget:
        """The window, as the parent of dialogs."""
        ...

    def load(self) -> None:
        """Read and check every file again."""
        ...

    def entries(self) -> list[FolderEntry]:
        """Every row of the list, in its order."""
        ...

    def selected_entries(self) -> list[FolderEntry]:
        """The selected rows, or all rows when none is selected."""
        ...
