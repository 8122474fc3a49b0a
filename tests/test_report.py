"""Issue 21: the 自评报告 — its text in the form file, its outline as data, its findings, and the Word document
read back with python-docx: headings in the outline's order, the figures of `check --json`, each missed indicator
once with its 偏差原因, 草稿 / 定稿 and the fingerprint where they belong, the unit's report."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest

from selfeval_gui.cli import main as cli
from selfeval_gui.domain.checks import ERROR, WARNING, check
from selfeval_gui.domain.report_outline import get_outline, outline_of_template
from selfeval_gui.domain.rules import template_of
from selfeval_gui.domain.yearbook import next_year_form
from selfeval_gui.files.formfile import fingerprint, load_form, save_form
from selfeval_gui.files.report.docx_report import write_report

from .support import ROOT, SEED2, province_form

AT = "2021-02-25T09:30:00"
NOTE = "受疫情影响，线下课程暂停，部分课程改为线上，实际完成14节。"


def _docx(path):
    d = docx.Document(path)
    return d, [p for p in d.paragraphs]


def _headings(path, level=1):
    return [p.text for p in _docx(path)[1] if p.style.name == f"Heading {level}"]


def _text(path) -> str:
    d, paragraphs = _docx(path)
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in paragraphs] + cells)


def _header(path) -> str:
    return "".join(p.text for p in docx.Document(path).sections[0].header.paragraphs)


def _footer(path) -> str:
    return "".join(p.text for p in docx.Document(path).sections[0].footer.paragraphs)


def test_the_headings_follow_the_outline_in_order(seed2, tmp_path):
    write_report(seed2, tmp_path / "r.docx")
    assert _headings(tmp_path / "r.docx") == [s.title for s in get_outline("general").sections]
    assert docx.Document(tmp_path / "r.docx").paragraphs[0].text == "城管以奖促治经费项目支出绩效自评报告"


def test_the_figures_are_those_of_check_json(seed2, tmp_path, capsys):
    write_report(seed2, tmp_path / "r.docx")
    assert cli.run(["check", "--json", str(SEED2)]) in (0, 1)
    rep = json.loads(capsys.readouterr().out)[0]
    text = _text(tmp_path / "r.docx")
    assert f"执行率 {rep['execution_rate_display']}" in text
    assert f"总分 {rep['total_score']}（满分 {rep['total_weight']}），等级“{rep['grade']}”" in text
    assert f"得分 {rep['budget_score']}（分值 10）" in text
    for ind in rep["indicators"]:  # the indicator table holds every row
        assert ind["name"] in text


def test_each_missed_indicator_appears_once_with_its_note_word_for_word(seed2, tmp_path):
    missed = next(i for i in seed2.indicators() if i.name == "完成课程数")
    missed.deviation = NOTE
    write_report(seed2, tmp_path / "r.docx")
    text = _text(tmp_path / "r.docx")
    assert text.count(NOTE) == 1 and f"偏差原因：{NOTE}" in text
    assert _headings(tmp_path / "r.docx", 2) == ["（一）完成课程数"]


def test_a_draft_says_so_and_a_final_report_carries_the_fingerprint(clean2, tmp_path):
    write_report(clean2, tmp_path / "草稿.docx")
    assert "草稿" in _header(tmp_path / "草稿.docx") and "定稿" not in _footer(tmp_path / "草稿.docx")
    clean2.finalize(AT, fingerprint(clean2))
    write_report(clean2, tmp_path / "定稿.docx")
    assert "草稿" not in _header(tmp_path / "定稿.docx")
    footer = _footer(tmp_path / "定稿.docx")
    assert "定稿" in footer and clean2.finalized.fingerprint in footer and "2021-02-25 09:30" in footer


def test_the_east_asian_font_is_named_on_every_run(seed2, tmp_path):
    from docx.oxml.ns import qn

    write_report(seed2, tmp_path / "r.docx")
    d = docx.Document(tmp_path / "r.docx")
    runs = [r for p in d.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in runs}
    assert fonts <= {"宋体", "黑体", "楷体", "仿宋"} and None not in fonts


def test_the_report_text_is_content_only_when_written(seed2, tmp_path):
    before = fingerprint(seed2)
    seed2.report = {"overview": ""}
    save_form(seed2, tmp_path / "a.json")
    assert "report" not in json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert fingerprint(load_form(tmp_path / "a.json")) == before  # no report text: the fingerprint of today
    seed2.report = {"overview": "本项目……"}
    save_form(seed2, tmp_path / "b.json")
    again = load_form(tmp_path / "b.json")
    assert again.report == {"overview": "本项目……"} and fingerprint(again) != before


def test_next_year_keeps_the_overview_and_clears_the_rest(seed2):
    seed2.report = {"overview": "项目概况……", "problems": "问题……", "conclusion": "结论……"}
    assert next_year_form(seed2).report == {"overview": "项目概况……"}


def _report_findings(form):
    return [f for f in check(form) if f.place.section == "report"]


def test_the_report_is_checked_once_begun(seed2):
    assert _report_findings(seed2) == []  # not begun: the form alone is judged
    seed2.report = {"overview": "项目概况……"}
    found = _report_findings(seed2)
    assert {f.where for f in found} == {
        "自评报告 › 三、执行情况和绩效目标完成情况",
        "自评报告 › 四、自评结论",
        "自评报告 › 六、存在的问题和改进措施",
    }
    assert all(f.level == WARNING and "还没有写" in f.message for f in found)
    seed2.report["problems"] = "无"  # 完成课程数 fell short: "无" says nothing
    placeholder = [f for f in _report_findings(seed2) if "六、" in f.where]
    assert len(placeholder) == 1 and "只写了“无”" in placeholder[0].message


def test_a_text_over_its_limit_is_an_error():
    form = province_form()
    outline = outline_of_template(template_of(form))
    assert outline.id == "province-2023" and outline.section("conclusion").limit == 200
    form.report = {"conclusion": "完成" * 100}
    assert not [f for f in _report_findings(form) if f.level == ERROR]
    form.report = {"conclusion": "完成" * 100 + "好"}
    [over] = [f for f in _report_findings(form) if f.level == ERROR]
    assert "201 字" in over.message and "200 字" in over.message and over.where == "自评报告 › 四、评价结论"


def test_an_installed_outline_changes_the_headings(cn_dir, seed2, tmp_path):
    from selfeval_gui.files.rule_files import install

    outline = {
        "id": "city-report",
        "name": "某市自评报告提纲",
        "sections": [
            {"key": "summary", "title": "一、基本情况", "auto": "basics"},
            {"key": "result", "title": "二、自评结果", "auto": "conclusion", "required": True, "limit": 300},
        ],
    }
    template = json.loads((ROOT / "resources/templates/chaoyang-2020.json").read_text(encoding="utf-8"))
    template.update(id="city-2024", report_outline="city-report")
    for name, data in (("提纲.json", outline), ("模板.json", template)):
        (cn_dir / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        install(cn_dir / name)
    seed2.template = "city-2024"
    write_report(seed2, tmp_path / "r.docx")
    assert _headings(tmp_path / "r.docx") == ["一、基本情况", "二、自评结果"]


@pytest.mark.parametrize("change", [{"auto": "everything"}, {"limit": -1}, {"key": "A B"}])
def test_a_wrong_outline_is_refused_naming_the_field(cn_dir, change):
    from selfeval_gui.files.rule_files import InstallError, install

    section = {"key": "summary", "title": "一、基本情况", **change}
    (cn_dir / "提纲.json").write_text(
        json.dumps({"id": "city-report", "name": "提纲", "sections": [section]}, ensure_ascii=False), encoding="utf-8"
    )
    with pytest.raises(InstallError, match="sections"):
        install(cn_dir / "提纲.json")


def test_the_command_line_writes_a_form_s_and_a_unit_s_report(tmp_path, capsys):
    assert cli.run(["report", str(SEED2), "-o", str(tmp_path / "报告.docx")]) == 0
    assert "已导出自评报告（草稿）" in capsys.readouterr().out
    assert _headings(tmp_path / "报告.docx")[0] == "一、项目基本情况"
    assert cli.run(["report", str(ROOT / "forms"), "-o", str(tmp_path / "单位.docx")]) == 0
    subheads = _headings(tmp_path / "单位.docx", 2)
    assert any("城管以奖促治经费" in h for h in subheads) and any("公共事务协管经费" in h for h in subheads)
    assert "自评等级：优" in _text(tmp_path / "单位.docx")
    assert cli.run(["report", str(SEED2), "-o", str(tmp_path / "报告.pdf")]) == 2


def test_the_folder_list_says_whether_each_report_is_written(seed2, tmp_path, capsys):
    from selfeval_gui.domain.report import REPORT_NOT_BEGUN, REPORT_PARTLY, REPORT_WRITTEN

    save_form(seed2, tmp_path / "a.json")
    seed2.report = {"overview": "概况"}
    save_form(seed2, tmp_path / "b.json")
    seed2.report = {k: "已写" for k in ("overview", "execution", "conclusion", "problems")}
    save_form(seed2, tmp_path / "c.json")
    cli.run(["list", str(tmp_path), "--json"])
    states = {Path(e["file"]).name: e["report"] for e in json.loads(capsys.readouterr().out)}
    assert states == {"a.json": REPORT_NOT_BEGUN, "b.json": REPORT_PARTLY, "c.json": REPORT_WRITTEN}
