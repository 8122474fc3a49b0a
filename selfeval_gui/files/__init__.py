"""Files: JSON forms, workbooks, PDFs, Word documents, fonts, names, atomic writes.  No Qt."""

import os

# openpyxl parses with lxml whenever lxml is installed (python-docx brings it), and then an entity-expansion bomb
# in a workbook is not refused.  Every workbook is read through defusedxml instead: this runs before any module
# of files/ imports openpyxl.
os.environ["OPENPYXL_LXML"] = "False"
