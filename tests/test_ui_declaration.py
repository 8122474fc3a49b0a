"""Issue 20 through the real window and the command line: 文件 › 新建 › 从绩效目标申报表… and `import` of a 申报表
or a Word form make the draft the clerk then fills; a changed approved target is a 提示 in 检查结果."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from selfeval_gui.cli.main import run
from selfeval_gui.files.formfile import load_form
from selfeval_gui.ui.common import qt_words
from selfeval_gui.ui.form.indicator_columns import COL

from .make_declarations import LAYOUTS, write_docx, write_xlsx
from .ui_support import open_window, shown, type_into_cell

pytestmark = pytest.mark.usefixtures("boxes")


@pytest.mark.parametrize("writer", [write_xlsx, write_docx])
def test_new_from_a_declaration_in_the_window(qtbot, tmp_path, monkeypatch, boxes, choices, writer):
    blocks, rows = LAYOUTS["two_tables"]
    path = writer(blocks, tmp_path / f"申报表.{writer.__name__.rsplit('_', 1)[1]}")
    asked = []
    monkeypatch.setattr(
        qt_words, "open_file_name", lambda parent, title, start, filters: asked.append(filters) or str(path)
    )
    monkeypatch.setattr(QMessageBox, "exec", lambda box: boxes.calls.append(("exec", box.text())) or QMessageBox.Ok)
    choices.answers = [0]  # the 申报表 names no district: the best-guess template (asked, as for any workbook)
    w = open_window(qtbot)
    action = next(a for a in w.findChildren(type(w.act_new)) if a.text() == "从绩效目标申报表…")
    action.trigger()
    assert "*.docx" in asked[0] and "*.xlsx" in asked[0]
    form = w.doc.form
    assert form.approved is not None and form.year == 2021
    names = [ind.name for ind in form.indicators()]
    assert names == [r[2] for r in rows]
    first = w.sheet.model.index_for_path(next((i, j, k) for i, j, k, *_ in form.iter_indicators()), COL["target"])
    assert shown(first) == rows[0][3]
    assert "没有写地区" in choices.texts()[0]
    told = " ".join(t for _n, t in boxes.calls)
    assert "由绩效目标申报表" in told and "生成 2021 年度自评表草稿" in told
    assert not [f for f in w.doc.findings if "申报表" in f.message]
    type_into_cell(qtbot, w.sheet.tree, first, "调整后的指标值")  # a changed approved target: a 提示 naming it
    hints = [f for f in w.doc.findings if "与申报表不一致" in f.message]
    assert len(hints) == 1 and rows[0][3] in hints[0].message


def test_import_on_the_command_line_makes_the_draft(tmp_path, capsys):
    blocks, rows = LAYOUTS["nature_unit"]
    src = write_docx(blocks, tmp_path / "申报表.docx")
    out = tmp_path / "草稿.json"
    code = run(["import", str(src), "-o", str(out)])
    said = capsys.readouterr().out
    assert code in (0, 1) and "由绩效目标申报表生成" in said
    assert "[未填]" in said and "[错误]" not in "".join(x for x in said.splitlines() if "实际完成值" in x)
    form = load_form(out)
    assert [ind.name for ind in form.indicators()] == [r[2] for r in rows]
    assert form.approved is not None and form.approved.source == "申报表.docx"


def test_an_old_doc_is_refused_with_the_sentence(tmp_path, capsys):
    old = tmp_path / "去年的表.doc"
    old.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    assert run(["import", str(old), "-o", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert ".docx" in err and "另存为" in err
    assert not (tmp_path / "x.json").exists()
