"""Shared test set-up: Qt offscreen, user data in a temporary folder, paths to the example forms."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
SEED1 = FORMS / "公共事务协管经费_2020.json"
SEED2 = FORMS / "城管以奖促治经费_2020.json"
BLANK = FORMS / "空白表_朝阳区2020.json"


@pytest.fixture(autouse=True)
def _user_data_in_tmp(tmp_path_factory, monkeypatch):
    """Settings, recent files and autosaves never touch the real user folders."""
    d = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("SELFEVAL_DATA_DIR", str(d))
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
def cn_dir(tmp_path):
    """A folder with a Chinese name, as clerks have."""
    d = tmp_path / "绩效自评" / "2020年度"
    d.mkdir(parents=True)
    return d
