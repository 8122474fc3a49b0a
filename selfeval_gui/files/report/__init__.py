"""The 自评报告 as a Word document (python-docx, imported only when a report is written)."""
