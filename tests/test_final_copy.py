"""Issue 15 without a window: 草稿 and 正式 copies, 定稿 in the file (format version 2), the command line's exit
codes, the 报送材料 package, and the computed total that never counts what the rules forbid."""

from __future__ import annotations

import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_gui.cli import main as cli
from selfeval_gui.domain.checks import WARNING, check, errors_of
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.formfile import dumps, fingerprint, form_to_data, load_form, save_form
from selfeval_gui.files.pdf.form_pdf import write_pdf
from selfeval_gui.files.xlsx.export import export_xlsx
from selfeval_gui.paths import resource_path

from .support import SEED1, SEED2, page_texts

AT = "2021-02-25T09:30:00"


def finalized(form, path):
    form.finalize(AT, fingerprint(form))
    save_form(form, path)
    return path


# ---------------------------------------------------------------- item 4: the computed total


def test_an_entered_score_above_its_band_counts_as_the_rules_allow(seed2):
    qualitative = evaluate(seed2).result_at((0, 1, 0))  # 选题设计: a qualitative target, 分值 10
    ind = qualitative.indicator
    ind.grade = "achieved"  # band 8～10
    before = evaluate(seed2).total_score
    old = ind.score
    ind.score = Decimal(15)
    ev = evaluate(seed2)
    r = ev.result_at(qualitative.path)
    assert r.effective == 10 and ev.total_score == before - old + 10
    assert "填报 15，按规则计 10" in r.explanation
    ind.score = Decimal(5)  # below 达成's band 8～10: counted as 8
    r = evaluate(seed2).result_at(qualitative.path)
    assert r.effective == 8 and "填报 5，按规则计 8" in r.explanation


def test_an_uncomputable_score_is_held_to_its_weight():
    from selfeval_gui.domain.rules import get_rule_set
    from selfeval_gui.domain.scoring import score_indicator

    ind = Indicator("指标", "按合同要求", "完成", Decimal(10), Decimal(12))
    r = score_indicator(ind, get_rule_set("chaoyang-2020"))
    assert r.computed is None and r.effective == 10 and "按规则计 10" in r.explanation


# ---------------------------------------------------------------- the file: version 2, 定稿, history


def test_a_version_1_file_opens_unchanged_and_saves_as_version_2(cn_dir):
    data = json.loads(SEED1.read_text(encoding="utf-8"))
    data["version"] = 1
    del data["status"]
    old = cn_dir / "旧版.json"
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    form = load_form(old)
    assert form == load_form(SEED1) and form.finalized is None and form.history == []
    assert fingerprint(form) == fingerprint(load_form(SEED1))
    save_form(form, old)
    saved = json.loads(old.read_text(encoding="utf-8"))
    assert saved["version"] == 2 and saved["status"] == {"state": "draft", "history": []}
    assert {k: v for k, v in saved.items() if k not in ("version", "status")} == {
        k: v for k, v in data.items() if k != "version"
    }


def test_finalized_forms_and_their_history_match_the_schema(clean2, cn_dir):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(resource_path("schema", "selfeval-form.schema.json").read_text(encoding="utf-8"))
    clean2.finalize(AT, fingerprint(clean2))
    clean2.unfinalize("2021-03-01T08:00:00")
    clean2.finalize("2021-03-02T08:00:00", fingerprint(clean2))
    data = form_to_data(clean2)
    jsonschema.validate(data, schema)
    v1 = {k: v for k, v in data.items() if k != "status"} | {"version": 1}
    jsonschema.validate(v1, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "status": {"state": "final"}}, schema)  # a 定稿 without time and fingerprint


def test_finalize_survives_save_and_keeps_the_fingerprint(clean2, cn_dir):
    fp = fingerprint(clean2)
    path = finalized(clean2, cn_dir / "定稿.json")
    again = load_form(path)
    assert again.finalized.fingerprint == fp == fingerprint(again)  # the status block is not content
    assert again.finalized.at == AT and again.finalized.by == clean2.filler
    assert not [f for f in check(again) if f.where == "定稿"]
    again.unfinalize("2021-03-01T08:00:00")
    save_form(again, path)
    third = load_form(path)
    assert third.finalized is None and [h.fingerprint for h in third.history] == [fp]
    assert third.history[0].revoked_at == "2021-03-01T08:00:00"


