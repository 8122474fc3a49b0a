"""The code stays in pieces a person can read: no function in selfeval_gui/ longer than 60 lines.

(Complexity above 12 is ruff's C901, run by .ci/run; ruff has no rule for length, so it is checked here.)
"""

import ast
from pathlib import Path

import selfeval_gui

MAX_LINES = 60
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
