"""新建: choose the template (which fixes the 一级/二级 tree), the year and the rule set."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from selfeval_gui.domain.form import Form
from selfeval_gui.domain.rules import (
    DEFAULT_TEMPLATE,
    evaluation_year,
    get_rule_set,
    get_template,
    new_form,
    rule_set_ids,
    template_ids,
)

log = logging.getLogger(__name__)


class FormKindFields:
    """The four choices that say which form it is — 模板, 年度, 地区, 评分规则 — as 新建 and 表格设置 both ask them.
    The dialog keeps them as its own .template, .year, .district and .rule_set."""

    def __init__(self, dialog: QDialog, template: str, year: int, district: str, rule_set: str | None) -> None:
        self.template = QComboBox()
        for tid in template_ids():
            self.template.addItem(get_template(tid).name, tid)
        self.template.setCurrentIndex(max(0, self.template.findData(template)))
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setSuffix(" 年度")
        self.year.setValue(year)
        self.district = QLineEdit(district)
        self.rule_set = QComboBox()
        for rid in rule_set_ids():
            self.rule_set.addItem(get_rule_set(rid).name, rid)
        if rule_set is not None:
            self.rule_set.setCurrentIndex(max(0, self.rule_set.findData(rule_set)))

    def lay_out(self, dialog: QDialog, rows: list[tuple[str, QWidget]], hint: str, ok_text: str) -> None:
        """The fields in `rows` order, the hint beneath, then OK (named ok_text) and 取消."""
        grid = QFormLayout()
        for label, widget in rows:
            grid.addRow(label, widget)
        note = QLabel(hint)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        lay = QVBoxLayout(dialog)
        lay.addLayout(grid)
        lay.addWidget(note)
        lay.addWidget(buttons)


class NewFormDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建自评表")
        f = FormKindFields(self, DEFAULT_TEMPLATE, evaluation_year(), "", None)
        self.template, self.year, self.district, self.rule_set = f.template, f.year, f.district, f.rule_set
        self.template.currentIndexChanged.connect(self._template_chosen)
        f.lay_out(
            self,
            [("模板：", f.template), ("年度：", f.year), ("地区：", f.district), ("评分规则：", f.rule_set)],
            "模板决定一级、二级指标；评分规则决定执行率和得分的取整方式等。",
            "新建",
        )
        self._template_chosen()  # the year stays the one evaluated: the year before today

    def _template_chosen(self, *_):
        # The template proposes its district and rule set; a year or district the clerk already typed stays.
        t = get_template(self.template.currentData())
        if not self.district.isModified():
            self.district.setText(t.district)
        self.rule_set.setCurrentIndex(max(0, self.rule_set.findData(t.rule_set)))

    def make_form(self) -> Form:
        return new_form(
            self.template.currentData(),
            year=self.year.value(),
            rule_set=self.rule_set.currentData(),
            district=self.district.text().strip() or None,
        )
