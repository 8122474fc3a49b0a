"""The PyInstaller packaging, checked without running PyInstaller: the spec as Windows would read it, the Qt
trimming rules, the version resource, the icon, and the console entry script.  And the wheel (`pip install .`):
its configuration, and (slow) a real build whose contents are listed and run.

The real frozen build runs in CI (.ci/build-frozen), after the tests; so does installing the wheel into a fresh
environment and running `selfeval check` and `export` from it (.ci/run).
"""

from __future__ import annotations

import ast
import os
import pkgutil
import shutil
import struct
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

import selfeval_gui

from .support import ROOT, load_tool

bundle_trim = load_tool("bundle_trim")
version_info = load_tool("version_info")

# ---- the spec, as PyInstaller on Windows would execute it ------------------------------------------------


class _Recorder:
    """Stands in for PyInstaller's Analysis/PYZ/EXE/COLLECT and keeps the arguments."""

    made: list = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.binaries, self.datas, self.pure, self.scripts = [], [], [], []
        _Recorder.made.append(self)


def _kind(name):
    return type(name, (_Recorder,), {})


@pytest.fixture
def spec_on(monkeypatch, tmp_path):
    def run(platform: str) -> dict:
        _Recorder.made = []
        hooks = types.ModuleType("PyInstaller.utils.hooks")

        def collect_submodules(pkg):
            mod = __import__(pkg, fromlist=["_"])
            return [pkg] + [m.name for m in pkgutil.walk_packages(mod.__path__, pkg + ".")]

        hooks.collect_submodules = collect_submodules
        for name in ("PyInstaller", "PyInstaller.utils"):
            monkeypatch.setitem(sys.modules, name, sys.modules.get(name) or types.ModuleType(name))
        monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
        monkeypatch.setattr(sys, "path", list(sys.path))
        monkeypatch.setattr(sys, "platform", platform)
        kinds = {k: _kind(k) for k in ("Analysis", "PYZ", "EXE", "COLLECT")}
        g = {"SPECPATH": str(ROOT), "workpath": str(tmp_path / "work"), "__name__": "__main__", **kinds}
        code = compile((ROOT / "pyinstaller.spec").read_text(encoding="utf-8"), "pyinstaller.spec", "exec")
        exec(code, g)
        return {k: [r for r in _Recorder.made if type(r) is cls] for k, cls in kinds.items()}

    return run


def test_spec_on_windows_builds_two_exes_over_one_folder(spec_on):
    built = spec_on("win32")
    gui, cli = built["EXE"]
    assert gui.kwargs["name"] == "SelfEval" and gui.kwargs["console"] is False
    assert cli.kwargs["name"] == "selfeval-cli" and cli.kwargs["console"] is True
    for exe in (gui, cli):
        assert exe.kwargs["upx"] is False and exe.kwargs["exclude_binaries"] is True
        assert exe.kwargs["name"].isascii()
        assert exe.kwargs["icon"].endswith(".ico") and Path(exe.kwargs["icon"]).is_file()
        text = Path(exe.kwargs["version"]).read_text(encoding="ascii")
        assert f"'ProductVersion', '{selfeval_gui.__version__}'" in text
        assert f"'OriginalFilename', '{exe.kwargs['name']}.exe'" in text
    (collect,) = built["COLLECT"]
    assert collect.kwargs["name"] == "SelfEval" and collect.kwargs["upx"] is False
    assert gui in collect.args and cli in collect.args


def test_spec_bundles_the_data_read_at_run_time_and_only_used_qt(spec_on):
    built = spec_on("win32")
    gui_an, cli_an = built["Analysis"]
    datas = dict((dest, Path(src)) for src, dest in gui_an.kwargs["datas"])
    assert datas["resources"] == ROOT / "resources" and datas["forms"] == ROOT / "forms"
    assert all(p.is_dir() for p in datas.values())
    hidden = gui_an.kwargs["hiddenimports"]
    assert "selfeval_gui.ui.window.start" in hidden and "selfeval_gui.files.pdf.form_pdf" in hidden
    assert {"PySide6.QtWidgets", "PySide6.QtPrintSupport"} <= set(hidden)
    excluded = set(gui_an.kwargs["excludes"])
    assert {
        "PySide6.QtQml",
        "PySide6.QtQuick",
        "PySide6.QtWebEngineCore",
        "PySide6.Qt3DCore",
        "PySide6.QtMultimedia",
        "PySide6.QtDesigner",
    } <= excluded
    assert not excluded & set(hidden)
    # The console program leaves Qt out of its archive entirely
    assert "PySide6" in cli_an.kwargs["excludes"]
    assert not [m for m in cli_an.kwargs["hiddenimports"] if m.startswith("selfeval_gui.ui")]


