"""A unit's folder at scale: 500 generated forms listed by the command line and by the 项目一览 window, and the
batch PDF export with the font found once.

Run: python benchmarks/bench_folder.py [--forms 500] [--pdfs 100]
Prints figures only; nothing here asserts a time.  The window runs offscreen (QT_QPA_PLATFORM=offscreen).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from selfeval_gui.domain.scoring import evaluate  # noqa: E402
from selfeval_gui.files.folder.batch import export_batch  # noqa: E402
from selfeval_gui.files.folder.listing import list_folder  # noqa: E402
from selfeval_gui.files.formfile import load_form, save_form  # noqa: E402
from selfeval_gui.files.pdf import fonts  # noqa: E402
from selfeval_gui.paths import forms_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("公共事务协管经费_2020.json", "城管以奖促治经费_2020.json")


def make_forms(folder: Path, n: int) -> None:
    """n forms: the two seeds by turns, each its own project with its own amounts; every 5th one clean."""
    seeds = [load_form(forms_path(s)) for s in SEEDS]
    for k in range(n):
        form = seeds[k % 2]
        form.project_name = f"项目{k + 1:03d}"
        form.department = f"朝阳区第{k % 7 + 1}局"
        total = form.fund("total")
        total.budget = Decimal(100 + k)
        total.executed = Decimal(90 + k % 20)
        form.fund("current").budget, form.fund("current").executed = total.budget, total.executed
        form.stated_total_score = None
        save_form(form, folder / f"项目{k + 1:03d}.json", backup=False)


def bench_list(folder: Path) -> None:
    t0 = time.perf_counter()
    entries = list_folder(folder)
    t1 = time.perf_counter()
    print(
        f"list_folder (in process): {len(entries)} forms in {t1 - t0:.2f} s "
        f"({(t1 - t0) / len(entries) * 1000:.1f} ms a form)"
    )
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "list", str(folder), "--json"], capture_output=True)
    t1 = time.perf_counter()
    print(
        f"python main.py list FOLDER --json (whole command, start-up included): {t1 - t0:.2f} s, "
        f"exit code {r.returncode}, {len(r.stdout) // 1024} KB"
    )


def bench_window(folder: Path) -> None:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from selfeval_gui.ui.folder.window import FolderWindow

    app = QApplication.instance() or QApplication([])
    gaps: list[int] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(10)

    def tick() -> None:
        gaps.append(clock.restart())

    ticker.timeout.connect(tick)
    t0 = time.perf_counter()
    fw = FolderWindow(folder)
    fw.show()
    first_row = None
    clock.start()
    ticker.start()
    while fw.is_loading() or fw.model.rowCount() < len(fw.model.entries()):
        app.processEvents()
        if first_row is None and fw.model.rowCount():
            first_row = time.perf_counter() - t0
        time.sleep(0.001)
    app.processEvents()
    t1 = time.perf_counter()
    ticker.stop()
    print(
        f"window fill: {fw.model.rowCount()} rows in {t1 - t0:.2f} s (first row after {first_row or 0:.3f} s); "
        f"longest pause of the event loop while filling {max(gaps or [0])} ms "
        f"(a 10 ms timer, {len(gaps)} ticks)"
    )
    fw.close()


def bench_pdf(folder: Path, n: int, out: Path) -> None:
    fonts._find_font.cache_clear()
    t0 = time.perf_counter()
    font = fonts.find_font()
    t1 = time.perf_counter()
    print(f"finding and loading the font ({font.label}): {(t1 - t0) * 1000:.0f} ms — once per batch")
    sources = sorted(folder.glob("*.json"))[:n]
    for src in sources:  # make them clean, so that every one is written: the scores as the rules give them
        form = load_form(src)
        ev = evaluate(form)
        form.budget_score = ev.budget_score
        for r in ev.indicators:
            if r.computed is not None:
                r.indicator.score = r.computed
            if r.needs_note and not r.indicator.deviation:
                r.indicator.deviation = "课程受疫情影响未能按计划开展。"
        form.stated_total_score = form.stated_total_weight = None
        save_form(form, src, backup=False)
    t0 = time.perf_counter()
    result = export_batch(sources, out, pdf=True)
    t1 = time.perf_counter()
    print(
        f"batch PDF: {len(result.written)} written, {len(result.skipped)} skipped, in {t1 - t0:.2f} s "
        f"({(t1 - t0) / max(len(result.written), 1) * 1000:.0f} ms a PDF)"
    )
    for name, why in result.skipped[:3]:
        print(f"  skipped {name}: {why}")
    # For comparison: looking the font up again for every form (what a batch without the shared font would do
    # if fonts.find_font were not cached).
    from selfeval_gui.files.pdf.form_pdf import render_pdf

    few = [load_form(s) for s in sources[:20]]
    t0 = time.perf_counter()
    for form in few:
        fonts._find_font.cache_clear()
        render_pdf(form, font=fonts.find_font())
    t1 = time.perf_counter()
    for form in few:
        render_pdf(form, font=font)
    t2 = time.perf_counter()
    print(
        f"per PDF, font looked up for each form: {(t1 - t0) / len(few) * 1000:.0f} ms; "
        f"with the batch's one font: {(t2 - t1) / len(few) * 1000:.0f} ms ({len(few)} forms, in memory)"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--forms", type=int, default=500)
    ap.add_argument("--pdfs", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "绩效自评" / "2020年度"
        folder.mkdir(parents=True)
        t0 = time.perf_counter()
        make_forms(folder, args.forms)
        print(f"generated {args.forms} forms in {time.perf_counter() - t0:.1f} s")
        bench_list(folder)
        bench_window(folder)
        bench_pdf(folder, args.pdfs, Path(tmp) / "pdf")


if __name__ == "__main__":
    main()
