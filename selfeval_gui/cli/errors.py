"""The command line's own failure: anything it reports with exit code 2 (shared by every command module)."""


class CliError(Exception):
    """Anything the command line reports with exit code 2."""
