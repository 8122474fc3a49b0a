"""The PySide6 window: a thin layer over the domain."""
from . import qt_compat  # noqa: F401  (guards against a PySide6 refcount bug before any model exists)
