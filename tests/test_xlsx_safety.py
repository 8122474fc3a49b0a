"""Hostile or wrong files get a clear Chinese message, never a traceback, and nothing is written."""

import os
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook

from selfeval_gui.files.xlsx import guard as xlsx_guard
from selfeval_gui.files.xlsx.export import export_xlsx
from selfeval_gui.files.xlsx.reader import XlsxImportError, import_workbook

from . import hostile_books
from .support import ROOT


def _refused(path) -> str:
    with pytest.raises(XlsxImportError) as e:
        import_workbook(path)
    msg = e.value.clerk_message
    assert msg and "Traceback" not in msg
    return msg


def test_openpyxl_parses_with_defusedxml():
    import openpyxl.xml
    from openpyxl.worksheet import _reader
    from openpyxl.xml import functions

    assert openpyxl.xml.DEFUSEDXML is True
    # the parts and the sheets are both parsed by defusedxml's wrappers, not the plain ElementTree
    assert functions.fromstring.__module__.startswith("defusedxml")
    assert _reader.iterparse.__module__.startswith("defusedxml")


def test_entity_expansion_is_refused(tmp_path, seed1):
    book = tmp_path / "炸弹.xlsx"
    export_xlsx([seed1], book)
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    parts["xl/workbook.xml"] = (
        parts["xl/workbook.xml"]
        .replace(b'<?xml version="1.0" encoding="UTF-8" ?>', b"")
        .replace(b"<?xml version='1.0' encoding='UTF-8'?>", b"")
    )
    parts["xl/workbook.xml"] = lol.encode() + parts["xl/workbook.xml"]
    with zipfile.ZipFile(book, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    msg = _refused(book)
    # openpyxl wraps defusedxml's refusal in its own error: the clerk still hears the program's "unsafe"
    assert "不安全" in msg and "损坏" not in msg


def test_uncompressed_size_and_member_count_are_limited(tmp_path, seed1, monkeypatch):
    book = tmp_path / "a.xlsx"
    export_xlsx([seed1], book)
    monkeypatch.setattr(xlsx_guard, "MAX_UNCOMPRESSED", 1000)
    assert "解压后" in _refused(book)
    monkeypatch.setattr(xlsx_guard, "MAX_UNCOMPRESSED", 100 * 1024 * 1024)
    monkeypatch.setattr(xlsx_guard, "MAX_MEMBERS", 3)
    assert "部件" in _refused(book)


def test_a_real_zip_bomb_is_refused_before_parsing(tmp_path):
    book = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            chunk = b" " * (1 << 20)
            for _ in range(110):
                f.write(chunk)
    assert book.stat().st_size < 1 << 20
    assert "解压后" in _refused(book)


def test_password_protected_or_xls(tmp_path):
    book = tmp_path / "加密.xlsx"
    book.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    msg = _refused(book)
    assert "密码" in msg and ".xls" in msg


def test_not_a_workbook(tmp_path):
    txt = tmp_path / "说明.xlsx"
    txt.write_text("这不是表格", encoding="utf-8")
    assert "不是 Excel 工作簿" in _refused(txt)
    docx = tmp_path / "表.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert "Word" in _refused(docx)
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    assert "损坏" in _refused(broken)
    assert "找不到" in _refused(tmp_path / "没有.xlsx")


def test_workbook_without_a_form_names_its_sheets(tmp_path):
    book = tmp_path / "空.xlsx"
    wb = Workbook()
    wb.active.title = "预算明细"
    wb.active["A1"] = "科目"
    wb.save(book)
    msg = _refused(book)
    assert "没有找到绩效自评表" in msg and "预算明细" in msg


def test_huge_sheet_dimension_costs_nothing(tmp_path, seed1):
    """A stray cell far away must not make the reader walk a million rows."""
    book = tmp_path / "远.xlsx"
    from openpyxl import load_workbook

    export_xlsx([seed1], book)
    wb = load_workbook(book)
    wb.worksheets[0]["A1000000"] = "x"
    wb.save(book)
    [item] = import_workbook(book)
    assert item.form.project_name == "公共事务协管经费"
    assert any("只读取了前面部分" in f.message for f in item.findings)


def test_cli_refuses_and_writes_nothing(tmp_path):
    bad = tmp_path / "加密.xlsx"
    bad.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600)
    out = tmp_path / "out.json"
    r = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", str(bad), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
    )
    assert r.returncode == 2
    assert "密码" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


