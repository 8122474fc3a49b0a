"""The PDF of a form: layout, text, fonts."""
