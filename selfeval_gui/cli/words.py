"""The command line's command words, in a module of their own: app.main decides between the window and the
command line by them, and the window must not wait for the command line's modules to load (issue 12)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

# check, export, import (main.py); list, summary, next-year (folder.py); rulesets (rules.py); report (report.py);
# finalize, unfinalize (final.py)
COMMANDS = ("check", "export", "import", "list", "summary", "next-year", "rulesets", "report", "finalize", "unfinalize")
