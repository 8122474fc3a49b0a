"""Entry point: `python main.py` opens the window; `python main.py check|export|import ...` runs headless."""
import sys

from selfeval_gui.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
