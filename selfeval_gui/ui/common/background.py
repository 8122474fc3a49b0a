"""One way to run an action's slow work (reading a workbook, a batch of PDFs) off the window's thread: a QThread
behind a modal progress dialog with 取消, the window kept alive by a nested event loop while it runs.

The work gets a Progress: it reports with progress(done, total, text) — from its own thread; the dialog follows
through a blocking queued signal, so a 取消 pressed while a report is shown is seen by the work's next look — and
learns of 取消 from `progress.cancelled` or by progress() raising Cancelled.  The result comes back on the
window's thread; so does any exception of the work, raised there for the action's own sentence.  Work that stops
on its own after 取消 returns what it has (a batch: the files written so far); work stopped by Cancelled, or that
fails after 取消, gives None.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

T = TypeVar("T")
CANCELLING = "正在取消……"


class Cancelled(Exception):
    """Raised by Progress after the clerk pressed 取消 (the work may let it pass up)."""


class Progress:
    """What the work holds: report how far it is, and see whether the clerk cancelled."""

    def __init__(self, report: Callable[[int, int, str], None], cancel: threading.Event) -> None:
        self._report, self._cancel = report, cancel

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int = 0, total: int = 0, text: str = "") -> None:
        """Show how far the work is (done of total; total 0: no bar, only the words); waits until it is shown."""
        self._report(done, total, text)

    def __call__(self, done: int = 0, total: int = 0, text: str = "") -> None:
        """report(), but raises Cancelled after 取消."""
        if self._cancel.is_set():
            raise Cancelled
        self._report(done, total, text)


class _Worker(QThread, Generic[T]):
    progressed = Signal(int, int, str)

    def __init__(self, work: Callable[[Progress], T], parent: QObject | None) -> None:
        super().__init__(parent)
        self.work, self.cancel = work, threading.Event()
        self.result: T | None = None
        self.returned = False
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work(Progress(self.progressed.emit, self.cancel))
            self.returned = True
        except Cancelled:
            log.info("background work cancelled")
        except Exception as e:  # handed to the window's thread, which tells the clerk
            log.info("background work failed", exc_info=True)
            self.error = e


def progress_dialog(parent: QWidget, title: str, label: str, *, minimum_duration: int = 400) -> QProgressDialog:
    dlg = QProgressDialog(label, "取消", 0, 0, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(minimum_duration)  # quick work is done before the dialog would show
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)
    dlg.setMinimumWidth(420)
    return dlg


class _Follower(QObject):
    """Lives on the window's thread: shows the work's reports in the dialog."""

    def __init__(self, dlg: QProgressDialog) -> None:
        super().__init__(dlg)
        self.dlg = dlg

    @Slot(int, int, str)
    def follow(self, done: int, total: int, text: str) -> None:
        if self.dlg.wasCanceled():
            return
        self.dlg.setMaximum(max(total, 0))
        self.dlg.setValue(min(done, total) if total else 0)
        if text:
            self.dlg.setLabelText(text)


def run_in_background(
    parent: QWidget, title: str, label: str, work: Callable[[Progress], T], *, minimum_duration: int = 400
) -> T | None:
    """Run `work` in a thread behind a progress dialog; its result, or None after 取消.  The work's exception is
    raised here, on the window's thread."""
    worker: _Worker[T] = _Worker(work, parent)
    dlg = progress_dialog(parent, title, label, minimum_duration=minimum_duration)

    def cancel() -> None:
        worker.cancel.set()
        dlg.setLabelText(CANCELLING)

    dlg.canceled.connect(cancel)
    follower = _Follower(dlg)
    worker.progressed.connect(follower.follow, Qt.ConnectionType.BlockingQueuedConnection)
    loop = QEventLoop()
    worker.finished.connect(loop.quit)
    worker.start()
    if not worker.isFinished():
        loop.exec()
    worker.wait()
    dlg.canceled.disconnect(cancel)  # closing a progress dialog says "canceled" too
    dlg.close()
    dlg.deleteLater()
    worker.deleteLater()
    if worker.returned:
        return worker.result
    if worker.cancel.is_set():
        return None
    if worker.error is not None:
        raise worker.error
    return None
