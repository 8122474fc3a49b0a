"""The words of the form: every label a clerk reads on the paper, in one place.

The window, the PDF, the workbook (export and import) and the checks' sentences take their labels from here,
so a word changes in one place.  Keys are the attribute names of the domain objects in form.py.
"""

from __future__ import annotations

import re
import unicodedata

TITLE_WORD = "项目支出绩效自评表"
REPORT_WORD = "自评报告"  # the Word document written beside the form (domain/report.py)

# 表头
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("project_name", "项目名称"),
    ("department", "主管部门"),
    ("unit", "实施单位"),
    ("leader", "项目负责人"),
    ("phone", "联系电话"),
)
HEADER_LABELS: dict[str, str] = dict(HEADER_FIELDS)

# 项目资金（万元）
FUNDS_SECTION = "项目资金"
FUNDS_UNIT = "（万元）"
FUND_ROWS: tuple[tuple[str, str], ...] = (
    ("total", "年度资金总额"),
    ("current", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
FUND_LABELS: dict[str, str] = dict(FUND_ROWS)
# Sub-rows other templates use (a template names its rows and their words; these are the known keys).
OTHER_FUND_ROWS: tuple[tuple[str, str], ...] = (
    ("fiscal", "财政资金"),
    ("special", "财政专户管理资金"),
    ("unit_funds", "单位资金"),
)
ALL_FUND_LABELS: dict[str, str] = {**FUND_LABELS, **dict(OTHER_FUND_ROWS)}
# The words a workbook's row labels are found by ("其中：" is often left out or typed differently).
FUND_ROW_WORDS: tuple[tuple[str, str], ...] = (
    ("total", "年度资金总额"),
    ("current", "当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
FUND_COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", "年初预算数"),
    ("budget", "全年预算数"),
    ("executed", "全年执行数"),
)
FUND_COLUMN_LABELS: dict[str, str] = dict(FUND_COLUMNS)
# Other templates' words for the same columns (a workbook's funds block is recognised by any of them).
# Column headers are compared without a trailing bracket: 年初预算数(A), 年初预算数（A）, 全年执行数（万元） alike.
FUND_COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数", "年初预算", "年初数"),
    "budget": ("全年预算数", "调整后预算数", "预算数"),
    "executed": ("全年执行数", "预算执行数", "执行数"),
}
WEIGHT = "分值"
WEIGHT_WORDS: tuple[str, ...] = (WEIGHT, "权重")  # bureau layouts head the 分值 column 权重: one column
RATE = "执行率"
SCORE = "得分"
# One meaning per word (issue 10): wherever the clerk's score and the program's stand side by side (the window's
# 项目资金 and 绩效指标 tables, the 总分 line, the CLI), the clerk's is 填报得分 and the rules' is 计算得分.  The paper
# layout (PDF, workbook) has one 得分 column per table, as the bureau's form does.
ENTERED_SCORE = "填报得分"  # the score the clerk wrote
COMPUTED_SCORE = "计算得分"  # the score the rules give
# The paper's funds table, left to right after the row label.
FUND_TABLE_HEADER: tuple[str, ...] = tuple(label for _, label in FUND_COLUMNS) + (WEIGHT, RATE, SCORE)
FUND_NOTE = "资金执行偏差说明"

# 年度总体目标
GOALS_SECTION = "年度总体目标"
GOAL_FIELDS: tuple[tuple[str, str], ...] = (("goal_expected", "预期目标"), ("goal_actual", "实际完成情况"))
GOAL_LABELS: dict[str, str] = dict(GOAL_FIELDS)

# 绩效指标
INDICATORS_SECTION = "绩效指标"
LEVEL1 = "一级指标"
LEVEL2 = "二级指标"
LEVEL3 = "三级指标"
TARGET = "年度指标值"
ACTUAL = "实际完成值"
DEVIATION = "偏差原因分析及改进措施"
GRADE_COLUMN = "完成等级"
NATURE = "指标性质"  # extra columns of some templates
MEASURE_UNIT = "度量单位"
EXTRA_INDICATOR_COLUMNS: dict[str, str] = {"nature": NATURE, "measure_unit": MEASURE_UNIT}
NOT_APPLICABLE = "不适用"
# The indicator columns of a 三级 row, by the attribute of Indicator they show.
INDICATOR_LABELS: dict[str, str] = {
    "name": LEVEL3,
    "target": TARGET,
    "actual": ACTUAL,
    "weight": WEIGHT,
    "score": SCORE,
    "deviation": DEVIATION,
    "grade": GRADE_COLUMN,
    **EXTRA_INDICATOR_COLUMNS,
}
# The clerk's grade for a qualitative indicator.
GRADES: tuple[tuple[str, str], ...] = (
    ("achieved", "达成年度指标"),
    ("partial", "部分达成年度指标并具有一定效果"),
    ("missed", "未达成年度指标且效果较差"),
)
GRADE_LABELS: dict[str, str] = dict(GRADES)
GRADE_SHORT: dict[str, str] = {"achieved": "达成", "partial": "部分达成", "missed": "未达成"}


def grade_from_text(text: object) -> str | None | bool:
    """The grade key for a typed, pasted or imported text (达成 / 部分达成 / 未达成, or the full wording; spaces and
    full-width forms ignored); None when blank; False when the text is no known grade."""
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "" if text is None else str(text))).rstrip(":")
    if not t:
        return None
    for key, label in GRADE_LABELS.items():
        if t == re.sub(r"\s+", "", unicodedata.normalize("NFKC", label)):
            return key
    for key, short in sorted(GRADE_SHORT.items(), key=lambda kv: -len(kv[1])):
        if t == short:
            return key
    return False


