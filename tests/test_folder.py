"""A unit's year without a window: the folder's rows, batch export, the 汇总表, next year's drafts, the folder
commands of the command line."""

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval_gui.cli.main import run
from selfeval_gui.domain.checks import check, has_errors
from selfeval_gui.domain.vocabulary import DRAFT_WORD, FINAL_WORD
from selfeval_gui.domain.yearbook import grade_counts, next_year_form, project_row, totals
from selfeval_gui.files.folder.batch import export_batch
from selfeval_gui.files.folder.listing import FORM, UNREADABLE, WORKBOOK, list_folder
from selfeval_gui.files.folder.next_year import write_next_year
from selfeval_gui.files.folder.summary_xlsx import SummaryItem, write_summary_xlsx
from selfeval_gui.files.formfile import load_form, save_form
from selfeval_gui.files.xlsx.export import export_xlsx

from .support import BLANK, SEED1, SEED2
from .test_pdf import pdftotext, squash

CLEAN = "公共事务协管经费（改正）"


def make_folder(root):
    """The two seed forms, the blank form, a broken file, a workbook — and a clean copy of seed 1."""
    d = root / "绩效自评" / "2020年度"
    d.mkdir(parents=True)
    for src in (SEED1, SEED2, BLANK):
        shutil.copy(src, d / src.name)
    (d / "坏的表.json").write_text("{ 这不是 JSON", encoding="utf-8")
    export_xlsx([load_form(SEED2)], d / "导入用.xlsx")
    return d


def clean_form():
    form = load_form(SEED1)
    form.project_name = CLEAN
    form.stated_total_score = Decimal(100)  # the seed's typo (1000) corrected: no error left
    assert not has_errors(check(form))
    return form


def test_folder_lists_every_file_with_the_forms_own_figures(tmp_path):
    d = make_folder(tmp_path)
    entries = {e.name: e for e in list_folder(d)}
    assert len(entries) == 5
    assert entries["坏的表.json"].kind == UNREADABLE and "不是有效的 JSON" in entries["坏的表.json"].error
    assert entries["导入用.xlsx"].kind == WORKBOOK
    seed2 = entries[SEED2.name]
    assert seed2.kind == FORM and seed2.status == DRAFT_WORD
    row = seed2.row
    assert (row.project_name, row.year, row.budget, row.executed) == (
        "城管以奖促治经费",
        2020,
        Decimal("703.63"),
        Decimal("419.5215"),
    )
    assert (row.rate_text, row.entered_total, str(row.computed_total), row.grade) == ("60%", 96, "90.67", "优")
    assert row.errors == 3 and row.warnings == 2
    assert entries[SEED1.name].row.rate_text == "99%"
    assert entries[BLANK.name].row.rate is None


def test_status_comes_from_the_form_file(tmp_path, seed2):
    """草稿 / 定稿 as the file records it (issue 15's status block); a finalized file changed outside says so."""
    import json

    from selfeval_gui.domain.yearbook import CHANGED_SINCE_FINAL
    from selfeval_gui.files.folder.listing import read_entry
    from selfeval_gui.files.formfile import fingerprint, save_form

    path = tmp_path / "表.json"
    save_form(seed2, path)
    assert read_entry(path).status == DRAFT_WORD
    seed2.finalize("2021-02-24 10:00", fingerprint(seed2))
    save_form(seed2, path)
    assert read_entry(path).status == FINAL_WORD
    data = json.loads(path.read_text(encoding="utf-8"))
    data["header"]["project_name"] = "改过的名字"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert read_entry(path).status == CHANGED_SINCE_FINAL


def test_totals_and_grades_from_the_same_rule(seed1, seed2):
    rows = [project_row(seed1), project_row(seed2)]
    t = totals(rows)
    assert t.budget == Decimal("1854.0227") and t.executed == Decimal("1562.3215")
    assert t.rate_text(2) == "84.27%"
    assert grade_counts(rows) == {"优": 2, "良": 0, "中": 0, "差": 0}


def test_batch_export_writes_clean_forms_and_lists_the_skipped(tmp_path):
    d = make_folder(tmp_path)
    save_form(clean_form(), d / "改正.json")
    out = tmp_path / "导出"
    sources = [e.path for e in list_folder(d) if e.kind != WORKBOOK]
    result = export_batch(sources, out, pdf=True, xlsx=True)
    assert sorted(p.name for p in out.iterdir()) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]
    assert "公共事务协管经费（改正）" in squash(pdftotext(out / f"{CLEAN}.pdf"))
    assert load_workbook(out / f"{CLEAN}.xlsx").sheetnames[0] == CLEAN
    skipped = dict(result.skipped)
    assert set(skipped) == {SEED1.name, SEED2.name, BLANK.name, "坏的表.json"}
    assert "3 处错误" in skipped[SEED2.name]
    # a second export replaces its own earlier output of the same form, never piling up 名称（2）
    export_batch([d / "改正.json"], out, pdf=True)
    assert sorted(p.name for p in out.iterdir()) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]


