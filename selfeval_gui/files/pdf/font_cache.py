"""The parsed PDF font, kept between runs so that only the first PDF of a font pays for reading it.

reportlab's TTFont reads the whole TrueType file (cmap, widths, glyph offsets) every time a process registers
it: 70–100 ms for a Chinese font here, several times that on an office PC whose antivirus scans what Python
opens.  What that parse produces is plain numbers, names and tables, so it is written once to the user cache
folder (paths.user_cache_dir(), SELFEVAL_CACHE_DIR in tests) and read back next time; the font file's bytes
themselves are read from the font file as before (the subset embedded in the PDF is cut from them).

The format is our own (below): a small JSON header and arrays of numbers.  Not pickle or marshal: a cache file
is data anyone with write access to the folder could swap, and pickle would run whatever such a file says;
here every value is only parsed and checked to be of the shape written.

A cache entry is used only when it was written for the same font file (path and face index), the same size and
modification time, the same reportlab and the same cache format.  Anything else — stale, damaged, unreadable,
of a different shape — is ignored and the font parsed again; a cache that cannot be written (read-only folder,
full disk) is not kept.  None of this ever fails a PDF.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any, overload
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from selfeval_gui.files.atomic import atomic_write_bytes
from selfeval_gui.paths import user_cache_dir
from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)
MAX_FONT_BYTES = 256 * 1024 * 1024  # the largest CJK font collections are under 100 MB

FORMAT = 2  # 2: int-keyed tables written in ascending key order (_SortedMap)
SUBDIR = "fonts"
# Attributes of the parsed face not stored: the file's bytes (read from the font itself) and a function.
_NOT_STORED = ("_ttf_data", "_pdfScale")
_JSON = (str, int, float, bool, type(None))


def cache_folder() -> Path:
    """Where the parsed fonts (and fonts.py's remembered choice of font) are kept."""
    return user_cache_dir() / SUBDIR


def cache_file(path: str, index: int) -> Path:
    digest = hashlib.sha1(f"{os.path.abspath(path)}#{index}".encode()).hexdigest()[:20]
    return cache_folder() / f"{digest}.bin"


def _key(path: str, index: int) -> dict[str, Any]:
    st = os.stat(path)
    return {
        "format": FORMAT,
        "reportlab": REPORTLAB_VERSION,
        "path": os.path.abspath(path),
        "index": index,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "byteorder": sys.byteorder,
    }


def load_ttfont(name: str, path: str, index: int) -> Any:
    """reportlab's TTFont for `path` (face `index` of a .ttc), from the cache when it is current.

    Raises what TTFont raises for a font reportlab cannot use (those are never cached)."""
    try:
        key = _key(path, index)
    except OSError:
        return parse(name, path, index)  # let reportlab report the missing file its own way
    target = cache_file(path, index)
    font = _from_cache(name, path, key, target)
    if font is not None:
        return font
    font = parse(name, path, index)
    _store(font, key, target)
    return font


def parse(name: str, path: str, index: int) -> Any:
    """reportlab reading the whole font file: what the cache saves."""
    return TTFont(name, path, subfontIndex=index)


# ------------------------------------------------------------------ the file
# MAGIC, the header's length (4 bytes, little-endian), the header (UTF-8 JSON: the key, the small attributes in
# the tagged JSON below, and for each large table its shape and the typecodes and lengths of its arrays), then
# the arrays' bytes one after another.  Large tables are arrays of 8-byte integers or doubles read with
# array.frombytes: JSON for 50,000 glyphs would take as long to read as the font itself.

MAGIC = b"SELFEVAL-FONTCACHE\n"
_INT, _FLOAT, _MIXED = "q", "d", "n"  # "n": ints and floats mixed (reportlab's hmetrics), doubles + int flags
_EXACT = 2**53


def _typecode(values: list[Any]) -> str | None:
    if all(type(x) is int for x in values):
        return _INT
    if all(type(x) is float for x in values):
        return _FLOAT
    if all(type(x) is float or (type(x) is int and -_EXACT < x < _EXACT) for x in values):
        return _MIXED
    return None


def _to_bytes(code: str, values: list[Any]) -> bytes:
    if code == _MIXED:
        return array(_FLOAT, values).tobytes() + bytes(type(x) is int for x in values)
    return array(code, values).tobytes()


class _Column:
    """One stored array: its numbers as written (ints stay ints, floats floats, in a mixed array too)."""

    def __init__(self, values: array[Any], flags: bytes | None) -> None:
        self.values = values
        self.flags = flags  # for a mixed array: which doubles were ints

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, i: int) -> Any:
        v = self.values[i]
        # a damaged cache may hold inf or nan where an int was: kept as a float rather than failing the PDF
        return int(v) if self.flags is not None and self.flags[i] and v.is_integer() else v

    def numbers(self) -> Sequence[Any]:
        """The numbers to iterate once: the array itself when nothing needs converting (a dict is then made
        straight from it, 35,000 entries twice as fast as through a list first)."""
        return self.values if self.flags is None else self.tolist()

    def tolist(self) -> list[Any]:
        values = self.values.tolist()
        if self.flags is None:
            return values
        return [int(v) if f else v for v, f in zip(values, self.flags, strict=True)]


