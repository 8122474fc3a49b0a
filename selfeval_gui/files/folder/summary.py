"""The 汇总 of a folder: one function writes the workbook and its PDF from the folder list's entries, for the
window's 汇总表… and the command line's `summary` alike (summary_xlsx.py and summary_pdf.py draw them; which
forms go in is summary_plan.plan_summary's).  Imported when a 汇总 is made: it brings openpyxl and reportlab."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_gui.files.folder.listing import FolderEntry
from selfeval_gui.files.folder.summary_pdf import write_summary_pdf
from selfeval_gui.files.folder.summary_plan import SummaryPlan, plan_summary
from selfeval_gui.files.folder.summary_xlsx import SummaryError, SummaryItem, write_summary_xlsx


@dataclass
class SummaryResult:
    projects: int  # the forms summed up
    left_out: list[FolderEntry] = field(default_factory=list)  # files that could not be read: not in the 汇总
    unfilled: list[FolderEntry] = field(default_factory=list)  # 未填 forms: listed, not summed
    notes: list[str] = field(default_factory=list)  # the 说明 lines the 汇总 printed
    year: int | None = None


def summary_items(entries: Sequence[FolderEntry]) -> list[SummaryItem]:
    """The forms of these entries as 汇总 rows (those read and filled: 未填 forms are left out)."""
    return [SummaryItem(e.row, e.status) for e in entries if e.row is not None and not e.row.unfilled]


def write_summary(
    entries: Sequence[FolderEntry],
    xlsx_path: Path,
    pdf_path: Path | None = None,
    *,
    plan: SummaryPlan | None = None,
) -> SummaryResult:
    """The 汇总 workbook at `xlsx_path` and, when asked, its PDF; what went in and what was left out.  `plan`:
    the one the caller showed the clerk (plan_summary of `entries` when not given); a plan still waiting for the
    year raises SummaryError and nothing is written."""
    plan = plan or plan_summary(entries)
    if plan.needs_year:
        years = "、".join(str(y) for y in plan.years)
        raise SummaryError(f"文件夹中有 {years} 多个年度的表，请选择一个年度再汇总。")
    items = summary_items(plan.taken)
    notes = plan.notes()
    write_summary_xlsx(items, xlsx_path, notes)
    if pdf_path is not None:
        write_summary_pdf(items, pdf_path, notes=notes)
    return SummaryResult(len(items), list(plan.unreadable), list(plan.unfilled), notes, plan.year)