def test_spec_bundles_reportlabs_c_helpers(spec_on):
    """reportlab imports _rl_accel by a name built at run time: both programs must name it, or the frozen PDF falls
    back to the slow pure-Python number formatting (issue 12)."""
    gui_an, cli_an = spec_on("win32")["Analysis"]
    assert "_rl_accel" in gui_an.kwargs["hiddenimports"] and "_rl_accel" in cli_an.kwargs["hiddenimports"]


def test_spec_on_linux_uses_the_png_icon_and_no_version_resource(spec_on):
    gui, cli = spec_on("linux")["EXE"]
    assert gui.kwargs["icon"].endswith("app.png") and gui.kwargs["version"] is None


def test_spec_joins_paths_portably():
    tree = ast.parse((ROOT / "pyinstaller.spec").read_text(encoding="utf-8"))
    literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in literals if ("/" in s or "\\" in s) and " " not in s and len(s) < 60], (
        "paths in the spec must be joined with os.path.join"
    )


# ---- what the bundle leaves out ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "dest, kept",
    [
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", True),  # Linux layout
        ("PySide6\\translations\\qtbase_zh_CN.qm", True),  # Windows layout
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/translations/qt_zh_TW.qm", False),
        ("PySide6/translations/qtdeclarative_zh_CN.qm", False),
        ("PySide6/Qt/qml/QtQuick/Controls/qmldir", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/plugins/sqldrivers/qsqlite.dll", False),
        ("PySide6/plugins/imageformats/qsvg.dll", True),
        ("PySide6/plugins/imageformats/qtiff.dll", False),
        ("PySide6/plugins/printsupport/windowsprintersupport.dll", True),
        ("PySide6/opengl32sw.dll", False),
        ("PySide6/Qt6Widgets.dll", True),
        ("resources/rulesets/chaoyang-2020.json", True),
        ("forms/空白表_朝阳区2020.json", True),
    ],
)
def test_trim_keeps_what_the_program_uses(dest, kept):
    assert bundle_trim.keep(dest) is kept


def test_trim_drops_libraries_only_a_dropped_plugin_needed():
    toc = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/x/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", "/x/libqvnc.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/x/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/x/libQt6Network.so.6", "BINARY"),
        ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libssl.so.3", "/x/libssl.so.3", "BINARY"),
    ]
    links = {
        "/x/libqxcb.so": ["libQt6Gui.so.6"],
        "/x/libqvnc.so": ["libQt6Gui.so.6", "libQt6Network.so.6"],
        "/x/libQt6Network.so.6": ["libssl.so.3"],
        "/x/libQt6Gui.so.6": [],
        "/x/libssl.so.3": [],
    }
    kept = {e[0] for e in bundle_trim.trim(toc, links.get)}
    assert kept == {"PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/lib/libQt6Gui.so.6", "libQt6Gui.so.6"}
    # Without dependency information only the named entries go
    assert len(bundle_trim.trim(toc)) == len(toc) - 1
    # A kept binary that cannot be analysed: nothing beyond the named entries is dropped
    assert len(bundle_trim.trim(toc, lambda p: None if p == "/x/libqxcb.so" else links[p])) == len(toc) - 1


# ---- version resource --------------------------------------------------------------------------------------


def test_version_numbers_for_windows():
    assert version_info.read_version() == selfeval_gui.__version__
    assert version_info.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert version_info.version_tuple("2.10.3rc1") == (2, 10, 3, 0)
    assert version_info.version_tuple("3") == (3, 0, 0, 0)
    with pytest.raises(ValueError):
        version_info.version_tuple("70000.1")


