"""The grid layout keeps every line inside its cell and every row inside its page."""

from __future__ import annotations

from decimal import Decimal

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.pdf.fonts import find_font
from selfeval_gui.files.pdf.form_pdf import MARGIN_BOTTOM, MARGIN_TOP, PAGE_H, _FormBuilder, _Styles
from selfeval_gui.files.pdf.layout import HANG, PAD_X, Layout, _width_of, inner_width
from selfeval_gui.files.pdf.text import TextPrep
from selfeval_gui.files.pdf.textblock import TextBlock

LONG_URL = "https://example.com/" + "averyveryverylongpathwithoutanyspaces" * 3
DIGITS = "1234567890" * 12


def layout_of(form) -> Layout:
    font = find_font()
    builder = _FormBuilder(form, evaluate(form), _Styles(font), TextPrep(font))
    return Layout(builder.bands(), PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)


def stressed(form):
    ind = form.tree[0].children[0].indicators[0]
    ind.target, ind.actual = LONG_URL, DIGITS
    ind.deviation = "因疫情影响，培训课程未能如期开展；" * 300
    form.goal_actual = "目标" * 2000
    form.project_name = "很长的项目名称" * 20
    extra = form.tree[2].children[0].indicators
    extra += [Indicator(f"满意度{i}", "≥90%", "95%", Decimal(1), Decimal(1)) for i in range(60)]
    return form


def test_every_row_fits_its_page(seed2):
    lay = layout_of(stressed(seed2))
    assert len(lay.pages) > 5
    for page in lay.pages:
        assert page.rows
        for placed in page.rows:
            assert placed.y + placed.height <= lay.page_height + 0.01


def test_no_line_is_wider_than_its_cell(seed2):
    lay = layout_of(stressed(seed2))
    checked = 0
    for page in lay.pages:
        for placed in page.rows:
            band = lay.bands[placed.band]
            for col, para in placed.content.items():
                if para is None:
                    continue
                cell = lay.singles[placed.band][placed.row][col]
                width = inner_width(_width_of(band, cell))
                # a closing punctuation mark may hang into the HANG reserve and the padding, never past the border
                assert para.widest <= width + HANG + PAD_X, (cell.text[:30], para.widest, width)
                checked += 1
    assert checked > 100


def test_continuation_pages_repeat_the_column_header_and_labels(seed2):
    lay = layout_of(stressed(seed2))
    indicator_band = 4
    pages_with_grid = [p for p in lay.pages if any(r.band == indicator_band for r in p.rows)]
    assert len(pages_with_grid) > 2
    for page in pages_with_grid[1:]:
        first = next(r for r in page.rows if r.band == indicator_band)
        assert first.row == 0 and first.repeated


def test_the_signature_never_stands_alone_on_a_page(seed2):
    lay = layout_of(seed2)
    last = lay.pages[-1]
    assert {r.band for r in last.rows} >= {5, 6}  # 总分 and the sign-off together


def test_rows_are_kept_together_only_as_far_as_the_signature_needs(seed2):
    """Seed 2's sign-off does not fit under its table: it takes the 总分 row along, and the 总分 row takes the last
    indicator row (never alone on a page, issue 24), not the whole 满意度 block above it."""
    lay = layout_of(seed2)
    assert len(lay.pages) == 2
    indicator_band = 4
    moved = [r for r in lay.pages[1].rows if r.band == indicator_band]
    assert 1 <= len(moved) <= 2  # the header row repeated, and the last indicator row
    used = max(r.y + r.height for r in lay.pages[0].rows)
    assert used > 0.75 * lay.page_height  # no quarter of page 1 left blank (one row went along with 总分)


def test_a_number_never_breaks_from_its_unit_or_percent():
    from reportlab.lib.units import mm

    font = find_font()
    styles = _Styles(font)
    for text, whole in (
        ("2021年11月底完成预算经费100%", "100%"),
        ("完成课程数14节完成课程数14节", "14节"),
        ("金额1514.0223万元金额1514.0223万元", "1514.0223"),
        ("完成\n金额1514.0223万元金额", "1514.0223"),
    ):  # a typed line break before it too
        lines = TextBlock.of(text, styles.left, inner_width(27 * mm)).text().split("\n")
        assert len(lines) > 1 and any(whole in line for line in lines), lines


def test_names_break_only_where_they_must(seed2):
    """ "指标1：完成课程数" stays on one line: the empty-ish 偏差原因 column gives way."""
    from reportlab.lib.units import mm

    font = find_font()
    styles = _Styles(font)
    builder = _FormBuilder(seed2, evaluate(seed2), styles, TextPrep(font))
    assert len(TextBlock.of("指标1：完成课程数", styles.left, inner_width(builder.cols[3] * mm)).lines) == 1
    assert abs(sum(builder.cols) - 180) < 0.01


def test_a_long_field_is_broken_into_lines_once_not_once_per_page(tmp_path, monkeypatch):
    """Issue 14: 100,000 characters in one field took over 20 s, since what was left of the field was wrapped
    again on every page it continued on.  Counted here as the characters measured for line breaking: a few times
    the field's length, whatever the length (before: 30× at 10,000 characters, 110× at 40,000)."""
    from selfeval_gui.files.formfile import load_form
    from selfeval_gui.files.pdf import textblock as pdf_textblock
    from selfeval_gui.files.pdf.form_pdf import write_pdf

    from .support import SEED2

    measured = [0]
    original = pdf_textblock.Metrics.widths

    def counting(self, text):
        measured[0] += len(text)
        return original(self, text)

    monkeypatch.setattr(pdf_textblock.Metrics, "widths", counting)
    n = 40_000
    form = load_form(SEED2)
    form.tree[0].children[0].indicators[0].deviation = ("课程受疫情影响未能按计划开展，下一年度将提前安排。" * 1700)[:n]
    result = write_pdf(form, tmp_path / "长.pdf", source_name="长.json")
    assert result.pages > 50  # the field runs over many pages
    assert measured[0] < 6 * n


def test_a_row_split_across_pages_keeps_every_line_once(seed2):
    """Each page shows the next lines of a split cell: joined, the pieces are the whole cell, nothing twice."""
    lay = layout_of(stressed(seed2))
    pieces: dict[tuple[int, int, int], list[str]] = {}
    for page in lay.pages:
        for placed in page.rows:
            if placed.repeated:
                continue
            for col, block in placed.content.items():
                if block is not None:
                    pieces.setdefault((placed.band, placed.row, col), []).extend(t for t, _, _ in block.lines)
    split = 0
    for (b, r, col), lines in pieces.items():
        whole = lay.blocks[b][r][col]
        assert lines == [t for t, _, _ in whole.lines]
        split += any(p.piece and p.band == b and p.row == r for page in lay.pages for p in page.rows)
    assert split >= 2  # the 偏差原因 and the 实际完成情况 rows did run over pages
