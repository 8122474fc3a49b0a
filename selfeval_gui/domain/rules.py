"""Rule sets and templates: the data that decides rounding, scoring variants and the fixed indicator tree.

Both are JSON files under resources/ so that a new district or year is a data change, not a code change.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..paths import resource_path
from .form import Form, Indicator, Level1, Level2

log = logging.getLogger(__name__)

REVERSE_RULES = {"ratio": "目标值 ÷ 实际值 × 分值", "linear": "(1 − 超出部分 ÷ 目标值) × 分值，两倍目标值时为0"}


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


def _dec(v: object) -> Decimal:
    return Decimal(str(v))


def _ruleset_from_json(d: dict[str, Any]) -> RuleSet:
    try:
        if d["reverse_rule"] not in REVERSE_RULES:
            raise RuleSetError(f"未知的反向指标规则：{d['reverse_rule']}")
        cap = d.get("execution_cap")
        return RuleSet(
            id=d["id"], name=d["name"],
            rate_places=int(d["rate_places"]), budget_score_places=int(d["budget_score_places"]),
            indicator_score_places=int(d["indicator_score_places"]), total_places=int(d["total_places"]),
            weight_total=_dec(d["weight_total"]),
            weights_guideline={k: _dec(v) for k, v in d["weights_guideline"].items()},
            reverse_rule=d["reverse_rule"],
            qualitative_bands={k: (_dec(a), _dec(b)) for k, (a, b) in d["qualitative_bands"].items()},
            over_achievement=_dec(d["over_achievement"]),
            execution_note_below=_dec(d["execution_note_below"]),
            grades=tuple((g, _dec(low)) for g, low in d["grades"]),
            execution_cap=None if not cap else tuple((_dec(a), None if b is None else _dec(b)) for a, b in cap),
            fill_date_after_year=bool(d.get("fill_date_after_year", True)),
        )
    except (KeyError, TypeError, ValueError, ArithmeticError) as e:
        raise RuleSetError(f"规则集数据有误：{e}") from None


@lru_cache(maxsize=None)
def rule_set_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in resource_path("rulesets").glob("*.json")))


@lru_cache(maxsize=None)
def get_rule_set(rule_set_id: str) -> RuleSet:
    path = resource_path("rulesets", f"{rule_set_id}.json")
    if rule_set_id not in rule_set_ids():
        raise RuleSetError(f"找不到规则集“{rule_set_id}”。可用的规则集：{'、'.join(rule_set_ids())}")
    return _ruleset_from_json(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    district: str
    year: int
    rule_set: str
    tree: tuple[tuple[str, tuple[str, ...]], ...]


@lru_cache(maxsize=None)
def template_ids() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in resource_path("templates").glob("*.json")))


@lru_cache(maxsize=None)
def get_template(template_id: str) -> Template:
    if template_id not in template_ids():
        raise RuleSetError(f"找不到模板“{template_id}”。可用的模板：{'、'.join(template_ids())}")
    d = json.loads(resource_path("templates", f"{template_id}.json").read_text(encoding="utf-8"))
    return Template(d["id"], d["name"], d["district"], int(d["year"]), d["rule_set"],
                    tuple((n["name"], tuple(n["children"])) for n in d["tree"]))


DEFAULT_TEMPLATE = "chaoyang-2020"


def evaluation_year(today: date | None = None) -> int:
    """The year a form written today reports on: the calendar year before today (a 2021 self-evaluation is
    about 2020)."""
    return (today or date.today()).year - 1


def new_form(template_id: str = DEFAULT_TEMPLATE, *, year: int | None = None, rule_set: str | None = None,
             district: str | None = None) -> Form:
    """A blank form with the template's fixed 一级/二级 tree and one empty 三级 row under each 二级.

    year: the year evaluated; without it, the calendar year before today (evaluation_year)."""
    t = get_template(template_id)
    rs = rule_set or t.rule_set
    get_rule_set(rs)  # fail early on an unknown id
    tree = [Level1(n1, [Level2(n2, [Indicator()]) for n2 in kids]) for n1, kids in t.tree]
    return Form(district=district or t.district, year=year or evaluation_year(), rule_set=rs, template=t.id, tree=tree)


def tree_for_template(tree: list[Level1], template_id: str) -> tuple[list[Level1], list[str]]:
    """The 一级/二级 tree of another template with the clerk's 三级 rows carried over by their 一级 and 二级 names
    (the same Indicator objects; a 二级 without rows gets one blank row).  The second value names the 二级
    whose filled rows the new template has no place for (then the tree must not be switched)."""
    t = get_template(template_id)
    rows = {(l1.name, l2.name): [ind for ind in l2.indicators if not ind.is_blank()]
            for l1 in tree for l2 in l1.children}
    places = {(n1, n2) for n1, kids in t.tree for n2 in kids}
    homeless = [f"{n1} › {n2}" for (n1, n2), kept in rows.items() if kept and (n1, n2) not in places]
    new = [Level1(n1, [Level2(n2, list(rows.get((n1, n2)) or [Indicator()])) for n2 in kids]) for n1, kids in t.tree]
    return new, homeless
