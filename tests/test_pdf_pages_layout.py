"""What a clerk sees page by page in the form's PDF (草稿 and 正式 alike): the 绩效指标 table's column header on every
page the table continues on, the 总分 row never alone on a page, and columns as wide as what they hold."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from reportlab.lib.units import mm

from selfeval_gui.domain import vocabulary as words
from selfeval_gui.domain.checks import check
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.pdf import columns
from selfeval_gui.files.pdf.fonts import find_font
from selfeval_gui.files.pdf.form_pdf import (
    FINDINGS_TITLE,
    FONT_SIZE,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    PAGE_H,
    _FormBuilder,
    _Styles,
    render_pdf,
    write_pdf,
)
from selfeval_gui.files.pdf.layout import Layout, inner_width
from selfeval_gui.files.pdf.text import TextPrep
from selfeval_gui.files.pdf.textblock import break_lines

from .support import SEED2, fix_seed2, page_texts, province_form

HEADER = (
    words.LEVEL1,
    words.LEVEL2,
    words.LEVEL3,
    words.TARGET,
    words.ACTUAL,
    words.WEIGHT,
    words.SCORE,
    words.DEVIATION,
)
ROW = re.compile(r"指标\d+：")  # the 三级指标 cell of a row: 指标1：完成课程数
LONG_TARGET = (
    "按照年度工作计划完成辖区内全部背街小巷的环境整治，整治面积不少于十二万平方米，"
    "并建立长效管护机制，确保整治后的街巷保持整洁有序，群众满意度明显提升并达到标准要求"
)[:80]
END = "以上措施下年度落实完毕"  # the last words of a long 偏差原因 cell


def many_rows(n: int):
    """Seed 2 without errors and n more one-line indicator rows (分值 0, so the totals stay right)."""
    form = fix_seed2(load_form(SEED2))
    rows = form.tree[0].children[0].indicators
    rows += [Indicator(f"巡查路段{i:03d}", "≥90%", "95%", Decimal(0), Decimal(0)) for i in range(n)]
    return form


def table_pages(form, tmp_path, draft: bool) -> list[str]:
    """The text of each page before the draft's 检查结果 page, whitespace removed."""
    out = tmp_path / ("草稿.pdf" if draft else "正式.pdf")
    write_pdf(form, out, draft=draft)
    pages = page_texts(out)
    ends = [n for n, text in enumerate(pages) if text.startswith(FINDINGS_TITLE)]
    return pages[: ends[0]] if ends else pages


def header_end(text: str) -> int:
    """Where the column header's words end, read in their order from 一级指标 on; -1 when one is missing."""
    at = 0
    for word in HEADER:
        found = text.find(word, at)
        if found < 0:
            return -1
        at = found + len(word)
    return at


def header_problems(pages: list[str], row_marks: tuple[str, ...] = ()) -> list[str]:
    """Pages with indicator rows but no column header above them, and pages where the 总分 row stands without an
    indicator row (or without the header)."""
    problems = []
    for n, text in enumerate(pages, start=1):
        first = [m.start() for m in ROW.finditer(text)] + [text.find(mark) for mark in row_marks if mark in text]
        total = text.rfind(words.TOTAL)
        if not first and total < 0:
            continue
        head = header_end(text)
        if head < 0:
            problems.append(f"第{n}页没有完整的表头：{text[:80]}")
        elif first and head > min(first):
            problems.append(f"第{n}页的表头不在指标行之上")
        if total >= 0 and not [at for at in first if at < total]:
            problems.append(f"第{n}页的总分行没有指标行相伴")
    return problems


def layout_of(form, draft: bool) -> Layout:
    font = find_font()
    builder = _FormBuilder(form, evaluate(form), _Styles(font), TextPrep(font), draft)
    return Layout(builder.bands(check(form) if draft else None), PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)


