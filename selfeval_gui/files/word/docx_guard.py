"""Checking a Word document before python-docx parses it, the way files/xlsx/guard.py checks a workbook: read once
into memory (bounded, a regular file only), its first bytes (an old binary .doc, or a password: an OLE compound
file), the zip's table of contents (too many parts, no word/document.xml), then every part decompressed in chunks
and what comes out counted — bytes, table cells, a DOCTYPE — so a document is refused for what it really holds."""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from selfeval_gui.files.reading import read_failure, read_head
from selfeval_gui.files.xlsx.guard import OLE_SIGNATURE, Progress, XlsxImportError, member_windows, scan_zip

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_CELLS = 100_000  # table cells (w:tc) of the whole document; a form has a few hundred
_SAFETY = "为安全起见不予导入。"
_TOO_BIG = "远大于一份表格文档应有的大小，"
_CELL_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,40}:)?tc[\s/>]")
_DOCTYPE_RE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
MAIN_PART = "word/document.xml"


class WordImportError(XlsxImportError):
    """A Word document that cannot be imported; clerk_message says why in Chinese.  A kind of XlsxImportError, so
    every caller of the workbook import catches it too."""


def _no_progress(_what: str) -> None:
    return None


def old_word_sentence(name: str) -> str:
    return (
        f"“{name}”是旧版 Word 97-2003 文档 (.doc) 或设有打开密码，无法直接导入。请在 Word 或 WPS 中打开，"
        "去掉密码并“另存为” Word 文档 (.docx) 后再导入。"
    )


def _check_head(name: str, size: int, head: bytes) -> None:
    if size > MAX_FILE_BYTES:
        raise WordImportError(f"“{name}”太大（{size // 1024 // 1024} MB），不像是绩效自评表或申报表。")
    if head[:8] == OLE_SIGNATURE:
        raise WordImportError(old_word_sentence(name))
    if head[:2] != b"PK":
        raise WordImportError(f"“{name}”不是 Word 文档 (.docx)，无法导入。")


def _check_members(name: str, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise WordImportError(f"“{name}”内部包含 {len(infos)} 个部件，远多于一份表格文档应有的数量，{_SAFETY}")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED:
        raise WordImportError(f"“{name}”解压后有 {declared // 1024 // 1024} MB，{_TOO_BIG}{_SAFETY}")
    if MAIN_PART not in {i.filename for i in infos}:
        raise WordImportError(f"“{name}”不是 Word 文档 (.docx)（可能是 Excel 工作簿或其他压缩文件），无法导入。")


@dataclass
class _Tally:
    name: str
    size: int = 0
    cells: int = 0

    def add(self, buf: bytes, end: int, xml: bool) -> None:
        if xml:
            self.cells += sum(1 for _ in _CELL_RE.finditer(buf, 0, end))
            if _DOCTYPE_RE.search(buf, 0, end):
                raise WordImportError(f"“{self.name}”内含不安全的 XML 内容（DOCTYPE），{_SAFETY}")
        if self.size > MAX_UNCOMPRESSED:
            raise WordImportError(f"“{self.name}”解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，{_TOO_BIG}{_SAFETY}")
        if self.cells > MAX_CELLS:
            raise WordImportError(f"“{self.name}”的表格超过 {MAX_CELLS:,} 个单元格，远多于一张表应有的内容，{_SAFETY}")


def _scan_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, tally: _Tally, progress: Progress) -> None:
    """Count what one part really holds (its size; the table cells and a DOCTYPE in its XML)."""
    xml = info.filename.lower().endswith((".xml", ".rels"))
    for buf, end, size in member_windows(z, info, progress):
        tally.size += size
        tally.add(buf, end, xml)


def read_checked_docx(path: Path, progress: Progress = _no_progress) -> bytes:
    """The document's bytes once every check passed; WordImportError (clerk_message) otherwise."""
    try:
        size, data = read_head(path, MAX_FILE_BYTES + 1)
    except OSError as e:
        raise WordImportError(read_failure(path, e, "Word 文档")) from None
    _check_head(path.name, max(size, len(data)), data)
    tally = _Tally(path.name)
    scan_zip(
        data,
        path.name,
        lambda infos: _check_members(path.name, infos),
        lambda z, info: _scan_member(z, info, tally, progress),
        lambda: WordImportError(f"“{path.name}”已损坏或不是 Word 文档 (.docx)，无法导入。"),
    )
    log.info("%s: %d bytes, %d table cells", path.name, tally.size, tally.cells)
    return data
