"""What the Excel export and import share beyond the form's own words (those are domain.vocabulary's): the hidden
metadata sheet, the vocabulary's labels as narrow cells break them over lines, how a label is compared, the
template's placeholder rows, legal sheet names.

The import finds the table by the vocabulary's labels, never by fixed cell addresses, so those words are the
contract between a workbook and the program.
"""

from __future__ import annotations

import io
import logging
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from selfeval_gui.domain.vocabulary import (
    ACTUAL,
    FUNDS_SECTION,
    FUNDS_UNIT,
    GRADE_COLUMN,
    INDICATORS_SECTION,
    TARGET,
)
from selfeval_gui.files.atomic import atomic_write_bytes
from selfeval_gui.files.errors import ClerkError
from selfeval_gui.files.reading import write_failure

log = logging.getLogger(__name__)

# A hidden sheet where the export records, per form sheet, the rule set and template the paper does not show.
META_SHEET = "_selfeval"
META_HEADER = ("工作表", "规则集", "模板", "格式版本", "总分行填写的分值", "总分行填写的得分")
META_VERSION = 1


def _broken(word: str, at: int) -> str:
    """A label set on two lines to fit a narrow column: 年度指标值 -> 年度\\n指标值."""
    return word[:at] + "\n" + word[at:]


# The vocabulary's words as the workbook's narrow cells show them; the import folds the line breaks away (norm).
FUNDS_HEADING = f"{FUNDS_SECTION}\n{FUNDS_UNIT}"  # 项目资金\n（万元）
INDICATORS_HEADING = "\n".join(INDICATORS_SECTION)  # 绩\n效\n指\n标, written down the first column
TARGET_HEADING = _broken(TARGET, 2)  # 年度\n指标值
ACTUAL_HEADING = _broken(ACTUAL, 2)  # 实际\n完成值
# Column J, outside the print area: the clerk's grade for a qualitative indicator.
GRADE_HEADER = f"{GRADE_COLUMN}（定性指标，不打印）"

_SPACE_RE = re.compile(r"\s+")
# "指标1：协管人数" -> "协管人数"; the paper numbers the clerk's rows.
_PREFIX_RE = re.compile(r"^\s*指标\s*\d+\s*[:：.．、]?\s*")
_ELLIPSIS = {"", "…", "……", "...", "......", "。。。", "．．．"}
_SHEET_BAD = re.compile(r"[\[\]:*?/\\：]")
# Characters an .xlsx cannot hold (XML 1.0 refuses them; openpyxl raises IllegalCharacterError): C0 controls
# other than tab, line feed and carriage return.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_controls(text: str) -> str:
    """Text a workbook can hold: the control characters removed."""
    return CONTROL_RE.sub("", text)


def norm(text: object) -> str:
    """A label as compared: full-width folded, all whitespace and trailing colons gone."""
    t = unicodedata.normalize("NFKC", "" if text is None else str(text))
    return _SPACE_RE.sub("", t).rstrip(":")


def strip_indicator_prefix(name: str) -> str:
    return _PREFIX_RE.sub("", name or "", count=1).strip()


def is_placeholder_name(name: str) -> bool:
    """ "指标2：", "指标2" and "……" rows are the template's empty lines, not the clerk's indicators."""
    return norm(strip_indicator_prefix(name)) in _ELLIPSIS


def sheet_title(name: str, used: set[str], n: int) -> str:
    """A legal, unique sheet name (≤ 31 characters, none of []:*?/\\) from the project name."""
    base = _SHEET_BAD.sub("_", without_controls(name or "").strip()).strip("'") or f"表{n + 1}"
    base = base[:31]
    title, k = base, 2
    while title.lower() in {u.lower() for u in used} or title == META_SHEET:
        suffix = f"({k})"
        title = base[: 31 - len(suffix)] + suffix
        k += 1
    used.add(title)
    return title


def save_workbook(wb: Any, path: str | os.PathLike[str], error: type[ClerkError]) -> None:
    """Write an openpyxl workbook to `path` atomically; `error` with the clerk's sentence when it cannot be
    written (the old file, if any, is then untouched)."""
    buf = io.BytesIO()
    wb.save(buf)
    try:
        atomic_write_bytes(path, buf.getvalue(), backup=False)
    except OSError as e:
        log.warning("could not write %s", path, exc_info=True)
        raise error(write_failure(Path(path), e, "Excel 或 WPS")) from None
