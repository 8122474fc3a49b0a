"""The open form: the domain Form, its file path, its undo stack and its latest evaluation and findings.

Every edit goes through the undo stack; after each one the document re-runs the domain's evaluate() and
check() and tells the views, which repaint only what changed.  No value is copied out of the Form.

三级 rows are added, removed and moved here too (the undo commands call insert_indicator, remove_indicator and
move_indicator): the document tells the views before and after the Form changes, as Qt's models need, then
recalculates.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from selfeval_gui.domain.checks import ERROR, CheckCache, Finding, Place, check, soften_missing
from selfeval_gui.domain.form import Form, Indicator
from selfeval_gui.domain.scoring import Evaluation, ScoreCache, evaluate
from selfeval_gui.ui.form.undo_commands import SetValueCommand

log = logging.getLogger(__name__)

READ_ONLY_MESSAGE = "只读打开（{reason}），不能修改；可以用“另存为”保存一份副本。"
FINAL_MESSAGE = "本表已定稿，不能修改；如需修改，请先用“文件 › 撤销定稿…”撤销定稿。"


class FormDocument(QObject):
    # (object, attribute name): a stored input changed; views showing it refresh that one cell/field.
    valueChanged = Signal(object, str)
    # (previous evaluation, new evaluation): after every change.
    evaluated = Signal(object, object)
    findingsChanged = Signal(list)
    # a different Form object was put in place (open, new, import): views rebuild once.
    formReplaced = Signal()
    # a message for the clerk's eyes, e.g. a refused number
    message = Signal(str)
    # 三级 rows under 一级 i, 二级 j: (i, j, k) for the row inserted at / removed from position k; (i, j, src, dst)
    # for a row moved from src so that it ends up at dst.  "AboutTo" comes before the Form changes, the other after.
    rowAboutToBeInserted = Signal(int, int, int)
    rowInserted = Signal(int, int, int)
    rowAboutToBeRemoved = Signal(int, int, int)
    rowRemoved = Signal(int, int, int)
    rowAboutToBeMoved = Signal(int, int, int, int)
    rowMoved = Signal(int, int, int, int)
    # the form turned read-only (someone else has the file open for editing, or it was finalized) or editable
    readOnlyChanged = Signal(bool)
    # 定稿 or 撤销定稿 (also after replace()): the banner and the 定稿 actions follow.
    statusChanged = Signal()

    def __init__(self, form: Form, path: Path | None = None, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.form = form
        self.path = path
        # content digest of the file as opened or last saved (files/atomic.py): a save checks nobody changed it
        self.disk_digest: str | None = None
        # opened read-only because `read_only_reason` (who has it open for editing): edits are refused
        self.read_only_reason = ""
        self._cache = ScoreCache()
        self._check_cache = CheckCache()
        # strict: fields not yet filled count as errors (once the form has a file name, was printed or finalized);
        # before that they are 未填 (domain/checks.py: MISSING).  A form opened from its file with none of the
        # year's results in it (the bundled 空白表, next year's draft) is not a wall of red either: it turns strict
        # once results are typed and saved, or when it is printed, exported or finalized.
        self.strict = path is not None and form.has_results()
        self.evaluation: Evaluation = evaluate(form, scorer=self._cache)
        self.findings: list[Finding] = self._check()
        # entries typed but refused (a cell or field still holding them, red), by where they are typed: errors
        # listed first wherever findings are counted (检查结果, the status bar, the check before output)
        self.refusals: dict[str, Finding] = {}

    # ------------------------------------------------------------------ replacing the whole form

    def replace(
        self, form: Form, path: Path | None, *, modified: bool = False, digest: str | None = None, read_only: str = ""
    ) -> None:
        """Put `form` in place.  digest: of the file's bytes as read; read_only: why it may not be edited."""
        self.form = form
        self.path = path
        self.disk_digest = digest
        self._cache = ScoreCache()
        self._check_cache = CheckCache()
        self._start_history(modified)
        old = self.evaluation
        self.evaluation = evaluate(form, scorer=self._cache)
        self.strict = path is not None and form.has_results()
        self.findings = self._check()
        self.read_only_reason = read_only
        self.refusals = {}  # the editors holding them close with the old form
        self.formReplaced.emit()
        self.evaluated.emit(old, self.evaluation)
        self.findingsChanged.emit(self.all_findings())
        self.statusChanged.emit()
        self.readOnlyChanged.emit(self.read_only)  # always: the 定稿 may have been put in the form beforehand

    def _read_only_followed(self, was: bool) -> None:
        """Tell the views when the form turned read-only or editable (by a lock or by 定稿)."""
        if was != self.read_only:
            self.readOnlyChanged.emit(self.read_only)

    def _set_read_only(self, reason: str) -> None:
        was = self.read_only
        self.read_only_reason = reason
        self._read_only_followed(was)

    _force_modified = False

    def _start_history(self, modified: bool) -> None:
        """An empty undo stack; modified: the form differs from its file (imported, recovered, a 定稿 not yet
        saved), so the clean state must be unreachable until it is saved."""
        self.undo_stack.clear()
        if modified:
            self.undo_stack.resetClean()
        else:
            self.undo_stack.setClean()
        self._force_modified = modified

    def is_modified(self) -> bool:
        return self._force_modified or not self.undo_stack.isClean()

    def mark_saved(self, path: Path, digest: str | None = None) -> None:
        """Saved to `path` (its bytes' digest): editable again if it was read-only (a copy of one's own)."""
        self.path = path
        self.disk_digest = digest
        self._force_modified = False
        self.undo_stack.setClean()
        self._set_read_only("")
        if self.form.has_results():  # a draft saved before its results are typed stays calm
            self.make_strict()

    # ------------------------------------------------------------------ 定稿

    @property
    def finalized(self) -> bool:
        """A finalized form is read-only in every editor until its 定稿 is withdrawn."""
        return self.form.finalized is not None

    @property
    def read_only(self) -> bool:
        """No edits: someone else has the file open for editing (read_only_reason), or the form is finalized."""
        return bool(self.read_only_reason) or self.finalized

    def refusal(self) -> str:
        """The sentence for an edit refused because the form is read-only."""
        if self.read_only_reason:
            return READ_ONLY_MESSAGE.format(reason=self.read_only_reason)
        return FINAL_MESSAGE

    def set_status(self, finalized, history, *, modified: bool = True) -> None:
        """Put a 定稿 state in place (定稿 or 撤销定稿); modified=False when the file already holds it.

        The undo stack is emptied: an edit made before the 定稿 must not be undone into a finalized form, nor
        undone past a 撤销定稿 that the file records.
        """
        self.form.finalized, self.form.history = finalized, history
        if finalized is not None:
            self.form.loaded_fingerprint = finalized.fingerprint
        self._start_history(modified)
        self.recalculate()
        self.statusChanged.emit()
        self.readOnlyChanged.emit(self.read_only)  # always: final_actions records the 定稿 before it saves

    # ------------------------------------------------------------------ edits

    def set_value(self, obj, attr: str, value, label: str = "") -> bool:
        """Change one stored input through the undo stack; False when it already has that value (or the form is
        finalized: nothing changes then)."""
        old = getattr(obj, attr)
        if old == value and str(old) == str(value):  # "10" and "10.0" differ as the clerk sees them
            return False
        if self.read_only:
            self.message.emit(self.refusal())
            return False
        self.undo_stack.push(SetValueCommand(self, obj, attr, value, label))
        return True

    def apply_value(self, obj, attr: str, value) -> None:
        """Called by SetValueCommand (redo and undo): store, then recalculate (once at the end of a batch)."""
        setattr(obj, attr, value)
        self.valueChanged.emit(obj, attr)
        if self._batch_depth:
            self._batch_changed = True
        else:
            self.recalculate()

    _batch_depth = 0
    _batch_changed = False

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Values stored inside are recalculated once, when the outermost batch ends (BatchCommand)."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if not self._batch_depth and self._batch_changed:
                self._batch_changed = False
                self.recalculate()

    def _check(self) -> list[Finding]:
        found = check(self.form, self.evaluation, cache=self._check_cache)
        return found if self.strict else soften_missing(found)

    def all_findings(self) -> list[Finding]:
        """The refused entries still pending (errors, first), then the form's findings."""
        return [*self.refusals.values(), *self.findings]

    def set_refusal(self, source: str, where: str = "", message: str = "") -> None:
        """An entry typed at `source` (a grid, a field) was refused: listed as an error at `where` until it is
        called again with no `where` (the cell or field holds a valid value again, or the entry was dropped)."""
        found = Finding(ERROR, where, message, Place("refused", source)) if where else None
        if self.refusals.get(source) == found:
            return
        if found is None:
            self.refusals.pop(source, None)
        else:
            self.refusals[source] = found
        self.findingsChanged.emit(self.all_findings())

    def make_strict(self) -> None:
        """From now on a field not yet filled is an error (first save under a name, print, 定稿)."""
        if self.strict:
            return
        self.strict = True
        self.findings = self._check()
        self.findingsChanged.emit(self.all_findings())
        self.evaluated.emit(self.evaluation, self.evaluation)  # the cells marked red follow

    def recalculate(self) -> None:
        old = self.evaluation
        self.evaluation = evaluate(self.form, scorer=self._cache)
        findings = self._check()
        changed = findings != self.findings
        self.findings = findings  # set before emitting: views read both evaluation and findings
        self.evaluated.emit(old, self.evaluation)
        if changed:
            self.findingsChanged.emit(self.all_findings())

    def set_structure(self, template: str, tree: list) -> None:
        """Another template's 一级/二级 tree (called by form_settings.ChangeTemplateCommand): the views rebuild."""
        self.form.template, self.form.tree = template, tree
        self._cache = ScoreCache()
        self._check_cache = CheckCache()
        self.formReplaced.emit()
        self.recalculate()

    # ------------------------------------------------------------------ 三级 rows (called by the undo commands)

    def insert_indicator(self, i: int, j: int, k: int, ind: Indicator | None = None) -> Indicator:
        """Put `ind` (a new blank row when None) at position k under (i, j), then recalculate; returns it."""
        self.rowAboutToBeInserted.emit(i, j, k)
        row = self.form.insert_indicator(i, j, k, ind)
        self.rowInserted.emit(i, j, k)
        self.recalculate()
        return row

    def remove_indicator(self, i: int, j: int, k: int) -> Indicator:
        self.rowAboutToBeRemoved.emit(i, j, k)
        row = self.form.remove_indicator(i, j, k)
        self.rowRemoved.emit(i, j, k)
        self.recalculate()
        return row

    def move_indicator(self, i: int, j: int, src: int, dst: int) -> None:
        """Move the row at src so that it ends up at dst (both counted before the move)."""
        self.rowAboutToBeMoved.emit(i, j, src, dst)
        self.form.move_indicator(i, j, src, dst)
        self.rowMoved.emit(i, j, src, dst)
        self.recalculate()