def test_a_finalized_file_edited_by_hand_opens_with_a_warning(clean2, cn_dir):
    path = finalized(clean2, cn_dir / "定稿.json")
    path.write_text(
        path.read_text(encoding="utf-8").replace("城管以奖促治经费", "城管以奖促治经费（改）"), encoding="utf-8"
    )
    form = load_form(path)
    found = [f for f in check(form) if f.where == "定稿"]
    assert len(found) == 1 and found[0].level == WARNING
    assert clean2.finalized.fingerprint in found[0].message and fingerprint(form) in found[0].message
    assert "改动" in found[0].message


# ---------------------------------------------------------------- the copies


def test_the_draft_pdf_marks_every_page_and_ends_with_the_findings(seed2, tmp_path):
    out = tmp_path / "草稿.pdf"
    result = write_pdf(seed2, out, draft=True)
    pages = page_texts(out)
    assert len(pages) == result.pages >= 2
    assert all("草稿" in p for p in pages)
    last = pages[-1]
    assert last.startswith("检查结果")
    for f in check(seed2):
        assert re.sub(r"\s+", "", f.message)[:20] in last
    assert "10（应为4.67）" in "".join(pages[:-1])


def test_the_final_pdf_is_the_form_as_filled_in(clean2, tmp_path):
    assert not errors_of(check(clean2))
    out = tmp_path / "正式.pdf"
    write_pdf(clean2, out)
    text = "".join(page_texts(out))
    assert "应为" not in text and "草稿" not in text and "检查结果" not in text and "定稿" not in text
    assert "4.67" in text


def test_the_final_pdf_never_prints_a_total_the_rules_cap(clean2, tmp_path):
    """general-2dp caps the total by the 执行率 (59.62% → at most 69): the final copy's 总分 is 69, said why."""
    clean2.rule_set, clean2.budget_score = "general-2dp", Decimal("5.96")
    clean2.stated_total_score = evaluate(clean2).entered_total_score
    assert not errors_of(check(clean2))
    out = tmp_path / "封顶.pdf"
    write_pdf(clean2, out)
    text = "".join(page_texts(out))
    assert "总分10090.63" not in text and "总分10069.00（按执行率封顶，未封顶为90.63）" in text
    assert "应为" not in text


def test_a_finalized_forms_final_pdf_says_so_in_its_footer(clean2, tmp_path):
    finalized(clean2, tmp_path / "f.json")
    out = tmp_path / "正式.pdf"
    write_pdf(clean2, out)
    pages = page_texts(out)
    fp = fingerprint(clean2)
    assert all("定稿文件：" in p and f"指纹：{fp}" in p for p in pages)


def test_the_draft_workbook_says_draft_and_keeps_the_notes(seed2, clean2, tmp_path):
    draft, final = tmp_path / "草稿.xlsx", tmp_path / "正式.xlsx"
    export_xlsx([seed2], draft, draft=True)
    export_xlsx([clean2], final)
    ws = load_workbook(draft).worksheets[0]
    assert "草稿" in ws.oddHeader.center.text
    notes = [c.comment.text for row in ws.iter_rows() for c in row if c.comment]
    assert any("应为 4.67" in n and "14 ÷ 30 × 10" in n for n in notes)
    ws = load_workbook(final).worksheets[0]
    assert not (ws.oddHeader.center.text or "") and not [c for row in ws.iter_rows() for c in row if c.comment]


# ---------------------------------------------------------------- the command line


