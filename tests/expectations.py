"""Inline expectations, bugbear-style: ``# ASC201`` on a line expects that code there.

A line may carry several codes (``# ASC401 ASC201``). A module-level comment
``# argscope: --argscope-min-repeats=2`` passes options to the checker.

Beside each rule fixture ``name.py``, ``name.txt`` holds the full expected output, one
``line:col: message`` a finding (as pylint's functional tests keep theirs), so columns and
every variable part of each message are checked too. Rewrite them after a deliberate
change, then review the diff:

    python tests/expectations.py --update
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

from flake8_argscope.api import build_config
from flake8_argscope.checker import ArgScopeChecker

CODE_RE = re.compile(r"#.*?\b(ASC\d{3}(?:[ ,]+ASC\d{3})*)")
OPTS_RE = re.compile(r"^# argscope: (.*)$", re.M)


def expected(source: str) -> set:
    out = set()
    for lineno, line in enumerate(source.splitlines(), 1):
        m = CODE_RE.search(line)
        if m:
            for code in re.findall(r"ASC\d{3}", m.group(1)):
                out.add((lineno, code))
    return out


def options_for(source: str) -> argparse.Namespace:
    ns = argparse.Namespace(
        argscope_min_repeats=3, argscope_exempt_kwargs=["is_training"],
        argscope_scoped_ops=[], argscope_arg_scope_modules=[], argscope_import_roots=[],
        argscope_debug=True, select=["ASC"], ignore=[], extend_select=[],
        extend_ignore=[], extended_default_select=["ASC"], extended_default_ignore=[],
        disable_noqa=False, enable_extensions=[])
    for m in OPTS_RE.finditer(source):
        for part in m.group(1).split():
            key, _, value = part.lstrip("-").partition("=")
            key = key.replace("-", "_")
            current = getattr(ns, key, None)
            setattr(ns, key, value.split(",") if isinstance(current, list) else (
                int(value) if isinstance(current, int) and not isinstance(current, bool)
                else value))
    return ns


def findings(source: str, filename: str = "fixture.py") -> list:
    tree = ast.parse(source)
    checker = ArgScopeChecker(tree, source.splitlines(True), filename)
    checker.config = build_config(options_for(source))
    checker.config.debug = True
    return list(checker.run())


def actual(source: str, filename: str = "fixture.py") -> set:
    return {(line, msg[:6]) for line, _col, msg, _t in findings(source, filename)}


def fixture_files(folder: Path) -> list:
    return sorted(p for p in folder.rglob("*.py") if not p.name.startswith("_"))


def output_lines(source: str, filename: str = "fixture.py") -> list:
    """Every finding as ``line:col: message`` (flake8's column: 1-based)."""
    return [f"{line}:{col + 1}: {msg}" for line, col, msg, _t in findings(source, filename)]


def snapshot_of(path: Path) -> Path:
    return path.with_suffix(".txt")


def update(folder: Path) -> None:
    for path in fixture_files(folder):
        lines = output_lines(path.read_text(), str(path))
        snapshot_of(path).write_text("".join(f"{line}\n" for line in lines))
        print(f"{snapshot_of(path).name}: {len(lines)} findings")


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python tests/expectations.py --update")
    update(Path(__file__).parent / "fixtures" / "rules")
