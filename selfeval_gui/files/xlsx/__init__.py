"""Workbooks: export, import, formulas, safety."""
