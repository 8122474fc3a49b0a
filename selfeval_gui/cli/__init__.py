"""The command line: check, export, import, the folder commands, rule sets."""
