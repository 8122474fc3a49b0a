"""Word documents read as the workbook reader reads a sheet: docx_guard (size, parts, what they hold),
docx_grid (the tables and the paragraphs around them as grids)."""
