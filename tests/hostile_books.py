"""Hostile workbooks, built small on disk (no tests here): each expands to far more than its size says."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_LABEL = '<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c></row>'


def _parts() -> dict[str, bytes]:
    buf = io.BytesIO()
    Workbook().save(buf)
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write(path: Path, sheet: Iterator[bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in _parts().items():
            if name == SHEET:
                with z.open(SHEET, "w", force_zip64=True) as f:
                    for piece in sheet:
                        f.write(piece)
            else:
                z.writestr(name, data)
    return path


def _sheet(body: Iterator[bytes], tail: bytes = b"") -> Iterator[bytes]:
    yield f"<worksheet {_NS}><sheetData>".encode()
    yield from body
    yield b"</sheetData>" + tail + b"</worksheet>"


def merge_bomb(path: Path) -> Path:
    """One label and one merged range over all of K1:XFD1048576 (17 billion cells)."""
    return _write(
        path, _sheet(iter([_LABEL.encode()]), b'<mergeCells count="1"><mergeCell ref="K1:XFD1048576"/></mergeCells>')
    )


def hyperlink_bomb(path: Path) -> Path:
    """A hyperlink over a whole sheet: openpyxl would give every cell of it a copy."""
    return _write(
        path,
        _sheet(
            iter([_LABEL.encode()]),
            b'<hyperlinks><hyperlink ref="A1:XFD1048576" location="\'Sheet\'!A1"/></hyperlinks>',
        ),
    )


def many_cells(path: Path, rows: int = 60_000, cols: int = 100) -> Path:
    """6 million one-digit cells, a few hundred KB compressed."""
    row = b"<row>" + b"<c><v>1</v></c>" * cols + b"</row>"
    return _write(path, _sheet(row for _ in range(rows)))


def many_rows(path: Path, rows: int = 1_000_000) -> Path:
    """A million rows of one cell each."""
    return _write(path, _sheet(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>'.encode() for r in range(1, rows + 1)))


def understated(path: Path, declared: int = 1000) -> Path:
    """many_cells, with the zip claiming the sheet is `declared` bytes long (local header and directory alike)."""
    many_cells(path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET)
    name = SHEET.encode()
    # ZIP64: the real sizes live in the extra field; drop the 0xFFFFFFFF marks so the 32-bit fields count
    at = data.find(b"PK\x01\x02" + bytes(0), 0)
    while at != -1:
        n_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + n_len]) == name:
            struct.pack_into("<I", data, at + 24, declared)
        at = data.find(b"PK\x01\x02", at + 4)
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    path.write_bytes(bytes(data))
    return path