def _column(code: str, raw: bytes, at: int, length: int) -> tuple[_Column, int]:
    """The array starting at `at`, and where the next one starts."""
    a = array(_FLOAT if code == _MIXED else code)
    end = at + length * a.itemsize
    flags_end = end + (length if code == _MIXED else 0)
    if flags_end > len(raw):
        raise ValueError("truncated")
    a.frombytes(memoryview(raw)[at:end])  # no copy of the slice first
    return _Column(a, raw[end:flags_end] if code == _MIXED else None), flags_end


# Tables not turned into Python dicts and lists when the cache is read.  Making 35,000–50,000 Python ints, tuples
# and dict entries per table was 20 ms of every PDF process (issue 12), and a one-form PDF reads a few hundred
# entries of each:
# - hmetrics (advance, lsb per glyph): read for the glyphs a PDF embeds, one pair at a time (_Pairs);
# - glyphPos (where each glyph's outline starts): read the same way, served as the stored array of ints;
# - charToGlyph (character → glyph): reportlab reads it with `in` and [] only (splitString, the subset, State),
#   so it is served by _SortedMap, a binary search in the stored keys (written in ascending order);
# - charWidths: reportlab's C stringWidth (rl_accel) insists on a real dict, so it is built whole when first read;
#   our own PDF measures text through width_table() instead, the same binary search, and never needs it;
# - glyphToChar: only read by reportlab's text shaping, which our PDF never uses (built whole on first use).
_DEFERRED = {"glyphToChar": "multimap", "hmetrics": "pairs", "charWidths": "map"}  # made when first read
_SEARCHED = {"charToGlyph": "map", "glyphPos": "list"}  # served by the stored arrays
_DEFERRED_ATTR = "_selfeval_deferred"
_WIDTHS_ATTR = "_selfeval_widths"  # charWidths as a _SortedMap, for width_table()


