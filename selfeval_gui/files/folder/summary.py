"""The 汇总 of a folder: one function writes the workbook and its PDF from the folder list's entries, for the
window's 汇总表… and the command line's `summary` alike (summary_xlsx.py and summary_pdf.py draw them).  Imported
when a 汇总 is made: it brings openpyxl and reportlab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_gui.files.folder.listing import UNREADABLE, FolderEntry
from selfeval_gui.files.folder.summary_pdf import write_summary_pdf
from selfeval_gui.files.folder.summary_xlsx import SummaryItem, write_summary_xlsx


@dataclass
class SummaryResult:
    projects: int  # the forms summed up
    left_out: list[FolderEntry] = field(default_factory=list)  # files that could not be read: not in the 汇总


def summary_items(entries: Sequence[FolderEntry]) -> list[SummaryItem]:
    """The forms of the list that go into the 汇总 (those that could be read)."""
    return [SummaryItem(e.row, e.status) for e in entries if e.row is not None]


def write_summary(entries: Sequence[FolderEntry], xlsx_path: Path, pdf_path: Path | None = None) -> SummaryResult:
    """The 汇总 workbook at `xlsx_path` and, when asked, its PDF; what went in and what was left out."""
    items = summary_items(entries)
    write_summary_xlsx(items, xlsx_path)
    if pdf_path is not None:
        write_summary_pdf(items, pdf_path)
    return SummaryResult(len(items), [e for e in entries if e.kind == UNREADABLE])
