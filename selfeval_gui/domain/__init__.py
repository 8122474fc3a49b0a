"""The form, its numbers, targets, rule sets, scoring and checks.  Pure Python: no Qt here."""