def _run(capsys, *args):
    code = cli.run([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_with_errors_writes_nothing_and_points_to_draft(tmp_path, capsys):
    pdf, book = tmp_path / "表.pdf", tmp_path / "表.xlsx"
    code, out, err = _run(capsys, "export", SEED2, "--pdf", pdf, "--xlsx", book)
    assert code == 1 and not pdf.exists() and not book.exists()
    assert "--draft" in err and "完成课程数" in out
    assert list(tmp_path.iterdir()) == []


def test_export_draft_is_always_written(tmp_path, capsys):
    pdf, book = tmp_path / "表.pdf", tmp_path / "表.xlsx"
    code, out, _err = _run(capsys, "export", SEED2, "--pdf", pdf, "--xlsx", book, "--draft")
    assert code == 1 and pdf.is_file() and book.is_file() and "草稿" in out
    assert all("草稿" in p for p in page_texts(pdf))


def test_export_of_a_clean_form_is_final_and_exit_0(clean2, tmp_path, capsys):
    src = tmp_path / "表.json"
    save_form(clean2, src)
    pdf, book = tmp_path / "表.pdf", tmp_path / "表.xlsx"
    code, _out, _err = _run(capsys, "export", src, "--pdf", pdf, "--xlsx", book)
    assert code == 0 and "应为" not in "".join(page_texts(pdf)) and book.is_file()
    code, _out, _err = _run(capsys, "export", src, "--pdf", tmp_path / "草.pdf", "--draft")
    assert code == 0 and all("草稿" in p for p in page_texts(tmp_path / "草.pdf"))


def test_export_of_an_unreadable_file_is_exit_2(tmp_path, capsys):
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    code, _out, err = _run(capsys, "export", bad, "--pdf", tmp_path / "x.pdf", "--draft")
    assert code == 2 and "错误" in err and not (tmp_path / "x.pdf").exists()


def test_package_only_from_a_finalized_form(clean2, tmp_path, capsys):
    src = tmp_path / "表.json"
    save_form(clean2, src)
    code, _out, err = _run(capsys, "export", src, "--package", tmp_path / "报送.zip")
    assert code == 1 and "定稿" in err and not (tmp_path / "报送.zip").exists()
    code, _out, err = _run(capsys, "export", SEED2, "--package", tmp_path / "报送.zip")
    assert code == 1 and not (tmp_path / "报送.zip").exists()


def _xlsx_footer(data: bytes) -> str:
    return load_workbook(io.BytesIO(data)).worksheets[0].oddFooter.left.text or ""


REPORT = "城管以奖促治经费_2020_自评报告.docx"


def test_package_zip_holds_four_files_whose_fingerprints_agree(clean2, tmp_path, capsys):
    src = finalized(clean2, tmp_path / "表.json")
    out = tmp_path / "报送.zip"
    code, _out, _err = _run(capsys, "export", src, "--package", out)
    assert code == 0
    fp = clean2.finalized.fingerprint
    with zipfile.ZipFile(out) as z:
        names = sorted(z.namelist())
        assert names == sorted([REPORT, *(f"城管以奖促治经费_2020_定稿{s}" for s in (".json", ".pdf", ".xlsx"))])
        files = {n.rsplit(".", 1)[1]: z.read(n) for n in names}
    (tmp_path / "r.docx").write_bytes(files["docx"])
    assert fp in _docx_footer(tmp_path / "r.docx") and "定稿" in _docx_footer(tmp_path / "r.docx")
    (tmp_path / "p.pdf").write_bytes(files["pdf"])
    (tmp_path / "f.json").write_bytes(files["json"])
    inner = load_form(tmp_path / "f.json")
    assert inner.finalized.fingerprint == fingerprint(inner) == fp
    assert all(f"指纹：{fp}" in p and "定稿" in p for p in page_texts(tmp_path / "p.pdf"))
    assert fp in _xlsx_footer(files["xlsx"]) and "定稿" in _xlsx_footer(files["xlsx"])
    assert dumps(inner) == files["json"].decode("utf-8")


def _docx_footer(path) -> str:
    import docx

    return "".join(p.text for p in docx.Document(path).sections[0].footer.paragraphs)


def test_package_into_a_folder(clean2, tmp_path, capsys):
    src = finalized(clean2, tmp_path / "表.json")
    folder = tmp_path / "报送材料"
    code, _out, _err = _run(capsys, "export", src, "--package", folder)
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [REPORT, *(f"城管以奖促治经费_2020_定稿{s}" for s in (".json", ".pdf", ".xlsx"))]
    )


def test_check_reports_the_status(clean2, tmp_path, capsys):
    src = tmp_path / "表.json"
    save_form(clean2, src)
    code, out, _err = _run(capsys, "check", src)
    assert code == 0 and f"状态：草稿    指纹：{fingerprint(clean2)}" in out
    finalized(clean2, src)
    code, out, _err = _run(capsys, "check", src, "--json")
    rep = json.loads(out)[0]
    assert rep["status"] == "final" and rep["finalized_at"] == AT and rep["fingerprint"] == fingerprint(clean2)
    code, out, _err = _run(capsys, "check", src)
    assert "状态：定稿（2021-02-25 09:30 定稿）" in out


def test_the_fingerprint_is_the_one_version_1_printed(seed2):
    """A copy printed and signed before the format grew a status block still matches its file: the fingerprint of
    seed 2 is the one the version-1 program printed in the PDF footer (2e8ab814c7fd), 定稿 or not."""
    from selfeval_gui.files.formfile import fingerprint

    assert fingerprint(seed2) == "2e8ab814c7fd"


def test_finalize_and_unfinalize_are_the_domain_s_one_state_change(clean2):
    """The window's 定稿 / 撤销定稿 call these (ui/output/final_actions.py): the name as typed without spaces,
    and a withdrawn 定稿 added to the history as a new record."""
    clean2.filler = "  张三 "
    fin = clean2.finalize(AT, fingerprint(clean2))
    assert fin.by == "张三" and clean2.finalized is fin and clean2.loaded_fingerprint == fin.fingerprint
    clean2.unfinalize("2021-03-01 09:00")
    assert clean2.finalized is None and fin.revoked_at == ""  # the record read is not changed in place
    [withdrawn] = clean2.history
    assert (withdrawn.at, withdrawn.by, withdrawn.fingerprint, withdrawn.revoked_at) == (
        AT,
        "张三",
        fin.fingerprint,
        "2021-03-01 09:00",
    )


# ---------------------------------------------------------------- issue 23 item 7: the 定稿 record is sealed


def _with_history(form, path):
    """定稿, 撤销定稿, 定稿 again: a record with a current 定稿 and one withdrawn entry, saved."""
    form.finalize(AT, fingerprint(form))
    form.unfinalize("2021-03-01T08:00:00")
    form.finalize("2021-03-02T08:00:00", fingerprint(form))
    save_form(form, path)
    return json.loads(path.read_text(encoding="utf-8"))


def _edited(path, data, change):
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return load_form(path)


def _status_warning(form):
    return [f for f in check(form) if f.where == "定稿"]


@pytest.mark.parametrize(
    "what, change",
    [
        ("定稿人", lambda d: d["status"].update(finalized_by="李四")),
        ("定稿时间", lambda d: d["status"].update(finalized_at="2021-01-01T08:00:00")),
        ("历史中的定稿人", lambda d: d["status"]["history"][0].update(finalized_by="李四")),
        ("历史中的撤销时间", lambda d: d["status"]["history"][0].update(revoked_at="2021-02-26T08:00:00")),
        ("删去历史", lambda d: d["status"].update(history=[])),
        ("删去历史的印记", lambda d: d["status"]["history"][0].pop("seal")),
        ("格式版本改为 1", lambda d: d.update(version=1)),
    ],
)
def test_an_edited_final_record_opens_with_the_same_warning_as_a_content_edit(clean2, cn_dir, what, change):
    from selfeval_gui.domain.yearbook import CHANGED_SINCE_FINAL, status_of

    path = cn_dir / "定稿.json"
    data = _with_history(clean2, path)
    assert not _status_warning(load_form(path))  # as the program wrote it: no warning
    form = _edited(path, data, change)
    assert form.finalized is not None, what  # still a 定稿 (a lowered version does not make a draft)
    [found] = _status_warning(form)
    assert found.level == WARNING and "定稿后被改动过" in found.message, what
    assert status_of(form) == CHANGED_SINCE_FINAL


def test_after_the_warning_withdrawing_and_finalizing_again_clears_it(clean2, cn_dir):
    path = cn_dir / "定稿.json"
    data = _with_history(clean2, path)
    form = _edited(path, data, lambda d: d["status"]["history"][0].update(finalized_by="李四"))
    assert _status_warning(form)
    form.unfinalize("2021-03-03T08:00:00")
    form.finalize("2021-03-04T08:00:00", fingerprint(form))
    save_form(form, path)
    again = load_form(path)
    assert not _status_warning(again) and [h.by for h in again.history][0] == "李四"  # the record as accepted


def test_a_record_written_before_seals_opens_without_a_warning(clean2, cn_dir):
    path = cn_dir / "定稿.json"
    data = _with_history(clean2, path)
    for entry in [data["status"], *data["status"]["history"]]:
        entry.pop("seal")
    assert not _status_warning(_edited(path, data, lambda d: None))
