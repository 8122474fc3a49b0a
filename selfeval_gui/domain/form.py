"""The form as data: one object per 项目支出绩效自评表, the single source of truth for GUI, PDF and Excel.

Only inputs live here (what the clerk typed, including the scores and totals they wrote themselves);
everything computed comes from scoring.evaluate(form).  Amounts and scores are Decimal or None (empty).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

FUND_ROWS = (
    ("total", "年度资金总额"),
    ("current", "其中：当年财政拨款"),
    ("carryover", "上年结转资金"),
    ("other", "其他资金"),
)
FUND_LABELS = dict(FUND_ROWS)
FUND_COLUMNS = (("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数"))
FUND_COLUMN_LABELS = dict(FUND_COLUMNS)

HEADER_FIELDS = (
    ("project_name", "项目名称"),
    ("department", "主管部门"),
    ("unit", "实施单位"),
    ("leader", "项目负责人"),
    ("phone", "联系电话"),
)
SIGNOFF_FIELDS = (("filler", "填表人"), ("filler_phone", "联系电话"), ("fill_date", "填写日期"))

# The clerk's grade for a qualitative indicator (DESIGN §3).
GRADES = (
    ("achieved", "达成年度指标"),
    ("partial", "部分达成年度指标并具有一定效果"),
    ("missed", "未达成年度指标且效果较差"),
)
GRADE_LABELS = dict(GRADES)
GRADE_SHORT = {"achieved": "达成", "partial": "部分达成", "missed": "未达成"}


@dataclass
class FundRow:
    key: str
    initial: Decimal | None = None
    budget: Decimal | None = None
    executed: Decimal | None = None

    @property
    def label(self) -> str:
        return FUND_LABELS[self.key]


@dataclass
class Indicator:
    """A 三级指标: the clerk's own row."""
    name: str = ""
    target: str = ""
    actual: str = ""
    weight: Decimal | None = None
    score: Decimal | None = None  # the score the clerk entered
    deviation: str = ""
    grade: str | None = None  # one of GRADES keys, for qualitative indicators

    def is_blank(self) -> bool:
        return not (self.name.strip() or self.target.strip() or self.actual.strip() or self.deviation.strip()
                    or self.weight is not None or self.score is not None)


@dataclass
class Level2:
    name: str
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Level1:
    name: str
    children: list[Level2] = field(default_factory=list)


@dataclass
class Form:
    district: str = "朝阳区"
    year: int = 2020
    rule_set: str = "chaoyang-2020"
    template: str = "chaoyang-2020"
    project_name: str = ""
    department: str = ""
    unit: str = ""
    leader: str = ""
    phone: str = ""
    funds: list[FundRow] = field(default_factory=lambda: [FundRow(k) for k, _ in FUND_ROWS])
    budget_weight: Decimal | None = Decimal(10)
    budget_score: Decimal | None = None  # the budget 得分 the clerk entered
    fund_note: str = ""  # 资金执行偏差说明: why the execution rate is low
    goal_expected: str = ""
    goal_actual: str = ""
    tree: list[Level1] = field(default_factory=list)
    stated_total_weight: Decimal | None = None  # the 总分 row as the clerk wrote it
    stated_total_score: Decimal | None = None
    filler: str = ""
    filler_phone: str = ""
    fill_date: str = ""

    @property
    def title(self) -> str:
        return f"{self.district}项目支出绩效自评表"

    @property
    def year_label(self) -> str:
        return f"（{self.year}年度）"

    def fund(self, key: str) -> FundRow:
        for row in self.funds:
            if row.key == key:
                return row
        raise KeyError(key)

    def iter_indicators(self):
        """(level1 index, level2 index, indicator index, level1, level2, indicator) in paper order."""
        for i, l1 in enumerate(self.tree):
            for j, l2 in enumerate(l1.children):
                for k, ind in enumerate(l2.indicators):
                    yield i, j, k, l1, l2, ind

    def indicators(self) -> list[Indicator]:
        return [t[-1] for t in self.iter_indicators()]
