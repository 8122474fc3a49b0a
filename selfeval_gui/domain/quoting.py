"""A value quoted in a message: at most a short excerpt, so a 100,000-character cell makes a sentence, not a
page (and a log line, not 300 KB)."""

from __future__ import annotations

QUOTE_CHARS = 40


def excerpt(value: object, limit: int = QUOTE_CHARS) -> str:
    """The value as text, without surrounding spaces, cut to `limit` characters with its length said."""
    text = str(value).strip()
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text):,} 个字符）"


def quoted(value: object, limit: int = QUOTE_CHARS) -> str:
    """“value”, or “the first characters…（共 N 个字符）” for a long one."""
    return f"“{excerpt(value, limit)}”"
