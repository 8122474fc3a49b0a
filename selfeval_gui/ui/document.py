"""The open form: the domain Form, its file path, its undo stack and its latest evaluation and findings.

Every edit goes through the undo stack; after each one the document re-runs the domain's evaluate() and
check() and tells the views, which repaint only what changed.  No value is copied out of the Form.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..domain.checks import CheckCache, Finding, check
from ..domain.form import Form
from ..domain.scoring import Evaluation, ScoreCache, evaluate
from .commands import SetValueCommand


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

    def __init__(self, form: Form, path: Path | None = None, parent=None):
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.form = form
        self.path = path
        self._cache = ScoreCache()
        self._check_cache = CheckCache()
        self.evaluation: Evaluation = evaluate(form, scorer=self._cache)
        self.findings: list[Finding] = check(form, self.evaluation, cache=self._check_cache)

    # ------------------------------------------------------------------ replacing the whole form

    def replace(self, form: Form, path: Path | None, *, modified: bool = False) -> None:
        self.form = form
        self.path = path
        self._cache = ScoreCache()
        self._check_cache = CheckCache()
        self.undo_stack.clear()
        if modified:
            # an imported or recovered form is unsaved: make the clean state unreachable
            self.undo_stack.resetClean()
            self._force_modified = True
        else:
            self.undo_stack.setClean()
            self._force_modified = False
        old = self.evaluation
        self.evaluation = evaluate(form, scorer=self._cache)
        self.findings = check(form, self.evaluation, cache=self._check_cache)
        self.formReplaced.emit()
        self.evaluated.emit(old, self.evaluation)
        self.findingsChanged.emit(self.findings)

    _force_modified = False

    def is_modified(self) -> bool:
        return self._force_modified or not self.undo_stack.isClean()

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self._force_modified = False
        self.undo_stack.setClean()

    # ------------------------------------------------------------------ edits

    def set_value(self, obj, attr: str, value, label: str = "") -> bool:
        """Change one stored input through the undo stack; False when it already has that value."""
        old = getattr(obj, attr)
        if old == value and str(old) == str(value):  # "10" and "10.0" differ as the clerk sees them
            return False
        self.undo_stack.push(SetValueCommand(self, obj, attr, value, label))
        return True

    def apply_value(self, obj, attr: str, value) -> None:
        """Called by SetValueCommand (redo and undo): store, then recalculate."""
        setattr(obj, attr, value)
        self.valueChanged.emit(obj, attr)
        self.recalculate()

    def recalculate(self) -> None:
        old = self.evaluation
        self.evaluation = evaluate(self.form, scorer=self._cache)
        findings = check(self.form, self.evaluation, cache=self._check_cache)
        changed = findings != self.findings
        self.findings = findings  # set before emitting: views read both evaluation and findings
        self.evaluated.emit(old, self.evaluation)
        if changed:
            self.findingsChanged.emit(findings)
