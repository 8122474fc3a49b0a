"""Import filled workbooks laid out like the official 项目支出绩效自评表: ours, or typed by hand, or saved by WPS.

The table is found by its labels (项目名称, 年度资金总额, 一级指标 … from domain.vocabulary), never by cell
addresses.  Every sheet that holds a form becomes one ImportedForm; what the workbook states but the form does
not store (执行率) is compared with the program's value here, and what the form stores (scores, 总分 row) is
compared by domain.checks.check, so the two lists together are every difference.  Every number read is held to
its field's rule (domain.number_rules): one the window would refuse is left empty with a finding naming the cell.

Safety (size, zip bombs, encryption, defusedxml) is xlsx_guard's; the sheet's cells are read by xlsx_grid.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from selfeval_gui.domain.checks import ERROR, INFO, WARNING, Finding, Place
from selfeval_gui.domain.form import Form, Indicator, Level1, Level2
from selfeval_gui.domain.number_rules import rule_for
from selfeval_gui.domain.numbers import NumberError, fmt_percent, parse_decimal, parse_number
from selfeval_gui.domain.rules import (
    DEFAULT_TEMPLATE,
    RuleSetError,
    Template,
    get_rule_set,
    get_template,
    new_form,
    template_ids,
    template_of,
)
from selfeval_gui.domain.scoring import RATE_RULE, evaluate, form_rule_set, fund_row_rate, rates_agree
from selfeval_gui.domain.vocabulary import (
    DEVIATION,
    EXTRA_INDICATOR_COLUMNS,
    FUND_COLUMN_LABELS,
    FUND_COLUMN_WORDS,
    FUND_COLUMNS,
    FUND_LABELS,
    FUND_NOTE,
    FUND_ROW_WORDS,
    FUND_TABLE_HEADER,
    FUNDS_SECTION,
    GOAL_FIELDS,
    GRADE_COLUMN,
    GRADES,
    HEADER_FIELDS,
    HEADER_LABELS,
    INDICATOR_LABELS,
    INDICATORS_SECTION,
    LEVEL1,
    LEVEL2,
    LEVEL3,
    OTHER_FUND_ROWS,
    RATE,
    SCORE,
    SIGNOFF_FIELDS,
    SIGNOFF_LABELS,
    STATED_TOTAL_LABELS,
    TITLE_WORD,
    TOTAL,
    WEIGHT,
)
from selfeval_gui.files.xlsx.grid import MAX_COLS, MAX_ROWS, Computed, Grid, as_text, float_decimal, ref
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.guard import Progress, XlsxImportError, load, read_checked
from selfeval_gui.files.xlsx.layout import (
    META_SHEET,
    grade_from_text,
    is_placeholder_name,
    norm,
    strip_indicator_prefix,
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


class SheetReader:
    def __init__(self, grid: Grid, meta: SheetMeta | None):
        self.g = grid
        self.meta = meta
        self.findings: list[Finding] = []
        self.ind_cols: dict[str, int] = {}

    def where(self, r: int | None = None, c: int | None = None) -> str:
        s = f"工作表“{self.g.title}”"
        return s + (f" 单元格 {ref(r, c)}" if r is not None and c is not None else (f" 第 {r} 行" if r else ""))

    def add(self, level: str, r: int | None, c: int | None, message: str, place: Place) -> None:
        self.findings.append(Finding(level, self.where(r, c), message, place))

    # numbers ---------------------------------------------------------------

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

    # the sheet -------------------------------------------------------------

    def read(self) -> ImportedForm:
        g = self.g
        ind_head = self.indicator_header()
        budget_words = set(_BUDGET_WORDS) | {t.fund_column_labels["budget"] for t in _templates()}
        fund_head = g.first(lambda t: t in budget_words)
        self.fund_words = {g.label(fund_head[0], c) for c in g.row_cells(fund_head[0])} if fund_head else set()
        total_cell = None
        if ind_head:
            total_cell = g.first(lambda t: t == TOTAL, range(ind_head[0] + 1, g.max_row + 1))
        top_end = fund_head[0] if fund_head else (ind_head[0] if ind_head else g.max_row + 1)

        district, year = self.title(top_end)
        rows = self.indicator_rows(ind_head, total_cell)
        self.fund_keys = self.fund_rows_found(fund_head, ind_head)
        template_id, rule_set = self.choose_template(rows, year)
        form = new_form(template_id, year=year, rule_set=rule_set, district=district)
        for l1 in form.tree:
            for l2 in l1.children:
                l2.indicators = []
        self.header(form, top_end)
        stated_rates = self.funds(form, fund_head, ind_head)
        self.goals(form, ind_head)
        self.place_indicators(form, rows)
        self.totals(form, ind_head, total_cell)
        self.signoff(form, total_cell[0] if total_cell else (ind_head[0] if ind_head else 1))
        if g.truncated:
            self.add(
                WARNING,
                None,
                None,
                f"工作表超过 {MAX_ROWS} 行或 {MAX_COLS} 列，只读取了前面部分，请核对。",
                Place("indicator"),
            )
        self.compare_rates(form, stated_rates)
        return ImportedForm(form, g.title, self.findings)

    def title(self, top_end: int) -> tuple[str | None, int | None]:
        g = self.g
        hit = g.first(lambda t: TITLE_WORD in t, range(1, max(top_end, 2)))
        district = year = None
        if hit:
            district = norm(g.get(*hit)).split(TITLE_WORD)[0].strip() or None
        for (r, _c), v in sorted(g.values.items()):
            if r >= top_end or not isinstance(v, str):
                continue
            m = re.search(r"(\d{4})\s*年\s*度", norm(v))
            if m and 1990 <= int(m.group(1)) <= 2100:
                year = int(m.group(1))
                break
        if hit is None:
            self.add(INFO, None, None, f"没有找到标题“……{TITLE_WORD}”，地区按模板填写，请核对。", Place("header"))
        if year is None:
            self.add(WARNING, None, None, "没有找到“（xxxx年度）”，年度按模板填写，请核对。", Place("header"))
        return district, year

    def header(self, form: Form, top_end: int) -> None:
        g = self.g
        found: dict[str, str] = {}
        for r in range(1, top_end):
            texts = [g.text(r, c) for c in g.row_cells(r)]
            if any(any(norm(t).startswith(lb) for lb in _HEADER_WORDS) for t in texts):
                for k, v in _split_fields(texts, _HEADER_WORDS).items():
                    found.setdefault(k, v)
        for key, label in HEADER_FIELDS:
            if label not in found:
                self.add(WARNING, None, None, f"没有找到“{label}”，请在程序中补上。", Place("header", key))
            setattr(form, key, found.get(label, ""))

    # 项目资金 ---------------------------------------------------------------

    def _fund_hits(self, head: Cell, ind_head: Cell | None, words: dict[str, str]) -> dict[str, int]:
        """The rows of the funds table (below its header, above the indicators) by their words: key -> row."""
        hr, end = head[0], ind_head[0] if ind_head else head[0] + 12
        found: dict[str, int] = {}
        for key, word in sorted(words.items(), key=lambda kw: -len(kw[1])):  # 财政专户管理资金 before 财政资金
            taken = set(found.values())
            hits = self.g.find(lambda t, w=word: w in t and RATE not in t, range(hr + 1, end))  # type: ignore[misc]
            free = [r for r, _c in hits if r not in taken]
            if free:
                found[key] = free[0]
        return found

    def fund_rows_found(self, head: Cell | None, ind_head: Cell | None) -> set[str]:
        """Which fund rows the workbook has (it helps choose the template: 财政资金 … or 当年财政拨款 …)."""
        return set(self._fund_hits(head, ind_head, _FUND_WORD)) if head else set()

    def funds(self, form: Form, head: Cell | None, ind_head: Cell | None) -> dict[str, _StatedRate]:
        g = self.g
        stated_rates: dict[str, _StatedRate] = {}
        if head is None:
            self.add(
                ERROR,
                None,
                None,
                f"没有找到“{FUNDS_SECTION}”表格（找不到“{_BUDGET}”）。",
                Place("funds", "total", "budget"),
            )
            return stated_rates
        hr = head[0]
        cols: dict[str, int] = {}
        words = {
            **{w: attr for attr, ws in FUND_COLUMN_WORDS.items() for w in ws},
            **{label: attr for attr, label in template_of(form).fund_columns},  # the template's words first
            **{w: w for w in FUND_TABLE_HEADER[len(FUND_COLUMNS) :]},
        }  # 分值, 执行率, 得分
        for c in g.row_cells(hr):
            key = words.get(g.label(hr, c))
            if key is not None and key not in cols:
                cols[key] = c
        rows = {k: _FUND_WORD.get(k) or label.removeprefix("其中：") for k, label in template_of(form).fund_rows}
        hits = self._fund_hits(head, ind_head, rows)
        if "total" not in hits:
            self.add(ERROR, None, None, f"没有找到“{FUND_LABELS['total']}”这一行。", Place("funds", "total", "budget"))
        for key, r in hits.items():
            stated = self.fund_row(form, r, key, rows[key], cols)
            if stated is not None:
                stated_rates[key] = stated
        note = g.first(lambda t: t.startswith(FUND_NOTE))
        if note:
            form.fund_note = self.value_right(*note, FUND_NOTE)
        return stated_rates

    def fund_row(self, form: Form, r: int, key: str, word: str, cols: dict[str, int]) -> _StatedRate | None:
        """One 项目资金 row: its amounts, and for 年度资金总额 the 分值 and 得分; returns the 执行率 it states."""
        row, labels = form.fund(key), template_of(form).fund_column_labels
        for attr, default in FUND_COLUMNS:
            label = labels.get(attr, default)
            setattr(row, attr, self.number(r, cols.get(attr), attr, f"{word}的{label}", Place("funds", key, attr)))
        if key == "total":
            form.budget_weight = self.number(
                r, cols.get(WEIGHT), "budget_weight", "预算执行率的分值", Place("funds", key, "weight")
            )
            score = self.cell_number(
                r, cols.get(SCORE), "budget_score", "预算执行率的得分", Place("funds", key, "score")
            )
            # our own formula, not yet calculated: it equals the program's value
            form.budget_score = evaluate(form).budget_score if isinstance(score, Computed) else score
        if RATE in cols and self.g.get(r, cols[RATE]) is not None:
            return _StatedRate(r, cols[RATE], self.g.get(r, cols[RATE]))
        return None

    def value_right(self, r: int, c: int, label: str) -> str:
        own = _split_fields([self.g.text(r, c)], (label,)).get(label, "")
        if own:
            return own
        for cc in self.g.row_cells(r):
            if cc > c:
                return self.g.text(r, cc)
        return ""

    def goals(self, form: Form, ind_head: Cell | None) -> None:
        g = self.g
        end = ind_head[0] if ind_head else g.max_row + 1
        for attr, label in GOAL_FIELDS:
            hit = g.first(lambda t, lb=label: t == lb, range(1, end))  # type: ignore[misc]
            if hit is None:
                self.add(WARNING, None, None, f"没有找到年度总体目标的“{label}”。", Place("goals", attr))
                continue
            r, c = hit
            c2 = g.right_edge(r, c)
            text = ""
            for rr in range(r + 1, min(r + 5, end)):
                vals = [g.text(rr, cc) for cc in g.row_cells(rr) if c <= cc <= c2]
                if vals:
                    text = vals[0]
                    break
            if not text:
                text = _split_fields([g.text(r, c)], (label,)).get(label, "")
            setattr(form, attr, text)

    # 绩效指标 ---------------------------------------------------------------

    def indicator_header(self) -> Cell | None:
        g = self.g
        for r, c in g.find(lambda t: t == LEVEL1):
            labels = {g.label(r, cc) for cc in g.row_cells(r)}
            if LEVEL2 in labels and LEVEL3 in labels:
                return r, c
        return None

    def indicator_columns(self, hr: int) -> dict[str, int]:
        """The 绩效指标 table's columns, by their labels in the header row."""
        g = self.g
        cols: dict[str, int] = {}
        for c in g.row_cells(hr):
            t = g.label(hr, c)
            for key, word in _IND_HEADER.items():
                if key not in cols and (t == word or (key in _PREFIX_MATCHED and t.startswith(word[:4]))):
                    cols[key] = c
        for key in ("target", "actual", "weight", "score"):
            if key not in cols:
                self.add(ERROR, hr, None, f"绩效指标表头缺少“{_IND_HEADER[key]}”一列。", Place("indicator", key))
        return cols

    def indicator_rows(self, head: Cell | None, total_cell: Cell | None) -> list[_IndicatorRow]:
        """Each row of the 绩效指标 table as texts and cell positions, 一级/二级 filled down."""
        g = self.g
        if head is None:
            self.add(
                ERROR,
                None,
                None,
                f"没有找到“{INDICATORS_SECTION}”表格（找不到“{LEVEL1}”“{LEVEL2}”“{LEVEL3}”）。",
                Place("indicator"),
            )
            return []
        hr = head[0]
        cols = self.ind_cols = self.indicator_columns(hr)
        end = total_cell[0] if total_cell else g.max_row + 1
        signoff = g.first(lambda t: t.startswith(SIGNOFF_LABELS["filler"]), range(hr + 1, end))
        if signoff:
            end = signoff[0]
        out: list[_IndicatorRow] = []
        l1 = l2 = ""
        for r in range(hr + 1, end):
            t1, t2 = g.text(r, cols["l1"]), g.text(r, cols["l2"])
            if norm(t1) == LEVEL1:
                continue  # the header repeated (a hand-typed second page)
            if t1.strip():
                l1, l2 = t1, ""
            if t2.strip():
                l2 = t2
            name = g.text(r, cols["l3"])
            rest = [
                g.get(r, cols[k]) for k in ("target", "actual", "weight", "score", "deviation", "grade") if k in cols
            ]
            if all(v is None for v in rest) and is_placeholder_name(name):
                continue
            out.append(_IndicatorRow(r, l1, l2, strip_indicator_prefix(name)))
        return out

    def choose_template(self, rows: list[_IndicatorRow], year: int | None) -> tuple[str, str | None]:
        """The template named in our hidden sheet, else the one whose 一级/二级 names fit the rows best."""
        tid, rs = (self.meta.template, self.meta.rule_set) if self.meta else ("", "")
        try:
            if tid:
                get_template(tid)
            if rs:
                get_rule_set(rs)
            if tid:
                return tid, rs or None
        except RuleSetError:
            self.add(
                WARNING,
                None,
                None,
                f"工作簿记录的模板或规则集（{tid}、{rs}）本程序没有，已按表格内容选择模板。",
                Place("header"),
            )
            rs = ""
        pairs = {(norm(x.l1), norm(x.l2)) for x in rows}

        def fit(t_id: str) -> tuple[int, int, int, int, bool, bool]:
            # most fund rows and column words known (fewest of its own words missing), then most indicator rows
            # placed, then the form's year, then the default
            t = get_template(t_id)
            words = set(t.fund_column_labels.values())
            return (
                len(self.fund_keys & set(t.fund_labels)),
                len(self.fund_words & words),
                -len(words - self.fund_words),
                sum(1 for a, b in pairs if _match_pair(t, a, b) is not None),
                t.year == year,
                t_id == DEFAULT_TEMPLATE,
            )

        best = max((t.id for t in _templates()), key=fit)
        if self.meta is None:
            t = get_template(best)
            self.add(
                INFO,
                None,
                None,
                f"按“{t.name}”和规则集“{get_rule_set(rs or t.rule_set).name}”计算，请确认。",
                Place("header"),
            )
        return best, rs or None

    def place_indicators(self, form: Form, rows: list[_IndicatorRow]) -> None:
        for x in rows:
            l1 = self._find_l1(form, x.l1, x.row)
            l2 = self._find_l2(l1, x.l2, x.row)
            path = (form.tree.index(l1), l1.children.index(l2), len(l2.indicators))
            l2.indicators.append(self.indicator(x, path))

    def indicator(self, x: _IndicatorRow, path: tuple[int, int, int]) -> Indicator:
        g, cols, r = self.g, self.ind_cols, x.row

        def text(key: str) -> str:
            return g.text(r, cols[key]) if key in cols else ""

        def number(key: str, label: str) -> Decimal | None:
            return self.number(r, cols.get(key), key, f"“{x.name}”的{label}", Place("indicator", key, path=path))

        ind = Indicator(
            name=x.name,
            target=text("target"),
            actual=text("actual"),
            weight=number("weight", WEIGHT),
            score=number("score", SCORE),
            deviation=text("deviation"),
            nature=text("nature"),
            measure_unit=text("measure_unit"),
        )
        if "grade" in cols:
            grade = grade_from_text(text("grade"))
            if grade is False:
                self.add(
                    WARNING,
                    r,
                    cols["grade"],
                    f"{GRADE_COLUMN}“{text('grade')}”不是{_GRADE_CHOICES}之一，已留空。",
                    Place("indicator", "grade", path=path),
                )
            elif grade is not True:
                ind.grade = grade
        return ind

    def _find_l1(self, form: Form, text: str, r: int) -> Level1:
        for l1 in form.tree:
            if _same(norm(text), norm(l1.name)):
                return l1
        name = " ".join(text.split()) or f"（未填{LEVEL1}）"
        self.add(
            WARNING,
            r,
            self.ind_cols.get("l1"),
            f"{LEVEL1}“{name}”不在模板中，已按原文保留，请核对。",
            Place("indicator"),
        )
        l1 = Level1(name, [])
        form.tree.append(l1)
        return l1

    def _find_l2(self, l1: Level1, text: str, r: int) -> Level2:
        for l2 in l1.children:
            if _same(norm(text), norm(l2.name)):
                return l2
        name = " ".join(text.split()) or f"（未填{LEVEL2}）"
        self.add(
            WARNING,
            r,
            self.ind_cols.get("l2"),
            f"{LEVEL2}“{name}”不在模板的“{l1.name}”之下，已按原文保留，请核对。",
            Place("indicator"),
        )
        l2 = Level2(name, [])
        l1.children.append(l2)
        return l2

    # 总分, 填表人, 执行率 ---------------------------------------------------------

    def totals(self, form: Form, head: Cell | None, total_cell: Cell | None) -> None:
        if head is None:
            return
        if total_cell is None:
            self.add(WARNING, None, None, f"没有找到“{TOTAL}”行。", Place("totals", "weight"))
            return
        g, cols, r = self.g, self.ind_cols, total_cell[0]
        wc, sc = cols.get("weight"), cols.get("score")
        if (wc is None or g.get(r, wc) is None) and (sc is None or g.get(r, sc) is None):
            nums = [c for c in g.row_cells(r) if c > total_cell[1]][:2]  # hand-typed: the first two cells after 总分
            padded: list[int | None] = [*nums, None, None]
            wc, sc = padded[0], padded[1]
        # Our SUM formulas that no spreadsheet has calculated yet state nothing the program does not compute
        # itself, so they leave the stated totals empty; a calculated or typed 总分 is the workbook's claim.
        # Our own export keeps what the clerk wrote in its hidden sheet.
        # Once Excel or LibreOffice has calculated our SUM, the cell holds the sum, not what the clerk wrote: the
        # import must give the same form whether or not a spreadsheet program saved the workbook in between.
        meta = self.meta
        form.stated_total_weight = self._stated(
            r, wc, "stated_total_weight", Place("totals", "weight"), meta.stated_weight if meta else None
        )
        form.stated_total_score = self._stated(
            r, sc, "stated_total_score", Place("totals", "score"), meta.stated_score if meta else None
        )

    def _stated(self, r: int, c: int | None, key: str, place: Place, recorded: Decimal | None) -> Decimal | None:
        """A 总分 cell's claim: what our hidden sheet recorded when the cell is our formula, else its number."""
        if self.meta is not None and c is not None and (r, c) in self.g.formulas:
            return recorded
        value = self.cell_number(r, c, key, STATED_TOTAL_LABELS[key], place)
        return recorded if isinstance(value, Computed) else value

    def signoff(self, form: Form, start: int) -> None:
        g = self.g
        found: dict[str, str] = {}
        for r in range(start, g.max_row + 1):
            texts = [g.text(r, c) for c in g.row_cells(r)]
            if any(norm(t).startswith(lb) or f"{lb}:" in norm(t) for t in texts for lb in _SIGNOFF_WORDS):
                for k, v in _split_fields(texts, _SIGNOFF_WORDS).items():
                    found.setdefault(k, v)
        for key, label in SIGNOFF_FIELDS:
            setattr(form, key, found.get(label, ""))

    def compare_rates(self, form: Form, stated: dict[str, _StatedRate]) -> None:
        """执行率 as the workbook shows it against the program's (scoring.rates_agree)."""
        rs = form_rule_set(form)[0]
        labels = template_of(form).fund_labels
        for key, s in stated.items():
            if isinstance(s.value, Computed):
                continue
            rate, place = fund_row_rate(form.fund(key)), Place("funds", key, "rate")
            label = _FUND_WORD.get(key) or labels.get(key, key)
            try:
                fraction = _stated_fraction(s.value)
            except NumberError:
                self.add(WARNING, s.row, s.col, f"{label}的执行率“{as_text(s.value)}”看不懂，已忽略。", place)
                continue
            if fraction is None:
                continue
            shown = fmt_percent(fraction, rs.rate_places)
            if rate is None:
                self.add(
                    ERROR,
                    s.row,
                    s.col,
                    f"{label}的执行率写的是 {shown}，但{_RATE_DEN}为空或为0，无法计算执行率。",
                    place,
                )
            elif not rates_agree(fraction, rate, rs):
                self.add(
                    ERROR,
                    s.row,
                    s.col,
                    f"{label}的执行率写的是 {shown}，按{_RATE_NUM} ÷ {_RATE_DEN}计算应为 {rs.rate_text(rate)}。",
                    place,
                )


