"""`report FORM.json -o 报告.docx` and `report FOLDER -o 单位报告.docx`: the 自评报告 as Word (files/report)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from pathlib import Path

from selfeval_gui.cli.errors import CliError
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.vocabulary import REPORT_WORD
from selfeval_gui.files.formfile import load_form

log = logging.getLogger(__name__)

EXIT_OK, EXIT_UNREADABLE = 0, 2


def _unfilled(form: Form) -> bool:
    """A blank form: no 项目名称 and no indicator filled in (not a project of the unit yet)."""
    return not form.project_name.strip() and all(i.is_blank() for i in form.indicators())


def cmd_report(args: argparse.Namespace) -> int:
    out = Path(args.output)
    if out.suffix.lower() != ".docx":
        raise CliError(f"{REPORT_WORD}是 Word 文件：请用 -o 名称.docx 指定输出文件。")
    source = Path(args.source)
    return _unit_report(source, out) if source.is_dir() else _form_report(source, out, args.draft)


def _form_report(source: Path, out: Path, draft: bool) -> int:
    from selfeval_gui.files.report.docx_report import write_report

    form = load_form(source)
    write_report(form, out, draft=True if draft else None)
    state = "草稿" if draft or form.finalized is None else "定稿"
    print(f"已导出{REPORT_WORD}（{state}）：{out}")
    return EXIT_OK


def _unit_report(source: Path, out: Path) -> int:
    from selfeval_gui.cli.folder import _entries
    from selfeval_gui.files.folder.listing import UNREADABLE
    from selfeval_gui.files.report.docx_report import write_unit_report

    entries = _entries(str(source))
    blank = [e for e in entries if e.form is not None and _unfilled(e.form)]
    forms = [e.form for e in entries if e.form is not None and e not in blank]
    if not forms:
        raise CliError(f"文件夹“{source}”中没有可以读取的绩效自评表。")
    forms.sort(key=lambda f: (f.department, f.project_name))
    unit = Counter(f.unit or f.department for f in forms).most_common(1)[0][0] or source.name
    write_unit_report(forms, out, unit)
    print(f"已导出单位{REPORT_WORD}（{len(forms)} 个项目）：{out}")
    for e in blank:
        print(f"未计入：{e.name}：还没有填写（没有项目名称和指标）", file=sys.stderr)
    skipped = [e for e in entries if e.kind == UNREADABLE]
    for e in skipped:
        print(f"未计入：{e.name}：{e.error}", file=sys.stderr)
    return EXIT_UNREADABLE if skipped else EXIT_OK
