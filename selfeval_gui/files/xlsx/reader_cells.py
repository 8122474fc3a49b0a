"""The workbook reader's ground floor: what a form sheet's import shares (the words it looks for, what it
returns) and SheetCells, the reading of one cell as text or as a number held to its field's rule, with findings
that name the cell."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_gui.domain.checks import ERROR, Finding, Place
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.number_rules import rule_for
from selfeval_gui.domain.numbers import NumberError, parse_decimal, parse_number
from selfeval_gui.domain.rules import (
    RuleSetError,
    Template,
    get_template,
    template_ids,
)
from selfeval_gui.domain.scoring import RATE_RULE
from selfeval_gui.domain.vocabulary import (
    DEVIATION,
    EXTRA_INDICATOR_COLUMNS,
    FUND_COLUMN_LABELS,
    FUND_COLUMN_WORDS,
    FUND_ROW_WORDS,
    GRADE_COLUMN,
    GRADES,
    HEADER_FIELDS,
    INDICATOR_LABELS,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    OTHER_FUND_ROWS,
    SCORE,
    SIGNOFF_FIELDS,
    STATED_TOTAL_LABELS,
    WEIGHT,
    WEIGHT_WORDS,
)
from selfeval_gui.files.xlsx.grid import Computed, Grid, as_text, float_decimal
from selfeval_gui.files.xlsx.layout import (
    norm,
)

log = logging.getLogger(__name__)

# The 绩效指标 table's columns as the reader finds them by their header labels (一级/二级 are filled down).
_IND_HEADER: dict[str, str] = {
    "l1": LEVEL1,
    "l2": LEVEL2,
    "l3": LEVEL3,
    "target": INDICATOR_LABELS["target"],
    "actual": INDICATOR_LABELS["actual"],
    "weight": WEIGHT,
    "score": SCORE,
    "deviation": DEVIATION,
    "grade": GRADE_COLUMN,
    **EXTRA_INDICATOR_COLUMNS,  # 指标性质, 度量单位: some templates have them
}
_PREFIX_MATCHED = ("deviation", "grade")  # "偏差原因…", "完成等级（…）": matched by their first four characters
_IND_ALIASES: dict[str, tuple[str, ...]] = {"weight": WEIGHT_WORDS}  # 权重 is the 分值 column of some bureaus
_TRAILING_BRACKET = re.compile(r"\([^()]{1,12}\)$")  # 年初预算数(A), 全年执行数(万元) after norm's NFKC folding


def header_word(label: str) -> str:
    """A column header as compared with the vocabulary's words: a trailing "(A)" / "（A）" / "(万元)" left out."""
    return _TRAILING_BRACKET.sub("", label) or label


def is_header(key: str, label: str) -> bool:
    """The 绩效指标 column `key` is headed `label` (normed): its word, an alias (权重), a bracket after it."""
    words = _IND_ALIASES.get(key, (_IND_HEADER[key],))
    if label in words or header_word(label) in words:
        return True
    return key in _PREFIX_MATCHED and label.startswith(_IND_HEADER[key][:4])


_HEADER_WORDS = tuple(label for _key, label in HEADER_FIELDS)
_SIGNOFF_WORDS = tuple(label for _key, label in SIGNOFF_FIELDS)
# Row words: ours ("其中：" often left out) and other templates' sub-rows (财政资金, 财政专户管理资金, 单位资金).
_FUND_WORD = {**dict(FUND_ROW_WORDS), **dict(OTHER_FUND_ROWS)}
_BUDGET = FUND_COLUMN_LABELS["budget"]
_BUDGET_WORDS = FUND_COLUMN_WORDS["budget"]  # 全年预算数, 调整后预算数, 预算数: the funds table's header row
_RATE_NUM, _RATE_DEN = FUND_COLUMN_LABELS[RATE_RULE.numerator], FUND_COLUMN_LABELS[RATE_RULE.denominator]
_GRADE_CHOICES = "".join(f"“{label}”" for _key, label in GRADES)


@dataclass
class ImportedForm:
    form: Form
    sheet: str
    findings: list[Finding] = field(default_factory=list)
    # The installed templates the sheet fits equally well, best guess (the one read with) first; more than one
    # when the sheet names no district and nothing else tells them apart: the clerk is asked (issue 20).
    template_choices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SheetMeta:
    """What our own export recorded about a sheet in its hidden sheet."""

    rule_set: str = ""
    template: str = ""
    stated_weight: Decimal | None = None
    stated_score: Decimal | None = None


@dataclass(frozen=True)
class _IndicatorRow:
    """One row of the 绩效指标 table: its sheet row, the 一级/二级 it falls under, the 三级 name."""

    row: int
    l1: str
    l2: str
    name: str


@dataclass(frozen=True)
class _StatedRate:
    """执行率 as a fund row of the workbook shows it, and where."""

    row: int
    col: int
    value: object


Cell = tuple[int, int]


# ---------------------------------------------------------------- one sheet


def _label_pieces(text: str, at_start: re.Pattern[str], with_colon: re.Pattern[str]) -> list[tuple[str | None, str]]:
    """A cell's text cut into (label, "") and (None, value) pieces, in order."""
    pieces: list[tuple[str | None, str]] = []
    pos = 0
    m = at_start.match(text)
    if m:
        pieces.append((m.group(1), ""))
        pos = m.end()
    for m in with_colon.finditer(text, pos):
        pieces.append((None, text[pos : m.start()]))
        pieces.append((m.group(1), ""))
        pos = m.end()
    pieces.append((None, text[pos:]))
    return pieces


