"""Start-up loads only what the first screen needs (issue 12): the PDF, Excel, print preview and JSON Schema
libraries are imported when the clerk first uses them, never before the window with a form is shown.  And a PDF
export loads no library it does not use (network and mail modules came with xml.sax.saxutils)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .support import ROOT, SEED2

HEAVY = ("reportlab", "openpyxl", "pypdfium2", "jsonschema", "docx", "lxml")

# Runs in a fresh process: the real start (start_gui, as `python main.py FORM`), and once the window with the
# form is up and the event loop has handled its first events, the loaded modules are printed and it quits.
SCRIPT = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from selfeval_gui.ui.window import start

def report():
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and hasattr(w, "doc")]
    print("MODULES " + json.dumps({"shown": [w.doc.form.project_name for w in shown],
                                   "modules": sorted(sys.modules)}), flush=True)
    QApplication.quit()

app = start.make_app([])
QTimer.singleShot(0, lambda: QTimer.singleShot(0, report))
from selfeval_gui.app import main  # as main.py starts the program
sys.exit(main([sys.argv[1]]))
"""
COMMAND_LINE = ("selfeval_gui.cli.main", "selfeval_gui.cli.folder", "selfeval_gui.cli.rules")


def test_the_first_window_loads_no_pdf_excel_or_schema_library(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(SEED2)], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    line = next((x for x in r.stdout.splitlines() if x.startswith("MODULES ")), None)
    assert line is not None, r.stderr[-3000:]
    report = json.loads(line[len("MODULES ") :])
    assert report["shown"] == ["城管以奖促治经费"], "the window with the example form was not shown"
    loaded = sorted({m.split(".")[0] for m in report["modules"]} & set(HEAVY))
    assert loaded == [], f"imported before the first window was shown: {loaded}"
    assert sorted(set(report["modules"]) & set(COMMAND_LINE)) == [], "the window loaded the command line"
    assert "selfeval_gui.ui.form.form_sheet" in report["modules"]  # the test did see the real start


# The PDF process: what it loads is paid by every `export --pdf` (and antivirus scans every file opened).
PDF_SCRIPT = r"""
import json, sys
from selfeval_gui.app import main
code = main(["export", sys.argv[1], "--pdf", sys.argv[2], "--draft"])  # the seed has errors: its draft
print("MODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}), flush=True)
"""
NETWORK = ("urllib.request", "http.client", "email", "ssl", "xml.sax")


def test_a_pdf_export_loads_no_network_or_mail_library(tmp_path):
    out = tmp_path / "打印件.pdf"
    env = dict(os.environ, SELFEVAL_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run(
        [sys.executable, "-c", PDF_SCRIPT, str(SEED2), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    line = next((x for x in r.stdout.splitlines() if x.startswith("MODULES ")), None)
    assert line is not None, r.stderr[-3000:]
    report = json.loads(line[len("MODULES ") :])
    assert report["code"] in (0, 1) and out.is_file()
    assert sorted(set(report["modules"]) & set(NETWORK)) == []
    # nor the folder and rule-file commands' modules (the command line loads them when one of those runs)
    assert sorted(set(report["modules"]) & {"selfeval_gui.cli.folder", "selfeval_gui.cli.rules"}) == []


# The form's PDF draws its cells itself (pdf_textblock): reportlab.platypus took 30 ms of every PDF process to
# import, 20 of them compiling a URL pattern.  Imported and used, in a fresh process, it must not come back.
PDF_MODULE_SCRIPT = r"""
import json, sys
from selfeval_gui.files.pdf import form_pdf as pdf
before = sorted(m for m in sys.modules if m.startswith("reportlab."))
from selfeval_gui.files.formfile import load_form
result = pdf.write_pdf(load_form(sys.argv[1]), sys.argv[2], draft=True)
print("MODULES " + json.dumps({"pages": result.pages, "on_import": before, "modules": sorted(sys.modules)}), flush=True)
"""


def test_the_pdf_module_loads_no_reportlab_platypus(tmp_path):
    out = tmp_path / "打印件.pdf"
    env = dict(os.environ, SELFEVAL_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run(
        [sys.executable, "-c", PDF_MODULE_SCRIPT, str(SEED2), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    line = next((x for x in r.stdout.splitlines() if x.startswith("MODULES ")), None)
    assert line is not None, r.stderr[-3000:]
    report = json.loads(line[len("MODULES ") :])
    assert report["pages"] >= 2 and out.is_file()
    assert "reportlab.pdfgen.canvas" in report["on_import"]  # the test did see reportlab load
    unwanted = ("reportlab.platypus", "reportlab.lib.styles", "reportlab.lib.textsplit")
    assert sorted(m for m in report["modules"] if m.startswith(unwanted)) == []
