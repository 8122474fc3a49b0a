"""The parsed PDF font is kept in the user cache folder: used when current, rebuilt when stale or damaged, and a
cache that cannot be written costs nothing but the parse (issue 12)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from selfeval_gui import paths
from selfeval_gui.files.pdf import font_cache, fonts

from .support import ROOT, SEED2


@pytest.fixture
def font_copy(tmp_path):
    """A copy of the machine's Chinese TrueType font, so its time stamp can be changed."""
    fonts._find_font.cache_clear()
    found = fonts.find_font()
    fonts._find_font.cache_clear()
    if not found.embedded or found.path is None:
        pytest.skip("no embeddable TrueType CJK font on this machine (CI installs fonts-wqy-microhei)")
    copy = tmp_path / "字体" / os.path.basename(found.path)
    copy.parent.mkdir()
    shutil.copyfile(found.path, copy)
    return str(copy), found.index


@pytest.fixture
def parses(monkeypatch):
    """Counts the times reportlab parses a font file."""
    calls = []
    real = font_cache.parse

    def counting(*a):
        calls.append(a)
        return real(*a)

    monkeypatch.setattr(font_cache, "parse", counting)
    return calls


def faces_equal(a, b) -> None:
    """The same face, read as reportlab reads it (a face from the cache makes some tables when first read)."""
    names = set(vars(a.face)) | set(vars(b.face))
    names -= {font_cache._DEFERRED_ATTR, font_cache._WIDTHS_ATTR}
    for k in names:
        x, y = getattr(a.face, k), getattr(b.face, k)
        if k in ("charToGlyph", "glyphPos"):  # searched in the stored arrays: read by key or index, ints staying ints
            keys = list(y.keys() if hasattr(y, "keys") else range(len(y)))
            assert len(x) == len(y) and sorted(x.keys() if hasattr(x, "keys") else range(len(x))) == sorted(keys)
            assert [(x[i], type(x[i])) for i in keys] == [(y[i], type(y[i])) for i in keys], k
            assert all(i in x for i in keys) if k == "charToGlyph" else True
        elif k == "_pdfScale":
            assert x(1234) == y(1234)
        elif k == "hmetrics":  # read by glyph: (advance, lsb), ints staying ints
            assert len(x) == len(y)
            assert [(p, tuple(map(type, p))) for p in x] == [(p, tuple(map(type, p))) for p in y]
            assert x[-1] == y[-1] and x[3:7] == list(y[3:7])
        else:
            assert x == y and type(x) is type(y), k
    assert set(vars(a)) == set(vars(b))
    widths = b.face.charWidths
    for face in (a.face, b.face):  # what our PDF measures with, and the widths of the embedded subset
        assert [font_cache.width_table(face).get(c) for c in widths] == list(widths.values())
        assert [face.getCharWidth(c) for c in (*widths, 0x10FFFF)] == [*widths.values(), b.face.defaultWidth]


def test_the_cache_lives_in_the_cache_folder_given_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(tmp_path / "缓存"))
    assert paths.user_cache_dir() == tmp_path / "缓存"
    assert font_cache.cache_file("/x/simsun.ttc", 0).parent == tmp_path / "缓存" / "fonts"


def test_without_the_variable_the_platformdirs_cache_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.CACHE_DIR_ENV)
    monkeypatch.delenv(paths.PORTABLE_ENV, raising=False)
    monkeypatch.setattr(paths, "user_cache_path", lambda app, appauthor: tmp_path / "平台缓存" / app)
    assert paths.user_cache_dir() == tmp_path / "平台缓存" / "SelfEval"
    monkeypatch.setenv(paths.PORTABLE_ENV, "1")
    monkeypatch.setattr(paths, "portable_dir", lambda: tmp_path / "userdata")
    assert paths.user_cache_dir() == tmp_path / "userdata" / "cache"


