"""文件 › 表格设置…: the year evaluated, the district, the template and the rule set of the open form.

Each change is one undo step (撤销 puts all of them back); the title, the PDF and the workbook follow because they
read the same Form.  A template whose 二级 list has no place for rows the clerk filled in is refused with the
names of those 二级, and nothing changes.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog

from selfeval_gui.domain.form import Level1
from selfeval_gui.domain.rules import get_template, tree_for_template
from selfeval_gui.ui.form.session import FormSession
from selfeval_gui.ui.window.new_form_dialog import FormKindFields

if TYPE_CHECKING:
    from selfeval_gui.ui.form.document import FormDocument

log = logging.getLogger(__name__)

TITLE = "表格设置"


class ChangeTemplateCommand(QUndoCommand):
    """Switch the form to another template's 一级/二级 tree, the clerk's 三级 rows carried by name."""

    def __init__(self, doc: FormDocument, template_id: str, tree: list[Level1]):
        super().__init__("更换模板")
        self.doc = doc
        self.old = (doc.form.template, doc.form.tree)
        self.new = (template_id, tree)

    def redo(self) -> None:
        self.doc.set_structure(*self.new)

    def undo(self) -> None:
        self.doc.set_structure(*self.old)


class FormSettingsDialog(QDialog):
    def __init__(self, doc: FormDocument, parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        form = doc.form
        f = FormKindFields(self, form.template, form.year, form.district, form.rule_set)
        self.template, self.year, self.district, self.rule_set = f.template, f.year, f.district, f.rule_set
        f.lay_out(
            self,
            [("评价年度：", f.year), ("地区：", f.district), ("模板：", f.template), ("评分规则：", f.rule_set)],
            "年度和地区印在表头；模板决定一级、二级指标（已填的三级指标按名称保留）；"
            "评分规则决定执行率和得分的取整方式等。可以撤销。",
            "确定",
        )

    def values(self) -> dict:
        return {
            "year": self.year.value(),
            "district": self.district.text().strip(),
            "template": self.template.currentData(),
            "rule_set": self.rule_set.currentData(),
        }


def apply_settings(doc: FormDocument, values: dict) -> str:
    """Make the changes as one undo step; returns a sentence when something was refused ("" when all went in)."""
    form = doc.form
    new_tree = None
    if values["template"] != form.template:
        rows = [k for k, _ in get_template(values["template"]).fund_rows]
        if rows != [r.key for r in form.funds]:
            return (
                "模板没有更换：新模板的项目资金行与本表不同（"
                + "、".join(label for _, label in get_template(values["template"]).fund_rows)
                + "），请用“文件 › 新建”按新模板新建一张表。"
            )
        new_tree, homeless = tree_for_template(form.tree, values["template"])
        if homeless:
            return (
                "模板没有更换：新模板中没有这些二级指标，其下已填的三级指标无处安放："
                + "、".join(homeless)
                + "。请先把这些三级指标移走或删除。"
            )
    stack = doc.undo_stack
    stack.beginMacro(TITLE)
    try:
        if new_tree is not None:
            stack.push(ChangeTemplateCommand(doc, values["template"], new_tree))
        for attr, label in (("year", "年度"), ("district", "地区"), ("rule_set", "评分规则")):
            if values[attr] not in ("", None):
                doc.set_value(form, attr, values[attr], label)
    finally:
        stack.endMacro()
    return ""


def run_dialog(dialog: FormSettingsDialog) -> bool:
    """Shows the dialog modally; tests replace this."""
    return bool(dialog.exec())


def edit_settings(session: FormSession) -> None:
    doc = session.doc
    if doc.read_only:
        session.show_message(doc.refusal())
        return
    session.commit_pending()
    dialog = FormSettingsDialog(doc, session.widget)
    if not run_dialog(dialog):
        return
    refused = apply_settings(doc, dialog.values())
    if refused:
        session.show_message(refused, 20000)
