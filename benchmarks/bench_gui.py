"""Figures for the main window (printed, never asserted).

(a) Start-up: time from process start to the window shown with the example form, beside the same for a
    bare PySide6 window (median of several runs, each a fresh process).
(b) Per edit: recalculation (domain evaluate + check through the undo stack, dataChanged to the views)
    and the repaint that follows, on the seed form and on a generated 1,000-indicator form.
(c) A block pasted from Excel (rows × 年度指标值 / 实际完成值), the whole tree cleared, and the undo of that,
    on a generated 200-indicator form: each one undo step, recalculated once.

    python benchmarks/bench_gui.py [--runs 5] [--edits 60]

Uses the offscreen platform unless a display is set (QT_QPA_PLATFORM decides).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "forms" / "城管以奖促治经费_2020.json"


def generated_form(n: int):
    """A form with n 三级 rows spread over the template's 二级 groups, a third of them qualitative."""
    from selfeval_gui.domain.form import Indicator
    from selfeval_gui.domain.rules import new_form

    form = new_form()
    groups = [l2 for l1 in form.tree for l2 in l1.children]
    for g in groups:
        g.indicators.clear()
    for k in range(n):
        qual = k % 3 == 0
        groups[k % len(groups)].indicators.append(
            Indicator(
                name=f"指标名称{k + 1}",
                target="按合同要求" if qual else f"≥{80 + k % 15}%",
                actual="完成" if qual else f"{70 + k % 30}%",
                weight=Decimal("0.09"),
                score=Decimal("0.09"),
                deviation="" if k % 4 else "原因说明",
                grade="achieved" if qual else None,
            )
        )
    form.project_name, form.department, form.unit = "基准测试项目", "某局", "某局"
    return form


# ---------------------------------------------------------------- (a) start-up, in child processes


def child(kind: str, form_path: str | None) -> None:
    """Runs in a fresh process: show a window, print the wall-clock time it was shown, quit."""
    from PySide6.QtCore import QTimer

    if kind == "bare":
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication(sys.argv[:1])
        w = QMainWindow()
        w.resize(1366, 768)
        w.show()
    else:
        from selfeval_gui.ui.window.main_window import MainWindow
        from selfeval_gui.ui.window.start import make_app

        app = make_app([])
        w = MainWindow()
        w.open_path(Path(form_path), ask=False)
        w.show()

    def shown():
        print(f"SHOWN {time.time():.6f}", flush=True)
        w.doc.undo_stack.setClean() if hasattr(w, "doc") else None
        app.quit()

    QTimer.singleShot(0, shown)  # after the first paint events were queued and handled
    app.exec()


