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
    raw = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [re.sub(r"\s+", "", p) for p in raw.split("\f") if p.strip()]


def province_form():
    """A filled form on the bundled province-2023 template (调整后预算数, five funds rows, 20-point budget row,
    指标性质 / 度量单位, a date target, a "/" row, a name typed with its own "指标2："), rule set province-2023."""
    from decimal import Decimal as D

    from selfeval_gui.domain.form import Indicator
    from selfeval_gui.domain.rules import new_form

    f = new_form("province-2023")
    f.project_name, f.department, f.unit, f.leader, f.phone = (
        "农村道路养护补助",
        "省交通运输厅",
        "省公路事务中心",
        "王强",
        "0311-1234567",
    )
    f.goal_expected, f.goal_actual = "完成农村公路养护 1,200 公里。", "完成养护 1,180 公里，按期完成。"
    f.filler, f.filler_phone, f.fill_date = "李梅", "0311-7654321", "2024-02-20"
    amounts = {
        "total": ("1000", "1000", "499.6"),
        "fiscal": ("800", "800", "399.6"),
        "special": ("100", "100", "50"),
        "unit_funds": ("50", "50", "25"),
        "other": ("50", "50", "25"),
    }
    for key, (a, b, c) in amounts.items():
        row = f.fund(key)
        row.initial, row.budget, row.executed = D(a), D(b), D(c)
    f.fund_note = "部分工程因汛期顺延，资金于次年拨付。"
    f.budget_score = D("10")
    out, ben, sat = f.tree
    out.children[0].indicators = [
        Indicator(
            "养护里程", "≥1200公里", "1180公里", D("20"), D("19.67"), "汛期影响，次年补足。", None, "正向", "公里"
        ),
        Indicator("指标2：桥梁检测", "/", "/", None, None, "", None, "", ""),
    ]
    out.children[2].indicators = [
        Indicator("完工时间", "2023年12月", "2023年10月", D("20"), D("20"), "", None, "正向", "月")
    ]
    ben.children[1].indicators = [
        Indicator("通行条件", "明显改善", "明显改善", D("30"), D("28"), "个别路段待提升。", "achieved", "定性", "")
    ]
    sat.children[0].indicators = [Indicator("群众满意度", "≥90%", "93%", D("10"), D("10"), "", None, "正向", "%")]
    f.stated_total_weight, f.stated_total_score = D("100"), D("87.67")
    return f
