"""benchmarks/inject.py: the injector finds the right sites, mutates them in place, and
counts what the plugin reports (a fixture in our own words, five functions)."""

import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import inject  # noqa: E402

FIXTURE = '''\
import tf_slim as slim


def tower(images):
    with slim.arg_scope([slim.conv2d], padding='SAME', stride=1):
        net = slim.conv2d(images, 32, [3, 3], scope='c1')
        net = slim.conv2d(net, 64, [3, 3], stride=2, padding='VALID')
        net = slim.max_pool2d(net, [2, 2])
    return net


def head(net):
    size = 3
    with slim.arg_scope([slim.conv2d], kernel_size=size):
        size = 5
        net = slim.conv2d(net, 8)
    return net


def deferred(net):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        def later(x):
            return slim.conv2d(x, 4, [1, 1])
    return later(net)


def defaults(weight_decay=0.1):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME') as sc:
        return sc


def body(net):
    with slim.arg_scope(defaults()):
        return slim.conv2d(net, 8, [3, 3])
'''


def _sites():
    lines = FIXTURE.splitlines(keepends=True)
    return lines, inject.find_sites(ast.parse(FIXTURE), lines)


def test_sites_are_the_true_bugs_only():
    # line 6: padding and stride may be repeated, and a 4th positional lands on stride;
    # line 7 passes both keys; max_pool2d is not listed; line 16: `size` is rebound inside
    # the with (no ASC201) but a 3rd positional lands on kernel_size; the nested def's call
    # runs later, outside the scope; line 34: the scope comes from a factory's body
    _, sites = _sites()
    got = [(s.code, s.line, s.text) for s in sites]
    assert sorted(got) == [
        ("ASC201", 6, ", padding='SAME'"),
        ("ASC201", 6, ", stride=1"),
        ("ASC201", 34, ", padding='SAME'"),
        ("ASC201", 34, ", stride=1"),
        ("ASC401", 6, ", 1"),
        ("ASC401", 16, ", size"),
        ("ASC401", 34, ", 1"),
    ]


def test_mutation_stays_on_its_line_and_parses():
    lines, sites = _sites()
    positional = next(s for s in sites if s.code == "ASC401" and s.line == 6)
    mutated = inject.mutate(lines, positional)
    assert len(mutated) == len(lines)
    assert mutated[5].strip() == "net = slim.conv2d(images, 32, [3, 3], 1, scope='c1')"
    keyword = next(s for s in sites if s.kw == "padding")
    assert inject.mutate(lines, keyword)[5].strip() == (
        "net = slim.conv2d(images, 32, [3, 3], scope='c1', padding='SAME')")
    for site in sites:
        ast.parse("".join(inject.mutate(lines, site)))


def test_run_file_counts_the_plugin_findings(tmp_path):
    (tmp_path / "nets.py").write_text(FIXTURE)
    results = inject.run_file("fx", tmp_path / "nets.py", tmp_path, None, 0)
    assert len(results) == 7
    assert all(r.found and not r.extra and not r.internal_error for r in results)
    sampled = inject.run_file("fx", tmp_path / "nets.py", tmp_path, 2, 0)
    again = inject.run_file("fx", tmp_path / "nets.py", tmp_path, 2, 0)
    assert [r.site for r in sampled] == [r.site for r in again] and len(sampled) == 2


def test_a_miss_is_reported(tmp_path, capsys):
    # a file outside any arg_scope-enabled import: the plugin cannot know what `conv` is,
    # so an injected keyword goes unreported, and the CLI lists the site as missed
    (tmp_path / "fx").mkdir()
    (tmp_path / "fx" / "m.py").write_text(
        "from somewhere import arg_scope, conv\n\n\n"
        "def f(x):\n"
        "    with arg_scope([conv], rate=2):\n"
        "        return conv(x)\n")
    assert inject.main(["--corpus", "fx", "--repos-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "fx/m.py:6 ASC201 conv(...', rate=2') [op unresolved; other arg_scope on line 5]" in out
    assert "missed: 1" in out


CALLERS = '''\
import tf_slim as slim


def block(net, depth):
    net = slim.conv2d(net, depth, [3, 3], scope='a')
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        net = slim.conv2d(net, depth, [1, 1], scope='b')
    if depth > 8:
        net = slim.conv2d(net, depth, [1, 1], scope='c')
    return net


def stem(images):
    with slim.arg_scope([slim.conv2d], stride=2, padding='SAME'):
        net = block(images, 16)
    return block(net, 8)
'''


def test_callers_sites_are_in_the_callee_and_expected_at_the_call(tmp_path):
    # --callers: the op call of block() that runs under stem()'s scope only (not the one
    # under block()'s own scope, nor the one in its branch, nor the call of block() outside
    # any scope); the positional goes into block(), the finding is expected on line 15,
    # where stem() calls it
    lines = CALLERS.splitlines(keepends=True)
    sites = inject.find_sites(ast.parse(CALLERS), lines, callers=True)
    assert [(s.code, s.line, s.text, s.report_line) for s in sites] == [
        ("ASC401", 5, ", 2", 15)]
    lexical = inject.find_sites(ast.parse(CALLERS), lines)
    assert not any(s.line == 5 or s.report_line for s in lexical)  # no scope there
    (tmp_path / "nets.py").write_text(CALLERS)
    results = inject.run_file("fx", tmp_path / "nets.py", tmp_path, None, 0, callers=True)
    assert [(r.found, r.extra) for r in results] == [(True, [])]
