"""The command line's folder commands: list, export FOLDER, summary, next-year (exit codes as `check`).

Each is a thin layer over files/folder/listing.py, batch.py, summary*.py and next_year.py.

`summary` says before it writes what the 汇总 must not hide (files/folder/summary_plan.py):
- forms of several years and no --year: the years are listed, nothing is written, exit code 1;
- the same project in several files (one is taken: its 定稿, else the one changed last) and forms with errors:
  the 汇总 is written, with lines naming them, exit code 1;
- 未填 forms and forms of other years are left out and named (exit code unchanged); an unreadable file: 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from selfeval_gui.cli.errors import CliError
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.yearbook import SUMMARY_COLUMNS
from selfeval_gui.files.folder.listing import (
    FORM,
    SUMMARY,
    SUMMARY_NOTE,
    UNREADABLE,
    WORKBOOK,
    WORKBOOK_NOTE,
    FolderEntry,
    FolderError,
    list_folder,
)

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def modified_text(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M") if ts else ""


def entry_values(entry: FolderEntry) -> dict[str, Any]:
    """The list's columns of one entry as text (the --json report and the text lines say the same)."""
    out: dict[str, Any] = {"file": str(entry.path), "kind": entry.kind, "modified": modified_text(entry.modified)}
    row = entry.row
    if row is None:
        out["note"] = entry.error or {WORKBOOK: WORKBOOK_NOTE, SUMMARY: SUMMARY_NOTE}.get(entry.kind, "")
        return out
    out.update(
        {
            "project_name": row.project_name,
            "department": row.department,
            "unit": row.unit,
            "year": row.year,
            "budget": fmt_decimal(row.budget),
            "executed": fmt_decimal(row.executed),
            "rate": row.rate_text,
            "entered_total": fmt_decimal(row.entered_total),
            "computed_total": fmt_decimal(row.computed_total, row.total_places)
            if row.computed_total is not None
            else "",
            "grade": row.grade_text,
            "filled": not row.unfilled,
            "errors": row.errors,
            "warnings": row.warnings,
            "status": entry.status,
            "report": row.report,
        }
    )
    return out


def folder_exit(entries: list[FolderEntry]) -> int:
    """2 when a form file cannot be read, else 1 when a form has errors, else 0 (workbooks do not count)."""
    if any(e.kind == UNREADABLE for e in entries):
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if any(e.row is not None and e.row.errors and not e.row.unfilled for e in entries) else EXIT_OK


def _entries(folder: str) -> list[FolderEntry]:
    try:
        return list_folder(Path(folder))
    except FolderError as e:
        raise CliError(str(e)) from None


HEADINGS = dict(SUMMARY_COLUMNS) | {"errors": "错误", "warnings": "警告", "status": "状态", "modified": "修改时间"}


def cmd_list(args: argparse.Namespace) -> int:
    entries = _entries(args.folder)
    values = [entry_values(e) for e in entries]
    if args.json:
        print(json.dumps(values, ensure_ascii=False, indent=2))
        return folder_exit(entries)
    keys = [k for k in HEADINGS if k != "modified"] + ["modified"]
    print("\t".join(["文件", *(HEADINGS[k] for k in keys)]))
    for e, v in zip(entries, values, strict=True):
        if e.kind == FORM:
            print("\t".join([e.name, *_list_cells(e, v, keys)]))
        else:
            print(f"{e.name}\t{v['note']}")
    print(_list_total(entries))
    return folder_exit(entries)


def _list_total(entries: list[FolderEntry]) -> str:
    """The closing line of `list`: how many files of each kind."""
    n_forms = sum(1 for e in entries if e.kind == FORM)
    unfilled = sum(1 for e in entries if e.row is not None and e.row.unfilled)
    books = sum(1 for e in entries if e.kind == WORKBOOK)
    summaries = f"，{n}个汇总表" if (n := sum(1 for e in entries if e.kind == SUMMARY)) else ""
    return (
        f"共 {len(entries)} 个文件：{n_forms} 个表（{unfilled} 个未填），"
        f"{sum(1 for e in entries if e.kind == UNREADABLE)} 个无法读取，"
        f"{books} 个工作簿{summaries}。"
    )


