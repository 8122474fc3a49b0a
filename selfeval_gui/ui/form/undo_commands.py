"""Undo commands: each one asks the document to change the domain Form (the document tells the views and
recalculates).

Commands hold references to the domain objects themselves (an Indicator, a FundRow, the Form), so they
stay valid when rows are inserted, removed or moved around them.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from selfeval_gui.domain.form import Form, Indicator

log = logging.getLogger(__name__)


class FormDocument(Protocol):
    """What a command asks of the open form's document (document.py's FormDocument; a Protocol here, so the
    commands do not import the document that imports them)."""

    form: Form

    def apply_value(self, obj: object, attr: str, value: Any) -> None: ...

    def insert_indicator(self, i: int, j: int, k: int, ind: Indicator | None = None) -> Indicator: ...

    def remove_indicator(self, i: int, j: int, k: int) -> Indicator: ...

    def move_indicator(self, i: int, j: int, src: int, dst: int) -> None: ...


def row_words(form: Form, i: int, j: int, k: int) -> str:
    """A 三级 row as the clerk finds it: its 二级 and its name, shortened (“产出数量 › 培训人次…”)."""
    name = form.rows_at(i, j)[k].name.strip().replace("\n", " ")
    short = name if len(name) <= 20 else name[:19] + "…"
    return f"{form.tree[i].children[j].name} › 第 {k + 1} 行“{short or '（未命名）'}”"


class SetValueCommand(QUndoCommand):
    def __init__(self, doc: FormDocument, obj: object, attr: str, value: Any, label: str = ""):
        super().__init__(f"修改{label}" if label else "修改")
        self.doc, self.obj, self.attr = doc, obj, attr
        self.old, self.new = getattr(obj, attr), value

    def redo(self) -> None:
        self.doc.apply_value(self.obj, self.attr, self.new)

    def undo(self) -> None:
        self.doc.apply_value(self.obj, self.attr, self.old)


class InsertIndicatorCommand(QUndoCommand):
    """Insert a 三级 row at (level1, level2, position)."""

    def __init__(self, doc: FormDocument, i: int, j: int, k: int, indicator: Indicator | None = None):
        super().__init__("添加三级指标")
        self.doc = doc
        self.i, self.j, self.k = i, j, k
        self.indicator = indicator or Indicator()

    def redo(self) -> None:
        self.doc.insert_indicator(self.i, self.j, self.k, self.indicator)

    def undo(self) -> None:
        self.doc.remove_indicator(self.i, self.j, self.k)


class RemoveIndicatorCommand(QUndoCommand):
    """Remove a 三级 row; its text names the row (指标N “名称”) in the undo menu and the status bar."""

    def __init__(self, doc: FormDocument, i: int, j: int, k: int):
        self.indicator = doc.form.rows_at(i, j)[k]
        super().__init__(f"删除三级指标 {row_words(doc.form, i, j, k)}")
        self.doc = doc
        self.i, self.j, self.k = i, j, k

    def redo(self) -> None:
        self.doc.remove_indicator(self.i, self.j, self.k)

    def undo(self) -> None:
        self.doc.insert_indicator(self.i, self.j, self.k, self.indicator)


class MoveIndicatorCommand(QUndoCommand):
    """Swap a 三级 row with its neighbour above (delta -1) or below (+1) under the same 二级."""

    def __init__(self, doc: FormDocument, i: int, j: int, k: int, delta: int):
        super().__init__("上移三级指标" if delta < 0 else "下移三级指标")
        self.doc = doc
        self.i, self.j, self.k, self.delta = i, j, k, delta

    def redo(self) -> None:
        self.doc.move_indicator(self.i, self.j, self.k, self.k + self.delta)

    def undo(self) -> None:
        self.doc.move_indicator(self.i, self.j, self.k + self.delta, self.k)
