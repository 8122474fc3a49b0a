"""Which forms of a folder go into the 汇总, and what the clerk must hear before it is written.

The rules (one place, for the window's 汇总表… and the command line's `summary` alike):

- 未填 forms (domain.yearbook.has_results: nothing of the year's results entered — the blank form, a next-year
  draft) are left out of the counts, grade counts and 合计, and listed.
- One year only.  The years are those of the filled forms (of all forms when none is filled yet, so next year's
  drafts beside this year's forms do not ask a question).  Several years and none chosen: the clerk must choose
  (`needs_year`); forms of the other years are listed as not summed.
- One file per project: forms with the same 项目名称 (spaces around it ignored) of the chosen year are one
  project; its 定稿 file is taken (its content unchanged since the 定稿), else the file changed last (修改时间;
  of equal times the first by name); the others are listed.  Forms without a 项目名称 are never taken for copies.
- Forms with errors are summed (the 错误 column says so) and listed, to be checked before the 汇总 is sent.
- Files that cannot be read are listed as not summed.

No openpyxl, no reportlab: the window asks its questions from this plan before anything heavy is loaded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from selfeval_gui.domain.vocabulary import FINAL_WORD
from selfeval_gui.files.folder.listing import UNREADABLE, FolderEntry

log = logging.getLogger(__name__)

TAKEN_FINAL, TAKEN_NEWEST = FINAL_WORD, "最后修改"
MAX_NAMED = 30  # a line names at most this many files, then says how many more


@dataclass(frozen=True)
class Duplicate:
    """One project found in several files: the one summed and the others."""

    taken: FolderEntry
    others: list[FolderEntry]
    why: str  # TAKEN_FINAL | TAKEN_NEWEST


@dataclass
class SummaryPlan:
    years: list[int]  # the years to choose from (of the filled forms; of all forms when none is filled)
    year: int | None  # the year summed; None while the clerk must still choose one
    taken: list[FolderEntry] = field(default_factory=list)  # the forms summed, one per project
    unfilled: list[FolderEntry] = field(default_factory=list)  # 未填 forms of the year: listed, not summed
    duplicates: list[Duplicate] = field(default_factory=list)
    with_errors: list[FolderEntry] = field(default_factory=list)  # of `taken`
    other_years: list[FolderEntry] = field(default_factory=list)  # forms of other years: not summed
    unreadable: list[FolderEntry] = field(default_factory=list)

    @property
    def needs_year(self) -> bool:
        return self.year is None and len(self.years) > 1

    def warnings(self) -> list[str]:
        """What the clerk must confirm before the 汇总 is written: projects found more than once, forms with
        errors (the command line exits with 1 for them)."""
        return [*(duplicate_line(d) for d in self.duplicates), *errors_lines(self.with_errors)]

    def notes(self) -> list[str]:
        """Every line the 汇总 says about what it left out or took with care (its workbook and PDF print them)."""
        lines = [*unfilled_lines(self.unfilled), *self.warnings()]
        if self.other_years:
            named = _names([f"{e.name}（{_year(e)}年度）" for e in self.other_years])
            lines.append(f"其他年度的表（{len(self.other_years)} 个，未汇总）：{named}")
        if self.unreadable:
            named = _names([e.name for e in self.unreadable])
            lines.append(f"无法读取的文件（{len(self.unreadable)} 个，未汇总）：{named}")
        return lines


def _year(entry: FolderEntry) -> int:
    return entry.row.year if entry.row is not None else 0


def _names(names: Sequence[str]) -> str:
    shown = "、".join(names[:MAX_NAMED])
    return shown if len(names) <= MAX_NAMED else f"{shown} 等 {len(names)} 个"


def unfilled_lines(unfilled: Sequence[FolderEntry]) -> list[str]:
    if not unfilled:
        return []
    return [f"未填写的表格（{len(unfilled)} 个，未计入汇总）：{_names([e.name for e in unfilled])}"]


def errors_lines(with_errors: Sequence[FolderEntry]) -> list[str]:
    if not with_errors:
        return []
    named = _names([f"{e.name}（{e.row.errors if e.row else 0} 处错误）" for e in with_errors])
    return [f"有错误的表（{len(with_errors)} 个，已汇总，请改正或核对后再报送）：{named}"]


def duplicate_line(d: Duplicate) -> str:
    name = d.taken.row.project_name.strip() if d.taken.row else ""
    others = "、".join(f"“{e.name}”" for e in d.others)
    count = len(d.others) + 1
    return f"项目“{name}”（{_year(d.taken)}年度）有 {count} 个文件：汇总“{d.taken.name}”（{d.why}），未汇总 {others}"


def year_question(plan: SummaryPlan, entries: Sequence[FolderEntry]) -> list[tuple[int, int]]:
    """(year, how many filled forms) for each year to choose from."""
    filled = [e for e in entries if e.row is not None and not e.row.unfilled]
    return [(y, sum(1 for e in filled if e.row is not None and e.row.year == y)) for y in plan.years]


def _pick(copies: list[FolderEntry]) -> tuple[FolderEntry, str]:
    """The copy of a project that is summed: its intact 定稿, else the one changed last (then by name)."""
    finals = [e for e in copies if e.status == FINAL_WORD]
    pool, why = (finals, TAKEN_FINAL) if finals else (copies, TAKEN_NEWEST)
    newest = max(pool, key=lambda e: (e.modified, _reverse_name(e.name)))
    return newest, why


def _reverse_name(name: str) -> tuple[int, ...]:
    """Sorts names backwards, so max() picks the first name among equal times."""
    return tuple(-ord(c) for c in name.casefold())


def _one_per_project(forms: list[FolderEntry]) -> tuple[list[FolderEntry], list[Duplicate]]:
    groups: dict[str, list[FolderEntry]] = {}
    taken: list[FolderEntry] = []
    for e in forms:
        name = e.row.project_name.strip() if e.row is not None else ""
        if name:
            groups.setdefault(name, []).append(e)
        else:
            taken.append(e)
    duplicates = []
    for copies in groups.values():
        chosen, why = _pick(copies)
        taken.append(chosen)
        if len(copies) > 1:
            duplicates.append(Duplicate(chosen, [e for e in copies if e is not chosen], why))
    order = {id(e): n for n, e in enumerate(forms)}
    taken.sort(key=lambda e: order[id(e)])
    return taken, duplicates


def _filled(e: FolderEntry) -> bool:
    return e.row is not None and not e.row.unfilled


def _years(forms: list[FolderEntry]) -> list[int]:
    """The years to choose from: of the filled forms, of all forms when none is filled yet."""
    filled = {_year(e) for e in forms if _filled(e)}
    return sorted(filled or {_year(e) for e in forms})


def plan_summary(entries: Sequence[FolderEntry], year: int | None = None) -> SummaryPlan:
    """The plan of the 汇总 of these list entries, for `year` (None: the one year there is, if only one)."""
    forms = [e for e in entries if e.row is not None]
    years = _years(forms)
    chosen = year if year is not None else (years[0] if len(years) == 1 else None)
    plan = SummaryPlan(years, chosen, unreadable=[e for e in entries if e.kind == UNREADABLE])
    if chosen is None:
        return plan
    summed: list[FolderEntry] = []
    for e in forms:
        if _year(e) != chosen:
            plan.other_years.append(e)
        else:
            (summed if _filled(e) else plan.unfilled).append(e)
    plan.taken, plan.duplicates = _one_per_project(summed)
    plan.with_errors = [e for e in plan.taken if e.row is not None and e.row.errors]
    return plan
