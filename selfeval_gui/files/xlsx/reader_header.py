"""The sheet's title, its header fields (项目名称, 主管部门 …), the 年度总体目标 and the sign-off line."""

from __future__ import annotations

import logging
import re

from selfeval_gui.domain.checks import INFO, WARNING, Place
from selfeval_gui.domain.form import Form
from selfeval_gui.domain.vocabulary import (
    GOAL_FIELDS,
    HEADER_FIELDS,
    SIGNOFF_FIELDS,
    TITLE_WORD,
)
from selfeval_gui.files.xlsx.guard import ImportCancelled as ImportCancelled
from selfeval_gui.files.xlsx.layout import (
    norm,
)
from selfeval_gui.files.xlsx.reader_cells import (
    _HEADER_WORDS,
    _SIGNOFF_WORDS,
    Cell,
    SheetCells,
    _split_fields,
)

log = logging.getLogger(__name__)


class SheetHeader(SheetCells):
    def title(self, top_end: int) -> tuple[str | None, int | None]:
        g = self.g
        hit = g.first(lambda t: TITLE_WORD in t, range(1, max(top_end, 2)))
        district = year = None
        if hit:
            # "朝阳区项目支出…", "朝阳区2020年度项目支出…": the place; a year alone before the title is no place
            before = norm(g.get(*hit)).split(TITLE_WORD)[0]
            district = re.sub(r"[（(]?\s*\d{4}\s*年\s*度?\s*[）)]?", "", before).strip(" 　：:") or None
        for (r, _c), v in sorted(g.values.items()):
            if r >= top_end or not isinstance(v, str):
                continue
            m = re.search(r"(\d{4})\s*年\s*度", norm(v))
            if m and 1990 <= int(m.group(1)) <= 2100:
                year = int(m.group(1))
                break
        if hit is None:
            self.add(INFO, None, None, f"没有找到标题“……{TITLE_WORD}”，地区按模板填写，请核对。", Place("header"))
        if year is None:
            self.add(WARNING, None, None, "没有找到“（xxxx年度）”，年度按模板填写，请核对。", Place("header"))
        return district, year

    def header(self, form: Form, top_end: int) -> None:
        g = self.g
        found: dict[str, str] = {}
        for r in range(1, top_end):
            texts = [g.text(r, c) for c in g.row_cells(r)]
            if any(any(norm(t).startswith(lb) for lb in _HEADER_WORDS) for t in texts):
                for k, v in _split_fields(texts, _HEADER_WORDS).items():
                    found.setdefault(k, v)
        for key, label in HEADER_FIELDS:
            if label not in found:
                self.add(WARNING, None, None, f"没有找到“{label}”，请在程序中补上。", Place("header", key))
            setattr(form, key, found.get(label, ""))

    def goals(self, form: Form, ind_head: Cell | None) -> None:
        g = self.g
        end = ind_head[0] if ind_head else g.max_row + 1
        for attr, label in GOAL_FIELDS:
            hit = g.first(lambda t, lb=label: t == lb, range(1, end))  # type: ignore[misc]
            if hit is None:
                self.add(WARNING, None, None, f"没有找到年度总体目标的“{label}”。", Place("goals", attr))
                continue
            r, c = hit
            c2 = g.right_edge(r, c)
            text = ""
            for rr in range(r + 1, min(r + 5, end)):
                vals = [g.text(rr, cc) for cc in g.row_cells(rr) if c <= cc <= c2]
                if vals:
                    text = vals[0]
                    break
            if not text:
                text = _split_fields([g.text(r, c)], (label,)).get(label, "")
            setattr(form, attr, text)

    def signoff(self, form: Form, start: int) -> None:
        g = self.g
        found: dict[str, str] = {}
        for r in range(start, g.max_row + 1):
            texts = [g.text(r, c) for c in g.row_cells(r)]
            if any(norm(t).startswith(lb) or f"{lb}:" in norm(t) for t in texts for lb in _SIGNOFF_WORDS):
                for k, v in _split_fields(texts, _SIGNOFF_WORDS).items():
                    found.setdefault(k, v)
        for key, label in SIGNOFF_FIELDS:
            setattr(form, key, found.get(label, ""))
