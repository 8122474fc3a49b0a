"""Entry point: `python main.py` opens the window; `python main.py check|export|import ...` runs headless."""

import sys

from selfeval_gui.app import entry

if __name__ == "__main__":
    entry(sys.argv[1:])
