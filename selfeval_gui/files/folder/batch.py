"""Batch outputs for a folder of forms: one PDF and/or workbook per clean form, named after the project.

Each form is the one the folder list read (listing.FolderEntry.form), or read by formfile.load_form; checked
by domain.checks.check and written by pdf.write_pdf / xlsx.export_xlsx (atomically: a cancel or a failure never
leaves half a file).  A form with errors gets no final copy: it is skipped and listed with the reason, or — when
the clerk asks for drafts — written as its 草稿 copy (名称_草稿.pdf: watermark, 应为 notes, the findings).  The
PDF font is found once for the whole batch.

A batch run again into the same folder replaces its own earlier output of the same form (batch_record.py says
which files those are: written by a batch from that form file and unchanged since); any other file of the name
is never written over, and the new output takes the next free name 名称（2）.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from selfeval_gui.domain.checks import check, errors_of
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.yearbook import UNFILLED_WORD
from selfeval_gui.files.atomic import ChangedOnDiskError, atomic_write_bytes
from selfeval_gui.files.errors import ClerkError, clerk_message
from selfeval_gui.files.folder.batch_record import BatchRecord, load_record
from selfeval_gui.files.folder.listing import UNREADABLE, FolderEntry
from selfeval_gui.files.formfile import FormFileError, load_form
from selfeval_gui.files.naming import draft_stem, occupied, safe_stem
from selfeval_gui.files.reading import write_failure

if TYPE_CHECKING:
    from selfeval_gui.files.pdf.fonts import FontChoice

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
    replaces: dict[Path, str] = field(default_factory=dict)  # output -> digest of our earlier file there


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


def _paths(
    outdir: Path, chosen: list[tuple[Path, Form, bool]], suffix: str, record: BatchRecord
) -> list[tuple[Path, str | None]]:
    """One output per form, none the same as another (Windows ignores case): its project's name (名称_草稿 for a
    draft), else 名称（2）…; a name already in the folder is taken again only for this batch's own earlier
    output of the same form (then with that file's digest, for the replace)."""
    used: set[str] = set()
    out: list[tuple[Path, str | None]] = []
    for src, form, draft in chosen:
        stem = safe_stem(form.project_name or src.stem, "绩效自评表", draft_stem("", draft))
        candidate, k = stem, 1
        while True:
            path = outdir / f"{candidate}{suffix}"
            if candidate.casefold() not in used:
                if not occupied(path):
                    out.append((path, None))
                    break
                ours = record.digest_if_ours(path, src)
                if ours is not None:
                    out.append((path, ours))
                    break
            k += 1
            candidate = f"{stem}（{k}）"
        used.add(candidate.casefold())
    return out


def _jobs(
    sources: Sequence[Source],
    outdir: Path,
    suffixes: Sequence[str],
    result: BatchResult,
    drafts: bool,
    record: BatchRecord,
) -> list[_Job]:
    """Read and check every form; the clean ones (and, with `drafts`, those with errors as drafts) get their
    output paths, the others go to result.skipped."""
    chosen: list[tuple[Path, Form, bool]] = []
    for source in sources:
        src, form, why = _read(source)
        if form is None:
            result.skipped.append((src.name, why))
            continue
        if not form.has_results():  # a blank form, next year's draft: nothing of the year to print yet
            result.skipped.append((src.name, f"{UNFILLED_WORD}：还没有填写执行数和实际完成值，没有导出"))
            continue
        reason = _errors_reason(form)
        if reason and not drafts:
            result.skipped.append((src.name, reason))
        else:
            chosen.append((src, form, bool(reason)))
    # never over a file the clerk has there: the output folder may be the forms' own, holding workbooks to import
    paths = [_paths(outdir, chosen, suffix, record) for suffix in suffixes]
    jobs = []
    for n, (src, form, draft) in enumerate(chosen):
        job = _Job(src, form, [p[n][0] for p in paths], draft)
        job.replaces = {p[n][0]: digest for p in paths if (digest := p[n][1]) is not None}
        jobs.append(job)
    return jobs


def _write(job: _Job, out: Path, font: FontChoice | None) -> str:
    """Render one output and write it atomically (over our own earlier file only if it is unchanged); the digest
    written.  ClerkError with the sentence why when it cannot be written."""
    from selfeval_gui.files.pdf.form_pdf import render_pdf
    from selfeval_gui.files.xlsx.export import build_workbook

    if out.suffix == ".pdf":
        data = render_pdf(job.form, source_name=job.source.name, font=font, draft=job.draft).data
        app = "PDF 阅读器"
    else:
        buf = io.BytesIO()
        build_workbook([job.form], draft=job.draft)[0].save(buf)
        data, app = buf.getvalue(), "Excel 或 WPS"
    try:
        return atomic_write_bytes(out, data, backup=False, expect=job.replaces.get(out))
    except ChangedOnDiskError:
        raise ClerkError(f"“{out.name}”在导出期间被改动，没有覆盖它") from None
    except OSError as e:
        raise ClerkError(write_failure(out, e, app)) from None


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

    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ClerkError(clerk_message(e)) from None
    suffixes = [s for s, wanted in ((".pdf", pdf), (".xlsx", xlsx)) if wanted]
    result = BatchResult()
    record = load_record(outdir)
    sources = [s if isinstance(s, FolderEntry) else Path(s) for s in sources]
    jobs = _jobs(sources, outdir, suffixes, result, drafts, record)
    font = find_font() if pdf else None  # once for the whole batch
    try:
        _run(jobs, font, progress, result, record)
    finally:
        if result.written:
            record.save()
    return result


def _run(
    jobs: list[_Job], font: FontChoice | None, progress: Progress | None, result: BatchResult, record: BatchRecord
) -> None:
    total = sum(len(j.outputs) for j in jobs)
    done = 0
    for job in jobs:
        for out in job.outputs:
            if progress is not None and not progress(done, total, out.name):
                result.cancelled = True
                return
            try:
                digest = _write(job, out, font)
            except (ClerkError, OSError) as e:
                log.warning("batch: %s not written", out, exc_info=True)
                result.skipped.append((job.source.name, clerk_message(e)))
            else:
                record.wrote(out, job.source, digest)
                result.written.append(out)
                if job.draft:
                    result.drafts.append(out)
            done += 1
    if progress is not None:
        progress(done, total, "")