INDICATORS, TOTAL = 4, 5  # the bands of the 绩效指标 table and of its 总分 row (_FormBuilder.bands)


def total_pages_ok(lay: Layout) -> bool:
    """Every page holding the 总分 row holds an indicator row above it, under the table's header."""
    for page in lay.pages:
        if not any(p.band == TOTAL for p in page.rows):
            continue
        table = [p for p in page.rows if p.band == INDICATORS]
        if not table or table[0].row != 0 or not any(p.row > 0 for p in table):
            return False
    return True


# ------------------------------------------------------------------ the header on every page


@pytest.mark.parametrize("draft", [False, True], ids=["正式", "草稿"])
def test_every_page_of_the_indicator_table_starts_with_its_column_header(tmp_path, draft):
    pages = table_pages(many_rows(120), tmp_path, draft)
    with_rows = [text for text in pages if ROW.search(text)]
    assert len(with_rows) >= 3  # the table runs over several pages
    assert header_problems(pages) == []


def test_a_template_with_extra_columns_repeats_them_too(tmp_path):
    form = province_form()
    form.tree[0].children[0].indicators += [
        Indicator(f"养护路段{i:03d}", "≥90%", "95%", Decimal(0), Decimal(0), nature="正向", measure_unit="%")
        for i in range(90)
    ]
    for draft in (False, True):
        pages = table_pages(form, tmp_path, draft)
        assert sum(1 for text in pages if ROW.search(text)) >= 2
        assert header_problems(pages) == []
        for text in pages:
            if ROW.search(text):
                assert words.NATURE in text and words.MEASURE_UNIT in text


# ------------------------------------------------------------------ the 总分 row never alone


def test_the_total_row_never_stands_alone_whatever_the_number_of_rows(tmp_path):
    """The counts cover more than a page's worth of rows, so the 总分 row (and the sign-off under it) falls at the
    foot of a page, just past it and everywhere between; each time it goes overleaf with an indicator row and the
    header above them."""
    pulled = 0
    for n in range(18, 62):
        form = many_rows(n)
        for draft in (False, True):
            pages = table_pages(form, tmp_path, draft)
            assert header_problems(pages) == [], (n, draft)
            last = next(text for text in pages if words.TOTAL in text)
            pulled += pages.index(last) > 0 and len(ROW.findall(last)) <= 2
            assert total_pages_ok(layout_of(form, draft)), (n, draft)
    assert pulled >= 4  # the boundary was really met, in both copies


def test_seed_two_takes_its_last_indicator_row_along_with_the_total(tmp_path):
    """Seed 2's sign-off does not fit under its table: the 总分 row goes with it, and so does the 满意度 row above."""
    for draft in (False, True):
        pages = table_pages(fix_seed2(load_form(SEED2)), tmp_path, draft)
        assert len(pages) == 2
        assert header_problems(pages) == []
        assert "对平台满意度" in pages[1] and words.TOTAL in pages[1] and "填表人" in pages[1]


def test_a_tall_last_row_is_cut_so_its_last_lines_go_with_the_total(tmp_path):
    """A last indicator row filling its page whole: its last lines go overleaf with the 总分 row, under the header."""
    cut = 0
    for n in range(40, 56):
        form = fix_seed2(load_form(SEED2))
        last = form.tree[-1].children[-1].indicators[-1]
        last.deviation = "满意度调查样本偏少，下年度扩大调查范围。" * n + END
        lay = layout_of(form, False)
        assert total_pages_ok(lay), n
        cut += any(p.piece and p.band == INDICATORS for page in lay.pages for p in page.rows)
        if n % 5 == 0:
            for draft in (False, True):
                pages = table_pages(form, tmp_path, draft)
                assert header_problems(pages, row_marks=(END[-4:],)) == [], (n, draft)
                assert "".join(pages).count(END) == 1  # every line printed once
    assert cut >= 2


# ------------------------------------------------------------------ the columns by what they hold