class _Pairs(Sequence[tuple[Any, Any]]):
    """hmetrics as reportlab reads it (hmetrics[glyph] -> (advance, lsb)), each pair made when it is read."""

    def __init__(self, first: _Column, second: _Column) -> None:
        if len(first) != len(second):
            raise ValueError("pairs of unequal length")
        self.first, self.second = first, second

    def __len__(self) -> int:
        return len(self.first)

    @overload
    def __getitem__(self, i: int) -> tuple[Any, Any]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[Any, Any]]: ...

    def __getitem__(self, i: int | slice) -> tuple[Any, Any] | list[tuple[Any, Any]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        return self.first[i], self.second[i]


_ABSENT, _UNSEEN = object(), object()  # markers no table holds


class _SortedMap(MutableMapping[int, Any]):
    """An int-keyed table read by binary search in its stored keys (ascending), its values read from the stored
    array when asked for; each key asked for is remembered (`_seen`), so that many PDFs in one process pay the
    search once per character.  A key written later (reportlab's shaping adds private-use characters) is kept
    beside.  A damaged order would only make a lookup miss (the character then counts as one the font lacks): never
    a failure, and the characters of the form's title are checked when the font is registered (fonts.PROBE_TEXT)."""

    def __init__(self, keys: _Column, values: _Column) -> None:
        if len(keys) != len(values) or keys.values.typecode != _INT or keys.flags is not None:
            raise ValueError("bad sorted map")
        self._keys, self._values = keys.values, values
        self._seen: dict[Any, Any] = {}  # key -> value or _ABSENT, the written keys too
        self._added: dict[int, Any] = {}

    def _find(self, key: Any) -> Any:
        value = self._seen.get(key, _UNSEEN)
        if value is _UNSEEN:
            value = _ABSENT
            if type(key) is int:
                i = bisect_left(self._keys, key)
                if i < len(self._keys) and self._keys[i] == key:
                    value = self._values[i]
            self._seen[key] = value
        return value

    def __getitem__(self, key: int) -> Any:
        value = self._find(key)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return self._find(key) is not _ABSENT

    def get(self, key: int, default: Any = None) -> Any:  # Mapping's get, faster
        value = self._find(key)
        return default if value is _ABSENT else value

    def __setitem__(self, key: int, value: Any) -> None:
        self._added[key] = self._seen[key] = value

    def __delitem__(self, key: int) -> None:
        raise TypeError("a cached font table keeps its characters")

    def _stored(self, key: int) -> bool:
        i = bisect_left(self._keys, key)
        return i < len(self._keys) and self._keys[i] == key

    def __iter__(self) -> Iterator[int]:
        yield from (k for k in self._keys if k not in self._added)
        yield from self._added

    def __len__(self) -> int:
        return len(self._keys) + sum(1 for k in self._added if not self._stored(k))


def width_table(face: Any) -> Any:
    """The face's advance widths (character code → thousandths of the size) for lookups of single characters:
    charWidths once it exists; before, a cached face's searched table, which spares building that dict (3 ms);
    None for a font without one (the built-in CID font)."""
    attrs = getattr(face, "__dict__", {})
    lazy = attrs.get(_WIDTHS_ATTR)
    return lazy if lazy is not None and "charWidths" not in attrs else getattr(face, "charWidths", None)


def _deferred_table(shape: str, columns: list[_Column]) -> Callable[[], Any]:
    """What makes the table when it is first read.  Everything that can be wrong with it is checked now: a
    damaged cache is refused here, never in the middle of a PDF."""
    if shape == "pairs" and len(columns) == 2:
        pairs = _Pairs(columns[0], columns[1])
        return lambda: pairs
    if shape == "map" and len(columns) == 2:
        if len(columns[0]) != len(columns[1]):
            raise ValueError("bad map")
        keys, values = columns
        return lambda: dict(zip(keys.numbers(), values.numbers(), strict=True))
    if shape == "multimap" and len(columns) == 3:
        keys, counts, flat = columns
        if (
            any(c.values.typecode != _INT for c in columns)
            or len(keys) != len(counts)
            or sum(counts.values) != len(flat)
            or min(counts.values, default=0) < 0
        ):
            raise ValueError("bad multimap")  # written as three arrays of ints: anything else is damage
        return lambda: _join(shape, [c.tolist() for c in columns])
    raise ValueError(f"bad table shape {shape!r}")


def _searched_table(columns: list[_Column]) -> Any:
    """charToGlyph as a _SortedMap, glyphPos as its stored array (ints)."""
    if len(columns) == 2:
        return _SortedMap(columns[0], columns[1])
    if len(columns) == 1:
        return columns[0].values if columns[0].values.typecode == _INT else columns[0].tolist()
    raise ValueError("bad table")


def _split_list(v: list[Any]) -> tuple[str, list[tuple[str, list[Any]]]] | None:
    if all(type(x) is tuple and len(x) == 2 for x in v):
        firsts, seconds = [x[0] for x in v], [x[1] for x in v]
        codes = (_typecode(firsts), _typecode(seconds))
        if codes[0] and codes[1]:
            return "pairs", [(codes[0], firsts), (codes[1], seconds)]
    code = _typecode(v)
    return ("list", [(code, v)]) if code else None


def _split_map(v: dict[int, Any]) -> tuple[str, list[tuple[str, list[Any]]]] | None:
    keys = sorted(v)  # ascending: _SortedMap searches them
    values = [v[k] for k in keys]
    code = _typecode(values)
    if code:
        return "map", [(_INT, keys), (code, values)]
    if not all(type(x) is list for x in values):
        return None
    flat = [y for x in values for y in x]
    code = _typecode(flat)
    return ("multimap", [(_INT, keys), (_INT, [len(x) for x in values]), (code, flat)]) if code else None


def _split(v: Any) -> tuple[str, list[tuple[str, list[Any]]]] | None:
    """A large table as (shape, [(typecode, values), ...]), or None when it is kept in the JSON header."""
    if isinstance(v, list) and len(v) > 64:
        return _split_list(v)
    if isinstance(v, dict) and len(v) > 64 and all(type(k) is int for k in v):
        return _split_map(v)
    return None


def _encode(key: dict[str, Any], attrs: dict[str, Any]) -> bytes:
    small: dict[str, Any] = {}
    tables: dict[str, Any] = {}
    blobs: list[bytes] = []
    for name, value in attrs.items():
        split = _split(value)
        if split is None:
            small[name] = value
            continue
        shape, arrays = split
        tables[name] = [shape, [[code, len(values)] for code, values in arrays]]
        blobs.extend(_to_bytes(code, values) for code, values in arrays)
    header = json.dumps(
        {"key": key, "small": _pack(small), "tables": tables}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return MAGIC + len(header).to_bytes(4, "little") + header + b"".join(blobs)


def _decode(raw: bytes, key: dict[str, Any]) -> dict[str, Any] | None:
    """The face's attributes, None when the file was written for another font or version; ValueError when
    it is damaged."""
    if not raw.startswith(MAGIC):
        raise ValueError("not a font cache")
    at = len(MAGIC) + 4
    size = int.from_bytes(raw[len(MAGIC) : at], "little")
    head = json.loads(raw[at : at + size].decode("utf-8"))
    if not isinstance(head, dict) or head.get("key") != key:
        return None
    attrs = _unpack(head["small"])
    tables = head["tables"]
    if not isinstance(attrs, dict) or not isinstance(tables, dict):
        raise ValueError("bad header")
    at += size
    deferred: dict[str, Any] = {}
    for name, (shape, specs) in tables.items():
        columns = []
        for code, length in specs:
            if code not in (_INT, _FLOAT, _MIXED) or type(length) is not int or length < 0:
                raise ValueError("bad array")
            column, at = _column(code, raw, at, length)
            columns.append(column)
        if _DEFERRED.get(name) == shape:
            deferred[name] = _deferred_table(shape, columns)
            if name == "charWidths":
                attrs[_WIDTHS_ATTR] = _SortedMap(columns[0], columns[1])
        elif _SEARCHED.get(name) == shape:
            attrs[name] = _searched_table(columns)
        else:
            attrs[name] = _join(shape, [c.numbers() if shape in ("map", "pairs") else c.tolist() for c in columns])
    if at != len(raw):
        raise ValueError("trailing bytes")
    if deferred:
        attrs[_DEFERRED_ATTR] = deferred
    return attrs


def _join(shape: str, arrays: list[Sequence[Any]]) -> Any:
    if shape == "list" and len(arrays) == 1:
        return arrays[0]
    if shape == "pairs" and len(arrays) == 2:
        return list(zip(arrays[0], arrays[1], strict=True))
    if shape == "map" and len(arrays) == 2:
        return dict(zip(arrays[0], arrays[1], strict=True))
    if shape == "multimap" and len(arrays) == 3:
        keys, counts, flat = arrays
        if len(keys) != len(counts) or sum(counts) != len(flat) or min(counts, default=0) < 0:
            raise ValueError("bad multimap")
        out, pos = {}, 0
        for k, n in zip(keys, counts, strict=True):
            out[k] = flat[pos : pos + n]
            pos += n
        return out
    raise ValueError(f"bad table shape {shape!r}")


# ------------------------------------------------------------------ reading


def _from_cache(name: str, path: str, key: dict[str, Any], target: Path) -> Any:
    try:
        raw = read_regular(target, MAX_FONT_BYTES)
    except OSError:
        return None  # no cache yet (or an unreadable one): parse
    try:
        attrs = _decode(raw, key)
        if attrs is None:
            log.info("font cache %s is stale; the font is parsed again", target)
            return None
        data = read_regular(path, MAX_FONT_BYTES)
        if len(data) != key["size"]:
            return None  # changed between stat and read
        return _font(name, attrs, data)
    except (ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError, OverflowError):
        log.info("font cache %s is damaged; the font is parsed again", target, exc_info=True)
        return None


class _CachedFace(TTFontFace):  # type: ignore[misc]  # reportlab has no type hints
    """A face read back from the cache: the tables in _DEFERRED are made when reportlab first reads them."""

    def __getattr__(self, name: str) -> Any:  # only for attributes not (yet) set
        make = self.__dict__.get(_DEFERRED_ATTR, {}).get(name)
        if make is None:
            raise AttributeError(name)
        value = make()  # two threads reading it first at once both make it: the same values
        setattr(self, name, value)
        return value

    def getCharWidth(self, code: int) -> Any:  # reportlab's, for the widths of the embedded subset
        return width_table(self).get(code, self.defaultWidth)

    def get_table(self, tag: str) -> Any:
        """reportlab's: a table's bytes.  The subset reads the glyf table (most of the file, 4 MB for a Chinese
        font) only by slices of one glyph each, yet copied it whole for every subset: 1.5 ms each."""
        if tag == "glyf":
            pos, length = self.get_table_pos(tag)
            return _TableSlices(self._ttf_data, pos, length)
        return super().get_table(tag)


class _TableSlices:
    """A table of the font file read only by slices: table[a:b] is the bytes of that range."""

    __slots__ = ("_data", "_start", "_length")

    def __init__(self, data: bytes, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, part: slice) -> bytes:
        if not isinstance(part, slice) or part.step not in (None, 1):
            raise TypeError("a font table is read by slices")
        a, b, _ = part.indices(self._length)
        return self._data[self._start + a : self._start + max(a, b)]


def _font(name: str, attrs: dict[str, Any], data: bytes) -> Any:
    """A TTFont built from stored attributes, as TTFont.__init__ would have built it from the file."""
    for needed in ("charToGlyph", "charWidths", "hmetrics", "glyphPos", "table", "name", "unitsPerEm"):
        if needed not in attrs and needed not in attrs.get(_DEFERRED_ATTR, {}):
            raise KeyError(needed)
    units = attrs["unitsPerEm"]
    if type(units) is not int or units <= 0:
        raise ValueError("unitsPerEm")
    face = _CachedFace.__new__(_CachedFace)
    pdfmetrics.TypeFace.__init__(face, None)
    face.__dict__.update(attrs)
    face._ttf_data = data
    factor = 1000 / units
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x: x * factor)
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = False  # our PDF never shapes text (and uharfbuzz is not shipped)
    return font


# ------------------------------------------------------------------ writing


def _store(font: Any, key: dict[str, Any], target: Path) -> None:
    attrs = {k: v for k, v in vars(font.face).items() if k not in _NOT_STORED}
    try:
        body = _encode(key, attrs)
    except (TypeError, ValueError, OverflowError):
        log.info("font %s holds values the cache cannot store; not cached", key["path"], exc_info=True)
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, body, backup=False, retries=1)
    except OSError as e:  # a read-only or full cache folder costs the next PDF the parse, nothing more
        log.info("font cache not written to %s: %s", target, e)


