"""A folder of forms: which files it holds, and each one as a row of the 项目一览.

A form file is read by formfile.load_form and becomes a domain.yearbook.ProjectRow (evaluate + check of that
one form); a file that cannot be read is an entry holding the sentence why; a workbook is listed as a
candidate for 导入 — except the program's own 汇总表 (summary_words.SUMMARY_MARK in its document properties),
listed as the 汇总表 it is.  Used by the window's list (on a worker thread), the command line and the batch outputs.
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
from selfeval_gui.files.folder.summary_words import SUMMARY_MARK
from selfeval_gui.files.formfile import FormFileError, load_form
from selfeval_gui.files.reading import read_failure
from selfeval_gui.regular_files import kind_of, open_flags

log = logging.getLogger(__name__)

FORM_SUFFIX = ".json"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
FORM, WORKBOOK, UNREADABLE, SUMMARY = "form", "workbook", "unreadable", "summary"
WORKBOOK_NOTE = "Excel 工作簿，可导入"
SUMMARY_NOTE = "本程序生成的汇总表（不是填报的表，不能导入）"
CORE_PART = "docProps/core.xml"  # the workbook's document properties, where the summary writer puts its mark
CORE_LIMIT = 64 * 1024  # bytes of it read at most
SUMMARY_SIZE_LIMIT = 16 << 20  # a larger workbook is no 汇总表 of ours (its zip directory is not even read)


@dataclass(frozen=True)
class FolderEntry:
    """One file of the folder as the list shows it."""

    path: Path
    kind: str  # FORM | WORKBOOK | SUMMARY | UNREADABLE
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


def is_summary_workbook(path: Path) -> bool:
    """Whether the workbook is one of the program's own 汇总表 (its document properties carry SUMMARY_MARK).
    Only that small part is read, from a regular file of a modest size; anything else — not a zip, no such
    part, a folder, a pipe — is simply not a 汇总表."""
    import zipfile
    import zlib

    not_a_workbook = (OSError, KeyError, ValueError, RuntimeError, EOFError, NotImplementedError, zlib.error)
    try:
        fd = os.open(path, open_flags())
    except OSError:
        return False
    try:
        with os.fdopen(fd, "rb") as f:
            st = os.fstat(f.fileno())
            if kind_of(st.st_mode) is not None or st.st_size > SUMMARY_SIZE_LIMIT:
                return False
            with zipfile.ZipFile(f) as zf, zf.open(CORE_PART) as part:
                head = part.read(CORE_LIMIT)
    except (*not_a_workbook, zipfile.BadZipFile) as e:
        log.info("%s: not read as a workbook's properties (%r)", path, e)
        return False
    return SUMMARY_MARK.encode("ascii") in head


def read_entry(path: Path) -> FolderEntry:
    """One file as a list entry; never raises."""
    path = Path(path)
    modified = _mtime(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return FolderEntry(path, SUMMARY if is_summary_workbook(path) else WORKBOOK, modified)
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
