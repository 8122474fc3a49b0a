"""Qt stays out of the domain and file layers (ARCHITECTURE.md, "The layers"), checked two ways."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def test_no_qt_import_in_domain_or_files():
    for layer in ("domain", "files"):
        for path in (ROOT / "selfeval_gui" / layer).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                assert not any(n.split(".")[0] in QT for n in names), f"Qt imported in {path}"


def test_cli_runs_without_loading_qt():
    code = (
        "import sys, selfeval_gui.cli.main, selfeval_gui.domain.checks, selfeval_gui.files.formfile;"
        "import pkgutil, importlib, selfeval_gui.files as f;"
        "[importlib.import_module('selfeval_gui.files.' + m.name) for m in pkgutil.iter_modules(f.__path__)];"
        f"print([m for m in sys.modules if m.split('.')[0] in {QT!r}])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
