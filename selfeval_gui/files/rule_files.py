"""Installing a rule set or a template a finance bureau hands out: validate, then copy into the user data folder.

The file is checked against its published JSON Schema (resources/schema/ruleset.schema.json, template.schema.json)
by domain/schema_check.py, then read the way the program will read it (rules.ruleset_from_json /
template_from_json).  A bundled id cannot be replaced; reinstalling an installed id replaces it (a new version
from the bureau).  Refusals are one Chinese sentence naming the field; nothing is written then.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_gui.domain import rules
from selfeval_gui.domain.quoting import quoted
from selfeval_gui.domain.report_outline import OUTLINES, get_outline, outline_from_json, outline_ids
from selfeval_gui.domain.report_outline import clear_cache as clear_outline_cache
from selfeval_gui.domain.schema_check import check_value
from selfeval_gui.files.atomic import atomic_write_bytes
from selfeval_gui.files.naming import is_reserved_name, safe_stem
from selfeval_gui.files.reading import read_failure, read_head, write_failure
from selfeval_gui.paths import resource_path

log = logging.getLogger(__name__)

MAX_BYTES = 1024 * 1024  # a rule set or template is a few kilobytes
KIND_WORDS = {rules.RULESETS: "规则集", rules.TEMPLATES: "模板", OUTLINES: "报告提纲"}
SCHEMAS = {
    rules.RULESETS: "ruleset.schema.json",
    rules.TEMPLATES: "template.schema.json",
    OUTLINES: "outline.schema.json",
}


class InstallError(Exception):
    """A file that cannot be installed; str() is the sentence for the clerk."""


@dataclass(frozen=True)
class Installed:
    kind: str  # rules.RULESETS or rules.TEMPLATES
    id: str
    name: str
    path: Path
    replaced: bool  # an installed file of that id was there before

    @property
    def kind_word(self) -> str:
        return KIND_WORDS[self.kind]


def schema_for(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("schema", SCHEMAS[kind]).read_text(encoding="utf-8"))
    return data


def kind_of(data: dict[str, Any]) -> str:
    """A template has a 一级/二级 tree, a report outline its sections; everything else is read as a rule set."""
    if "tree" in data:
        return rules.TEMPLATES
    return OUTLINES if "sections" in data else rules.RULESETS


def _read(path: Path) -> dict[str, Any]:
    try:
        size, raw = read_head(path, MAX_BYTES + 1)
    except OSError as e:
        raise InstallError(read_failure(path, e)) from None
    if size > MAX_BYTES:
        raise InstallError(f"“{path.name}”太大（{size // 1024} KB），不是规则集或模板文件。")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InstallError(f"“{path.name}”不是有效的 JSON 文件，无法安装。") from None
    if not isinstance(data, dict):
        raise InstallError(f"“{path.name}”不是规则集或模板文件（应为一个 JSON 对象）。")
    return data


def validate(data: dict[str, Any]) -> str:
    """The kind of a rule-set or template object; InstallError naming the field when it does not validate."""
    kind = kind_of(data)
    word = KIND_WORDS[kind]
    problem = check_value(data, schema_for(kind))
    if problem:
        raise InstallError(f"这个{word}文件不符合格式要求：{problem}")
    _check_id(data["id"], word)
    try:
        if kind == rules.RULESETS:
            rules.ruleset_from_json(data)
        elif kind == OUTLINES:
            outline_from_json(data)
        else:
            _check_template(rules.template_from_json(data))
    except rules.RuleSetError as e:
        raise InstallError(f"这个{word}文件不能使用：{e}") from None
    return kind


def _check_id(item_id: str, word: str) -> None:
    """The id becomes the installed file's name: held to the same rule as every file name the program writes
    (naming.safe_stem: no control characters, no Windows device name such as con, nul, com1, lpt9)."""
    if safe_stem(item_id, "") != item_id or is_reserved_name(item_id):
        raise InstallError(
            f"这个{word}文件不能使用：名称（id）{quoted(item_id)}不能用作文件名（Windows 保留的设备名或含控制字符），"
            "请财政局换一个名称。"
        )


def _check_template(template: rules.Template) -> None:
    """A template and the rule set it names must agree: it must be there, and the budget 分值 must fit in the
    rule set's total."""
    if template.rule_set not in rules.rule_set_ids():
        raise InstallError(f"模板使用的规则集“{template.rule_set}”还没有安装：请先安装这个规则集，再安装模板。")
    rule_set = rules.get_rule_set(template.rule_set)
    if template.budget_weight > rule_set.weight_total:
        raise InstallError(
            f"这个模板文件不能使用：字段“budget_weight”的值 {template.budget_weight} 大于规则集"
            f"“{rule_set.id}”的总分值 {rule_set.weight_total}。"
        )


def install(path: Path) -> Installed:
    """Validate the file and copy it into the user data folder as <id>.json."""
    data = _read(path)
    kind = validate(data)
    item_id, word = str(data["id"]), KIND_WORDS[kind]
    if rules.is_bundled(kind, item_id):
        raise InstallError(f"“{item_id}”是程序自带的{word}，不能被替换。请财政局给新的{word}另起一个名称（id）。")
    folder = rules.installed_dir(kind)
    if folder is None:
        raise InstallError("找不到用户数据文件夹，无法安装。")
    target = folder / f"{item_id}.json"
    replaced = target.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(
            target, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), backup=False
        )
    except OSError as e:
        raise InstallError(write_failure(target, e)) from None
    rules.clear_caches()
    clear_outline_cache()
    log.info("installed %s %s from %s", kind, item_id, path)
    return Installed(kind, item_id, str(data["name"]), target, replaced)


@dataclass(frozen=True)
class Listed:
    kind: str
    id: str
    name: str
    bundled: bool
    problem: str = ""  # an installed file that cannot be read any more


def listing() -> list[Listed]:
    """Every rule set and template the program knows, bundled first."""
    out: list[Listed] = []
    for kind, ids, get in (
        (rules.RULESETS, rules.rule_set_ids(), rules.get_rule_set),
        (rules.TEMPLATES, rules.template_ids(), rules.get_template),
        (OUTLINES, outline_ids(), get_outline),
    ):
        for item_id in ids:
            bundled = rules.is_bundled(kind, item_id)
            try:
                out.append(Listed(kind, item_id, get(item_id).name, bundled))
            except rules.RuleSetError as e:
                out.append(Listed(kind, item_id, "", bundled, str(e)))
    order = list(KIND_WORDS)
    return sorted(out, key=lambda x: (order.index(x.kind), not x.bundled, x.id))