def test_the_second_load_reads_the_cache_and_gives_the_same_font(font_copy, parses):
    path, index = font_copy
    first = font_cache.load_ttfont("甲", path, index)
    assert len(parses) == 1 and font_cache.cache_file(path, index).is_file()
    second = font_cache.load_ttfont("乙", path, index)
    assert len(parses) == 1, "the cached font was parsed again"
    faces_equal(second, first)
    assert second.fontName == "乙"
    assert second.stringWidth("朝阳区项目支出绩效自评表", 9) == first.stringWidth("朝阳区项目支出绩效自评表", 9)


def test_a_stale_cache_is_rebuilt(font_copy, parses):
    path, index = font_copy
    font_cache.load_ttfont("甲", path, index)
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # the font was replaced
    font_cache.load_ttfont("乙", path, index)
    assert len(parses) == 2
    font_cache.load_ttfont("丙", path, index)
    assert len(parses) == 2, "the rebuilt cache was not written"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "bad-header", "trailing"])
def test_a_damaged_cache_is_ignored_and_rebuilt(font_copy, parses, damage):
    path, index = font_copy
    reference = font_cache.load_ttfont("甲", path, index)
    target = font_cache.cache_file(path, index)
    raw = target.read_bytes()
    target.write_bytes(
        {
            "garbage": os.urandom(4096),
            "truncated": raw[: len(raw) // 2],
            "empty": b"",
            "bad-header": raw[: len(font_cache.MAGIC) + 4] + b"{not json" + raw[len(font_cache.MAGIC) + 13 :],
            "trailing": raw + b"\0" * 8,
        }[damage]
    )
    again = font_cache.load_ttfont("乙", path, index)
    assert len(parses) == 2
    faces_equal(again, reference)
    font_cache.load_ttfont("丙", path, index)
    assert len(parses) == 2, "the damaged cache was not replaced"


def _cache_parts(target):
    """A cache file's bytes, where its JSON header starts and how long the header is."""
    raw = target.read_bytes()
    at = len(font_cache.MAGIC) + 4
    return raw, at, int.from_bytes(raw[len(font_cache.MAGIC) : at], "little")


def test_a_cache_that_names_values_of_another_shape_is_refused(font_copy, parses):
    """The cache is parsed, never executed: a header whose tables are not what was written is damage."""
    path, index = font_copy
    font_cache.load_ttfont("甲", path, index)
    target = font_cache.cache_file(path, index)
    raw, at, size = _cache_parts(target)
    header = raw[at : at + size].replace(b'"multimap"', b'"nonsense"')
    target.write_bytes(raw[: len(font_cache.MAGIC)] + len(header).to_bytes(4, "little") + header + raw[at + size :])
    font_cache.load_ttfont("乙", path, index)
    assert len(parses) == 2


def test_a_damaged_table_read_later_is_refused_when_the_cache_is_read(font_copy, parses):
    """glyphToChar is made only when first read: its damage must still be found when the cache is read, so that the
    font is parsed again then, never a failure in the middle of a PDF."""
    path, index = font_copy
    font_cache.load_ttfont("甲", path, index)
    target = font_cache.cache_file(path, index)
    raw, at, size = _cache_parts(target)
    header = raw[at : at + size]
    spec = header[header.index(b'"glyphToChar":') :]
    spec = spec[: spec.index(b"]]]") + 3]  # "glyphToChar":["multimap",[["q",keys],["q",counts],["q",chars]]]
    *head, chars = spec.split(b"],[")
    # the characters read as doubles of the same size: nothing is truncated, every count still adds up
    damaged = header.replace(spec, b"],[".join([*head, chars.replace(b'"q"', b'"d"')]))
    assert damaged != header and len(damaged) == len(header)
    target.write_bytes(raw[: len(font_cache.MAGIC)] + len(damaged).to_bytes(4, "little") + damaged + raw[at + size :])
    font = font_cache.load_ttfont("乙", path, index)
    assert len(parses) == 2
    assert font.face.glyphToChar


def test_a_cache_folder_that_cannot_be_written_is_harmless(font_copy, parses, tmp_path, monkeypatch):
    path, index = font_copy
    blocker = tmp_path / "只读"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(blocker / "缓存"))  # mkdir fails, even for root
    assert font_cache.load_ttfont("甲", path, index).face.charToGlyph
    assert font_cache.load_ttfont("乙", path, index).face.charToGlyph
    assert len(parses) == 2


