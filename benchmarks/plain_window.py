"""A floor for issue 12's start-up figure: the example form's window built from plain Qt, with none of the program.

    python benchmarks/plain_window.py FORM.json     (bench_goals.py starts it as a child; it needs SELFEVAL_BENCH_SHOWN)

The same kinds and numbers of widgets the program's window shows — menu bar, toolbar with standard icons, the
title, the header fields, the 项目资金 grid, two goal boxes, the indicator tree with word-wrapped rows, the totals and
sign-off line, a 检查结果 dock with a few rows, the status bar — with Chinese text in a CJK font and Qt's Chinese
translation, filled from the JSON file with the json module and Qt's own item models (QStandardItemModel: no Python
model, delegate, domain, checks or scores).  What this costs beyond a bare window is what any PySide6 program pays
to show this form; the program's own cost is what its window costs beyond this.  Figures only.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, Qt, QTimer, QTranslator
from PySide6.QtGui import QAction, QFont, QFontDatabase, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

CJK = ("Microsoft YaHei UI", "Microsoft YaHei", "SimSun", "Noto Sans CJK SC", "WenQuanYi Micro Hei")
TREE_COLUMNS = (
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "填报得分",
    "计算得分",
    "完成等级",
    "偏差原因分析及改进措施",
)
FUND_COLUMNS = ("", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "填报得分", "计算得分")


def app_with_chinese() -> QApplication:
    app = QApplication(sys.argv[:1])
    tr = QTranslator(app)
    if tr.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(tr)
    families = set(QFontDatabase.families())
    family = next((f for f in CJK if f in families), None)
    if family:
        app.setFont(QFont(family, 9))
    return app


def menus_and_toolbar(win: QMainWindow) -> None:
    style = win.style()
    icons = (
        QStyle.StandardPixmap.SP_FileIcon,
        QStyle.StandardPixmap.SP_DialogOpenButton,
        QStyle.StandardPixmap.SP_DialogSaveButton,
        QStyle.StandardPixmap.SP_ArrowBack,
        QStyle.StandardPixmap.SP_ArrowForward,
        QStyle.StandardPixmap.SP_FileDialogNewFolder,
        QStyle.StandardPixmap.SP_TrashIcon,
        QStyle.StandardPixmap.SP_ArrowUp,
        QStyle.StandardPixmap.SP_ArrowDown,
    )
    bar = win.addToolBar("工具栏")
    for n, icon in enumerate(icons):
        bar.addAction(QAction(style.standardIcon(icon), f"操作{n}", win))
    for title in ("文件(&F)", "编辑(&E)", "视图(&V)", "帮助(&H)"):
        menu = win.menuBar().addMenu(title)
        for n in range(8):
            menu.addAction(QAction(f"{title[:2]}{n}", win))


def top_part(form: dict) -> QScrollArea:
    page = QWidget()
    lay = QVBoxLayout(page)
    title = QLabel(f"项目支出绩效自评表（{form.get('year', '')}年度）")
    lay.addWidget(title)
    grid = QGridLayout()
    for n, (key, value) in enumerate(form["header"].items()):
        grid.addWidget(QLabel(key), n // 3, 2 * (n % 3))
        grid.addWidget(QLineEdit(str(value or "")), n // 3, 2 * (n % 3) + 1)
    lay.addLayout(grid)
    funds = QStandardItemModel(len(form["funds"]), len(FUND_COLUMNS))
    funds.setHorizontalHeaderLabels(list(FUND_COLUMNS))
    for r, fund in enumerate(form["funds"]):
        for c, key in enumerate(("row", "initial", "budget", "executed")):
            funds.setItem(r, c, QStandardItem(str(fund.get(key) or "")))
    table = QTableView()
    table.setModel(funds)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    lay.addWidget(table)
    lay.addWidget(QPlainTextEdit(form.get("fund_note", "")))
    for text in form["goals"].values():
        lay.addWidget(QPlainTextEdit(text))
    scroll = QScrollArea()
    scroll.setWidget(page)
    scroll.setWidgetResizable(True)
    return scroll


def indicator_tree(form: dict) -> QWidget:
    model = QStandardItemModel(0, len(TREE_COLUMNS))
    model.setHorizontalHeaderLabels(list(TREE_COLUMNS))
    for l1 in form["indicators"]:
        top = QStandardItem(l1["name"])
        for l2 in l1["children"]:
            mid = QStandardItem(l2["name"])
            for k, ind in enumerate(l2["indicators"]):
                mid.appendRow(
                    [
                        QStandardItem(f"指标{k + 1}：{ind['name']}"),
                        QStandardItem(ind["target"]),
                        QStandardItem(ind["actual"]),
                        QStandardItem(str(ind["weight"] or "")),
                        QStandardItem(str(ind["score"] or "")),
                        QStandardItem(""),
                        QStandardItem(""),
                        QStandardItem(ind.get("deviation") or ""),
                    ]
                )
            top.appendRow(mid)
        model.appendRow(top)
    tree = QTreeView()
    tree.setModel(model)
    tree.setWordWrap(True)
    tree.setUniformRowHeights(False)
    tree.expandAll()
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.addWidget(QLabel("绩效指标"))
    lay.addWidget(tree, 1)
    lay.addWidget(QLabel("总分　分值合计 100　计算总分 90.67　等级 优"))
    sign = QGridLayout()
    for n, (key, value) in enumerate(form["signoff"].items()):
        sign.addWidget(QLabel(key), 0, 2 * n)
        sign.addWidget(QLineEdit(str(value or "")), 0, 2 * n + 1)
    lay.addLayout(sign)
    return box


def findings_dock(win: QMainWindow) -> None:
    model = QStandardItemModel()
    for n in range(6):
        model.appendRow(QStandardItem(f"【错误】产出指标 › 数量指标 › 指标{n}\n填报得分与计算得分不一致，请核对。"))
    view = QTreeView()
    view.setModel(model)
    view.setHeaderHidden(True)
    view.setWordWrap(True)
    dock = QDockWidget("检查结果", win)
    dock.setWidget(view)
    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)


def main() -> None:
    app = app_with_chinese()
    form = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    win = QMainWindow()
    menus_and_toolbar(win)
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(top_part(form))
    split.addWidget(indicator_tree(form))
    win.setCentralWidget(split)
    findings_dock(win)
    win.statusBar().showMessage("检查结果：错误 3 · 警告 2 · 提示 1")
    win.resize(1366, 728)
    win.show()

    def report() -> None:
        Path(os.environ["SELFEVAL_BENCH_SHOWN"]).write_text(f"{time.time():.6f}", encoding="utf-8")
        app.quit()

    QTimer.singleShot(0, report)
    app.exec()


if __name__ == "__main__":
    main()
