"""The open form's session, as the actions see it (定稿, PDF, Excel, 表格设置, the 自评报告): its document, its file,
saving it, and the edits still being typed.  A Protocol, so an action never imports the main window; the window's
WindowSession (ui/window/session.py) is the one implementation."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from selfeval_gui.domain.form import Form
from selfeval_gui.ui.common.session import FileSession
from selfeval_gui.ui.form.document import FormDocument


class FormSession(FileSession, Protocol):
    @property
    def doc(self) -> FormDocument: ...

    def current_form(self) -> Form:
        """The form with every pending edit committed (what an output must show)."""
        ...

    def commit_pending(self) -> bool:
        """Store what is being typed; False when a cell holds a refused entry (shown red)."""
        ...

    def open_form(self, form: Form, path: Path | None = None) -> None:
        """Replace the open form (an import written to `path`; without a path it counts as unsaved)."""
        ...

    def go_to(self, place: object) -> None:
        """Show a finding's cell (its Place) in the sheet."""
        ...

    def save(self) -> bool:
        """保存: to the form's file (另存为 when it has none); False when not saved."""
        ...
