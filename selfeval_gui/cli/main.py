"""Headless commands over the domain and files: check, export, import (and, in folder.py, the folder
commands list, export FOLDER, summary, next-year).

Exit codes: 0 no finding is an error; 1 some finding is an error; 2 a file could not be read or written.
export writes the final copy (正式) only of a form without errors: with errors it writes nothing and exits 1,
unless --draft asks for the 草稿 copy (written whatever the findings; still exit 1 when errors remain).
--package writes the 报送材料 of a finalized form (PDF, workbook, form file); otherwise nothing, exit 1.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any, NoReturn, TextIO

from selfeval_gui.cli.errors import CliError
from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.checks import LEVEL_LABELS, Finding, check, errors_of, has_errors, soften_missing
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.numbers import fmt_decimal, quantize
from selfeval_gui.domain.rules import RuleSet, RuleSetError, get_rule_set
from selfeval_gui.domain.scoring import Evaluation, evaluate
from selfeval_gui.errorlog import error_log
from selfeval_gui.files.errors import ClerkError, clerk_message
from selfeval_gui.files.formfile import FormFileError, fingerprint, load_form, save_form

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
Report = dict[str, Any]
DASH = "—"  # a value the text report has not got


def report(form: Form, file: str, ev: Evaluation | None = None, findings: list[Finding] | None = None) -> Report:
    ev = ev or evaluate(form)
    findings = check(form, ev) if findings is None else findings
    rs = ev.rule_set
    return {
        "file": file,
        "status": words.FINAL if form.finalized else words.DRAFT,
        "finalized_at": form.finalized.at if form.finalized else None,
        "fingerprint": fingerprint(form),
        "rule_set": rs.id,
        "project_name": form.project_name,
        "execution_rate": None if ev.rate is None else fmt_decimal(quantize(ev.rate, 6), 6),
        "execution_rate_display": ev.rate_text or None,
        "budget_score": None if ev.budget_score is None else fmt_decimal(ev.budget_score, rs.budget_score_places),
        "total_weight": fmt_decimal(ev.total_weight),
        "total_score": None if ev.total_score is None else fmt_decimal(ev.total_score, rs.total_places),
        "entered_total_score": fmt_decimal(ev.entered_total_score),
        "grade": ev.grade,
        "indicators": [
            {
                "level1": form.tree[r.path[0]].name,
                "level2": form.tree[r.path[0]].children[r.path[1]].name,
                "name": r.indicator.name,
                "target": r.indicator.target,
                "actual": r.indicator.actual,
                "target_understood": r.target.describe(),
                "weight": fmt_decimal(r.indicator.weight) or None,
                "entered_score": fmt_decimal(r.indicator.score) or None,
                "computed_score": None if r.computed is None else fmt_decimal(r.computed, rs.indicator_score_places),
                "explanation": r.explanation,
            }
            for r in ev.indicators
            if not r.indicator.is_blank()
        ],
        "findings": [{"level": f.level, "where": f.where, "message": f.message} for f in findings],
    }


def _print_text(rep: Report, out: TextIO) -> None:
    def p(line: str = "") -> None:
        print(line, file=out)

    p(f"== {rep['file']}")
    p(
        f"状态：{words.STATUS_WORDS[rep['status']]}"
        + (f"（{rep['finalized_at'].replace('T', ' ')[:16]} 定稿）" if rep["finalized_at"] else "")
        + f"    指纹：{rep['fingerprint']}"
    )
    p(f"{words.HEADER_LABELS['project_name']}：{rep['project_name']}    规则集：{rep['rule_set']}")
    rate = rep["execution_rate_display"] or "无法计算"
    p(f"{words.RATE}：{rate}    预算执行{words.SCORE}：{rep['budget_score'] or DASH}")
    for ind in rep["indicators"]:
        comp = ind["computed_score"] if ind["computed_score"] is not None else DASH
        p(
            f"  {ind['level2']} › {ind['name']}：{words.WEIGHT} {ind['weight'] or DASH}，"
            f"{words.ENTERED_SCORE} {ind['entered_score'] or DASH}，{words.COMPUTED_SCORE} {comp}"
        )
    p(
        f"{words.TOTAL}：{words.WEIGHT}合计 {rep['total_weight']}，{words.SCORE} {rep['total_score']}"
        f"（填报合计 {rep['entered_total_score']}），等级 {rep['grade']}"
    )
    if not rep["findings"]:
        p("未发现问题。")
    for f in rep["findings"]:
        p(f"  [{LEVEL_LABELS[f['level']]}] {f['where']}：{f['message']}")
    p()


def cmd_check(args: argparse.Namespace) -> int:
    reports, worst = [], EXIT_OK
    rule_set = None
    if args.rule_set:  # another rule set for this run only: the file is not changed
        try:
            rule_set = get_rule_set(args.rule_set)
        except RuleSetError as e:
            raise CliError(str(e)) from None
    for name in args.files:
        rep, code = _check_one(name, as_json=args.json, rule_set=rule_set)
        if rep is not None:
            reports.append(rep)
        worst = _worse(worst, code)
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
    return worst


def _check_one(name: str, *, as_json: bool, rule_set: RuleSet | None = None) -> tuple[Report | None, int]:
    """The report on one file (printed unless as_json) and its exit code; an unreadable file is said on stderr
    and reported as {"file", "error"} for --json."""
    try:
        form = load_form(name)
    except FormFileError as e:
        print(f"错误：{e}", file=sys.stderr)
        return ({"file": name, "error": str(e)} if as_json else None), EXIT_UNREADABLE
    ev = evaluate(form, rule_set)
    findings = check(form, ev)
    rep = report(form, name, ev, findings)
    if ev.missing_rule_set:  # scored with the template's rule set; the finding says so too
        rep["missing_rule_set"] = ev.missing_rule_set
    if rule_set is not None and rule_set.id != form.rule_set:
        rep["rule_set_of_file"] = form.rule_set
        if not as_json:
            print(f"（按规则集“{rule_set.id}”试算；文件中的规则集仍是“{form.rule_set}”，文件未改动）")
    if not as_json:
        _print_text(rep, sys.stdout)
    return rep, EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def _worse(worst: int, code: int) -> int:
    """An unreadable file outranks findings, which outrank a clean form."""
    if code == EXIT_UNREADABLE or worst == EXIT_UNREADABLE:
        return EXIT_UNREADABLE
    return max(worst, code)


def _print_findings(findings: list[Finding]) -> None:
    for f in findings:
        print(f"  [{LEVEL_LABELS[f.level]}] {f.where}：{f.message}")


def cmd_export(args: argparse.Namespace) -> int:
    if not args.pdf and not args.xlsx and not args.package:
        raise CliError("请用 --pdf 输出.pdf、--xlsx 输出.xlsx 或 --package 报送材料.zip 指定要导出的文件。")
    if Path(args.file).is_dir():  # a folder of forms: --pdf / --xlsx name output folders
        from selfeval_gui.cli.folder import export_folder

        return export_folder(args)
    form = load_form(args.file)
    findings = check(form)
    errors = errors_of(findings)
    if errors and not args.draft and (args.pdf or args.xlsx):
        _print_findings(errors)
        print(
            f"表中有 {len(errors)} 个错误，没有导出正式文件。改正后再导出，或加 --draft 导出草稿"
            "（每页标有“草稿”，并列出检查结果）。",
            file=sys.stderr,
        )
        return EXIT_FINDINGS
    package = _package(form, Path(args.file).name) if args.package else None
    if args.package and package is None:
        return EXIT_FINDINGS
    if args.pdf:
        _export_pdf(form, args.pdf, Path(args.file).name, args.draft)
    if args.xlsx:
        _export_xlsx(form, args.xlsx, args.draft)
    if package is not None:
        _write_package(package, args.package)
    _print_findings(findings)
    return EXIT_FINDINGS if errors else EXIT_OK


def _package(form: Form, source_name: str) -> Any:
    """The 报送材料 in memory, or None (said on stderr) when the form is not finalized or has errors."""
    from selfeval_gui.files.package import build_package, package_problem

    problem = package_problem(form)
    if problem:
        print(f"没有导出报送材料：{problem}", file=sys.stderr)
        return None
    return build_package(form, source_name=source_name)


def _write_package(package: Any, out: str) -> None:
    from selfeval_gui.files.package import write_package

    for path in write_package(package, out):
        print(f"已导出报送材料：{path}")
    for note in package.notes:
        print(note, file=sys.stderr)


def _export_pdf(form: Form, out: str, source_name: str, draft: bool = False) -> None:
    from selfeval_gui.files.pdf.form_pdf import write_pdf

    result = write_pdf(form, out, source_name=source_name, draft=draft)
    for note in result.notes:
        print(note, file=sys.stderr)
    print(f"已导出 PDF{'（草稿）' if draft else ''}：{out}")


def _export_xlsx(form: Form, out: str, draft: bool = False) -> None:
    from selfeval_gui.files.xlsx.export import export_xlsx, formula_notes

    export_xlsx([form], out, draft=draft)
    print(f"已导出 Excel{'（草稿）' if draft else ''}：{out}")
    for note in formula_notes(form):
        print(f"注意：{note}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from selfeval_gui.domain.rules import get_template
    from selfeval_gui.files.folder.imported import save_imported
    from selfeval_gui.files.importing import import_document
    from selfeval_gui.files.xlsx.reader import unknown_template

    template = getattr(args, "template", None)
    problem = unknown_template(template) if template else None
    if problem:
        raise CliError(problem)
    imported = import_document(args.book, template=template)  # a workbook or Word document; 自评表 or 申报表
    out = Path(args.output)
    worst = EXIT_OK
    by_form = {id(item.form): item for item in imported}

    def saved(form: Form, target: Path) -> None:
        nonlocal worst
        item = by_form[id(form)]
        made = f"（由绩效目标申报表生成的 {form.year} 年度草稿）" if form.approved is not None else ""
        print(f"已导入：{item.sheet} → {target}{made}")
        if len(item.template_choices) > 1:  # no district named, several templates fit: say which, and how
            chosen, others = get_template(item.template_choices[0]), "、".join(item.template_choices[1:])
            print(f"按模板“{chosen.name}”（{chosen.id}）读取；也可用 --template 指定：{others}")
        findings = item.findings + check(form)
        if not form.has_results():  # a draft (from a 申报表, a blank form): what is not yet filled is 未填
            findings = soften_missing(findings)
            print("  还没有填写执行情况：未填的项目列为“未填”，不算错误。")
        _print_findings(findings)
        if has_errors(findings):
            worst = EXIT_FINDINGS

    if len(imported) == 1 and not out.is_dir() and out.suffix:  # one form, to the file named
        save_form(imported[0].form, out)
        saved(imported[0].form, out)
    else:  # a folder: the window's rule (files/folder/imported.py), never replacing a form already there
        save_imported([item.form for item in imported], out, saved)
    return worst


# argparse words its complaints in English; the ones a mistyped command meets are said again in Chinese.
_ARGPARSE_WORDS = (
    ("the following arguments are required: ", "缺少参数："),
    ("unrecognized arguments: ", "不认识的参数："),
    ("argument ", "参数 "),
    ("invalid choice: ", "没有这个命令："),
    ("expected one argument", "后面要跟一个值"),
    ("choose from ", "可用的有 "),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        for en, zh in _ARGPARSE_WORDS:
            message = message.replace(en, zh)
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"错误：命令行参数不对：{message}。加 -h 可以查看用法。\n")


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="selfeval", description="项目支出绩效自评表：检查、导出、导入")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)
    c = sub.add_parser("check", help="计算并检查表单")
    c.add_argument("files", nargs="+", metavar="FILE")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")
    c.add_argument("--rule-set", metavar="ID", help="按另一个规则集试算（不改动文件）")
    c.set_defaults(func=cmd_check)
    e = sub.add_parser("export", help="导出 PDF 或 Excel")
    e.add_argument("file", metavar="FILE|FOLDER")
    e.add_argument("--pdf", metavar="OUT.pdf")
    e.add_argument("--xlsx", metavar="OUT.xlsx")
    e.add_argument("--draft", action="store_true", help="导出草稿（有错误时也导出，每页标有“草稿”）")
    e.add_argument("--package", metavar="OUT.zip|FOLDER", help="导出报送材料（仅限已定稿的表）")
    e.set_defaults(func=cmd_export)
    i = sub.add_parser("import", help="从 Excel 导入")
    i.add_argument("book", metavar="BOOK.xlsx")
    i.add_argument("-o", "--output", required=True, metavar="FILE.json|FOLDER")
    i.add_argument("--template", metavar="ID", help="按这个模板读取（表中没有写地区、有多个模板适用时）")
    i.set_defaults(func=cmd_import)
    _add_folder_commands(sub)
    r = sub.add_parser("rulesets", help="列出或安装规则集和模板")
    r.add_argument("action", nargs="?", choices=("list", "install"), default="list")
    r.add_argument("file", nargs="?", metavar="FILE.json")
    r.set_defaults(func=_later("rules", "cmd_rulesets"))
    for word, text in (("finalize", "定稿（无错误时；记录定稿时间和内容指纹）"), ("unfinalize", "撤销定稿")):
        f = sub.add_parser(word, help=text)
        f.add_argument("file", metavar="FILE.json")
        f.set_defaults(func=_later("final", f"cmd_{word}"))
    w = sub.add_parser("report", help="导出自评报告（Word）")
    w.add_argument("source", metavar="FORM.json|FOLDER")
    w.add_argument("-o", "--output", required=True, metavar="报告.docx")
    w.add_argument("--draft", action="store_true", help="按草稿导出（页眉标有“草稿”）")
    w.add_argument("--year", type=int, metavar="YYYY", help="文件夹的报告只计入这一年度的表（有多个年度时必须指定）")
    w.set_defaults(func=_later("report", "cmd_report"))
    return ap


def _add_folder_commands(sub: Any) -> None:
    li = sub.add_parser("list", help="列出文件夹中的所有表")
    li.add_argument("folder", metavar="FOLDER")
    li.add_argument("--json", action="store_true", help="以 JSON 输出")
    li.set_defaults(func=_later("folder", "cmd_list"))
    s = sub.add_parser("summary", help="生成文件夹的汇总表")
    s.add_argument("folder", metavar="FOLDER")
    s.add_argument("-o", "--output", required=True, metavar="汇总.xlsx")
    s.add_argument("--pdf", metavar="汇总.pdf")
    s.add_argument("--year", type=int, metavar="YYYY", help="只汇总这一年度的表（文件夹中有多个年度的表时必须指定）")
    s.set_defaults(func=_later("folder", "cmd_summary"))
    n = sub.add_parser("next-year", help="由上年的表生成本年度草稿")
    n.add_argument("source", metavar="FILE_OR_FOLDER")
    n.add_argument("-o", "--output", required=True, metavar="OUT")
    n.add_argument("--year", type=int, metavar="N")
    n.set_defaults(func=_later("folder", "cmd_next_year"))


def _later(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """A command of folder.py or rules.py, loaded when it runs: `check` and `export FORM` do not load the
    folder and rule-file modules (issue 12)."""

    def run_command(args: argparse.Namespace) -> int:
        command: Callable[[argparse.Namespace], int] = getattr(import_module(f".{module}", __package__), name)
        return command(args)

    return run_command


def run(argv: list[str]) -> int:
    _utf8_console()
    args = build_parser().parse_args(argv)
    with error_log("命令行"):
        return _dispatch(args)


def _dispatch(args: argparse.Namespace) -> int:
    """Run the chosen command; any error ends as one Chinese sentence on stderr and exit code 2."""
    try:
        code: int = args.func(args)
        return code
    except (FormFileError, CliError) as e:
        print(f"错误：{e}", file=sys.stderr)
    except (ClerkError, OSError) as e:
        print(f"错误：{clerk_message(e)}", file=sys.stderr)
    except Exception as e:  # a clerk's IT staff must never see a traceback: it goes to the error log
        log.error("command %r failed", args.command, exc_info=True)
        print(f"错误：{clerk_message(e, '处理失败')}", file=sys.stderr)
    return EXIT_UNREADABLE


def _utf8_console() -> None:
    """Windows consoles default to a legacy code page; Chinese must still print."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue  # not a text console (a test's or an IDE's stream): nothing to change
        try:
            reconfigure(encoding="utf-8", errors="replace")
        except ValueError as e:  # already written to in another encoding
            log.info("console encoding left as it was: %s", e)
