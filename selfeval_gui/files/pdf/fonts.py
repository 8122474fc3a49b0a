"""Find a Chinese font the PDF can embed, and tell which characters it can draw.

Search order (issue 4, point 3): the font the clerk configured (parameter, then env SELFEVAL_PDF_FONT), the
Windows fonts folder (SimSun, Microsoft YaHei, SimHei), fontconfig on Linux/macOS plus a few well-known paths,
and last reportlab's built-in STSong-Light, which is not embedded: the PDF then depends on the reader's fonts.

Only TrueType-outline fonts qualify: reportlab cannot embed OpenType/CFF (most Noto CJK builds), so every
candidate is tried by actually loading it with TTFont, and skipped with its reason when that fails.

The system font found is remembered in the font cache folder (CHOICE_FILE, plain JSON): the next process tries it
first and skips the search — on Linux the fc-list program, 5–7 ms of every PDF (issue 12).  The remembered font is
used only when its file has the same size and modification time, our candidate lists are the same and the font
folders (Windows' Fonts, fontconfig's caches, rewritten when fonts are installed) have not changed since; and it is
loaded and probed for Chinese like any candidate.  Anything else searches again, as without it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from selfeval_gui.regular_files import read_regular

log = logging.getLogger(__name__)

FONT_ENV = "SELFEVAL_PDF_FONT"
FALLBACK_CID = "STSong-Light"
# Characters every usable font must have: the form's own title and labels.
PROBE_TEXT = "朝阳区项目支出绩效自评表年度资金总额偏差原因分析及改进措施填表人"

# (file name, index in a .ttc) in order of preference: the Song face of the paper form first.
WINDOWS_FONTS = (("simsun.ttc", 0), ("msyh.ttc", 0), ("simhei.ttf", 0), ("simsun.ttf", 0), ("msyh.ttf", 0))
# When fc-list is missing (minimal Linux, macOS without fontconfig).
KNOWN_PATHS = (
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("/System/Library/Fonts/Supplemental/Songti.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
)
# fontconfig lists fonts in no useful order; prefer Song faces, then the common TrueType CJK families.
FC_PREFERENCE = ("simsun", "uming", "songti", "wqy-microhei", "wqy-zenhei", "msyh", "simhei", "droidsansfallback")


@dataclass(frozen=True)
class FontChoice:
    name: str  # the name registered with reportlab
    path: str | None  # None for the CID fallback
    index: int
    source: str  # "configured" | "windows" | "fontconfig" | "known-path" | "builtin"
    embedded: bool
    notes: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        if self.path is None:
            return f"{FALLBACK_CID}（未嵌入）"
        return f"{Path(self.path).name}" + (f"#{self.index}" if self.index else "")

    def has_char(self, ch: str) -> bool:
        return _has_char(self.name, ch)


def _split_spec(spec: str) -> tuple[str, int]:
    """'C:/Fonts/simsun.ttc#1' -> (path, 1); a plain path -> index 0."""
    spec = spec.strip().strip('"')
    if "#" in spec:
        path, _, idx = spec.rpartition("#")
        if idx.isdigit():
            return path, int(idx)
    return spec, 0


def _register_ttf(path: str, index: int) -> str:
    """Load and register a TrueType font; raises on anything reportlab cannot embed."""
    from selfeval_gui.files.pdf.font_cache import load_ttfont

    name = "SelfEvalCJK-" + hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:10]
    if name in pdfmetrics.getRegisteredFontNames():
        return name
    font = load_ttfont(name, path, index)
    missing = [c for c in PROBE_TEXT if ord(c) not in font.face.charToGlyph]
    if missing:
        raise ValueError(f"字体中没有中文字形（缺少“{''.join(missing[:5])}”等）")
    pdfmetrics.registerFont(font)
    return name


def _try(path: str, index: int, source: str, rejected: list[str]) -> FontChoice | None:
    if not path or not os.path.isfile(path):
        if source == "configured":
            rejected.append(f"设置的字体文件“{path}”不存在")
        return None
    try:
        name = _register_ttf(path, index)
    except Exception as e:  # TTFError (CFF outlines, no embedding allowed), broken files, wrong index
        log.info("font %s#%d not usable", path, index, exc_info=True)
        rejected.append(f"字体“{Path(path).name}”不能嵌入：{_reason(e)}")
        return None
    return FontChoice(name, path, index, source, True)


def _reason(e: Exception) -> str:
    text = str(e)
    if "postscript outlines" in text:
        return "这是 OpenType/CFF 字体，只能使用 TrueType 字体（.ttf/.ttc）"
    if "embedding" in text.lower():
        return "字体不允许嵌入"
    return text or type(e).__name__


def windows_font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    elif sys.platform == "win32":
        dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:  # fonts installed for one user only
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def fontconfig_candidates() -> list[tuple[str, int]]:
    """Chinese fonts fontconfig knows, TrueType format only, preferred families first."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    import subprocess  # here: the module takes 2 ms to import, and most PDFs need no fc-list (CHOICE_FILE)

    try:
        out = subprocess.run(
            [fc_list, "-f", "%{file}\t%{index}\t%{fontformat}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=20,
            encoding="utf-8",
            errors="replace",
        ).stdout
    except (OSError, subprocess.SubprocessError) as e:
        log.info("fc-list failed: %s", e)
        return []
    found = []
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or parts[2].strip() != "TrueType":
            continue  # "CFF" is what reportlab cannot embed
        try:
            found.append((parts[0], int(parts[1] or 0)))
        except ValueError:
            log.info("fc-list line without a face index: %r", line)
    return sorted(dict.fromkeys(found), key=_preference)


def _preference(item: tuple[str, int]) -> tuple[int, int]:
    """fontconfig's fonts by FC_PREFERENCE (Song faces first), then by face index."""
    stem = Path(item[0]).stem.lower().replace(" ", "")
    for n, key in enumerate(FC_PREFERENCE):
        if key in stem:
            return (n, item[1])
    return (len(FC_PREFERENCE), item[1])


def find_font(configured: str | None = None) -> FontChoice:
    """The best embeddable Chinese font; never raises."""
    return _find_font(configured or "", os.environ.get(FONT_ENV, ""))


@lru_cache(maxsize=8)
def _find_font(configured: str, env: str) -> FontChoice:
    rejected: list[str] = []
    for spec in (configured, env):
        if spec.strip():
            path, idx = _split_spec(spec)
            before = len(rejected)
            choice = _try(path, idx, "configured", rejected)
            if choice:
                return _with_notes(choice, rejected)
            rejected[before:] = [r if r.startswith("设置的") else "设置的" + r for r in rejected[before:]]
    remembered = _remembered_font()
    if remembered:
        return _with_notes(remembered, rejected)
    for path, idx, source in _system_candidates():
        choice = _try(path, idx, source, rejected)
        if choice:
            _remember(choice)
            return _with_notes(choice, rejected)
    return _with_notes(_builtin_font(), rejected, BUILTIN_NOTE)


def _system_candidates() -> Iterator[tuple[str, int, str]]:
    """(path, index in a .ttc, source) of the system's fonts in order of preference; each group is only
    looked for when the one before had nothing usable (fontconfig runs a program)."""
    for folder in windows_font_dirs():
        for fname, idx in WINDOWS_FONTS:
            yield str(folder / fname), idx, "windows"
    for path, idx in fontconfig_candidates():
        yield path, idx, "fontconfig"
    for path, idx in KNOWN_PATHS:
        yield path, idx, "known-path"


# ------------------------------------------------------------------ the remembered system font

CHOICE_FILE = "choice.json"
CHOICE_FORMAT = 1
SYSTEM_SOURCES = ("windows", "fontconfig", "known-path")


def fontconfig_folders() -> list[Path]:
    """Folders that change when fonts are installed or removed on Linux/macOS: fontconfig's caches (fc-cache,
    run by every font package, rewrites them) and the usual font folders themselves.  None on Windows (its font
    folders are windows_font_dirs)."""
    if sys.platform == "win32":
        return []
    try:
        home = Path.home()
    except RuntimeError:  # no home folder to be found: the system's folders only
        return [Path("/var/cache/fontconfig"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    xdg_cache = os.environ.get("XDG_CACHE_HOME") or str(home / ".cache")
    xdg_data = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return [
        Path("/var/cache/fontconfig"),
        Path(xdg_cache) / "fontconfig",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path(xdg_data) / "fonts",
        home / ".fonts",
        Path("/Library/Fonts"),
    ]


def _mtime(path: Path | str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _search_key() -> dict[str, object]:
    """What the result of the system search depends on besides the chosen file itself."""
    folders = [*windows_font_dirs(), *fontconfig_folders()]
    return {
        "format": CHOICE_FORMAT,
        "platform": sys.platform,
        "candidates": [list(WINDOWS_FONTS), list(KNOWN_PATHS), list(FC_PREFERENCE)],
        "folders": [[str(f), _mtime(f)] for f in folders],
    }


def _file_key(path: str) -> list[int]:
    st = os.stat(path)
    return [st.st_size, st.st_mtime_ns]


def _choice_file() -> Path:
    from selfeval_gui.files.pdf.font_cache import cache_folder

    return cache_folder() / CHOICE_FILE


def _remembered_font() -> FontChoice | None:
    """The system font the last search found, when nothing it depends on has changed; else None (search)."""
    target = _choice_file()
    try:
        saved = json.loads(read_regular(target, 64 * 1024).decode("utf-8"))
        if not isinstance(saved, dict) or saved.get("key") != json.loads(json.dumps(_search_key())):
            return None
        path, index, source = saved["path"], saved["index"], saved["source"]
        if (
            not isinstance(path, str)
            or type(index) is not int
            or source not in SYSTEM_SOURCES
            or saved.get("file") != _file_key(path)
        ):
            return None
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as e:  # unreadable or damaged: searched again and written anew
        log.info("remembered font %s not used: %s", target, e)
        return None
    return _try(path, index, source, [])  # loaded and probed as in the search: a font without Chinese is refused


def _remember(choice: FontChoice) -> None:
    if choice.path is None or choice.source not in SYSTEM_SOURCES:
        return
    from selfeval_gui.files.atomic import atomic_write_bytes

    target = _choice_file()
    try:
        body = {
            "key": _search_key(),
            "path": choice.path,
            "index": choice.index,
            "source": choice.source,
            "file": _file_key(choice.path),
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, json.dumps(body, ensure_ascii=False).encode("utf-8"), backup=False, retries=1)
    except OSError as e:  # a read-only cache folder costs the next PDF the search, nothing more
        log.info("font choice not remembered in %s: %s", target, e)


BUILTIN_NOTE = (
    "注意：本机没有找到可嵌入的中文 TrueType 字体，PDF 使用了阅读器自带的 STSong-Light 宋体，"
    "没有嵌入字体；在没有中文字体的电脑上打开可能显示不正常。可以把环境变量 SELFEVAL_PDF_FONT "
    "设为一个中文 TrueType 字体文件（如 C:\\Windows\\Fonts\\simsun.ttc）后重新导出。"
)


def _builtin_font() -> FontChoice:
    """reportlab's STSong-Light: always there, never embedded."""
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FALLBACK_CID not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_CID))
    log.info("no embeddable Chinese TrueType font found; using %s", FALLBACK_CID)
    return FontChoice(FALLBACK_CID, None, 0, "builtin", False)


def _with_notes(choice: FontChoice, rejected: list[str], *extra: str) -> FontChoice:
    # Only a configured font that failed is worth telling the clerk; system fonts that do not qualify are normal.
    notes = tuple(f"注意：{r}，已改用{choice.label}。" for r in rejected if r.startswith("设置的")) + extra
    return FontChoice(choice.name, choice.path, choice.index, choice.source, choice.embedded, notes)


@lru_cache(maxsize=4096)
def _has_char(font_name: str, ch: str) -> bool:
    font = pdfmetrics.getFont(font_name)
    face = getattr(font, "face", None)
    cmap = getattr(face, "charToGlyph", None)
    if cmap is not None:
        return ord(ch) in cmap
    # The CID fallback (Adobe-GB1) covers ASCII and GBK; anything beyond is unknown to the reader's font.
    if ord(ch) > 0xFFFF:
        return False
    try:
        ch.encode("gbk")
        return True
    except UnicodeEncodeError:
        return False
