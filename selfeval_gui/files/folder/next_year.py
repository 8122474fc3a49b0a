"""Next year's drafts written from last year's forms: domain.yearbook.next_year_form for the content, a new
file beside the old one (or in a chosen folder) named 项目名称_年度.json, never over an existing file."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_gui.domain.yearbook import next_year_form
from selfeval_gui.files.formfile import FormFileError, load_form, save_form
from selfeval_gui.files.naming import unique_path
from selfeval_gui.files.reading import write_failure

log = logging.getLogger(__name__)


@dataclass
class NextYearResult:
    written: list[tuple[Path, Path]] = field(default_factory=list)  # (last year's file, the new draft)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


def write_next_year(sources: Sequence[Path], outdir: Path | None = None, *, year: int | None = None) -> NextYearResult:
    """One draft per readable form; outdir None puts each beside its source.  An unreadable form or a draft
    that cannot be written is listed in skipped, the others are still written."""
    result = NextYearResult()
    if outdir is not None:
        try:
            Path(outdir).mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise FormFileError(write_failure(Path(outdir), e)) from None
    for src in sources:
        src = Path(src)
        try:
            draft = next_year_form(load_form(src), year)
            folder = Path(outdir) if outdir is not None else src.parent
            stem = src.stem.rsplit("_", 1)[0] if src.stem.endswith(f"_{draft.year - 1}") else src.stem
            target = unique_path(folder, draft.project_name or stem, ".json", tail=f"_{draft.year}")
            save_form(draft, target, backup=False)
        except FormFileError as e:
            result.skipped.append((src.name, str(e)))
            continue
        result.written.append((src, target))
    return result
