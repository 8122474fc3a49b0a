"""A folder of forms: which files it holds, and each one as a row of the 项目一览.

A form file is read by formfile.load_form and becomes a domain.yearbook.ProjectRow (evaluate + check of that
one form); a file that cannot be read is an entry holding the sentence why; a workbook is listed as a
candidate for 导入.  Used by the window's list (on a worker thread), the command line and the batch outputs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_gui.domain.checks import check
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.domain.yearbook import ProjectRow, project_row, status_of
from selfeval_gui.files.formfile import FormFileError, load_form
from selfeval_gui.files.reading import read_failure

log = logging.getLogger(__name__)

FORM_SUFFIX = ".json"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
FORM, WORKBOOK, UNREADABLE = "form", "workbook", "unreadable"
WORKBOOK_NOTE = "Excel 工作簿，可导入"


@dataclass(frozen=True)
class FolderEntry:
    """One file of the folder as the list shows it."""

    path: Path
    kind: str  # FORM | WORKBOOK | UNREADABLE
    modified: float  # the file's last change (seconds since the epoch); 0 when unknown
    row: ProjectRow | None = None  # FORM only
    status: str = ""  # 草稿 / 定稿 for a form
    error: str = ""  # UNREADABLE: the sentence why
    # FORM: the form as read for the list, reused by the batch outputs (a folder is read once, not twice)
    form: Form | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.name


def is_candidate(path: Path) -> bool:
    """A file the list shows: a form file or a workbook; not hidden, not Excel's ~$ lock file, not our .tmp."""
    name = path.name
    if name.startswith((".", "~$")):
        return False
    suffix = path.suffix.lower()
    return suffix == FORM_SUFFIX or suffix in WORKBOOK_SUFFIXES


def folder_files(folder: Path) -> list[Path]:
    """The candidates in `folder` (not its subfolders), by name.  OSError passes through."""
    with os.scandir(folder) as it:
        found = [Path(e.path) for e in it if is_candidate(Path(e.name)) and _maybe_file(e)]
    return sorted(found, key=lambda p: p.name.casefold())


def _maybe_file(entry: os.DirEntry[str]) -> bool:
    """A file, or a name that cannot be examined (a link loop, no permission, gone meanwhile): that one is
    listed too, as a red row saying why, and the rest of the folder works."""
    try:
        return entry.is_file()
    except OSError:
        return True


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def read_entry(path: Path) -> FolderEntry:
    """One file as a list entry; never raises."""
    path = Path(path)
    modified = _mtime(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return FolderEntry(path, WORKBOOK, modified)
    try:
        form = load_form(path)
    except FormFileError as e:
        return FolderEntry(path, UNREADABLE, modified, error=str(e))
    ev = evaluate(form)
    return FolderEntry(path, FORM, modified, project_row(form, ev, check(form, ev)), status_of(form), form=form)


def iter_folder(folder: Path) -> Iterator[FolderEntry]:
    """The entries of `folder` one by one (the window streams them in as they come)."""
    for path in folder_files(folder):
        yield read_entry(path)


class FolderError(Exception):
    """The folder itself cannot be listed; str() is the sentence for the clerk."""


def list_folder(folder: Path) -> list[FolderEntry]:
    folder = Path(folder)
    if not folder.is_dir():
        raise FolderError(f"找不到文件夹“{folder}”。")
    try:
        return list(iter_folder(folder))
    except OSError as e:
        raise FolderError(read_failure(folder, e, "文件夹")) from None
