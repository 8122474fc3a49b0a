"""One door for every document a draft is made from: `import_document(path)` reads a workbook (.xlsx) or a Word
document (.docx) — told apart by what the file holds, its name's suffix only where the content cannot say — and
gives one ImportedForm per form found in it, a 项目支出绩效自评表 or a 绩效目标申报表 (made into a draft 自评表).

Contract (the command line's `import` and the window's 文件 › 新建 › 从绩效目标申报表… / 导入):
- `import_document(path, progress=…, template=None) -> list[ImportedForm]`: each item has `.form` (a domain Form;
  one made from a 申报表 has `.form.approved` set), `.sheet` (the sheet's or the Word table's name), `.findings`
  (what the reading found, to show beside the form's own checks) and `.template_choices` (installed templates
  that fit as well, best first, when the document names no district).
- `progress(what)` is called while reading and may raise ImportCancelled to stop.
- `template`: the id of an installed template to read with (the clerk's choice); an unknown id is refused.
- Every failure is an XlsxImportError (WordImportError for a Word document is a kind of it) whose
  `clerk_message` is one Chinese sentence: too big, too many parts, an old .doc / .xls, a password, damaged, no
  form in it.  Never a traceback.
"""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

from selfeval_gui.domain.vocabulary import DECLARATION_TITLE_WORD, TITLE_WORD
from selfeval_gui.files.declaration.reader import looks_like_declaration, read_declaration
from selfeval_gui.files.reading import read_head
from selfeval_gui.files.word.docx_grid import document_grids
from selfeval_gui.files.word.docx_guard import MAX_FILE_BYTES, WordImportError, old_word_sentence, read_checked_docx
from selfeval_gui.files.xlsx.grid import Grid
from selfeval_gui.files.xlsx.guard import OLE_SIGNATURE, Progress, load, read_checked
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.guard import XlsxImportError as XlsxImportError
from selfeval_gui.files.xlsx.layout import META_SHEET
from selfeval_gui.files.xlsx.reader import (
    ImportedForm,
    _looks_like_form,
    _read_meta,
    _read_sheet,
    import_workbook,
    unknown_template,
)
from selfeval_gui.files.xlsx.reader_cells import SheetMeta

log = logging.getLogger(__name__)

WORD_SUFFIXES = (".docx", ".docm", ".dotx", ".doc", ".dot", ".wps")
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the stream of a binary .doc, named in its OLE directory
_SNIFF = 1 << 20
DOCX, XLSX = "docx", "xlsx"


def _no_progress(_what: str) -> None:
    return None


def _kind(p: Path) -> str:
    """DOCX or XLSX by what the file holds: a zip with word/document.xml is Word, an OLE file with a WordDocument
    stream is an old .doc (refused here); otherwise the suffix decides and the reader's own checks refuse."""
    try:
        _size, head = read_head(p, _SNIFF)
    except OSError:
        head = b""  # the reader's own read says why, in its sentence
    word_name = p.suffix.lower() in WORD_SUFFIXES
    if head[:8] == OLE_SIGNATURE:
        if word_name or _WORD_STREAM in head:
            raise WordImportError(old_word_sentence(p.name))
        return XLSX
    if head[:2] == b"PK":
        names = _zip_names(p)
        if names is not None:
            return DOCX if "word/document.xml" in names else XLSX
    return DOCX if word_name else XLSX


def _zip_names(p: Path) -> set[str] | None:
    """The zip's part names, or None when it cannot be read as one (the reader's checks then say why)."""
    try:
        _size, data = read_head(p, MAX_FILE_BYTES + 1)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return set(z.namelist()[:5000])
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        log.info("%s is no readable zip", p.name, exc_info=True)
        return None


def import_document(
    path: str | Path, progress: Progress = _no_progress, template: str | None = None
) -> list[ImportedForm]:
    """Every 自评表 and 申报表 in the workbook or Word document at `path` (see the module's contract)."""
    p = Path(path)
    problem = unknown_template(template) if template else None
    if problem:
        raise XlsxImportError(problem)
    try:
        if _kind(p) == DOCX:
            data = read_checked_docx(p, progress)
            progress("")
            return _read_grids(p.name, list(document_grids(data, p.name)), {}, template, progress)
        return _workbook(p, progress, template)
    except MemoryError:
        log.warning("out of memory importing %s", p.name, exc_info=True)
        raise XlsxImportError(f"读取“{p.name}”时电脑内存不足，没有导入。请关闭其他程序后再试。") from None


def _workbook(p: Path, progress: Progress, template: str | None) -> list[ImportedForm]:
    """A workbook holding no 申报表 is the workbook import's; one that does is read sheet by sheet here."""
    data = read_checked(p, progress)
    progress("")
    wb_f = load(data, data_only=False, name=p.name)
    progress("")
    wb_v = load(data, data_only=True, name=p.name)
    grids = [Grid(ws, wb_v[ws.title]) for ws in wb_f.worksheets if ws.title != META_SHEET]
    if not any(looks_like_declaration(g) for g in grids):
        return import_workbook(p, progress, template=template)
    return _read_grids(p.name, grids, _read_meta(wb_f), template, progress)


def _read_grids(
    name: str, grids: list[Grid], meta: dict[str, SheetMeta], template: str | None, progress: Progress
) -> list[ImportedForm]:
    items: list[ImportedForm] = []
    for grid in grids:
        progress(grid.title)
        if looks_like_declaration(grid):
            items.append(read_declaration(grid, name, template))
        elif _looks_like_form(grid):
            items.append(_read_sheet(grid, meta.get(grid.title), template))
    if not items:
        raise XlsxImportError(
            f"“{name}”中没有找到{TITLE_WORD}或{DECLARATION_TITLE_WORD}（找不到“项目名称”“一级指标”等表头）。"
        )
    return items
