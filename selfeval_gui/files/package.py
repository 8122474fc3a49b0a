"""报送材料: what the clerk attaches to the email once a form is 定稿 — the final PDF, the workbook, the form
file (named after the project and year: 城管以奖促治经费_2020_定稿.pdf …) and the 自评报告
(城管以奖促治经费_2020_自评报告.docx), into a folder or as one .zip.

Only a finalized form without errors is packed (package_problem says why not, in Chinese); all three files
carry the same content fingerprint: the PDF's and the workbook's footers print it, the form file records it.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from pathlib import Path

from selfeval_gui.domain.checks import check, errors_of
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.vocabulary import FINAL_WORD, REPORT_WORD
from selfeval_gui.files.atomic import StrPath, atomic_write_bytes
from selfeval_gui.files.errors import ClerkError
from selfeval_gui.files.formfile import dumps, fingerprint
from selfeval_gui.files.naming import safe_stem
from selfeval_gui.files.reading import write_failure

log = logging.getLogger(__name__)

SUFFIXES = (".pdf", ".xlsx", ".json", ".docx")


class PackageError(ClerkError):
    """The package could not be made or written; clerk_message says why."""


@dataclass
class Package:
    files: dict[str, bytes]  # file name -> content, in the order pdf, xlsx, json
    fingerprint: str
    pdf_pages: int
    notes: list[str]


def package_stem(form: Form) -> str:
    """城管以奖促治经费_2020_定稿: project, year, 定稿 (safe on Windows)."""
    return safe_stem(form.project_name, tail=f"_{form.year}_{FINAL_WORD}")


def report_name(form: Form) -> str:
    """城管以奖促治经费_2020_自评报告.docx"""
    return f"{safe_stem(form.project_name, tail=f'_{form.year}_{REPORT_WORD}')}.docx"


def package_problem(form: Form) -> str | None:
    """Why the form cannot be packed (not finalized, errors, changed since), or None when it can."""
    if form.finalized is None:
        return "报送材料只能从定稿的表导出：请先检查并改正错误，再用“文件 › 定稿…”定稿。"
    errors = errors_of(check(form))
    if errors:
        return f"表中还有 {len(errors)} 个错误，不能导出报送材料，请先撤销定稿并改正。"
    if form.finalized.fingerprint != fingerprint(form):
        return "表的内容与定稿时的指纹不一致（文件在定稿后被改动过），请核对后撤销定稿并重新定稿。"
    return None


def build_package(form: Form, *, source_name: str | None = None, font_path: str | None = None) -> Package:
    """The three files in memory; PackageError when the form may not be packed."""
    problem = package_problem(form)
    if problem:
        raise PackageError(problem)
    from selfeval_gui.files.pdf.form_pdf import render_pdf
    from selfeval_gui.files.report.docx_report import report_bytes
    from selfeval_gui.files.xlsx.export import workbook_bytes

    stem = package_stem(form)
    pdf = render_pdf(form, source_name=source_name or f"{stem}.json", font_path=font_path)
    files = {
        f"{stem}.pdf": pdf.data,
        f"{stem}.xlsx": workbook_bytes([form]),
        f"{stem}.json": dumps(form).encode("utf-8"),
        report_name(form): report_bytes(form, draft=False),
    }
    return Package(files, pdf.fingerprint, pdf.pages, list(pdf.notes))


def zip_bytes(package: Package) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in package.files.items():
            z.writestr(name, data)
    return buf.getvalue()


def write_package(package: Package, out: StrPath) -> list[Path]:
    """Write to `out`: one .zip when it ends in .zip, else into the folder `out` (made if missing).  Returns the
    paths written.  Each file is written whole or not at all."""
    target = Path(out)
    try:
        if target.suffix.lower() == ".zip":
            atomic_write_bytes(target, zip_bytes(package), backup=False)
            return [target]
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in package.files.items():
            atomic_write_bytes(target / name, data, backup=False)
            written.append(target / name)
        return written
    except OSError as e:
        log.warning("package not written to %s", target, exc_info=True)
        raise PackageError(write_failure(target, e)) from None