def test_version_resource_reads_back_in_chinese(tmp_path, monkeypatch):
    out = version_info.write_version_info(tmp_path / "v.txt", "SelfEval.exe", "项目支出绩效自评表 填报工具")
    text = out.read_text(encoding="ascii")
    vt = version_info.version_tuple(selfeval_gui.__version__)

    # Evaluate it the way PyInstaller does, with recorders for its classes
    def rec(name):
        return lambda *a, **k: (name, a, k)

    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    info = eval(text, {n: rec(n) for n in names})  # noqa: S307 - our own generated file
    assert info[2]["ffi"][2]["filevers"] == vt and info[2]["ffi"][2]["prodvers"] == vt
    string_table = info[2]["kids"][0][1][0][0]
    strings = dict(s[1] for s in string_table[1][1])
    assert strings["ProductName"] == selfeval_gui.APP_TITLE == "绩效自评表填报工具"
    assert strings["FileDescription"] == "项目支出绩效自评表 填报工具"
    assert strings["OriginalFilename"] == "SelfEval.exe"
    assert string_table[1][0] == "080404b0"  # 简体中文, Unicode


# ---- icon --------------------------------------------------------------------------------------------------


def _ico_entries(data: bytes) -> dict[int, bytes]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    out = {}
    for i in range(count):
        w, h, _c, _r, _planes, _bpp, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert w == h
        out[w or 256] = data[offset : offset + size]
    return out


def test_committed_icon_has_the_sizes_windows_asks_for(qapp):
    from PySide6.QtGui import QImage

    entries = _ico_entries((ROOT / "resources" / "icons" / "app.ico").read_bytes())
    assert {16, 24, 32, 48, 256} <= set(entries)
    for size, blob in entries.items():
        img = QImage.fromData(blob)
        assert (img.width(), img.height()) == (size, size)
        centre = img.pixelColor(size // 2, size // 2)
        assert centre.alpha() == 255  # drawn, not an empty frame
    assert QImage(str(ROOT / "resources" / "icons" / "app.png")).width() == 256


def test_icon_script_draws_the_same_set(qapp, tmp_path):
    make_icon = load_tool("make_icon")
    written = make_icon.main(tmp_path / "图标")
    assert sorted(p.name for p in written) == sorted(
        p.name for p in (ROOT / "resources" / "icons").iterdir() if p.suffix in (".png", ".ico")
    )
    assert set(_ico_entries((tmp_path / "图标" / "app.ico").read_bytes())) == set(make_icon.ICO_SIZES)


# ---- console entry -----------------------------------------------------------------------------------------


def _cli(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "selfeval_cli.py"), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_console_entry_without_arguments_prints_usage_instead_of_opening_a_window():
    r = _cli()
    assert r.returncode == 0
    assert "check" in r.stdout and "export" in r.stdout and "import" in r.stdout


def test_console_entry_checks_a_form_in_a_chinese_folder(cn_dir):
    form = cn_dir / "城管以奖促治经费.json"
    form.write_bytes((ROOT / "forms" / "城管以奖促治经费_2020.json").read_bytes())
    r = _cli("check", form.name, cwd=cn_dir)
    assert r.returncode == 1, r.stderr
    assert "执行率：60%" in r.stdout and "按规则计算应为 4.67" in r.stdout


# ---- the wheel: `pip install .` carries resources/ and forms/ inside the package ----------------------------

DATA_PACKAGES = {"selfeval_gui.resources": "resources", "selfeval_gui.forms": "forms"}


def _pyproject() -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10
        tomllib = pytest.importorskip("tomli")
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _shipped(p: Path) -> bool:
    """A file of the source tree that belongs in the wheel (not a byte-compiled or backup leftover)."""
    return p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".bak")


