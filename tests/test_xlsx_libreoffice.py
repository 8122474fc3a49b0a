"""A real spreadsheet engine recalculates the exported formulas: LibreOffice's values equal the program's; it
prints the workbook as the paper form; a workbook it saved again imports to exactly the inputs we exported."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.numbers import quantize
from selfeval_gui.domain.rules import new_form
from selfeval_gui.domain.scoring import evaluate, fund_row_rate
from selfeval_gui.files.formfile import dumps, load_form
from selfeval_gui.files.xlsx.export import export_xlsx
from selfeval_gui.files.xlsx.reader import import_workbook

from .support import BLANK, SEED1, SEED2

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.slow,  # each test starts soffice: about a second
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed"),
]


def _convert(src, outdir, fmt, profile):
    # A private profile: several soffice runs at once (other tests, other users) must not share one.
    r = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists(), r.stdout + r.stderr
    return out


def _form(rule_set, budget, executed, weight="10"):
    f = new_form("general-2021" if rule_set == "general-2dp" else "chaoyang-2020")
    f.project_name = f"{rule_set}-{budget}-{executed}"
    t = f.fund("total")
    t.budget, t.executed = Decimal(budget), Decimal(executed)
    f.budget_weight = Decimal(weight)
    f.tree[0].children[0].indicators = [Indicator("课程数", "≥30节", "28节", Decimal("7.5"), Decimal("7"))]
    return f


def _dec(v):
    return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


def test_libreoffice_recalculates_to_the_programs_values(tmp_path):
    forms = [
        load_form(SEED1),
        load_form(SEED2),
        load_form(BLANK),
        _form("general-2dp", "100", "86.18"),  # 8.618 → 8.62
        _form("general-2dp", "703.63", "800"),  # above 100%: never above 分值
        _form("chaoyang-2020", "200", "109"),  # 5.45 → 5
        _form("chaoyang-2020", "3", "2", "7.5"),
    ]  # 5 exactly
    src = tmp_path / "导出.xlsx"
    maps = export_xlsx(forms, src)
    (tmp_path / "lo").mkdir()
    recalculated = _convert(src, tmp_path / "lo", "xlsx", tmp_path / "profile")
    wb = load_workbook(recalculated, data_only=True)
    for form, m in zip(forms, maps, strict=True):
        ws = wb[m.title]
        ev = evaluate(form)
        rate = ws[m.rate_cell].value
        if ev.rate is None:
            assert rate in (None, ""), m.title
            assert ws[m.budget_score_cell].value in (None, ""), m.title
        else:
            assert quantize(_dec(rate), 12) == quantize(ev.rate, 12), m.title
            assert _dec(ws[m.budget_score_cell].value) == ev.budget_score, m.title
        for key, r in m.fund_rows.items():
            v = ws[f"H{r}"].value
            want = fund_row_rate(form.fund(key))
            assert (v in (None, "")) if want is None else quantize(_dec(v), 12) == quantize(want, 12)
        assert _dec(ws[m.total_weight_cell].value) == ev.total_weight, m.title
        entered = (ev.budget_score or 0) + sum((i.score or 0) for i in form.indicators())
        assert _dec(ws[m.total_score_cell].value) == entered, m.title
    seed1 = wb[maps[0].title]
    assert seed1[maps[0].budget_score_cell].number_format == "0"
    assert seed1[maps[0].rate_cell].number_format == "0%"


def test_exported_workbook_prints_as_the_paper_form(tmp_path):
    src = tmp_path / "公共事务协管经费.xlsx"
    export_xlsx([load_form(SEED1)], src)
    pdf = _convert(src, tmp_path, "pdf", tmp_path / "profile")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    for words in (
        "朝阳区项目支出绩效自评表",
        "（2020年度）",
        "公共事务协管经费",
        "1514.0223",
        "99%",
        "协管人数",
        "偏差原因分析及改进措施",
        "填表人：周湜",
        "填写日期：2021.2.24",
    ):
        assert words in text, words
    assert "完成等级" not in text  # column J is outside the print area
    pages = text.count("\f")
    assert pages == 1, f"{pages} pages"


def _tricky_seed2():
    f = load_form(SEED2)
    f.phone, f.leader, f.fill_date = "010-65001234", "0123", "2021年3月5日"
    f.fund("current").budget, f.fund("current").executed = Decimal("1514.0223"), Decimal("0.0001")
    f.goal_actual, f.fund_note = "=SUM(A1:A2)\n第二行", "'开头撇号"
    ind = f.tree[0].children[0].indicators[0]
    ind.weight, ind.score, ind.deviation = Decimal("7.13"), Decimal("3.33"), "行一\n行二"
    f.tree[0].children[0].indicators.append(
        Indicator("定性", "按合同要求", "已完成", Decimal("5"), Decimal("4.5"), "", "partial")
    )
    return f


def test_libreoffice_saved_export_reimports_identical_inputs(tmp_path):
    forms = [_tricky_seed2(), load_form(SEED1)]  # SEED1's 总分 row says 1000: the clerk's slip must survive
    assert forms[1].stated_total_score == Decimal(1000)
    src = tmp_path / "导出 表.xlsx"
    export_xlsx(forms, src)
    out = tmp_path / "lo"
    out.mkdir()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(src),
        ],
        capture_output=True,
        timeout=180,
    )
    back = import_workbook(out / src.name)
    assert [dumps(i.form) for i in back] == [dumps(f) for f in forms]
    assert back[1].form.stated_total_score == Decimal(1000)
    assert back[0].form.stated_total_weight == forms[0].stated_total_weight == Decimal(96)
