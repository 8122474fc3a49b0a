"""What the 项目一览 does with its forms: check all, batch PDF/Excel export with a progress dialog and 取消, the
汇总表, next year's drafts — and 打开文件夹… / 从上年表格… for the main window.

The work itself is in files/ (batch.export_batch, summary_xlsx / summary_pdf, next_year.write_next_year);
these functions ask where, show progress and say what happened.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from selfeval_gui.files.folder.batch import BatchResult, export_batch
from selfeval_gui.files.folder.listing import FORM, UNREADABLE, FolderEntry
from selfeval_gui.files.folder.next_year import write_next_year
from selfeval_gui.files.folder.summary_plan import SummaryPlan, plan_summary, year_question
from selfeval_gui.ui.common import action_support, qt_words
from selfeval_gui.ui.common.action_support import busy, show_error
from selfeval_gui.ui.common.background import Progress, run_in_background
from selfeval_gui.ui.folder.view import FolderView

log = logging.getLogger(__name__)

TITLE_BATCH = "批量导出"
TITLE_SUMMARY = "汇总表"
TITLE_NEXT = "生成下一年度草稿"
SUMMARY_NAME = "汇总表"
Button = QMessageBox.StandardButton


BATCH_DIR = "batch_dir"  # the settings key of the folder the last batch export went to


def ask_folder(parent: QWidget, title: str, start: Path) -> Path | None:
    """A folder the clerk chooses (a dialog the tests replace)."""
    chosen = qt_words.existing_directory(parent, title, str(start))
    return Path(chosen) if chosen else None


def offer_open_folder(parent: QWidget, title: str, text: str, folder: Path) -> None:
    """The closing box of an output: what was written, and 打开文件夹."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, Button.Close, parent)
    open_button = box.addButton("打开文件夹", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def check_all(fw: FolderView) -> None:
    """Read and check every file again (the list shows the figures; the status line counts the errors)."""
    fw.load()


# ------------------------------------------------------------------ batch export


def run_batch(
    parent: QWidget, sources: list[FolderEntry], outdir: Path, *, pdf: bool, xlsx: bool, drafts: bool = False
) -> BatchResult | None:
    """export_batch in the background behind a progress dialog naming the current file; 取消 stops before the
    next file (every file is written atomically, so none is left half written) and gives None."""

    def work(progress: Progress) -> BatchResult:
        def step(done: int, total: int, name: str) -> bool:
            if not progress.cancelled:
                progress.report(done, total, f"正在导出（{done + 1}/{total}）：{name}" if name else "导出完成")
            return not progress.cancelled  # 取消: export_batch stops before the next file

        return export_batch(sources, outdir, pdf=pdf, xlsx=xlsx, progress=step, drafts=drafts)

    return run_in_background(parent, TITLE_BATCH, "正在导出……", work, minimum_duration=0)


def ask_drafts(fw: FolderView, with_errors: int) -> bool | None:
    """Forms with errors get no final copy: skip them (False) or write their 草稿 copies (True); None to cancel."""
    if not with_errors:
        return False
    answer = action_support.choose(
        fw.widget,
        TITLE_BATCH,
        f"有 {with_errors} 个表有错误，不能导出正式文件。\n\n"
        "跳过它们（导出后列出），还是导出它们的草稿（每页标有“草稿”，文件名带“_草稿”，并列出检查结果）？",
        ["跳过有错误的表", "导出草稿", "取消"],
    )
    return None if answer is None else answer == 1


def batch_export(fw: FolderView, *, pdf: bool = True, xlsx: bool = False) -> BatchResult | None:
    entries = [e for e in fw.selected_entries() if e.kind in (FORM, UNREADABLE)]
    if not entries:
        QMessageBox.information(fw.widget, TITLE_BATCH, "列表中没有可导出的表。")
        return None
    drafts = ask_drafts(fw, sum(1 for e in entries if e.row is not None and e.row.errors and not e.row.unfilled))
    if drafts is None:
        return None
    outdir = ask_folder(fw.widget, "选择导出到的文件夹", action_support.remembered_dir(BATCH_DIR) or fw.folder)
    if outdir is None:
        return None
    action_support.remember_dir(BATCH_DIR, outdir)  # the next batch starts there
    try:
        result = run_batch(fw.widget, entries, outdir, pdf=pdf, xlsx=xlsx, drafts=drafts)
    except Exception as e:  # the clerk gets a sentence; nothing else was changed
        log.warning("batch export to %s failed", outdir, exc_info=True)
        show_error(fw.widget, TITLE_BATCH, "没有导出。", e, "导出失败")
        return None
    if result is None:
        return None
    offer_open_folder(fw.widget, TITLE_BATCH, f"导出到“{outdir}”：\n\n{result.summary()}", outdir)
    return result


# ------------------------------------------------------------------ 汇总表


def ask_summary_path(parent: QWidget, start: Path) -> Path | None:
    name = qt_words.save_file_name(parent, "保存汇总表", str(start / f"{SUMMARY_NAME}.xlsx"), "Excel 工作簿 (*.xlsx)")
    return Path(name) if name else None


def ask_year(parent: QWidget, choices: list[tuple[int, int]]) -> int | None:
    """The year to sum when the folder holds forms of several: (year, filled forms) to choose from; None to
    cancel (a dialog the tests replace)."""
    items = [f"{year}年度（{n} 个已填写的表）" for year, n in choices]
    text, ok = QInputDialog.getItem(
        parent,
        TITLE_SUMMARY,
        "文件夹中有多个年度的表，一份汇总表只汇总一个年度。\n汇总哪一年度？",
        items,
        len(items) - 1,
        False,
    )
    return choices[items.index(text)][0] if ok and text in items else None


def confirm_summary(parent: QWidget, lines: list[str]) -> bool:
    """What the 汇总 leaves out or takes with care, before it is written: 继续 (True) or 取消."""
    text = "汇总前请注意：\n\n" + "\n\n".join(f"{n}. {line}" for n, line in enumerate(lines, start=1))
    box = QMessageBox(QMessageBox.Icon.Warning, TITLE_SUMMARY, text, Button.Ok | Button.Cancel, parent)
    box.button(Button.Ok).setText("继续")
    box.button(Button.Cancel).setText("取消")
    box.setDefaultButton(Button.Ok)
    box.setEscapeButton(Button.Cancel)
    return bool(box.exec() == Button.Ok)


def summary_plan(fw: FolderView) -> SummaryPlan | None:
    """Which forms the 汇总 takes: the year asked when there are several, the clerk told what is left out or
    taken with care (继续 / 取消); None when there is nothing to sum or the clerk cancels."""
    entries = fw.entries()
    plan = plan_summary(entries)
    if plan.needs_year:
        year = ask_year(fw.widget, year_question(plan, entries))
        if year is None:
            return None
        plan = plan_summary(entries, year)
    if not plan.taken:
        lines = "\n".join(plan.notes())
        QMessageBox.information(
            fw.widget, TITLE_SUMMARY, "列表中没有可汇总的表（已填写的表）。" + (f"\n\n{lines}" if lines else "")
        )
        return None
    notes = plan.notes()
    if notes and not confirm_summary(fw.widget, notes):
        return None
    return plan


def summary(fw: FolderView) -> Path | None:
    """The 汇总 workbook where the clerk says, and its PDF beside it."""
    from selfeval_gui.files.folder.summary import write_summary

    plan = summary_plan(fw)
    if plan is None:
        return None
    path = ask_summary_path(fw.widget, fw.folder)
    if path is None:
        return None
    path = path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")
    pdf_path = path.with_suffix(".pdf")
    try:
        with busy():
            result = write_summary(fw.entries(), path, pdf_path, plan=plan)
    except Exception as e:  # a sentence for the clerk, the details in the log
        log.warning("summary not written to %s", path, exc_info=True)
        show_error(fw.widget, TITLE_SUMMARY, "汇总表没有写出。", e, "生成汇总表失败")
        return None
    note = "".join(
        f"\n\n{n} 个{what}未汇总。"
        for n, what in ((len(result.left_out), "无法读取的文件"), (len(result.unfilled), "未填写的表"))
        if n
    )
    text = f"已写出汇总表（{result.year}年度，{result.projects} 个项目）：\n{path}\n{pdf_path}{note}"
    offer_open_folder(fw.widget, TITLE_SUMMARY, text, path.parent)
    return path


# ------------------------------------------------------------------ next year's drafts


def _next_year_text(result: Any) -> str:
    lines = [f"已生成 {len(result.written)} 个草稿："] + [f"  {new.name}" for _old, new in result.written]
    if result.skipped:
        lines.append(f"未生成 {len(result.skipped)} 个：")
        lines += [f"  {name}：{why}" for name, why in result.skipped]
    return "\n".join(lines)


def next_year(fw: FolderView) -> None:
    """Drafts of the selected (or all) forms, in a folder the clerk chooses (the same folder by default)."""
    sources = [e.path for e in fw.selected_entries() if e.kind in (FORM, UNREADABLE)]
    if not sources:
        QMessageBox.information(fw.widget, TITLE_NEXT, "列表中没有表。")
        return
    outdir = ask_folder(fw.widget, "选择新草稿保存到的文件夹", fw.folder)
    if outdir is None:
        return
    try:
        with busy():
            result = write_next_year(sources, outdir)
    except Exception as e:  # a sentence for the clerk, the details in the log
        log.warning("next-year drafts not written to %s", outdir, exc_info=True)
        show_error(fw.widget, TITLE_NEXT, "没有生成草稿。", e, "生成草稿失败")
        return
    offer_open_folder(fw.widget, TITLE_NEXT, _next_year_text(result), outdir)