def test_a_read_only_cache_folder_is_harmless(font_copy, parses, tmp_path, monkeypatch):
    path, index = font_copy
    folder = tmp_path / "只读缓存"
    (folder / "fonts").mkdir(parents=True)
    os.chmod(folder / "fonts", 0o555)
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(folder))

    def refused(*a, **k):  # root ignores the mode bits: refuse as Windows or a locked-down profile would
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(font_cache, "atomic_write_bytes", refused)
    try:
        assert font_cache.load_ttfont("甲", path, index).face.charToGlyph
        assert not any((folder / "fonts").iterdir())
    finally:
        os.chmod(folder / "fonts", 0o755)


def test_pdf_from_a_cached_font_reads_as_from_the_parsed_one(font_copy, tmp_path):
    """Two processes: the first parses and writes the cache, the second uses it; the clerk's PDFs agree."""
    path, index = font_copy
    env = dict(os.environ, SELFEVAL_PDF_FONT=f"{path}#{index}")
    texts = []
    for n in (1, 2):
        out = tmp_path / f"打印件{n}.pdf"
        r = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "export", str(SEED2), "--pdf", str(out), "--draft"],
            env=env,
            capture_output=True,
            cwd=tmp_path,
        )
        assert r.returncode in (0, 1), r.stderr.decode("utf-8", "replace")
        if n == 1:
            cached = font_cache.cache_file(path, index)
            assert cached.is_file()
            written = cached.stat().st_mtime_ns
        texts.append(
            subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True).stdout
            if shutil.which("pdftotext")
            else out.read_bytes()[:0]
        )
    assert font_cache.cache_file(path, index).stat().st_mtime_ns == written, "the cache was rebuilt needlessly"
    if shutil.which("pdftotext"):
        assert "城管以奖促治经费" in texts[1]
        assert texts[0].replace("打印件1", "").split("生成时间")[0] == texts[1].split("生成时间")[0]


def test_a_pdf_drawn_with_the_cached_font_is_byte_for_byte_the_one_drawn_with_the_parsed_font(font_copy, monkeypatch):
    """What pdftotext cannot see, the embedded subset (glyph widths from hmetrics, outlines from glyphPos), comes out
    the same from a cached face as from a parsed one."""
    import io

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    path, index = font_copy
    parsed = font_cache.load_ttfont("缓存对比", path, index)
    cached = font_cache.load_ttfont("缓存对比", path, index)
    assert type(cached.face) is not type(parsed.face), "the second font was not read from the cache"
    pdfs = []
    for font in (parsed, cached):
        # registerFont keeps the first font of a face name: the canvas is handed each one directly
        monkeypatch.setitem(pdfmetrics._fonts, "缓存对比", font)
        out = io.BytesIO()
        c = canvas.Canvas(out, invariant=1)
        c.setFont("缓存对比", 12)
        c.drawString(72, 700, "朝阳区项目支出绩效自评表（2020年度）R&D <测试> 100%，执行率59.62%")
        c.showPage()
        c.save()
        pdfs.append(out.getvalue())
    assert pdfs[0] == pdfs[1]


def test_a_cached_character_map_answers_as_a_dict_and_keeps_what_is_written(font_copy):
    """charToGlyph of a cached face is searched in the stored arrays; reportlab's shaping may add characters."""
    path, index = font_copy
    parsed = font_cache.load_ttfont("甲", path, index).face.charToGlyph
    cmap = font_cache.load_ttfont("乙", path, index).face.charToGlyph
    assert type(cmap) is not dict
    for code in (ord("朝"), ord("A"), 0x10FFFF, -1, "朝"):
        assert (code in cmap, cmap.get(code, "无")) == (code in parsed, parsed.get(code, "无"))
        assert code in cmap or pytest.raises(KeyError, cmap.__getitem__, code)
    cmap[0xE000] = 7  # a private-use character, as reportlab's shaping adds one
    assert 0xE000 in cmap and cmap[0xE000] == 7 and len(cmap) == len(parsed) + 1 and 0xE000 in list(cmap)
