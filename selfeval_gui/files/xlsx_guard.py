"""Checking a workbook before anything parses it, and opening it safely.

The file is checked before openpyxl opens it (size, zip signature, member count, uncompressed size; an OLE
compound file is a password-protected workbook or an old .xls), and openpyxl parses with defusedxml.
"""
from __future__ import annotations

import logging
import warnings
import zipfile
from pathlib import Path
from typing import Any

from .errors import ClerkError
from .reading import read_failure, read_head

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # a form is a few hundred KB; this stops zip bombs
MAX_MEMBERS = 2000
OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
# defusedxml's refusals: the file holds XML that could attack the parser.
_UNSAFE_XML = ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError")


class XlsxImportError(ClerkError):
    """The workbook cannot be imported; clerk_message says why in Chinese."""


def _check_head(path: Path) -> None:
    """Size and the first bytes: too big, encrypted or .xls, or no zip at all."""
    name = path.name
    try:
        size, head = read_head(path, 8)
    except OSError as e:
        raise XlsxImportError(read_failure(path, e, "Excel 工作簿")) from None
    if size > MAX_FILE_BYTES:
        raise XlsxImportError(f"“{name}”太大（{size // 1024 // 1024} MB），不像是绩效自评表工作簿。")
    if head == OLE_SIGNATURE:
        raise XlsxImportError(f"“{name}”设有打开密码，或是旧版 Excel 97-2003 (.xls) 格式。请在 Excel 或 WPS 中"
                              "去掉密码并“另存为” Excel 工作簿 (.xlsx) 后再导入。")
    if head[:2] != b"PK":
        raise XlsxImportError(f"“{name}”不是 Excel 工作簿 (.xlsx)，无法导入。")


def _check_members(path: Path) -> None:
    """The zip's table of contents: a bomb, a binary workbook (.xlsb), or some other zip (.docx)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        log.info("%s is no readable zip", name, exc_info=True)
        raise XlsxImportError(f"“{name}”已损坏或不是 Excel 工作簿 (.xlsx)，无法导入。") from None
    members = {i.filename for i in infos}
    if len(infos) > MAX_MEMBERS:
        raise XlsxImportError(f"“{name}”内部包含 {len(infos)} 个部件，远多于一张表格应有的数量，为安全起见不予导入。")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        raise XlsxImportError(f"“{name}”解压后有 {total // 1024 // 1024} MB，远大于一张表格应有的大小，"
                              "为安全起见不予导入。")
    if "xl/workbook.bin" in members:
        raise XlsxImportError(f"“{name}”是二进制工作簿 (.xlsb)，请在 Excel 中“另存为” Excel 工作簿 (.xlsx) 后再导入。")
    if "xl/workbook.xml" not in members:
        raise XlsxImportError(f"“{name}”不是 Excel 工作簿 (.xlsx)（可能是 Word 文档或其他压缩文件），无法导入。")


def guard(path: Path) -> None:
    """Raise XlsxImportError (clerk_message) unless the file looks like a workbook that is safe to parse."""
    _check_head(path)
    _check_members(path)


def load(path: Path, data_only: bool) -> Any:
    """The openpyxl workbook (formulas, or with data_only their last calculated values), parsed with defusedxml."""
    from openpyxl import load_workbook
    from openpyxl.xml import DEFUSEDXML
    if not DEFUSEDXML:  # openpyxl falls back to the plain parser silently; refuse instead
        raise XlsxImportError("程序缺少安全组件 defusedxml，为防范恶意文件，暂不能导入 Excel。请重新安装程序。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension not supported" and the like mean nothing to a clerk
            return load_workbook(path, data_only=data_only, keep_links=False, rich_text=False)
    except XlsxImportError:
        raise
    except Exception as e:  # defusedxml's refusals, broken XML, missing parts: all mean "cannot read"
        log.warning("openpyxl could not read %s", path.name, exc_info=True)
        kind = type(e).__name__
        if kind in _UNSAFE_XML:
            raise XlsxImportError(f"“{path.name}”内含不安全的 XML 内容（{kind}），为安全起见不予导入。") from None
        raise XlsxImportError(f"“{path.name}”已损坏或格式不受支持，无法读取（{kind}）。"
                              "请在 Excel 或 WPS 中打开后另存为 .xlsx 再试。") from None
