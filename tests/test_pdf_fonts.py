"""Font search for the PDF: configured font first, CFF refused, STSong-Light fallback with a note."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from selfeval_gui.files.pdf import fonts
from selfeval_gui.files.pdf.form_pdf import write_pdf


@pytest.fixture(autouse=True)
def fresh_search(monkeypatch):
    monkeypatch.delenv(fonts.FONT_ENV, raising=False)
    fonts._find_font.cache_clear()
    yield
    fonts._find_font.cache_clear()


def system_font():
    f = fonts.find_font()
    if not f.embedded:
        pytest.skip("no embeddable TrueType CJK font on this machine (CI installs fonts-wqy-microhei)")
    return f


def no_system_fonts(monkeypatch):
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "fontconfig_candidates", lambda: [])
    monkeypatch.setattr(fonts, "KNOWN_PATHS", ())


def test_configured_font_wins_by_parameter_and_by_env(monkeypatch):
    found = system_font()
    spec = f"{found.path}#{found.index}"
    chosen = fonts.find_font(spec)
    assert chosen.source == "configured" and chosen.path == found.path and chosen.notes == ()
    fonts._find_font.cache_clear()
    monkeypatch.setenv(fonts.FONT_ENV, found.path)
    assert fonts.find_font().source == "configured"


def test_a_configured_font_that_is_missing_is_reported(monkeypatch):
    system_font()
    monkeypatch.setenv(fonts.FONT_ENV, "/没有/这个字体.ttf")
    chosen = fonts.find_font()
    assert chosen.embedded and chosen.source != "configured"
    assert any("/没有/这个字体.ttf" in n and "不存在" in n for n in chosen.notes)


def test_cff_fonts_are_refused():
    """reportlab cannot embed OpenType/CFF outlines (most Noto CJK builds): such a font is skipped."""
    fc = shutil.which("fc-list")
    if not fc:
        pytest.skip("no fontconfig")
    out = subprocess.run([fc, "-f", "%{file}\t%{fontformat}\n"], capture_output=True, text=True).stdout
    cff = [line.split("\t")[0] for line in out.splitlines() if line.endswith("\tCFF")]
    if not cff:
        pytest.skip("no CFF font installed")
    rejected: list[str] = []
    assert fonts._try(cff[0], 0, "configured", rejected) is None
    assert rejected and ("OpenType/CFF" in rejected[0] or "中文字形" in rejected[0])


def test_fontconfig_list_keeps_truetype_only(monkeypatch):
    listing = (
        "/f/NotoSansCJK-Regular.ttc\t0\tCFF\n/f/wqy-microhei.ttc\t1\tTrueType\n"
        "/f/DroidSansFallbackFull.ttf\t0\tTrueType\n/f/wqy-microhei.ttc\t0\tTrueType\n"
    )
    monkeypatch.setattr(fonts.shutil, "which", lambda name: "/usr/bin/fc-list")
    # fonts imports subprocess only when fc-list runs: the module's own run is replaced
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, listing, ""))
    assert fonts.fontconfig_candidates() == [
        ("/f/wqy-microhei.ttc", 0),
        ("/f/wqy-microhei.ttc", 1),
        ("/f/DroidSansFallbackFull.ttf", 0),
    ]


def test_windows_fonts_folder_is_searched_with_ttc_index(monkeypatch, tmp_path):
    found = system_font()
    if not found.path.endswith(".ttc"):
        pytest.skip("needs a .ttc font to stand in for simsun.ttc")
    winfonts = tmp_path / "Windows" / "Fonts"
    winfonts.mkdir(parents=True)
    shutil.copy(found.path, winfonts / "simsun.ttc")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    fonts._find_font.cache_clear()
    chosen = fonts.find_font()
    assert chosen.source == "windows" and chosen.path == str(winfonts / "simsun.ttc") and chosen.index == 0


def test_fallback_to_stsong_light_tells_the_clerk(seed1, tmp_path, monkeypatch):
    no_system_fonts(monkeypatch)
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [])
    chosen = fonts.find_font()
    assert chosen.name == "STSong-Light" and not chosen.embedded
    out = tmp_path / "回退.pdf"
    result = write_pdf(seed1, out, now=datetime(2021, 2, 24))
    assert not result.font_embedded
    assert any("STSong-Light" in n and "SELFEVAL_PDF_FONT" in n for n in result.notes)
    assert "公共事务协管经费" in PdfReader(str(out)).pages[0].extract_text()


def test_cli_prints_the_fallback_note(tmp_path, monkeypatch, capsys):
    from selfeval_gui.cli import main as cli

    from .support import SEED1

    no_system_fonts(monkeypatch)
    out = tmp_path / "输出.pdf"
    code = cli.run(["export", str(SEED1), "--pdf", str(out), "--draft"])
    captured = capsys.readouterr()
    assert code == 1  # the seed has errors, as `check` says: only the draft is written
    assert out.is_file() and "STSong-Light" in captured.err and "已导出 PDF" in captured.out


# The system font found is remembered in the font cache folder: the next process skips the search (fc-list).


@pytest.fixture
def searches(monkeypatch):
    """Counts the system searches (on Linux each runs fc-list)."""
    calls = []
    real = fonts._system_candidates

    def counting():
        calls.append(1)
        yield from real()

    monkeypatch.setattr(fonts, "_system_candidates", counting)
    return calls


def new_process() -> None:
    """What a new process knows: nothing but the files."""
    fonts._find_font.cache_clear()


def two_copies(monkeypatch, tmp_path):
    """The machine's Chinese font as the only two system fonts, the first preferred."""
    found = system_font()
    copies = []
    for name in ("甲", "乙"):
        (tmp_path / name).mkdir()
        copies.append(str(tmp_path / name / os.path.basename(found.path)))
        shutil.copyfile(found.path, copies[-1])
    monkeypatch.setattr(fonts, "windows_font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "fontconfig_candidates", lambda: [])
    monkeypatch.setattr(fonts, "KNOWN_PATHS", tuple((c, found.index) for c in copies))
    new_process()
    return copies


def test_the_font_found_is_remembered_and_the_next_process_does_not_search(searches):
    first = system_font()
    assert len(searches) == 1
    new_process()
    again = fonts.find_font()
    assert len(searches) == 1, "searched again although nothing changed"
    assert (again.path, again.index, again.source, again.embedded) == (first.path, first.index, first.source, True)
    assert all(again.has_char(c) for c in fonts.PROBE_TEXT)


def test_a_changed_or_removed_remembered_font_is_searched_again(searches, monkeypatch, tmp_path):
    a, b = two_copies(monkeypatch, tmp_path)
    assert fonts.find_font().path == a
    before = len(searches)
    new_process()
    assert fonts.find_font().path == a and len(searches) == before
    st = os.stat(a)
    os.utime(a, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))  # the font file was replaced
    new_process()
    assert fonts.find_font().path == a and len(searches) == before + 1
    os.remove(a)
    new_process()
    chosen = fonts.find_font()
    assert chosen.path == b and chosen.embedded and len(searches) == before + 2
    new_process()
    assert fonts.find_font().path == b and len(searches) == before + 2, "the new choice was not remembered"


