"""The paper form on screen, top to bottom: title, header, 项目资金, 年度总体目标, 绩效指标, 总分, sign-off.

Every input is bound to the document's Form; every computed value comes from its latest Evaluation.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QSplitterHandle,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from selfeval_gui.domain.checks import errors_of
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.vocabulary import (
    COMPUTED_TOTAL,
    ENTERED_TOTAL,
    FUND_NOTE,
    FUNDS_SECTION,
    FUNDS_UNIT,
    GOAL_FIELDS,
    GOAL_LABELS,
    GOALS_SECTION,
    HEADER_FIELDS,
    INDICATORS_SECTION,
    SCORE,
    SIGNOFF_FIELDS,
    STATED_TOTAL_LABELS,
    TOTAL,
    TOTAL_GRADE,
    WEIGHT,
)
from selfeval_gui.ui.common import look
from selfeval_gui.ui.common.look import GripHandle, grey_fields
from selfeval_gui.ui.form.cell_editing import TREE_MAX_LINES, CellDelegate, FormTableView, FormTreeView
from selfeval_gui.ui.form.field_binding import FieldBinder, NoteEdit
from selfeval_gui.ui.form.funds_model import COL as FUND_COL
from selfeval_gui.ui.form.funds_model import FundsModel
from selfeval_gui.ui.form.indicator_columns import COL, COLUMNS
from selfeval_gui.ui.form.indicator_display import SCORE_COLUMNS
from selfeval_gui.ui.form.indicator_model import IndicatorModel

if TYPE_CHECKING:
    from selfeval_gui.ui.form.document import FormDocument

log = logging.getLogger(__name__)

EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
    | QAbstractItemView.EditTrigger.SelectedClicked
)
SCROLL_OFF = Qt.ScrollBarPolicy.ScrollBarAlwaysOff
# the header on two lines instead of the paper's three: screen height is the scarce thing on a laptop.
# key -> (grid row, label column, the column the field ends before)
HEADER_PLACES = {
    "project_name": (0, 0, 8),
    "department": (1, 0, 2),
    "unit": (1, 2, 4),
    "leader": (1, 4, 6),
    "phone": (1, 6, 8),
}
# column widths that fit a 1366-pixel screen with the findings panel beside the form
TREE_WIDTHS = {
    "name": 190,
    "target": 190,
    "actual": 170,
    "weight": 46,
    "score": 58,
    "computed": 74,
    "grade": 70,
    "deviation": 150,
    "nature": 70,
    "measure_unit": 60,
}


WIDE_COLUMNS = ("name", "target", "actual", "deviation")  # share what is left when the window is narrow
WIDE_MINIMUM = 72  # a wide column never narrower than this (about four characters and the wrap)


def fitted_widths(available: int, shown: list[str]) -> dict[str, int]:
    """Widths of the shown columns for a tree `available` pixels wide: the usual widths when they fit; else the
    text columns (三级指标, 年度指标值, 实际完成值, 偏差原因) narrowed in proportion, down to WIDE_MINIMUM, so every
    column stays in sight (at 150% on a 1366-pixel screen 偏差原因 needed sideways scrolling) and the text wraps."""
    widths = {key: TREE_WIDTHS[key] for key in shown}
    wide = [key for key in WIDE_COLUMNS if key in widths]
    fixed = sum(w for key, w in widths.items() if key not in wide)
    usual = sum(widths[key] for key in wide)
    room = available - fixed
    if room >= usual or not wide:
        return widths
    floor = WIDE_MINIMUM * len(wide)  # what is above each column's minimum shrinks in proportion
    spare = max(0, room - floor)
    for key in wide:
        widths[key] = WIDE_MINIMUM + (TREE_WIDTHS[key] - WIDE_MINIMUM) * spare // (usual - floor)
    return widths


class _ColumnFitter(QObject):
    """Fits the tree's columns to its width whenever the tree is resized (the window, the dock, the scaling)."""

    def __init__(self, tree: QTreeView, model) -> None:
        super().__init__(tree)
        self.tree, self.model = tree, model
        tree.viewport().installEventFilter(self)  # the viewport: the tree's size and its scroll bars

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        tree = self.tree
        shown = [key for key, _ in COLUMNS if not tree.isColumnHidden(COL[key])]
        available = tree.viewport().width() - tree.indentation() * 2 - 4
        for key, width in fitted_widths(available, shown).items():
            if tree.columnWidth(COL[key]) != width:
                tree.setColumnWidth(COL[key], width)


