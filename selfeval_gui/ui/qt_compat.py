"""Work-around for a PySide6 reference-count bug on Python ≤ 3.11.

PySide6 6.12.0 loses references to Python's singletons as values cross between C++ and Python: None for
an invalid QVariant (QModelIndex.data() of a role the model has nothing for), True/False for every bool
signal argument (QAction.triggered, QUndoStack.cleanChanged, ...).  On Python 3.12+ these objects are
immortal and nothing happens; on 3.11 (Debian 12, many Windows installs) their count soon reaches zero and
the interpreter aborts ("Fatal Python error: none_dealloc" / "bool_dealloc").

The losses are spread over many Qt code paths, so they are not repaid call by call: when a loss is seen at
import, the singletons are given a reserve of references so large that no session can use it up.  Only
CPython ≤ 3.11 with a faulty PySide6 is touched.
"""
from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

RESERVE = 1 << 40  # about 10^12 lost references before the object could be freed
PROBES = 20


def _loses_none() -> bool:
    model = QStandardItemModel()
    model.appendRow(QStandardItem("x"))
    index = model.index(0, 0)
    before = sys.getrefcount(None)
    for _ in range(PROBES):
        index.data(Qt.ToolTipRole)  # nothing stored for this role: an invalid QVariant
    return before - sys.getrefcount(None) >= PROBES // 2


class _BoolProbe(QObject):
    fired = Signal(bool)


def _loses_bools() -> bool:
    probe = _BoolProbe()
    probe.fired.connect(lambda _value: None)
    before = sys.getrefcount(True)
    for _ in range(3):  # few: each emission may lose several references
        probe.fired.emit(True)
    lost = before - sys.getrefcount(True)
    if lost > 0:
        _top_up(True, RESERVE)  # the probe's own losses must not be the ones that free True
    return lost > 0


def _top_up(obj, n: int) -> None:
    ctypes.c_ssize_t.from_address(id(obj)).value += n  # ob_refcnt is the first field of a CPython object


def protect_singletons() -> tuple[str, ...]:
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return ()
    guarded = []
    if _loses_none():
        _top_up(None, RESERVE)
        guarded.append("None")
    if _loses_bools():
        _top_up(False, RESERVE)
        guarded += ["True", "False"]
    return tuple(guarded)


PROTECTED = protect_singletons()


def item_data(index, role=Qt.DisplayRole):
    """index.data(role); one place to read cells from Python (tests, delegates)."""
    return index.data(role)
