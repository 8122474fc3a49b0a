"""The form's main window: start, files, edit lock, autosave, settings dialogs, help."""
