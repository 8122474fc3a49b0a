"""What the UI needs to know about the PySide6 it runs on.

PySide6-Essentials 6.12.0 loses references to None (an invalid QVariant from QModelIndex.data()) and to
True/False (every bool signal argument) on CPython ≤ 3.11, until the interpreter aborts with
"Fatal Python error: bool_dealloc".  6.11.3 does not; pyproject.toml therefore pins PySide6-Essentials
below 6.12, and tests/test_ui_qt_refcounts.py fails if an installed PySide6 has the bug again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt

log = logging.getLogger(__name__)


def item_data(index, role=Qt.ItemDataRole.DisplayRole):
    """index.data(role); one place to read cells from Python (tests, delegates)."""
    return index.data(role)
