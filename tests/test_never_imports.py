"""Linting never imports or executes the linted code (nor the libraries it uses).

The linted module writes a marker file when executed; it sits in a package
whose ``__init__`` writes a marker, next to a sibling module it imports; and
fake ``tensorflow`` / ``tf_slim`` / ``tensorpack`` packages placed first on
``sys.path`` (in-process) and ``PYTHONPATH`` (subprocess) write markers when
imported.  No marker may appear, and after in-process linting none of the
fake (or real) libraries may have been added to ``sys.modules``.
"""
from __future__ import annotations

import os
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hostile import harness  # noqa: E402

LIBRARIES = ("tensorflow", "tf_slim", "tensorpack")

MARKER_CODE = textwrap.dedent('''\
    import os as _os
    _p = _os.path.join({marker_dir!r}, {name!r})
    with open(_p, "w") as _f:
        _f.write("imported")
    ''')

VICTIM = textwrap.dedent('''\
    """Linting this file must not execute it."""
    import os
    import tensorflow as tf
    import tf_slim as slim
    import tensorpack
    from tensorpack import argscope, enable_argscope_for_module
    from tensorpack.tfutils.argscope import argscope as argscope2
    from tensorflow.contrib.framework import arg_scope, add_arg_scope
    from . import sibling
    from .sibling import my_scope, my_layer
    from victim_pkg.sibling import other_layer
    import victim_pkg.sibling as sib

    with open(os.path.join({marker_dir!r}, "victim_executed"), "w") as fh:
        fh.write("executed")

    enable_argscope_for_module(tf.layers)


    @slim.add_arg_scope
    def my_op(inputs, stride=1, padding='SAME'):
        return inputs


    def model(net):
        with slim.arg_scope([slim.conv2d, my_op], stride=2, padding='SAME'):
            with slim.arg_scope(my_scope()):
                with argscope(tensorpack.Conv2D, kernel_size=3):
                    net = slim.conv2d(net, 64, [3, 3], 2, padding='SAME')
                    net = my_layer(net, stride=2)
                    net = sib.other_layer(net, padding='SAME')
                    net = my_op(net, 1, padding='SAME')
        net = slim.conv2d(net, 64, [3, 3], weights_regularizer=slim.l2_regularizer(0.1))
        net = slim.conv2d(net, 64, [3, 3], weights_regularizer=slim.l2_regularizer(0.1))
        net = slim.conv2d(net, 64, [3, 3], weights_regularizer=slim.l2_regularizer(0.1))
        return net


    if __name__ == "__main__":
        model(None)
    ''')

SIBLING = textwrap.dedent('''\
    import tf_slim as slim
    {marker}

    @slim.add_arg_scope
    def my_layer(inputs, stride=1):
        return inputs


    other_layer = my_layer


    def my_scope():
        with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
            return sc
    ''')


@pytest.fixture
def trap(tmp_path):
    """Build the trap; return (victim path, marker dir, fake-library dir, project dir)."""
    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    libs = tmp_path / "fakelibs"
    for lib in LIBRARIES:
        for sub in ("", "/tfutils", "/contrib", "/contrib/framework"):
            pkg = libs / (lib + sub)
            pkg.mkdir(parents=True, exist_ok=True)
            (pkg / "__init__.py").write_text(
                MARKER_CODE.format(marker_dir=str(marker_dir),
                                   name=f"imported_{lib}{sub.replace('/', '.')}")
                + "def arg_scope(*a, **k):\n    pass\n"
                  "def add_arg_scope(f):\n    return f\n"
                  "argscope = enable_argscope_for_module = arg_scope\n"
                  "layers = Conv2D = conv2d = l2_regularizer = None\n")
        (libs / lib / "tfutils" / "argscope.py").write_text(
            MARKER_CODE.format(marker_dir=str(marker_dir), name=f"imported_{lib}.argscope")
            + "def argscope(*a, **k):\n    pass\n")
    project = tmp_path / "project"
    pkg = project / "victim_pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        MARKER_CODE.format(marker_dir=str(marker_dir), name="package_init_executed"))
    (pkg / "sibling.py").write_text(SIBLING.format(
        marker=MARKER_CODE.format(marker_dir=str(marker_dir), name="sibling_executed")))
    victim = pkg / "victim.py"
    victim.write_text(VICTIM.format(marker_dir=str(marker_dir)))
    # Also a same-named module right next to the linted file, where a naive
    # resolver would look first.
    (pkg / "tensorflow.py").write_text(
        MARKER_CODE.format(marker_dir=str(marker_dir), name="local_tensorflow_executed"))
    return victim, marker_dir, libs, project


def _markers(marker_dir):
    return sorted(p.name for p in marker_dir.iterdir())


def test_trap_works(trap, tmp_path):
    """Sanity check of the trap itself: importing really does leave markers."""
    import subprocess

    victim, marker_dir, libs, project = trap
    env = harness.subprocess_env(pythonpath=[libs, project])
    proc = subprocess.run([sys.executable, "-c", "import victim_pkg.victim"],
                          cwd=str(tmp_path), env=env, capture_output=True)
    found = _markers(marker_dir)
    assert proc.returncode == 0, proc.stderr.decode()
    assert {"victim_executed", "imported_tensorflow", "imported_tf_slim", "imported_tensorpack",
            "package_init_executed", "sibling_executed"} <= set(found), found
    for p in marker_dir.iterdir():
        p.unlink()


def test_in_process_lint_imports_nothing(trap, monkeypatch):
    victim, marker_dir, libs, project = trap
    before = {name: sys.modules.get(name) for name in LIBRARIES}
    before_keys = set(sys.modules)
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.syspath_prepend(str(libs))
    monkeypatch.chdir(project)

    processor = harness.make_processor(str(victim))
    import ast

    tree = ast.parse("".join(processor.lines))
    results = harness.run_checker_on_tree(tree, processor.lines, str(victim), processor=processor)
    harness.check_results(results, processor.lines, context="victim.py")
    # The file was really analysed (three slim.conv2d calls repeat a keyword).
    assert results, "no findings at all: was the victim analysed?"

    assert _markers(marker_dir) == [], "linting imported or executed code"
    for name in LIBRARIES:
        if before[name] is None:
            assert name not in sys.modules, f"{name} was imported by linting"
        else:
            assert sys.modules.get(name) is before[name]
    new = set(sys.modules) - before_keys
    leaked = sorted(m for m in new
                    if m.split(".")[0] in LIBRARIES + ("victim_pkg", "victim", "sibling"))
    assert not leaked, f"modules imported while linting: {leaked}"
    for name in new:
        mod_file = getattr(sys.modules.get(name), "__file__", None) or ""
        assert not mod_file.startswith(str(victim.parent.parent.parent)), (
            f"{name} imported from the trap ({mod_file})")


def test_flake8_executable_imports_nothing(trap):
    victim, marker_dir, libs, project = trap
    env = harness.subprocess_env(pythonpath=[libs, project])
    run = harness.run_flake8(["victim_pkg/victim.py", "victim_pkg/sibling.py",
                              "victim_pkg/__init__.py", "victim_pkg/tensorflow.py"],
                             cwd=project, env=env, timeout=120)
    assert not harness.output_problems(run), harness.describe(run)
    assert "victim.py" in run.stdout, harness.describe(run)  # it was analysed
    assert _markers(marker_dir) == [], (
        f"flake8 run imported or executed code: {_markers(marker_dir)}\n"
        + harness.describe(run))