def test_an_installed_font_is_looked_for(searches, monkeypatch, tmp_path):
    """A font folder that changed (a font installed) makes the next process search again."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    monkeypatch.setattr(fonts, "fontconfig_folders", lambda: [folder])
    system_font()
    st = os.stat(folder)
    os.utime(folder, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    new_process()
    fonts.find_font()
    assert len(searches) == 2


def test_a_remembered_font_without_chinese_is_never_used(searches, tmp_path):
    """Even a remembered choice that looks current is loaded and probed for Chinese before it is used."""
    latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    if not os.path.isfile(latin):
        pytest.skip("needs DejaVuSans")
    system_font()
    target = fonts._choice_file()
    saved = json.loads(target.read_text(encoding="utf-8"))
    saved.update(path=latin, index=0, file=fonts._file_key(latin))
    target.write_text(json.dumps(saved), encoding="utf-8")
    new_process()
    chosen = fonts.find_font()
    assert chosen.embedded and chosen.path != latin and all(chosen.has_char(c) for c in fonts.PROBE_TEXT)
    assert len(searches) == 2


@pytest.mark.parametrize("damage", ["garbage", "not-a-dict", "wrong-types"])
def test_a_damaged_remembered_font_is_searched_again_and_rewritten(searches, damage):
    first = system_font()
    target = fonts._choice_file()
    saved = json.loads(target.read_text(encoding="utf-8"))
    target.write_bytes(
        {
            "garbage": os.urandom(300),
            "not-a-dict": b"[1, 2]",
            "wrong-types": json.dumps({**saved, "index": "0"}).encode(),
        }[damage]
    )
    new_process()
    assert fonts.find_font().path == first.path and len(searches) == 2
    new_process()
    assert fonts.find_font().path == first.path and len(searches) == 2, "the damaged file was not replaced"


def test_a_cache_folder_that_cannot_be_written_costs_only_the_search(searches, monkeypatch, tmp_path):
    blocker = tmp_path / "只读"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("SELFEVAL_CACHE_DIR", str(blocker / "缓存"))  # mkdir fails, even for root
    first = system_font()
    new_process()
    assert fonts.find_font().path == first.path and len(searches) == 2


def test_the_watched_font_folders_are_windows_own_on_windows(monkeypatch):
    monkeypatch.setattr(fonts.sys, "platform", "win32")
    assert fonts.fontconfig_folders() == []
    monkeypatch.setattr(fonts.sys, "platform", "linux")

    def no_home():
        raise RuntimeError("Could not determine home directory")

    monkeypatch.setattr(fonts.Path, "home", staticmethod(no_home))
    assert Path("/var/cache/fontconfig") in fonts.fontconfig_folders()
