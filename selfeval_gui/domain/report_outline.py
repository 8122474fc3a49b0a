"""The outline of the 自评报告: which sections, in which order, with which prompt, limit and filled-in part.

An outline is data, like a rule set: resources/outlines/<id>.json (bundled) or an installed file a bureau hands
out (文件 › 安装规则集或模板…, `rulesets install`).  A template names its outline (report_outline; "general"
when it names none).  The sections' text lives in the form (Form.report, keyed by the section's key); the parts
the program fills in (auto) are computed from the form by domain/report.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from selfeval_gui.domain import rules
from selfeval_gui.domain.rule_bounds import BoundsError, at_most, labels, unique

log = logging.getLogger(__name__)

OUTLINES = "outlines"
DEFAULT_OUTLINE = "general"
# What the program fills in under a section's heading (domain/report.py builds each).
AUTO_PARTS = {
    "basics": "项目基本信息和资金情况",
    "goals": "年度总体目标和绩效指标",
    "execution": "预算执行和各一级指标得分",
    "conclusion": "总分和等级",
    "missed": "未完成的指标及其偏差原因",
}
MAX_SECTIONS = 20
MAX_LIMIT = 20_000  # 字: the longest section an outline may allow
TEXT_MAX_CHARS = MAX_LIMIT  # what the form file accepts for one section


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    prompt: str = ""
    auto: str = ""  # a key of AUTO_PARTS, or "" (only the clerk's text)
    required: bool = False  # an empty text is a finding once the report is begun
    limit: int = 0  # 字; 0: no limit
    keep_next_year: bool = False  # next year's draft keeps this text (项目概况)


@dataclass(frozen=True)
class Outline:
    id: str
    name: str
    title: str  # the document's title, {project} replaced by the 项目名称
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def heading(self, project: str) -> str:
        return self.title.replace("{project}", project or "")


def _section(d: dict[str, Any]) -> Section:
    auto = str(d.get("auto", ""))
    if auto and auto not in AUTO_PARTS:
        raise BoundsError(f"字段“sections › {d.get('key')} › auto”的值“{auto}”无效，应为：{'、'.join(AUTO_PARTS)}。")
    limit = d.get("limit", 0)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 <= limit <= MAX_LIMIT:
        raise BoundsError(f"字段“sections › {d.get('key')} › limit”应为 0 到 {MAX_LIMIT} 之间的整数（字数）。")
    return Section(
        key=str(d["key"]),
        title=str(d["title"]),
        prompt=str(d.get("prompt", "")),
        auto=auto,
        required=bool(d.get("required", False)),
        limit=limit,
        keep_next_year=bool(d.get("keep_next_year", False)),
    )


def outline_from_json(d: dict[str, Any]) -> Outline:
    """An outline from its JSON object; RuleSetError naming the field when it cannot be used."""
    try:
        sections = tuple(_section(s) for s in d["sections"])
        at_most(sections, MAX_SECTIONS, "sections")
        unique((s.key for s in sections), "sections")
        labels((s.title for s in sections), "sections")
        if not sections:
            raise BoundsError("字段“sections”不能为空。")
        return Outline(str(d["id"]), str(d["name"]), str(d.get("title", "{project}项目支出绩效自评报告")), sections)
    except KeyError as e:
        raise rules.RuleSetError(f"报告提纲数据有误：缺少字段“{e.args[0]}”") from None
    except (TypeError, ValueError, AttributeError) as e:
        raise rules.RuleSetError(f"报告提纲数据有误：{e}") from None


def outline_ids() -> tuple[str, ...]:
    return rules.item_ids(OUTLINES)


def get_outline(outline_id: str) -> Outline:
    return _outline(outline_id, rules.installed_dir(OUTLINES))


@lru_cache(maxsize=None)
def _outline(outline_id: str, _installed: Path | None) -> Outline:
    return outline_from_json(rules.read_item(OUTLINES, outline_id, "报告提纲"))


def outline_of_template(template: rules.Template) -> Outline:
    """The template's outline; the general one when the template's cannot be found (said in the log)."""
    for outline_id in (template.report_outline, DEFAULT_OUTLINE):
        try:
            return get_outline(outline_id)
        except rules.RuleSetError:
            log.info("outline %r not available", outline_id)
    raise rules.RuleSetError("找不到报告提纲“general”（程序文件不完整）。")


def clear_cache() -> None:
    _outline.cache_clear()