# ---------------------------------------------------------------- workbooks that expand beyond their size


def _import_limited(book, out, limit_mb=1500):
    """`import` in a child under an address-space limit: (exit code, stderr, peak memory in MB)."""
    r = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "limited_run.py"), str(limit_mb), "import", str(book), "-o", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    peak = int(r.stderr.rsplit("maxrss_mb=", 1)[1].split()[0])
    return r.returncode, r.stderr, peak


@pytest.mark.parametrize(
    "build",
    [hostile_books.merge_bomb, hostile_books.hyperlink_bomb, hostile_books.many_cells, hostile_books.understated],
)
def test_hostile_workbook_is_refused_with_memory_bounded(tmp_path, build):
    book = build(tmp_path / f"{build.__name__}.xlsx")
    before = book.read_bytes()
    out = tmp_path / "out"
    code, err, peak = _import_limited(book, out)
    assert code == 2, err
    assert "Traceback" not in err and "错误：" in err
    assert "为安全起见不予导入" in err or "已损坏" in err
    assert peak < 400, f"peak {peak} MB"  # the unguarded import passed 1.7 GB on these (and 40 s)
    assert not out.exists() and book.read_bytes() == before


@pytest.mark.slow
def test_a_million_rows_are_refused(tmp_path):
    book = hostile_books.many_rows(tmp_path / "rows.xlsx")
    code, err, peak = _import_limited(book, tmp_path / "out.json")
    assert code == 2 and "100,000 行" in err and peak < 400


def test_counts_are_what_the_members_really_hold(tmp_path, monkeypatch):
    """The zip says the sheet is 1000 bytes; what it decompresses to is counted, and refused."""
    book = hostile_books.understated(tmp_path / "u.xlsx", declared=80 * 1024 * 1024)
    assert "为安全起见不予导入" in _refused(book) or "已损坏" in _refused(book)
    monkeypatch.setattr(xlsx_guard, "MAX_CELLS", 10)
    good = tmp_path / "g.xlsx"
    Workbook().save(good)
    wb = Workbook()
    for r in range(1, 5):
        for c in range(1, 5):
            wb.active.cell(r, c, r * c)
    wb.save(good)
    assert "超过 10 个单元格" in _refused(good)


def test_a_chunk_boundary_does_not_hide_a_merged_range(tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_guard, "CHUNK", 7)
    assert "合并单元格" in _refused(hostile_books.merge_bomb(tmp_path / "m.xlsx"))


def test_running_out_of_memory_is_not_called_damage(tmp_path, seed1, monkeypatch):
    book = tmp_path / "a.xlsx"
    export_xlsx([seed1], book)
    import openpyxl

    def no_memory(*a, **k):
        raise MemoryError

    monkeypatch.setattr(openpyxl, "load_workbook", no_memory)
    msg = _refused(book)
    assert "内存不足" in msg and "损坏" not in msg


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_an_external_entity_in_any_part_is_called_unsafe(tmp_path, seed1, part):
    """openpyxl wraps defusedxml's refusal in a ValueError of its own; the clerk still hears "unsafe"."""
    book = tmp_path / "xxe.xlsx"
    export_xlsx([seed1], book)
    with zipfile.ZipFile(book) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    x = parts[part]
    at = x.find(b"?>") + 2 if x.startswith(b"<?xml") else 0
    parts[part] = x[:at] + b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + x[at:]
    with zipfile.ZipFile(book, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    msg = _refused(book)
    assert "不安全" in msg and "损坏" not in msg