def _section_label(text: str) -> QLabel:
    lab = QLabel(text)
    f = lab.font()
    f.setBold(True)
    lab.setFont(f)
    return lab


EDIT_HINT = "Delete 清空 · Ctrl+C/V 复制粘贴 · Insert 添加行 · Ctrl+Delete 删除行 · Ctrl+↑/↓ 移动"
EDIT_TIP = (
    "直接输入即可修改格子；Delete 或 Backspace 清空所选格子；Ctrl+C / Ctrl+V 复制粘贴（可粘贴 Excel、WPS 的多行多列）；"
    "Insert 在下方添加三级指标，Ctrl+Delete 删除所选三级指标整行，Ctrl+↑/↓ 移动；Tab / 回车 跳到下一格"
)
FINAL_HINT = "本表已定稿，只能查看；如需修改，请先用“文件 › 撤销定稿…”撤销定稿"
LOCKED_HINT = "只读打开（{reason}），只能查看；要保存一份自己的，请用“文件 › 另存为”"


class TotalsBar(QFrame):
    """总分: the computed 分值 and 得分 totals, the grade, and the totals the clerk wrote on the form."""

    def __init__(self, doc, binder: FieldBinder, parent=None):
        super().__init__(parent)
        self.doc = doc
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.weight = QLabel()
        self.score = QLabel()
        self.grade = QLabel()
        self.entered = QLabel()
        for lab in (self.weight, self.score, self.grade):
            f = lab.font()
            f.setBold(True)
            lab.setFont(f)
        self.stated_weight = QLineEdit()
        self.stated_score = QLineEdit()
        for e in (self.stated_weight, self.stated_score):
            e.setMaximumWidth(70)
            e.setPlaceholderText("未填")
        binder.bind_decimal(self.stated_weight, "stated_total_weight", STATED_TOTAL_LABELS["stated_total_weight"])
        binder.bind_decimal(self.stated_score, "stated_total_score", STATED_TOTAL_LABELS["stated_total_score"])
        self.stated_weight.setToolTip("表上“总分”行写的分值合计（可不填，填了会与实际合计核对）")
        self.stated_score.setToolTip("表上“总分”行写的得分合计（可不填，填了会与填报得分合计核对）")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 3, 8, 3)
        lay.addWidget(_section_label(TOTAL))
        lay.addSpacing(8)
        lay.addWidget(QLabel(f"{WEIGHT}合计"))
        lay.addWidget(self.weight)
        lay.addSpacing(12)
        lay.addWidget(QLabel(COMPUTED_TOTAL))
        lay.addWidget(self.score)
        lay.addSpacing(12)
        lay.addWidget(QLabel(TOTAL_GRADE))
        lay.addWidget(self.grade)
        lay.addSpacing(12)
        lay.addWidget(self.entered)
        lay.addStretch(1)
        lay.addWidget(QLabel(f"表上填写：{WEIGHT}"))
        lay.addWidget(self.stated_weight)
        lay.addWidget(QLabel(SCORE))
        lay.addWidget(self.stated_score)
        self.unscored_note = QLabel("本表的模板只填指标值和实际完成值，不计分值、得分和等级。")
        self.unscored_note.setStyleSheet(f"color:{look.GREY}")
        lay.addWidget(self.unscored_note)
        self.unscored_note.setVisible(False)
        doc.evaluated.connect(self.refresh)
        self.refresh()

    def refresh(self, *_):
        ev = self.doc.evaluation
        rs = ev.rule_set
        self.weight.setText(fmt_decimal(ev.total_weight))
        wrong_weight = ev.total_weight != rs.weight_total
        # red only while the findings call it an error (a blank form's total is 未填, not wrong)
        red = wrong_weight and any(
            f.place.section == "totals" and f.place.key == "weight" for f in errors_of(self.doc.findings)
        )
        _restyle(self.weight, f"color:{look.RED}" if red else "")
        self.weight.setToolTip(f"应为 {fmt_decimal(rs.weight_total)}" if wrong_weight else "")
        graded = has_something_to_grade(ev)
        shown = ev.total_score is not None and graded
        self.score.setText(fmt_decimal(ev.total_score, rs.total_places) if shown else "—")
        self.score.setToolTip(
            "按规则计算：预算执行得分 + 各三级指标得分（定性指标按填报得分）"
            + (f"；执行率封顶 {fmt_decimal(ev.cap)} 分" if ev.cap is not None else "")
        )
        grade = ev.grade if graded else None
        self.grade.setText(grade or "—")
        self.grade.setToolTip("" if grade else "还没有可评的得分：填写金额和指标后显示等级")
        _restyle(self.grade, f"color:{look.GRADE_COLORS.get(grade or '', look.GREY)}")
        self.entered.setText(f"（{ENTERED_TOTAL} {fmt_decimal(ev.entered_total_score)}）")
        self._blank_when_unscored()

    _shown_scored: bool | None = None

    def _blank_when_unscored(self) -> None:
        """A template without 分值/得分: the 总分 line says so instead of its figures and fields."""
        scored = template_of(self.doc.form).options.scored
        if scored == self._shown_scored:
            return
        self._shown_scored = scored
        for widget in self.findChildren(QWidget):
            if widget is not self.unscored_note:
                widget.setVisible(scored)
        self.unscored_note.setVisible(not scored)


