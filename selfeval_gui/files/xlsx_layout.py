"""What the Excel export and import share: the official table's labels, sheet names, placeholders, metadata.

The import finds the table by these labels, never by fixed cell addresses, so the words here are the
contract between a workbook and the program.
"""
from __future__ import annotations

import re
import unicodedata

from ..domain.form import GRADE_LABELS, GRADE_SHORT

# A hidden sheet where the export records, per form sheet, the rule set and template the paper does not show.
META_SHEET = "_selfeval"
META_HEADER = ("工作表", "规则集", "模板", "格式版本", "总分行填写的分值", "总分行填写的得分")
META_VERSION = 1

TITLE_WORD = "项目支出绩效自评表"
FUND_HEADER = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
FUND_ROW_WORDS = (("total", "年度资金总额"), ("current", "当年财政拨款"), ("carryover", "上年结转资金"),
                  ("other", "其他资金"))
FUND_NOTE_LABEL = "资金执行偏差说明"
GOAL_LABELS = ("预期目标", "实际完成情况")
INDICATOR_HEADER = {
    "l1": "一级指标", "l2": "二级指标", "l3": "三级指标", "target": "年度指标值", "actual": "实际完成值",
    "weight": "分值", "score": "得分", "deviation": "偏差原因分析及改进措施", "grade": "完成等级",
}
GRADE_HEADER = "完成等级（定性指标，不打印）"
TOTAL_LABEL = "总分"
HEADER_LABELS = ("项目名称", "主管部门", "实施单位", "项目负责人", "联系电话")
SIGNOFF_LABELS = ("填表人", "联系电话", "填写日期")

_SPACE_RE = re.compile(r"\s+")
# "指标1：协管人数" -> "协管人数"; the paper numbers the clerk's rows.
_PREFIX_RE = re.compile(r"^\s*指标\s*\d+\s*[:：.．、]?\s*")
_ELLIPSIS = {"", "…", "……", "...", "......", "。。。", "．．．"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\：]")


def norm(text) -> str:
    """A label as compared: full-width folded, all whitespace and trailing colons gone."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return _SPACE_RE.sub("", t).rstrip(":")


def strip_indicator_prefix(name: str) -> str:
    return _PREFIX_RE.sub("", name or "", count=1).strip()


def is_placeholder_name(name: str) -> bool:
    """"指标2：", "指标2" and "……" rows are the template's empty lines, not the clerk's indicators."""
    return norm(strip_indicator_prefix(name)) in _ELLIPSIS


def indicator_label(k: int, name: str) -> str:
    return f"指标{k + 1}：{name}"


def grade_from_text(text: str) -> str | None | bool:
    """The grade key for a cell's text; None when blank; False when the text is no known grade."""
    t = norm(text)
    if not t:
        return None
    for key, label in GRADE_LABELS.items():
        if t == norm(label):
            return key
    for key, short in sorted(GRADE_SHORT.items(), key=lambda kv: -len(kv[1])):
        if t == short:
            return key
    return False


def sheet_title(name: str, used: set[str], n: int) -> str:
    """A legal, unique sheet name (≤ 31 characters, none of []:*?/\\) from the project name."""
    base = _SHEET_BAD.sub("_", (name or "").strip()).strip("'") or f"表{n + 1}"
    base = base[:31]
    title, k = base, 2
    while title.lower() in {u.lower() for u in used} or title == META_SHEET:
        suffix = f"({k})"
        title = base[: 31 - len(suffix)] + suffix
        k += 1
    used.add(title)
    return title