# ------------------------------------------------------------------ tagged JSON for the small attributes
# Plain JSON plus a few tagged objects: {"b": base64} bytes, {"n": text} a font name (TTFNameBytes),
# {"t": [...]} a tuple, {"T": [[...], ...]} a list of tuples, {"i": [keys], "v": [values]} a dict with int keys,
# {"d": {...}} a dict with text keys.


def _pack(v: Any) -> Any:
    if isinstance(v, TTFNameBytes):
        return {"n": v.ustr}
    if isinstance(v, bytes):
        return {"b": base64.b64encode(v).decode("ascii")}
    if isinstance(v, _JSON):
        return v
    if isinstance(v, tuple):
        return {"t": [_pack(x) for x in v]}
    if isinstance(v, list):
        if v and all(type(x) is tuple for x in v):
            return {"T": [[_pack(y) for y in x] for x in v]}
        return [_pack(x) for x in v]
    if isinstance(v, dict):
        if all(type(k) is int for k in v):
            return {"i": list(v), "v": [_pack(x) for x in v.values()]}
        if all(type(k) is str for k in v):
            return {"d": {k: _pack(x) for k, x in v.items()}}
    raise TypeError(f"cannot cache a {type(v).__name__}")


def _plain(values: list[Any]) -> bool:
    return all(type(x) in (int, float, str) for x in values)


