"""The words of the 汇总表, shared by its workbook and its PDF (the column names are the domain's)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal

from selfeval_gui.domain.numbers import fmt_percent
from selfeval_gui.domain.vocabulary import FUND_NOTE, HEADER_LABELS, RATE
from selfeval_gui.domain.yearbook import SUMMARY_COLUMNS, ProjectRow

log = logging.getLogger(__name__)

SHEET_TITLE = "汇总表"
NUMBER = "序号"
AMOUNT_UNIT = "金额单位：万元"
ERRORS, WARNINGS, STATUS = "错误", "警告", "状态"
HEADINGS: tuple[str, ...] = (NUMBER, *(label for _, label in SUMMARY_COLUMNS), ERRORS, WARNINGS, STATUS)
GRADE_HEADING = "等级统计（项目数）"
LOW_HEADINGS = (NUMBER, HEADER_LABELS["project_name"], HEADER_LABELS["department"], RATE, FUND_NOTE)
NO_NOTE = "（未填写）"
NOTES_HEADING = "说明"
# Written into the 汇总 workbook's document properties (keywords), so the folder list knows the program's own
# 汇总表 and never offers it for 导入 (files/folder/listing.py reads it back).
SUMMARY_MARK = "selfeval-summary-workbook"


def summary_title(rows: Sequence[ProjectRow]) -> str:
    """“朝阳区项目支出绩效自评汇总表（2020年度）”; the district and year only when all projects share them."""
    districts = {r.district for r in rows}
    years = {r.year for r in rows}
    district = districts.pop() if len(districts) == 1 else ""
    year = f"（{years.pop()}年度）" if len(years) == 1 else ""
    return f"{district}项目支出绩效自评汇总表{year}"


def low_heading(limit: Decimal | None, count: int) -> str:
    below = fmt_percent(limit, 0) if limit is not None else "90%"
    if not count:
        return f"执行率低于{below}的项目：无"
    return f"执行率低于{below}的项目（{count} 个）及{FUND_NOTE}"
