"""The grid layout keeps every line inside its cell and every row inside its page."""
from __future__ import annotations

from decimal import Decimal

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.fonts import find_font
from selfeval_gui.files.pdf import MARGIN_BOTTOM, MARGIN_TOP, PAGE_H, _FormBuilder, _Styles
from selfeval_gui.files.pdf_layout import HANG, Layout, _width_of, inner_width
from selfeval_gui.files.pdf_text import TextPrep

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
                para.wrap(width, 1e7)
                widest = max(para.getActualLineWidths0() or [0])
                # a closing punctuation mark may hang into the HANG reserve, never past the padding
                assert widest <= width + HANG, (cell.markup[:30], widest, width)
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
    assert {r.band for r in last.rows} >= {4, 5, 6}  # indicator rows, 总分 and the sign-off together


def test_a_long_field_is_broken_into_lines_once_not_once_per_page(tmp_path, monkeypatch):
    """Issue 14: 100,000 characters in one field took over 20 s, since what was left of the field was wrapped
    again on every page it continued on.  Counted here as the characters reportlab measures for line breaking:
    a few times the field's length, whatever the length (before: 30× at 10,000 characters, 110× at 40,000)."""
    from reportlab.lib import textsplit

    from selfeval_gui.files.formfile import load_form
    from selfeval_gui.files.pdf import write_pdf

    from .support import SEED2
    measured = [0]
    original = textsplit.getCharWidths

    def counting(word, font_name, font_size):
        measured[0] += len(word)
        return original(word, font_name, font_size)
    monkeypatch.setattr(textsplit, "getCharWidths", counting)
    n = 40_000
    form = load_form(SEED2)
    form.tree[0].children[0].indicators[0].deviation = ("课程受疫情影响未能按计划开展，下一年度将提前安排。" * 1700)[:n]
    result = write_pdf(form, tmp_path / "长.pdf", source_name="长.json")
    assert result.pages > 100
    assert measured[0] < 6 * n
