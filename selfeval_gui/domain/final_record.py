"""The 定稿 record and its seal: who finalized, when, with which content fingerprint, and the withdrawn 定稿s
before, chained.

The content fingerprint covers what the clerk filled in; the seal covers the record around it.  Each entry's
seal hashes its own fields with the seal of the entry before it, so editing 定稿人 or 定稿时间, or removing or
changing an entry of the history, in the file by hand no longer matches.  Like the fingerprint it is a hash,
not a signature: the program's code is public, and whoever recomputes the seals can forge a record.  It catches
the hand edit, not the forger (README, "What the fingerprint proves").

Entries written before seals existed carry none; they are accepted as they are (there is nothing to compare),
but once an entry is sealed, every entry after it must be sealed too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

SEAL_LENGTH = 16


def now_text() -> str:
    """The time of a 定稿 or 撤销定稿 as the record keeps it: local, ISO, to the second."""
    from datetime import datetime

    return datetime.now().isoformat(timespec="seconds")


@dataclass
class Finalization:
    """One 定稿: when (ISO date and time), by whom (the form's 填表人) and the content fingerprint then.

    revoked_at is set when the 定稿 was withdrawn (撤销定稿); the entry then moves to Form.history.
    """

    at: str
    by: str
    fingerprint: str
    revoked_at: str = ""
    seal: str = ""  # seal_of below: this entry's fields chained to the entry before it

    @property
    def shown_at(self) -> str:
        """ "2021-02-24T10:05:00" as a clerk reads it: 2021-02-24 10:05."""
        return self.at.replace("T", " ")[:16]


def seal_of(previous: str, fin: Finalization) -> str:
    """The seal of one entry, chained to the seal of the entry before it ("" for the first)."""
    import hashlib  # loading OpenSSL costs the window's start a few ms; a seal is needed at 定稿 and on reading one

    fields = [previous, fin.at, fin.by, fin.fingerprint, fin.revoked_at]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:SEAL_LENGTH]


def sealed(previous: str, fin: Finalization) -> Finalization:
    """The entry with its seal set."""
    return replace(fin, seal=seal_of(previous, fin))


def resealed(history: Sequence[Finalization]) -> list[Finalization]:
    """The history with every entry sealed anew, in order: the record as it stands is accepted (撤销定稿 of a
    form whose record was edited: the clerk has seen the warning and acts on it)."""
    out: list[Finalization] = []
    for fin in history:
        out.append(sealed(last_seal(out), fin))
    return out


def last_seal(history: Sequence[Finalization]) -> str:
    return history[-1].seal if history else ""


def record_intact(finalized: Finalization | None, history: Sequence[Finalization]) -> bool:
    """Whether the 定稿 record (the history, then the current 定稿) is as the program wrote it."""
    entries = [*history, *([finalized] if finalized else [])]
    previous, seen_seal = "", False
    for fin in entries:
        if fin.seal:
            if fin.seal != seal_of(previous, fin):
                return False
            seen_seal = True
        elif seen_seal:
            return False  # an unsealed entry after a sealed one: the program never writes that
        previous = fin.seal
    return True
