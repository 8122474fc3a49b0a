"""文件 › 定稿…, 撤销定稿… and 导出报送材料… for the main window (through its session).

定稿 records in the file when, by whom (填表人) and the content fingerprint, then saves: the form is read-only
from then on (the document refuses edits, every editor turns read-only, the undo stack is emptied).  撤销定稿
asks first, keeps the withdrawn 定稿 in the file's history and saves.  If saving fails or is cancelled the state
before is put back, so the window never shows a 定稿 the file does not have.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from selfeval_gui.domain.checks import errors_of
from selfeval_gui.domain.final_record import now_text
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.vocabulary import FINAL_WORD
from selfeval_gui.files.formfile import fingerprint
from selfeval_gui.ui.common import qt_words
from selfeval_gui.ui.common.action_support import busy, show_error, start_dir
from selfeval_gui.ui.form.session import FormSession

log = logging.getLogger(__name__)

TITLE_UNFINALIZE = "撤销定稿"
TITLE_PACKAGE = "导出报送材料"
Button = QMessageBox.StandardButton


def banner_text(form) -> str:
    """The line above a finalized form."""
    fin = form.finalized
    if fin is None:
        return ""
    by = f"由 {fin.by} " if fin.by else ""
    return f"本表已于 {fin.shown_at} {by}定稿，指纹 {fin.fingerprint}；如需修改，请先撤销定稿（文件 › 撤销定稿…）。"


def _apply_and_save(session: FormSession, change: Callable[[Form], object]) -> bool:
    """Make the state change in the form (Form.finalize / unfinalize, the domain's one way) and save it; only
    once it is saved do the window and the undo stack follow.  A failed or cancelled save leaves the form, its
    undo history and the window as they were."""
    form = session.doc.form
    before = (form.finalized, form.history, form.loaded_fingerprint)
    change(form)
    if session.save():
        session.doc.set_status(form.finalized, form.history, modified=False)
        return True
    form.finalized, form.history, form.loaded_fingerprint = before
    return False


def _confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question whose default is 否 (finalizing and withdrawing are not done by a stray Enter)."""
    return QMessageBox.question(parent, title, text, Button.Yes | Button.No, Button.No) == Button.Yes


def finalize(session: FormSession) -> bool:
    """定稿: only without errors; asks for confirmation, records and saves."""
    doc = session.doc
    if doc.read_only:
        return False
    if not session.commit_pending():
        return False
    doc.make_strict()
    errors = errors_of(doc.findings)
    if errors:
        QMessageBox.warning(
            session.widget,
            FINAL_WORD,
            f"表中还有 {len(errors)} 个错误，不能定稿。\n\n请先按右侧“检查结果”改正所有错误（警告和提示不影响定稿）。",
        )
        return False
    fp = fingerprint(doc.form)
    who = doc.form.filler.strip() or "（未填填表人）"
    if not _confirm(
        session.widget,
        FINAL_WORD,
        f"定稿后本表将只读，并记录定稿时间、填表人（{who}）和内容指纹 {fp}。\n"
        "正式 PDF 的页脚会印上“定稿”和这个指纹。\n\n现在定稿并保存吗？",
    ):
        return False
    at = now_text()
    return _apply_and_save(session, lambda form: form.finalize(at, fp))


def unfinalize(session: FormSession) -> bool:
    """撤销定稿: asks first; the withdrawn 定稿 stays in the file's history."""
    doc = session.doc
    fin = doc.form.finalized
    if fin is None or doc.read_only_reason:  # not finalized, or someone else has the file open for editing
        return False
    if not _confirm(
        session.widget,
        TITLE_UNFINALIZE,
        f"本表已于 {fin.shown_at} 定稿（指纹 {fin.fingerprint}）。撤销定稿后可以再修改，"
        "已打印或报送的定稿件将与修改后的表不一致。\n\n"
        "撤销定稿并保存吗？（这次定稿会保留在文件的定稿记录中）",
    ):
        return False
    at = now_text()
    return _apply_and_save(session, lambda form: form.unfinalize(at))


def ask_package_target(session: FormSession, stem: str) -> Path | None:
    """A folder, or a .zip file; None when the clerk cancels.  Tests replace this."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        TITLE_PACKAGE,
        "报送材料包括正式 PDF、Excel 工作簿和表单文件。\n要保存到一个文件夹，还是打包成一个 .zip 文件？",
        parent=session.widget,
    )
    to_folder = box.addButton("保存到文件夹…", QMessageBox.ButtonRole.AcceptRole)
    to_zip = box.addButton("打包为 zip…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    start = start_dir(session.current_path())
    if box.clickedButton() is to_folder:
        folder = qt_words.existing_directory(session.widget, "选择保存报送材料的文件夹", str(start))
        return Path(folder) if folder else None
    if box.clickedButton() is to_zip:
        name = qt_words.save_file_name(session.widget, TITLE_PACKAGE, str(start / f"{stem}.zip"), "zip 压缩包 (*.zip)")
        if not name:
            return None
        return Path(name) if name.lower().endswith(".zip") else Path(name + ".zip")
    return None


def open_folder(folder: Path) -> bool:
    """Show the folder in the file manager; False when none opened (no file manager, a locked-down desktop)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))


def export_package(session: FormSession) -> list[Path] | None:
    """导出报送材料: the final PDF, the workbook and the form file of a finalized form, then its folder opens."""
    from selfeval_gui.files.package import build_package, package_problem, package_stem, write_package

    form = session.current_form()
    problem = package_problem(form)
    if problem:
        QMessageBox.information(session.widget, TITLE_PACKAGE, problem)
        return None
    target = ask_package_target(session, package_stem(form))
    if target is None:
        return None
    try:
        with busy():
            package = build_package(form, source_name=f"{package_stem(form)}.json")
            written = write_package(package, target)
    except Exception as e:  # the clerk gets one sentence; nothing half-written is left
        log.warning("报送材料没有导出到 %s", target, exc_info=True)
        show_error(session.widget, TITLE_PACKAGE, "报送材料没有导出。", e, "导出失败")
        return None
    folder = written[0].parent
    done = f"报送材料已导出到“{folder}”：" + "、".join(p.name for p in written)
    session.show_message(done, 30000)
    if not open_folder(folder):  # the clerk is told where, when no file manager opens
        QMessageBox.information(session.widget, TITLE_PACKAGE, done + "。")
    return written
