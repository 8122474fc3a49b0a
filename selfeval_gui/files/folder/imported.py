"""Forms read from a workbook, saved into a folder: the one way both the window (全部保存到文件夹…) and the command
line (`import BOOK.xlsx -o FOLDER`) do it.

One naming rule: each form is named after its project; a name already in the folder, or given to an earlier
form of the same workbook, becomes 名称（2）.json — an existing form file is never replaced.  Every name is chosen
and checked before the first file is written, so a name that cannot be written stops the batch before it starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from selfeval_gui.domain.form import Form
from selfeval_gui.files.formfile import FormFileError, save_form
from selfeval_gui.files.naming import check_targets, unique_paths
from selfeval_gui.files.reading import write_failure

FORM_SUFFIX = ".json"
UNNAMED = "表{n}"  # the stem of a form without a project name: its place in the workbook


class PartlySaved(FormFileError):
    """A form could not be written after others were: `written` lists those that were (str(): the sentence)."""

    def __init__(self, message: str, written: list[Path]) -> None:
        super().__init__(message)
        self.written = written


def imported_targets(folder: Path, forms: list[Form]) -> list[Path]:
    """The file each form goes to in `folder`: named after its project, past every file already there and every
    earlier name of the list; checked (UnwritableName names every one that cannot be written)."""
    targets = unique_paths(folder, [f.project_name for f in forms], FORM_SUFFIX, keep_existing=True, fallback=UNNAMED)
    check_targets(targets)
    return targets


def save_imported(forms: list[Form], folder: Path, saved: Callable[[Form, Path], None] | None = None) -> list[Path]:
    """Save `forms` into `folder` (made when missing) under imported_targets(); `saved` hears of each file as it
    is written.  The files written, in the forms' order."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise FormFileError(write_failure(folder, e)) from None
    targets = imported_targets(folder, forms)
    written: list[Path] = []
    for form, target in zip(forms, targets, strict=True):
        try:
            save_form(form, target, backup=False)  # a new name: there is nothing to back up
        except FormFileError as e:
            raise PartlySaved(f"保存“{target.name}”失败：{e}", written) from None
        written.append(target)
        if saved is not None:
            saved(form, target)
    return written
