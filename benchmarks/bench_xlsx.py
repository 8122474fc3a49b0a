"""Time to export and import Excel: each seed form, generated 200- and 10,000-indicator forms, 30 forms in one
workbook.

Run: python benchmarks/bench_xlsx.py [--repeat N] [--only TEXT]
Prints figures only; nothing here asserts a time.  --only keeps the cases whose name contains TEXT
(e.g. --only 10,000).

Export, median of 3–5 runs on this Linux box, before → after styling each kind of cell once (export._Styles) and
merging without restyling every cell of a tall merged 一级/二级 cell (export._merge_cells); the workbook is the
same byte for byte:
    10,000 indicators          7,988 ms → 2,110 ms  (about 1.1 s of it is openpyxl writing the file)
    30 forms, one workbook     1,047 ms → 273 ms
    seed 公共事务协管经费 / 城管以奖促治经费   58 / 38 ms → 14 / 16 ms
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_pdf import big_form  # noqa: E402

from selfeval_gui.files.formfile import load_form  # noqa: E402
from selfeval_gui.files.xlsx.export import export_xlsx  # noqa: E402
from selfeval_gui.files.xlsx.reader import import_workbook  # noqa: E402
from selfeval_gui.paths import forms_path  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="", help="run only the cases whose name contains this text")
    args = ap.parse_args()
    seeds = [load_form(forms_path(n)) for n in ("公共事务协管经费_2020.json", "城管以奖促治经费_2020.json")]
    cases = [(f"seed {f.project_name}", [f]) for f in seeds]
    cases.append(("200 indicators", [big_form(200)]))
    many = []
    for n in range(30):
        f = load_form(forms_path("城管以奖促治经费_2020.json"))
        f.project_name = f"项目{n + 1}"
        many.append(f)
    cases.append(("30 forms, one workbook", many))
    cases.append(("10,000 indicators", [big_form(10_000)]))
    cases = [(name, forms) for name, forms in cases if args.only in name]
    print(f"{'case':24} {'KiB':>6} {'export ms':>10} {'import ms':>10}   (median of {args.repeat})")
    with tempfile.TemporaryDirectory() as d:
        for name, forms in cases:
            out = Path(d) / "book.xlsx"
            exp = timed(lambda forms=forms, out=out: export_xlsx(forms, out), args.repeat)
            imp = timed(lambda out=out: import_workbook(out), args.repeat)
            kib = out.stat().st_size / 1024
            print(f"{name:24} {kib:6.0f} {statistics.median(exp):10.0f} {statistics.median(imp):10.0f}")


if __name__ == "__main__":
    main()
