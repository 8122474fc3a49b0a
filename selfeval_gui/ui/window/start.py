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

from selfeval_gui import APP_TITLE
from selfeval_gui.paths import resource_path

log = logging.getLogger(__name__)

# First installed family wins.  Windows ships YaHei / SimSun; Linux has fontconfig CJK families.
CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "SimSun",
    "NSimSun",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)


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
    from selfeval_gui.ui.common import qt_words  # the words Qt's catalogue leaves in English (issue 10)

    qt_words.install(app)
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
    app.setApplicationName(APP_TITLE)
    app.setOrganizationName("selfeval")
    install_translations(app)
    pick_cjk_font(app)
    return app


DAMAGED = (
    "找到 {n} 份已损坏的自动保存内容，无法恢复。已把它们移到“{folder}”，以后不再提示。\n"
    "如果其中有重要内容，请把这个文件夹交给技术支持。"
)


def offer_recovery(window) -> bool:
    """Ask about autosaves left by a crash; True when one was restored into `window`.  Damaged ones are set
    aside and the clerk is told once."""
    from selfeval_gui.ui.window.autosave import damaged_dir, scan

    found, damaged = scan()
    if damaged:
        QMessageBox.warning(window, "自动保存的内容已损坏", DAMAGED.format(n=len(damaged), folder=damaged_dir()))
    restored = False
    for item in found:
        if restored:
            item.lock.unlock()  # offer the others next time
            continue
        what = item.form.project_name or "未命名的自评表"
        src = f"（原文件：{item.source}）" if item.source else "（尚未保存过）"
        answer = QMessageBox.question(
            window,
            "恢复自动保存的内容",
            f"上次程序没有正常关闭。找到 {item.saved_at} 自动保存的“{what}”{src}。\n\n"
            "是否恢复？选择“否”将丢弃这份自动保存。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            window.session.show_form(item.form, item.source, modified=True, digest=item.source_digest)
            restored = True
        item.discard()
    return restored


def open_named_file(window, path: Path, restored: bool):
    """The file named on the command line.  After a recovery the window shows the recovered form: the named file
    opens in a second window (or, when it is the recovered form's own file, the clerk is told which is shown).
    Returns the window that shows it."""
    if not restored:
        window.open_path(path, ask=False)
        return window
    if window.doc.path is not None and _same_file(window.doc.path, path):
        window.show_message(f"显示的是恢复的内容（尚未保存）；“{path.name}”本身还是上次保存时的样子。", 60_000)
        return window
    from selfeval_gui.ui.window.main_window import MainWindow

    other = MainWindow()
    other.show()
    other.open_path(path, ask=False)
    window.show_message(f"本窗口显示恢复的内容；“{path.name}”在另一个窗口中打开。", 60_000)
    return other


def _window_in_front(windows: list, app: QApplication):
    """The main window the clerk works in (the crash guard rescues its form), if it is one of `windows`."""
    active = app.activeWindow()
    return active if active in windows else None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


BROKEN_INSTALL = (
    "程序自带的数据缺失或已损坏，无法打开填报窗口。\n\n{detail}\n\n"
    "请重新安装（或重新解压）本程序；如果是从U盘运行，请确认整个程序文件夹都已复制完整。"
)


# Benchmarks (benchmarks/bench_goals.py) set this to a file: once the first window has been shown, the wall-clock
# time is written there and the program quits.  It works the same from source and in the frozen program.
SHOWN_PROBE_ENV = "SELFEVAL_BENCH_SHOWN"


def _preload(files: list[str]) -> tuple | None:
    """The form named on the command line, read before the window is built (so the window is built once, on it):
    (form, path, digest of the bytes read); None when there is none, it cannot be read (open_path then says why,
    after the window is up) or another clerk has it open (they are asked first, as 打开 asks)."""
    if not files:
        return None
    from selfeval_gui.files import editlock
    from selfeval_gui.files.atomic import digest_on_disk
    from selfeval_gui.files.formfile import FormFileError, load_form

    path = Path(files[0])
    if editlock.lock_path(path).exists():
        return None
    try:
        digest = digest_on_disk(path)  # before reading: a change made meanwhile shows at the next save
        return load_form(path), path, digest
    except (FormFileError, OSError):
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
    from selfeval_gui.domain.rules import RuleSetError
    from selfeval_gui.ui.window import crash_guard

    window = None
    windows: list = []  # every main window of this run (a second one for a file named beside a recovery)
    guard = crash_guard.install(lambda: _window_in_front(windows, app) or window, app)
    files = [a for a in argv if not a.startswith("-")]
    folder = Path(files[0]) if files and Path(files[0]).is_dir() else None
    try:
        from selfeval_gui.ui.window.main_window import MainWindow

        first = None if folder else _preload(files)
        window = MainWindow(first[0], first[1]) if first else MainWindow()
    except (RuleSetError, OSError, ValueError, KeyError) as e:  # rule sets or templates missing or damaged
        crash_guard.write_log(f"启动失败：{e!r}")
        QMessageBox.critical(None, "无法启动", BROKEN_INSTALL.format(detail=e))
        guard.uninstall()
        return 1
    if first and not _adopt(window, first):
        first = None  # someone else has it open: open_named_file below asks the clerk, as 打开 does
    window.show()
    _probe_shown(app)
    from selfeval_gui.paths import portable_problem

    problem = portable_problem()
    if problem:
        window.show_message(problem, 60_000)
    restored = offer_recovery(window)
    windows.append(window)
    if folder:  # `python main.py FOLDER`: the 项目一览 beside the window
        window.open_folder(folder)
    elif files and (restored or not first):
        windows.append(open_named_file(window, Path(files[0]), restored))  # kept alive while the program runs
    try:
        return app.exec()
    finally:
        guard.uninstall()


def _adopt(window, first: tuple) -> bool:
    """The window was built on the preloaded form: take its edit lock and remember the bytes read, as 打开 does.
    False when another clerk or window holds the lock (the clerk must be asked: the caller opens it the long way)."""
    if not window.session.adopt_preloaded(first[1], first[2]):
        return False
    from selfeval_gui.ui.common.action_support import (
        remember_file,  # 最近打开 is written after the first paint (the file is fsync'ed)
    )

    QTimer.singleShot(0, lambda: remember_file(first[1]))
    return True