def startup(kind: str, runs: int, env: dict) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.time()
        p = subprocess.run(
            [sys.executable, __file__, "--child", kind, str(EXAMPLE)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        line = next((x for x in p.stdout.splitlines() if x.startswith("SHOWN ")), None)
        if line is None:
            raise SystemExit(f"child failed: {p.stderr[-2000:]}")
        out.append((float(line.split()[1]) - t0) * 1000)
    return out


# ---------------------------------------------------------------- (b) per-edit cost, in this process


def per_edit(form, edits: int):
    from selfeval_gui.domain.checks import check
    from selfeval_gui.domain.scoring import evaluate
    from selfeval_gui.ui.form.indicator_columns import COL
    from selfeval_gui.ui.window.main_window import MainWindow
    from selfeval_gui.ui.window.start import make_app

    app = make_app([])
    w = MainWindow(form)
    w.show()
    app.processEvents()
    model = w.sheet.model
    # a quantitative indicator near the top, so its row is on screen and really repainted
    path = next(r.path for r in w.doc.evaluation.indicators if r.target.quantitative)
    w.sheet.select_indicator(path, "actual")
    app.processEvents()
    idx = model.index_for_path(path, COL["actual"])
    recalc, total = [], []
    for n in range(edits):
        # a new value each time (alternating two values would let the caches answer from memory),
        # crossing the target so the row's findings appear and disappear
        value = f"{50 if n % 2 else 95}.{n:03d}%"
        t0 = time.perf_counter()
        model.setData(idx, value)
        t1 = time.perf_counter()
        app.processEvents()  # layout of the changed rows and the repaint
        t2 = time.perf_counter()
        recalc.append((t1 - t0) * 1000)
        total.append((t2 - t0) * 1000)
    pure = []
    for _ in range(10):
        t0 = time.perf_counter()
        check(form, evaluate(form))
        pure.append((time.perf_counter() - t0) * 1000)
    w.doc.undo_stack.setClean()
    w.close()
    return recalc, total, pure


def block_edits(form, rows: int) -> list[tuple[str, float]]:
    """(c): paste rows × 2 cells, clear every cell, undo the clear; seconds each, views repainted."""
    from selfeval_gui.ui.form import cell_clipboard
    from selfeval_gui.ui.form.indicator_columns import COL
    from selfeval_gui.ui.window.main_window import MainWindow
    from selfeval_gui.ui.window.start import make_app

    app = make_app([])
    w = MainWindow(form)
    w.show()
    app.processEvents()
    tree, doc = w.sheet.tree, w.doc
    first = next(r.path for r in doc.evaluation.indicators)
    tree.setCurrentIndex(w.sheet.model.index_for_path(first, COL["target"]))
    text = "\n".join(f"≥{n}人\t{n + 1}人" for n in range(rows))
    out = []
    for label, do in (
        (f"paste {rows} rows × 2 cells", lambda: cell_clipboard.paste_text(tree, doc, text)),
        ("clear the whole tree", lambda: (tree.selectAll(), cell_clipboard.clear_cells(tree, doc))),
        ("undo the clear", doc.undo_stack.undo),
    ):
        t0 = time.perf_counter()
        do()
        app.processEvents()
        out.append((label, time.perf_counter() - t0))
    doc.undo_stack.setClean()
    w.close()
    return out


def fmt(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
    return f"median {statistics.median(xs):7.2f} ms   p95 {p95:7.2f} ms   max {xs[-1]:7.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--child", nargs=2, metavar=("KIND", "FORM"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--edits", type=int, default=60)
    args = ap.parse_args()
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.child:
        os.environ.setdefault("SELFEVAL_DATA_DIR", tempfile.mkdtemp(prefix="selfeval-bench-"))
        child(*args.child)
        return
    env = dict(os.environ, SELFEVAL_DATA_DIR=tempfile.mkdtemp(prefix="selfeval-bench-"))
    os.environ["SELFEVAL_DATA_DIR"] = env["SELFEVAL_DATA_DIR"]
    print(f"Qt platform: {os.environ.get('QT_QPA_PLATFORM', 'default')}    Python {sys.version.split()[0]}")
    print("\n(a) process start → window shown")
    bare = startup("bare", args.runs, env)
    app = startup("app", args.runs, env)
    print(f"  bare PySide6 window          {fmt(bare)}")
    print(f"  main window + example form   {fmt(app)}")
    print(f"  difference (medians)         {statistics.median(app) - statistics.median(bare):7.2f} ms")

    from selfeval_gui.files.formfile import load_form

    print(f"\n(b) one edit (an 实际完成值), {args.edits} edits each")
    for label, form in (
        ("seed form (9 indicators)", load_form(EXAMPLE)),
        ("generated form (1000 indicators)", generated_form(1000)),
    ):
        recalc, total, pure = per_edit(form, args.edits)
        print(f"  {label}")
        print(f"    evaluate + check, uncached      {fmt(pure)}")
        print(f"    recalculation (setData → views) {fmt(recalc)}")
        print(f"    recalculation + repaint         {fmt(total)}")
    print("\n  one frame at 60 Hz = 16.7 ms")
    print("\n(c) blocks of cells (generated form, 200 indicators), one undo step each")
    for label, seconds in block_edits(generated_form(200), 200):
        print(f"  {label:32s} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
