"""The look of a Chinese official document in Word: A4 with the usual margins, title 宋体 二号, headings 黑体 /
楷体 三号, body 仿宋 三号, page numbers "— 1 —" at the foot.  The East Asian font is set on every run
(w:rFonts w:eastAsia): without it Word uses the Latin font's fallback and WPS shows 宋体.

The font names are those Chinese Word and WPS install (宋体, 黑体, 楷体, 仿宋); a unit that has the 公文 fonts
(方正小标宋简体, 仿宋_GB2312) may change them in Word — the document's text does not depend on them.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT = "宋体", "黑体", "楷体", "仿宋"
ER_HAO, SAN_HAO, SI_HAO, WU_HAO = Pt(22), Pt(16), Pt(14), Pt(10.5)  # 二号, 三号, 四号, 五号
BLACK = RGBColor(0, 0, 0)
GREY = RGBColor(0x80, 0x80, 0x80)


def set_font(target: Any, name: str, size: Any = None, *, bold: bool | None = None) -> None:
    """Latin and East Asian font of a run or a style (target.font, target.element's rPr)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = target.element if hasattr(target, "element") else target._element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def page_setup(doc: Any) -> None:
    """A4, margins of the 党政机关公文格式 (top 3.7 cm, bottom 3.5, left 2.8, right 2.6); body style 仿宋 三号."""
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, SAN_HAO)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    for level, font in ((1, HEADING_FONT), (2, SUBHEADING_FONT)):
        style = doc.styles[f"Heading {level}"]
        set_font(style, font, SAN_HAO, bold=False)
        style.font.color.rgb = BLACK
        style.font.italic = False
        style.paragraph_format.space_before = Pt(6 if level == 1 else 0)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.first_line_indent = Pt(32)
        style.paragraph_format.keep_with_next = True


def title(doc: Any, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(16)
    p.paragraph_format.line_spacing = Pt(36)
    set_font(p.add_run(text), TITLE_FONT, ER_HAO, bold=True)


def heading(doc: Any, text: str, level: int = 1) -> None:
    p = doc.add_paragraph(style=f"Heading {level}")
    set_font(p.add_run(text), HEADING_FONT if level == 1 else SUBHEADING_FONT, SAN_HAO, bold=False)


def body(doc: Any, text: str, *, grey: bool = False) -> None:
    """A paragraph per line of `text`, each indented two characters."""
    for line in text.splitlines() or [""]:
        if not line.strip():
            continue
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        run = p.add_run(line.strip())
        set_font(run, BODY_FONT, SAN_HAO)
        if grey:
            run.font.color.rgb = GREY


def labelled(doc: Any, label: str, text: str) -> None:
    """A body paragraph that starts with a label in 黑体 (资金情况：…)."""
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    set_font(p.add_run(label), HEADING_FONT, SAN_HAO)
    set_font(p.add_run(text), BODY_FONT, SAN_HAO)


def table(doc: Any, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> None:
    """A grid table in 仿宋 五号, the header row repeated on each page and in 黑体."""
    t = doc.add_table(rows=1, cols=len(header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        _cell_text(cell, text, HEADING_FONT)
    _repeat_header(t.rows[0])
    for values in rows:
        for cell, text in zip(t.add_row().cells, values, strict=True):
            _cell_text(cell, text, BODY_FONT)
    t.autofit = False  # the widths below, not Word's guess (LibreOffice reads the grid, Word the cells)
    for column, width in zip(t.columns, widths_cm, strict=True):
        column.width = Cm(width)
    for row in t.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)


def _cell_text(cell: Any, text: str, font: str) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = Pt(14)
    set_font(p.add_run(text), font, WU_HAO)


def _repeat_header(row: Any) -> None:
    props = row._tr.get_or_add_trPr()
    mark = OxmlElement("w:tblHeader")
    mark.set(qn("w:val"), "true")
    props.append(mark)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE) that Word and WPS fill in when the page is laid out."""
    run = paragraph.add_run()
    set_font(run, BODY_FONT, SI_HAO)
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def header_and_footer(doc: Any, header_text: str, footer_text: str) -> None:
    """The page header (草稿, or nothing) and the footer: footer_text (定稿 and the fingerprint) and the page."""
    section = doc.sections[0]
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if header_text:
        set_font(head.add_run(header_text), HEADING_FONT, SI_HAO)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if footer_text:
        set_font(foot.add_run(footer_text + "    "), BODY_FONT, Pt(9))
    set_font(foot.add_run("— "), BODY_FONT, SI_HAO)
    _field(foot, "PAGE")
    set_font(foot.add_run(" —"), BODY_FONT, SI_HAO)
