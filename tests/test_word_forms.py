"""Word forms (issue 20 item 2): a 自评表 typed as a Word table reads as the same content in a workbook does —
equal forms, the same findings; merged cells as Word writes them; an old .doc and hostile .docx refused with a
sentence."""

from __future__ import annotations

import io
import os
import zipfile

import pytest

from selfeval_gui.domain.checks import check
from selfeval_gui.files.formfile import load_form
from selfeval_gui.files.importing import import_document
from selfeval_gui.files.word import docx_guard
from selfeval_gui.files.word.docx_grid import document_grids
from selfeval_gui.files.xlsx.reader import XlsxImportError
from selfeval_gui.paths import forms_path

from .make_declarations import selfeval_blocks, write_docx, write_xlsx


def _same_content(tmp_path, name):
    form = load_form(forms_path(name))
    docx_blocks, xlsx_blocks = selfeval_blocks(form)
    docx = write_docx(docx_blocks, tmp_path / "自评表.docx")
    xlsx = write_xlsx(xlsx_blocks, tmp_path / "自评表.xlsx")
    return import_document(docx), import_document(xlsx)


def _said(findings):
    return [(f.level, f.message, f.place) for f in findings]


@pytest.mark.parametrize("name", ["公共事务协管经费_2020.json", "城管以奖促治经费_2020.json"])
def test_a_docx_and_an_xlsx_of_the_same_form_give_equal_forms_and_findings(tmp_path, name):
    (from_docx,), (from_xlsx,) = _same_content(tmp_path, name)
    assert from_docx.form == from_xlsx.form
    assert from_docx.form.approved is None
    assert _said(from_docx.findings) == _said(from_xlsx.findings)
    assert _said(check(from_docx.form)) == _said(check(from_xlsx.form))
    original = load_form(forms_path(name))
    assert [i.name for i in from_docx.form.indicators()] == [i.name for i in original.indicators() if not i.is_blank()]
    assert from_docx.form.project_name == original.project_name


def test_merged_cells_appear_once_with_their_extent(tmp_path):
    blocks = [
        ("p", "标题"),
        ("t", [[("甲", 2, 2), "乙"], ["丙"], ["丁", "戊", "己"]]),
        ("p", "中间"),
        ("t", [["子", ("丑", 2, 1)]]),
    ]
    path = write_docx(blocks, tmp_path / "m.docx")
    (grid,) = document_grids(path.read_bytes(), path.name)
    assert grid.values == {(1, 1): "标题", (2, 1): "甲", (2, 3): "乙", (3, 3): "丙", (4, 1): "丁", (4, 2): "戊",
                           (4, 3): "己", (5, 1): "中间", (6, 1): "子", (6, 2): "丑"}  # fmt: skip
    assert grid.extent[(2, 1)] == (2, 1, 3, 2) and grid.extent[(6, 2)] == (6, 2, 6, 3)
    assert grid.right_edge(2, 1) == 2 and grid.max_row == 6 and grid.max_col == 3
    assert grid.by_row[4] == [1, 2, 3] and grid.formulas == set() and not grid.truncated


def test_two_forms_in_one_document_give_two(tmp_path):
    form = load_form(forms_path("公共事务协管经费_2020.json"))
    blocks, _ = selfeval_blocks(form)
    path = write_docx(blocks + blocks, tmp_path / "两张.docx")
    items = import_document(path)
    assert len(items) == 2 and items[0].form == items[1].form


def test_an_old_doc_is_refused_with_the_sentence(tmp_path):
    path = tmp_path / "自评表.doc"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    with pytest.raises(XlsxImportError) as e:
        import_document(path)
    assert "另存为” Word 文档 (.docx)" in e.value.clerk_message and "Word 或 WPS" in e.value.clerk_message
    renamed = tmp_path / "看不出来.bin"
    renamed.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + "WordDocument".encode("utf-16-le") + b"\0" * 600)
    with pytest.raises(XlsxImportError, match=r"\.docx"):
        import_document(renamed)


def _zip(path, members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def test_hostile_documents_are_refused_with_a_sentence(tmp_path, monkeypatch):
    with pytest.raises(XlsxImportError, match="不是 Word 文档"):
        import_document(_write(tmp_path / "假的.docx", "这不是压缩文件"))
    many = {f"word/media/{n}.xml": b"<a/>" for n in range(docx_guard.MAX_MEMBERS + 1)}
    with pytest.raises(XlsxImportError, match="个部件"):
        import_document(_zip(tmp_path / "多.docx", {"word/document.xml": b"<w/>", **many}))
    bomb = {"word/document.xml": b"<w:tc/>" * 10 + b" " * (2 * 1024 * 1024)}
    monkeypatch.setattr(docx_guard, "MAX_UNCOMPRESSED", 1024 * 1024)
    with pytest.raises(XlsxImportError, match="解压后"):
        import_document(_zip(tmp_path / "炸弹.docx", bomb))
    with pytest.raises(XlsxImportError, match="DOCTYPE"):
        import_document(_zip(tmp_path / "实体.docx", {"word/document.xml": b'<!DOCTYPE x [<!ENTITY a "b">]><w/>'}))
    monkeypatch.setattr(docx_guard, "MAX_FILE_BYTES", 1000)
    with pytest.raises(XlsxImportError, match="太大"):
        import_document(_zip(tmp_path / "大.docx", {"word/document.xml": os.urandom(4000)}))


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_a_document_without_a_form_is_refused(tmp_path):
    path = write_docx([("p", "会议纪要"), ("t", [["甲", "乙"]])], tmp_path / "纪要.docx")
    with pytest.raises(XlsxImportError, match="没有找到"):
        import_document(path)
