"""Multi-module fixture projects: rules see ops, factories and re-exports of other modules."""

import ast
from pathlib import Path

import pytest

from expectations import expected
from flake8_argscope.checker import ArgScopeChecker, build_config
from flake8_argscope.project import clear_cache

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
FILES = sorted(p for p in PROJECTS.rglob("*.py")
               if not p.relative_to(PROJECTS).parts[0].startswith("e2e_") and "ASC" in p.read_text())


def run(path: Path, source=None):
    source = source if source is not None else path.read_text()
    checker = ArgScopeChecker(ast.parse(source), source.splitlines(True), str(path))
    checker.config = build_config()
    checker.config.debug = True
    return list(checker.run())


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PROJECTS)))
def test_project_file(path, monkeypatch):
    monkeypatch.chdir(path.parent)
    clear_cache()
    got = {(line, msg[:6]) for line, _c, msg, _t in run(path)}
    want = expected(path.read_text())
    assert got == want, "\n".join(f"{l}:{c} {m}" for l, c, m, _ in run(path))