TOP_SHARE, TOP_MIN = 0.55, 150  # the most of the sheet the sections above take when open (they scroll beyond)
SHORT_SCREEN = 900  # logical pixels: below this the sections above the indicators start folded for a form file


def short_screen() -> bool:
    screen = QApplication.primaryScreen()
    return screen is not None and screen.availableGeometry().height() < SHORT_SCREEN


def has_something_to_grade(ev) -> bool:
    """A grade means something once a score exists: the budget score, or a 三级 row's score."""
    return ev.total_score is not None and (
        ev.budget_score is not None or any(r.effective is not None for r in ev.indicators)
    )


def _restyle(widget: QWidget, css: str) -> None:
    """A style sheet is parsed and the widget re-polished on every set, even to the same text: skip that on the
    edits that do not change it (most of them)."""
    if widget.styleSheet() != css:
        widget.setStyleSheet(css)


class FormSheet(QSplitter):
    settingsRequested = Signal()  # the title row's button for 年度、地区、模板

    def __init__(self, doc: FormDocument, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.doc = doc
        self.binder = FieldBinder(doc, self)
        self.setChildrenCollapsible(False)
        # a splitter that looks like one: a visible grip between the sections above and the indicators
        self.setHandleWidth(7)
        self._grey = False
        self.addWidget(self._build_top())
        self.addWidget(self._build_indicators())
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        doc.formReplaced.connect(self._form_replaced)
        doc.valueChanged.connect(self._value_changed)
        doc.statusChanged.connect(self._follow_status)
        doc.readOnlyChanged.connect(self._follow_status)
        self._form_replaced()
        self._follow_status()
        self._last_grid: QAbstractItemView = self.tree
        # after a row is added, removed or moved (by a key, a menu, or an undo or redo of one), the cell the clerk
        # types into next is the one shown selected: that row (or its neighbour), in the column they were in
        self._row_column = 0
        for about in (doc.rowAboutToBeInserted, doc.rowAboutToBeRemoved):
            about.connect(self._remember_column)
        doc.rowAboutToBeMoved.connect(self._remember_column)
        doc.rowInserted.connect(lambda i, j, k: self._select_after_rows(i, j, k))
        doc.rowRemoved.connect(lambda i, j, k: self._select_after_rows(i, j, k))
        doc.rowMoved.connect(lambda i, j, src, dst: self._select_after_rows(i, j, dst - 1 if dst > src else dst))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    # ------------------------------------------------------------------ building

    def _build_top(self) -> QWidget:
        """Title, header, 项目资金, 年度总体目标: a page that scrolls if the window is short."""
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(6, 4, 6, 4)
        lay.setSpacing(4)
        lay.addWidget(self._build_title())
        lay.addLayout(self._build_header())
        lay.addWidget(_section_label(FUNDS_SECTION + FUNDS_UNIT))
        lay.addWidget(self._build_funds())
        lay.addLayout(self._build_fund_note())
        lay.addLayout(self._build_goals())
        lay.addStretch(1)

        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(SCROLL_OFF)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # else Tab stops on it once per round and nothing shows focus
        self.top_page = page
        self.top_scroll = scroll
        return scroll

    def _build_title(self) -> QWidget:
        """The title, and beside it the button for the year, district and template (文件 › 表格设置…)."""
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tf = QFont(self.title.font())
        tf.setPointSizeF(tf.pointSizeF() * 1.5)
        tf.setBold(True)
        self.title.setFont(tf)
        self.settings_button = QToolButton()
        self.settings_button.setText("年度、地区、模板…")
        self.settings_button.setToolTip("修改评价年度、地区、模板和评分规则（文件 › 表格设置…），可以撤销")
        self.settings_button.setAutoRaise(True)
        self.settings_button.clicked.connect(self.settingsRequested)
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        spacer = QWidget()  # as wide as the button, so the title stays in the middle
        spacer.setFixedWidth(self.settings_button.sizeHint().width())
        lay.addWidget(spacer)
        lay.addWidget(self.title, 1)
        lay.addWidget(self.settings_button)
        return row

    def _build_header(self) -> QLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        for key, label in HEADER_FIELDS:
            row, col, span_end = HEADER_PLACES[key]
            edit = QLineEdit()
            self.binder.bind_text(edit, key, label)
            grid.addWidget(QLabel(label), row, col)
            grid.addWidget(edit, row, col + 1, 1, span_end - col - 1)
        for c in (1, 3, 5):
            grid.setColumnStretch(c, 3)
        grid.setColumnStretch(7, 2)
        return grid

    def _build_funds(self) -> QWidget:
        self.funds_model = FundsModel(self.doc, self)
        self.funds = FormTableView()
        self.funds.setModel(self.funds_model)
        self.funds_delegate = CellDelegate(self.funds, source="funds")
        self.funds.setItemDelegate(self.funds_delegate)
        self.funds.setEditTriggers(EDIT_TRIGGERS)
        self.funds.setTabKeyNavigation(True)
        self.funds.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        hh = self.funds.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        vh = self.funds.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.funds.setVerticalScrollBarPolicy(SCROLL_OFF)
        self.funds.setHorizontalScrollBarPolicy(SCROLL_OFF)
        self._fit_funds()
        self.doc.formReplaced.connect(self._fit_funds)
        return self.funds

    def _fit_funds(self) -> None:
        """As tall as the template's funds rows; amount columns the template lacks are hidden."""
        hh, vh = self.funds.horizontalHeader(), self.funds.verticalHeader()
        self.funds.setFixedHeight(hh.sizeHint().height() + self.funds_model.rowCount() * vh.defaultSectionSize() + 4)
        hidden = self.funds_model.hidden_columns()
        for col in range(self.funds_model.columnCount()):
            self.funds.setColumnHidden(col, col in hidden)

    def _build_fund_note(self) -> QLayout:
        note_row = QHBoxLayout()
        note_label = QLabel(FUND_NOTE)
        note_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        note_row.addWidget(note_label)
        # a paragraph, not a line: two lines show, more scroll; Enter starts a new line, Tab moves on
        self.fund_note = NoteEdit()
        self.fund_note.setTabChangesFocus(True)
        self.fund_note.setPlaceholderText("执行率低于90%时必须填写：原因和改进措施")
        self.fund_note.setFixedHeight(self.fontMetrics().lineSpacing() * 2 + 12)
        self.binder.bind_text(self.fund_note, "fund_note", FUND_NOTE)
        note_row.addWidget(self.fund_note, 1)
        return note_row

    def _build_goals(self) -> QLayout:
        goals = QGridLayout()
        goals.setVerticalSpacing(2)
        goals.addWidget(_section_label(f"{GOALS_SECTION}　　{GOAL_LABELS['goal_expected']}"), 1, 0)
        goals.addWidget(QLabel(GOAL_LABELS["goal_actual"]), 1, 1)
        self.goal_expected = NoteEdit()
        self.goal_actual = NoteEdit()
        for n, (key, label) in enumerate(GOAL_FIELDS):
            w = getattr(self, key)
            w.setTabChangesFocus(True)
            w.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 10)
            self.binder.bind_text(w, key, label)
            goals.addWidget(w, 2, n)
        return goals

    def _build_indicators(self) -> QWidget:
        """绩效指标 (the tree), 总分 and the sign-off line."""
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(6, 2, 6, 4)
        lay.setSpacing(3)
        head = QHBoxLayout()
        head.addWidget(_section_label(INDICATORS_SECTION))
        self.hint = hint = QLabel(EDIT_HINT)
        hint.setToolTip(EDIT_TIP)
        hint.setStyleSheet(f"color:{look.GREY}")
        hint.setMinimumWidth(40)  # a narrow window cuts the hint, not the fold button
        head.addWidget(hint, 1)
        # the sections above fold away so the indicators get the room on a laptop screen (issue 10)
        self.fold_button = QToolButton()
        self.fold_button.setCheckable(True)
        self.fold_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fold_button.toggled.connect(self.set_top_folded)
        head.addWidget(self.fold_button)
        lay.addLayout(head)
        lay.addWidget(self._build_tree(), 1)
        self.totals = TotalsBar(self.doc, self.binder)
        lay.addWidget(self.totals)
        lay.addLayout(self._build_signoff())
        return box

    def _build_tree(self) -> QWidget:
        self.model = IndicatorModel(self.doc, self)
        self.tree = FormTreeView()
        self.tree.setModel(self.model)
        self.tree_delegate = CellDelegate(self.tree, wrap=True, max_lines=TREE_MAX_LINES, source="indicators")
        self.tree.setItemDelegate(self.tree_delegate)
        self.tree.setEditTriggers(EDIT_TRIGGERS)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.tree.setTabKeyNavigation(True)
        self.tree.setWordWrap(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(False)
        self.tree.setIndentation(14)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a narrowed heading ends in …, its start kept
        for key, _label in COLUMNS:
            self.tree.setColumnWidth(COL[key], TREE_WIDTHS[key])
        # word-wrapped rows must be measured again when a column gets wider or narrower
        header.sectionResized.connect(lambda *_: self.tree.scheduleDelayedItemsLayout())
        self.model.rowsInserted.connect(lambda parent, *_: self.tree.expand(parent))
        for n, key in enumerate(("nature", "measure_unit")):  # a template's extra columns: after 三级指标
            header.moveSection(header.visualIndex(COL[key]), COL["name"] + 1 + n)
        self._fitter = _ColumnFitter(self.tree, self.model)
        self._fit_tree_columns()
        self.doc.formReplaced.connect(self._fit_tree_columns)
        return self.tree

    def _fit_tree_columns(self) -> None:
        hidden = self.model.hidden_columns()
        for key in ("nature", "measure_unit", *SCORE_COLUMNS):
            self.tree.setColumnHidden(COL[key], COL[key] in hidden)
        self._fitter.fit()

    def _build_signoff(self) -> QLayout:
        sign = QHBoxLayout()
        for key, label in SIGNOFF_FIELDS:
            edit = QLineEdit()
            if key == "fill_date":
                today = date.today()
                edit.setPlaceholderText(f"如 {today.year}.{today.month}.{today.day}")
            self.binder.bind_text(edit, key, label)
            sign.addWidget(QLabel(label + "："))
            sign.addWidget(edit, 1)
            sign.addSpacing(10)
        return sign

    def set_top_folded(self, folded: bool) -> None:
        """Fold away (or show again) the title, header, 项目资金 and 年度总体目标; the indicator table gets the room.
        A finding that points up there, or Tab into it, shows them again."""
        self.top_scroll.setVisible(not folded)
        self.handle(1).setVisible(not folded)
        if self.fold_button.isChecked() != folded:
            self.fold_button.setChecked(folded)  # calls back here once, with the same value
        arrow = Qt.ArrowType.DownArrow if folded else Qt.ArrowType.UpArrow
        self.fold_button.setArrowType(arrow)
        form = self.doc.form
        self.fold_button.setText("展开表头、资金、目标" if folded else "收起上方，给指标表更多空间")
        self.fold_button.setToolTip(
            f"{form.project_name or '（未填项目名称）'}：表头、项目资金和年度总体目标收起后"
            "仍然保存、计算和检查；点这里再展开"
        )
        if not folded:
            self.fit_top()

    @property
    def top_folded(self) -> bool:
        return not self.top_scroll.isVisible() if self.isVisible() else self.fold_button.isChecked()

    def fold_for_screen(self, short_screen: bool) -> None:
        """A form opened from a file on a short screen starts with the sections above folded (the clerk comes
        back to it for the indicators); a new form, and a form not filled yet (the blank form's file, next year's
        draft), starts open at its header, where the clerk begins."""
        self.set_top_folded(short_screen and self.doc.path is not None and self.doc.form.has_results())

    _fitted_shown = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._fitted_shown:  # once, when the real height is known; later the clerk's drag stands
            self._fitted_shown = True
            if not self.fold_button.isChecked():
                self.fit_top()

    def fit_top(self) -> None:
        """Give the top part (header, funds, goals) the height it needs, but never more than 55% of a short window
        (it scrolls then): the indicator table always keeps a useful part (at 150% on 1366×768 it had 3 rows)."""
        need = self.top_page.sizeHint().height() + 2
        if self.height() > 0:
            need = min(need, max(TOP_MIN, int(self.height() * TOP_SHARE)))
        total = max(self.height(), need + 200)
        self.setSizes([need, total - need])

    def _follow_status(self, *_) -> None:
        """A read-only form (finalized, or someone else edits the file): the fields look read-only (grey) and the
        hint says why nothing can be typed."""
        if self.doc.finalized:
            hint = FINAL_HINT
        elif self.doc.read_only_reason:
            hint = LOCKED_HINT.format(reason=self.doc.read_only_reason)
        else:
            hint = EDIT_HINT
        self.hint.setText(hint)
        if self._grey != self.doc.read_only:
            self._grey = self.doc.read_only
            grey_fields([*self.findChildren(QLineEdit), *self.findChildren(QPlainTextEdit)], self._grey)

    def createHandle(self) -> QSplitterHandle:
        return GripHandle(self.orientation(), self)

    def _show_title(self) -> None:
        form = self.doc.form
        self.title.setText(f"{form.title}{form.year_label}")

    def _value_changed(self, obj, attr: str) -> None:
        if obj is self.doc.form and attr in ("year", "district"):
            self._show_title()

    def _form_replaced(self):
        self._show_title()
        self.tree.expandAll()
        self.fold_for_screen(short_screen())

    # ------------------------------------------------------------------ helpers for the window

    def commit_pending(self) -> bool:
        """Store what is being typed right now (an open cell editor, a field not yet left)."""
        ok = True
        views: tuple[tuple[QAbstractItemView, IndicatorModel | FundsModel], ...] = (
            (self.tree, self.model),
            (self.funds, self.funds_model),
        )
        for view, model in views:
            idx = view.currentIndex()
            editor = view.indexWidget(idx) if idx.isValid() else None
            if editor is not None:
                if isinstance(editor, QLineEdit) and model.validate(idx, editor.text()):
                    ok = False  # a refused number stays in its open editor for the clerk to fix
                    continue
                view.commitData(editor)
                view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        return self.binder.commit_all() and ok

    def _remember_column(self, *_) -> None:
        current = self.tree.currentIndex()
        self._row_column = current.column() if current.isValid() else 0

    def _select_after_rows(self, i: int, j: int, k: int) -> None:
        n = len(self.doc.form.rows_at(i, j))
        path = (i, j, min(k, n - 1)) if n else (i, j)
        idx = self.model.index_for_path(path, self._row_column if n else 0)
        if idx.isValid():
            self.tree.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.tree.scrollTo(idx)

    def _focus_moved(self, _old, new) -> None:
        for grid in (self.tree, self.funds):
            if new is not None and (new is grid or grid.isAncestorOf(new)):
                self._last_grid = grid

    def active_grid(self) -> QAbstractItemView:
        """The grid the clerk last worked in (复制 / 粘贴 / 清除内容 from the menu act on it)."""
        return self._last_grid

    def selected_path(self):
        """(i,), (i, j) or (i, j, k) of the current tree row, or None."""
        idx = self.tree.currentIndex()
        return self.model.path_of(idx) if idx.isValid() else None

    def select_indicator(self, path, column: str = "name") -> None:
        idx = self.model.index_for_path(path, COL.get(column, 0))
        self.tree.setCurrentIndex(idx)
        self.tree.scrollTo(idx)
        self.tree.setFocus()

    def go_to(self, place) -> None:
        """Show and select the cell or field a finding points at."""
        section = place.section
        if section == "indicator":
            if place.path is None:
                self.tree.setFocus()
                return
            col = "score" if place.key == "score" else place.key or "name"
            self.select_indicator(place.path, col)
            return
        if section == "funds":
            if place.key == "fund_note":
                self._focus(self.fund_note)
                return
            rows = [r.key for r in self.doc.form.funds]
            row = rows.index(place.key) if place.key in rows else 0
            col = FUND_COL.get(place.column or "", FUND_COL["budget"])
            idx = self.funds_model.index(row, col)
            self._ensure_visible(self.funds)
            self.funds.setCurrentIndex(idx)
            self.funds.selectionModel().select(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.funds.setFocus()
            return
        if section in ("header", "goals", "signoff") and place.key in self.binder.bindings:
            self._focus(self.binder.widget(place.key))
            return
        if section == "totals":
            self._focus(self.totals.stated_score if place.key == "score" else self.totals.stated_weight)

    def _ensure_visible(self, widget) -> None:
        if self.top_page.isAncestorOf(widget) and self.fold_button.isChecked():
            self.set_top_folded(False)
        scroll = self.widget(0)
        if isinstance(scroll, QScrollArea) and self.top_page.isAncestorOf(widget):
            scroll.ensureWidgetVisible(widget)

    def _focus(self, widget) -> None:
        self._ensure_visible(widget)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()