UNFILLED_BLANK = {"rate", "entered_total", "computed_total", "errors", "warnings"}


def _list_cells(entry: FolderEntry, values: dict[str, Any], keys: list[str]) -> list[str]:
    """The text line's cells of a form: a 未填 form shows 未填 for its grade and no figures it has not got."""
    unfilled = entry.row is not None and entry.row.unfilled
    return ["" if unfilled and k in UNFILLED_BLANK else str(values[k]) for k in keys]


def export_folder(args: argparse.Namespace) -> int:
    """export FOLDER --pdf OUTDIR [--xlsx OUTDIR]: one file per clean form; forms with errors are listed."""
    from selfeval_gui.files.folder.batch import export_batch

    entries = _entries(args.file)
    sources = [e for e in entries if e.kind in (FORM, UNREADABLE)]  # the forms read for the list, not again
    worst = folder_exit(entries)
    for outdir, pdf in ((args.pdf, True), (args.xlsx, False)):
        if outdir:
            result = export_batch(sources, Path(outdir), pdf=pdf, xlsx=not pdf, drafts=args.draft)
            for path in result.written:
                print(f"已导出：{path}")
            if result.skipped:
                print(result.summary().split("\n", 1)[1])
    return worst


def cmd_summary(args: argparse.Namespace) -> int:
    from selfeval_gui.files.folder.summary import write_summary
    from selfeval_gui.files.folder.summary_plan import plan_summary, year_question

    entries = _entries(args.folder)
    year = getattr(args, "year", None)  # `summary --year YYYY` (cli/main.py's parser)
    if year is not None and not 1990 <= year <= 2100:
        raise CliError(f"年度“{year}”无效，应为 1990～2100 之间的整数。")
    plan = plan_summary(entries, year)
    if plan.needs_year:
        counts = "；".join(f"{y}年度 {n} 个" for y, n in year_question(plan, entries))
        print(
            f"错误：文件夹中有多个年度的表（{counts}），请用 --year 指定汇总哪一年度。没有写出汇总表。", file=sys.stderr
        )
        return EXIT_FINDINGS
    if not plan.taken:
        for line in plan.notes():
            print(f"注意：{line}", file=sys.stderr)
        in_year = f"{plan.year}年度" if plan.year is not None else ""
        raise CliError(f"文件夹中没有已填写的{in_year}表可汇总，没有写出汇总表。")
    result = write_summary(entries, Path(args.output), Path(args.pdf) if args.pdf else None, plan=plan)
    print(f"已写出汇总表：{args.output}（{result.year}年度，{result.projects} 个项目）")
    if args.pdf:
        print(f"已写出汇总 PDF：{args.pdf}")
    for line in result.notes:
        print(f"注意：{line}", file=sys.stderr)
    if plan.unreadable:
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if plan.warnings() else EXIT_OK


def cmd_next_year(args: argparse.Namespace) -> int:
    from selfeval_gui.files.folder.next_year import write_next_year

    if args.year is not None and not 1990 <= args.year <= 2100:
        raise CliError(f"年度“{args.year}”无效，应为 1990～2100 之间的整数。")
    src = Path(args.source)
    sources = [e.path for e in _entries(args.source) if e.kind != WORKBOOK] if src.is_dir() else [src]
    result = write_next_year(sources, Path(args.output), year=args.year)
    for old, new in result.written:
        print(f"已生成：{old.name} → {new}")
    for name, why in result.skipped:
        print(f"错误：{name}：{why}", file=sys.stderr)
    return EXIT_UNREADABLE if result.skipped else EXIT_OK
