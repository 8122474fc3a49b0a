"""Start the window: Qt's Chinese translation, a font that shows Chinese, crash recovery, the first form."""
from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path
from typing import cast

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from ..paths import resource_path

log = logging.getLogger(__name__)

# First installed family wins.  Windows ships YaHei / SimSun; Linux has fontconfig CJK families.
CJK_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei", "SimSun", "NSimSun", "PingFang SC",
                "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
                "Noto Sans SC", "Droid Sans Fallback", "AR PL UMing CN")


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own dialogs (file chooser, message box buttons) in Chinese."""
    loaded = []
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), str(resource_path("translations"))]
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        for folder in folders:
            tr = QTranslator(app)
            if tr.load(name, folder):
                app.installTranslator(tr)
                loaded.append(tr)
                break
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return loaded


def pick_cjk_font(app: QApplication) -> str | None:
    families = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in families:
            f = QFont(fam)
            size = app.font().pointSizeF()
            f.setPointSizeF(size if size > 0 else 9)
            app.setFont(f)
            return fam
    return None  # Qt's fallback fonts still find a CJK glyph on most systems


def make_app(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if existing is None:
        app = QApplication([sys.argv[0] if sys.argv else "selfeval", *(argv or [])])
    else:
        app = cast(QApplication, existing)
    app.setApplicationName("绩效自评表填报工具")
    app.setOrganizationName("selfeval")
    install_translations(app)
    pick_cjk_font(app)
    return app


def offer_recovery(window) -> bool:
    """Ask about autosaves left by a crash; True when one was restored into `window`."""
    from .autosave import find_recoverable
    found = find_recoverable()
    restored = False
    for item in found:
        if restored:
            item.lock.unlock()  # offer the others next time
            continue
        what = item.form.project_name or "未命名的自评表"
        src = f"（原文件：{item.source}）" if item.source else "（尚未保存过）"
        answer = QMessageBox.question(
            window, "恢复自动保存的内容",
            f"上次程序没有正常关闭。找到 {item.saved_at} 自动保存的“{what}”{src}。\n\n"
            "是否恢复？选择“否”将丢弃这份自动保存。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            window.doc.replace(item.form, item.source, modified=True)
            item.discard()
            restored = True
        else:
            item.discard()
    return restored


BROKEN_INSTALL = ("程序自带的数据缺失或已损坏，无法打开填报窗口。\n\n{detail}\n\n"
                  "请重新安装（或重新解压）本程序；如果是从U盘运行，请确认整个程序文件夹都已复制完整。")


# Benchmarks (benchmarks/bench_goals.py) set this to a file: once the first window has been shown, the wall-clock
# time is written there and the program quits.  It works the same from source and in the frozen program.
SHOWN_PROBE_ENV = "SELFEVAL_BENCH_SHOWN"


def _preload(files: list[str]):
    """The form named on the command line, read before the window is built (so the window is built once, on it);
    None when there is none or it cannot be read — open_path then says why, after the window is up."""
    if not files:
        return None
    from ..files.formfile import FormFileError, load_form
    try:
        return load_form(Path(files[0])), Path(files[0])
    except FormFileError:
        return None


def _probe_shown(app: QApplication) -> None:
    target = os.environ.get(SHOWN_PROBE_ENV)
    if not target:
        return

    def report() -> None:
        Path(target).write_text(f"{time.time():.6f}", encoding="utf-8")
        app.quit()
    QTimer.singleShot(0, report)  # runs once the events of the first show (layout, paint) have been handled


def start_gui(argv: list[str]) -> int:
    app = make_app(argv)
    from ..domain.rules import RuleSetError
    from . import crash_guard
    window = None
    guard = crash_guard.install(lambda: window, app)
    files = [a for a in argv if not a.startswith("-")]
    try:
        from .main_window import MainWindow
        first = _preload(files)
        window = MainWindow(*first) if first else MainWindow()
    except (RuleSetError, OSError, ValueError, KeyError) as e:  # rule sets or templates missing or damaged
        crash_guard.write_log(f"启动失败：{e!r}")
        QMessageBox.critical(None, "无法启动", BROKEN_INSTALL.format(detail=e))
        guard.uninstall()
        return 1
    window.show()
    _probe_shown(app)
    if first:  # 最近打开 and the start folder are written after the first paint (the settings file is fsync'ed)
        from .action_support import remember_file
        QTimer.singleShot(0, lambda: remember_file(first[1]))
    from ..paths import portable_problem
    problem = portable_problem()
    if problem:
        window.show_message(problem, 60_000)
    restored = offer_recovery(window)
    if files and not restored and not first:
        window.open_path(Path(files[0]), ask=False)
    try:
        return app.exec()
    finally:
        guard.uninstall()