# ---------------------------------------------------------------- the workbook


def _meta_decimal(v: object) -> Decimal | None:
    try:
        return parse_decimal(str(v)) if v not in (None, "") else None
    except NumberError:
        log.info("hidden sheet holds no number: %r", v)
        return None


def _read_meta(wb: Any) -> dict[str, SheetMeta]:
    if META_SHEET not in wb.sheetnames:
        return {}
    out = {}
    for row in wb[META_SHEET].iter_rows(min_row=2, max_row=200, max_col=6, values_only=True):
        if row and row[0]:
            row = tuple(row) + (None,) * (6 - len(row))
            out[str(row[0])] = SheetMeta(
                rule_set=str(row[1] or ""),
                template=str(row[2] or ""),
                stated_weight=_meta_decimal(row[4]),
                stated_score=_meta_decimal(row[5]),
            )
    return out


def _looks_like_form(grid: Grid) -> bool:
    labels = {norm(v) for v in grid.values.values() if isinstance(v, str)}
    has_indicators = LEVEL1 in labels and LEVEL3 in labels
    has_funds = any(FUND_ROW_WORDS[0][1] in t for t in labels) and HEADER_LABELS["project_name"] in labels
    return has_indicators or has_funds


def _read_sheet(grid: Grid, meta: SheetMeta | None) -> ImportedForm:
    try:
        return SheetReader(grid, meta).read()
    except (XlsxImportError, MemoryError):
        raise
    except Exception as e:  # a layout we did not foresee: name the sheet, never a traceback
        log.exception("sheet %r could not be read", grid.title)
        raise XlsxImportError(
            f"工作表“{grid.title}”的内容无法识别（{type(e).__name__}），请对照官方表格式核对。"
        ) from e


