"""The installed PySide6 must not leak references to None/True/False (PySide6 6.12.0 on Python 3.11 does,
and the program then aborts after a while of editing).  Run in a child process so a crash fails one test."""

import subprocess
import sys

PROBE = r"""
import sys
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
model = QStandardItemModel(); model.appendRow(QStandardItem("x")); index = model.index(0, 0)
before = sys.getrefcount(None)
for _ in range(200): index.data(Qt.ToolTipRole)
lost_none = before - sys.getrefcount(None)
class P(QObject):
    fired = Signal(bool)
p = P(); p.fired.connect(lambda v: None)
before = sys.getrefcount(True)
for _ in range(5): p.fired.emit(True)
print(lost_none, before - sys.getrefcount(True))
"""


def test_no_singleton_refcount_leak():
    r = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert r.returncode == 0, r.stderr[-500:]
    lost_none, lost_true = map(int, r.stdout.split())
    assert lost_none < 50 and lost_true <= 0, (lost_none, lost_true)
