"""Errors are picked out in one place, checks.errors_of: no module compares a finding's level with ERROR itself
(a hand count once disagreed with the status bar)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "selfeval_gui"
THE_PLACE = PACKAGE / "domain" / "checks.py"


def hand_counts(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == THE_PLACE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare):
                names = [n.id for n in [node.left, *node.comparators] if isinstance(n, ast.Name)]
                texts = [n.value for n in [node.left, *node.comparators] if isinstance(n, ast.Constant)]
                if "ERROR" in names or "error" in texts:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_no_module_counts_errors_by_hand():
    assert hand_counts(PACKAGE) == []


def test_the_finder_sees_a_hand_count(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "m.py").write_text("n = sum(1 for f in fs if f.level == ERROR)\n", encoding="utf-8")
    assert hand_counts(pkg) == ["pkg/m.py:1"]
