"""The PDF as a clerk and the finance bureau read it: text extracted with pypdf and pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.numbers import fmt_decimal
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.formfile import fingerprint
from selfeval_gui.files.pdf.fonts import find_font
from selfeval_gui.files.pdf.form_pdf import MARGIN_BOTTOM, MARGIN_X, render_pdf, write_pdf

NOW = datetime(2021, 2, 24, 9, 30)


def squash(text: str) -> str:
    """Text without any whitespace: wrapping inside a cell inserts line breaks that the clerk did not type.

    (pdftotext runs with -raw, in drawing order, so that cells side by side are not interleaved line by line.)
    """
    return re.sub(r"\s+", "", text)


def pypdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def pdftotext(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


def seed_values(form) -> list[str]:
    """Every header field, amount, rate, score and indicator text of a seed form, as the clerk typed it."""
    ev = evaluate(form)
    values = [
        form.title,
        form.year_label,
        form.project_name,
        form.department,
        form.unit,
        form.leader,
        form.phone,
        form.goal_expected,
        form.goal_actual,
        form.filler,
        form.filler_phone,
        form.fill_date,
        ev.rate_text,
    ]
    for row in form.funds:
        values += [fmt_decimal(v) for v in (row.initial, row.budget, row.executed) if v is not None]
    values.append(fmt_decimal(form.budget_score))
    for ind in form.indicators():
        values += [ind.name, ind.target, ind.actual, fmt_decimal(ind.weight), fmt_decimal(ind.score), ind.deviation]
    for l1 in form.tree:
        values.append(l1.name)
        values += [l2.name for l2 in l1.children]
    return [v for v in values if v]


@pytest.mark.parametrize("fixture", ["seed1", "seed2"])
def test_seed_form_text_is_all_in_the_pdf(request, fixture, tmp_path):
    form = request.getfixturevalue(fixture)
    out = tmp_path / "form.pdf"
    result = write_pdf(form, out, source_name="seed.json", now=NOW)
    assert result.pages == len(PdfReader(str(out)).pages) >= 1
    for text in (pypdf_text(out), pdftotext(out)):
        flat = squash(text)
        missing = [v for v in seed_values(form) if squash(v) not in flat]
        assert missing == []
        for label in (
            "项目名称",
            "主管部门",
            "实施单位",
            "项目负责人",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "执行率",
            "年度总体目标",
            "预期目标",
            "实际完成情况",
            "一级指标",
            "二级指标",
            "三级指标",
            "偏差原因分析及改进措施",
            "总分",
            "填表人",
            "填写日期",
            "单位（盖章）",
        ):
            assert label in flat


def test_seed2_scores_as_signed_and_as_computed(seed2, tmp_path):
    out = tmp_path / "以奖促治.pdf"
    write_pdf(seed2, out, now=NOW, draft=True)
    text = squash(pdftotext(out)).split("检查结果")[0]  # the form's pages, not the findings after them
    # 完成课程数: the clerk's 10 stays, the rule's 4.67 is printed beside it
    assert "10（应为4.67）" in text
    assert text.count("应为") == 2
    # the 总分 row: 分值 100 computed (the clerk wrote 96); 得分 the column's sum 96 with the rules' 90.67 beneath
    assert "总分10096（应为90.67）" in text
    # execution rate and budget score rounded as the Chaoyang 2020 rule set says
    assert "703.63703.63419.52151060%6" in text


def test_the_should_be_note_follows_the_domains_score_differs(seed2, tmp_path, monkeypatch):
    """Whether an entered score gets its （应为…） is the domain's decision (scoring.score_differs), not the PDF's."""
    from selfeval_gui.files.pdf import form_pdf as pdf

    asked = []

    def never(entered, computed):
        asked.append((entered, computed))
        return False

    monkeypatch.setattr(pdf, "score_differs", never)
    out = tmp_path / "以奖促治.pdf"
    write_pdf(seed2, out, now=NOW, draft=True)
    text = squash(pdftotext(out)).split("检查结果")[0]
    assert "应为" not in text and "总分10096" in text  # the entered scores, as signed
    assert asked and any(e is not None and c is not None and e != c for e, c in asked)


def test_seed1_total_row_is_computed(seed1, tmp_path):
    out = tmp_path / "协管.pdf"
    write_pdf(seed1, out, now=NOW)
    text = squash(pdftotext(out))
    assert "总分100100" in text  # the form itself says 1000
    assert "1514.02231150.39271142.81099%10" in text
    assert "应为" not in text


def test_footer_on_every_page(seed1, tmp_path):
    out = tmp_path / "a.pdf"
    result = write_pdf(seed1, out, source_name="公共事务协管经费_2020.json", now=NOW)
    pages = PdfReader(str(out)).pages
    assert result.fingerprint == fingerprint(seed1)
    for n, page in enumerate(pages, start=1):
        text = squash(page.extract_text())
        assert f"第{n}页共{len(pages)}页" in text
        assert "公共事务协管经费_2020.json" in text
        assert "2021-02-2409:30" in text
        assert fingerprint(seed1) in text


def test_fingerprint_follows_the_content(seed1, tmp_path):
    a = render_pdf(seed1, now=NOW)
    seed1.tree[0].children[0].indicators[0].actual = "到位（已核对）"
    b = render_pdf(seed1, now=NOW)
    assert a.fingerprint != b.fingerprint


def test_cjk_font_is_embedded_as_subset(seed1, tmp_path):
    font = find_font()
    if not font.embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine (CI installs fonts-wqy-microhei)")
    out = tmp_path / "a.pdf"
    result = write_pdf(seed1, out, now=NOW)
    assert result.font_embedded and result.notes == []
    fonts = []
    for page in PdfReader(str(out)).pages:
        for f in page["/Resources"]["/Font"].values():
            f = f.get_object()
            fonts.append(f)
    embedded = [f for f in fonts if "/FontFile2" in f.get("/FontDescriptor", {})]
    assert embedded, "no font program embedded"
    assert len(embedded) == len(fonts), [f["/BaseFont"] for f in fonts]  # no unembedded Helvetica either
    # reportlab subsets: base names carry a six-letter tag ("AAAAAA+...")
    assert all(re.match(r"^/[A-Z]{6}\+", f["/BaseFont"]) for f in embedded)
    assert not any(f.get("/Subtype") == "/Type0" and "STSong" in f["/BaseFont"] for f in fonts)


def test_markup_and_odd_characters_come_out_as_typed(seed1, tmp_path):
    seed1.goal_expected = "R&D 研发\nA<B>C 与 <b>非粗体</b> & 1<2"
    seed1.goal_actual = "第一行\n第二行"
    seed1.tree[0].children[0].indicators[0].deviation = "完成 😀 率"
    out = tmp_path / "markup.pdf"
    result = write_pdf(seed1, out, now=NOW)
    text = pdftotext(out)
    assert "R&D 研发" in text
    assert "A<B>C 与 <b>非粗体</b> & 1<2" in text
    assert re.search(r"第一行\s*\n\s*第二行", text)
    if find_font().has_char("😀"):
        assert "😀" in text
    else:  # a clear substitute, and the clerk is told
        assert "完成 □ 率" in text
        assert any("😀" in n and "□" in n for n in result.notes)


def test_pdf_of_a_form_with_a_surrogate_in_memory(seed2, tmp_path):
    seed2.project_name, seed2.unit = "城管\ud800经费", "单位\udc00"
    result = write_pdf(seed2, tmp_path / "表.pdf")
    assert result.pages >= 1 and (tmp_path / "表.pdf").stat().st_size > 1000


def test_runs_of_spaces_are_kept(seed1, tmp_path):
    out = tmp_path / "spaces.pdf"
    write_pdf(seed1, out, now=NOW)
    text = pypdf_text(out).replace("\u00a0", " ")
    assert re.search(r"112人（上半年）\n?[ ]{4,}85人（下半", text)


def test_two_hundred_indicators_make_a_valid_multipage_pdf(seed2, tmp_path):
    for l1 in seed2.tree:
        for l2 in l1.children:
            l2.indicators = []
    n = 0
    while n < 200:
        for l1 in seed2.tree:
            for l2 in l1.children:
                n += 1
                l2.indicators.append(Indicator(f"第{n}号指标", f"≥{n}个", f"{n}个", Decimal("0.5"), Decimal("0.5")))
    out = tmp_path / "大表.pdf"
    result = write_pdf(seed2, out, now=NOW)
    reader = PdfReader(str(out))
    assert len(reader.pages) == result.pages > 3
    text = squash(pdftotext(out))
    assert all(f"第{k}号指标" in text for k in range(1, n + 1))
    for page in reader.pages[1:]:  # the column header repeats on every continuation page
        assert "一级指标二级指标三级指标" in squash(page.extract_text())
    assert f"共{result.pages}页" in text


def column_text(path, x0: float, x1: float) -> str:
    """All text drawn between x0 and x1 (points from the page's left edge), page after page, in drawing order."""
    parts: list[str] = []

    def visit(text, cm, tm, font, size):
        x = cm[4] + tm[4] * cm[0]
        y = cm[5] + tm[5] * cm[3]
        if x0 - 0.5 <= x < x1 and y > MARGIN_BOTTOM and text.strip():  # the footer is not a column
            parts.append(text)

    for page in PdfReader(str(path)).pages:
        page.extract_text(visitor_text=visit)
    return squash("".join(parts))


def test_five_thousand_character_deviation_is_all_printed(seed2, tmp_path):
    long_text = "".join(f"第{i}条原因：受疫情影响，课程未能如期开展。" for i in range(1, 400))[:5000]
    assert len(long_text) == 5000
    seed2.tree[0].children[0].indicators[0].deviation = long_text
    seed2.goal_expected = "目标" * 1500
    out = tmp_path / "长文.pdf"
    result = write_pdf(seed2, out, now=NOW)
    assert result.pages > 3
    # the 偏差原因 column, read across all its pages, is exactly what was typed: nothing clipped or lost
    cols = result.indicator_cols  # as this form's rows share the width
    x0 = MARGIN_X + sum(cols[:8]) * mm
    column = column_text(out, x0, x0 + cols[8] * mm)
    head = "偏差原因分析及改进措施"  # above it, the 项目资金 part has other columns at this x
    printed = column[column.index(head) :].replace(head, "")
    assert printed == squash(long_text)
    assert squash(pdftotext(out)).count("目标") >= 1500


def test_chinese_output_path(seed1, cn_dir):
    out = cn_dir / "公共事务协管经费（打印稿）.pdf"
    result = write_pdf(seed1, out, now=NOW)
    assert out.is_file() and result.path == str(out)
    assert PdfReader(str(out)).pages


def test_unwritable_path_gives_a_chinese_message(seed1, tmp_path):
    with pytest.raises(Exception) as info:
        write_pdf(seed1, tmp_path / "没有这个文件夹" / "a.pdf")
    assert "文件夹不存在" in getattr(info.value, "clerk_message", "")
