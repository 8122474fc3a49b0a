"""The main window: menus, toolbar, the form sheet, the findings panel, files, autosave.

Other modules (PDF, Excel) use current_form(), current_path() and open_form_object().
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStyle,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from selfeval_gui import APP_TITLE
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.rules import new_form
from selfeval_gui.domain.vocabulary import REPORT_WORD, TITLE_WORD
from selfeval_gui.paths import resource_path
from selfeval_gui.ui.common import look, settings
from selfeval_gui.ui.form.document import FormDocument
from selfeval_gui.ui.form.findings_panel import FindingsPanel, count_text
from selfeval_gui.ui.form.form_sheet import FormSheet
from selfeval_gui.ui.form.report_page import ReportPage
from selfeval_gui.ui.form.undo_commands import InsertIndicatorCommand, MoveIndicatorCommand, RemoveIndicatorCommand
from selfeval_gui.ui.output import final_actions
from selfeval_gui.ui.window import file_actions, row_kind_action
from selfeval_gui.ui.window.autosave import Autosaver
from selfeval_gui.ui.window.grid_actions import GridActions
from selfeval_gui.ui.window.session import WindowSession

log = logging.getLogger(__name__)

NOT_INSTALLED = "此功能尚未安装"
Key = QKeySequence.StandardKey
Icon = QStyle.StandardPixmap


def app_icon() -> QIcon:
    """Every drawn size of the icon (16, 32, 48, 256): at 125% or 150% scaling Qt picks the nearest instead of
    shrinking the 256-pixel one into a blur."""
    icon = QIcon()
    for name in ("app-16.png", "app-32.png", "app-48.png", "app.png"):
        path = resource_path("icons", name)
        if path.exists():
            icon.addFile(str(path))
    return icon


# below this the indicator table has no room; 1366×768 at 150% leaves 911×485 for the window
MINIMUM_SIZE = QSize(800, 460)


class MainWindow(QMainWindow):
    def __init__(self, form: Form | None = None, path: Path | None = None, *, autosave_interval_ms=None):
        super().__init__()
        self.doc = FormDocument(form or new_form(), path, self)
        self.sheet = FormSheet(self.doc, self)
        self.sheet.settingsRequested.connect(self.edit_settings)
        # above the form while it is only shown (someone else edits the file): says so before the clerk types
        self.read_only_bar = QLabel()
        self.read_only_bar.setStyleSheet(look.READ_ONLY_BAR_STYLE)
        self.read_only_bar.setWordWrap(True)
        self.setCentralWidget(self._with_banner(self._tabs()))
        self.findings = FindingsPanel(self.doc)
        self.findings.activated.connect(lambda f: self.go_to(f.place))
        dock = QDockWidget("检查结果", self)
        dock.setObjectName("findings")
        dock.setWidget(self.findings)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.findings_dock = dock
        self._build_counts_button()
        self.message_label = QLabel()
        self.message_label.setStyleSheet(f"color:{look.RED}")
        self.statusBar().addWidget(self.message_label, 1)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.message_label.clear())
        self.doc.message.connect(self.show_message)
        # a stored edit answers the last complaint (usually it is the corrected number): do not leave it up
        self.doc.undo_stack.indexChanged.connect(lambda *_: self.message_label.clear())
        self.sheet.tree_delegate.refused.connect(self.show_message)
        self.sheet.funds_delegate.refused.connect(self.show_message)
        for delegate in (self.sheet.tree_delegate, self.sheet.funds_delegate):
            delegate.refusedEntry.connect(self.doc.set_refusal)
        self.autosaver = Autosaver(
            self.doc, self, **({"interval_ms": autosave_interval_ms} if autosave_interval_ms else {})
        )
        self.session = self._make_session()
        self.guard = self.session.guard  # the edit lock of the open file (file_guard.py)
        self.folder_windows: list[QWidget] = []  # the 项目一览 windows opened from this one
        self._build_actions()
        self._build_menus()
        self.doc.undo_stack.cleanChanged.connect(self.update_title)
        self.doc.undo_stack.indexChanged.connect(self.update_title)
        self.doc.formReplaced.connect(self.update_title)
        self.doc.readOnlyChanged.connect(self.update_title)
        self.doc.readOnlyChanged.connect(self._update_row_actions)
        self.doc.statusChanged.connect(self.update_title)
        self.sheet.tree.selectionModel().currentChanged.connect(self._update_row_actions)
        self.doc.evaluated.connect(self._update_row_actions)
        self.doc.statusChanged.connect(self._follow_status)
        self.setAcceptDrops(True)
        self.setWindowIcon(app_icon())
        self.setMinimumSize(MINIMUM_SIZE)
        self._restore_geometry()
        self.sheet.fit_top()
        self.update_title()
        self._follow_status()

    def _make_session(self) -> WindowSession:
        """What every action works with: the document, its file, open/save/reload — never the window itself."""
        return WindowSession(
            self,
            self.doc,
            self.autosaver,
            commit=self.commit_pending,
            message=self.show_message,
            saved=self.update_title,
            importer=self.import_excel,
            go_to=self.go_to,
        )

    def _tabs(self) -> QTabWidget:
        """The table and, beside it, the 自评报告 written with it (a click, or Ctrl+PgDown / Ctrl+PgUp)."""
        self.report_page = ReportPage(self.doc, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes round the form's fields, not to the tabs
        self.tabs.addTab(self.sheet, TITLE_WORD.removeprefix("项目支出绩效"))
        self.tabs.addTab(self.report_page, REPORT_WORD)
        return self.tabs

    def _switch_tab(self) -> None:
        self.tabs.setCurrentIndex(1 - self.tabs.currentIndex())

    def commit_pending(self) -> bool:
        """Store what is being typed in the table and in the 自评报告; False when a cell holds a refused entry."""
        self.report_page.commit_pending()
        return self.sheet.commit_pending()

    def go_to(self, place) -> None:
        """Show a finding's place: a 自评报告 section on its tab, everything else in the table."""
        if place.section == "report":
            self.tabs.setCurrentWidget(self.report_page)
            self.report_page.go_to(place.key)
            return
        self.tabs.setCurrentWidget(self.sheet)
        self.sheet.go_to(place)

    def export_report(self) -> None:
        from selfeval_gui.ui.output import report_actions

        self.commit_pending()
        report_actions.export_report(self.session)

    def _with_banner(self, sheet: QWidget) -> QWidget:
        """The sheet under the read-only bar (someone else edits the file) and the 定稿 banner (each hidden when
        it does not apply)."""
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.banner = QLabel()
        self.banner.setObjectName("final-banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(look.FINAL_BANNER_STYLE)
        lay.addWidget(self.read_only_bar)
        lay.addWidget(self.banner)
        lay.addWidget(sheet, 1)
        return box

    def _follow_status(self, *_) -> None:
        """定稿: the banner shows, editing actions go off; a draft edits again."""
        text = final_actions.banner_text(self.doc.form)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        final = self.doc.finalized
        self.act_finalize.setEnabled(not final and not self.doc.read_only_reason)
        self.act_unfinalize.setEnabled(final)
        self.act_package.setEnabled(final)
        self._update_row_actions()

    # ------------------------------------------------------------------ the interface other modules use

    def current_form(self) -> Form:
        self.commit_pending()
        return self.doc.form

    def current_path(self) -> Path | None:
        return self.doc.path

    def open_form_object(self, form: Form, path: Path | None = None) -> None:
        """Replace the open form (Excel import, recovery).  Without a path it counts as unsaved."""
        self.session.open_form(form, path)

    # ------------------------------------------------------------------ actions and menus

    def _act(self, text, slot, shortcut=None, icon=None, tip=None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcuts(shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)])
        if icon is not None:
            a.setIcon(self.style().standardIcon(icon))
        if tip:
            a.setStatusTip(tip)
            a.setToolTip(tip)
        a.triggered.connect(lambda *_: slot())
        return a

    def _build_actions(self) -> None:
        act = self._act
        self.act_new = act("新建…", self.new_form_dialog, Key.New, Icon.SP_FileIcon, "新建一张空白自评表")
        self.act_open = act("打开…", self.open_dialog, Key.Open, Icon.SP_DialogOpenButton, "打开自评表文件")
        self.act_save = act("保存", self.save, Key.Save, Icon.SP_DialogSaveButton, "保存当前自评表")
        self.act_save_as = act("另存为…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        self._build_output_actions()
        self.act_switch_tab = act(
            "切换自评表 / 自评报告",
            self._switch_tab,
            [QKeySequence("Ctrl+PgDown"), QKeySequence("Ctrl+PgUp")],
            None,
            "在自评表和自评报告之间切换",
        )
        self.act_settings = act("表格设置…", self.edit_settings, None, None, "修改评价年度、地区、模板和评分规则")
        self.act_quit = act("退出", self.close, QKeySequence("Ctrl+Q"))
        # a unit's year (folder_actions.py): the 项目一览 of a folder, and a draft from last year's form
        self.act_open_folder = act(
            "打开文件夹…", self.open_folder, None, Icon.SP_DirOpenIcon, "列出文件夹中的所有自评表（项目一览）"
        )
        self.act_from_last_year = act(
            "从上年表格…", self.new_from_last_year, None, None, "由上年的自评表生成本年度草稿"
        )
        self.act_install_rules = act(
            "安装规则集或模板…", self.install_rules, None, None, "安装财政局下发的规则集或模板文件（.json）"
        )
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "撤销")
        self.act_undo.setShortcuts([QKeySequence(Key.Undo)])
        self.act_undo.setIcon(self.style().standardIcon(Icon.SP_ArrowBack))
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_redo.setIcon(self.style().standardIcon(Icon.SP_ArrowForward))
        self._build_row_actions()

    def _build_output_actions(self) -> None:
        """What goes in and out: PDF, print, Excel and Word both ways, 定稿, 报送材料, the 自评报告."""
        act = self._act
        self.act_pdf = act("导出PDF…", self.export_pdf, None, None, "导出可打印的 PDF")
        self.act_print = act(
            "打印…", self.print_form, Key.Print, Icon.SP_FileDialogDetailedView, "预览并打印本表（Ctrl+P）"
        )
        self.act_import_xlsx = act(
            "导入Excel或Word…",
            self.import_excel,
            None,
            None,
            "导入 Excel 或 Word 格式的自评表，或由绩效目标申报表生成草稿",
        )
        self.act_new_blank = act("空白表…", self.new_form_dialog, None, None, "新建一张空白自评表")
        self.act_from_declaration = act(
            "从绩效目标申报表…",
            self.new_from_declaration,
            None,
            None,
            "由批复的绩效目标申报表（Excel 或 Word）生成本年度自评表草稿：指标和年度指标值取自申报表",
        )
        self.act_export_xlsx = act("导出Excel…", self.export_excel)
        self.act_finalize = act(
            "定稿…", self.finalize, None, None, "检查无错误后定稿：记录定稿时间和内容指纹，表变为只读"
        )
        self.act_unfinalize = act("撤销定稿…", self.unfinalize, None, None, "撤销定稿后可以再修改")
        self.act_package = act(
            "导出报送材料…", self.export_package, None, None, "定稿后一次导出正式 PDF、Excel 和表单文件（文件夹或 zip）"
        )
        self.act_report = act(
            "导出自评报告…", self.export_report, None, None, "把自评报告导出为 Word 文件（数字取自本表）"
        )

    def _build_row_actions(self) -> None:
        act = self._act
        # row actions: their keys work while the indicator tree has the focus (Delete in a text box deletes text)
        self.act_add = act(
            "添加三级指标",
            self.add_indicator,
            QKeySequence(Qt.Key.Key_Insert),
            Icon.SP_FileDialogNewFolder,
            "在所选位置下方添加一个三级指标（Insert）",
        )
        self.act_delete = act(
            "删除三级指标",
            self.delete_indicator,
            [QKeySequence("Ctrl+Delete"), QKeySequence("Ctrl+-")],
            Icon.SP_TrashIcon,
            "删除所选三级指标整行（Ctrl+Delete）；只清空格子请按 Delete",
        )
        self.act_up = act(
            "上移",
            lambda: self.move_indicator(-1),
            QKeySequence("Ctrl+Up"),
            Icon.SP_ArrowUp,
            "把所选三级指标上移一行（Ctrl+↑）",
        )
        self.act_down = act(
            "下移",
            lambda: self.move_indicator(1),
            QKeySequence("Ctrl+Down"),
            Icon.SP_ArrowDown,
            "把所选三级指标下移一行（Ctrl+↓）",
        )
        grid = self.grid_actions = GridActions(self.sheet, self.doc, self, self.show_message)
        self.act_copy = act("复制", grid.copy, QKeySequence(Key.Copy), None, "复制所选单元格（Ctrl+C）")
        self.act_paste = act(
            "粘贴", grid.paste, QKeySequence(Key.Paste), None, "从所选单元格起粘贴，可粘贴 Excel、WPS 中复制的多行多列"
        )
        self.act_clear = act(
            "清除内容",
            grid.clear,
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
            None,
            "清空所选单元格（Delete 或 Backspace）",
        )
        for a in (self.act_add, self.act_delete, self.act_up, self.act_down, self.act_copy, self.act_paste):
            a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        separator = QAction(self)
        separator.setSeparator(True)
        cells = [self.act_copy, self.act_paste, self.act_clear]
        self.sheet.tree.addActions([*cells, separator, self.act_add, self.act_delete, self.act_up, self.act_down])
        self._build_row_kind_action()
        self.sheet.funds.addActions(cells)
        self.sheet.funds.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _build_menus(self):
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        new_menu = m.addMenu("新建")  # 新建 › 空白表… (Ctrl+N) / 从上年表格…
        new_menu.addActions([self.act_new_blank, self.act_from_last_year, self.act_from_declaration])
        m.addActions([self.act_open, self.act_open_folder])
        self.recent_menu = m.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m.addSeparator()
        m.addActions([self.act_save, self.act_save_as])
        m.addSeparator()
        m.addActions([self.act_import_xlsx, self.act_export_xlsx, self.act_pdf, self.act_print, self.act_report])
        m.addSeparator()
        m.addActions([self.act_finalize, self.act_unfinalize, self.act_package])
        m.addSeparator()
        m.addAction(self.act_settings)
        m.addAction(self.act_install_rules)
        m.addSeparator()
        m.addAction(self.act_quit)
        e = mb.addMenu("编辑(&E)")
        e.addActions([self.act_undo, self.act_redo])
        e.addSeparator()
        e.addActions([self.act_copy, self.act_paste, self.act_clear])
        e.addSeparator()
        e.addActions([self.act_add, self.act_delete, self.act_up, self.act_down, self.act_breakdown])
        v = mb.addMenu("视图(&V)")
        v.addAction(self.act_switch_tab)
        v.addAction(self.findings_dock.toggleViewAction())
        h = mb.addMenu("帮助(&H)")
        h.addAction(
            self._act(
                "使用说明",
                self.show_help,
                QKeySequence(Key.HelpContents),
                None,
                "怎样填表、按键、得分怎么算、草稿和定稿、文件保存在哪里",
            )
        )
        h.addAction(self._act("关于", self.about))
        tb = self.addToolBar("常用")
        tb.setObjectName("main-toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tb.setMovable(False)
        tb.addActions([self.act_new, self.act_open, self.act_save])
        new_button = tb.widgetForAction(self.act_new)
        if isinstance(new_button, QToolButton):  # the toolbar's 新建 also offers 从上年表格… from its arrow
            new_button.setMenu(new_menu)
            new_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        tb.addSeparator()
        tb.addActions(self._toolbar_undo_redo())
        tb.addSeparator()
        tb.addActions([self.act_add, self.act_delete, self.act_up, self.act_down])
        for a in (self.act_up, self.act_down):  # arrows say it (and their tooltips): room for 导出Excel at 150%
            button = tb.widgetForAction(a)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        tb.addSeparator()
        tb.addActions([self.act_pdf, self.act_print, self.act_export_xlsx])

    def _toolbar_undo_redo(self) -> list[QAction]:
        """The toolbar's 撤销/重做 keep their short names (what they undo is in the tooltip), so the buttons after
        them do not jump sideways as the undo text changes length; the menu's actions carry the full text."""
        stack = self.doc.undo_stack
        made = []
        for text, icon, do, can, changed, full in (
            ("撤销", Icon.SP_ArrowBack, stack.undo, stack.canUndoChanged, stack.undoTextChanged, stack.undoText),
            ("重做", Icon.SP_ArrowForward, stack.redo, stack.canRedoChanged, stack.redoTextChanged, stack.redoText),
        ):
            a = QAction(self.style().standardIcon(icon), text, self)
            a.triggered.connect(lambda *_, do=do: do())
            a.setEnabled(False)
            can.connect(a.setEnabled)
            changed.connect(lambda what, a=a, text=text: a.setToolTip(f"{text}：{what}" if what else text))
            a.setEnabled(stack.canUndo() if text == "撤销" else stack.canRedo())
            a.setToolTip(f"{text}：{full()}" if full() else text)
            made.append(a)
        self.tb_undo, self.tb_redo = made
        return made

    def _fill_recent_menu(self) -> None:
        file_actions.fill_recent_menu(self.recent_menu, self.open_recent)

    # ------------------------------------------------------------------ title, messages

    def update_title(self, *_) -> None:
        name = self.doc.path.name if self.doc.path else "未命名"
        locked = bool(self.doc.read_only_reason)  # 定稿 has its own banner, and a finalized form is still saved
        final = "（已定稿）" if self.doc.finalized else ""
        self.setWindowTitle(f"{name}{final}[*]{' [只读]' if locked else ''} — {APP_TITLE}")
        self.setWindowModified(self.doc.is_modified())
        self.read_only_bar.setText(
            f"只读打开（{self.doc.read_only_reason}）：可以查看、打印、导出，不能修改；"
            "要保存一份自己的，请用“文件 › 另存为”。"
            if locked
            else ""
        )
        self.read_only_bar.setVisible(locked)
        self.act_save.setEnabled(not locked)

    def _build_counts_button(self) -> None:
        """The counts stay in sight when the panel is closed or narrowed; a click shows (or hides) the panel."""
        dock = self.findings_dock
        self.findings_button = QToolButton()
        self.findings_button.setAutoRaise(True)
        self.findings_button.setToolTip("显示或隐藏“检查结果”面板")
        self.findings_button.clicked.connect(lambda: dock.setVisible(not dock.isVisible()))
        self.statusBar().addPermanentWidget(self.findings_button)
        self.doc.findingsChanged.connect(self._show_counts)
        self._show_counts(self.doc.all_findings())

    def _show_counts(self, findings) -> None:
        self.findings_button.setText(count_text(findings))

    def show_message(self, text: str, msecs: int = 10000) -> None:
        self.message_label.setText(text)
        self._message_timer.start(msecs)

    def status_message(self) -> str:
        return self.message_label.text()

    # ------------------------------------------------------------------ 三级 rows

    def _target_for_insert(self) -> tuple[int, int, int] | None:
        """Where Insert puts a new row: below the selected 三级 row, else at the end of the selected (or first)
        二级; None when there is no 二级 to put it under."""
        form = self.doc.form
        path: tuple[int, ...] = self.sheet.selected_path() or (0,)
        i = path[0]
        if len(path) == 3:
            return (i, path[1], path[2] + 1)
        j = path[1] if len(path) == 2 else 0
        if i >= len(form.tree) or j >= len(form.tree[i].children):
            return None
        return (i, j, len(form.rows_at(i, j)))

    def _refuse_if_read_only(self) -> bool:
        if self.doc.read_only:
            self.show_message(self.doc.refusal())
        return self.doc.read_only

    def add_indicator(self) -> None:
        if self._refuse_if_read_only():
            return
        where = self._target_for_insert()
        if where is None:
            return
        self.commit_pending()
        self.doc.undo_stack.push(InsertIndicatorCommand(self.doc, *where))
        self.sheet.select_indicator(where, "name")

    def delete_indicator(self) -> None:
        if self._refuse_if_read_only():
            return
        path = self.sheet.selected_path()
        if path is None or len(path) != 3:
            self.show_message("请先选中要删除的三级指标。")
            return
        command = RemoveIndicatorCommand(self.doc, *path)
        self.doc.undo_stack.push(command)
        self.show_message(f"已删除{command.text().removeprefix('删除')}（Ctrl+Z 可恢复）。")
        i, j, k = path
        n = len(self.doc.form.rows_at(i, j))
        if n:
            self.sheet.select_indicator((i, j, min(k, n - 1)))
        else:
            self.sheet.tree.setCurrentIndex(self.sheet.model.index_for_path((i, j)))

    def move_indicator(self, delta: int) -> None:
        if self._refuse_if_read_only():
            return
        path = self.sheet.selected_path()
        if path is None or len(path) != 3:
            return
        i, j, k = path
        if not 0 <= k + delta < len(self.doc.form.rows_at(i, j)):
            return
        col = self.sheet.tree.currentIndex().column()
        self.doc.undo_stack.push(MoveIndicatorCommand(self.doc, i, j, k, delta))
        idx = self.sheet.model.index_for_path((i, j, k + delta), col)
        self.sheet.tree.setCurrentIndex(idx)

    def _update_row_actions(self, *_):
        path = self.sheet.selected_path()
        editable = not self.doc.read_only
        is_row = editable and path is not None and len(path) == 3
        self.act_delete.setEnabled(is_row)
        n = len(self.doc.form.rows_at(path[0], path[1])) if is_row and path else 0
        self.act_up.setEnabled(is_row and path is not None and path[2] > 0)
        self.act_down.setEnabled(is_row and path is not None and path[2] < n - 1)
        self.act_add.setEnabled(editable and bool(self.doc.form.tree))
        row_kind_action.update_action(self.act_breakdown, self.doc, path)

    def _build_row_kind_action(self) -> None:
        """设为分解指标（其中）: in the 编辑 menu and the tree's context menu, checked on a breakdown row."""
        self.act_breakdown = self._act(
            row_kind_action.ACTION_TEXT, self.toggle_breakdown, None, None, row_kind_action.ACTION_TIP
        )
        self.act_breakdown.setCheckable(True)
        self.sheet.tree.addAction(self.act_breakdown)

    def toggle_breakdown(self) -> None:
        self.commit_pending()
        row_kind_action.toggle_breakdown(self.doc, self.sheet.selected_path(), self.show_message)
        self._update_row_actions()

    # ------------------------------------------------------------------ files (file_actions.py)

    def ask_to_save(self) -> bool:
        """True when it is fine to drop the open form (saved, or the clerk said so)."""
        return self.session.ask_to_save()

    def new_form_dialog(self) -> None:
        file_actions.new_form(self.session)

    def open_dialog(self) -> None:
        file_actions.open_dialog(self.session)

    def open_recent(self, path: Path) -> None:
        file_actions.open_recent(self.session, path)

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        return self.session.open_path(path, ask=ask)

    def save(self) -> bool:
        return self.session.save()

    def open_folder(self, folder: Path | None = None):
        from selfeval_gui.ui.folder.opening import open_folder

        fw = open_folder(self.session, folder)
        if fw is not None:
            self.folder_windows = [w for w in self.folder_windows if w.isVisible()] + [fw]
        return fw

    def new_from_last_year(self) -> None:
        from selfeval_gui.ui.folder.opening import from_last_year

        from_last_year(self.session)

    def save_as(self) -> bool:
        return self.session.save_as()

    def install_rules(self, path: Path | None = None) -> bool:
        from selfeval_gui.ui.window import rule_install

        return rule_install.choose_and_install(self.session, path)

    # ------------------------------------------------------------------ PDF / Excel (pdf_actions.py, excel_actions.py)
    # Imported when first used: they bring reportlab and openpyxl, and an install without them still edits forms.

    def _not_installed(self) -> None:
        log.warning("PDF / Excel 组件无法载入", exc_info=True)
        QMessageBox.information(self, APP_TITLE, NOT_INSTALLED)

    def export_pdf(self) -> None:
        try:
            from selfeval_gui.ui.output import pdf_actions
        except ImportError:
            return self._not_installed()
        self.commit_pending()
        pdf_actions.export_pdf(self.session)

    def print_form(self) -> None:
        try:
            from selfeval_gui.ui.output import pdf_actions
        except ImportError:
            return self._not_installed()
        self.commit_pending()
        pdf_actions.print_form(self.session)

    def import_excel(self, path: Path | None = None, title: str = "") -> None:
        """导入Excel或Word…; a workbook or Word document dropped on the window comes with its path."""
        try:
            from selfeval_gui.ui.output import excel_actions
        except ImportError:
            return self._not_installed()
        self.commit_pending()
        excel_actions.import_excel(self.session, path, title or excel_actions.TITLE_IMPORT)

    def new_from_declaration(self) -> None:
        """文件 › 新建 › 从绩效目标申报表…: the same import, which makes a 申报表 into this year's draft."""
        self.import_excel(None, "从绩效目标申报表新建")

    def export_excel(self) -> None:
        try:
            from selfeval_gui.ui.output import excel_actions
        except ImportError:
            return self._not_installed()
        self.commit_pending()
        excel_actions.export_excel(self.session)

    # ------------------------------------------------------------------ 定稿 (final_actions.py)

    def finalize(self) -> None:
        final_actions.finalize(self.session)

    def unfinalize(self) -> None:
        final_actions.unfinalize(self.session)

    def export_package(self) -> None:
        self.commit_pending()
        final_actions.export_package(self.session)

    def edit_settings(self) -> None:
        from selfeval_gui.ui.window import form_settings

        form_settings.edit_settings(self.session)

    def show_help(self) -> None:
        from selfeval_gui.ui.window.help_window import HelpWindow

        if getattr(self, "help_window", None) is None:
            self.help_window = HelpWindow(self)
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()

    def about(self):
        from selfeval_gui.ui.window.help_window import show_about

        show_about(self)

    # ------------------------------------------------------------------ window events

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if file_actions.dropped_file(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = file_actions.dropped_file(event.mimeData())
        if path is None:
            return
        event.acceptProposedAction()
        file_actions.handle_drop(self.session, path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.ask_to_save():
            event.ignore()
            return
        settings.set_value("geometry", bytes(self.saveGeometry().toBase64().data()).decode("ascii"))
        self.autosaver.close()
        self.guard.release()
        event.accept()

    def _restore_geometry(self):
        geo = settings.get_value("geometry")
        if isinstance(geo, str) and self.restoreGeometry(QByteArray.fromBase64(geo.encode("ascii"))):
            return
        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry() if screen else None
        w, h = (1366, 768) if avail is None else (min(1366, avail.width()), min(768, avail.height()))
        self.resize(w, h)
        # the 检查结果 panel takes at most a quarter of a narrow window (1024 wide, or 1366 at 150%)
        self.resizeDocks([self.findings_dock], [min(300, w // 4)], Qt.Orientation.Horizontal)
