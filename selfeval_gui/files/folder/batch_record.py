"""What a batch export wrote into its output folder, so the next batch replaces its own earlier output of the
same form instead of piling up 名称（2）.pdf, 名称（3）.pdf.

The record is a small file in the user data folder (paths.user_data_dir()/RECORD_FOLDER, one per output folder:
the clerk's folder gets no extra file): for every file a batch wrote, the form file it came from and the digest
of the bytes written.
A file already in the folder is replaced only when the record says this program wrote it from the same form file
and its bytes are still exactly those (atomic.content_digest): a file the clerk made, edited or replaced, a file
of another form of the same name, a link, or a file named in a lost or damaged record is never written over — the
new output then gets the next free name, as before.  The replace itself passes the digest to
atomic.atomic_write_bytes (`expect=`), so a file changed between the check and the write is not replaced either.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from selfeval_gui.files.atomic import atomic_write_bytes, content_digest
from selfeval_gui.paths import user_data_dir
from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)

RECORD_FOLDER = "batch-exports"
RECORD_VERSION = 1
RECORD_LIMIT = 4 << 20  # bytes: a larger record is not ours
OUTPUT_LIMIT = 256 << 20  # bytes of an earlier output read to compare its digest; a larger file is never replaced


def source_key(source: Path) -> str:
    """A form file or an output folder as the record names it."""
    return os.path.normcase(os.path.abspath(source))


def record_path(folder: Path) -> Path | None:
    """Where the record of batches into `folder` is kept; None when the user data folder cannot be made."""
    try:
        base = user_data_dir() / RECORD_FOLDER
        base.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        log.info("no batch record for %s: %r", folder, e)
        return None
    return base / f"{hashlib.sha256(source_key(folder).encode('utf-8')).hexdigest()[:24]}.json"


@dataclass
class BatchRecord:
    folder: Path
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # output name (casefolded) -> source, sha256
    path: Path | None = None  # record_path(folder)

    def digest_if_ours(self, output: Path, source: Path) -> str | None:
        """The digest of `output` when this program wrote it from `source` and it is unchanged since; else None."""
        known = self.files.get(output.name.casefold())
        if known is None or known.get("source") != source_key(source) or output.is_symlink():
            return None
        try:
            digest = content_digest(read_regular(output, OUTPUT_LIMIT))
        except OSError as e:
            log.info("batch record: %s not compared (%r)", output, e)
            return None
        return digest if digest == known.get("sha256") else None

    def wrote(self, output: Path, source: Path, digest: str) -> None:
        self.files[output.name.casefold()] = {"name": output.name, "source": source_key(source), "sha256": digest}

    def save(self) -> None:
        """Keep the record for the next batch (files gone since are dropped).  A record that cannot be written
        only means the next batch picks new names: the outputs themselves are written already."""
        if self.path is None:
            return
        kept = {k: v for k, v in self.files.items() if os.path.lexists(self.folder / v.get("name", k))}
        record = {"version": RECORD_VERSION, "folder": source_key(self.folder), "files": kept}
        data = json.dumps(record, ensure_ascii=False, indent=1)
        try:
            atomic_write_bytes(self.path, data.encode("utf-8"), backup=False)
        except OSError as e:
            log.warning("batch record %s not written: %r", self.path, e)


def load_record(folder: Path) -> BatchRecord:
    """The record of earlier batches in `folder` (an empty one when there is none or it cannot be read)."""
    record = BatchRecord(folder, path=record_path(folder))
    if record.path is None:
        return record
    try:
        data = json.loads(read_regular(record.path, RECORD_LIMIT).decode("utf-8"))
    except FileNotFoundError:
        return record
    except (OSError, ValueError) as e:
        log.info("batch record %s not read: %r", record.path, e)
        return record
    ok = isinstance(data, dict) and data.get("version") == RECORD_VERSION and data.get("folder") == source_key(folder)
    files = data.get("files") if ok else None
    if isinstance(files, dict):
        record.files = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in files.items() if isinstance(v, dict)}
    return record
