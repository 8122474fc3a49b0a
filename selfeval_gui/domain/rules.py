"""Rule sets and templates: the data that decides rounding, scoring variants, the funds block and the fixed tree.

Both are JSON files so that a new district or year is a data change, not a code change: the bundled ones under
resources/ and the ones a finance bureau hands out, installed into the user data folder (files/rule_files.py).
A bundled id cannot be replaced by an installed file.  Their published JSON Schemas are resources/schema/
ruleset.schema.json and template.schema.json.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.form import Form, FundRow, Indicator, Level1, Level2
from selfeval_gui.domain.numbers import fmt_decimal, fmt_percent, quantize
from selfeval_gui.domain.rule_bounds import check_rule_set_values, check_template_values, number, switches, text_limits
from selfeval_gui.domain.targets import LOWER
from selfeval_gui.domain.template_fields import TemplateOptions, child_name, read_options
from selfeval_gui.paths import DATA_DIR_ENV, resource_path, user_data_dir
from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)
MAX_RULE_FILE_BYTES = 1024 * 1024  # a rule set or template is a few kilobytes

REVERSE_RULES = {"ratio": "目标值 ÷ 实际值 × 分值", "linear": "(1 − 超出部分 ÷ 目标值) × 分值，两倍目标值时为0"}
# How a computed value is rounded to its places: half up (Excel's ROUND) or cut off (ROUNDDOWN).
ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "down": ROUND_DOWN}
ROUNDING_WORDS = {"half_up": "四舍五入", "down": "截尾（不进位）"}
DATE_TARGET_RULES = ("qualitative", "deadline")  # a date in 年度指标值: graded by the clerk, or a deadline
# Which targets beaten by `over_achievement` need a deviation note: all, only higher-is-better ones (≥, ranges,
# =), or none.
OVER_NOTE_RULES = ("all", "higher", "none")
# The checks a reviewer makes on a filled form (checks.reviewer_findings); a rule set may switch each off.
REVIEWER_CHECKS: dict[str, str] = {
    "word_actual": "年度指标值是数值，实际完成值却只写了文字（如“完成”）",
    "empty_excuse": "有指标未完成或扣分，偏差原因、资金执行偏差说明却写“无”“暂无”“没有”",
    "inflated_scores": "定性指标全部满分，而执行率不足100%或有定量指标未完成（自评结果可能偏高）",
    "unit_in_value": "单位写进了数值（如“≥100百分比”，或本表有度量单位列）",
    "dominant_weight": "一个三级指标的分值超过全部三级指标分值的一半",
    "empty_level1": "产出、效益或满意度一级指标下没有填写三级指标",
}
# Text fields a template may limit (text_limits, 字数上限): the Indicator or Form attribute and its words.
TEXT_LIMIT_FIELDS: dict[str, str] = {
    "name": words.LEVEL3,
    "target": words.TARGET,
    "actual": words.ACTUAL,
    "deviation": words.DEVIATION,
    "goal_expected": words.GOAL_LABELS["goal_expected"],
    "goal_actual": words.GOAL_LABELS["goal_actual"],
    "fund_note": words.FUND_NOTE,
}
RULESETS, TEMPLATES = "rulesets", "templates"


class RuleSetError(ValueError):
    pass


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    rate_places: int  # decimals of the percentage shown for 执行率 (0 -> 99%)
    budget_score_places: int
    indicator_score_places: int
    total_places: int
    weight_total: Decimal
    weights_guideline: dict[str, Decimal]
    reverse_rule: str  # "ratio" | "linear"
    qualitative_bands: dict[str, tuple[Decimal, Decimal]]
    over_achievement: Decimal  # actual ≥ target × (1 + this) needs a deviation note
    execution_note_below: Decimal  # an execution rate below this needs an explanation
    grades: tuple[tuple[str, Decimal], ...]  # (grade, lowest total), highest first
    execution_cap: tuple[tuple[Decimal, Decimal | None], ...] | None  # (rate ≥ this, max total or None)
    fill_date_after_year: bool
    rounding: str = "half_up"  # a key of ROUNDING_MODES
    score_on_shown_rate: bool = False  # the budget 得分 is computed from 执行率 as shown (50%), not the exact rate
    date_targets: str = "qualitative"  # one of DATE_TARGET_RULES
    over_achievement_note: str = "all"  # one of OVER_NOTE_RULES
    reviewer_checks: frozenset[str] = frozenset(REVIEWER_CHECKS)  # the ones switched on

    def asks_over_note(self, kind: str) -> bool:
        """A target of this kind (targets.HIGHER, LOWER …) beaten by `over_achievement` needs a deviation note."""
        return self.over_achievement_note == "all" or (self.over_achievement_note == "higher" and kind != LOWER)

    def round(self, value: Decimal, places: int) -> Decimal:
        """A computed value rounded to `places` the way this rule set rounds."""
        return quantize(value, places, ROUNDING_MODES[self.rounding])

    def fmt(self, value: Decimal | None, places: int) -> str:
        return "" if value is None else fmt_decimal(self.round(value, places), places)

    def rate_text(self, rate: Decimal | None) -> str:
        """执行率 as this rule set shows it (99%, 99.34%)."""
        return "" if rate is None else fmt_percent(self.shown_rate(rate), self.rate_places)

    def shown_rate(self, rate: Decimal) -> Decimal:
        """The rate as shown, as a fraction: 0.4996 -> 0.50 with whole percents."""
        return self.round(rate, self.rate_places + 2)

    def scoring_rate(self, rate: Decimal) -> Decimal:
        """The rate the budget 得分 is computed from: the exact one, or the shown one when the rule set says so."""
        return self.shown_rate(rate) if self.score_on_shown_rate else rate

    def grade_for(self, total: Decimal | None) -> str | None:
        if total is None:
            return None
        for name, low in self.grades:
            if total >= low:
                return name
        return self.grades[-1][0]

    def cap_for(self, rate: Decimal | None) -> Decimal | None:
        """The highest total allowed at this execution rate, or None for no cap."""
        if not self.execution_cap or rate is None:
            return None
        for low, cap in self.execution_cap:
            if rate >= low:
                return cap
        return None


def _dec(v: object, field: str) -> Decimal:
    """A number of the file, bounded in length (rule_bounds.number): 100,000 digits are no share or weight."""
    return number(v, field)


def _choice(d: dict[str, Any], key: str, allowed: object, default: str) -> str:
    value = d.get(key, default)
    if value not in allowed:  # type: ignore[operator]
        raise RuleSetError(f"字段“{key}”的值“{value}”无效，应为：{'、'.join(allowed)}")  # type: ignore[arg-type]
    return str(value)


def _cap_step(rate: object, highest: object) -> tuple[Decimal, Decimal | None]:
    return _dec(rate, "execution_cap"), None if highest is None else _dec(highest, "execution_cap")


def ruleset_from_json(d: dict[str, Any]) -> RuleSet:
    """A rule set from its JSON object; RuleSetError with a Chinese sentence when a value cannot be used."""
    try:
        cap = d.get("execution_cap")
        rs = RuleSet(
            id=d["id"],
            name=d["name"],
            rate_places=int(d["rate_places"]),
            budget_score_places=int(d["budget_score_places"]),
            indicator_score_places=int(d["indicator_score_places"]),
            total_places=int(d["total_places"]),
            weight_total=_dec(d["weight_total"], "weight_total"),
            weights_guideline={k: _dec(v, "weights_guideline") for k, v in d["weights_guideline"].items()},
            reverse_rule=_choice(d, "reverse_rule", REVERSE_RULES, "ratio"),
            qualitative_bands={
                k: (_dec(a, "qualitative_bands"), _dec(b, "qualitative_bands"))
                for k, (a, b) in d["qualitative_bands"].items()
            },
            over_achievement=_dec(d["over_achievement"], "over_achievement"),
            execution_note_below=_dec(d["execution_note_below"], "execution_note_below"),
            grades=tuple((g, _dec(low, "grades")) for g, low in d["grades"]),
            execution_cap=None if not cap else tuple(_cap_step(a, b) for a, b in cap),
            fill_date_after_year=bool(d.get("fill_date_after_year", True)),
            rounding=_choice(d, "rounding", ROUNDING_MODES, "half_up"),
            score_on_shown_rate=bool(d.get("score_on_shown_rate", False)),
            date_targets=_choice(d, "date_targets", DATE_TARGET_RULES, "qualitative"),
            over_achievement_note=_choice(d, "over_achievement_note", OVER_NOTE_RULES, "all"),
            reviewer_checks=switches(d.get("reviewer_checks"), REVIEWER_CHECKS, "reviewer_checks"),
        )
        check_rule_set_values(
            rs.weight_total,
            rs.weights_guideline,
            rs.qualitative_bands,
            rs.over_achievement,
            rs.execution_note_below,
            rs.grades,
            rs.execution_cap,
        )
        return rs
    except RuleSetError:
        raise
    except KeyError as e:
        raise RuleSetError(f"规则集数据有误：缺少字段“{e.args[0]}”") from None
    except (TypeError, ValueError, ArithmeticError) as e:
        raise RuleSetError(f"规则集数据有误：{e}") from None


# ---------------------------------------------------------------- where they are found


@lru_cache(maxsize=8)
def _user_folder(_env: str) -> Path | None:
    """user_data_dir() once per SELFEVAL_DATA_DIR value: it is asked on every evaluation and creates the folder."""
    try:
        return user_data_dir()
    except OSError:
        log.warning("no user data folder: only the bundled rule sets and templates", exc_info=True)
        return None


def installed_dir(kind: str) -> Path | None:
    """The user data folder's rulesets/ or templates/ (not created here); None when there is no user folder."""
    return _installed_dir(os.environ.get(DATA_DIR_ENV, ""), kind)


