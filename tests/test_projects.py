"""Multi-module fixture projects: rules see ops, factories and re-exports of other modules."""

import ast
from pathlib import Path

import pytest

from expectations import expected
from flake8_argscope.api import build_config
from flake8_argscope.checker import ArgScopeChecker
from flake8_argscope.project import clear_cache

PROJECTS = Path(__file__).parent / "fixtures" / "projects"
FILES = sorted(p for p in PROJECTS.rglob("*.py")
               if not p.relative_to(PROJECTS).parts[0].startswith("e2e_")
               and "ASC" in p.read_text())


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
    assert got == want, "\n".join(f"{ln}:{c} {m}" for ln, c, m, _ in run(path))


def test_known_libraries_are_never_imported_or_parsed(tmp_path):
    """Linting the fixture project in a fresh interpreter imports none of tensorflow,
    tf_slim, tensorpack, nor astroid, and caches only the project's own modules."""
    import subprocess
    import sys
    import textwrap

    project = PROJECTS / "slimproj"
    script = textwrap.dedent(f"""
        import ast, os, sys
        os.chdir({str(project)!r})
        from flake8_argscope.checker import ArgScopeChecker
        from flake8_argscope import project
        src = open("train.py").read()
        found = list(ArgScopeChecker(ast.parse(src), src.splitlines(True), "train.py").run())
        assert found, "the fixture project has findings"
        bad = [m for m in sys.modules if m.split(".")[0] in
               ("tensorflow", "tf_slim", "tensorpack", "astroid", "keras")]
        assert not bad, bad
        cached = sorted(os.path.relpath(p, {str(project)!r}) for p in project._MODELS)
        assert all(not p.startswith("..") for p in cached), cached
        assert "train.py" not in cached, cached
        print(cached)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "nets/scopes.py" in out.stdout


def test_buffer_not_disk_is_linted(monkeypatch):
    """The current file comes from flake8's lines (editors send unsaved buffers)."""
    path = PROJECTS / "slimproj" / "train.py"
    monkeypatch.chdir(path.parent)
    clear_cache()
    buffer = "import tf_slim as slim\nfrom nets import ops\n\n\ndef f(x):\n" \
             "    with slim.arg_scope([ops.expanded_conv], stride=2):\n" \
             "        return ops.expanded_conv(x, 8, 1)\n"
    found = run(path, buffer)
    assert [(ln, m[:6]) for ln, _c, m, _t in found] == [(7, "ASC401")]
