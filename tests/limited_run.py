"""Run the command line in a child process under an address-space limit, and report its peak memory (no tests).

    PYTHONPATH=REPO python tests/limited_run.py LIMIT_MB ARGS…   -> runs `main.py ARGS…`; prints "maxrss_mb=N" last
    on stderr (the caller puts the repository on PYTHONPATH)

The peak is this program's own high-water mark (VmHWM in /proc/self/status).  getrusage's ru_maxrss is not: Linux
carries the parent's high-water mark across fork and exec, so a child of a large pytest process would report the
pytest process's size.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path


def peak_mb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # no /proc: the closest there is


if __name__ == "__main__":
    limit = int(sys.argv[1]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from selfeval_gui.cli.main import run

    try:
        code = run(sys.argv[2:])
    finally:
        print(f"maxrss_mb={peak_mb()}", file=sys.stderr)
    sys.exit(code)
