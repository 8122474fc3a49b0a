"""文件 › 安装规则集或模板…: pick a rule-set or template file a finance bureau sent, validate it, install it.

files/rule_files.py does the work (schema check, copy into the user data folder); here the clerk picks the file
and reads the outcome in one box.  The open form is scored again: a rule set it was missing takes effect now.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from selfeval_gui import APP_TITLE
from selfeval_gui.files.rule_files import InstallError, install
from selfeval_gui.ui.common import qt_words
from selfeval_gui.ui.common.action_support import busy, last_dir, start_dir
from selfeval_gui.ui.form.session import FormSession

log = logging.getLogger(__name__)

TITLE = "安装规则集或模板"
FILTER = "规则集或模板 (*.json);;所有文件 (*)"


def choose_and_install(session: FormSession, path: Path | None = None) -> bool:
    """Ask for the file (unless given), install it and say what happened; True when installed."""
    if path is None:
        name = qt_words.open_file_name(session.widget, TITLE, str(start_dir(None, last_dir())), FILTER)
        if not name:
            return False
        path = Path(name)
    try:
        with busy():
            done = install(path)
    except InstallError as e:
        QMessageBox.warning(session.widget, TITLE, f"没有安装“{path.name}”。\n\n{e}")
        return False
    verb = "已更新" if done.replaced else "已安装"
    text = f"{verb}{done.kind_word}“{done.name}”（{done.id}）。"
    if done.kind == "templates":
        text += "\n\n新建自评表时可以选择这个模板。"
    else:
        text += "\n\n使用这个规则集的自评表会按它计算。"
    session.doc.recalculate()  # a rule set the open form was missing is there now
    QMessageBox.information(session.widget, APP_TITLE, text)
    return True