def test_wheel_config_lists_every_subpackage_and_maps_the_data_folders():
    st = _pyproject()["tool"]["setuptools"]
    assert st["package-dir"] == DATA_PACKAGES
    code_packages = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "selfeval_gui").rglob("__init__.py")}
    assert set(st["packages"]) == code_packages | set(DATA_PACKAGES), (
        "every subpackage of selfeval_gui must be listed in pyproject.toml's [tool.setuptools] packages"
    )
    for pkg, folder in DATA_PACKAGES.items():
        assert (ROOT / folder).is_dir() and st["package-data"][pkg]
        assert not (ROOT / "selfeval_gui" / folder).exists(), "the data stays at the top level of the repository"


def _builds_without_isolation() -> bool:
    """Whether this environment can build the wheel itself (then the test needs no network)."""
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    try:
        setuptools = tuple(int(x) for x in version("setuptools").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return False
    return setuptools >= (70, 1) or (setuptools >= (64, 0) and find_spec("wheel") is not None)


def _build_wheel(tmp_path: Path) -> Path:
    """Build the wheel from a clean copy of what the build reads: no stale build/ folder can slip files in, and
    nothing is written into the checkout."""
    src, out = tmp_path / "src", tmp_path / "dist"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.bak")
    for folder in ("selfeval_gui", *DATA_PACKAGES.values()):
        shutil.copytree(ROOT / folder, src / folder, ignore=ignore)
    for name in ("pyproject.toml", _pyproject()["project"]["readme"]):
        shutil.copy(ROOT / name, src / name)
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)]
    if _builds_without_isolation():
        cmd.insert(4, "--no-build-isolation")
    r = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=540)
    assert r.returncode == 0, r.stdout + r.stderr
    (wheel,) = out.glob("*.whl")
    return wheel


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_wheel_holds_the_package_and_its_data_and_runs_from_it(tmp_path):
    wheel = _build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry_points = z.read(f"selfeval_gui-{selfeval_gui.__version__}.dist-info/entry_points.txt").decode()
        z.extractall(tmp_path / "site")
    for must in (
        "rulesets/chaoyang-2020.json",
        "rulesets/general-2dp.json",
        "templates/chaoyang-2020.json",
        "schema/selfeval-form.schema.json",
        "icons/app.png",
        "icons/app.ico",
    ):
        assert f"selfeval_gui/resources/{must}" in names
    assert "selfeval_gui/forms/城管以奖促治经费_2020.json" in names
    assert "selfeval_gui/forms/空白表_朝阳区2020.json" in names
    # Everything: every module, every file of resources/ and forms/
    expected = {
        f"selfeval_gui/{p.relative_to(ROOT / 'selfeval_gui').as_posix()}"
        for p in (ROOT / "selfeval_gui").rglob("*.py")
        if _shipped(p)
    }
    for folder in DATA_PACKAGES.values():
        expected |= {
            f"selfeval_gui/{folder}/{p.relative_to(ROOT / folder).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if _shipped(p)
        }
    assert not expected - names, f"missing from the wheel: {sorted(expected - names)}"
    assert not [n for n in names if not n.startswith(("selfeval_gui/", "selfeval_gui-"))], "only the package"
    assert "selfeval = selfeval_gui.app:entry" in entry_points

    # Run from the unpacked wheel, away from the checkout: the rule set is found inside the package
    site, work = tmp_path / "site", tmp_path / "别处"
    work.mkdir()
    code = (
        "import sys, selfeval_gui; from selfeval_gui.paths import resource_path; from selfeval_gui.app import main;"
        "print(selfeval_gui.__file__); print(resource_path()); sys.exit(main(sys.argv[1:]))"
    )
    env = dict(os.environ, PYTHONPATH=str(site), PYTHONIOENCODING="utf-8")
    r = subprocess.run(
        [sys.executable, "-c", code, "check", str(ROOT / "forms" / "城管以奖促治经费_2020.json")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert r.returncode == 1, r.stdout + r.stderr  # the seed form has errors: 1 is the right answer
    first, second = r.stdout.splitlines()[:2]
    assert Path(first).is_relative_to(site) and Path(second) == site / "selfeval_gui" / "resources"
    assert "规则集：chaoyang-2020" in r.stdout and "按规则计算应为 4.67" in r.stdout