@lru_cache(maxsize=16)
def _installed_dir(env: str, kind: str) -> Path | None:
    base = _user_folder(env)  # once per value: every keystroke's evaluation asks (issue 12)
    return None if base is None else base / kind


def _stems(folder: Path | None) -> tuple[str, ...]:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(sorted(p.stem for p in folder.glob("*.json")))


@lru_cache(maxsize=None)
def bundled_ids(kind: str) -> tuple[str, ...]:
    return _stems(resource_path(kind))


@lru_cache(maxsize=64)
def _ids(kind: str, installed: Path | None) -> tuple[str, ...]:
    return tuple(sorted(set(bundled_ids(kind)) | set(_stems(installed))))


def _file_of(kind: str, item_id: str) -> Path | None:
    if item_id in bundled_ids(kind):
        return resource_path(kind, f"{item_id}.json")
    folder = installed_dir(kind)
    if folder is not None and item_id in _stems(folder):
        return folder / f"{item_id}.json"
    return None


def rule_set_ids() -> tuple[str, ...]:
    """Bundled and installed rule sets (the installed ones of the current user data folder)."""
    return _ids(RULESETS, installed_dir(RULESETS))


def template_ids() -> tuple[str, ...]:
    return _ids(TEMPLATES, installed_dir(TEMPLATES))


