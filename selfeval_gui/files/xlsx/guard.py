"""Checking a workbook before anything parses it, and opening it safely.

The file is read once into memory (it is small) and checked there: its size and first bytes (an OLE compound file
is a password-protected workbook or an old .xls), then every zip member is decompressed in chunks and what comes
out is counted — bytes, cells, rows, shared strings and the area of merged or linked ranges — so a workbook is
refused for what it really holds, never trusted for the sizes its zip declares.  openpyxl then parses those same
bytes with defusedxml.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval_gui.files.errors import ClerkError
from selfeval_gui.files.reading import read_failure, read_head

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # a form is a few hundred KB; this stops zip bombs
MAX_MEMBERS = 2000
# What openpyxl turns into Python objects, one each: a form has a few thousand cells; a unit's workbook of
# thirty forms well under a hundred thousand.  Counted over the whole workbook.
MAX_CELLS = 200_000
MAX_ROWS = 100_000
MAX_STRINGS = 300_000
MAX_RANGE_AREA = 300_000  # merged cells and hyperlinked ranges: openpyxl makes one object per cell they cover
CHUNK = 1 << 20
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
# defusedxml's refusals: the file holds XML that could attack the parser.
_UNSAFE_XML = ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError")
_SAFETY = "为安全起见不予导入。"

_P = rb"<(?:[A-Za-z_][\w.-]{0,40}:)?"  # an element, with or without a namespace prefix
_CELL_RE = re.compile(_P + rb"c[\s/>]")
_ROW_RE = re.compile(_P + rb"row[\s/>]")
_STRING_RE = re.compile(_P + rb"si[\s/>]")
_RANGE_RE = re.compile(
    _P + rb"(?:mergeCell|hyperlink)\s[^>]{0,400}?\bref\s*=\s*[\"']\s*\$?([A-Za-z]{1,3})\$?(\d{1,7})"
    rb"(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?"
)
_OVERLAP = 512  # longer than any match above: a match cut by a chunk's end is found in the next buffer


class XlsxImportError(ClerkError):
    """The workbook cannot be imported; clerk_message says why in Chinese."""


class ImportCancelled(Exception):
    """The clerk pressed 取消 while the workbook was read."""


Progress = Callable[[str], None]  # told what is being read; raises ImportCancelled to stop


def _no_progress(_what: str) -> None:
    return None


def _check_head(path: Path, size: int, head: bytes) -> None:
    """Size and the first bytes: too big, encrypted or .xls, or no zip at all."""
    name = path.name
    if size > MAX_FILE_BYTES:
        raise XlsxImportError(f"“{name}”太大（{size // 1024 // 1024} MB），不像是绩效自评表工作簿。")
    if head[:8] == OLE_SIGNATURE:
        raise XlsxImportError(
            f"“{name}”设有打开密码，或是旧版 Excel 97-2003 (.xls) 格式。请在 Excel 或 WPS 中"
            "去掉密码并“另存为” Excel 工作簿 (.xlsx) 后再导入。"
        )
    if head[:2] != b"PK":
        raise XlsxImportError(f"“{name}”不是 Excel 工作簿 (.xlsx)，无法导入。")


def _damaged(name: str) -> XlsxImportError:
    return XlsxImportError(f"“{name}”已损坏或不是 Excel 工作簿 (.xlsx)，无法导入。")


def _check_members(name: str, infos: list[zipfile.ZipInfo]) -> None:
    """The zip's table of contents: a binary workbook (.xlsb), or some other zip (.docx); too many parts."""
    members = {i.filename for i in infos}
    if len(infos) > MAX_MEMBERS:
        raise XlsxImportError(f"“{name}”内部包含 {len(infos)} 个部件，远多于一张表格应有的数量，{_SAFETY}")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED:
        raise XlsxImportError(f"“{name}”解压后有 {declared // 1024 // 1024} MB，远大于一张表格应有的大小，{_SAFETY}")
    if "xl/workbook.bin" in members:
        raise XlsxImportError(f"“{name}”是二进制工作簿 (.xlsb)，请在 Excel 中“另存为” Excel 工作簿 (.xlsx) 后再导入。")
    if "xl/workbook.xml" not in members:
        raise XlsxImportError(f"“{name}”不是 Excel 工作簿 (.xlsx)（可能是 Word 文档或其他压缩文件），无法导入。")


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


@dataclass
class _Tally:
    """What the members decompressed so far really hold, refused as soon as one count passes its limit."""

    name: str
    size: int = 0
    cells: int = 0
    rows: int = 0
    strings: int = 0
    area: int = 0

    def add_bytes(self, n: int) -> None:
        self.size += n
        if self.size > MAX_UNCOMPRESSED:
            raise XlsxImportError(
                f"“{self.name}”解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，远大于一张表格应有的大小，{_SAFETY}"
            )

    def count(self, buf: bytes, end: int, sheet: bool, strings: bool) -> None:
        """Count the elements that start in buf[:end]."""
        if sheet:
            self.cells += sum(1 for _ in _CELL_RE.finditer(buf, 0, end))
            self.rows += sum(1 for _ in _ROW_RE.finditer(buf, 0, end))
            for m in _RANGE_RE.finditer(buf, 0, end):
                self.area += self._area(m)
        if strings:
            self.strings += sum(1 for _ in _STRING_RE.finditer(buf, 0, end))
        self._limits()

    @staticmethod
    def _area(m: re.Match[bytes]) -> int:
        if m.group(3) is None:
            return 1
        rows = abs(int(m.group(4)) - int(m.group(2))) + 1
        cols = abs(_column(m.group(3)) - _column(m.group(1))) + 1
        return rows * cols

    def _limits(self) -> None:
        what = ""
        if self.cells > MAX_CELLS:
            what = f"超过 {MAX_CELLS:,} 个单元格"
        elif self.rows > MAX_ROWS:
            what = f"超过 {MAX_ROWS:,} 行"
        elif self.strings > MAX_STRINGS:
            what = f"超过 {MAX_STRINGS:,} 段文字"
        elif self.area > MAX_RANGE_AREA:
            what = f"合并单元格或超链接覆盖超过 {MAX_RANGE_AREA:,} 个单元格"
        if what:
            raise XlsxImportError(f"“{self.name}”{what}，远多于一张自评表应有的内容，{_SAFETY}")


