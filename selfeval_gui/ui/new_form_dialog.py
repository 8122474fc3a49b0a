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
)

from ..domain.form import Form
from ..domain.rules import (
    DEFAULT_TEMPLATE,
    evaluation_year,
    get_rule_set,
    get_template,
    new_form,
    rule_set_ids,
    template_ids,
)

log = logging.getLogger(__name__)


class NewFormDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("新建自评表")
        self.template = QComboBox()
        for tid in template_ids():
            self.template.addItem(get_template(tid).name, tid)
        self.template.setCurrentIndex(max(0, self.template.findData(DEFAULT_TEMPLATE)))
        self.year = QSpinBox()
        self.year.setRange(1990, 2100)
        self.year.setSuffix(" 年度")
        self.district = QLineEdit()
        self.rule_set = QComboBox()
        for rid in rule_set_ids():
            self.rule_set.addItem(get_rule_set(rid).name, rid)
        self.template.currentIndexChanged.connect(self._template_chosen)
        form = QFormLayout()
        form.addRow("模板：", self.template)
        form.addRow("年度：", self.year)
        form.addRow("地区：", self.district)
        form.addRow("评分规则：", self.rule_set)
        hint = QLabel("模板决定一级、二级指标；评分规则决定执行率和得分的取整方式等。")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("新建")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(hint)
        lay.addWidget(buttons)
        self._template_chosen()
        self.year.setValue(evaluation_year())  # the form reports on last year

    def _template_chosen(self, *_):
        # The template proposes its district and rule set; a year or district the clerk already typed stays.
        t = get_template(self.template.currentData())
        if not self.district.isModified():
            self.district.setText(t.district)
        self.rule_set.setCurrentIndex(max(0, self.rule_set.findData(t.rule_set)))

    def make_form(self) -> Form:
        return new_form(self.template.currentData(), year=self.year.value(),
                        rule_set=self.rule_set.currentData(), district=self.district.text().strip() or None)
