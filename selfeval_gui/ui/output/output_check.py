"""The check before anything leaves (导出PDF, 打印, 导出Excel): a form with errors gets a dialog listing them.

返回修改 (the default) goes back to the form; a click on a finding closes the dialog and the window goes to its
cell (the finding's Place, as in the 检查结果 panel); 输出草稿 makes the 草稿 copy.  Warnings and hints are
listed too but do not stop a final copy: a form without errors goes out as the final copy (正式) at once.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from selfeval_gui.domain.checks import Finding, check, errors_of
from selfeval_gui.domain.vocabulary import DRAFT, FINAL
from selfeval_gui.ui.form.findings_panel import LEVEL_COLORS, LEVEL_ICONS
from selfeval_gui.ui.form.session import FormSession

log = logging.getLogger(__name__)

BACK = "返回修改"
AS_DRAFT = "输出草稿"


class OutputCheckDialog(QDialog):
    """The findings of a form with errors; `choice` is DRAFT, or None (back to the form), and `place` the Place
    of the finding clicked, if any."""

    def __init__(self, findings: list[Finding], what: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(what)
        self.choice: str | None = None
        self.place = None
        errors = errors_of(findings)
        others = len(findings) - len(errors)
        lay = QVBoxLayout(self)
        intro = QLabel(
            f"表中还有 {len(errors)} 个错误"
            + (f"（另有 {others} 条警告或提示）" if others else "")
            + "，不能输出正式文件。\n点一条可以回到对应的格子修改；也可以输出草稿"
            "（每页标有“草稿”，最后一页列出检查结果），草稿不能作为正式报送材料。"
        )
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setToolTip("点一条，回到对应的格子修改")
        for f in [*errors, *(f for f in findings if f not in errors)]:
            item = QListWidgetItem(f"【{f.level_label}】{f.where}\n{f.message}", self.list)
            item.setForeground(QBrush(QColor(LEVEL_COLORS[f.level])))
            item.setIcon(self.style().standardIcon(LEVEL_ICONS[f.level]))
            item.setData(Qt.ItemDataRole.UserRole, f)
        self.list.itemClicked.connect(self._go_to)
        lay.addWidget(self.list, 1)
        buttons = QDialogButtonBox(self)
        self.back_button = buttons.addButton(BACK, QDialogButtonBox.ButtonRole.RejectRole)
        self.draft_button = buttons.addButton(AS_DRAFT, QDialogButtonBox.ButtonRole.AcceptRole)
        self.back_button.setDefault(True)
        self.back_button.setAutoDefault(True)
        self.draft_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.reject)
        self.draft_button.clicked.connect(self._draft)
        lay.addWidget(buttons)
        self.resize(640, 420)
        self.back_button.setFocus()

    def _draft(self) -> None:
        self.choice = DRAFT
        self.accept()

    def _go_to(self, item: QListWidgetItem) -> None:
        finding = item.data(Qt.ItemDataRole.UserRole)
        self.place = getattr(finding, "place", None)
        self.reject()


def run_dialog(dialog: OutputCheckDialog) -> None:
    """Shows the dialog modally; tests replace this to look at it and press its buttons."""
    dialog.exec()


def choose_copy(session: FormSession, what: str) -> str | None:
    """FINAL when the form has no errors; else the clerk's choice in the dialog: DRAFT, or None (nothing is
    made; a clicked finding's cell is shown)."""
    # what is still typed but refused counts too, listed first: the output would not hold it
    findings = [*session.doc.refusals.values(), *check(session.current_form())]
    session.doc.make_strict()  # anything that leaves the machine turns what is 未填 into errors in the window too
    if not errors_of(findings):
        return FINAL
    dialog = OutputCheckDialog(findings, what, session.widget)
    run_dialog(dialog)
    if dialog.place is not None:
        session.go_to(dialog.place)
    return dialog.choice
