"""analyse() walks the worlds after the first only where the findings so far are (and shares
their frames); it must keep exactly the findings that full walks of every world have in
common. The reference below is that definition, run on every file with either-of names."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from flake8_argscope.api import build_config
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


# findings in nested defs, methods, lambdas, decorated defs and module-level blocks, next to
# bodies without any; and a world-only finding (tf.contrib's module path in one branch)
NESTED = """\
import functools

import tensorflow as tf

try:
    import tf_slim as slim
except ImportError:
    slim = tf.contrib.slim

with slim.arg_scope([slim.conv2d], stride=2):
    TOP = slim.conv2d(1, 8, [3, 3], 2)


def clean(x):
    return slim.conv2d(x, 8, [3, 3])


def outer(x):
    def inner(y):
        with slim.arg_scope([slim.conv2d], padding='SAME'):
            return slim.conv2d(y, 8, [3, 3], padding='SAME')
    return inner(x)


class Net:
    def clean(self, x):
        return slim.max_pool2d(x, [2, 2])

    @functools.lru_cache()
    def build(self, x):
        with slim.arg_scope([slim.conv2d], stride=1):
            f = lambda v: slim.conv2d(v, 8, [3, 3], 2)  # noqa: E731 (no scope in a lambda)
            return slim.conv2d(f(x), 8, [3, 3], 2)


def repeated(x):
    x = slim.conv2d(x, 8, 3, rate=2)
    x = slim.conv2d(x, 8, 3, rate=2)
    return slim.conv2d(x, 8, 3, rate=2)
"""


def test_nested_bodies():
    config = build_config()
    expected = full_walks(ast.parse(NESTED), config, "nested.py", NESTED)
    codes = sorted(m[:6] for _l, _c, m in expected)
    assert codes == ["ASC101", "ASC201", "ASC401", "ASC401"], expected
    assert sorted(analyse(ast.parse(NESTED), config, "nested.py", NESTED)) == expected
