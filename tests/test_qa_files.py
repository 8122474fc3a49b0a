"""QA: hostile or mistyped files and output paths end in a Chinese sentence, never a traceback."""
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from selfeval_gui.domain.checks import check
from selfeval_gui.domain.numbers import fmt_decimal, fmt_percent
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.formfile import FormFileError, fingerprint, load_form, save_form
from selfeval_gui.files.pdf import write_pdf
from selfeval_gui.files.xlsx_export import XlsxExportError, export_xlsx

from .conftest import ROOT, SEED2

HUGE = "1" + "0" * 30  # 31 digits: more than Decimal's default 28-digit context


def _edited_seed(tmp_path, edit, name="表.json"):
    data = json.loads(SEED2.read_text(encoding="utf-8"))
    edit(data)
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=True), encoding="utf-8")
    return p


def test_display_of_numbers_longer_than_28_digits():
    assert fmt_decimal(Decimal(HUGE), 2) == HUGE + ".00"
    assert fmt_percent(Decimal(HUGE), 0) == HUGE + "00%"


def test_form_with_a_huge_executed_amount_is_scored_and_checked(tmp_path):
    def edit(d):
        d["funds"][0]["executed"] = HUGE
    form = load_form(_edited_seed(tmp_path, edit))
    ev = evaluate(form)
    assert ev.budget_score == Decimal(10)  # capped at 分值
    assert ev.rate_text.endswith("%") and len(ev.rate_text) > 28
    assert any("预算执行得分" in f.message for f in check(form, ev))


def test_cli_check_on_a_huge_weight_prints_the_form(tmp_path):
    def edit(d):
        d["indicators"][0]["children"][0]["indicators"][0]["weight"] = HUGE
    p = _edited_seed(tmp_path, edit)
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "check", str(p)], capture_output=True, text=True,
                       encoding="utf-8")
    assert r.returncode == 1, r.stderr
    assert "处理失败" not in r.stderr and "分值合计" in r.stdout


def test_lone_surrogate_in_a_file_does_not_break_saving_or_the_pdf(tmp_path):
    def edit(d):
        d["header"]["project_name"] = "城管\ud800经费"
        d["indicators"][0]["children"][0]["indicators"][0]["deviation"] = "原因\udfff"
    form = load_form(_edited_seed(tmp_path, edit))
    assert form.project_name == "城管\ufffd经费"
    out = tmp_path / "另存.json"
    save_form(form, out)
    assert load_form(out).project_name == "城管\ufffd经费"
    assert len(fingerprint(form)) == 12
    write_pdf(form, tmp_path / "表.pdf")
    assert (tmp_path / "表.pdf").stat().st_size > 1000


def test_fingerprint_of_a_form_built_with_a_surrogate_in_memory(seed2):
    seed2.unit = "单位\ud83d"
    assert len(fingerprint(seed2)) == 12


@pytest.mark.parametrize("kind", ["json", "pdf", "xlsx"])
def test_output_path_that_is_a_folder(seed2, tmp_path, kind):
    (tmp_path / "导出").mkdir()
    target = tmp_path / "导出"
    with pytest.raises((FormFileError, XlsxExportError, Exception)) as info:
        {"json": save_form, "pdf": write_pdf, "xlsx": lambda f, p: export_xlsx([f], p)}[kind](seed2, target)
    message = getattr(info.value, "clerk_message", None) or str(info.value)
    assert "是一个文件夹" in message and "Is a directory" not in message
    assert not [p for p in tmp_path.iterdir() if p.name != "导出"]  # no temporary file left beside it


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_output_into_a_missing_folder_is_chinese(seed2, tmp_path, kind):
    target = tmp_path / "没有这个文件夹" / ("a." + kind)
    with pytest.raises(Exception) as info:
        {"json": save_form, "xlsx": lambda f, p: export_xlsx([f], p)}[kind](seed2, target)
    message = getattr(info.value, "clerk_message", None) or str(info.value)
    assert "文件夹不存在" in message and "No such file" not in message


def test_unwritable_folder_is_not_blamed_on_an_open_file(seed2, tmp_path, monkeypatch):
    import os

    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", refuse)
    monkeypatch.setattr("selfeval_gui.files.formfile.time.sleep", lambda s: None)
    with pytest.raises(Exception) as info:
        export_xlsx([seed2], tmp_path / "新.xlsx")
    assert "没有在文件夹" in info.value.clerk_message and "权限" in info.value.clerk_message


def test_pdf_of_a_form_with_a_surrogate_in_memory(seed2, tmp_path):
    seed2.project_name, seed2.unit = "城管\ud800经费", "单位\udc00"
    result = write_pdf(seed2, tmp_path / "表.pdf")
    assert result.pages >= 1 and (tmp_path / "表.pdf").stat().st_size > 1000
