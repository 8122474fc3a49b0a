"""The 自评报告 page beside the table: each section of the template's outline with its heading, the part the
program fills in from the form (read-only, recomputed as the form changes), and a text box with its prompt and a
live count against its limit.  Each text goes through the document's undo stack when the clerk leaves the box,
like every other field; a finalized or read-only form shows the text read-only.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from selfeval_gui.domain.report import ReportContent, count_chars, report_content
from selfeval_gui.domain.report_outline import Section
from selfeval_gui.domain.rules import RuleSetError
from selfeval_gui.domain.vocabulary import REPORT_WORD
from selfeval_gui.ui.common import look
from selfeval_gui.ui.form.document import FormDocument
from selfeval_gui.ui.form.field_binding import NoteEdit

log = logging.getLogger(__name__)

INTRO = (
    f"{REPORT_WORD}的文字保存在表的文件中；灰色部分由程序按自评表填入（数字与自评表、PDF 一致）。"
    "写完后用“文件 › 导出自评报告…”生成 Word 文件。"
)


class ReportText:
    """One section's text as an attribute (`text`), so the undo stack's SetValueCommand changes it like any
    field: the Form keeps only sections with text."""

    def __init__(self, doc: FormDocument, key: str) -> None:
        self.doc, self.key = doc, key

    @property
    def text(self) -> str:
        return self.doc.form.report.get(self.key, "")

    @text.setter
    def text(self, value: str) -> None:
        if value:
            self.doc.form.report[self.key] = value
        else:
            self.doc.form.report.pop(self.key, None)


def _basics(c: ReportContent) -> list[str]:
    f, form = c.figures, c.form
    return [
        f"项目名称：{form.project_name}；主管部门：{form.department}；实施单位：{form.unit}",
        f"资金：年初预算数 {f.initial or '—'}，全年预算数 {f.budget or '—'}，全年执行数 {f.executed or '—'} 万元，"
        f"执行率 {f.rate or '—'}",
    ]


def _goals(c: ReportContent) -> list[str]:
    return [f"年度总体目标：{c.form.goal_expected or '—'}", f"绩效指标：共 {len(c.indicators)} 项（报告中列表）"]


def _execution(c: ReportContent) -> list[str]:
    f = c.figures
    lines = [f"预算执行：执行率 {f.rate or '—'}，得分 {f.budget_score or '—'}（分值 {f.budget_weight or '—'}）"]
    return lines + [f"{name}：分值 {w or '—'}，得分 {score or '—'}" for name, w, score in f.level1]


def _conclusion(c: ReportContent) -> list[str]:
    f = c.figures
    return [f"总分 {f.total_score or '—'}（满分 {f.total_weight}），等级“{f.grade or '—'}”"]


def _missed(c: ReportContent) -> list[str]:
    lines = [
        f"{x.name}：年度指标值 {x.target or '—'}，实际完成值 {x.actual or '—'}；偏差原因：{x.deviation or '（未填写）'}"
        for x in c.missed
    ]
    return lines or ["各项绩效指标均已完成。"]


# The part the program fills in under a heading, as the Word report says it (shortened: the indicator table's
# rows are counted, not drawn).
AUTO_LINES = {"basics": _basics, "goals": _goals, "execution": _execution, "conclusion": _conclusion, "missed": _missed}


def _auto_html(c: ReportContent, s: Section) -> str:
    return "<br>".join(html.escape(line) for line in AUTO_LINES[s.auto](c))


class SectionBox(QFrame):
    """One section: heading, the program's part, the clerk's text and its count."""

    def __init__(self, doc: FormDocument, section: Section, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc, self.section = doc, section
        self.slot = ReportText(doc, section.key)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 6, 0, 6)
        title = QLabel(section.title + ("（必填）" if section.required else ""))
        title.setStyleSheet("font-weight:bold")
        lay.addWidget(title)
        self.auto = QLabel()
        self.auto.setWordWrap(True)
        self.auto.setTextFormat(Qt.TextFormat.RichText)
        self.auto.setStyleSheet(f"color:{look.DARK_GREY}; padding-left:12px")
        self.auto.setVisible(bool(section.auto))
        lay.addWidget(self.auto)
        self.edit = NoteEdit()
        self.edit.setPlaceholderText(section.prompt)
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(72 if section.limit and section.limit <= 200 else 110)
        self.edit.setMaximumHeight(110 if section.limit and section.limit <= 200 else 180)
        self.edit.setAccessibleName(section.title)
        lay.addWidget(self.edit)
        self.count = QLabel()
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        lay.addWidget(self.count)
        self.edit.textChanged.connect(self._count)
        self.edit.left.connect(self.commit)
        self.show_text()

    def commit(self) -> None:
        if not self.doc.read_only:
            self.doc.set_value(self.slot, "text", self.edit.toPlainText(), self.section.title)

    def show_text(self) -> None:
        if self.edit.toPlainText() != self.slot.text:
            self.edit.setPlainText(self.slot.text)
        self._count()

    def _count(self) -> None:
        n, limit = count_chars(self.edit.toPlainText()), self.section.limit
        over = bool(limit) and n > limit
        self.count.setText(f"{n} / {limit} 字" if limit else f"{n} 字")
        self.count.setStyleSheet(f"color:{look.RED if over else look.GREY}")

    def show_auto(self, content: ReportContent) -> None:
        if self.section.auto:
            self.auto.setText(_auto_html(content, self.section))


class ReportPage(QScrollArea):
    """The 自评报告 tab."""

    def __init__(self, doc: FormDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setWidgetResizable(True)
        self.boxes: dict[str, SectionBox] = {}
        self._build()
        doc.formReplaced.connect(self._build)
        doc.valueChanged.connect(self._on_value_changed)
        doc.evaluated.connect(self._refresh_auto)
        doc.readOnlyChanged.connect(self._set_read_only)

    def _build(self) -> None:
        body = QWidget()
        lay = QVBoxLayout(body)
        lay.setContentsMargins(16, 10, 16, 10)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color:{look.GREY}")
        lay.addWidget(intro)
        self.boxes = {}
        try:
            content = report_content(self.doc.form)
        except RuleSetError as e:  # no outline at all (a damaged installation): say so, keep the table usable
            lay.addWidget(QLabel(f"无法显示{REPORT_WORD}：{e}"))
            self.setWidget(body)
            return
        for section in content.outline.sections:
            box = SectionBox(self.doc, section, body)
            box.show_auto(content)
            self.boxes[section.key] = box
            lay.addWidget(box)
        lay.addStretch(1)
        self.setWidget(body)
        self._set_read_only(self.doc.read_only)

    def commit_pending(self) -> None:
        """Store what is typed in the box that has the focus (before saving or exporting)."""
        for box in self.boxes.values():
            if box.edit.hasFocus():
                box.commit()

    def _on_value_changed(self, obj: object, attr: str) -> None:
        if isinstance(obj, ReportText) and obj.key in self.boxes:
            self.boxes[obj.key].show_text()

    def _refresh_auto(self, *_: object) -> None:
        if not self.isVisible() or not self.boxes:
            return  # recomputed when the tab is shown
        content = report_content(self.doc.form)
        for box in self.boxes.values():
            box.show_auto(content)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._refresh_auto()

    def _set_read_only(self, read_only: bool) -> None:
        for box in self.boxes.values():
            box.edit.setReadOnly(read_only)
        look.grey_fields([box.edit for box in self.boxes.values()], read_only)

    def go_to(self, key: str) -> None:
        box = self.boxes.get(key)
        if box is not None:
            self.ensureWidgetVisible(box)
            box.edit.setFocus(Qt.FocusReason.OtherFocusReason)
