"""编辑 › 设为分解指标（其中）: a 三级 row made a breakdown row of the row above it, and back — one undo step, a
SetValueCommand on the row's kind (domain/row_kinds.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QAction

from selfeval_gui.domain.row_kinds import BREAKDOWN_WORD, is_breakdown, parent_index, toggled

log = logging.getLogger(__name__)

ACTION_TEXT = f"设为{BREAKDOWN_WORD}（其中）"
ACTION_TIP = f"把所选三级指标设为上一行的{BREAKDOWN_WORD}（“其中：…”，不单独计分），再选一次取消"
KIND_LABEL = "行类型"


def toggle_breakdown(doc, path, show_message: Callable[[str], None]) -> bool:
    """Make the row at path a breakdown row, or a scored row again; True when it changed."""
    if doc.read_only:
        show_message(doc.refusal())
        return False
    if path is None or len(path) != 3:
        show_message("请先选中要设为分解指标的三级指标。")
        return False
    i, j, k = path
    rows = doc.form.rows_at(i, j)
    ind = rows[k]
    if not is_breakdown(ind) and parent_index(rows, k) is None:
        show_message(f"这一行上方没有三级指标，不能设为{BREAKDOWN_WORD}：请先把它移到所属指标的下面。")
        return False
    changed = bool(doc.set_value(ind, "kind", toggled(ind.kind), KIND_LABEL))
    if changed:
        show_message(f"已设为{BREAKDOWN_WORD}（其中）。" if is_breakdown(ind) else f"已取消{BREAKDOWN_WORD}。")
    return changed


def update_action(action: QAction, doc, path) -> None:
    """Enabled on a 三级 row of an editable form, checked while that row is a breakdown row."""
    row = None
    if path is not None and len(path) == 3 and not doc.read_only:
        rows = doc.form.rows_at(path[0], path[1])
        row = rows[path[2]] if path[2] < len(rows) else None
    action.setEnabled(row is not None)
    action.setChecked(row is not None and is_breakdown(row))