def test_cancel_leaves_no_partial_file(tmp_path):
    d = tmp_path / "表"
    d.mkdir()
    for n in range(3):
        f = clean_form()
        f.project_name = f"项目{n}"
        save_form(f, d / f"{n}.json")
    out = tmp_path / "导出"
    calls = []

    def progress(done, total, name):
        calls.append(name)
        return done < 1  # cancel before the second file

    result = export_batch(sorted(d.iterdir()), out, pdf=True, progress=progress)
    assert result.cancelled
    assert [p.name for p in out.iterdir()] == ["项目0.pdf"]  # no .tmp, no half file


def test_summary_workbook(tmp_path):
    d = make_folder(tmp_path)
    items = [SummaryItem(e.row, e.status) for e in list_folder(d) if e.row is not None]
    m = write_summary_xlsx(items, tmp_path / "汇总.xlsx")
    ws = load_workbook(tmp_path / "汇总.xlsx").active
    names = [ws.cell(r, 2).value for r in range(m.first, m.last + 1)]
    assert names == [
        "城管以奖促治经费",
        "公共事务协管经费",
    ]  # by 主管部门 (朝阳区… before 朝阳城…); the blank form left out
    assert ws.cell(m.total_row, 6).value == f"=SUM(F{m.first}:F{m.last})"
    assert ws.cell(m.total_row, 8).value.startswith("=IF(")
    assert ws.cell(m.grade_rows["优"], 3).value.startswith("=COUNTIF(K")
    assert ws.cell(m.low_rows[0], 2).value == "城管以奖促治经费"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"


def test_next_year_keeps_indicators_and_clears_the_results(seed2):
    new = next_year_form(seed2)
    assert new.year == 2021 and new.project_name == seed2.project_name
    assert new.goal_expected == seed2.goal_expected and new.goal_actual == ""
    assert new.fund("total").executed is None and new.fund("total").budget == Decimal("703.63")
    old_rows, new_rows = seed2.indicators(), new.indicators()
    assert [(i.name, i.target, i.weight) for i in new_rows] == [(i.name, i.target, i.weight) for i in old_rows]
    assert all(i.actual == "" and i.score is None and i.deviation == "" and i.grade is None for i in new_rows)
    assert new.stated_total_score is None and new.stated_total_weight is None and new.budget_score is None
    assert new.fill_date == "" and seed2.year == 2020 and seed2.indicators()[0].actual == "14节"


def test_next_year_files_never_overwrite(tmp_path):
    d = make_folder(tmp_path)
    r1 = write_next_year([d / SEED2.name])
    assert [new.name for _, new in r1.written] == ["城管以奖促治经费_2021.json"]
    r2 = write_next_year([d / SEED2.name])
    assert [new.name for _, new in r2.written] == ["城管以奖促治经费_2021（2）.json"]
    assert load_form(r1.written[0][1]).year == 2021


# ------------------------------------------------------------------ command line