def long_target_form():
    """Seed 2 with an 80-character 年度指标值 and every 偏差原因 empty: the case that printed 14 lines in a column
    six characters wide beside an empty 偏差原因 column."""
    form = fix_seed2(load_form(SEED2))
    for ind in form.indicators():
        ind.deviation = ""
    form.indicators()[0].target = LONG_TARGET
    return form


def lines_of(text: str, width_mm: float) -> int:
    return len(break_lines(text, find_font().name, FONT_SIZE, inner_width(width_mm * mm)))


def printed_lines(pdf, text: str) -> int:
    """How many lines of the PDF (as pdftotext reads them) the text takes."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    lines = [line.strip() for line in raw.stdout.decode("utf-8").splitlines()]
    start = next(n for n, line in enumerate(lines) if line and text.startswith(line))
    joined, n = "", start
    while joined != text:
        joined += lines[n]
        n += 1
    return n - start


def test_a_long_target_beside_an_empty_deviation_column_gets_the_width(tmp_path):
    form = long_target_form()
    result = write_pdf(form, tmp_path / "正式.pdf")
    cols = result.indicator_cols
    assert abs(sum(cols) - 180) < 0.01
    assert cols[4] >= 30  # was 25 mm: six characters a line
    assert cols[8] < 23.5  # the empty 偏差原因 keeps only room for its heading
    assert cols[4] > cols[8]
    assert lines_of(LONG_TARGET, cols[4]) <= 10  # was 14
    assert printed_lines(tmp_path / "正式.pdf", LONG_TARGET) == lines_of(LONG_TARGET, cols[4])
    draft = render_pdf(form, draft=True)
    assert draft.indicator_cols == cols  # the draft is laid out alike


def test_short_rows_leave_the_long_target_most_of_the_room():
    font = find_font().name
    heads = (words.LEVEL3, "年度\n指标值", "实际\n完成值", "偏差原因分析\n及改进措施")
    rows = [("指标1：巡查路段", LONG_TARGET, "95%", "")] + [(f"指标{k}：巡查", "≥90%", "95%", "") for k in range(2, 9)]
    cols = columns.indicator_widths(rows, heads, font, FONT_SIZE)
    assert cols[4] >= 34 and lines_of(LONG_TARGET, cols[4]) <= 8  # was 14 lines
    assert cols[5] < 17 and cols[8] < 23.5  # the short 实际完成值 and the empty 偏差原因 at their floors
    assert lines_of("指标1：巡查路段", cols[3]) == 1  # and the names whole
    for col, head in zip(columns.FLEX, heads, strict=True):  # every heading still fits, each line whole
        assert lines_of(head, cols[col]) == head.count("\n") + 1, (head, cols[col])
    assert abs(sum(cols) - 180) < 0.01


def test_extra_columns_take_their_room_without_squeezing_the_long_target():
    form = province_form()
    for ind in form.indicators():
        ind.deviation = ""
    form.indicators()[0].target = LONG_TARGET
    cols = render_pdf(form).indicator_cols
    extras = 2
    assert len(cols) == 9 + extras and abs(sum(cols) - 180) < 0.01
    assert cols[4] == cols[5] == columns.EXTRA_WIDTH
    target, deviation = cols[4 + extras], cols[8 + extras]
    assert lines_of(LONG_TARGET, target) <= 12  # was 14
    assert lines_of("偏差原因分析", deviation) == 1  # its heading is not broken further


def test_an_empty_table_keeps_the_official_proportions_roughly():
    heads = (words.LEVEL3, "年度\n指标值", "实际\n完成值", "偏差原因分析\n及改进措施")
    cols = columns.indicator_widths([("指标1：", "", "", "")], heads, find_font().name, FONT_SIZE)
    assert abs(sum(cols) - 180) < 0.01
    assert all(abs(cols[c] - columns.DEFAULT[c]) < 6 for c in columns.FLEX)
