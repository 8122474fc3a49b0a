"""编辑 › 复制 / 粘贴 / 清除内容 and their keys (Ctrl+C, Ctrl+V, Delete, Backspace) on the form's grids.

The keys act while a grid has the focus (in a text box they keep their usual meaning); the menu acts on the
text box that has the focus, else on the grid last used (cell_clipboard.py does the work).
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QMessageBox, QPlainTextEdit, QWidget

from selfeval_gui import APP_TITLE
from selfeval_gui.ui.form import cell_clipboard
from selfeval_gui.ui.form.document import FormDocument
from selfeval_gui.ui.form.form_sheet import FormSheet

TEXT_BOXES = (QLineEdit, QPlainTextEdit)


def _text_box() -> QLineEdit | QPlainTextEdit | None:
    """The text box being typed in (a field or an open cell editor), if any."""
    widget = QApplication.focusWidget()
    return widget if isinstance(widget, TEXT_BOXES) else None


class GridActions:
    """The three actions' slots for one window: its sheet (the grids), its document, where messages go."""

    def __init__(self, sheet: FormSheet, doc: FormDocument, parent: QWidget, say) -> None:
        self.sheet, self.doc, self.parent, self.say = sheet, doc, parent, say

    def _grid(self) -> QAbstractItemView:
        return self.sheet.active_grid()

    def _refused(self) -> bool:
        if self.doc.read_only:
            self.say(self.doc.refusal())
        return self.doc.read_only

    def copy(self) -> None:
        box = _text_box()
        if box is not None:
            box.copy()
            return
        text = cell_clipboard.copy_text(self._grid())
        QGuiApplication.clipboard().setText(text)
        cells = sum(len(row.split("\t")) for row in text.splitlines())
        self.say(f"已复制 {cells} 个单元格，可以粘贴到 Excel、WPS 或本表的其他格子。")

    def paste(self) -> None:
        box = _text_box()
        if box is not None:
            box.paste()
            return
        if self._refused():
            return
        text = QGuiApplication.clipboard().text()
        if not text:
            self.say("剪贴板里没有文字可以粘贴。")
            return
        result = cell_clipboard.paste_text(self._grid(), self.doc, text)
        self.say(result.sentence())
        if result.refused:
            shown = result.refused[:15] + (
                [f"……另有 {len(result.refused) - 15} 个"] if len(result.refused) > 15 else []
            )
            QMessageBox.warning(
                self.parent,
                APP_TITLE,
                result.sentence() + "\n\n下面这些值不符合该格的填写规则，没有记入，请改正后再填：\n" + "\n".join(shown),
            )

    def clear(self) -> None:
        box = _text_box()
        if isinstance(box, QLineEdit):
            box.clear()
            return
        if box is not None:
            box.selectAll()
            box.textCursor().removeSelectedText()
            return
        if self._refused():
            return
        n = cell_clipboard.clear_cells(self._grid(), self.doc)
        self.say(f"已清除 {n} 个单元格（Ctrl+Z 可撤销）。" if n else "所选的格子没有可以清除的内容。")
