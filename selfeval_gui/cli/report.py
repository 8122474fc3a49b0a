"""`report FORM.json -o 报告.docx` and `report FOLDER -o 单位报告.docx`: the 自评报告 as Word (files/report)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

from selfeval_gui.cli.errors import CliError
from selfeval_gui.domain.vocabulary import REPORT_WORD
from selfeval_gui.files.formfile import load_form

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def cmd_report(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() != ".docx":
        raise CliError(f"{REPORT_WORD}是 Word 文件：请用 -o 名称.docx 指定输出文件。")
    source = Path(args.source)
    if source.is_dir():
        return _unit_report(source, out, args.year)
    return _form_report(source, out, args.draft)


def _form_report(source: Path, out: Path, draft: bool) -> int:
    from selfeval_gui.files.report.docx_report import write_report

    form = load_form(source)
    write_report(form, out, draft=True if draft else None)
    state = "草稿" if draft or form.finalized is None else "定稿"
    print(f"已导出{REPORT_WORD}（{state}）：{out}")
    return EXIT_OK


def _unit_report(source: Path, out: Path, year: int | None) -> int:
    """The unit's report counts what the 汇总 counts (files/folder/summary_plan.py): one year, one form per project
    (its 定稿 copy), 未填 forms left out; what was left out is said on stderr."""
    from selfeval_gui.cli.folder import _entries
    from selfeval_gui.files.folder.summary_plan import plan_summary, year_question
    from selfeval_gui.files.report.docx_report import write_unit_report

    entries = _entries(str(source))
    plan = plan_summary(entries, year)
    if plan.needs_year:
        counts = "；".join(f"{y}年度 {n} 个" for y, n in year_question(plan, entries))
        print(f"错误：文件夹中有多个年度的表（{counts}），请用 --year 指定哪一年度。没有导出。", file=sys.stderr)
        return EXIT_FINDINGS
    forms = [e.form for e in plan.taken if e.form is not None]
    if not forms:
        raise CliError(f"文件夹“{source}”中没有已填写的绩效自评表。")
    forms.sort(key=lambda f: (f.department, f.project_name))
    unit = Counter(f.unit or f.department for f in forms).most_common(1)[0][0] or source.name
    write_unit_report(forms, out, unit)
    print(f"已导出单位{REPORT_WORD}（{plan.year}年度，{len(forms)} 个项目）：{out}")
    for line in plan.notes():
        print(f"注意：{line}", file=sys.stderr)
    return EXIT_UNREADABLE if plan.unreadable else EXIT_OK
