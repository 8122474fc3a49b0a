"""The workbook's formulas are written from the domain's rules: the execution-rate rule, the rule set's places."""

from openpyxl import load_workbook

from selfeval_gui.domain.rules import get_rule_set
from selfeval_gui.domain.scoring import RateRule
from selfeval_gui.files.xlsx.export import FUND_CELLS, export_xlsx
from selfeval_gui.files.xlsx.formulas import budget_score_formula, rate_formula, sum_formula


def test_exported_formulas_are_written_from_the_rate_rule(tmp_path, seed1):
    book = tmp_path / "a.xlsx"
    [m] = export_xlsx([seed1], book)
    ws = load_workbook(book)[m.title]
    r = m.fund_rows["total"]
    assert ws[m.rate_cell].value == f'=IF(AND(ISNUMBER(E{r}),ISNUMBER(F{r}),E{r}<>0),F{r}/E{r},"")'
    assert ws[m.budget_score_cell].value == (f'=IF(AND(ISNUMBER(H{r}),ISNUMBER(G{r})),ROUND(MIN(H{r}*G{r},G{r}),0),"")')
    assert ws[m.total_weight_cell].value.startswith(f"=SUM(G{r},G")
    for key, row in m.fund_rows.items():
        assert ws[f"H{row}"].value == rate_formula(FUND_CELLS, row), key


def test_a_changed_rate_rule_changes_the_formula():
    other = RateRule(numerator="budget", denominator="initial")
    assert rate_formula(FUND_CELLS, 7, other) == '=IF(AND(ISNUMBER(D7),ISNUMBER(E7),D7<>0),E7/D7,"")'
    assert budget_score_formula(FUND_CELLS, 7, get_rule_set("general-2dp")).endswith('ROUND(MIN(H7*G7,G7),2),"")')
    assert sum_formula("G7", "G15:G30") == "=SUM(G7,G15:G30)"
