"""Paths shared by the tests (no tests here): the project folder and the bundled example forms.

Import with ``from .support import SEED1``; fixtures live in conftest.py and are found by pytest on their own.
"""
from __future__ import annotations

import atexit
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"


def _copies_of_the_example_forms() -> Path:
    """The tests open, save beside and lock the example forms: copies in a temporary folder (with a Chinese
    name, as clerks have), so that no test writes into the repository's forms/ — an edit lock left there by one
    test would make another one, or `python main.py forms/…`, ask whose it is."""
    folder = Path(tempfile.mkdtemp(prefix="selfeval-tests-")) / "示例表"
    shutil.copytree(FORMS, folder)
    atexit.register(shutil.rmtree, folder.parent, True)
    return folder


EXAMPLES = _copies_of_the_example_forms()
SEED1 = EXAMPLES / "公共事务协管经费_2020.json"
SEED2 = EXAMPLES / "城管以奖促治经费_2020.json"
BLANK = EXAMPLES / "空白表_朝阳区2020.json"


def load_tool(name: str) -> types.ModuleType:
    """A build script from tools/ (not a package, and not on sys.path), loaded by its file."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # the spec's own `import bundle_trim` then finds this one
    spec.loader.exec_module(module)
    return module


def fix_seed2(form):
    """Seed 2 with its errors corrected as a clerk would (完成课程数 scored 4.67 with a note, the 总分 row), so it
    may go out as a final copy and be finalized.  Warnings and hints remain."""
    from decimal import Decimal

    from selfeval_gui.domain.scoring import evaluate
    course = form.tree[0].children[0].indicators[0]
    course.score = Decimal("4.67")
    course.deviation = "受疫情影响线下课程减少；下年度增加线上课程。"
    form.stated_total_weight = Decimal(100)
    form.stated_total_score = evaluate(form).entered_total_score
    return form


def page_texts(path) -> list[str]:
    """Each page's text of a PDF as pdftotext reads it, whitespace removed (skips the test without poppler)."""
    import pytest
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                         ).stdout.decode("utf-8")
    return [re.sub(r"\s+", "", p) for p in raw.split("\f") if p.strip()]
