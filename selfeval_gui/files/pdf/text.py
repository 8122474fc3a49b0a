"""Clerk-typed text made safe for the PDF: glyphs the font lacks substituted, control characters left out.

Line breaks must stay line breaks; runs of spaces (clerks align "112人（上半年）     85人（下半年）" by hand) must
not collapse; a character the embedded font cannot draw (an emoji) becomes a visible □ and is reported, never a
crash and never a silently blank spot.  The form's PDF prints plain text (text(): pdf_textblock has no markup);
the 汇总表 still uses reportlab's Paragraph, whose markup must be escaped ("R&D" and "A<B>C" would break or
vanish): markup().
"""

from __future__ import annotations

import logging
import unicodedata

from selfeval_gui.files.pdf.fonts import FontChoice

log = logging.getLogger(__name__)

SUBSTITUTE = "□"


class TextPrep:
    """Prepares text for one font and remembers which characters had to be substituted."""

    def __init__(self, font: FontChoice):
        self.font = font
        self.missing: dict[str, None] = {}  # ordered set
        self._sub = SUBSTITUTE if font.has_char(SUBSTITUTE) else "?"
        self._nbsp = "&nbsp;" if font.has_char("\u00a0") else " "
        self._memo: dict[str, str | None] = {}

    def _char(self, ch: str) -> str | None:
        """The character to print for `ch`, or None to drop it."""
        try:
            return self._memo[ch]
        except KeyError:
            c = self._memo[ch] = self._decide(ch)
            return c

    def _decide(self, ch: str) -> str | None:
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat == "Cs":
            return None  # control characters and lone surrogates: nothing a clerk meant to print
        if self.font.has_char(ch):
            return ch
        if cat in ("Cf", "Mn", "Me"):
            return None  # zero-width joiners and variation selectors inside emoji sequences
        if ch not in self.missing:
            log.info("font %s has no glyph for U+%04X; printed as %s", self.font.label, ord(ch), self._sub)
        self.missing[ch] = None
        return self._sub

    def plain(self, text: str | None) -> str:
        """For canvas.drawString: substituted, no markup."""
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").replace("\n", " ")
        return "".join(c for c in (self._char(ch) for ch in text) if c is not None)

    def text(self, text: str | None) -> str:
        """For a cell of the form's PDF (pdf_textblock): substituted, line breaks kept, a tab as four spaces."""
        text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        return "\n".join(
            "".join(c for c in (self._char(ch) for ch in line) if c is not None) for line in text.split("\n")
        )

    def markup(self, text: str | None) -> str:
        """For Paragraph: escaped, line breaks kept, runs of spaces kept."""
        # html.escape(quote=False) escapes & < > exactly as xml.sax.saxutils.escape does; that module would load
        # urllib.request, http.client, email and ssl for it (10 ms, issue 12).  Only the 汇总表 needs it now.
        from html import escape as _html_escape

        text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
        out: list[str] = []
        prev_space = True  # leading spaces would be stripped by the line breaker: keep them as nbsp
        for ch in text:
            if ch == "\n":
                out.append("<br/>")
                prev_space = True
                continue
            if ch == " ":
                out.append(self._nbsp if prev_space else " ")
                prev_space = True
                continue
            c = self._char(ch)
            if c is None:
                continue
            out.append(_html_escape(c, quote=False))
            prev_space = False
        return "".join(out)

    def note(self) -> str | None:
        if not self.missing:
            return None
        shown = "".join(list(self.missing)[:8])
        return f"注意：字体“{self.font.label}”中没有 {len(self.missing)} 个字符（{shown}），PDF 中以“{self._sub}”代替。"
