"""How long the frozen console program takes for `check` and `export --pdf`, against running from source.

Build first (bash .ci/build-frozen, or pyinstaller pyinstaller.spec), then:
    python benchmarks/bench_frozen_cli.py [APP_FOLDER]      (default build/frozen/trimmed/dist/SelfEval)
Prints the median and the slowest of several runs, in seconds, including process start.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / "forms" / "城管以奖促治经费_2020.json"
RUNS = 7


def timed(cmd: list[str], cwd: Path) -> list[float]:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        # settings and the font cache in the benchmark's folder, not the real user folders
        env = dict(os.environ, SELFEVAL_DATA_DIR=str(cwd / "data"), SELFEVAL_CACHE_DIR=str(cwd / "cache"))
        r = subprocess.run(cmd, cwd=cwd, capture_output=True, env=env)
        times.append(time.perf_counter() - t0)
        if r.returncode not in (0, 1):
            raise SystemExit(f"{cmd} failed ({r.returncode}): {r.stderr.decode('utf-8', 'replace')}")
    return times


def main() -> int:
    app = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "frozen" / "trimmed" / "dist" / "SelfEval"
    exe = app / ("selfeval-cli.exe" if os.name == "nt" else "selfeval-cli")
    if not exe.exists():
        print(f"no frozen program at {exe}; build it first (bash .ci/build-frozen)")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp) / "绩效 自评"
        cwd.mkdir()
        pdf = str(cwd / "打印件.pdf")
        cases = {
            "frozen  check": [str(exe), "check", str(FORM)],
            "source  check": [sys.executable, str(ROOT / "main.py"), "check", str(FORM)],
            # the seed has errors, so the PDF written is its draft (a final copy would be refused before writing)
            "frozen  export --pdf": [str(exe), "export", str(FORM), "--pdf", pdf, "--draft"],
            "source  export --pdf": [
                sys.executable,
                str(ROOT / "main.py"),
                "export",
                str(FORM),
                "--pdf",
                pdf,
                "--draft",
            ],
        }
        print(f"{RUNS} runs each, seconds (process start included)")
        for name, cmd in cases.items():
            t = timed(cmd, cwd)
            print(f"  {name:22s} median {statistics.median(t):6.3f}   slowest {max(t):6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
