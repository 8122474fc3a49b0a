"""The code stays in pieces a person can read: no function in selfeval_gui/ longer than 60 lines, and none whose
cyclomatic complexity as radon counts it is above 20.

(ruff's C901 in .ci/run holds mccabe's count at 12, but mccabe does not count boolean operators or the conditions
of comprehensions, so a function of many `and`/`or` passed it at 30; radon counts them.  ruff has no rule for
length, so it is checked here too.)
"""

import ast
from pathlib import Path

from radon.complexity import cc_visit

import selfeval_gui

MAX_LINES = 60
MAX_COMPLEXITY = 20  # radon's rank C ends at 20
PACKAGE = Path(selfeval_gui.__file__).resolve().parent


def long_functions(root: Path, limit: int = MAX_LINES) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno} {node.name} ({lines} lines)")
    return found


def test_no_function_above_sixty_lines():
    assert long_functions(PACKAGE) == []


def test_the_length_check_finds_a_long_function(tmp_path):
    body = "\n".join(f"    x{n} = {n}" for n in range(MAX_LINES))
    (tmp_path / "long.py").write_text(f"def too_long():\n{body}\n", encoding="utf-8")
    (tmp_path / "short.py").write_text("def fine():\n    return 1\n", encoding="utf-8")
    assert [f.split(" ")[1] for f in long_functions(tmp_path)] == ["too_long"]


def complex_functions(root: Path, limit: int = MAX_COMPLEXITY) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            for f in [block, *getattr(block, "methods", [])]:
                if f.complexity > limit:
                    found.append(f"{path.relative_to(root.parent)}:{f.lineno} {f.name} ({f.complexity})")
    return found


def test_no_function_above_complexity_twenty():
    assert complex_functions(PACKAGE) == []


def test_the_complexity_check_counts_boolean_operators(tmp_path):
    conditions = " or ".join(f"x == {n}" for n in range(MAX_COMPLEXITY + 1))
    (tmp_path / "tangled.py").write_text(f"def tangled(x):\n    return {conditions}\n", encoding="utf-8")
    assert [f.split(" ")[1] for f in complex_functions(tmp_path)] == ["tangled"]
