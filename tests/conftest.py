"""Shared test set-up: Qt offscreen, user data in a temporary folder, the example forms, a window on seed 2.

Fixtures only: pytest finds them by itself, no test imports this file.  Paths and helpers a test imports are in
support.py (the example forms), ui_support.py (window helpers) and xlsx_handmade.py (hand-typed workbooks).
"""

from __future__ import annotations

import os

import pytest

import selfeval_gui.files  # noqa: F401  before any test module imports openpyxl: it parses through defusedxml

from .support import SEED1, SEED2

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _user_data_in_tmp(tmp_path_factory, monkeypatch):
    """Settings, recent files, autosaves and the font cache never touch the real user folders."""
    d = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("SELFEVAL_DATA_DIR", str(d))
    monkeypatch.setenv("SELFEVAL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield d


@pytest.fixture
def seed1():
    from selfeval_gui.files.formfile import load_form

    return load_form(SEED1)


@pytest.fixture
def seed2():
    from selfeval_gui.files.formfile import load_form

    return load_form(SEED2)


@pytest.fixture
def clean2():
    """Seed 2 with its errors corrected (support.fix_seed2)."""
    from selfeval_gui.files.formfile import load_form

    from .support import fix_seed2

    return fix_seed2(load_form(SEED2))


@pytest.fixture
def cn_dir(tmp_path):
    """A folder with a Chinese name, as clerks have."""
    d = tmp_path / "绩效自评" / "2020年度"
    d.mkdir(parents=True)
    return d


@pytest.fixture
def boxes(monkeypatch):
    """Message boxes recorded instead of shown (a question is answered Discard).  A module that needs it in
    every test says so with ``pytestmark = pytest.mark.usefixtures("boxes")``; some modules define their own."""
    from .ui_support import BoxRecorder

    return BoxRecorder(monkeypatch)


@pytest.fixture
def win(qtbot, seed2):
    """The main window on seed 2, opened from its file and exposed."""
    from .ui_support import seed2_window

    return seed2_window(qtbot, seed2)


@pytest.fixture(autouse=True)
def choices(monkeypatch):
    """Questions with buttons of our own words (action_support.choose: 只读打开, 另存为…, 重新载入 …) are recorded and
    answered from `choices.answers` (button indexes, in turn; None = 取消), never shown."""
    from .ui_support import ChoiceRecorder

    return ChoiceRecorder(monkeypatch)


@pytest.fixture(autouse=True)
def _tall_screen(monkeypatch):
    """The window tests see the whole form: the sections above the indicators fold on a short screen (issue 10),
    which the offscreen screen is; the tests of folding set form_sheet.short_screen themselves."""
    try:
        from selfeval_gui.ui.form import form_sheet
    except ImportError:
        return
    monkeypatch.setattr(form_sheet, "short_screen", lambda: False)
