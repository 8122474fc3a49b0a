"""Program start: a command word runs the command line; otherwise the window opens."""
from __future__ import annotations

import logging
import sys

from .commands import COMMANDS

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        from .cli import run  # the window never loads the command line's modules
        return run(argv)
    from .ui.start import start_gui  # Qt is imported only when the window is wanted
    return start_gui(argv)
