"""Invented 自评表 workbooks in the layouts bureaus publish (issue 20, item 3), for tests/test_bureau_layouts.py.

Every name and figure here is made up.  The layouts differ from ours where real forms do: the 分值 column headed
权重, the 年初 column headed 年初预算 or 年初预算数（A）, a target typed as =100% (which Excel stores as a formula:
openpyxl writes it without a calculated value, as a workbook never opened in Excel has none), amounts in 万元 to
the fen (six decimals), a title that names no district.

    python tests/make_bureau_books.py FOLDER      writes the books into FOLDER and lists them
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

PROJECT = "社区老年助餐服务补贴（示例）"
YEAR = 2023


@dataclass(frozen=True)
class Indicator:
    l1: str
    l2: str
    name: str
    target: str
    actual: str
    weight: int
    score: int | float


@dataclass(frozen=True)
class Layout:
    """What one invented sheet looks like: its title, the words of its headers and its figures."""

    title: str = "示例区项目支出绩效自评表"
    weight_word: str = "分值"
    fund_words: tuple[str, str, str] = ("年初预算数", "全年预算数", "全年执行数")
    rate_word: str = "执行率"
    # 年度资金总额, 当年财政拨款, 上年结转资金, 其他资金: (年初, 全年预算, 全年执行) in 万元, as typed
    funds: tuple[tuple[str, str, str], ...] = (
        ("120", "118.5", "110.25"),
        ("100", "98.5", "92.25"),
        ("20", "20", "18"),
        ("0", "0", "0"),
    )
    indicators: tuple[Indicator, ...] = field(
        default_factory=lambda: (
            Indicator("产出指标", "数量指标", "助餐点数量", "≥12个", "12个", 20, 20),
            Indicator("产出指标", "质量指标", "餐食抽检合格率", "100%", "100%", 20, 20),
            Indicator("产出指标", "时效指标", "补贴按季发放", "每季度末前", "按季发放", 10, 10),
            Indicator("效益指标", "社会效益指标", "受益老人人数", "≥800人", "836人", 30, 30),
            Indicator("满意度指标", "服务对象满意度指标", "老人满意度", "≥90%", "93%", 10, 10),
        )
    )


FUND_ROWS = ("年度资金总额", "当年财政拨款", "上年结转资金", "其他资金")
BUDGET_WEIGHT, BUDGET_SCORE = 10, 9


def _number(text: str) -> int | float:
    return int(text) if text.lstrip("-").isdigit() else float(text)


def _head(ws, lay: Layout) -> int:
    ws["A1"] = lay.title
    ws["A2"] = f"（{YEAR}年度）"
    ws["A3"], ws["B3"] = "项目名称", PROJECT
    ws["A4"], ws["B4"], ws["E4"], ws["F4"] = "主管部门", "示例区民政局", "实施单位", "示例区养老服务中心"
    ws["A5"], ws["B5"], ws["E5"], ws["F5"] = "项目负责人", "王示例", "联系电话", "010-00000000"
    ws["A6"] = "项目资金\n（万元）"
    for c, word in enumerate((*lay.fund_words, lay.weight_word, lay.rate_word, "得分"), start=3):
        ws.cell(row=6, column=c, value=word)
    for r, (label, amounts) in enumerate(zip(FUND_ROWS, lay.funds, strict=True), start=7):
        ws.cell(row=r, column=2, value=label)
        for c, text in enumerate(amounts, start=3):
            ws.cell(row=r, column=c, value=_number(text))
    ws["F7"], ws["H7"] = BUDGET_WEIGHT, BUDGET_SCORE
    executed, budget = Decimal(lay.funds[0][2]), Decimal(lay.funds[0][1])
    ws["G7"] = f"{executed / budget * 100:.2f}%"  # the 执行率 as the clerk wrote it
    ws["A11"], ws["B11"], ws["E11"] = "年度总体目标", "预期目标", "实际完成情况"
    ws["B12"], ws["E12"] = "为辖区老人提供助餐服务。", "已为836名老人提供助餐服务。"
    return 13


def _indicators(ws, lay: Layout, r: int) -> None:
    ws.cell(row=r, column=1, value="绩效指标")
    words = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", lay.weight_word, "得分")
    for c, word in enumerate((*words, "偏差原因分析及改进措施"), start=2):
        ws.cell(row=r, column=c, value=word)
    for ind in lay.indicators:
        r += 1
        for c, value in enumerate((ind.l1, ind.l2, ind.name, ind.target, ind.actual, ind.weight, ind.score), 2):
            ws.cell(row=r, column=c, value=value)  # a text starting with "=" is stored as a formula
    r += 1
    total_weight = BUDGET_WEIGHT + sum(i.weight for i in lay.indicators)
    total_score = BUDGET_SCORE + sum(i.score for i in lay.indicators)
    ws.cell(row=r, column=1, value="总分")
    ws.cell(row=r, column=7, value=total_weight)
    ws.cell(row=r, column=8, value=round(total_score, 2))
    ws.cell(row=r + 1, column=1, value="填表人：李示例    联系电话：010-00000001    填写日期：2024年2月1日")


def write_sheet(ws, lay: Layout) -> None:
    _indicators(ws, lay, _head(ws, lay))


def write_book(path: Path, sheets: dict[str, Layout]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, lay in sheets.items():
        write_sheet(wb.create_sheet(name), lay)
    wb.save(path)
    return path


def _with_target(lay: Layout, row: int, target: str, actual: str | None = None) -> Layout:
    rows = list(lay.indicators)
    rows[row] = replace(rows[row], target=target, actual=rows[row].actual if actual is None else actual)
    return replace(lay, indicators=tuple(rows))


BASE = Layout()
LAYOUTS: dict[str, dict[str, Layout]] = {
    "权重.xlsx": {"Sheet1": replace(BASE, weight_word="权重")},
    "年初预算.xlsx": {
        "年初预算": replace(BASE, fund_words=("年初预算", "全年预算数", "全年执行数")),
        "年初预算数A": replace(
            BASE, fund_words=("年初预算数（A）", "全年预算数（B）", "全年执行数（C）"), rate_word="执行率（C/B）"
        ),
        "半角括号": replace(BASE, fund_words=("年初预算数(A)", "全年预算数(B)", "全年执行数(C)")),
    },
    "等于100%.xlsx": {"Sheet1": _with_target(_with_target(BASE, 1, "=100%", "=100%"), 3, "＝800人")},
    "六位小数.xlsx": {
        "Sheet1": replace(
            BASE,
            funds=(
                ("21.54576", "21.545763", "20.123456"),
                ("21.54576", "21.545763", "20.123456"),
                ("0", "0", "0"),
                ("0", "0", "0"),
            ),
        )
    },
    "无地区.xlsx": {"Sheet1": replace(BASE, title="项目支出绩效自评表")},
}


def make_books(folder: Path) -> dict[str, Path]:
    """Every invented book written into `folder`: name → path."""
    folder.mkdir(parents=True, exist_ok=True)
    return {name: write_book(folder / name, sheets) for name, sheets in LAYOUTS.items()}


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bureau_books")
    for written in make_books(out).values():
        print(written)
