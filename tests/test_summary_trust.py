"""A 汇总 and a 项目一览 that do not mislead a bureau: 未填 forms are not graded or summed, one year per 汇总,
one file per project (the 定稿 taken), forms with errors named, amounts with the decimals typed, the program's
own 汇总表 not offered for 导入, a batch run twice replacing its own output instead of piling up 名称（2）."""

import json
import os
import shutil
import time
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from selfeval_gui.cli.main import run
from selfeval_gui.domain.yearbook import UNFILLED_WORD, has_results, next_year_form, project_row
from selfeval_gui.files.folder.batch import export_batch
from selfeval_gui.files.folder.listing import FORM, SUMMARY, SUMMARY_NOTE, WORKBOOK, list_folder, read_entry
from selfeval_gui.files.folder.summary_plan import TAKEN_FINAL, TAKEN_NEWEST, plan_summary
from selfeval_gui.files.formfile import fingerprint, load_form, save_form
from selfeval_gui.files.xlsx.export import export_xlsx

from .support import BLANK, SEED1, SEED2
from .test_folder import CLEAN, clean_form


@pytest.fixture(autouse=True)
def _summary_year_option(monkeypatch):
    """`summary --year YYYY`: the option is read by cli/folder.cmd_summary; the parser (cli/main.py) gets it added
    here as long as it does not declare it itself."""
    from selfeval_gui.cli import main

    real = main._add_folder_commands

    def with_year(sub):
        real(sub)
        summary = sub.choices["summary"]
        if "--year" not in summary._option_string_actions:
            summary.add_argument("--year", type=int, metavar="YYYY")

    monkeypatch.setattr(main, "_add_folder_commands", with_year)


def _touch(path, seconds_ago):
    t = time.time() - seconds_ago
    os.utime(path, (t, t))


def _rows(path):
    """The project rows of a 汇总 workbook: {项目名称: row number}, and the sheet."""
    ws = load_workbook(path).active
    rows = {}
    r = 4
    while ws.cell(r, 1).value != "合计":
        rows[ws.cell(r, 2).value] = r
        r += 1
    return rows, ws, r


def _notes(ws):
    return [str(ws.cell(r, 1).value) for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value]


@pytest.fixture
def year_folder(tmp_path):
    """A clean 2020 form and a clean one for 2021."""
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    later = clean_form()
    later.year = 2021
    later.fill_date = "2022.2.24"
    later.project_name = "公共事务协管经费2021"
    save_form(later, d / "2021.json")
    return d


# ------------------------------------------------------------------ 未填


def test_blank_form_and_next_year_draft_are_unfilled(seed2):
    blank = load_form(BLANK)
    draft = next_year_form(seed2)
    assert not has_results(blank) and not has_results(draft) and has_results(seed2)
    for form in (blank, draft):
        row = project_row(form)
        assert row.unfilled and row.grade is None and row.grade_text == UNFILLED_WORD and not row.low_execution
    assert project_row(seed2).grade_text == "优"
    draft.indicators()[0].actual = "12节"  # one result typed: filled (and graded, with its errors)
    assert has_results(draft) and not project_row(draft).unfilled


def test_list_shows_unfilled_instead_of_a_grade(tmp_path, capsys, seed1):
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    shutil.copy(BLANK, d / BLANK.name)
    save_form(next_year_form(seed1), d / "下年.json")
    assert run(["list", str(d), "--json"]) == 0  # 未填 forms are no errors of the folder
    rows = {os.path.basename(r["file"]): r for r in json.loads(capsys.readouterr().out)}
    for name in (BLANK.name, "下年.json"):
        assert rows[name]["grade"] == UNFILLED_WORD and rows[name]["filled"] is False
    assert rows["改正.json"]["filled"] is True and rows["改正.json"]["grade"] != UNFILLED_WORD
    assert run(["list", str(d)]) == 0
    out = capsys.readouterr().out
    blank_line = next(line for line in out.splitlines() if line.startswith(BLANK.name))
    assert UNFILLED_WORD in blank_line and "差" not in blank_line
    assert "2 个未填" in out


