"""Undo commands: each one changes the domain Form and nothing else, then lets the document recalculate.

Commands hold references to the domain objects themselves (an Indicator, a FundRow, the Form), so they
stay valid when rows are inserted, removed or moved around them.
"""
from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from ..domain.form import Indicator


class SetValueCommand(QUndoCommand):
    def __init__(self, doc, obj, attr: str, value, label: str = ""):
        super().__init__(f"修改{label}" if label else "修改")
        self.doc, self.obj, self.attr = doc, obj, attr
        self.old, self.new = getattr(obj, attr), value

    def redo(self):
        self.doc.apply_value(self.obj, self.attr, self.new)

    def undo(self):
        self.doc.apply_value(self.obj, self.attr, self.old)


class InsertIndicatorCommand(QUndoCommand):
    """Insert a 三级 row at (level1, level2, position)."""

    def __init__(self, doc, model, i: int, j: int, k: int, indicator: Indicator | None = None):
        super().__init__("添加三级指标")
        self.doc, self.model = doc, model
        self.i, self.j, self.k = i, j, k
        self.indicator = indicator or Indicator()

    def redo(self):
        self.model.insert_indicator(self.i, self.j, self.k, self.indicator)
        self.doc.recalculate()

    def undo(self):
        self.model.remove_indicator(self.i, self.j, self.k)
        self.doc.recalculate()


class RemoveIndicatorCommand(QUndoCommand):
    def __init__(self, doc, model, i: int, j: int, k: int):
        super().__init__("删除三级指标")
        self.doc, self.model = doc, model
        self.i, self.j, self.k = i, j, k
        self.indicator = doc.form.tree[i].children[j].indicators[k]

    def redo(self):
        self.model.remove_indicator(self.i, self.j, self.k)
        self.doc.recalculate()

    def undo(self):
        self.model.insert_indicator(self.i, self.j, self.k, self.indicator)
        self.doc.recalculate()


class MoveIndicatorCommand(QUndoCommand):
    """Swap a 三级 row with its neighbour above (delta -1) or below (+1) under the same 二级."""

    def __init__(self, doc, model, i: int, j: int, k: int, delta: int):
        super().__init__("上移三级指标" if delta < 0 else "下移三级指标")
        self.doc, self.model = doc, model
        self.i, self.j, self.k, self.delta = i, j, k, delta

    def redo(self):
        self.model.move_indicator(self.i, self.j, self.k, self.k + self.delta)
        self.doc.recalculate()

    def undo(self):
        self.model.move_indicator(self.i, self.j, self.k + self.delta, self.k)
        self.doc.recalculate()