def _int_keyed(v: dict[str, Any]) -> dict[int, Any]:
    keys, values = v["i"], v["v"]
    if (
        not isinstance(keys, list)
        or not isinstance(values, list)
        or len(keys) != len(values)
        or not all(type(k) is int for k in keys)
    ):
        raise ValueError("bad int-keyed mapping")
    return dict(zip(keys, values if _plain(values) else map(_unpack, values), strict=True))


def _plain_tuples(body: list[Any]) -> list[tuple[Any, ...]]:
    if not all(isinstance(x, list) and _plain(x) for x in body):
        raise ValueError("unknown cached value 'T'")
    return [tuple(x) for x in body]


# a tagged value {tag: body}: the body's type, and what it is read back as (the reverse of _pack)
_TAGGED: dict[str, tuple[type, Callable[[Any], Any]]] = {
    "n": (str, lambda body: TTFNameBytes(body.encode("utf-8"))),
    "b": (str, lambda body: base64.b64decode(body, validate=True)),
    "t": (list, lambda body: tuple(_unpack(x) for x in body)),
    "T": (list, _plain_tuples),
    "d": (dict, lambda body: {k: _unpack(x) for k, x in body.items()}),
}


def _unpack(v: Any) -> Any:
    if isinstance(v, _JSON):
        return v
    if isinstance(v, list):
        return list(v) if _plain(v) else [_unpack(x) for x in v]
    if not isinstance(v, dict) or len(v) not in (1, 2):
        raise ValueError("not a cached value")
    if "i" in v:
        return _int_keyed(v)
    ((tag, body),) = v.items()
    if tag not in _TAGGED or not isinstance(body, _TAGGED[tag][0]):
        raise ValueError(f"unknown cached value {tag!r}")
    return _TAGGED[tag][1](body)