def _split_fields(texts: list[str], labels: tuple[str, ...]) -> dict[str, str]:
    """Fields of a row written as label/value cells or "label：value" text, even several in one cell."""
    alt = "|".join(re.escape(x) for x in sorted(labels, key=len, reverse=True))
    at_start = re.compile(rf"^\s*({alt})\s*[:：]?\s*")
    with_colon = re.compile(rf"({alt})\s*[:：]")
    out: dict[str, str] = {}
    current: str | None = None
    for text in texts:
        for label, value in _label_pieces(text, at_start, with_colon):
            if label is not None:
                current = label
                out.setdefault(label, "")
            elif current is not None and value.strip():
                out[current] = (out[current] + " " + value.strip()).strip()
    return out


def _templates() -> list[Template]:
    """Every template that can be read (an installed file that cannot is left out, not an import failure)."""
    out = []
    for t_id in template_ids():
        try:
            out.append(get_template(t_id))
        except RuleSetError:
            log.warning("template %s cannot be read; not used for import", t_id)
    return out


def _stated_fraction(v: object) -> Decimal | None:
    """The rate a cell states, as a fraction (99% and 0.99 and a clerk's 99 alike); NumberError if unreadable."""
    if isinstance(v, str):
        p = parse_number(v)
        return None if p is None else (p.fraction if p.percent or p.value <= 2 else p.value / 100)
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        d = float_decimal(v) if isinstance(v, float) else Decimal(v)
        return d if d <= 2 else d / 100  # a clerk who typed 99 meant 99%
    raise NumberError("")


def _same(a: str, b: str) -> bool:
    """Template names against paper labels: "经济效益\\n指标" and "经济效益" both mean 经济效益指标."""
    return a == b or a + "指标" == b or a == b + "指标"


def _match_pair(t: Template, l1: str, l2: str) -> tuple[int, int] | None:
    for i, (n1, kids) in enumerate(t.tree):
        if _same(l1, norm(n1)):
            for j, n2 in enumerate(kids):
                if _same(l2, norm(n2)):
                    return i, j
    return None


class SheetCells:
    def __init__(self, grid: Grid, meta: SheetMeta | None, template: str | None = None):
        self.g = grid
        self.meta = meta
        self.forced_template = template  # the template the clerk named (--template, the window's question)
        self.template_choices: list[str] = []
        self.findings: list[Finding] = []
        self.ind_cols: dict[str, int] = {}
        self.fund_words: set[str] = set()  # the funds table's column words (read() finds them)
        self.fund_keys: set[str] = set()  # the fund rows found

    def where(self, r: int | None = None, c: int | None = None) -> str:
        return self.g.where(r, c)  # a worksheet's cell, or a Word table's row and column (files/word)

    def add(self, level: str, r: int | None, c: int | None, message: str, place: Place) -> None:
        self.findings.append(Finding(level, self.where(r, c), message, place))

    def _decimal(self, r: int, c: int, v: object, what: str, place: Place) -> Decimal | None:
        """A cell's number as written, any sign and places; None (with a finding) when it is no number."""
        if isinstance(v, bool) or not isinstance(v, (str, int, float, Decimal)):
            self.add(ERROR, r, c, f"{what}“{as_text(v)}”不是数字，已留空，请改正。", place)
            return None
        if isinstance(v, float):
            return float_decimal(v)
        if isinstance(v, (int, Decimal)):
            return Decimal(v)
        try:
            return parse_decimal(v, allow_negative=True)
        except NumberError as e:
            self.add(ERROR, r, c, f"{what}：{e} 已留空，请在程序中补上。", place)
            return None

    def cell_number(self, r: int, c: int | None, key: str, what: str, place: Place) -> Decimal | Computed | None:
        """The number in a cell held to the rule of field `key` (places, sign), as the window holds it; a number
        the rule refuses is left empty with a finding.  COMPUTED for a formula no program has calculated."""
        if c is None:
            return None
        v = self.g.get(r, c)
        if v is None or isinstance(v, Computed):
            return v
        d = self._decimal(r, c, v, what, place)
        if d is None:
            return None
        try:
            rule_for(key).check(d)
        except NumberError as e:
            self.add(ERROR, r, c, f"{what}：{e} 已留空，请改正。", place)
            return None
        return d

    def number(self, r: int, c: int | None, key: str, what: str, place: Place) -> Decimal | None:
        v = self.cell_number(r, c, key, what, place)
        return v if isinstance(v, Decimal) else None

    def value_right(self, r: int, c: int, label: str) -> str:
        own = _split_fields([self.g.text(r, c)], (label,)).get(label, "")
        if own:
            return own
        for cc in self.g.row_cells(r):
            if cc > c:
                return self.g.text(r, cc)
        return ""

    def _stated(self, r: int, c: int | None, key: str, place: Place, recorded: Decimal | None) -> Decimal | None:
        """A 总分 cell's claim: what our hidden sheet recorded when the cell is our formula, else its number."""
        if self.meta is not None and c is not None and (r, c) in self.g.formulas:
            return recorded
        value = self.cell_number(r, c, key, STATED_TOTAL_LABELS[key], place)
        return recorded if isinstance(value, Computed) else value
