"""One vocabulary: the words 草稿 / 定稿, the status values and the program's name are defined in one place each;
the ui's colours live in ui/common/look.py."""

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "selfeval_gui"
VOCABULARY = PACKAGE / "domain" / "vocabulary.py"
PROGRAM = PACKAGE / "__init__.py"
LOOK = PACKAGE / "ui" / "common" / "look.py"
ONE_PLACE = {"草稿": VOCABULARY, "定稿": VOCABULARY, "draft": VOCABULARY, "final": VOCABULARY}


def defined_words(root: Path) -> list[str]:
    """Module-level constants whose value is exactly one of the words kept in one place, outside that place."""
    from selfeval_gui import APP_TITLE

    one_place = {**ONE_PLACE, APP_TITLE: PROGRAM}
    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.Assign):
                continue
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            for v in values:
                if isinstance(v, ast.Constant) and v.value in one_place and path != one_place[v.value]:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {v.value}")
    return found


def colours_outside_look(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "ui").rglob("*.py")):
        if path == LOOK:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"#[0-9a-fA-F]{6}\b", line):
                found.append(f"{path.relative_to(root.parent)}:{n}")
    return found


def test_the_words_and_the_name_are_defined_once():
    assert defined_words(PACKAGE) == []


def test_the_ui_s_colours_are_in_look():
    assert colours_outside_look(PACKAGE) == []


def test_the_finders_see_a_second_definition(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "ui").mkdir(parents=True)
    (pkg / "words.py").write_text('DRAFT = "草稿"\nSTATES = "draft", "final"\n', encoding="utf-8")
    (pkg / "ui" / "w.py").write_text('STYLE = "color:#c0392b"\n', encoding="utf-8")
    assert [f.split(" ")[1] for f in defined_words(pkg)] == ["草稿", "draft", "final"]
    assert colours_outside_look(pkg) == ["pkg/ui/w.py:1"]
