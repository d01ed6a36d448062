"""analyse() walks the worlds after the first only where the findings so far are (and shares
their frames); it must keep exactly the findings that full walks of every world have in
common. The reference below is that definition, run on every file with either-of names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_argscope.checker import build_config
from flake8_argscope.walk import Walker, analyse
from flake8_argscope.worlds import worlds_of

ROOT = Path(__file__).resolve().parent
SOURCES = sorted(ROOT.glob("fixtures/**/*.py")) + sorted(ROOT.glob("oracle/**/*.py"))


def full_walks(tree, config, filename, source):
    """Every world walked whole, each on its own; the findings they all have."""
    worlds = worlds_of(Walker(tree, config, filename, source).resolver)
    assert worlds
    common = None
    for world in worlds:
        found = {}
        for line, col, msg in sorted(set(Walker(tree, config, filename, source, world).run())):
            k = 0
            while (line, col, msg[:6], k) in found:
                k += 1
            found[(line, col, msg[:6], k)] = (line, col, msg)
        common = found if common is None else {k: v for k, v in common.items() if k in found}
    return sorted(common.values())


def either_files():
    config = build_config()
    out = []
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        if worlds_of(Walker(tree, config, str(path), source).resolver):
            out.append(path)
    return out


EITHER = either_files()


def test_there_are_files_with_worlds():
    assert len(EITHER) >= 5, EITHER


@pytest.mark.parametrize("path", EITHER, ids=lambda p: str(p.relative_to(ROOT)))
def test_narrowed_worlds_find_what_full_walks_find(path):
    source = path.read_text(encoding="utf-8")
    config = build_config()
    expected = full_walks(ast.parse(source), config, str(path), source)
    assert sorted(analyse(ast.parse(source), config, str(path), source)) == expected


def test_generated_either_model():
    import sys

    sys.path.insert(0, str(ROOT.parent / "benchmarks"))
    from generate_huge import generate

    source = generate(3000, "either")
    config = build_config()
    expected = full_walks(ast.parse(source), config, "huge.py", source)
    assert expected  # planted findings survive both worlds
    assert sorted(analyse(ast.parse(source), config, "huge.py", source)) == expected
