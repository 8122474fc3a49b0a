"""The 绩效指标 table's columns: their keys, headings, which hold numbers or text, which are centred."""

from __future__ import annotations

from selfeval_gui.domain.vocabulary import (
    ACTUAL,
    COMPUTED_SCORE,
    DEVIATION,
    ENTERED_SCORE,
    EXTRA_INDICATOR_COLUMNS,
    GRADE_COLUMN,
    LEVEL3,
    TARGET,
    WEIGHT,
)

COLUMNS = (
    ("name", LEVEL3),
    ("target", TARGET),
    ("actual", ACTUAL),
    ("weight", WEIGHT),
    ("score", ENTERED_SCORE),
    ("computed", COMPUTED_SCORE),
    ("grade", GRADE_COLUMN),
    ("deviation", DEVIATION),
    # Only templates that have them show these (the view hides them otherwise and shows them after 三级指标):
    *EXTRA_INDICATOR_COLUMNS.items(),
)
COL = {key: n for n, (key, _) in enumerate(COLUMNS)}
NCOLS = len(COLUMNS)
NUMBER_COLUMNS = {"weight", "score"}
TEXT_COLUMNS = {"name", "target", "actual", "deviation", *EXTRA_INDICATOR_COLUMNS}
CENTERED_COLUMNS = ("weight", "score", "computed")
HEADER_TIPS = {
    "score": "您填写的得分",
    "computed": "程序按规则计算的得分；与填写的得分不同时显示为红色，鼠标停留可看计算过程",
    "grade": "定性指标的完成等级：达成 / 部分达成 / 未达成",
}
