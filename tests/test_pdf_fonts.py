"""Font search for the PDF: configured font first, CFF refused, STSong-Light fallback with a note."""
from __future__ import annotations

import shutil
import subprocess
from datetime import datetime

import pytest
from pypdf import PdfReader

from selfeval_gui.files import fonts
from selfeval_gui.files.pdf import write_pdf


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
    listing = ("/f/NotoSansCJK-Regular.ttc\t0\tCFF\n/f/wqy-microhei.ttc\t1\tTrueType\n"
               "/f/DroidSansFallbackFull.ttf\t0\tTrueType\n/f/wqy-microhei.ttc\t0\tTrueType\n")
    monkeypatch.setattr(fonts.shutil, "which", lambda name: "/usr/bin/fc-list")
    monkeypatch.setattr(fonts.subprocess, "run", lambda *a, **k: subprocess.CompletedProcess(a, 0, listing, ""))
    assert fonts.fontconfig_candidates() == [("/f/wqy-microhei.ttc", 0), ("/f/wqy-microhei.ttc", 1),
                                             ("/f/DroidSansFallbackFull.ttf", 0)]


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
    from selfeval_gui import cli

    from .support import SEED1
    no_system_fonts(monkeypatch)
    out = tmp_path / "输出.pdf"
    code = cli.run(["export", str(SEED1), "--pdf", str(out), "--draft"])
    captured = capsys.readouterr()
    assert code == 1  # the seed has errors, as `check` says: only the draft is written
    assert out.is_file() and "STSong-Light" in captured.err and "已导出 PDF" in captured.out
