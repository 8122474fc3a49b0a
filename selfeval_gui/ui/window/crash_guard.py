"""Never a traceback for the clerk: an unexpected error is logged, the open form autosaved, and a Chinese box shown.

install(get_window) replaces sys.excepthook and threading.excepthook.  Python errors raised inside Qt slots and
event handlers reach sys.excepthook (PySide6 reports them there and carries on), so one hook covers the whole
window.  Errors in other threads are handed to the GUI thread through a queued signal: only that thread may
show a box or touch the form.

The same daily log also receives every WARNING (and worse) that any module of the program logs through its
module logger (`log = logging.getLogger(__name__)`): install() attaches errorlog.ErrorLogHandler to the package logger.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox

from selfeval_gui.errorlog import ErrorLogHandler as ErrorLogHandler
from selfeval_gui.errorlog import attach_error_log as attach_error_log
from selfeval_gui.errorlog import detach_error_log, write_log

log = logging.getLogger(__name__)

TITLE = "程序出错"


def rescue_form(window) -> str:
    """Autosave what the window holds; the sentence that tells the clerk how their content fares."""
    if window is None:
        return "没有打开的自评表。"
    try:
        window.sheet.commit_pending()  # a half-typed cell is content too
    except Exception:  # the form itself may be what is broken; still try to save it
        log.warning("出错后没能记下正在输入的内容", exc_info=True)
    try:
        if not window.doc.is_modified():
            return "您的自评表没有未保存的修改。"
        if window.autosaver.save_now():
            return "您的内容已自动保存；如果程序随后关闭，下次启动时会提示恢复。"
    except Exception:
        log.warning("出错后自动保存失败", exc_info=True)
    return "自动保存没有成功，请尽快用“文件 › 另存为”保存一份。"


def _to_console(text: str) -> None:
    """A console build still shows the report to a developer; a windowed build has no console."""
    stream = sys.__stderr__
    if stream is None:
        return
    try:
        stream.write(text)
    except (OSError, ValueError) as e:  # closed or not writable: the log file has the report
        log.info("错误报告没能写到控制台：%s", e)


def message_for(log: Path | None, saved: str) -> str:
    where = f"日志位置：{log}" if log else "（日志文件无法写入。）"
    return (
        "程序遇到意外错误，刚才的操作可能没有完成。\n\n"
        f"{saved}\n\n{where}\n如果问题反复出现，请把这个日志文件发给技术支持。"
    )


class CrashGuard(QObject):
    """Lives in the GUI thread; report() may be called from any thread."""

    _from_thread = Signal(str)

    def __init__(self, get_window, parent=None):
        super().__init__(parent)
        self.get_window = get_window
        self._busy = False
        self.previous = (sys.excepthook, threading.excepthook)
        self._from_thread.connect(self._handle, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        self.log_handler = attach_error_log()

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self.previous
        detach_error_log(self.log_handler)

    def _sys_hook(self, kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            self.previous[0](kind, value, tb)
            return
        self.report("".join(traceback.format_exception(kind, value, tb)))

    def _thread_hook(self, args):
        if args.exc_type is SystemExit:
            return
        text = "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback))
        name = args.thread.name if args.thread is not None else "?"
        self.report(f"线程 {name}：\n{text}")

    def report(self, text: str) -> None:
        if threading.current_thread() is threading.main_thread():
            self._handle(text)
        else:
            self._from_thread.emit(text)

    def _handle(self, text: str) -> None:
        log_file = write_log(text)
        _to_console(text)
        if self._busy:  # an error while the box is up: logged, not stacked
            return
        self._busy = True
        try:
            window = self.get_window()
            QMessageBox.critical(window, TITLE, message_for(log_file, rescue_form(window)))
        finally:
            self._busy = False


def install(get_window, parent=None) -> CrashGuard:
    guard = CrashGuard(get_window, parent)
    guard.install()
    return guard
