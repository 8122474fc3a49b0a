"""导入Excel… and 导出Excel… for the main window, through its session (ui/form/session.py): the open form is
replaced only after ask_to_save(), so nothing typed is lost.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
)

from selfeval_gui.domain.checks import LEVEL_LABELS, check, errors_of
from selfeval_gui.domain.rules import get_template
from selfeval_gui.domain.vocabulary import DRAFT
from selfeval_gui.files.errors import ClerkError, clerk_message
from selfeval_gui.files.folder.imported import PartlySaved, save_imported
from selfeval_gui.files.formfile import FormFileError
from selfeval_gui.files.importing import ImportCancelled, import_document
from selfeval_gui.files.naming import draft_stem, safe_stem
from selfeval_gui.files.xlsx.export import export_xlsx, formula_notes
from selfeval_gui.files.xlsx.reader import ImportedForm
from selfeval_gui.ui.common import action_support, qt_words
from selfeval_gui.ui.common.action_support import (
    busy,
    documents_dir,
    remember_dir,
    remembered_dir,
    show_error,
    start_dir,
)
from selfeval_gui.ui.common.background import Progress, run_in_background
from selfeval_gui.ui.form.session import FormSession
from selfeval_gui.ui.output.output_check import choose_copy

log = logging.getLogger(__name__)

TITLE_IMPORT = "导入Excel"
IMPORT_DIR = "import_dir"  # the settings key of the folder the last workbook was imported from
TITLE_EXPORT = "导出Excel"
XLSX_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"
# what 导入 reads: a 自评表 or a 绩效目标申报表, as an Excel workbook or a Word document (files/importing.py)
IMPORT_FILTER = "Excel 或 Word 文件 (*.xlsx *.docx);;Excel 工作簿 (*.xlsx);;Word 文档 (*.docx);;所有文件 (*)"
TITLE_DECLARATION = "从绩效目标申报表新建"
SHOW_FINDINGS = 12  # more than this go into the message box's details


FAILED = "处理失败"  # the start of the sentence for an error that has no clerk's message of its own


class ChooseFormDialog(QDialog):
    """The workbook holds several forms: open one, or save them all as files into a folder."""

    def __init__(self, items: list[ImportedForm], book_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(TITLE_IMPORT)
        self.save_all = False
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"“{book_name}”中有 {len(items)} 张自评表，请选择要打开的一张："))
        self.list = QListWidget(self)
        for item in items:
            errors = len(errors_of(item.findings + check(item.form)))
            text = f"工作表“{item.sheet}”：{item.form.project_name or '（未填项目名称）'}"
            text += f"（{errors} 个错误）" if errors else "（未发现错误）"
            QListWidgetItem(text, self.list)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        lay.addWidget(self.list)
        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton("打开所选", QDialogButtonBox.ButtonRole.AcceptRole)
        self.all_button = buttons.addButton("全部保存到文件夹…", QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.all_button.clicked.connect(self._all)
        lay.addWidget(buttons)

    def _all(self):
        self.save_all = True
        self.accept()

    def chosen(self) -> int:
        return max(self.list.currentRow(), 0)


def choose_form(session: FormSession, items: list[ImportedForm], book_name: str) -> tuple[int, bool] | None:
    """(index, save all?) or None when the clerk cancels.  Tests replace this function."""
    dlg = ChooseFormDialog(items, book_name, session.widget)
    if not dlg.exec():
        return None
    return dlg.chosen(), dlg.save_all


def _save_all(session: FormSession, items: list[ImportedForm]) -> list[Path] | None:
    folder = qt_words.existing_directory(
        session.widget, "选择保存自评表的文件夹", str(start_dir(session.current_path()))
    )
    if not folder:
        return None
    try:
        return save_imported([item.form for item in items], Path(folder))  # never replaces a form: 名称（2）
    except PartlySaved as e:
        log.warning("导入的表没有全部保存到 %s", folder, exc_info=True)
        QMessageBox.warning(session.widget, TITLE_IMPORT, str(e))
        return e.written
    except ClerkError as e:  # a name that cannot be written: nothing was written
        QMessageBox.warning(session.widget, TITLE_IMPORT, clerk_message(e))
        return []
    except FormFileError as e:
        QMessageBox.warning(session.widget, TITLE_IMPORT, str(e))
        return []


def _choose(session: FormSession, items: list[ImportedForm], book_name: str) -> tuple[int, list[Path]] | None:
    """The form to open, and the files written when the clerk saved them all; None when they cancel."""
    if len(items) <= 1:
        return 0, []
    choice = choose_form(session, items, book_name)
    if choice is None:
        return None
    index, save_all = choice
    if not save_all:
        return index, []
    saved = _save_all(session, items)
    return None if saved is None else (index, saved)


def _findings_text(item: ImportedForm) -> tuple[str, str]:
    """A short summary for the box and the full list for its details."""
    checks = check(item.form)
    lines = [f"[{LEVEL_LABELS[f.level]}] {f.where}：{f.message}" for f in item.findings + checks]
    errors = len(errors_of(item.findings + checks))
    head = f"发现 {errors} 个错误，共 {len(lines)} 条提示。" if lines else "未发现问题。"
    shown = lines[:SHOW_FINDINGS]
    if len(lines) > SHOW_FINDINGS:
        shown.append(f"……另有 {len(lines) - SHOW_FINDINGS} 条，见“详细信息”或窗口下方的检查结果。")
    return head + ("\n\n" + "\n".join(shown) if shown else ""), "\n".join(lines)


def read_workbook(session: FormSession, path: Path, template: str | None = None) -> list[ImportedForm] | None:
    """The forms of a workbook or Word document, read in a worker thread while a progress dialog with 取消 keeps
    the window alive.  None when the clerk cancelled; the import's own error is raised here, on the GUI thread.
    `template`: read with the template the clerk chose."""

    def work(progress: Progress) -> list[ImportedForm]:
        def step(_what: str) -> None:
            if progress.cancelled:
                raise ImportCancelled

        # with a template: everything read again with it; _with_template keeps only the sheets it asked about
        return import_document(path, step, template=template)

    return run_in_background(session.widget, TITLE_IMPORT, f"正在读取“{path.name}”……", work)


def ask_template(session: FormSession, choices: list[str], book_name: str) -> str | None:
    """The template to read a workbook naming no district with, the program's best guess first; None when the
    clerk cancels.  Tests replace this function (or action_support.choose)."""
    names = [get_template(t).name + ("（推荐）" if n == 0 else "") for n, t in enumerate(choices)]
    text = (
        f"“{book_name}”的表中没有写地区，以下 {len(choices)} 个模板都适用。\n"
        "请选择按哪个模板读取（一级、二级指标和评分规则按所选模板）："
    )
    n = action_support.choose(session.widget, TITLE_IMPORT, text, [*names, "取消"])
    return None if n is None else choices[n]


def _with_template(session: FormSession, path: Path, items: list[ImportedForm]) -> list[ImportedForm] | None:
    """The forms, the sheets that name no district read with the template the clerk picks when several fit
    (read again when it is not the program's guess); None when the clerk cancels."""
    choices = next((item.template_choices for item in items if len(item.template_choices) > 1), None)
    if choices is None:
        return items
    chosen = ask_template(session, choices, path.name)
    if chosen is None or chosen == choices[0]:
        return None if chosen is None else items
    again = read_workbook(session, path, chosen)
    if again is None:
        return None
    by_sheet = {item.sheet: item for item in again}  # only the sheets that were asked about are replaced
    return [by_sheet.get(item.sheet, item) if len(item.template_choices) > 1 else item for item in items]


def import_excel(session: FormSession, path: Path | None = None, title: str = TITLE_IMPORT) -> ImportedForm | None:
    """Import a workbook or a Word document (asked for when `path` is None, e.g. not dropped on the window): a
    自评表, or a 绩效目标申报表 made into this year's draft; let the clerk pick a form, open it.  Returns what was
    opened."""
    if path is None:
        start = remembered_dir(IMPORT_DIR) or start_dir(session.current_path())
        name = qt_words.open_file_name(session.widget, title, str(start), IMPORT_FILTER)
        if not name:
            return None
        path = Path(name)
        remember_dir(IMPORT_DIR, path.parent)  # the next 导入Excel starts where this one found its workbook
    try:
        items = read_workbook(session, path)
        items = None if items is None else _with_template(session, path, items)
    except Exception as e:  # nothing is opened or written; the clerk gets one sentence
        log.warning("没有导入 %s", path, exc_info=(type(e), e, e.__traceback__))
        show_error(session.widget, TITLE_IMPORT, "没有导入。", e, FAILED)
        return None
    if items is None:
        return None
    chosen = _choose(session, items, path.name)
    if chosen is None:
        return None
    index, saved = chosen
    if not session.ask_to_save():
        return None
    item = items[index]
    opened_path = saved[index] if len(saved) > index else None
    session.open_form(item.form, opened_path)
    summary, details = _findings_text(item)
    intro = f"已从“{path.name}”的“{item.sheet}”导入。"
    if item.form.approved is not None:
        intro = (
            f"已由绩效目标申报表“{path.name}”生成 {item.form.year} 年度自评表草稿：表头、预算数、年度目标和"
            "各项指标及年度指标值取自申报表；请填写执行数、实际完成值、得分和偏差原因。"
        )
    if saved:
        intro += f"\n{len(saved)} 张表已保存到“{saved[0].parent}”。"
    elif opened_path is None:
        intro += "\n导入的表尚未保存，请用“另存为”保存。"
    box = QMessageBox(QMessageBox.Icon.Information, TITLE_IMPORT, f"{intro}\n\n{summary}", parent=session.widget)
    if details:
        box.setDetailedText(details)
    _show(box)
    return item


def _show(box: QMessageBox) -> None:
    box.exec()


def default_xlsx_path(session: FormSession, draft: bool = False) -> Path:
    path = session.current_path()
    form = session.current_form()
    stem = Path(path).stem if path else safe_stem(form.project_name, tail=f"_{form.year}")
    folder = Path(path).parent if path else documents_dir()
    return folder / f"{draft_stem(stem, draft)}.xlsx"


def export_excel(session: FormSession) -> Path | None:
    """Check, ask where, write the workbook (final, or the draft the clerk chose).  Returns the path written,
    or None."""
    kind = choose_copy(session, TITLE_EXPORT)
    if kind is None:
        return None
    draft = kind == DRAFT
    out = qt_words.save_file_name(session.widget, TITLE_EXPORT, str(default_xlsx_path(session, draft)), XLSX_FILTER)
    if not out:
        return None
    out_path = Path(out)
    if out_path.suffix.lower() != ".xlsx":
        out_path = out_path.with_name(out_path.name + ".xlsx")
    form = session.current_form()
    try:
        with busy():
            export_xlsx([form], out_path, draft=draft)
    except Exception as e:  # the form stays as it is
        log.warning("Excel 没有导出到 %s", out_path, exc_info=True)
        show_error(session.widget, TITLE_EXPORT, "Excel 没有导出。", e, FAILED)
        return None
    notes = formula_notes(form)
    notes_text = ("\n\n" + "\n".join(notes)) if notes else ""
    kind_text = "草稿（页眉标有“草稿”，有差异的得分旁附批注）" if draft else ""
    QMessageBox.information(session.widget, TITLE_EXPORT, f"已导出 Excel{kind_text}：\n{out_path}{notes_text}")
    return out_path