def is_bundled(kind: str, item_id: str) -> bool:
    return item_id in bundled_ids(kind)


def item_ids(kind: str) -> tuple[str, ...]:
    """Bundled and installed items of a kind (rule sets, templates, report outlines)."""
    return _ids(kind, installed_dir(kind))


def read_item(kind: str, item_id: str, what: str) -> dict[str, Any]:
    """The JSON object of a bundled or installed item; RuleSetError saying what is wrong."""
    return _read(kind, item_id, what)


def _read(kind: str, item_id: str, what: str) -> dict[str, Any]:
    path = _file_of(kind, item_id)
    if path is None:
        raise RuleSetError(f"找不到{what}“{item_id}”。可用的{what}：{'、'.join(_ids(kind, installed_dir(kind)))}")
    try:
        data = json.loads(read_regular(path, MAX_RULE_FILE_BYTES).decode("utf-8"))
    except (OSError, ValueError) as e:
        raise RuleSetError(f"{what}“{item_id}”的文件无法读取：{e}") from None
    if not isinstance(data, dict):
        raise RuleSetError(f"{what}“{item_id}”的文件不是一个 JSON 对象。")
    return data


@lru_cache(maxsize=None)
def _rule_set(rule_set_id: str, installed: Path | None) -> RuleSet:
    return ruleset_from_json(_read(RULESETS, rule_set_id, "规则集"))


def get_rule_set(rule_set_id: str) -> RuleSet:
    return _rule_set(rule_set_id, installed_dir(RULESETS))


def rule_set_or_default(rule_set_id: str, default: str) -> tuple[RuleSet, bool]:
    """The named rule set, or `default` (the template's) when it is not installed: (rule set, found)."""
    try:
        return get_rule_set(rule_set_id), True
    except RuleSetError:
        log.info("rule set %r not available, scoring with %r", rule_set_id, default)
    try:
        return get_rule_set(default), False
    except RuleSetError:
        return get_rule_set(DEFAULT_RULE_SET), False


# ---------------------------------------------------------------- templates

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    district: str
    year: int
    rule_set: str
    tree: tuple[tuple[str, tuple[str, ...]], ...]
    fund_rows: Labels = words.FUND_ROWS  # (FundRow key, label), 年度资金总额 ("total") first
    fund_columns: Labels = words.FUND_COLUMNS  # (FundRow attribute, label) left to right
    budget_weight: Decimal = Decimal(10)
    indicator_columns: Labels = ()  # extra 三级 columns (Indicator attribute, label): 指标性质, 度量单位
    report_outline: str = "general"  # the 自评报告's outline (domain/report_outline.py)
    text_limits: tuple[tuple[str, int], ...] = ()  # 字数上限: (a key of TEXT_LIMIT_FIELDS, characters)
    options: TemplateOptions = TemplateOptions()  # heading weights, no scores, the 预算执行率 row (template_fields)

    @property
    def fund_labels(self) -> dict[str, str]:
        return dict(self.fund_rows)

    @property
    def fund_column_labels(self) -> dict[str, str]:
        return dict(self.fund_columns)

    @property
    def sub_rows(self) -> tuple[str, ...]:
        """The keys of the rows that add up to 年度资金总额."""
        return tuple(k for k, _ in self.fund_rows if k != "total")