def test_summary_leaves_unfilled_forms_out_and_lists_them(tmp_path, capsys, seed1):
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    shutil.copy(BLANK, d / BLANK.name)
    save_form(next_year_form(seed1), d / "下年.json")  # 2021: another year, and 未填
    out = tmp_path / "汇总.xlsx"
    assert run(["summary", str(d), "-o", str(out), "--pdf", str(tmp_path / "汇总.pdf")]) == 0
    rows, ws, total = _rows(out)
    assert list(rows) == [CLEAN]
    clean = clean_form().fund("total")
    assert ws.cell(total, 6).value == f"=SUM(F{rows[CLEAN]}:F{rows[CLEAN]})"
    assert "共 1 个项目" in ws.cell(2, 1).value
    notes = _notes(ws)
    assert any("未填写的表格" in n and BLANK.name in n for n in notes)
    assert any("其他年度" in n and "下年.json" in n for n in notes)
    said = capsys.readouterr()
    assert "未填写的表格" in said.err and "1 个项目" in said.out
    from .support import page_texts

    pdf = "".join(page_texts(tmp_path / "汇总.pdf"))
    assert "未填写的表格" in pdf and "差：0" in pdf and "优：1" in pdf
    assert str(clean.budget) in pdf


# ------------------------------------------------------------------ years


