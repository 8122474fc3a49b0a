"""Batch outputs for a folder of forms: one PDF and/or workbook per clean form, named after the project.

Each form is the one the folder list read (listing.FolderEntry.form), or read by formfile.load_form; checked
by domain.checks.check and written by pdf.write_pdf / xlsx.export_xlsx (atomically: a cancel or a failure never
leaves half a file).  A form with errors gets no final copy: it is skipped and listed with the reason, or — when
the clerk asks for drafts — written as its 草稿 copy (名称_草稿.pdf: watermark, 应为 notes, the findings).  The
PDF font is found once for the whole batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_gui.domain.checks import check, errors_of
from selfeval_gui.domain.form import Form
from selfeval_gui.files.errors import ClerkError, clerk_message
from selfeval_gui.files.folder.listing import UNREADABLE, FolderEntry
from selfeval_gui.files.formfile import FormFileError, load_form
from selfeval_gui.files.naming import draft_stem, unique_paths

log = logging.getLogger(__name__)

# progress(done, total, file name now being written) -> False to cancel before that file.
Progress = Callable[[int, int, str], bool]
# a form file, or a folder list's entry (its form is reused, not read again)
Source = Path | FolderEntry


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    cancelled: bool = False
    drafts: list[Path] = field(default_factory=list)  # of `written`: the 草稿 copies of forms with errors

    def summary(self) -> str:
        """What happened, in a few Chinese lines (the window's closing box and the command line say this)."""
        drafts = f"，其中草稿 {len(self.drafts)} 个（表中有错误）" if self.drafts else ""
        lines = [f"已写出 {len(self.written)} 个文件{drafts}。" + ("（已取消，其余未导出）" if self.cancelled else "")]
        if self.skipped:
            lines.append(f"跳过 {len(self.skipped)} 个表：")
            lines += [f"  {name}：{why}" for name, why in self.skipped]
        return "\n".join(lines)


@dataclass
class _Job:
    source: Path
    form: Form
    outputs: list[Path]
    draft: bool = False


def _errors_reason(form: Form) -> str | None:
    n = len(errors_of(check(form)))
    return f"有 {n} 处错误，请改正后再导出" if n else None


def _read(source: Source) -> tuple[Path, Form | None, str]:
    """The form of a source: the one a folder entry already holds (the list read it), else read now; without a
    form, the sentence why."""
    if isinstance(source, FolderEntry):
        if source.form is not None:
            return source.path, source.form, ""
        if source.kind == UNREADABLE:
            return source.path, None, source.error
        source = source.path
    try:
        return source, load_form(source), ""
    except FormFileError as e:
        return source, None, str(e)


def _jobs(
    sources: Sequence[Source], outdir: Path, suffixes: Sequence[str], result: BatchResult, drafts: bool
) -> list[_Job]:
    """Read and check every form; the clean ones (and, with `drafts`, those with errors as drafts) get their
    output paths, the others go to result.skipped."""
    chosen: list[tuple[Path, Form, bool]] = []
    for source in sources:
        src, form, why = _read(source)
        if form is None:
            result.skipped.append((src.name, why))
            continue
        reason = _errors_reason(form)
        if reason and not drafts:
            result.skipped.append((src.name, reason))
        else:
            chosen.append((src, form, bool(reason)))
    names = [form.project_name or src.stem for src, form, _ in chosen]
    tails = [draft_stem("", draft) for _, _, draft in chosen]
    # never over an existing file: the output folder may be the forms' own, holding workbooks to import
    paths = [
        unique_paths(outdir, names, suffix, keep_existing=True, fallback="绩效自评表", tails=tails)
        for suffix in suffixes
    ]
    return [_Job(src, form, [p[n] for p in paths], draft) for n, (src, form, draft) in enumerate(chosen)]


def export_batch(
    sources: Sequence[Source],
    outdir: Path,
    *,
    pdf: bool = True,
    xlsx: bool = False,
    progress: Progress | None = None,
    drafts: bool = False,
) -> BatchResult:
    """Write one file per clean form and output kind into `outdir` (drafts: forms with errors as their 草稿
    copy).  Raises ClerkError when `outdir` cannot be made; a file that cannot be written is listed in skipped
    and the batch goes on."""
    from selfeval_gui.files.pdf.fonts import find_font
    from selfeval_gui.files.pdf.form_pdf import write_pdf
    from selfeval_gui.files.xlsx.export import export_xlsx

    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ClerkError(clerk_message(e)) from None
    suffixes = [s for s, wanted in ((".pdf", pdf), (".xlsx", xlsx)) if wanted]
    result = BatchResult()
    jobs = _jobs([s if isinstance(s, FolderEntry) else Path(s) for s in sources], outdir, suffixes, result, drafts)
    font = find_font() if pdf else None  # once for the whole batch
    total = sum(len(j.outputs) for j in jobs)
    done = 0
    for job in jobs:
        for out in job.outputs:
            if progress is not None and not progress(done, total, out.name):
                result.cancelled = True
                return result
            try:
                if out.suffix == ".pdf":
                    write_pdf(job.form, out, source_name=job.source.name, font=font, draft=job.draft)
                else:
                    export_xlsx([job.form], out, draft=job.draft)
            except (ClerkError, OSError) as e:
                log.warning("batch: %s not written", out, exc_info=True)
                result.skipped.append((job.source.name, clerk_message(e)))
            else:
                result.written.append(out)
                if job.draft:
                    result.drafts.append(out)
            done += 1
    if progress is not None:
        progress(done, total, "")
    return result
