"""The fast paths behind live recalculation give exactly what the plain domain functions give.

The window re-checks the form after every edit with a ScoreCache and a CheckCache, and updates the findings
list by cutting and adding runs of rows.  After any sequence of edits — values, names, notes, grades, rows
added, removed and moved, a 一级/二级 renamed — the findings must equal check(form) computed from scratch,
and the panel must list them in the same order.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from selfeval_gui.domain.checks import CheckCache, check
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.scoring import ScoreCache, evaluate
from selfeval_gui.ui.form.findings_panel import FindingsModel
from selfeval_gui.ui.form.undo_commands import InsertIndicatorCommand, MoveIndicatorCommand, RemoveIndicatorCommand
from selfeval_gui.ui.window.main_window import MainWindow

from .ui_support import BoxRecorder

VALUES = {
    "name": ["", "完成课程数", "满意度", "R&D <b>"],
    "target": ["", "≥90%", "30-50节", "按合同要求", "≤5天", "１２０人", "112人（上半年） 85人（下半年）"],
    "actual": ["", "95%", "14节", "完成", "7天", "120人", "0.95", "大约一半"],
    "weight": [None, Decimal("10"), Decimal("10.0"), Decimal("5"), Decimal("0")],
    "score": [None, Decimal("10"), Decimal("4.67"), Decimal("9"), Decimal("12")],
    "deviation": ["", "原因说明"],
    "grade": [None, "achieved", "partial", "missed"],
}


def _rows(form):
    return [(i, j, k) for i, j, k, *_ in form.iter_indicators()]


def _random_edit(rng, form):
    """One change to the form, as the clerk could make it: mostly a cell, sometimes rows or names."""
    rows = _rows(form)
    roll = rng.random()
    if rows and roll < 0.8:
        i, j, k = rng.choice(rows)
        ind = form.tree[i].children[j].indicators[k]
        attr = rng.choice(list(VALUES))
        setattr(ind, attr, rng.choice(VALUES[attr]))
    elif roll < 0.88:
        i = rng.randrange(len(form.tree))
        j = rng.randrange(len(form.tree[i].children))
        group = form.tree[i].children[j].indicators
        group.insert(rng.randint(0, len(group)), Indicator(name="新指标", weight=Decimal("1")))
    elif rows and roll < 0.95:
        i, j, k = rng.choice(rows)
        del form.tree[i].children[j].indicators[k]
    elif rows:
        i, j, k = rng.choice(rows)
        group = form.tree[i].children[j].indicators
        group.insert(rng.randint(0, len(group) - 1), group.pop(k))
    else:
        form.tree[0].children[0].name += "甲"


@pytest.mark.parametrize("seed", range(4))
def test_cached_check_equals_check_from_scratch(seed, seed1, seed2):
    rng = random.Random(seed)
    form = seed2 if seed % 2 else seed1
    scores, checks = ScoreCache(), CheckCache()
    for _ in range(150):
        _random_edit(rng, form)
        cached = check(form, evaluate(form, scorer=scores), cache=checks)
        assert cached == check(form)


def test_check_cache_notices_a_renamed_group(seed2):
    scores, checks = ScoreCache(), CheckCache()
    before = check(seed2, evaluate(seed2, scorer=scores), cache=checks)
    seed2.tree[0].children[0].name = "数量指标（改）"
    after = check(seed2, evaluate(seed2, scorer=scores), cache=checks)
    assert after == check(seed2) and after != before
    assert any(f.where.startswith("产出指标 › 数量指标（改） › 指标1：完成课程数") for f in after)


def test_findings_list_follows_any_change(qapp, qtmodeltester):
    """Random lists drawn from one pool: the model ends up holding exactly the new list, in order."""
    from PySide6.QtWidgets import QApplication

    from selfeval_gui.domain.checks import ERROR, WARNING, Finding, Place

    pool = [
        Finding(ERROR if n % 3 else WARNING, f"位置{n}", f"问题{n}", Place("indicator", "score", path=(0, 0, n)))
        for n in range(30)
    ]
    model = FindingsModel(QApplication.style())
    model.set_findings(pool[:10])
    qtmodeltester.check(model)
    rng = random.Random(7)
    current = pool[:10]
    for _ in range(300):
        if rng.random() < 0.7 and current:  # a local change: drop, add or swap a few
            new = list(current)
            for _ in range(rng.randint(1, 3)):
                op = rng.random()
                if op < 0.4 and new:
                    del new[rng.randrange(len(new))]
                elif op < 0.8:
                    new.insert(rng.randint(0, len(new)), rng.choice(pool))
                elif len(new) > 1:
                    a, b = rng.sample(range(len(new)), 2)
                    new[a], new[b] = new[b], new[a]
        else:
            new = rng.sample(pool, rng.randint(0, len(pool)))
        model.set_findings(new)
        current = new
        assert model.findings == new
        shown = [model.data(model.index(n)) for n in range(model.rowCount())]
        assert shown == [f"【{f.level_label}】{f.where}\n{f.message}" for f in new]


def test_window_findings_stay_equal_to_check_after_edits(qtbot, monkeypatch, seed2):
    BoxRecorder(monkeypatch)
    w = MainWindow(seed2)
    qtbot.addWidget(w)
    w.show()
    doc = w.doc
    doc.make_strict()  # a form with no file shows empty fields as 未填; compared here with check() as the CLI has it
    rng = random.Random(3)
    for n in range(120):
        rows = _rows(doc.form)
        roll = rng.random()
        if rows and roll < 0.8:
            i, j, k = rng.choice(rows)
            attr = rng.choice(list(VALUES))
            doc.set_value(doc.form.tree[i].children[j].indicators[k], attr, rng.choice(VALUES[attr]))
        elif roll < 0.88:
            doc.undo_stack.push(InsertIndicatorCommand(doc, 0, 0, 0, Indicator(name=f"新{n}")))
        elif rows and roll < 0.94:
            doc.undo_stack.push(RemoveIndicatorCommand(doc, *rng.choice(rows)))
        elif rows and roll < 0.97:
            i, j, k = rng.choice(rows)
            if k > 0:
                doc.undo_stack.push(MoveIndicatorCommand(doc, i, j, k, -1))
        else:
            doc.undo_stack.undo()
        expected = check(doc.form)
        assert doc.findings == expected
        assert w.findings.texts() == [f"【{f.level_label}】{f.where}\n{f.message}" for f in expected]
    doc.undo_stack.setClean()
