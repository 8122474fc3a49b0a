"""Headless commands over the domain and files: check, export, import.

Exit codes: 0 no finding is an error; 1 some finding is an error; 2 a file could not be read or written.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .domain.checks import LEVEL_LABELS, Finding, check, has_errors
from .domain.form import Form
from .domain.numbers import fmt_decimal, quantize
from .domain.scoring import Evaluation, evaluate
from .files.formfile import FormFileError, load_form, save_form
from .files.reading import write_failure

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
COMMANDS = ("check", "export", "import")


class CliError(Exception):
    """Anything the command line reports with exit code 2."""


def report(form: Form, file: str, ev: Evaluation | None = None, findings: list[Finding] | None = None) -> dict:
    ev = ev or evaluate(form)
    findings = check(form, ev) if findings is None else findings
    rs = ev.rule_set
    return {
        "file": file,
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
            {"level1": form.tree[r.path[0]].name, "level2": form.tree[r.path[0]].children[r.path[1]].name,
             "name": r.indicator.name, "target": r.indicator.target, "actual": r.indicator.actual,
             "target_understood": r.target.describe(),
             "weight": fmt_decimal(r.indicator.weight) or None,
             "entered_score": fmt_decimal(r.indicator.score) or None,
             "computed_score": None if r.computed is None else fmt_decimal(r.computed, rs.indicator_score_places),
             "explanation": r.explanation}
            for r in ev.indicators if not r.indicator.is_blank()],
        "findings": [{"level": f.level, "where": f.where, "message": f.message} for f in findings],
    }


def _print_text(rep: dict, out) -> None:
    p = lambda s="": print(s, file=out)  # noqa: E731
    p(f"== {rep['file']}")
    p(f"项目名称：{rep['project_name']}    规则集：{rep['rule_set']}")
    rate = rep["execution_rate_display"] or "无法计算"
    p(f"执行率：{rate}    预算执行得分：{rep['budget_score'] or '—'}")
    for ind in rep["indicators"]:
        comp = ind["computed_score"] if ind["computed_score"] is not None else "—"
        p(f"  {ind['level2']} › {ind['name']}：分值 {ind['weight'] or '—'}，填报得分 {ind['entered_score'] or '—'}，"
          f"计算得分 {comp}")
    p(f"总分：分值合计 {rep['total_weight']}，得分 {rep['total_score']}（填报合计 {rep['entered_total_score']}），"
      f"等级 {rep['grade']}")
    if not rep["findings"]:
        p("未发现问题。")
    for f in rep["findings"]:
        p(f"  [{LEVEL_LABELS[f['level']]}] {f['where']}：{f['message']}")
    p()


def cmd_check(args) -> int:
    reports, worst = [], EXIT_OK
    for name in args.files:
        try:
            form = load_form(name)
        except FormFileError as e:
            print(f"错误：{e}", file=sys.stderr)
            worst = EXIT_UNREADABLE
            if args.json:
                reports.append({"file": name, "error": str(e)})
            continue
        ev = evaluate(form)
        findings = check(form, ev)
        rep = report(form, name, ev, findings)
        reports.append(rep)
        if has_errors(findings) and worst == EXIT_OK:
            worst = EXIT_FINDINGS
        if not args.json:
            _print_text(rep, sys.stdout)
    if args.json:
        print(json.dumps(reports, ensure_ascii=False, indent=2))
    return worst


def cmd_export(args) -> int:
    if not args.pdf and not args.xlsx:
        raise CliError("请用 --pdf 输出.pdf 或 --xlsx 输出.xlsx 指定要导出的文件。")
    form = load_form(args.file)
    findings = check(form)
    if args.pdf:
        from .files.pdf import write_pdf
        result = write_pdf(form, args.pdf, source_name=Path(args.file).name)
        for note in getattr(result, "notes", []):
            print(note, file=sys.stderr)
        print(f"已导出 PDF：{args.pdf}")
    if args.xlsx:
        from .files.xlsx_export import export_xlsx, formula_notes
        export_xlsx([form], args.xlsx)
        print(f"已导出 Excel：{args.xlsx}")
        for note in formula_notes(form):
            print(f"注意：{note}", file=sys.stderr)
    for f in findings:
        print(f"  [{LEVEL_LABELS[f.level]}] {f.where}：{f.message}")
    return EXIT_FINDINGS if has_errors(findings) else EXIT_OK


def cmd_import(args) -> int:
    from .files.xlsx_import import import_workbook
    imported = import_workbook(args.book)
    out = Path(args.output)
    if len(imported) > 1 or out.is_dir() or not out.suffix:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise CliError(write_failure(out, e)) from None
        targets = _unique_targets(out, [item.form.project_name for item in imported])
    else:
        targets = [out]
    worst = EXIT_OK
    for item, target in zip(imported, targets):
        save_form(item.form, target)
        print(f"已导入：{item.sheet} → {target}")
        findings = item.findings + check(item.form)
        for f in findings:
            print(f"  [{LEVEL_LABELS[f.level]}] {f.where}：{f.message}")
        if has_errors(findings):
            worst = EXIT_FINDINGS
    return worst


def _unique_targets(folder: Path, names: list[str]) -> list[Path]:
    """One file per sheet: two sheets of the same project (two years, a copied sheet) must not overwrite each other."""
    used: set[str] = set()
    targets = []
    for n, name in enumerate(names):
        stem = _safe_name(name or f"表{n + 1}", n)[:-len(".json")]
        candidate, k = stem, 1
        while candidate.casefold() in used:  # casefold: Windows file names ignore case
            k += 1
            candidate = f"{stem}（{k}）"
        used.add(candidate.casefold())
        targets.append(folder / f"{candidate}.json")
    return targets


def _safe_name(name: str, n: int) -> str:
    bad = '<>:"/\\|?*\n\r\t'
    clean = "".join("_" if c in bad else c for c in name).strip(" .") or f"表{n + 1}"
    return f"{clean[:80]}.json"


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
    def error(self, message: str):
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
    c.set_defaults(func=cmd_check)
    e = sub.add_parser("export", help="导出 PDF 或 Excel")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--pdf", metavar="OUT.pdf")
    e.add_argument("--xlsx", metavar="OUT.xlsx")
    e.set_defaults(func=cmd_export)
    i = sub.add_parser("import", help="从 Excel 导入")
    i.add_argument("book", metavar="BOOK.xlsx")
    i.add_argument("-o", "--output", required=True, metavar="FILE.json|FOLDER")
    i.set_defaults(func=cmd_import)
    return ap


def run(argv: list[str]) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:  # Windows consoles default to a legacy code page; Chinese must still print
            stream.reconfigure(encoding="utf-8", errors="replace")
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (FormFileError, CliError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as e:
        print(f"错误：无法读写文件：{e.strerror or e}（{e.filename or ''}）", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as e:  # a clerk's IT staff must never see a traceback
        if getattr(e, "clerk_message", None):
            print(f"错误：{e.clerk_message}", file=sys.stderr)
        else:
            print(f"错误：处理失败（{type(e).__name__}：{e}）", file=sys.stderr)
        return EXIT_UNREADABLE
