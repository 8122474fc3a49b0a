"""The command line's folder commands: list, export FOLDER, summary, next-year (exit codes as `check`).

Each is a thin layer over files/folder.py, files/batch.py, files/summary_*.py and files/next_year.py.
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
        out["note"] = entry.error or (WORKBOOK_NOTE if entry.kind == WORKBOOK else "")
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
            "grade": row.grade or "",
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
    return EXIT_FINDINGS if any(e.row is not None and e.row.errors for e in entries) else EXIT_OK


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
            print("\t".join([e.name, *(str(v[k]) for k in keys)]))
        else:
            print(f"{e.name}\t{v['note']}")
    n_forms = sum(1 for e in entries if e.kind == FORM)
    print(
        f"共 {len(entries)} 个文件：{n_forms} 个表，"
        f"{sum(1 for e in entries if e.kind == UNREADABLE)} 个无法读取，"
        f"{sum(1 for e in entries if e.kind == WORKBOOK)} 个工作簿。"
    )
    return folder_exit(entries)


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

    entries = _entries(args.folder)
    result = write_summary(entries, Path(args.output), Path(args.pdf) if args.pdf else None)
    print(f"已写出汇总表：{args.output}（{result.projects} 个项目）")
    if args.pdf:
        print(f"已写出汇总 PDF：{args.pdf}")
    for e in result.left_out:
        print(f"未汇总：{e.error}", file=sys.stderr)
    return folder_exit(entries)


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