_OWN_NUMBER = re.compile(r"^\s*指标\s*[0-9０-９]+\s*[:：]")


def has_own_number(name: str) -> bool:
    """The clerk typed the row's number into its name: "指标1:协管人数" or "指标1：协管人数"."""
    return bool(_OWN_NUMBER.match(name))


def indicator_label(k: int, name: str) -> str:
    """The paper numbers the clerk's rows: 指标1：协管人数; a name typed with its own "指标1:" keeps it."""
    if _OWN_NUMBER.match(name):
        return name.strip()
    return f"指标{k + 1}：{name}"


# 总分
TOTAL = "总分"
ENTERED_TOTAL = "填报总分"  # the 得分 column as the clerk filled it in
COMPUTED_TOTAL = "计算总分"  # the rules' total
YEAR = "年度"
DRAFT_WORD = "草稿"
FINAL_WORD = "定稿"
# A form's status, as the form file, check --json and the output check name it; STATUS_WORDS are the words the
# clerk reads for them (the 项目一览, the 汇总, the command line).  The one definition of each.
DRAFT, FINAL = "draft", "final"
STATUS_WORDS = {DRAFT: DRAFT_WORD, FINAL: FINAL_WORD}
TOTAL_GRADE = "等级"  # 优 / 良 / 中 / 差 of the total
STATED_TOTAL_LABELS: dict[str, str] = {"stated_total_weight": "总分行的分值", "stated_total_score": "总分行的得分"}

# 填表信息
SIGNOFF_SECTION = "填表信息"
SIGNOFF_FIELDS: tuple[tuple[str, str], ...] = (
    ("filler", "填表人"),
    ("filler_phone", "联系电话"),
    ("fill_date", "填写日期"),
)
SIGNOFF_LABELS: dict[str, str] = dict(SIGNOFF_FIELDS)

# Every input field of the form by its key, for messages that name a field ("全年预算数应为…").
FIELD_LABELS: dict[str, str] = {
    **HEADER_LABELS,
    **FUND_COLUMN_LABELS,
    **GOAL_LABELS,
    **SIGNOFF_LABELS,
    **STATED_TOTAL_LABELS,
    "budget_weight": WEIGHT,
    "budget_score": SCORE,
    "fund_note": FUND_NOTE,
    "name": "名称",
    "target": TARGET,
    "actual": ACTUAL,
    "weight": WEIGHT,
    "score": SCORE,
    "deviation": DEVIATION,
    "grade": GRADE_COLUMN,
    **EXTRA_INDICATOR_COLUMNS,
}

# 绩效目标申报表: the paper a draft 自评表 is made from (files/declaration).  Its labels, as the reader finds them.
DECLARATION_WORD = "申报表"
DECLARATION_TITLE_WORD = "绩效目标申报表"
DECLARATION_IND_WORDS: dict[str, tuple[str, ...]] = {
    "l1": (LEVEL1,),
    "l2": (LEVEL2,),
    "l3": (LEVEL3, "指标内容", "指标名称", "三级指标名称"),
    "target": ("指标值", TARGET, "目标值", "年度目标值", "指标目标值"),
    "nature": (NATURE,),
    "measure_unit": (MEASURE_UNIT, "计量单位"),
    "weight": (WEIGHT, "权重", "指标分值"),
}
DECLARATION_FUND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("total", ("年度资金总额", "项目资金总额", "资金总额")),
    ("current", ("当年财政拨款", "财政拨款")),
    ("carryover", ("上年结转资金", "上年结转")),
    ("special", ("财政专户管理资金",)),
    ("fiscal", ("财政资金",)),
    ("unit_funds", ("单位资金",)),
    ("other", ("其他资金",)),
)
LONG_TERM_GOAL = "长期目标"
ANNUAL_GOAL = "年度目标"
ANNUAL_GOAL_WORDS: tuple[str, ...] = (ANNUAL_GOAL, "年度绩效目标", "本年度目标", "年度总体目标")
OVERALL_GOAL = "总体目标"
LONG_TERM_INDICATORS = "长期绩效指标"
ANNUAL_INDICATORS = "年度绩效指标"
# Header labels of a 申报表 that the 自评表 has no field for: read only so they end the field before them.
DECLARATION_OTHER_LABELS: tuple[str, ...] = (
    "项目属性",
    "项目期限",
    "起止时间",
    "项目类型",
    "项目类别",
    "实施期限",
    "填报单位",
    "项目编码",
    "项目代码",
)
# Other words of a 申报表 for a field of the 自评表's header.
DECLARATION_HEADER_ALIASES: dict[str, str] = {
    "主管部门及代码": "主管部门",
    "项目实施单位": "实施单位",
    "实施单位名称": "实施单位",
}