def _no_progress(_what: str) -> None:
    return None


def import_workbook(path: str | Path, progress: Progress = _no_progress) -> list[ImportedForm]:
    """Every form in the workbook, one per sheet; raises XlsxImportError (clerk_message) when there is none.
    `progress` is told what is being read and may raise ImportCancelled to stop."""
    p = Path(path)
    data = read_checked(p, progress)
    try:
        return _import(p, data, progress)
    except MemoryError:
        log.warning("out of memory importing %s", p.name, exc_info=True)
        raise XlsxImportError(f"读取“{p.name}”时电脑内存不足，没有导入。请关闭其他程序后再试。") from None


def _import(p: Path, data: bytes, progress: Progress) -> list[ImportedForm]:
    progress("")
    wb_f = load(data, data_only=False, name=p.name)
    progress("")
    wb_v = load(data, data_only=True, name=p.name)
    meta = _read_meta(wb_f)
    items, skipped = [], []
    for ws in wb_f.worksheets:
        if ws.title == META_SHEET:
            continue
        progress(ws.title)
        grid = Grid(ws, wb_v[ws.title])
        if not _looks_like_form(grid):
            skipped.append(ws.title)
            continue
        items.append(_read_sheet(grid, meta.get(ws.title)))
    if not items:
        names = "、".join(f"“{s}”" for s in skipped) or "（无）"
        raise XlsxImportError(
            f"“{p.name}”中没有找到绩效自评表：工作表 {names} 都没有“{HEADER_LABELS['project_name']}”"
            f"“{FUND_ROW_WORDS[0][1]}”或“{LEVEL1}”“{LEVEL3}”等表头。"
        )
    return items
