"""Row kinds as data (issue 22 item 2): breakdown rows (其中), a parent scored from them, a target read from the
三级 name — in the checks, the form file, the window, the PDF and a workbook round trip.  Made-up rows only."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from selfeval_gui.domain.checks import ERROR, INFO, WARNING, check
from selfeval_gui.domain.form import Indicator
from selfeval_gui.domain.row_kinds import BREAKDOWN, mark_imported, name_target, split_prefix
from selfeval_gui.domain.rules import new_form
from selfeval_gui.domain.scoring import evaluate
from selfeval_gui.files.formfile import dumps, fingerprint, loads

from .support import ROOT, SEED1, SEED2

pytestmark = pytest.mark.usefixtures("boxes")


def _rows(parent_score=D(6), second_actual="40万平方米"):
    return [
        Indicator("★道路保洁面积", "", "", D(10), parent_score),
        Indicator("主干道", "≥100万平方米", "120万平方米", kind=BREAKDOWN),
        Indicator("次干道", "≥50万平方米", second_actual, kind=BREAKDOWN),
        Indicator("公厕保洁座数", "≥30座", "30座", D(5), D(5)),
    ]


def _form(rows=None):
    form = new_form()
    form.rows_at(0, 0)[:] = rows if rows is not None else _rows()
    return form


def _row_findings(form, path):
    return [f for f in check(form) if f.place.path == path]


# ---------------------------------------------------------------- scoring and checks


def test_breakdown_rows_have_no_score_and_are_not_counted():
    form = _form()
    ev = evaluate(form)
    parent, first, second, other = ev.indicators[:4]
    assert first.breakdown and second.breakdown and not parent.breakdown
    assert first.computed is None and first.effective is None
    assert ev.level1_weights[form.tree[0].name] == D(15)  # 10 + 5: the breakdown rows carry none
    for path in ((0, 0, 1), (0, 0, 2)):
        said = " ".join(f.message for f in _row_findings(form, path))
        assert "没有填写分值" not in said and "没有填写得分" not in said
        assert not any(f.level == ERROR for f in _row_findings(form, path))
    assert other.computed == D(5)


def test_a_typed_weight_on_a_breakdown_row_is_not_counted_and_said_so():
    rows = _rows()
    rows[1].weight, rows[1].score = D(10), D(6)
    form = _form(rows)
    ev = evaluate(form)
    assert ev.level1_weights[form.tree[0].name] == D(15)
    assert any(f.level == INFO and "不单独计分" in f.message for f in _row_findings(form, (0, 0, 1)))


def test_parent_without_target_all_breakdown_met_gets_full_marks():
    form = _form(_rows(parent_score=D(10), second_actual="60万平方米"))
    parent = evaluate(form).indicators[0]
    assert parent.computed == D(10) and "全部完成" in parent.explanation
    said = [f.message for f in _row_findings(form, (0, 0, 0))]
    assert not any("年度指标值" in m or "实际完成值" in m for m in said)
    assert not any(f.level == ERROR for f in _row_findings(form, (0, 0, 0)))


def test_parent_with_a_missed_breakdown_keeps_the_clerks_score_and_needs_a_note():
    form = _form()
    parent = evaluate(form).indicators[0]
    assert parent.computed is None and parent.effective == D(6)
    notes = [f for f in _row_findings(form, (0, 0, 0)) if f.place.key == "deviation"]
    assert notes and notes[0].level == ERROR and "次干道" in notes[0].message
    form.rows_at(0, 0)[0].deviation = "次干道施工封路，下年度补足。"
    assert not [f for f in _row_findings(form, (0, 0, 0)) if f.place.key == "deviation"]


def test_parent_score_is_held_to_its_weight():
    form = _form(_rows(parent_score=D(12)))
    assert evaluate(form).indicators[0].effective == D(10)


def test_target_read_from_the_name_with_a_hint():
    assert name_target("年度资金支付完成率100%") == "100%"
    assert name_target("指标1") == "" and name_target("群众满意度") == ""
    form = _form([Indicator("年度资金支付完成率100%", "", "95%", D(10), D(9.5))])
    r = evaluate(form).indicators[0]
    assert r.name_target == "100%" and r.computed == D("9.5")
    found = _row_findings(form, (0, 0, 0))
    assert not any("没有填写年度指标值" in f.message for f in found)
    assert any(f.level == INFO and "“100%”" in f.message for f in found)


def test_a_breakdown_row_with_no_row_above_is_a_warning():
    form = _form([Indicator("其中一项", "≥1个", "1个", kind=BREAKDOWN)])
    assert any(f.level == WARNING and "上方没有" in f.message for f in _row_findings(form, (0, 0, 0)))


@pytest.mark.parametrize("seed", [SEED1, SEED2], ids=["seed1", "seed2"])
def test_seed_forms_findings_unchanged(seed):
    """The seed forms hold no breakdown row: each row's result is the scorer's own object, untouched."""
    from selfeval_gui.files.formfile import load_form

    form = load_form(seed)
    ev = evaluate(form)
    assert not any(r.breakdown or r.parts or r.name_target for r in ev.indicators)


# ---------------------------------------------------------------- the form file


def test_form_file_round_trip_and_old_files_unchanged():
    form = _form()
    data = json.loads(dumps(form))
    kinds = [i.get("kind") for i in data["indicators"][0]["children"][0]["indicators"]]
    assert kinds == [None, BREAKDOWN, BREAKDOWN, None]
    again = loads(dumps(form))
    assert [i.kind for i in again.rows_at(0, 0)] == ["", BREAKDOWN, BREAKDOWN, ""]
    old = (ROOT / "forms" / "城管以奖促治经费_2020.json").read_text(encoding="utf-8")
    assert "kind" not in dumps(loads(old))
    assert fingerprint(loads(dumps(loads(old)))) == fingerprint(loads(old))


def test_schema_accepts_the_kind():
    from selfeval_gui.domain.schema_check import check_value

    schema = json.loads((ROOT / "resources" / "schema" / "selfeval-form.schema.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["indicator"]["properties"]["kind"]["enum"] == ["", BREAKDOWN]
    data = json.loads(dumps(_form()))
    assert check_value(data, schema) is None
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(data, schema)
    data["indicators"][0]["children"][0]["indicators"][1]["kind"] = "child"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_bad_kind_in_a_file_is_a_sentence():
    from selfeval_gui.files.formfile import FormFileError

    data = json.loads(dumps(_form()))
    data["indicators"][0]["children"][0]["indicators"][1]["kind"] = "child"
    with pytest.raises(FormFileError, match="行类型"):
        loads(json.dumps(data, ensure_ascii=False))


# ---------------------------------------------------------------- workbook and PDF


def test_importer_reads_qizhong_prefixes_and_star_rows():
    assert split_prefix("其中：主干道") == (True, "主干道")
    assert split_prefix("（其中）次干道") == (True, "次干道")
    assert split_prefix("\u3000其中:背街小巷") == (True, "背街小巷")
    assert split_prefix("其中") == (False, "其中")
    rows = [Indicator("★保洁面积", "", "", D(10), D(8))]
    under = Indicator("主干道", "≥1", "1", D(10), D(8))
    mark_imported(rows, under)
    assert under.kind == BREAKDOWN and under.name == "主干道" and under.weight is None
    rows.append(under)
    sibling = Indicator("公厕座数", "≥1", "1", D(5), D(5))
    mark_imported(rows, sibling)
    assert sibling.kind == ""


def test_workbook_round_trip_keeps_the_kinds(tmp_path):
    from openpyxl import load_workbook

    from selfeval_gui.files.xlsx.export import export_xlsx
    from selfeval_gui.files.xlsx.reader import import_workbook

    form = _form()
    out = tmp_path / "其中.xlsx"
    [sm] = export_xlsx([form], out)
    ws = load_workbook(out).worksheets[0]
    r = sm.indicator_rows[(0, 0, 1)]
    texts = [str(c.value or "") for c in ws[r]]
    assert any(t.startswith("\u3000其中：主干道") for t in texts)
    [item] = import_workbook(out)
    got = item.form.rows_at(0, 0)
    assert [(i.name, i.kind) for i in got] == [(i.name, i.kind) for i in form.rows_at(0, 0)]
    assert got[1].weight is None and got[1].score is None


def test_pdf_prints_the_breakdown_rows_indented_without_scores(tmp_path):
    from selfeval_gui.files.pdf.form_pdf import write_pdf

    from .support import page_texts

    out = tmp_path / "其中.pdf"
    write_pdf(_form(), out, draft=True)
    text = "".join(page_texts(out))
    assert "其中：主干道" in text and "其中：次干道" in text
    assert "指标2：主干道" not in text
    assert "指标2：公厕保洁座数" in text  # the 其中 rows are not numbered: the next row is 指标2, as on paper


def test_a_typed_qizhong_is_not_doubled_and_the_rows_are_numbered_as_on_paper(qtbot):
    from .ui_support import open_window

    form = _form()
    form.rows_at(0, 0)[1].name = "其中：主干道"  # typed with its own 其中
    w = open_window(qtbot, form)
    tree, model = w.sheet.tree, w.sheet.model
    labels = [tree.itemDelegate().display_text(model.index_for_path((0, 0, k), 0)) for k in range(4)]
    assert labels == ["指标1：★道路保洁面积", "\u3000其中：主干道", "\u3000其中：次干道", "指标2：公厕保洁座数"]
    tree.setCurrentIndex(model.index_for_path((0, 0, 2), 0))
    w.act_breakdown.trigger()  # 次干道 is a scored row again: the rows below it are numbered anew
    assert tree.itemDelegate().display_text(model.index_for_path((0, 0, 3), 0)) == "指标3：公厕保洁座数"


# ---------------------------------------------------------------- the window


def test_window_shows_toggles_and_undoes_a_breakdown_row(qtbot):
    from .ui_support import open_window, shown

    form = _form()
    form.rows_at(0, 0)[2].kind = ""
    w = open_window(qtbot, form)
    model = w.sheet.model
    assert shown(model.index_for_path((0, 0, 1), 0)) == "\u3000其中：主干道"
    assert shown(model.index_for_path((0, 0, 2), 0)) == "次干道"
    w.sheet.tree.setCurrentIndex(model.index_for_path((0, 0, 2), 0))
    assert w.act_breakdown.isEnabled() and not w.act_breakdown.isChecked()
    w.act_breakdown.trigger()
    assert form.rows_at(0, 0)[2].kind == BREAKDOWN
    assert shown(model.index_for_path((0, 0, 2), 0)) == "\u3000其中：次干道"
    assert w.act_breakdown.isChecked()
    assert w.doc.evaluation.indicators[2].breakdown
    w.doc.undo_stack.undo()
    assert form.rows_at(0, 0)[2].kind == ""
    assert shown(model.index_for_path((0, 0, 2), 0)) == "次干道"
    assert not w.act_breakdown.isChecked()


def test_window_refuses_a_breakdown_row_with_nothing_above(qtbot):
    from .ui_support import open_window

    w = open_window(qtbot, _form())
    w.sheet.tree.setCurrentIndex(w.sheet.model.index_for_path((0, 0, 0), 0))
    w.act_breakdown.trigger()
    assert w.doc.form.rows_at(0, 0)[0].kind == ""
    assert w.act_breakdown in w.sheet.tree.actions()


def test_findings_name_a_breakdown_row_as_printed():
    """“其中：次干道”, and the next scored row 指标2, as the paper numbers them."""
    form = _form(_rows(parent_score=D(6), second_actual=""))
    wheres = [f.where for f in check(form) if f.place.path and f.place.path[:2] == (0, 0)]
    assert any("› 其中：次干道 ›" in w for w in wheres)
    assert not any("指标3" in w for w in wheres)


def test_the_window_renames_a_rows_findings_when_a_row_above_changes_kind(qtbot):
    """The findings are cached per row; a row above turned 其中 (or back) changes the 指标N they name."""
    from .ui_support import open_window

    form = _form()
    form.rows_at(0, 0)[3].actual = ""  # 公厕保洁座数: a finding naming the row
    w = open_window(qtbot, form)

    def named():
        return {f.where.split(" › ")[2] for f in w.doc.findings if f.place.path == (0, 0, 3)}

    assert named() == {"指标2：公厕保洁座数"}
    w.sheet.tree.setCurrentIndex(w.sheet.model.index_for_path((0, 0, 2), 0))
    w.act_breakdown.trigger()  # 次干道 scored again
    assert named() == {"指标3：公厕保洁座数"}
    w.doc.undo_stack.undo()
    assert named() == {"指标2：公厕保洁座数"}
