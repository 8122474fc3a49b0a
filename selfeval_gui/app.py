"""Program start: a command word runs the command line; otherwise the window opens."""

from __future__ import annotations

import gc
import logging
import sys
from typing import NoReturn

from selfeval_gui.cli.words import COMMANDS

log = logging.getLogger(__name__)


def is_command(argv: list[str]) -> bool:
    return bool(argv) and (argv[0] in COMMANDS or argv[0] in ("-h", "--help"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if is_command(argv):
        from selfeval_gui.cli.main import run  # the window never loads the command line's modules

        return run(argv)
    from selfeval_gui.ui.window.start import start_gui  # Qt is imported only when the window is wanted

    return start_gui(argv)


def exit_command(code: int) -> NoReturn:
    """End a command-line process with `code`.  What is still alive is freed by the exit itself: frozen first, the
    garbage collector does not walk every object once more on the way out (about 20 ms of each `export --pdf`,
    issue 12).  Not after the window: Qt's objects are left to their usual end."""
    gc.freeze()
    sys.exit(code)


def entry(argv: list[str] | None = None) -> NoReturn:
    """The process's start and end: main.py and the `selfeval` command (pyproject.toml)."""
    argv = sys.argv[1:] if argv is None else argv
    code = main(argv)
    if is_command(argv):
        exit_command(code)
    sys.exit(code)
