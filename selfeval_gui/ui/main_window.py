"""The main window: menus, toolbar, the form sheet, the findings panel, files, autosave.

Other modules (PDF, Excel) use current_form(), current_path() and open_form_object().
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox,
                               QStyle)

from ..domain.form import Form
from ..domain.rules import new_form
from ..files.formfile import FormFileError, load_form, save_form
from ..paths import forms_path, resource_path
from . import settings
from .autosave import Autosaver
from .commands import InsertIndicatorCommand, MoveIndicatorCommand, RemoveIndicatorCommand
from .document import FormDocument
from .findings_panel import FindingsPanel
from .form_sheet import FormSheet
from .new_form_dialog import NewFormDialog

APP_TITLE = "绩效自评表填报工具"
FILE_FILTER = "绩效自评表 (*.json);;所有文件 (*)"
NOT_INSTALLED = "此功能尚未安装"


class MainWindow(QMainWindow):
    def __init__(self, form: Form | None = None, path: Path | None = None, *, autosave_interval_ms=None):
        super().__init__()
        self.doc = FormDocument(form or new_form(), path, self)
        self.sheet = FormSheet(self.doc, self)
        self.setCentralWidget(self.sheet)
        self.findings = FindingsPanel(self.doc)
        self.findings.activated.connect(lambda f: self.sheet.go_to(f.place))
        dock = QDockWidget("检查结果", self)
        dock.setObjectName("findings")
        dock.setWidget(self.findings)
        dock.setFeatures(QDockWidget.DockWidgetMovable | QDockWidget.DockWidgetClosable)
        self.addDockWidget(Qt.RightDockWidgetArea, dock)
        self.findings_dock = dock
        self.message_label = QLabel()
        self.message_label.setStyleSheet("color:#c0392b")
        self.statusBar().addWidget(self.message_label, 1)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(lambda: self.message_label.clear())
        self.doc.message.connect(self.show_message)
        # a stored edit answers the last complaint (usually it is the corrected number): do not leave it up
        self.doc.undo_stack.indexChanged.connect(lambda *_: self.message_label.clear())
        self.sheet.tree.itemDelegate().refused.connect(self.show_message)
        self.sheet.funds.itemDelegate().refused.connect(self.show_message)
        self.autosaver = Autosaver(self.doc, self, **({"interval_ms": autosave_interval_ms}
                                                      if autosave_interval_ms else {}))
        self._build_actions()
        self._build_menus()
        self.doc.undo_stack.cleanChanged.connect(self._update_title)
        self.doc.undo_stack.indexChanged.connect(self._update_title)
        self.doc.formReplaced.connect(self._update_title)
        self.sheet.tree.selectionModel().currentChanged.connect(self._update_row_actions)
        self.doc.evaluated.connect(self._update_row_actions)
        self.setAcceptDrops(True)
        icon = resource_path("icons", "app.png")
        if icon.exists():
            self.setWindowIcon(QIcon(str(icon)))
        self._restore_geometry()
        self.sheet.fit_top()
        self._update_title()
        self._update_row_actions()

    # ------------------------------------------------------------------ the interface other modules use

    def current_form(self) -> Form:
        self.sheet.commit_pending()
        return self.doc.form

    def current_path(self) -> Path | None:
        return self.doc.path

    def open_form_object(self, form: Form, path: Path | None = None) -> None:
        """Replace the open form (Excel import, recovery).  Without a path it counts as unsaved."""
        self.doc.replace(form, path, modified=path is None)

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

    def _build_actions(self):
        S = QStyle
        self.act_new = self._act("新建…", self.new_form_dialog, QKeySequence.New, S.SP_FileIcon, "新建一张空白自评表")
        self.act_open = self._act("打开…", self.open_dialog, QKeySequence.Open, S.SP_DialogOpenButton, "打开自评表文件")
        self.act_save = self._act("保存", self.save, QKeySequence.Save, S.SP_DialogSaveButton, "保存当前自评表")
        self.act_save_as = self._act("另存为…", self.save_as, QKeySequence("Ctrl+Shift+S"))
        self.act_pdf = self._act("导出PDF…", self.export_pdf, None, None, "导出可打印的 PDF")
        self.act_print = self._act("打印…", self.print_form, QKeySequence.Print)
        self.act_import_xlsx = self._act("导入Excel…", self.import_excel)
        self.act_export_xlsx = self._act("导出Excel…", self.export_excel)
        self.act_quit = self._act("退出", self.close, QKeySequence("Ctrl+Q"))
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "撤销")
        self.act_undo.setShortcuts([QKeySequence.Undo])
        self.act_undo.setIcon(self.style().standardIcon(S.SP_ArrowBack))
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_redo.setIcon(self.style().standardIcon(S.SP_ArrowForward))
        # row actions: their keys work while the indicator tree has the focus (Delete in a text box deletes text)
        self.act_add = self._act("添加三级指标", self.add_indicator, QKeySequence(Qt.Key_Insert),
                                 S.SP_FileDialogNewFolder, "在所选位置下方添加一个三级指标（Insert）")
        self.act_delete = self._act("删除三级指标", self.delete_indicator, QKeySequence(Qt.Key_Delete),
                                    S.SP_TrashIcon, "删除所选三级指标（Delete）")
        self.act_up = self._act("上移", lambda: self.move_indicator(-1), QKeySequence("Ctrl+Up"), S.SP_ArrowUp,
                                "把所选三级指标上移一行（Ctrl+↑）")
        self.act_down = self._act("下移", lambda: self.move_indicator(1), QKeySequence("Ctrl+Down"),
                                  S.SP_ArrowDown, "把所选三级指标下移一行（Ctrl+↓）")
        for a in (self.act_add, self.act_delete, self.act_up, self.act_down):
            a.setShortcutContext(Qt.WidgetShortcut)
            self.sheet.tree.addAction(a)

    def _build_menus(self):
        mb = self.menuBar()
        m = mb.addMenu("文件(&F)")
        m.addActions([self.act_new, self.act_open])
        self.recent_menu = m.addMenu("最近打开")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m.addSeparator()
        m.addActions([self.act_save, self.act_save_as])
        m.addSeparator()
        m.addActions([self.act_import_xlsx, self.act_export_xlsx, self.act_pdf, self.act_print])
        m.addSeparator()
        m.addAction(self.act_quit)
        e = mb.addMenu("编辑(&E)")
        e.addActions([self.act_undo, self.act_redo])
        e.addSeparator()
        e.addActions([self.act_add, self.act_delete, self.act_up, self.act_down])
        v = mb.addMenu("视图(&V)")
        v.addAction(self.findings_dock.toggleViewAction())
        h = mb.addMenu("帮助(&H)")
        h.addAction(self._act("关于", self.about))
        tb = self.addToolBar("常用")
        tb.setObjectName("main-toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        tb.setMovable(False)
        tb.addActions([self.act_new, self.act_open, self.act_save])
        tb.addSeparator()
        tb.addActions([self.act_undo, self.act_redo])
        tb.addSeparator()
        tb.addActions([self.act_add, self.act_delete, self.act_up, self.act_down])
        tb.addSeparator()
        tb.addActions([self.act_pdf, self.act_export_xlsx])

    def _fill_recent_menu(self):
        self.recent_menu.clear()
        items = settings.recent_files()
        if not items:
            a = self.recent_menu.addAction("（无）")
            a.setEnabled(False)
            return
        for n, p in enumerate(items, 1):
            a = self.recent_menu.addAction(f"&{n} {p.name}")
            a.setToolTip(str(p))
            a.setStatusTip(str(p))
            a.triggered.connect(lambda *_, p=p: self.open_recent(p))

    # ------------------------------------------------------------------ title, messages

    def _update_title(self, *_):
        name = self.doc.path.name if self.doc.path else "未命名"
        self.setWindowTitle(f"{name}[*] — {APP_TITLE}")
        self.setWindowModified(self.doc.is_modified())

    def show_message(self, text: str, msecs: int = 10000) -> None:
        self.message_label.setText(text)
        self._message_timer.start(msecs)

    def status_message(self) -> str:
        return self.message_label.text()

    # ------------------------------------------------------------------ 三级 rows

    def _target_for_insert(self):
        path = self.sheet.selected_path()
        if path is None:
            return (0, 0, len(self.doc.form.tree[0].children[0].indicators)) if self.doc.form.tree and \
                self.doc.form.tree[0].children else None
        if len(path) == 1:
            i = path[0]
            if not self.doc.form.tree[i].children:
                return None
            return (i, 0, len(self.doc.form.tree[i].children[0].indicators))
        if len(path) == 2:
            i, j = path
            return (i, j, len(self.doc.form.tree[i].children[j].indicators))
        i, j, k = path
        return (i, j, k + 1)

    def add_indicator(self) -> None:
        where = self._target_for_insert()
        if where is None:
            return
        self.sheet.commit_pending()
        self.doc.undo_stack.push(InsertIndicatorCommand(self.doc, self.sheet.model, *where))
        self.sheet.select_indicator(where, "name")

    def delete_indicator(self) -> None:
        path = self.sheet.selected_path()
        if path is None or len(path) != 3:
            self.show_message("请先选中要删除的三级指标。")
            return
        self.doc.undo_stack.push(RemoveIndicatorCommand(self.doc, self.sheet.model, *path))
        i, j, k = path
        n = len(self.doc.form.tree[i].children[j].indicators)
        if n:
            self.sheet.select_indicator((i, j, min(k, n - 1)))
        else:
            self.sheet.tree.setCurrentIndex(self.sheet.model.index_for_path((i, j)))

    def move_indicator(self, delta: int) -> None:
        path = self.sheet.selected_path()
        if path is None or len(path) != 3:
            return
        i, j, k = path
        if not 0 <= k + delta < len(self.doc.form.tree[i].children[j].indicators):
            return
        col = self.sheet.tree.currentIndex().column()
        self.doc.undo_stack.push(MoveIndicatorCommand(self.doc, self.sheet.model, i, j, k, delta))
        idx = self.sheet.model.index_for_path((i, j, k + delta), col)
        self.sheet.tree.setCurrentIndex(idx)

    def _update_row_actions(self, *_):
        path = self.sheet.selected_path()
        is_row = path is not None and len(path) == 3
        self.act_delete.setEnabled(is_row)
        n = len(self.doc.form.tree[path[0]].children[path[1]].indicators) if is_row else 0
        self.act_up.setEnabled(is_row and path[2] > 0)
        self.act_down.setEnabled(is_row and path[2] < n - 1)
        self.act_add.setEnabled(bool(self.doc.form.tree))

    # ------------------------------------------------------------------ files

    def ask_to_save(self) -> bool:
        """True when it is fine to drop the open form (saved, or the clerk said so)."""
        if not self.sheet.commit_pending():
            # a refused number never reached the form, so is_modified() cannot see it: ask, or it is lost
            answer = QMessageBox.question(
                self, APP_TITLE, "有格子里填写的数字无法识别（已标红），还没有记入表中。\n\n"
                "选择“放弃”将丢弃这些输入；选择“取消”可回去改正。",
                QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Cancel)
            if answer != QMessageBox.Discard:
                return False
        if not self.doc.is_modified():
            return True
        name = self.doc.path.name if self.doc.path else "未命名的自评表"
        answer = QMessageBox.question(
            self, APP_TITLE, f"“{name}”有尚未保存的修改。是否保存？",
            QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, QMessageBox.Save)
        if answer == QMessageBox.Save:
            return self.save()
        return answer == QMessageBox.Discard

    def new_form_dialog(self) -> None:
        if not self.ask_to_save():
            return
        dlg = NewFormDialog(self)
        if dlg.exec():
            self.doc.replace(dlg.make_form(), None)

    def _start_dir(self) -> str:
        if self.doc.path:
            return str(self.doc.path.parent)
        last = settings.get_value("last_dir")
        if isinstance(last, str) and Path(last).is_dir():
            return last
        return str(forms_path()) if forms_path().is_dir() else str(Path.home())

    def open_dialog(self) -> None:
        if not self.ask_to_save():
            return
        name, _ = QFileDialog.getOpenFileName(self, "打开自评表", self._start_dir(), FILE_FILTER)
        if name:
            self.open_path(Path(name), ask=False)

    def open_recent(self, path: Path) -> None:
        if not path.exists():
            QMessageBox.warning(self, APP_TITLE, f"找不到文件“{path}”，已从最近打开的列表中移除。")
            settings.remove_recent_file(path)
            return
        self.open_path(path)

    def open_path(self, path: Path, *, ask: bool = True) -> bool:
        if ask and not self.ask_to_save():
            return False
        try:
            form = load_form(path)
        except FormFileError as e:
            QMessageBox.warning(self, APP_TITLE, str(e))
            return False
        self.doc.replace(form, Path(path))
        settings.add_recent_file(Path(path))
        settings.set_value("last_dir", str(Path(path).resolve().parent))
        return True

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        suggested = self.doc.path or Path(self._start_dir()) / f"{self.doc.form.project_name or '自评表'}_{self.doc.form.year}.json"
        name, _ = QFileDialog.getSaveFileName(self, "另存为", str(suggested), FILE_FILTER)
        if not name:
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(".json")
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        if not self.sheet.commit_pending():
            QMessageBox.warning(self, APP_TITLE, "有格子里的数字无法识别（已标红），请先改正再保存。")
            return False
        try:
            save_form(self.doc.form, path)
        except FormFileError as e:
            QMessageBox.warning(self, APP_TITLE, str(e))
            return False
        self.doc.mark_saved(Path(path))
        self.autosaver.remove()
        self._update_title()
        settings.add_recent_file(Path(path))
        settings.set_value("last_dir", str(Path(path).resolve().parent))
        self.statusBar().showMessage(f"已保存到 {path}", 5000)
        return True

    # ------------------------------------------------------------------ PDF / Excel (other modules)

    def _run_optional(self, module: str, func: str, *args) -> None:
        try:
            mod = __import__(f"selfeval_gui.ui.{module}", fromlist=[func])
            fn = getattr(mod, func)
        except (ImportError, AttributeError):
            QMessageBox.information(self, APP_TITLE, NOT_INSTALLED)
            return
        self.sheet.commit_pending()
        fn(self, *args)

    def export_pdf(self):
        self._run_optional("pdf_actions", "export_pdf")

    def print_form(self):
        self._run_optional("pdf_actions", "print_form")

    def import_excel(self):
        self._run_optional("excel_actions", "import_excel")

    def export_excel(self):
        self._run_optional("excel_actions", "export_excel")

    def about(self):
        QMessageBox.about(self, "关于", f"{APP_TITLE}\n\n填写、核对并打印《项目支出绩效自评表》。")

    # ------------------------------------------------------------------ window events

    # A dropped .json opens; a dropped workbook is imported; anything else is refused with a sentence.
    DROP_KINDS = (".json", ".xlsx", ".xlsm")

    def dragEnterEvent(self, event):
        if self._dropped_file(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event):
        path = self._dropped_file(event)
        if path is None:
            return
        event.acceptProposedAction()
        # act after the drop finishes so a question box does not block the drag source
        suffix = path.suffix.lower()
        if suffix == ".json":
            QTimer.singleShot(0, lambda: self.open_path(path))
        elif suffix in (".xlsx", ".xlsm"):
            QTimer.singleShot(0, lambda: self._run_optional("excel_actions", "import_excel", path))
        else:
            QTimer.singleShot(0, lambda: QMessageBox.information(
                self, "无法打开", f"“{path.name}”不是自评表文件（.json）或 Excel 工作簿（.xlsx），没有打开。"))

    @staticmethod
    def _dropped_file(event) -> Path | None:
        md = event.mimeData()
        if not md.hasUrls():
            return None
        files = [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile()]
        for p in files:
            if p.suffix.lower() in MainWindow.DROP_KINDS:
                return p
        return files[0] if files else None

    def closeEvent(self, event):
        if not self.ask_to_save():
            event.ignore()
            return
        settings.set_value("geometry", bytes(self.saveGeometry().toBase64()).decode("ascii"))
        self.autosaver.close()
        event.accept()

    def _restore_geometry(self):
        geo = settings.get_value("geometry")
        if isinstance(geo, str) and self.restoreGeometry(QByteArray.fromBase64(geo.encode("ascii"))):
            return
        screen = QApplication.primaryScreen()
        avail = screen.availableGeometry() if screen else None
        w, h = (1366, 768) if avail is None else (min(1366, avail.width()), min(768, avail.height()))
        self.resize(w, h)
        self.resizeDocks([self.findings_dock], [300], Qt.Horizontal)
