"""Invented 绩效目标申报表 (and one 自评表) as .xlsx and .docx, for the import tests — no real unit's file.

Run as a script to write them into a folder: python -m tests.make_declarations OUT_DIR

A document is a list of blocks: ("p", text) is a paragraph (in a workbook: a row, merged across the width), ("t",
rows) a table; a row is a list of cells, each a text or (text, columns, rows) for a merged cell, placed left to
right past the cells merged down from above (as in HTML).  The same blocks are written by openpyxl and by
python-docx (cell.merge writes w:gridSpan and w:vMerge as Word does), so both files hold the same content.
"""

from __future__ import annotations

import sys
from pathlib import Path

Cell = str | tuple[str, int, int]

# ---------------------------------------------------------------- the layouts' indicator rows


# (一级, 二级, 三级, 指标值, 指标性质, 度量单位, 分值)
ANNUAL_1 = [
    ("产出指标", "数量指标", "服务老年人人次", "≥12000人次", "", "", ""),
    ("产出指标", "数量指标", "开展文体活动次数", "≥24次", "", "", ""),
    ("产出指标", "质量指标", "服务投诉办结率", "100%", "", "", ""),
    ("产出指标", "时效指标", "补助资金拨付时间", "2021年6月30日前", "", "", ""),
    ("效益指标", "社会效益指标", "居家养老服务覆盖率", "较上年提高", "", "", ""),
    ("满意度指标", "服务对象满意度指标", "老年人满意度", "≥90%", "", "", ""),
]
LONG_1 = [
    ("产出指标", "数量指标", "三年累计服务人次", "≥36000人次", "", "", ""),
    ("效益指标", "社会效益指标", "养老服务体系完善程度", "显著提升", "", "", ""),
]
ANNUAL_2 = [
    ("产出指标", "数量指标", "培训农户人数", "2000", "≥", "人", ""),
    ("产出指标", "质量指标", "培训合格率", "95", "≥", "%", ""),
    ("产出指标", "成本指标", "人均培训成本", "300", "≤", "元", ""),
    ("效益指标", "经济效益指标", "参训农户增收", "1000", "≥", "元/户", ""),
    ("满意度指标", "服务对象满意度指标", "参训农户满意度", "90", "≥", "%", ""),
]
ANNUAL_3 = [
    ("产出指标", "数量指标", "修缮校舍面积", "≥5000平方米", "", "", "20"),
    ("产出指标", "质量指标", "工程验收合格率", "=100%", "", "", "20"),
    ("产出指标", "时效指标", "完工时间", "2022年8月31日前", "", "", "10"),
    ("产出指标", "成本指标", "每平方米修缮成本", "≤800元", "", "", "10"),
    ("效益指标", "社会效益指标", "消除校舍安全隐患", "有效消除", "", "", "20"),
    ("满意度指标", "服务对象满意度指标", "师生满意度", "≥95%", "", "", "10"),
]


def indicator_table(rows: list[tuple[str, ...]], columns: list[tuple[str, int]], merge: bool) -> list[list[Cell]]:
    """The header and one row per indicator; 一级 / 二级 merged down over their rows when `merge`.
    columns: (header word, index into the row tuple)."""
    out: list[list[Cell]] = [[w for w, _i in columns]]
    for n, row in enumerate(rows):
        cells: list[Cell] = []
        for _w, i in columns:
            if merge and i in (0, 1):
                key = row[: i + 1]
                if n and rows[n - 1][: i + 1] == key:
                    continue  # covered by the merged cell above
                span = 1
                while n + span < len(rows) and rows[n + span][: i + 1] == key:
                    span += 1
                cells.append((row[i], 1, span))
            else:
                cells.append(row[i])
        out.append(cells)
    return out


def _left(label: str, table: list[list[Cell]]) -> list[list[Cell]]:
    """A label merged down the left side of a table (年度绩效指标 as the budget system's forms set it)."""
    first = [(label, 1, len(table)), *table[0]]
    return [first, *table[1:]]


