"""The daily error log, <user data>/logs/error-YYYYMMDD.log, written by the window and the command line alike.

Every module logs through `logging.getLogger(__name__)`; while the window or a command runs, attach_error_log()
sends the package's WARNING (and worse) records here.  Nothing is printed: a clerk sees one Chinese sentence,
the log keeps the detail (tracebacks included) for whoever supports them.  No Qt here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selfeval_gui.paths import user_data_dir

PACKAGE = __name__.split(".")[0]  # selfeval_gui: every module's logger is below it


def logs_dir() -> Path:
    d = user_data_dir() / "logs"
    d.mkdir(parents=True, exist_ok=True)
    return d


def write_log(text: str, source: str = "") -> Path | None:
    """Append one report to today's log; None when even that fails (a full or read-only disk)."""
    try:
        path = logs_dir() / f"error-{time.strftime('%Y%m%d')}.log"
        head = f"==== {time.strftime('%Y-%m-%d %H:%M:%S')}{' ' + source if source else ''} ===="
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"{head}\n{text}\n")
        return path
    except OSError:
        return None


class ErrorLogHandler(logging.Handler):
    """WARNING and worse from any module of the program, appended to today's error log."""

    def __init__(self, source: str = "") -> None:
        super().__init__(logging.WARNING)
        self.source = source
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except (TypeError, ValueError):  # a record whose arguments do not fit its message
            self.handleError(record)
            return
        write_log(text, self.source)


def attach_error_log(source: str = "") -> ErrorLogHandler:
    """Send the package's WARNING records to the error log (once, however often it is called)."""
    package = logging.getLogger(PACKAGE)
    for handler in package.handlers:
        if isinstance(handler, ErrorLogHandler):
            return handler
    handler = ErrorLogHandler(source)
    package.addHandler(handler)
    if package.getEffectiveLevel() > logging.WARNING:
        package.setLevel(logging.WARNING)
    return handler


def detach_error_log(handler: logging.Handler) -> None:
    logging.getLogger(PACKAGE).removeHandler(handler)


@contextmanager
def error_log(source: str = "") -> Iterator[ErrorLogHandler]:
    """While the block runs, the package's warnings and errors go to the error log."""
    handler = attach_error_log(source)
    try:
        yield handler
    finally:
        detach_error_log(handler)
