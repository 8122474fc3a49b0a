"""Run the command line in a child process under an address-space limit, and report its peak memory (no tests).

    PYTHONPATH=REPO python tests/limited_run.py LIMIT_MB ARGS…   -> runs `main.py ARGS…`; prints "maxrss_mb=N" last
    on stderr (the caller puts the repository on PYTHONPATH)
"""
from __future__ import annotations

import resource
import sys

if __name__ == "__main__":
    limit = int(sys.argv[1]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from selfeval_gui.cli import run
    try:
        code = run(sys.argv[2:])
    finally:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"maxrss_mb={peak}", file=sys.stderr)
    sys.exit(code)