def _labels(items: list[dict[str, str]] | None, default: Labels) -> Labels:
    return default if not items else tuple((i["key"], i["label"]) for i in items)


def template_from_json(d: dict[str, Any]) -> Template:
    try:
        funds = d.get("funds") or {}
        t = Template(
            d["id"],
            d["name"],
            d["district"],
            int(d["year"]),
            d["rule_set"],
            tuple((n["name"], tuple(child_name(c) for c in n["children"])) for n in d["tree"]),
            _labels(funds.get("rows"), words.FUND_ROWS),
            _labels(funds.get("columns"), words.FUND_COLUMNS),
            _dec(d.get("budget_weight", "10"), "budget_weight"),
            _labels(d.get("indicator_columns"), ()),
            str(d.get("report_outline", "general")),
            text_limits=text_limits(d.get("text_limits"), TEXT_LIMIT_FIELDS, "text_limits"),
            options=read_options(d),
        )
        check_template_values(t.budget_weight, t.fund_rows, t.fund_columns, t.tree)
    except KeyError as e:
        raise RuleSetError(f"模板数据有误：缺少字段“{e.args[0]}”") from None
    except (TypeError, ValueError, ArithmeticError) as e:
        raise RuleSetError(f"模板数据有误：{e}") from None
    if not t.fund_rows or t.fund_rows[0][0] != "total":
        raise RuleSetError("模板数据有误：项目资金的第一行应为 total（年度资金总额）。")
    if {"budget", "executed"} - {k for k, _ in t.fund_columns}:
        raise RuleSetError("模板数据有误：项目资金的列中应有 budget（预算数）和 executed（执行数）。")
    return t


@lru_cache(maxsize=None)
def _template(template_id: str, installed: Path | None) -> Template:
    return template_from_json(_read(TEMPLATES, template_id, "模板"))


def get_template(template_id: str) -> Template:
    return _template(template_id, installed_dir(TEMPLATES))


def template_of(form: Form) -> Template:
    """The form's template, or the default one when it is not installed (the form still opens); the standard
    layout when even that cannot be read (the window then reports the damaged installation)."""
    for template_id in (form.template, DEFAULT_TEMPLATE):
        try:
            return get_template(template_id)
        except RuleSetError:
            log.info("template %r not available", template_id)
    return Template(DEFAULT_TEMPLATE, "", form.district, form.year, DEFAULT_RULE_SET, ())


def clear_caches() -> None:
    """Forget what was read: after installing a file, or in tests that move the data folders."""
    for f in (_user_folder, _installed_dir, bundled_ids, _ids, _rule_set, _template):
        f.cache_clear()


DEFAULT_TEMPLATE = "chaoyang-2020"
DEFAULT_RULE_SET = "chaoyang-2020"


def evaluation_year(today: date | None = None) -> int:
    """The year a form written today reports on: the calendar year before today (a 2021 self-evaluation is
    about 2020)."""
    return (today or date.today()).year - 1


def new_form(
    template_id: str = DEFAULT_TEMPLATE,
    *,
    year: int | None = None,
    rule_set: str | None = None,
    district: str | None = None,
) -> Form:
    """A blank form with the template's funds rows, budget 分值 and 一级/二级 tree, one empty 三级 row per 二级.

    year: the year evaluated; without it, the calendar year before today (evaluation_year)."""
    t = get_template(template_id)
    rs = rule_set or t.rule_set
    get_rule_set(rs)  # fail early on an unknown id
    tree = [Level1(n1, [Level2(n2, [Indicator()]) for n2 in kids]) for n1, kids in t.tree]
    return Form(
        district=district or t.district,
        year=year or evaluation_year(),
        rule_set=rs,
        template=t.id,
        tree=tree,
        funds=[FundRow(k) for k, _ in t.fund_rows],
        budget_weight=t.budget_weight if t.options.funds_scored else None,
    )


def tree_for_template(tree: list[Level1], template_id: str) -> tuple[list[Level1], list[str]]:
    """The 一级/二级 tree of another template with the clerk's 三级 rows carried over by their 一级 and 二级 names
    (the same Indicator objects; a 二级 without rows gets one blank row).  The second value names the 二级
    whose filled rows the new template has no place for (then the tree must not be switched)."""
    t = get_template(template_id)
    rows = {
        (l1.name, l2.name): [ind for ind in l2.indicators if not ind.is_blank()] for l1 in tree for l2 in l1.children
    }
    places = {(n1, n2) for n1, kids in t.tree for n2 in kids}
    homeless = [f"{n1} › {n2}" for (n1, n2), kept in rows.items() if kept and (n1, n2) not in places]
    new = [Level1(n1, [Level2(n2, list(rows.get((n1, n2)) or [Indicator()])) for n2 in kids]) for n1, kids in t.tree]
    return new, homeless