def test_several_years_without_year_writes_nothing_and_exits_1(year_folder, tmp_path, capsys):
    out = tmp_path / "汇总.xlsx"
    assert run(["summary", str(year_folder), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "2020年度 1 个" in err and "2021年度 1 个" in err and "--year" in err and "没有写出" in err
    assert not out.exists()


def test_year_option_sums_that_year_only(year_folder, tmp_path, capsys):
    out = tmp_path / "汇总.xlsx"
    assert run(["summary", str(year_folder), "-o", str(out), "--year", "2021"]) == 0
    rows, ws, _ = _rows(out)
    assert list(rows) == ["公共事务协管经费2021"]
    assert "2021年度" in ws.cell(1, 1).value
    assert any("其他年度" in n and "改正.json" in n for n in _notes(ws))
    assert "2021年度，1 个项目" in capsys.readouterr().out
    assert run(["summary", str(year_folder), "-o", str(tmp_path / "x.xlsx"), "--year", "2019"]) == 2
    assert "没有已填写的2019年度表" in capsys.readouterr().err and not (tmp_path / "x.xlsx").exists()


# ------------------------------------------------------------------ one file per project


def _copies(d):
    """The same project three times: a draft, its 定稿 copy (older), a newer draft copy."""
    form = clean_form()
    save_form(form, d / "草稿.json")
    final = clean_form()
    final.finalize("2021-02-24 10:00", fingerprint(final))
    save_form(final, d / "定稿.json")
    save_form(clean_form(), d / "副本.json")
    _touch(d / "草稿.json", 300)
    _touch(d / "定稿.json", 200)
    _touch(d / "副本.json", 10)


def test_duplicate_project_takes_the_final_copy_and_lists_the_others(tmp_path, capsys):
    d = tmp_path / "表"
    d.mkdir()
    _copies(d)
    shutil.copy(SEED2, d / SEED2.name)
    out = tmp_path / "汇总.xlsx"
    assert run(["summary", str(d), "-o", str(out)]) == 1  # written, with warnings
    rows, ws, _ = _rows(out)
    assert sorted(rows) == sorted([CLEAN, "城管以奖促治经费"])
    assert ws.cell(rows[CLEAN], 14).value == "定稿"
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if CLEAN in x)
    assert "汇总“定稿.json”（定稿）" in line and "“草稿.json”" in line and "“副本.json”" in line
    assert "有错误的表" in err and SEED2.name in err and "3 处错误" in err
    assert any("定稿.json" in n for n in _notes(ws))


def test_without_a_final_copy_the_newest_file_is_taken(tmp_path):
    d = tmp_path / "表"
    d.mkdir()
    _copies(d)
    (d / "定稿.json").unlink()
    plan = plan_summary(list_folder(d))
    assert [e.name for e in plan.taken] == ["副本.json"]
    (dup,) = plan.duplicates
    assert dup.why == TAKEN_NEWEST and [e.name for e in dup.others] == ["草稿.json"]
    _copies(d)
    assert plan_summary(list_folder(d)).duplicates[0].why == TAKEN_FINAL


def test_errors_are_listed_and_exit_1(tmp_path, capsys):
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    assert run(["summary", str(d), "-o", str(tmp_path / "a.xlsx")]) == 0
    shutil.copy(SEED2, d / SEED2.name)
    assert run(["summary", str(d), "-o", str(tmp_path / "b.xlsx")]) == 1
    err = capsys.readouterr().err
    assert f"{SEED2.name}（3 处错误）" in err
    assert (tmp_path / "b.xlsx").exists()


# ------------------------------------------------------------------ decimals


def test_amounts_keep_the_decimals_typed_and_stay_numbers(tmp_path):
    d = tmp_path / "表"
    d.mkdir()
    shutil.copy(SEED2, d / SEED2.name)
    shutil.copy(SEED1, d / SEED1.name)
    out = tmp_path / "汇总.xlsx"
    run(["summary", str(d), "-o", str(out)])
    rows, ws, total = _rows(out)
    r = rows["城管以奖促治经费"]
    budget, executed = ws.cell(r, 6), ws.cell(r, 7)
    assert budget.value == pytest.approx(703.63) and budget.number_format == "0.00"
    assert Decimal(repr(budget.value)) == Decimal("703.63")
    assert executed.value == pytest.approx(419.5215) and executed.number_format == "0.0000"
    assert isinstance(budget.value, (int, float))
    assert ws.cell(total, 6).number_format == "0.0000"  # the sum shows as many decimals as its amounts have


# ------------------------------------------------------------------ our own 汇总表


def test_our_summary_workbook_is_not_offered_for_import(tmp_path, capsys):
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    export_xlsx([clean_form()], d / "导入用.xlsx")
    (d / "坏的.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert run(["summary", str(d), "-o", str(d / "汇总表.xlsx")]) == 0
    kinds = {e.name: e.kind for e in list_folder(d)}
    assert kinds == {"改正.json": FORM, "导入用.xlsx": WORKBOOK, "坏的.xlsx": WORKBOOK, "汇总表.xlsx": SUMMARY}
    capsys.readouterr()
    run(["list", str(d), "--json"])
    rows = {os.path.basename(r["file"]): r for r in json.loads(capsys.readouterr().out)}
    assert rows["汇总表.xlsx"]["note"] == SUMMARY_NOTE and "可导入" not in SUMMARY_NOTE
    assert rows["汇总表.xlsx"]["kind"] == SUMMARY
    # a second 汇总 into the same folder: the first is not a form, nothing changes
    assert run(["summary", str(d), "-o", str(d / "汇总表.xlsx")]) == 0


# ------------------------------------------------------------------ batch export twice


def test_batch_export_twice_replaces_its_own_output(tmp_path, capsys):
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    out = tmp_path / "导出"
    first = export_batch([d / "改正.json"], out, pdf=True, xlsx=True)
    assert sorted(p.name for p in first.written) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]
    second = export_batch([d / "改正.json"], out, pdf=True, xlsx=True)
    assert sorted(p.name for p in second.written) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]
    assert sorted(p.name for p in out.iterdir()) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]  # no （2）, no leftovers
    assert run(["export", str(d), "--pdf", str(out)]) == 0
    assert run(["export", str(d), "--pdf", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [f"{CLEAN}.pdf", f"{CLEAN}.xlsx"]


def test_batch_never_replaces_a_file_it_did_not_write_or_that_was_changed(tmp_path):
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    other = clean_form()
    save_form(other, d / "同名的另一个表.json")  # another form file of the same project name
    out = tmp_path / "导出"
    out.mkdir()
    (out / f"{CLEAN}.pdf").write_bytes(b"the clerk's own file")
    export_batch([d / "改正.json"], out, pdf=True)
    assert (out / f"{CLEAN}.pdf").read_bytes() == b"the clerk's own file"
    assert (out / f"{CLEAN}（2）.pdf").exists()
    export_batch([d / "改正.json"], out, pdf=True)  # its own （2） replaced, the clerk's file kept
    assert sorted(p.name for p in out.iterdir()) == [f"{CLEAN}.pdf", f"{CLEAN}（2）.pdf"]
    export_batch([d / "同名的另一个表.json"], out, pdf=True)  # not that form's output: a new name
    assert (out / f"{CLEAN}（3）.pdf").exists()
    (out / f"{CLEAN}（2）.pdf").write_bytes(b"edited since")  # changed after the batch: never replaced
    export_batch([d / "改正.json"], out, pdf=True)
    assert (out / f"{CLEAN}（2）.pdf").read_bytes() == b"edited since"
    assert (out / f"{CLEAN}（4）.pdf").exists()


# ------------------------------------------------------------------ the window


@pytest.fixture
def window(qtbot):
    from selfeval_gui.ui.folder.window import FolderWindow

    def make(folder, rows):
        w = FolderWindow(folder)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: not w.is_loading() and w.model.rowCount() == rows, timeout=10000)
        return w

    return make


def _shown(fw):
    from selfeval_gui.ui.folder.model import KEYS

    p = fw.proxy
    return {p.index(r, 0).data(): {k: p.index(r, c).data() for c, k in enumerate(KEYS)} for r in range(p.rowCount())}


def test_window_shows_unfilled_and_our_summary(window, tmp_path, seed1, boxes):
    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    shutil.copy(BLANK, d / BLANK.name)
    save_form(next_year_form(seed1), d / "下年.json")
    assert run(["summary", str(d), "-o", str(d / "汇总表.xlsx")]) == 0
    fw = window(d, 4)
    rows = _shown(fw)
    for name in (BLANK.name, "下年.json"):
        assert rows[name]["grade"] == UNFILLED_WORD and rows[name]["errors"] == ""
    assert rows["汇总表.xlsx"]["project_name"] == SUMMARY_NOTE
    assert "2 个未填" in fw.status_label.text() and "0 个 Excel 工作簿可导入" in fw.status_label.text()
    assert "其中 0 个有错误" in fw.status_label.text()


def test_window_asks_the_year_and_lists_what_it_leaves_out(window, year_folder, tmp_path, monkeypatch, boxes):
    from selfeval_gui.ui.folder import actions

    shutil.copy(SEED2, year_folder / SEED2.name)  # 2020, with errors
    shutil.copy(BLANK, year_folder / BLANK.name)  # 2020, 未填
    fw = window(year_folder, 4)
    asked, confirmed, said = [], [], []
    monkeypatch.setattr(actions, "ask_summary_path", lambda *a: tmp_path / "汇总")
    monkeypatch.setattr(actions, "offer_open_folder", lambda parent, title, text, where: said.append(text))
    monkeypatch.setattr(actions, "ask_year", lambda parent, choices: asked.append(choices))
    assert actions.summary(fw) is None and not (tmp_path / "汇总.xlsx").exists()  # the year question cancelled
    assert asked == [[(2020, 2), (2021, 1)]]
    monkeypatch.setattr(actions, "ask_year", lambda parent, choices: 2020)
    monkeypatch.setattr(actions, "confirm_summary", lambda parent, lines: confirmed.append(lines) or False)
    assert actions.summary(fw) is None and not (tmp_path / "汇总.xlsx").exists()  # 取消
    lines = confirmed[0]
    assert any("未填写的表格" in x and BLANK.name in x for x in lines)
    assert any("有错误的表" in x and SEED2.name in x for x in lines)
    assert any("其他年度" in x and "2021.json" in x for x in lines)
    monkeypatch.setattr(actions, "confirm_summary", lambda parent, lines: True)  # 继续
    assert actions.summary(fw) == tmp_path / "汇总.xlsx"
    rows, _, _ = _rows(tmp_path / "汇总.xlsx")
    assert sorted(rows) == sorted([CLEAN, "城管以奖促治经费"])
    assert "2020年度，2 个项目" in said[0] and "1 个未填写的表未汇总" in said[0]


def test_window_confirm_dialog_says_continue_or_cancel(window, tmp_path, monkeypatch, boxes):
    """The real box (its exec recorded by `boxes`, answered 继续) lists the duplicates before writing."""
    from selfeval_gui.ui.folder import actions

    d = tmp_path / "表"
    d.mkdir()
    _copies(d)
    fw = window(d, 3)
    monkeypatch.setattr(actions, "ask_summary_path", lambda *a: tmp_path / "汇总.xlsx")
    monkeypatch.setattr(actions, "offer_open_folder", lambda *a: None)
    assert actions.summary(fw) == tmp_path / "汇总.xlsx"
    text = boxes.texts("exec")[0]
    assert "汇总“定稿.json”（定稿）" in text
    rows, ws, _ = _rows(tmp_path / "汇总.xlsx")
    assert list(rows) == [CLEAN] and ws.cell(rows[CLEAN], 14).value == "定稿"


def test_window_batch_twice_no_second_copy(window, tmp_path, monkeypatch, boxes):
    from selfeval_gui.ui.folder import actions

    d = tmp_path / "表"
    d.mkdir()
    save_form(clean_form(), d / "改正.json")
    fw = window(d, 1)
    out = tmp_path / "导出"
    monkeypatch.setattr(actions, "ask_folder", lambda *a: out)
    monkeypatch.setattr(actions, "offer_open_folder", lambda *a: None)
    actions.batch_export(fw, pdf=True)
    actions.batch_export(fw, pdf=True)
    assert [p.name for p in out.iterdir()] == [f"{CLEAN}.pdf"]
    assert read_entry(d / "改正.json").kind == FORM
