"""`rulesets` (list the rule sets and templates) and `rulesets install FILE` (a finance bureau's file)."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from selfeval_gui.files.rule_files import KIND_WORDS, InstallError, install, listing

log = logging.getLogger(__name__)

EXIT_OK, EXIT_REFUSED = 0, 2


def cmd_rulesets(args: argparse.Namespace) -> int:
    if args.action == "install":
        if not args.file:
            print("错误：请给出要安装的规则集或模板文件：rulesets install 文件.json")
            return EXIT_REFUSED
        return _install(Path(args.file))
    if args.file:
        print("错误：只有 install 后面跟文件名。用法：rulesets 或 rulesets install 文件.json")
        return EXIT_REFUSED
    for kind in KIND_WORDS:
        print(f"== {KIND_WORDS[kind]}")
        for item in (x for x in listing() if x.kind == kind):
            where = "自带" if item.bundled else "已安装"
            print(f"  {item.id}  {item.name or '（无法读取：' + item.problem + '）'}  [{where}]")
    return EXIT_OK


def _install(path: Path) -> int:
    try:
        done = install(path)
    except InstallError as e:
        print(f"错误：{e}")
        return EXIT_REFUSED
    verb = "已更新" if done.replaced else "已安装"
    print(f"{verb}{done.kind_word}“{done.id}”（{done.name}）：{done.path}")
    return EXIT_OK
