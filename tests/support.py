"""Paths shared by the tests (no tests here): the project folder and the bundled example forms.

Import with ``from .support import SEED1``; fixtures live in conftest.py and are found by pytest on their own.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMS = ROOT / "forms"
SEED1 = FORMS / "公共事务协管经费_2020.json"
SEED2 = FORMS / "城管以奖促治经费_2020.json"
BLANK = FORMS / "空白表_朝阳区2020.json"
