"""Where the time of issue 12's two missed goals goes, part by part: process start → window with the example form
shown (beside a bare PySide6 window), and `export FORM --pdf` as a whole process.

    python benchmarks/bench_breakdown.py [--runs 9]

Every run is a fresh process started as bench_goals.py starts it; the child writes a time stamp after each part,
the parent subtracts (the first part runs from the parent's start of the process).  Medians of --runs, so the parts
need not add up exactly to the median total.  Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "forms" / "城管以奖促治经费_2020.json"

# Shared by the children: mark(part) ends a part; report() prints the marks as one JSON line.
MARKS = r"""
import json, os, sys, time
T = []
def mark(part):
    T.append((part, time.time()))
def report(extra=None):
    print("PARTS " + json.dumps({"marks": T, "extra": extra or {}}), flush=True)
"""

BARE = (
    MARKS
    + r"""
mark("Python (interpreter, site)")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
mark("PySide6 import (QtCore, QtGui, QtWidgets)")
app = QApplication(sys.argv[:1])
mark("QApplication")
w = QMainWindow()
w.resize(1366, 768)
w.show()
mark("window, show()")
def done():
    mark("first events (layout, paint)")
    report()
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""
)

# The real start (app.main → start_gui), the imports it makes taken one group at a time first.  PySide6's import
# hook (shibokensupport.feature) reads the source of every module named in an import statement after PySide6 is
# loaded, to look for the word "PySide6" in it; its time is summed where the hook is found (it is internal).
WINDOW = (
    MARKS
    + r"""
mark("Python (interpreter, site)")
from selfeval_gui.app import main
# the Qt-free modules the window uses, taken before PySide6 as they are in the real start (app → ui.start imports
# them after PySide6: here they escape PySide6's import hook, whose cost is shown apart below)
import selfeval_gui.domain.checks, selfeval_gui.domain.rules, selfeval_gui.domain.scoring
import selfeval_gui.files.atomic, selfeval_gui.files.editlock, selfeval_gui.files.formfile
mark("our Qt-free modules (app, domain, files)")
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
mark("PySide6 import (as the bare window)")
hook = {"s": 0.0}
feature = sys.modules.get("shibokensupport.feature")
if feature is not None and hasattr(feature, "_mod_uses_pyside"):
    real_hook = feature._mod_uses_pyside
    def timed_hook(module):
        t = time.perf_counter()
        try:
            return real_hook(module)
        finally:
            hook["s"] += time.perf_counter() - t
    feature._mod_uses_pyside = timed_hook
from PySide6.QtCore import Qt
mark("Qt namespace: Python enums of its ~90 enum types")
from PySide6.QtWidgets import QStyle
mark("QStyle and its enums (toolbar and findings icons)")
import selfeval_gui.ui.window.start as start
import selfeval_gui.ui.window.main_window as mw
mark("our window modules, the other Qt classes and enums they use")
from PySide6.QtCore import QTimer
made, Window = start.make_app, mw.MainWindow
def make_app(argv=None):
    app = made(argv)
    mark("QApplication, Chinese translation, CJK font")
    def done():
        mark("crash-recovery check, first events (layout, paint)")
        report({"import hook reading sources": hook["s"] * 1000})
        app.quit()
    QTimer.singleShot(0, done)
    return app
class Timed(Window):
    def __init__(self, *a, **k):
        mark("crash guard, reading the form")
        super().__init__(*a, **k)
        mark("building the window (sheet, rows measured, findings)")
    def show(self):
        mark("edit lock")
        super().show()
        mark("show()")
start.make_app, mw.MainWindow = make_app, Timed
main(sys.argv[1:])
"""
)

# The form's PDF does not use reportlab.platypus (pdf_textblock draws the cells): its import was 30 ms, 20 of them
# compiling the URL pattern uri_pat (tests/test_startup_imports.py keeps it out).
PDF = (
    MARKS
    + r"""
mark("Python (interpreter, site)")
import selfeval_gui.app as app
import selfeval_gui.cli.main
mark("our modules for the command line (domain, files)")
import reportlab.pdfgen.canvas, reportlab.pdfbase.ttfonts
mark("reportlab: canvas, fonts (PIL comes with them)")
import selfeval_gui.files.pdf.form_pdf as pdf
mark("our PDF modules")
real_find, real_write = pdf.find_font, pdf.atomic_write_bytes
def find_font(*a, **k):
    mark("reading the form, evaluating, checks")
    font = real_find(*a, **k)
    mark("the font (found, read from the font cache)")
    return font
def write(*a, **k):
    mark("laying out and drawing the PDF, font subset (pdf_textblock, reportlab canvas)")
    real_write(*a, **k)
    mark("writing the file")
pdf.find_font, pdf.atomic_write_bytes = find_font, write
code = app.main(sys.argv[1:])
mark("printing the findings")
report()
app.exit_command(code)  # as main.py ends a command
"""
)


def run_parts(script: str, args: list[str], env: dict[str, str], cwd: Path, *, whole: bool) -> dict[str, float]:
    """The parts of one run.  whole: the process until it has exited (the PDF); else until the last mark (the
    window shown, as bench_goals.py measures it; quitting afterwards is not counted)."""
    t0 = time.time()
    p = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, cwd=cwd, timeout=60
    )
    end = time.time()
    line = next((x for x in p.stdout.splitlines() if x.startswith("PARTS ")), None)
    if line is None:
        raise SystemExit(f"the child reported nothing: {p.stderr[-2000:]}")
    got = json.loads(line[len("PARTS ") :])
    parts, prev = {}, t0
    for name, t in got["marks"]:
        parts[name] = (t - prev) * 1000
        prev = t
    if whole:
        parts["interpreter exit"] = (end - prev) * 1000
    parts["TOTAL"] = sum(parts.values())
    parts.update({f"  ({k})": v for k, v in got["extra"].items()})
    return parts


def table(title: str, runs: list[dict[str, float]]) -> None:
    print(f"\n{title}")
    for name in runs[0]:
        values = [r[name] for r in runs if name in r]
        print(f"  {name:62s} {statistics.median(values):7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="selfeval-parts-"))
    env = dict(os.environ, SELFEVAL_DATA_DIR=str(tmp / "data"), SELFEVAL_CACHE_DIR=str(tmp / "cache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a clerk's installation has its bytecode
    if not os.environ.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    out = tmp / "打印件.pdf"
    jobs = [
        ("bare PySide6 window, until shown", BARE, [], False),
        ("window with the example form, until shown", WINDOW, [str(EXAMPLE)], False),
        # the example has errors: its draft (a final copy would be refused before anything is drawn)
        (
            "export FORM --pdf --draft (font cache warm), until the process has exited",
            PDF,
            ["export", str(EXAMPLE), "--pdf", str(out), "--draft"],
            True,
        ),
    ]
    results: dict[str, list[dict[str, float]]] = {title: [] for title, *_ in jobs}
    for _title, script, argv, whole in jobs:  # warm-up: bytecode written, font cache filled, files in the OS cache
        run_parts(script, argv, env, tmp, whole=whole)
    for _ in range(args.runs):
        for title, script, argv, whole in jobs:  # interleaved: a busy moment of the machine hits all three
            results[title].append(run_parts(script, argv, env, tmp, whole=whole))
    print(
        f"issue 12, where the time goes — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
        f"medians of {args.runs} runs"
    )
    for title, runs in results.items():
        table(title, runs)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
