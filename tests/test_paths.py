"""Where the program finds its data and writes its own: from source, frozen by PyInstaller, and portable.

The frozen cases imitate a PyInstaller one-folder app (sys.frozen, sys._MEIPASS = <app>/_internal,
sys.executable = <app>/SelfEval.exe) in a folder with a Chinese name and a space, as clerks unpack it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from selfeval_gui import paths
from selfeval_gui.domain import rules
from selfeval_gui.domain.scoring import evaluate

ROOT = Path(__file__).resolve().parent.parent


def test_from_source_resources_and_forms_are_the_repository_folders():
    assert paths.is_frozen() is False
    ruleset = ROOT / "resources" / "rulesets" / "chaoyang-2020.json"
    assert paths.resource_path("rulesets", "chaoyang-2020.json") == ruleset
    assert paths.resource_path("rulesets", "chaoyang-2020.json").is_file()
    assert paths.resource_path("icons", "app.png").is_file()
    assert paths.forms_path("城管以奖促治经费_2020.json").is_file()
    assert paths.exe_dir() is None


@pytest.fixture
def frozen_app(tmp_path, monkeypatch):
    """A fake one-folder app: the real resources/ and forms/ copied into _internal, nothing else."""
    app = tmp_path / "绩效 自评" / "自评表程序"
    internal = app / "_internal"
    shutil.copytree(ROOT / "resources", internal / "resources")
    shutil.copytree(ROOT / "forms", internal / "forms")
    exe = app / "SelfEval.exe"
    exe.write_bytes(b"")
    home = tmp_path / "用户" / "AppData" / "Local" / "SelfEval"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(internal), raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    # PyInstaller gives the frozen package a __file__ under _MEIPASS, with no data inside the package folder
    monkeypatch.setattr(paths, "package_dir", lambda: internal / "selfeval_gui")
    monkeypatch.setattr(paths, "user_data_path", lambda *a, **k: home)
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.delenv(paths.PORTABLE_ENV, raising=False)
    _clear_domain_caches()
    yield app, home
    _clear_domain_caches()


def _clear_domain_caches():
    rules.clear_caches()


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_frozen_data_is_read_from_the_bundle(frozen_app, seed2):
    app, _ = frozen_app
    internal = app / "_internal"
    assert paths.app_root() == internal
    assert paths.resource_path("templates") == internal / "resources" / "templates"
    assert paths.forms_path("空白表_朝阳区2020.json").is_file()
    # A rule set that exists only in the bundle proves the domain reads through resource_path()
    shutil.copy(
        internal / "resources" / "rulesets" / "chaoyang-2020.json",
        internal / "resources" / "rulesets" / "bundle-only.json",
    )
    _clear_domain_caches()  # loading the seed already listed the rule sets
    assert "bundle-only" in rules.rule_set_ids()
    ev = evaluate(seed2)
    assert ev.rate_text == "60%"  # what the clerk sees for 城管以奖促治经费, computed from bundled data


def test_frozen_without_marker_writes_nothing_beside_the_exe(frozen_app):
    app, home = frozen_app
    before = _listing(app)
    assert paths.is_portable() is False
    assert paths.user_data_dir() == home
    assert home.is_dir()
    assert _listing(app) == before
    assert paths.portable_problem() is None


def test_marker_file_beside_the_exe_makes_a_portable_copy(frozen_app):
    app, home = frozen_app
    (app / paths.PORTABLE_MARKER).write_text("便携版", encoding="utf-8")
    assert paths.is_portable() is True
    assert paths.user_data_dir() == app / "userdata"
    assert (app / "userdata").is_dir()
    assert not home.exists()
    assert paths.portable_problem() is None


@pytest.mark.parametrize(
    "value, portable", [("1", True), ("yes", True), ("0", False), ("", False), ("false", False), ("OFF", False)]
)
def test_environment_variable_switches_portable_mode(frozen_app, monkeypatch, value, portable):
    app, home = frozen_app
    monkeypatch.setenv(paths.PORTABLE_ENV, value)
    assert paths.is_portable() is portable
    assert paths.user_data_dir() == (app / "userdata" if portable else home)


def test_portable_copy_on_a_write_protected_stick_falls_back_and_says_why(frozen_app):
    app, home = frozen_app
    (app / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    (app / "userdata").write_text("not a folder", encoding="utf-8")  # the folder cannot be made, as read-only
    assert paths.user_data_dir() == home
    msg = paths.portable_problem()
    assert msg is not None and "便携版" in msg and str(app / "userdata") in msg and str(home) in msg


def test_explicit_data_folder_wins_over_portable(frozen_app, monkeypatch, tmp_path):
    app, _ = frozen_app
    (app / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    target = tmp_path / "指定目录"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(target))
    assert paths.user_data_dir() == target
    assert not (app / "userdata").exists()


def test_settings_and_autosave_follow_portable_mode(frozen_app):
    from selfeval_gui.ui.common.settings import settings_path
    from selfeval_gui.ui.window.autosave import autosave_dir

    app, home = frozen_app
    assert settings_path().parent == home and autosave_dir().parent == home
    (app / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert settings_path() == app / "userdata" / "settings.json"
    assert autosave_dir() == app / "userdata" / "autosave"


# ---- one lookup for the source tree, the installed wheel and the frozen folder -----------------------------


def _fake_layout(top: Path, *, inside: bool) -> Path:
    """A package folder `top`/selfeval_gui holding a copy of resources/ and forms/: inside it, as the wheel
    installs them, or beside it, as in the checkout.  Returns the package folder."""
    pkg = top / "selfeval_gui"
    pkg.mkdir(parents=True)
    data_parent = pkg if inside else top
    for folder in ("resources", "forms"):
        shutil.copytree(ROOT / folder, data_parent / folder)
    return pkg


def _everything_loads_through_the_domain(data: Path):
    _clear_domain_caches()
    assert rules.rule_set_ids() == tuple(sorted(p.stem for p in (ROOT / "resources" / "rulesets").glob("*.json")))
    assert rules.template_ids() == tuple(sorted(p.stem for p in (ROOT / "resources" / "templates").glob("*.json")))
    assert rules.rule_set_ids() and rules.template_ids()
    for rid in rules.rule_set_ids():
        rules.get_rule_set(rid)
    for tid in rules.template_ids():
        assert rules.get_template(tid).rule_set in rules.rule_set_ids()
    assert (
        paths.resource_path("schema", "selfeval-form.schema.json")
        == data / "resources" / "schema" / "selfeval-form.schema.json"
    )
    assert paths.resource_path("icons", "app.png").is_file()
    assert paths.forms_path() == data / "forms"
    assert paths.forms_path("城管以奖促治经费_2020.json").is_file()


@pytest.fixture
def layout(tmp_path, monkeypatch):
    """Point selfeval_gui.paths at a fake package folder; the domain caches are cleared before and after."""

    def use(pkg: Path):
        monkeypatch.setattr(paths, "package_dir", lambda: pkg)
        _clear_domain_caches()

    yield use
    _clear_domain_caches()


def test_installed_wheel_reads_the_data_inside_the_package(tmp_path, layout, seed2):
    pkg = _fake_layout(tmp_path / "site-packages", inside=True)
    layout(pkg)
    assert paths.resource_path("rulesets") == pkg / "resources" / "rulesets"
    _everything_loads_through_the_domain(pkg)
    # A rule set only the installed copy has proves the domain reads there
    rulesets = pkg / "resources" / "rulesets"
    shutil.copy(rulesets / "chaoyang-2020.json", rulesets / "wheel-only.json")
    _clear_domain_caches()
    assert "wheel-only" in rules.rule_set_ids()
    assert evaluate(seed2).rate_text == "60%"


def test_source_tree_reads_the_top_level_folders(tmp_path, layout):
    pkg = _fake_layout(tmp_path / "仓库 checkout", inside=False)
    layout(pkg)
    assert paths.app_root() == pkg.parent
    assert paths.resource_path("rulesets") == pkg.parent / "resources" / "rulesets"
    _everything_loads_through_the_domain(pkg.parent)


def test_data_inside_the_package_wins_over_a_folder_beside_it(tmp_path, layout):
    pkg = _fake_layout(tmp_path / "site-packages", inside=True)
    shutil.copytree(ROOT / "resources", pkg.parent / "resources")  # some other distribution's top-level folder
    layout(pkg)
    assert paths.resource_path("rulesets") == pkg / "resources" / "rulesets"
    assert paths.forms_path() == pkg / "forms"


def test_without_data_anywhere_the_path_names_the_usual_place(tmp_path, layout):
    pkg = tmp_path / "空" / "selfeval_gui"
    pkg.mkdir(parents=True)
    layout(pkg)
    assert paths.resource_path("rulesets") == pkg.parent / "resources" / "rulesets"
    assert rules.rule_set_ids() == ()
