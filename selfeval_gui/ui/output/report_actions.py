"""文件 › 导出自评报告…: the 自评报告 of the open form as a Word document (files/report/docx_report.py) — a draft
unless the form is finalized, then with 定稿 and the fingerprint in its footer."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from selfeval_gui.domain.vocabulary import DRAFT_WORD, FINAL_WORD, REPORT_WORD
from selfeval_gui.ui.common import qt_words
from selfeval_gui.ui.common.action_support import busy, show_error, start_dir
from selfeval_gui.ui.form.session import FormSession

log = logging.getLogger(__name__)

TITLE_REPORT = f"导出{REPORT_WORD}"


def ask_report_path(session: FormSession, suggested: str) -> Path | None:
    """Where to write the .docx; None when the clerk cancels.  Tests replace this."""
    start = start_dir(session.current_path())
    name = qt_words.save_file_name(session.widget, TITLE_REPORT, str(start / suggested), "Word 文档 (*.docx)")
    if not name:
        return None
    return Path(name) if name.lower().endswith(".docx") else Path(name + ".docx")


def export_report(session: FormSession) -> Path | None:
    from selfeval_gui.files.package import report_name
    from selfeval_gui.files.report.docx_report import write_report

    form = session.current_form()
    path = ask_report_path(session, report_name(form))
    if path is None:
        return None
    try:
        with busy():
            write_report(form, path)
    except Exception as e:  # one sentence for the clerk; the file is written whole or not at all
        log.warning("自评报告没有导出到 %s", path, exc_info=True)
        show_error(session.widget, TITLE_REPORT, f"{REPORT_WORD}没有导出。", e, "导出失败")
        return None
    state = FINAL_WORD if form.finalized else DRAFT_WORD
    session.show_message(f"已导出{REPORT_WORD}（{state}）：{path}")
    if form.finalized is None:
        QMessageBox.information(
            session.widget,
            TITLE_REPORT,
            f"已导出{REPORT_WORD}（{DRAFT_WORD}，页眉标有“{DRAFT_WORD}”）：\n{path}\n\n"
            f"表定稿后再导出，页脚会带上定稿时间和内容指纹。",
        )
    return path
