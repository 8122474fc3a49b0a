"""`finalize FILE` and `unfinalize FILE`: 定稿 and 撤销定稿 from the command line, as the window does them —
the same checks (no errors: errors_of), the same state change (Form.finalize / unfinalize), the edit lock
respected, the file saved only if nobody changed it since it was read.  Exit codes as `export`: 0 done (or
nothing to do), 1 the form has errors (not finalized), 2 the file cannot be read, written or is being edited."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from selfeval_gui.cli.errors import CliError
from selfeval_gui.domain.checks import LEVEL_LABELS, check, errors_of
from selfeval_gui.domain.final_record import now_text
from selfeval_gui.domain.form import Form
from selfeval_gui.files import editlock
from selfeval_gui.files.atomic import content_digest
from selfeval_gui.files.formfile import MAX_FILE_BYTES, fingerprint, load_form, save_form
from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FINDINGS = 0, 1
SAVE, NOTHING, REFUSED = "save", "nothing", "refused"  # what a change asks for


@contextmanager
def _editing(path: Path) -> Iterator[None]:
    """The form's edit lock while it is changed: refused (exit 2) when someone has it open in the window."""
    lock = editlock.acquire(path)
    if isinstance(lock, editlock.LockHolder):
        if not lock.stale:
            raise CliError(f"{lock.who()}正在编辑“{path.name}”，没有改动。请等对方关闭后再试。")
        lock = editlock.take_over(path, lock)
        if isinstance(lock, editlock.LockHolder):
            raise CliError(f"{lock.who()}正在编辑“{path.name}”，没有改动。")
    try:
        yield
    finally:
        if isinstance(lock, editlock.EditLock):
            lock.release()


def _change(path: Path, change: Callable[[Form], str]) -> int:
    """Read the form under its lock, change it, and save it only if nobody changed the file meanwhile."""
    with _editing(path):
        digest = content_digest(read_regular(path, MAX_FILE_BYTES + 1))
        form = load_form(path)
        outcome = change(form)
        if outcome == SAVE:
            save_form(form, path, expect=digest)
    return EXIT_FINDINGS if outcome == REFUSED else EXIT_OK


def cmd_finalize(args: argparse.Namespace) -> int:
    path = Path(args.file)

    def finalize(form: Form) -> str:
        if form.finalized is not None:
            print(f"“{path.name}”已于 {form.finalized.shown_at} 定稿（指纹 {form.finalized.fingerprint}），没有改动。")
            return NOTHING
        errors = errors_of(check(form))
        for f in errors:
            print(f"  [{LEVEL_LABELS[f.level]}] {f.where}：{f.message}")
        if errors:
            print(f"表中还有 {len(errors)} 个错误，没有定稿。改正后再定稿（警告和提示不影响定稿）。")
            return REFUSED
        fin = form.finalize(now_text(), fingerprint(form))
        print(f"已定稿：“{path.name}”（{fin.shown_at}，填表人 {fin.by or '未填'}，指纹 {fin.fingerprint}）。")
        return SAVE

    return _change(path, finalize)


def cmd_unfinalize(args: argparse.Namespace) -> int:
    path = Path(args.file)

    def unfinalize(form: Form) -> str:
        fin = form.finalized
        if fin is None:
            print(f"“{path.name}”不是定稿，没有改动。")
            return NOTHING
        form.unfinalize(now_text())
        print(f"已撤销定稿：“{path.name}”（原定稿 {fin.shown_at}，指纹 {fin.fingerprint}，保留在定稿记录中）。")
        return SAVE

    return _change(path, unfinalize)
