"""Entry script of the frozen console program selfeval-cli(.exe): the command line only, never the window.

The windowed SelfEval.exe has no console to print to, so IT staff script this one instead.  Without
arguments it prints the usage rather than opening a window.
"""

import sys

from selfeval_gui.app import exit_command
from selfeval_gui.cli.main import run

if __name__ == "__main__":
    exit_command(run(sys.argv[1:] or ["--help"]))
