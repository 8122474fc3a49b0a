"""Target parsing on long digit runs (issue 14): time per text, printed, never asserted.

    python benchmarks/bench_targets.py

Before the fix a 年度指标值 of 5,000 digits took 3.8 s and 20,000 digits 54 s (the range pattern backtracked
through the run at every position it started from); the time should now grow in step with the length.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfeval_gui.domain.targets import parse_actual, parse_target  # noqa: E402


def main() -> None:
    for n in (5_000, 20_000, 100_000, 1_000_000):
        for label, text in (
            ("digits", "1" * n),
            ("≥digits人", "≥" + "1" * n + "人"),
            ("digits-digits", "1" * (n // 2) + "-" + "2" * (n // 2)),
            ("1,1,…", "1," * (n // 2)),
        ):
            t0 = time.perf_counter()
            parse_target(text)
            parse_actual(text)
            print(f"{n:>9,} {label:<14} {time.perf_counter() - t0:8.4f} s")


if __name__ == "__main__":
    main()
