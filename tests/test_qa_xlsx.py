"""QA: a workbook we exported, saved again by LibreOffice, imports to exactly the inputs that were exported."""
import shutil
import subprocess
from decimal import Decimal

import pytest

from selfeval_gui.domain.form import Indicator
from selfeval_gui.files.formfile import dumps, load_form
from selfeval_gui.files.xlsx_export import export_xlsx
from selfeval_gui.files.xlsx_import import import_workbook

from .conftest import SEED1, SEED2

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _tricky_seed2():
    f = load_form(SEED2)
    f.phone, f.leader, f.fill_date = "010-65001234", "0123", "2021年3月5日"
    f.fund("current").budget, f.fund("current").executed = Decimal("1514.0223"), Decimal("0.0001")
    f.goal_actual, f.fund_note = "=SUM(A1:A2)\n第二行", "'开头撇号"
    ind = f.tree[0].children[0].indicators[0]
    ind.weight, ind.score, ind.deviation = Decimal("7.1235"), Decimal("3.3333"), "行一\n行二"
    f.tree[0].children[0].indicators.append(
        Indicator("定性", "按合同要求", "已完成", Decimal("5"), Decimal("4.5"), "", "partial"))
    return f


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_saved_export_reimports_identical_inputs(tmp_path):
    forms = [_tricky_seed2(), load_form(SEED1)]  # SEED1's 总分 row says 1000: the clerk's slip must survive
    assert forms[1].stated_total_score == Decimal(1000)
    src = tmp_path / "导出 表.xlsx"
    export_xlsx(forms, src)
    out = tmp_path / "lo"
    out.mkdir()
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(out), str(src)], capture_output=True, timeout=180)
    back = import_workbook(out / src.name)
    assert [dumps(i.form) for i in back] == [dumps(f) for f in forms]
    assert back[1].form.stated_total_score == Decimal(1000)
    assert back[0].form.stated_total_weight == forms[0].stated_total_weight == Decimal(96)
