"""The cell text of the form's PDF (pdf_textblock): where lines break, the smaller notes, shrinking a label."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from selfeval_gui.files.pdf.fonts import find_font
from selfeval_gui.files.pdf.layout import Band, Cell, Layout
from selfeval_gui.files.pdf.textblock import CANNOT_START, CHINESE_CANNOT_START, Run, Style, TextBlock, text_width


@pytest.fixture(scope="module")
def style() -> Style:
    return Style(find_font().name, 9, 12)


def lines_of(text: str, style: Style, width: float) -> list[str]:
    return [t for t, _, _ in TextBlock.of(text, style, width).lines]


def test_chinese_punctuation_never_starts_a_line_and_hangs_instead(style):
    text = "因疫情影响，培训课程未能如期开展；下一年度将提前安排。计划（一）完成、（二）完成！是否？" * 3
    hung = 0
    for width in range(40, 160, 3):
        lines = lines_of(text, style, width)
        assert "".join(lines) == text
        assert not any(line[0] in CHINESE_CANNOT_START for line in lines[1:]), (width, lines)
        for line in lines:  # only a hung mark goes past the width, and only one
            if text_width(line, style.font, 9) > width + 1e-6:
                assert line[-1] in CHINESE_CANNOT_START and text_width(line[:-1], style.font, 9) <= width + 1e-6
                hung += 1
    assert hung > 0


def test_latin_words_break_at_spaces_and_an_overlong_word_by_characters(style):
    words = "performance evaluation of the project budget and outputs".split()
    for width in (60, 80, 110):
        lines = lines_of(" ".join(words), style, width)
        assert [w for line in lines for w in line.split(" ")] == words, lines
    url = "https://example.com/" + "averyveryverylongpath" * 3
    lines = lines_of(f"见 {url}", style, 70)
    # longer than a line wherever it starts: it is not moved off the 见 line, just cut where each line is full
    assert lines[0].startswith("见 h") and "".join(lines) == f"见 {url}" and len(lines) > 3
    assert all(text_width(line, style.font, 9) <= 70 for line in lines)


def test_typed_line_breaks_and_runs_of_spaces_are_kept(style):
    assert lines_of("第一行\n\n第三行\n", style, 200) == ["第一行", "", "第三行"]
    assert lines_of("  缩进", style, 200) == ["  缩进"]
    lines = lines_of("112人（上半年）     85人（下半年）", style, 70)
    assert lines[1].startswith("     85人")  # the clerk's alignment moves down whole


def test_a_note_prints_in_its_own_size_on_lines_of_its_own(style):
    block = TextBlock.of("10", style.scaled(9), 40, (Run("（应为4.67）", 7),))
    assert [(t, size) for t, size, _ in block.lines] == [("10", 9), ("（应为4.67）", 7)]
    assert block.height == 2 * style.leading


def test_a_spanned_label_shrinks_to_fit_a_small_fragment(style):
    label = Cell(0, 0, "服务对象满意度指标", Style(style.font, 9, 12, center=True), rowspan=2, repeat=True)
    band = Band([40.0, 200.0], [label, Cell(0, 1, "甲", style), Cell(1, 1, "乙", style)], min_row_height=16)
    lay = Layout([band], 800)
    assert lay._fit(label, 40, 200).style.size == 9  # room enough: its own size
    small = lay._fit(label, 40, 22)
    assert small.style.size < 9 and small.height + 5 <= 22
    assert "".join(t for t, _, _ in small.lines) == "服务对象满意度指标"


ALPHABET = "因疫情影响培训课程，。；：）（、％%0123456789.,abcdefgh-/ 　"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=120), width=st.floats(min_value=4, max_value=200))
def test_any_text_is_broken_into_lines_that_keep_every_character(text, width):
    """Whatever the text and the width: the breaking ends, loses no character but spaces at a break, and no line is
    wider than the cell unless it holds one character or ends in a hung mark."""
    font = find_font().name
    lines = [t for t, _, _ in TextBlock.of(text, Style(font, 9, 12), width).lines]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        if text_width(line, font, 9) > width + 1e-6:
            assert len(line) == 1 or line[-1] in CANNOT_START, (line, lines)
