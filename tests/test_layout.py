"""The package stays readable: no class over 300 lines, no function over 80 (the generated
tables excepted), and every module says what it holds in its first line."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "flake8_argscope"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "_tables.py")


def _span(node) -> int:
    return node.end_lineno - node.lineno + 1


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_sizes(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            assert _span(node) <= 300, f"class {node.name}: {_span(node)} lines"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            assert _span(node) <= 80, f"def {node.name}: {_span(node)} lines"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_docstring(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path.name == "__init__.py" and not tree.body:
        return
    assert ast.get_docstring(tree), "a module docstring says what the module holds"
