"""项目一览: every form of a folder in one sortable, filterable table that follows the folder while it is open.

The rows are read by a FolderReader thread and streamed in; a QFileSystemWatcher on the folder (and its files)
re-reads what was added or changed and drops what was removed.  Double-click opens a form in the main window
(a workbook is imported).  The batch outputs, the 汇总表 and next year's drafts are in actions.py; the
slots here stay thin.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QFileSystemWatcher, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from selfeval_gui.files.folder.listing import (
    FORM,
    SUMMARY,
    SUMMARY_NOTE,
    UNREADABLE,
    WORKBOOK,
    FolderEntry,
    folder_files,
    read_entry,
)
from selfeval_gui.ui.folder.model import ENTRY_ROLE, KEYS, SORT_ROLE, FolderModel, FolderReader

log = logging.getLogger(__name__)

TITLE = "项目一览"
RESCAN_DELAY_MS = 300  # a save writes a temporary file and renames it: wait for the folder to settle


class FolderWindow(QMainWindow):
    def __init__(
        self,
        folder: Path,
        open_path: Callable[[Path], Any] | None = None,
        import_path: Callable[[Path], Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._open_path, self._import_path = open_path, import_path
        self.setWindowTitle(f"{TITLE} — {self.folder}")
        self.model = FolderModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._build_view()
        self._build_actions()
        self.reader: FolderReader | None = None
        self._rescan_pending = False
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda *_: self._schedule_rescan())
        self.watcher.fileChanged.connect(lambda *_: self._schedule_rescan())
        self._rescan_timer = QTimer(self)
        self._rescan_timer.setSingleShot(True)
        self._rescan_timer.setInterval(RESCAN_DELAY_MS)
        self._rescan_timer.timeout.connect(self.rescan)
        self.resize(1300, 640)
        self.load()

    # ------------------------------------------------------------------ building

    def _build_view(self) -> None:
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选：输入项目名称、部门、等级等任意文字")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(KEYS.index("project_name"), Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in (
            ("file", 180),
            ("project_name", 190),
            ("department", 120),
            ("unit", 120),
            ("budget", 84),
            ("executed", 84),
            ("entered_total", 64),
            ("computed_total", 64),
            ("modified", 120),
        ):
            self.view.setColumnWidth(KEYS.index(key), width)
        for key in ("year", "rate", "grade", "errors", "warnings", "status"):
            self.view.setColumnWidth(KEYS.index(key), 44 if key != "rate" else 56)
        self.view.doubleClicked.connect(self.open_index)
        self.status_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("筛选："))
        top.addWidget(self.filter_edit, 1)
        box = QVBoxLayout()
        box.addLayout(top)
        box.addWidget(self.view, 1)
        box.addWidget(self.status_label)
        central = QWidget()
        central.setLayout(box)
        self.setCentralWidget(central)

    def _act(self, text: str, slot: Callable[[], Any], tip: str, shortcut: str | None = None) -> QAction:
        a = QAction(text, self)
        a.setStatusTip(tip)
        a.setToolTip(tip)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        a.triggered.connect(lambda *_: slot())
        return a

    def _build_actions(self) -> None:
        act = self._act
        self.act_check = act("全部检查", self.check_all, "重新读取并检查文件夹中的所有表", "F5")
        self.act_pdf = act(
            "导出PDF…", lambda: self._batch(pdf=True, xlsx=False), "把选中的表（未选中则全部）各导出一个 PDF"
        )
        self.act_xlsx = act(
            "导出Excel…", lambda: self._batch(pdf=False, xlsx=True), "把选中的表（未选中则全部）各导出一个 Excel"
        )
        self.act_both = act(
            "导出PDF和Excel…",
            lambda: self._batch(pdf=True, xlsx=True),
            "把选中的表（未选中则全部）各导出一个 PDF 和一个 Excel",
        )
        self.act_summary = act("汇总表…", self.summary, "生成全部项目的汇总表（Excel 和 PDF）")
        self.act_next_year = act("生成下一年度草稿…", self.next_year, "由选中的表（未选中则全部）生成下一年度的草稿")
        tb = self.addToolBar("项目一览")
        tb.setObjectName("folder-toolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addActions(
            [self.act_check, self.act_pdf, self.act_xlsx, self.act_both, self.act_summary, self.act_next_year]
        )

    # ------------------------------------------------------------------ reading the folder

    def load(self) -> None:
        """Read the whole folder again on the reader thread; rows stream in."""
        self.stop_reader()
        self.model.clear()
        try:
            paths = folder_files(self.folder)
        except OSError as e:
            log.info("folder %s not listed: %s", self.folder, e)
            self.status_label.setText(f"无法读取文件夹“{self.folder}”：{e.strerror or e}")
            return
        self._watch(paths)
        self.reader = FolderReader(paths, self)
        self.reader.entriesRead.connect(self.model.put_many)
        self.reader.finished.connect(self._reader_done)
        self._total = len(paths)
        self.status_label.setText(f"正在读取 {len(paths)} 个文件…")
        self.reader.start()

    def _reader_done(self) -> None:
        self.update_status()
        if self._rescan_pending:
            self._rescan_pending = False
            self.rescan()

    def is_loading(self) -> bool:
        return self.reader is not None and self.reader.isRunning()

    def stop_reader(self) -> None:
        if self.reader is not None:
            self.reader.requestInterruption()
            self.reader.wait()
            self.reader = None

    def _watch(self, paths: list[Path]) -> None:
        old = self.watcher.files() + self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        self.watcher.addPath(str(self.folder))
        if paths:
            self.watcher.addPaths([str(p) for p in paths])

    def _schedule_rescan(self) -> None:
        self._rescan_timer.start()

    def rescan(self) -> None:
        """Bring the rows in line with the folder: new and changed files are read, removed ones dropped."""
        if self.is_loading():
            self._rescan_pending = True
            return
        try:
            paths = folder_files(self.folder)
        except OSError as e:
            log.info("folder %s not rescanned: %s", self.folder, e)
            return
        known = {e.path: e for e in self.model.entries()}
        for path in paths:
            old = known.pop(path, None)
            if old is None or _changed(old, path):
                self.model.put(read_entry(path))
        for gone in known:
            self.model.remove(gone)
        self._watch(paths)
        self.update_status()

    def update_status(self) -> None:
        entries = self.model.entries()
        forms = [e for e in entries if e.kind == FORM]
        unfilled = sum(1 for e in forms if e.row is not None and e.row.unfilled)
        with_errors = sum(1 for e in forms if e.row is not None and e.row.errors and not e.row.unfilled)
        unreadable = sum(1 for e in entries if e.kind == UNREADABLE)
        books = sum(1 for e in entries if e.kind == WORKBOOK)
        summaries = sum(1 for e in entries if e.kind == SUMMARY)
        self.status_label.setText(
            f"共 {len(forms)} 个表，其中 {with_errors} 个有错误、{unfilled} 个未填；"
            f"{unreadable} 个文件无法读取；{books} 个 Excel 工作簿可导入"
            + (f"；{summaries} 个本程序生成的汇总表。" if summaries else "。")
        )

    # ------------------------------------------------------------------ rows

    def entry_at(self, index: QModelIndex) -> FolderEntry:
        entry: FolderEntry = self.proxy.data(index, ENTRY_ROLE)
        return entry

    @property
    def widget(self) -> QWidget:
        return self

    def entries(self) -> list[FolderEntry]:
        return self.model.entries()

    def selected_entries(self) -> list[FolderEntry]:
        """The selected rows in the order shown; all rows shown when none is selected."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows:
            rows = list(range(self.proxy.rowCount()))
        return [self.entry_at(self.proxy.index(r, 0)) for r in rows]

    def open_index(self, index: QModelIndex) -> None:
        entry = self.entry_at(index)
        if entry.kind == UNREADABLE:
            QMessageBox.warning(self, TITLE, entry.error)
        elif entry.kind == SUMMARY:
            QMessageBox.information(self, TITLE, f"“{entry.name}”是{SUMMARY_NOTE}，请用 Excel 或 WPS 打开。")
        elif entry.kind == WORKBOOK and self._import_path is not None:
            self._import_path(entry.path)
        elif entry.kind == FORM and self._open_path is not None:
            self._open_path(entry.path)

    # ------------------------------------------------------------------ actions (folder_actions.py)

    def check_all(self) -> None:
        from selfeval_gui.ui.folder import actions as folder_actions

        folder_actions.check_all(self)

    def _batch(self, *, pdf: bool, xlsx: bool) -> None:
        from selfeval_gui.ui.folder import actions as folder_actions

        folder_actions.batch_export(self, pdf=pdf, xlsx=xlsx)

    def summary(self) -> None:
        from selfeval_gui.ui.folder import actions as folder_actions

        folder_actions.summary(self)

    def next_year(self) -> None:
        from selfeval_gui.ui.folder import actions as folder_actions

        folder_actions.next_year(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_reader()
        event.accept()


def _changed(entry: FolderEntry, path: Path) -> bool:
    try:
        return path.stat().st_mtime != entry.modified
    except OSError:
        return True
