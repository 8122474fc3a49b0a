"""Time to produce the PDF: each seed form, generated 200- and 4,000-indicator forms, a 5,000- and a
100,000-character 偏差原因.

Run: python benchmarks/bench_pdf.py [--repeat N]
Prints figures only; nothing here asserts a time.

Issue 14 (one run each, this Linux box, DejaVu/WenQuanYi font), before → after breaking a long field into lines
once (pdf_layout._Rest; since issue 12 pdf_textblock's lines) and indexing indicator results (Evaluation.result_at):
    100,000-character 偏差原因 (268 pages)   34.97 s → 0.9–1.7 s   (20,000: 1.32 s → 0.31 s; 40,000: 4.92 s → 0.70 s)
    4,000 indicators (376 pages)             5.97 s → 3.7–5.0 s  (time now grows in step with the count)

Issue 23 (`main.py export --pdf --draft` of the seed form with one 偏差原因 of digits and no space; one run each,
before → after stopping the Latin-word scan at a line's width in pdf/textblock._word_start):
    100,000 digits                           41.7 s → 0.42 s
    1,000,000 digits                         not done after 120 s → 1.67 s
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfeval_gui.domain.form import Indicator  # noqa: E402
from selfeval_gui.files.formfile import load_form  # noqa: E402
from selfeval_gui.files.pdf import fonts  # noqa: E402
from selfeval_gui.files.pdf.form_pdf import write_pdf  # noqa: E402
from selfeval_gui.paths import forms_path  # noqa: E402


def big_form(n_indicators: int = 200):
    form = load_form(forms_path("城管以奖促治经费_2020.json"))
    for l1 in form.tree:
        for l2 in l1.children:
            l2.indicators = []
    level2 = [l2 for l1 in form.tree for l2 in l1.children]
    for n in range(n_indicators):
        level2[n % len(level2)].indicators.append(
            Indicator(
                f"第{n + 1}号指标",
                f"≥{n + 1}个",
                f"{n + 1}个",
                Decimal("0.5"),
                Decimal("0.5"),
                "受疫情影响部分工作延后，已调整计划。" * (n % 4),
            )
        )
    return form


def long_note_form(length: int = 5000):
    form = load_form(forms_path("城管以奖促治经费_2020.json"))
    note = "课程受疫情影响未能按计划开展，下一年度将提前安排。" * (length // 25 + 1)
    form.tree[0].children[0].indicators[0].deviation = note[:length]
    return form


def digits_form(length: int):
    """A field of digits without a space (a pasted account number, a hostile file): the worst case of line breaking."""
    form = load_form(forms_path("城管以奖促治经费_2020.json"))
    form.tree[0].children[0].indicators[0].deviation = "1" * length
    return form


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    font = fonts.find_font()
    print(
        f"font search + load: {(time.perf_counter() - t0) * 1000:.0f} ms -> {font.label} "
        f"({font.source}, {'embedded' if font.embedded else 'NOT embedded'}) {font.path or ''}"
    )
    cases = [
        ("seed 公共事务协管经费", lambda: load_form(forms_path("公共事务协管经费_2020.json"))),
        ("seed 城管以奖促治经费", lambda: load_form(forms_path("城管以奖促治经费_2020.json"))),
        ("200 indicators", big_form),
        ("5,000-char 偏差原因", long_note_form),
        ("4,000 indicators", lambda: big_form(4000)),
        ("100,000-char 偏差原因", lambda: long_note_form(100_000)),
        ("100,000 digits, no space", lambda: digits_form(100_000)),
        ("1,000,000 digits", lambda: digits_form(1_000_000)),
        ("10,000 indicators", lambda: big_form(10_000)),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.pdf"
        print(f"{'case':24} {'pages':>5} {'KiB':>6} {'median ms':>10} {'min ms':>8}")
        for name, make in cases:
            form = make()
            times = []
            for _ in range(args.repeat):
                t = time.perf_counter()
                result = write_pdf(form, out, source_name="bench.json")
                times.append((time.perf_counter() - t) * 1000)
            print(
                f"{name:24} {result.pages:>5} {out.stat().st_size / 1024:>6.0f} "
                f"{statistics.median(times):>10.0f} {min(times):>8.0f}"
            )


if __name__ == "__main__":
    main()