HEADER_1: list[list[Cell]] = [
    ["项目名称", ("社区养老服务中心运营补助", 5, 1)],
    ["主管部门", ("某区民政局", 2, 1), "实施单位", ("某区养老服务指导中心", 2, 1)],
    ["项目负责人", ("李明", 2, 1), "联系电话", ("010-12345678", 2, 1)],
    ["项目属性", ("延续", 2, 1), "项目期限", ("2021年-2023年", 2, 1)],
    [("项目资金（万元）", 1, 4), ("年度资金总额", 2, 1), ("120.5", 3, 1)],
    [("其中：财政拨款", 2, 1), ("100", 3, 1)],
    [("上年结转", 2, 1), ("15.5", 3, 1)],
    [("其他资金", 2, 1), ("5", 3, 1)],
    [("总体目标", 1, 2), ("长期目标", 2, 1), ("年度目标", 3, 1)],
    [
        ("三年内建成覆盖全区的居家养老服务网络。", 2, 1),
        ("为全区老年人提供助餐、助洁等居家养老服务，开展文体活动。", 3, 1),
    ],
]

IND_COLUMNS_1 = [("一级指标", 0), ("二级指标", 1), ("三级指标", 2), ("指标值", 3)]
LAYOUT_1 = [
    ("p", "2021年度项目支出绩效目标申报表"),
    ("p", "（本表由项目实施单位填写）"),
    ("t", HEADER_1),
    ("p", "长期绩效指标"),
    ("t", indicator_table(LONG_1, IND_COLUMNS_1, True)),
    ("p", "年度绩效指标"),
    ("t", indicator_table(ANNUAL_1, IND_COLUMNS_1, True)),
    ("p", "填表人：王芳    联系电话：010-12345679    填报日期：2021年1月10日"),
]

IND_COLUMNS_2 = [("一级指标", 0), ("二级指标", 1), ("三级指标", 2), ("指标性质", 4), ("指标值", 3), ("度量单位", 5)]
LAYOUT_2 = [
    ("p", "某省2023年度项目支出绩效目标申报表"),
    (
        "t",
        [
            ["项目名称", ("高素质农民培训", 6, 1)],
            ["主管部门", ("某省农业农村厅", 2, 1), "实施单位", ("某省农业广播电视学校", 3, 1)],
            ["项目负责人", ("赵强", 2, 1), "联系电话", ("0311-8765432", 3, 1)],
            [("项目资金（万元）", 1, 5), ("年度资金总额", 2, 1), ("80.0000", 4, 1)],
            [("其中：财政资金", 2, 1), ("60", 4, 1)],
            [("财政专户管理资金", 2, 1), ("0", 4, 1)],
            [("单位资金", 2, 1), ("15", 4, 1)],
            [("其他资金", 2, 1), ("5", 4, 1)],
            [("长期目标", 1, 1), ("全面提升农民生产经营能力。", 6, 1)],
            [("年度目标", 1, 1), ("培训高素质农民2000人，带动参训农户增收。", 6, 1)],
            *_left("年度绩效指标", indicator_table(ANNUAL_2, IND_COLUMNS_2, True)),
        ],
    ),
]

IND_COLUMNS_3 = [("一级指标", 0), ("二级指标", 1), ("三级指标", 2), ("指标值", 3), ("分值", 6), ("备注", 5)]
LAYOUT_3 = [
    ("p", "2022年度项目支出绩效目标申报表"),
    (
        "t",
        [
            [("项目名称：中小学校舍维修改造", 3, 1), ("项目编码：110000220001", 3, 1)],
            [("主管部门：某县教育局", 3, 1), ("实施单位：某县第一中学", 3, 1)],
            [("项目负责人：周敏", 3, 1), ("联系电话：0310-5551234", 3, 1)],
            [("资金总额（万元）：400", 2, 1), ("当年财政拨款：350", 2, 1), ("上年结转：50", 2, 1)],
            [("年度绩效目标", 1, 1), ("完成5000平方米校舍修缮，消除安全隐患。", 5, 1)],
            *indicator_table(ANNUAL_3, IND_COLUMNS_3, False),
        ],
    ),
]

