"""The form on screen: the document and its undo commands, the sheet, the tables, the findings."""
