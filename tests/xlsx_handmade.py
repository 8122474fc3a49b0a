"""Helpers for the Excel import tests (no tests here): build workbooks the way clerks type them into the
bureau's template — independent of our own export.

The layout follows the paper form (the seed text dump): the template's empty "指标2：" and "……" rows, the
二级 names broken as "经济效益\\n指标", a one-cell sign-off line.  Options add the variations clerks make.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook

from selfeval_gui.domain.form import Form
from selfeval_gui.domain.numbers import fmt_decimal, fmt_percent
from selfeval_gui.domain.scoring import fund_row_rate

PAPER_NAMES = {
    "经济效益指标": "经济效益\n指标",
    "社会效益指标": "社会效益\n指标",
    "生态效益指标": "生态效益\n指标",
    "满意度指标": "满意度\n指标",
}
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _num(v: Decimal | None, mode: str):
    if v is None:
        return None
    if mode == "number":
        return float(v) if v != int(v) else int(v)
    if mode == "fullwidth":
        return fmt_decimal(v).translate(FULL_WIDTH)
    return f" {fmt_decimal(v)} "  # numbers stored as text, with the stray spaces typing leaves


def write_form(
    ws,
    form: Form,
    *,
    col0: int = 1,
    l12: str = "merged",
    numbers: str = "number",
    blank_rows: bool = False,
    placeholders: bool = True,
    header_colon: bool = False,
    signoff_one_cell: bool = True,
    rate_text: bool = True,
    stated_rate: str | None = None,
) -> dict:
    """Write `form` into `ws` as a hand-typed official table.  Returns cell addresses of interest.

    l12: "merged" (一级/二级 merged down), "first" (only on the first row), "every" (repeated on every row).
    numbers: "number", "text", "fullwidth".
    """
    at: dict = {}
    r = 1

    def put(row, col, value):
        ws.cell(row=row, column=col0 + col - 1, value=value)

    def blank():
        nonlocal r
        if blank_rows:
            r += 1

    put(r, 1, "附件")
    r += 1
    put(r, 1, form.title)
    r += 1
    put(r, 1, form.year_label)
    r += 1
    blank()
    if header_colon:
        put(r, 1, f"项目名称：{form.project_name}")
        r += 1
        put(r, 1, f"主管部门：{form.department}")
        put(r, 5, f"实施单位：{form.unit}")
        r += 1
        put(r, 1, f"项目负责人：{form.leader}")
        put(r, 5, f"联系电话：{form.phone}")
        r += 1
    else:
        put(r, 1, "项目名称")
        put(r, 2, form.project_name)
        r += 1
        for a, av, b, bv in (
            ("主管部门", form.department, "实施单位", form.unit),
            ("项目负责人", form.leader, "联系电话", form.phone),
        ):
            put(r, 1, a)
            put(r, 2, av)
            put(r, 5, b)
            put(r, 6, bv)
            r += 1
    blank()
    put(r, 1, "项目资金\n（万元）")
    for c, label in enumerate(("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"), start=3):
        put(r, c, label)
    r += 1
    for row in form.funds:
        put(r, 2, row.label)
        put(r, 3, _num(row.initial, numbers))
        put(r, 4, _num(row.budget, numbers))
        put(r, 5, _num(row.executed, numbers))
        rate = fund_row_rate(row)
        if row.key == "total":
            at["rate"] = (r, col0 + 6)
            put(r, 6, _num(form.budget_weight, numbers))
            put(r, 8, _num(form.budget_score, numbers))
            if stated_rate is not None:
                put(r, 7, stated_rate)
            elif rate is not None:
                put(r, 7, fmt_percent(rate, 0) if rate_text else float(rate))
        else:
            put(r, 6, "—")
            put(r, 8, "—")
        r += 1
    blank()
    put(r, 1, "年度总体目标")
    put(r, 2, "预期目标")
    put(r, 5, "实际完成情况")
    r += 1
    put(r, 2, form.goal_expected)
    put(r, 5, form.goal_actual)
    r += 1
    blank()
    put(r, 1, "绩\n效\n指\n标")
    for c, label in enumerate(
        ("一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值", "分值", "得分", "偏差原因分析及改进措施"),
        start=2,
    ):
        put(r, c, label)
    r += 1
    at["indicator_rows"] = {}
    for l1 in form.tree:
        r1 = r
        for l2 in l1.children:
            r2 = r
            rows = [(k, ind) for k, ind in enumerate(l2.indicators)]
            if placeholders:
                n = len(rows)
                rows += [(n, None), (None, None)]
            elif not rows:
                rows = [(0, None)]
            for k, ind in rows:
                if l12 == "every" or r == r1:
                    put(r, 2, PAPER_NAMES.get(l1.name, l1.name))
                if l12 == "every" or r == r2:
                    put(r, 3, PAPER_NAMES.get(l2.name, l2.name))
                if ind is None:
                    put(r, 4, "……" if k is None else f"指标{k + 1}：")
                else:
                    at["indicator_rows"][ind.name] = r
                    put(r, 4, f"指标{k + 1}：{ind.name}")
                    put(r, 5, ind.target or None)
                    put(r, 6, ind.actual or None)
                    put(r, 7, _num(ind.weight, numbers))
                    put(r, 8, _num(ind.score, numbers))
                    put(r, 9, ind.deviation or None)
                r += 1
                if blank_rows and ind is not None and k == 0:
                    r += 1  # a stray empty line inside the table
            if l12 == "merged" and r - 1 > r2:
                ws.merge_cells(start_row=r2, start_column=col0 + 2, end_row=r - 1, end_column=col0 + 2)
        if l12 == "merged" and r - 1 > r1:
            ws.merge_cells(start_row=r1, start_column=col0 + 1, end_row=r - 1, end_column=col0 + 1)
    put(r, 1, "总分")
    at["total_row"] = r
    put(r, 7, _num(form.stated_total_weight, numbers))
    put(r, 8, _num(form.stated_total_score, numbers))
    r += 1
    blank()
    if signoff_one_cell:
        put(r, 1, f"填表人：{form.filler}          联系电话：{form.filler_phone}        填写日期：{form.fill_date}")
    else:
        put(r, 1, "填表人")
        put(r, 2, form.filler)
        put(r, 4, "联系电话")
        put(r, 5, form.filler_phone)
        put(r, 7, "填写日期：")
        put(r, 8, form.fill_date)
    return at


def handmade_book(path, forms: list[Form], **options):
    wb = Workbook()
    wb.remove(wb.active)
    ats = []
    for n, form in enumerate(forms):
        ws = wb.create_sheet(f"Sheet{n + 1}")
        ats.append(write_form(ws, form, **options))
    wb.save(path)
    return ats


def inputs(form: Form) -> dict:
    """Every input of a form as plain data, blank 三级 rows dropped (they hold nothing the clerk typed)."""
    from selfeval_gui.files.formfile import form_to_data

    d = form_to_data(form)
    for l1 in d["indicators"]:
        for l2 in l1["children"]:
            l2["indicators"] = [i for i in l2["indicators"] if any(v not in (None, "") for v in i.values())]
    return d