LAYOUTS = {
    "two_tables": (LAYOUT_1, ANNUAL_1),
    "nature_unit": (LAYOUT_2, ANNUAL_2),
    "budget_export": (LAYOUT_3, ANNUAL_3),
}


# ---------------------------------------------------------------- writing


def place(rows: list[list[Cell]]) -> tuple[dict[tuple[int, int], str], list[tuple[int, int, int, int]], int]:
    """(text by (row, col) from 0, merged ranges, width) of a table's rows."""
    taken: set[tuple[int, int]] = set()
    values: dict[tuple[int, int], str] = {}
    merges = []
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            text, cs, rs = (cell, 1, 1) if isinstance(cell, str) else cell
            values[(r, c)] = text
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    taken.add((rr, cc))
            if cs > 1 or rs > 1:
                merges.append((r, c, r + rs - 1, c + cs - 1))
            c += cs
            width = max(width, c)
    return values, merges, width


def write_xlsx(blocks: list[tuple], path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "申报表"
    width = max(place(b[1])[2] for b in blocks if b[0] == "t")
    r0 = 1
    for kind, content in blocks:
        if kind == "p":
            ws.cell(row=r0, column=1, value=content)
            ws.merge_cells(start_row=r0, start_column=1, end_row=r0, end_column=width)
            r0 += 1
            continue
        values, merges, _w = place(content)
        for (r, c), text in values.items():
            ws.cell(row=r0 + r, column=c + 1, value=text)
        for r1, c1, r2, c2 in merges:
            ws.merge_cells(start_row=r0 + r1, start_column=c1 + 1, end_row=r0 + r2, end_column=c2 + 1)
        r0 += len(content)
    wb.save(path)
    return path


def write_docx(blocks: list[tuple], path: Path) -> Path:
    from docx import Document

    doc = Document()
    for kind, content in blocks:
        if kind == "p":
            doc.add_paragraph(content)
            continue
        values, merges, width = place(content)
        table = doc.add_table(rows=len(content), cols=width)
        table.style = "Table Grid"
        for r1, c1, r2, c2 in merges:
            table.cell(r1, c1).merge(table.cell(r2, c2))
        for (r, c), text in values.items():
            table.cell(r, c).text = text
    doc.save(path)
    return path


def selfeval_blocks(form) -> tuple[list[tuple], list[tuple]]:
    """A 自评表 as the program's own workbook lays it out (formulas left empty, as a clerk types it), as blocks
    for Word (the title rows as paragraphs above one table) and as cells for a workbook typed the same way."""
    from selfeval_gui.files.xlsx.export import build_workbook
    from selfeval_gui.files.xlsx.grid import as_text

    wb, _maps = build_workbook([form])
    ws = wb.worksheets[0]
    cells: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None and c.data_type != "f" and as_text(c.value).strip():
                cells[(c.row - 1, c.column - 1)] = as_text(c.value)
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return _as_rows(cells, merges, ws.max_row, ws.max_column)


def _as_rows(cells, merges, n_rows, n_cols) -> tuple[list[tuple], list[tuple]]:
    covered = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    span = {(r1, c1): (c2 - c1 + 1, r2 - r1 + 1) for r1, c1, r2, c2 in merges}
    start = next(r for (r, _c), v in sorted(cells.items()) if v == "项目名称")
    paragraphs = [("p", cells[(r, 0)]) for r in range(start) if (r, 0) in cells]
    rows: list[list[Cell]] = []
    for r in range(start, n_rows):
        row: list[Cell] = []
        for c in range(n_cols):
            if (r, c) in covered and (r, c) not in span:
                continue
            cs, rs = span.get((r, c), (1, 1))
            row.append((cells.get((r, c), ""), cs, rs))
        rows.append(row)
    return [*paragraphs, ("t", rows)], [*paragraphs, ("t", rows)]


def write_all(out: Path) -> dict[str, tuple[Path, Path]]:
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (blocks, _rows) in LAYOUTS.items():
        written[name] = (
            write_xlsx(blocks, out / f"申报表_{name}.xlsx"),
            write_docx(blocks, out / f"申报表_{name}.docx"),
        )
    return written


if __name__ == "__main__":
    for name, files in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "declarations")).items():
        print(name, *files)
