"""Print the size of a frozen app folder: total, zipped (what a clerk downloads), by part, largest files.

Run:  python tools/bundle_report.py dist/SelfEval [OTHER_FOLDER ...]
Several folders are compared side by side in the summary (e.g. untrimmed vs trimmed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import zipfile
from pathlib import Path

MB = 1024 * 1024


def files(root: Path):
    """Regular files under root (symlinks count once, as the file they point to is already counted)."""
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            p = Path(dirpath) / n
            if not p.is_symlink():
                yield p


def zipped_size(root: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bundle.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for p in files(root):
                z.write(p, p.relative_to(root.parent))
        return out.stat().st_size


def part_of(rel: Path) -> str:
    """Group a file under a readable heading."""
    inner = rel.parts
    if len(inner) == 1:
        return "executables"
    if inner[0] == "_internal":  # PyInstaller 6 puts everything but the exes there
        inner = inner[1:]
    if inner[0] == "PySide6":
        if "plugins" in inner:
            return "Qt plugins"
        if "translations" in inner:
            return "Qt translations"
        name = inner[-1].lower()
        return "Qt libraries" if ("qt6" in name or "icu" in name or "pyside" in name) else "PySide6 modules"
    if inner[0] in ("resources", "forms"):
        return "program data (resources, forms)"
    if inner[0].lower().startswith(("pil", "pillow")):
        return "Pillow (reportlab images)"
    if inner[0] in ("reportlab", "openpyxl", "charset_normalizer", "et_xmlfile", "defusedxml"):
        return "reportlab / openpyxl"
    name = inner[-1].lower()
    if (
        name.startswith(("libpython", "python3", "base_library"))
        or inner[0].startswith(("python3", "lib-dynload"))
        or name.endswith(".pyd")
    ):
        return "Python"
    if inner[0].startswith("pypdfium2"):
        return "pypdfium2 (print preview)"
    return "other shared libraries"


def report(root: Path, top: int = 12) -> dict:
    sizes = {p: p.stat().st_size for p in files(root)}
    total = sum(sizes.values())
    by_part: dict[str, int] = {}
    for p, s in sizes.items():
        key = part_of(p.relative_to(root))
        by_part[key] = by_part.get(key, 0) + s
    zsize = zipped_size(root)
    print(f"== {root}")
    print(f"   {total / MB:7.1f} MB on disk, {len(sizes)} files; zipped {zsize / MB:.1f} MB")
    for key, s in sorted(by_part.items(), key=lambda kv: -kv[1]):
        print(f"   {s / MB:7.1f} MB  {key}")
    print("   largest files:")
    for p, s in sorted(sizes.items(), key=lambda kv: -kv[1])[:top]:
        print(f"   {s / MB:7.1f} MB  {p.relative_to(root)}")
    return {"total": total, "zipped": zsize, "files": len(sizes)}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    results = [(Path(a), report(Path(a))) for a in argv]
    if len(results) > 1:
        print("== summary")
        for path, r in results:
            print(
                f"   {r['total'] / MB:7.1f} MB on disk, {r['zipped'] / MB:6.1f} MB zipped, "
                f"{r['files']:5d} files  {path}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