def scan_zip(
    data: bytes,
    name: str,
    check_members: Callable[[list[zipfile.ZipInfo]], None],
    scan: Callable[[zipfile.ZipFile, zipfile.ZipInfo], None],
    damaged: Callable[[], Exception],
) -> None:
    """Open the zip in `data`, check its list of members, then scan each (they raise the clerk's sentence); a zip
    that cannot be read, or has an encrypted member, raises `damaged()`.  Shared by the workbook and Word guards."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            check_members(infos)
            for info in infos:
                scan(z, info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError):
        log.info("%s is no readable zip", name, exc_info=True)
        raise damaged() from None
    except RuntimeError:  # an encrypted zip member
        log.info("%s has an encrypted member", name, exc_info=True)
        raise damaged() from None


def member_windows(z: zipfile.ZipFile, info: zipfile.ZipInfo, progress: Progress) -> Iterator[tuple[bytes, int, int]]:
    """Decompress one member in chunks, nothing kept: (buffer, end, chunk size) for each chunk, where a pattern is
    searched in buffer[:end] and the buffer's last _OVERLAP bytes come again at the start of the next one (a
    match cut by a chunk's end is found whole there).  The last window has chunk size 0 and end = its length."""
    tail = b""
    with z.open(info) as f:
        while True:
            progress(info.filename)
            chunk = f.read(CHUNK)
            buf = tail + chunk
            end = len(buf) if not chunk else max(0, len(buf) - _OVERLAP)
            yield buf, end, len(chunk)
            tail = buf[end:]
            if not chunk:
                return


def _scan_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, tally: _Tally, progress: Progress) -> None:
    """Count what one member really holds (its size; a sheet's cells and rows, the shared strings)."""
    lower = info.filename.lower()
    sheet = lower.startswith("xl/worksheets/") and lower.endswith(".xml")
    strings = lower.endswith("sharedstrings.xml")
    for buf, end, size in member_windows(z, info, progress):
        tally.add_bytes(size)
        if sheet or strings:
            tally.count(buf, end, sheet, strings)


def read_checked(path: Path, progress: Progress = _no_progress) -> bytes:
    """The workbook's bytes, once every check passed; raises XlsxImportError (clerk_message) otherwise."""
    try:
        size, data = read_head(path, MAX_FILE_BYTES + 1)
    except OSError as e:
        raise XlsxImportError(read_failure(path, e, "Excel 工作簿")) from None
    _check_head(path, max(size, len(data)), data)
    tally = _Tally(path.name)
    scan_zip(
        data,
        path.name,
        lambda infos: _check_members(path.name, infos),
        lambda z, info: _scan_member(z, info, tally, progress),
        lambda: _damaged(path.name),
    )
    log.info(
        "%s: %d bytes, %d cells, %d rows, %d strings, range area %d",
        path.name,
        tally.size,
        tally.cells,
        tally.rows,
        tally.strings,
        tally.area,
    )
    return data


def guard(path: Path) -> None:
    """Raise XlsxImportError (clerk_message) unless the file looks like a workbook that is safe to parse."""
    read_checked(path)


def _unsafe_kind(e: BaseException) -> str | None:
    """defusedxml's refusal, found however deep openpyxl wrapped it (raise … from, or during handling)."""
    seen: set[int] = set()
    cur: BaseException | None = e
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        if type(cur).__name__ in _UNSAFE_XML:
            return type(cur).__name__
        cur = cur.__cause__ or cur.__context__
    return None


def load(source: Path | bytes, data_only: bool, name: str | None = None) -> Any:
    """The openpyxl workbook (formulas, or with data_only their last calculated values), parsed with defusedxml.
    `source` is the checked bytes from read_checked (or a path, read and checked here)."""
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # openpyxl falls back to the plain parser silently; refuse instead
        raise XlsxImportError("程序缺少安全组件 defusedxml，为防范恶意文件，暂不能导入 Excel。请重新安装程序。")
    if isinstance(source, Path):
        name = source.name
        source = read_checked(source)
    name = name or "工作簿"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like mean nothing to a clerk
            return load_workbook(io.BytesIO(source), data_only=data_only, keep_links=False, rich_text=False)
    except XlsxImportError:
        raise
    except MemoryError:
        log.warning("out of memory reading %s", name, exc_info=True)
        raise XlsxImportError(
            f"读取“{name}”时电脑内存不足，没有导入。请关闭其他程序后再试；如果仍然不行，这个工作簿可能过大。"
        ) from None
    except Exception as e:  # defusedxml's refusals, broken XML, missing parts: all mean "cannot read"
        log.warning("openpyxl could not read %s", name, exc_info=True)
        kind = _unsafe_kind(e)
        if kind:
            raise XlsxImportError(f"“{name}”内含不安全的 XML 内容（{kind}），{_SAFETY}") from None
        raise XlsxImportError(
            f"“{name}”已损坏或格式不受支持，无法读取（{type(e).__name__}）。"
            "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试。"
        ) from None
