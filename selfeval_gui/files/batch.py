"""Batch outputs for a folder of forms: one PDF and/or workbook per clean form, named after the project.

Each form is read by formfile.load_form, checked by domain.checks.check and written by pdf.write_pdf /
xlsx_export.export_xlsx (atomically: a cancel or a failure never leaves half a file).  A form with errors is
skipped and listed with the reason.  The PDF font is found once for the whole batch.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.checks import ERROR, check
from ..domain.form import Form
from .errors import ClerkError, clerk_message
from .formfile import FormFileError, load_form
from .naming import unique_paths

log = logging.getLogger(__name__)

# progress(done, total, file name now being written) -> False to cancel before that file.
Progress = Callable[[int, int, str], bool]


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)
    cancelled: bool = False

    def summary(self) -> str:
        """What happened, in a few Chinese lines (the window's closing box and the command line say this)."""
        lines = [f"已写出 {len(self.written)} 个文件。" + ("（已取消，其余未导出）" if self.cancelled else "")]
        if self.skipped:
            lines.append(f"跳过 {len(self.skipped)} 个表：")
            lines += [f"  {name}：{why}" for name, why in self.skipped]
        return "\n".join(lines)


@dataclass
class _Job:
    source: Path
    form: Form
    outputs: list[Path]


def _errors_reason(form: Form) -> str | None:
    n = sum(1 for f in check(form) if f.level == ERROR)
    return f"有 {n} 处错误，请改正后再导出" if n else None


def _jobs(sources: Sequence[Path], outdir: Path, suffixes: Sequence[str], result: BatchResult) -> list[_Job]:
    """Read and check every form; the clean ones get their output paths, the others go to result.skipped."""
    clean: list[tuple[Path, Form]] = []
    for src in sources:
        try:
            form = load_form(src)
        except FormFileError as e:
            result.skipped.append((src.name, str(e)))
            continue
        reason = _errors_reason(form)
        if reason:
            result.skipped.append((src.name, reason))
        else:
            clean.append((src, form))
    names = [form.project_name or src.stem for src, form in clean]
    # never over an existing file: the output folder may be the forms' own, holding workbooks to import
    paths = [unique_paths(outdir, names, suffix, keep_existing=True) for suffix in suffixes]
    return [_Job(src, form, [p[n] for p in paths]) for n, (src, form) in enumerate(clean)]


def export_batch(sources: Sequence[Path], outdir: Path, *, pdf: bool = True, xlsx: bool = False,
                 progress: Progress | None = None) -> BatchResult:
    """Write one file per clean form and output kind into `outdir`.  Raises ClerkError when `outdir` cannot be
    made; a file that cannot be written is listed in skipped and the batch goes on."""
    from .fonts import find_font
    from .pdf import write_pdf
    from .xlsx_export import export_xlsx

    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ClerkError(clerk_message(e)) from None
    suffixes = [s for s, wanted in ((".pdf", pdf), (".xlsx", xlsx)) if wanted]
    result = BatchResult()
    jobs = _jobs([Path(s) for s in sources], outdir, suffixes, result)
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
                    write_pdf(job.form, out, source_name=job.source.name, font=font)
                else:
                    export_xlsx([job.form], out)
            except (ClerkError, OSError) as e:
                log.warning("batch: %s not written", out, exc_info=True)
                result.skipped.append((job.source.name, clerk_message(e)))
            else:
                result.written.append(out)
            done += 1
    if progress is not None:
        progress(done, total, "")
    return result