def test_cli_list_json(tmp_path, capsys):
    d = make_folder(tmp_path)
    code = run(["list", str(d), "--json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 2  # a file could not be read, as `check` says
    assert len(rows) == 5
    seed2 = next(r for r in rows if r["file"].endswith(SEED2.name))
    assert (seed2["rate"], seed2["computed_total"], seed2["grade"], seed2["errors"]) == ("60%", "90.67", "优", 3)


def test_cli_list_text_and_exit_codes(tmp_path, capsys):
    d = tmp_path / "干净"
    d.mkdir()
    save_form(clean_form(), d / "a.json")
    assert run(["list", str(d)]) == 0
    assert CLEAN in capsys.readouterr().out
    shutil.copy(SEED2, d)
    assert run(["list", str(d)]) == 1
    assert run(["list", str(tmp_path / "没有")]) == 2


def test_cli_export_folder_summary_and_next_year(tmp_path, capsys):
    d = make_folder(tmp_path)
    save_form(clean_form(), d / "改正.json")
    assert run(["export", str(d), "--pdf", str(tmp_path / "pdf"), "--xlsx", str(tmp_path / "xlsx")]) == 2
    out = capsys.readouterr().out
    assert [p.name for p in (tmp_path / "pdf").iterdir()] == [f"{CLEAN}.pdf"]
    assert [p.name for p in (tmp_path / "xlsx").iterdir()] == [f"{CLEAN}.xlsx"]
    assert "坏的表.json" in out and "3 处错误" in out
    assert run(["summary", str(d), "-o", str(tmp_path / "汇总.xlsx"), "--pdf", str(tmp_path / "汇总.pdf")]) == 2
    text = squash(pdftotext(tmp_path / "汇总.pdf"))
    assert "城管以奖促治经费" in text and "84.27%" not in text  # 4 projects: the clean copy counts too
    assert "合计" in text
    assert run(["next-year", str(d / SEED2.name), "-o", str(tmp_path / "2021"), "--year", "2021"]) == 0
    assert load_form(tmp_path / "2021" / "城管以奖促治经费_2021.json").indicators()[0].target == "30-50节"
    assert run(["next-year", str(d), "-o", str(tmp_path / "all")]) == 2  # the broken file is named
    assert len(list((tmp_path / "all").iterdir())) == 4
    assert run(["next-year", str(d), "-o", str(tmp_path / "x"), "--year", "99999"]) == 2


@pytest.mark.libreoffice
@pytest.mark.slow
def test_summary_totals_recalculate_in_libreoffice(tmp_path):
    from .test_xlsx_libreoffice import SOFFICE, _convert

    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed")
    d = make_folder(tmp_path)
    rows = [e.row for e in list_folder(d) if e.row is not None]
    m = write_summary_xlsx([SummaryItem(r, DRAFT_WORD) for r in rows], tmp_path / "汇总.xlsx")
    (tmp_path / "lo").mkdir()
    ws = load_workbook(
        _convert(tmp_path / "汇总.xlsx", tmp_path / "lo", "xlsx", tmp_path / "profile"), data_only=True
    ).active
    t = totals(rows)
    assert Decimal(repr(ws.cell(m.total_row, 6).value)) == t.budget
    assert Decimal(repr(ws.cell(m.total_row, 7).value)).quantize(Decimal("0.0001")) == t.executed
    assert round(ws.cell(m.total_row, 8).value, 8) == round(float(t.rate), 8)
    counts = grade_counts(rows)
    assert {g: ws.cell(r, 3).value for g, r in m.grade_rows.items()} == counts
    seed2_row = next(r for r in range(m.first, m.last + 1) if ws.cell(r, 2).value == "城管以奖促治经费")
    assert round(ws.cell(seed2_row, 8).value, 6) == round(float(Decimal("419.5215") / Decimal("703.63")), 6)


def test_summary_pdf_landscape_embedded_font_header_on_every_page(tmp_path):
    from pypdf import PdfReader

    from selfeval_gui.files.folder.summary_pdf import write_summary_pdf
    from selfeval_gui.files.pdf.fonts import find_font

    if not find_font().embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine (CI installs fonts-wqy-microhei)")
    base = load_form(SEED2)
    items = []
    for n in range(45):
        base.project_name = f"项目{n:02d}"
        items.append(SummaryItem(project_row(base), DRAFT_WORD))
    write_summary_pdf(items, tmp_path / "汇总.pdf")
    reader = PdfReader(str(tmp_path / "汇总.pdf"))
    assert len(reader.pages) >= 2
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    fonts = [f.get_object() for p in reader.pages for f in p["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f.get("/FontDescriptor", {}) for f in fonts)
    for p in reader.pages[:2]:  # the column header on the continuation page too
        assert "全年预算数" in squash(p.extract_text())
    text = squash(pdftotext(tmp_path / "汇总.pdf"))
    assert "项目44" in text and "合计" in text and "执行率低于90%的项目（45个）" in text


def test_cli_export_folder_with_draft_writes_the_drafts_of_forms_with_errors(tmp_path, capsys):
    """`export FOLDER --pdf DIR --draft`: clean forms get their final copy, forms with errors their 草稿 copy
    (名称_草稿.pdf); the exit code still says there are errors (and an unreadable file: 2)."""
    from .support import page_texts

    d = make_folder(tmp_path)
    save_form(clean_form(), d / "改正.json")
    out = tmp_path / "pdf"
    assert run(["export", str(d), "--pdf", str(out), "--draft"]) == 2
    names = sorted(p.name for p in out.iterdir())
    assert f"{CLEAN}.pdf" in names and "城管以奖促治经费_草稿.pdf" in names and "公共事务协管经费_草稿.pdf" in names
    assert "草稿" in "".join(page_texts(out / "城管以奖促治经费_草稿.pdf"))
    assert "草稿" not in "".join(page_texts(out / f"{CLEAN}.pdf"))
    said = capsys.readouterr().out
    assert "其中草稿" in said or "_草稿.pdf" in said


def test_export_folder_reads_each_form_once(tmp_path, monkeypatch):
    """The list's forms are reused by the batch (files/folder/batch.py), on the command line as in the window."""
    from selfeval_gui.files import formfile
    from selfeval_gui.files.folder import batch, listing

    d = tmp_path / "表"
    d.mkdir()
    shutil.copy(SEED1, d / SEED1.name)
    shutil.copy(SEED2, d / SEED2.name)
    reads = []
    real = formfile.load_form

    def counting(path, *a, **k):
        reads.append(Path(path).name)
        return real(path, *a, **k)

    monkeypatch.setattr(listing, "load_form", counting)
    monkeypatch.setattr(batch, "load_form", counting)
    run(["export", str(d), "--pdf", str(tmp_path / "出"), "--draft"])
    assert sorted(reads) == sorted([SEED1.name, SEED2.name])
    assert len(list((tmp_path / "出").glob("*.pdf"))) == 2
