"""The form as data: one object per 项目支出绩效自评表, the single source of truth for GUI, PDF and Excel.

Only inputs live here (what the clerk typed, including the scores and totals they wrote themselves);
everything computed comes from scoring.evaluate(form).  Amounts and scores are Decimal or None (empty).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from selfeval_gui.domain.final_record import Finalization as Finalization
from selfeval_gui.domain.final_record import last_seal, resealed, sealed
from selfeval_gui.domain.vocabulary import ALL_FUND_LABELS, TITLE_WORD
from selfeval_gui.domain.vocabulary import FUND_COLUMN_LABELS as FUND_COLUMN_LABELS
from selfeval_gui.domain.vocabulary import FUND_COLUMNS as FUND_COLUMNS
from selfeval_gui.domain.vocabulary import FUND_LABELS as FUND_LABELS
from selfeval_gui.domain.vocabulary import FUND_ROWS as FUND_ROWS
from selfeval_gui.domain.vocabulary import GRADE_LABELS as GRADE_LABELS
from selfeval_gui.domain.vocabulary import GRADE_SHORT as GRADE_SHORT
from selfeval_gui.domain.vocabulary import GRADES as GRADES
from selfeval_gui.domain.vocabulary import HEADER_FIELDS as HEADER_FIELDS
from selfeval_gui.domain.vocabulary import SIGNOFF_FIELDS as SIGNOFF_FIELDS

log = logging.getLogger(__name__)

# The labels live in vocabulary.py; the names above stay importable from here for the form's own users.


@dataclass
class FundRow:
    key: str
    initial: Decimal | None = None
    budget: Decimal | None = None
    executed: Decimal | None = None

    @property
    def label(self) -> str:
        return ALL_FUND_LABELS.get(self.key, self.key)


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
    # Columns only some templates have (Template.indicator_columns): 指标性质, 度量单位
    nature: str = ""
    measure_unit: str = ""
    # The row's kind (domain/row_kinds.py): "" a scored 三级 row; "breakdown" a 分解指标 (其中：…) belonging to the
    # nearest row above it in the same 二级, with no 分值 / 得分 of its own.
    kind: str = ""

    def is_blank(self) -> bool:
        return not (
            self.name.strip()
            or self.target.strip()
            or self.actual.strip()
            or self.deviation.strip()
            or self.weight is not None
            or self.score is not None
            or self.nature.strip()
            or self.measure_unit.strip()
        )


@dataclass
class Level2:
    name: str
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Level1:
    name: str
    children: list[Level2] = field(default_factory=list)


@dataclass(frozen=True)
class ApprovedRow:
    """One 三级 row as the 绩效目标申报表 approved it: under which 一级 / 二级 (their names), its place there at the
    import (index), its name and its 年度指标值 exactly as written."""

    level1: str
    level2: str
    index: int
    name: str
    target: str


@dataclass(frozen=True)
class Approved:
    """What a draft took from a 绩效目标申报表 (files/declaration): the file's name, the year it was for and a copy of
    each approved 三级 row, in paper order.  domain/checks compares the form's rows with it."""

    source: str
    year: int
    rows: tuple[ApprovedRow, ...] = ()

    def differences(self, tree: list[Level1]) -> list[tuple[str, ApprovedRow, tuple[int, int, int] | None]]:
        """The approved rows the form no longer holds as approved: ("target", row, path) — the same name, another
        年度指标值; ("name", row, path) — the row in its place renamed; ("gone", row, None) — no row left for it.
        Rows are matched under the same 一级 / 二级 names: first by name, then the rest in order."""
        current: dict[tuple[str, str], list[tuple[tuple[int, int, int], Indicator]]] = {}
        for i, l1 in enumerate(tree):
            for j, l2 in enumerate(l1.children):
                rows = [((i, j, k), ind) for k, ind in enumerate(l2.indicators) if not ind.is_blank()]
                current.setdefault((l1.name, l2.name), []).extend(rows)
        out: list[tuple[str, ApprovedRow, tuple[int, int, int] | None]] = []
        left: list[ApprovedRow] = []
        for a in self.rows:
            free = current.get((a.level1, a.level2), [])
            hit = next((x for x in free if x[1].name.strip() == a.name.strip()), None)
            if hit is None:
                left.append(a)
                continue
            free.remove(hit)
            if hit[1].target.strip() != a.target.strip():
                out.append(("target", a, hit[0]))
        for a in left:
            free = current.get((a.level1, a.level2), [])
            out.append(("name", a, free.pop(0)[0]) if free else ("gone", a, None))
        return out


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
    # The 自评报告's sections as the clerk wrote them: the outline's section key -> text (domain/report_outline.py).
    # Only sections with text are kept (an empty one is removed), so a form without a report has none.
    report: dict[str, str] = field(default_factory=dict)
    # 定稿: the current finalization (None: a draft) and the withdrawn ones.  Not part of the content: the
    # fingerprint is taken over everything above, never over these.
    finalized: Finalization | None = None
    history: list[Finalization] = field(default_factory=list)
    # What came from a 绩效目标申报表 (None: the form was not made from one): the approved 三级 names and targets.
    # Content (in the fingerprint, written only when present): an approved target edited in the file shows.
    approved: Approved | None = None
    # The content fingerprint the file had when it was read (set by the loader, never saved): a finalized file
    # whose content was changed outside the program no longer matches finalized.fingerprint.
    loaded_fingerprint: str = field(default="", compare=False)
    # What of the 定稿 record was edited outside the program since it was written, as the loader found it ("":
    # nothing): the record's seal no longer matches, or a finalized file's format version was lowered.
    record_edited: str = field(default="", compare=False)

    def finalize(self, at: str, fingerprint: str) -> Finalization:
        """定稿 — the one place the state changes, for the window and everywhere else: by its 填表人 (the name as
        typed, without surrounding spaces) at `at`, with the content's fingerprint.  The caller has checked that
        the form has no errors."""
        self.finalized = sealed(last_seal(self.history), Finalization(at, self.filler.strip(), fingerprint))
        self.loaded_fingerprint = fingerprint
        self.record_edited = ""
        return self.finalized

    def unfinalize(self, at: str) -> None:
        """撤销定稿: the form is a draft again; the withdrawn 定稿, marked with when it was withdrawn, is added to
        the history (a new record: the 定稿 read from the file is not changed in place)."""
        fin = self.finalized
        if fin is None:
            return
        history = resealed(self.history)
        self.history = [*history, sealed(last_seal(history), Finalization(fin.at, fin.by, fin.fingerprint, at))]
        self.finalized = None
        self.record_edited = ""

    def changed_since_final(self) -> bool:
        """A finalized form whose file was edited outside the program since: its content no longer matches the
        fingerprint recorded at 定稿, or its 定稿 record was changed (record_edited)."""
        fin = self.finalized
        if fin is None:
            return False
        return bool(self.loaded_fingerprint and self.loaded_fingerprint != fin.fingerprint) or bool(self.record_edited)

    @property
    def title(self) -> str:
        return f"{self.district}{TITLE_WORD}"

    @property
    def year_label(self) -> str:
        return f"（{self.year}年度）"

    def fund(self, key: str) -> FundRow:
        for row in self.funds:
            if row.key == key:
                return row
        raise KeyError(key)

    def iter_indicators(self) -> Iterator[tuple[int, int, int, Level1, Level2, Indicator]]:
        """(level1 index, level2 index, indicator index, level1, level2, indicator) in paper order."""
        for i, l1 in enumerate(self.tree):
            for j, l2 in enumerate(l1.children):
                for k, ind in enumerate(l2.indicators):
                    yield i, j, k, l1, l2, ind

    def indicators(self) -> list[Indicator]:
        return [t[-1] for t in self.iter_indicators()]

    _TEXT_INPUTS = (
        "project_name",
        "department",
        "unit",
        "leader",
        "phone",
        "fund_note",
        "goal_expected",
        "goal_actual",
        "filler",
        "filler_phone",
        "fill_date",
    )

    def is_untouched(self) -> bool:
        """Nothing filled in yet: a blank form as the template makes it (the budget 分值 is the template's)."""
        return (
            not any(getattr(self, key).strip() for key in self._TEXT_INPUTS)
            and all(v is None for row in self.funds for v in (row.initial, row.budget, row.executed))
            and self.budget_score is None
            and self.stated_total_weight is None
            and self.stated_total_score is None
            and all(ind.is_blank() for ind in self.indicators())
        )

    def has_results(self) -> bool:
        """Whether anything of how the year went has been entered: a 全年执行数, the budget row's 得分, the 总分
        row's 得分, 资金执行偏差说明, 实际完成情况, or a 三级 row's 实际完成值 / 得分 / 完成等级 / 偏差原因 (what
        next year's draft clears).  A form without any (the blank form, next year's draft) is 未填: calm in the
        window, listed as 未填 and left out of the 汇总."""
        if any(row.executed is not None for row in self.funds):
            return True
        if self.budget_score is not None or self.stated_total_score is not None:
            return True
        if self.fund_note.strip() or self.goal_actual.strip():
            return True
        return any(
            ind.actual.strip() or ind.score is not None or ind.grade is not None or ind.deviation.strip()
            for ind in self.indicators()
        )

    # ------------------------------------------------------------------ the clerk's 三级 rows
    # The only places rows are added, removed or moved; the window's undo commands call these through its
    # document, and its item model only listens.

    def rows_at(self, i: int, j: int) -> list[Indicator]:
        """The 三级 rows under 一级 i, 二级 j."""
        return self.tree[i].children[j].indicators

    def insert_indicator(self, i: int, j: int, k: int, ind: Indicator | None = None) -> Indicator:
        """Put `ind` (a new blank row when None) at position k under (i, j); returns it."""
        row = ind if ind is not None else Indicator()
        self.rows_at(i, j).insert(k, row)
        return row

    def remove_indicator(self, i: int, j: int, k: int) -> Indicator:
        return self.rows_at(i, j).pop(k)

    def move_indicator(self, i: int, j: int, src: int, dst: int) -> None:
        """Move the row at src so that it ends up at dst (both in the numbering before the move)."""
        rows = self.rows_at(i, j)
        rows.insert(dst, rows.pop(src))
