"""The ``flake8-argscope`` command: ``explain`` read against inline expectations, and the
real console script run end to end.

Explain fixtures carry their expectation on the call line:
``# receives: padding@call stride@6 weights_initializer@4/2`` — each keyword the op receives
and its origin: ``call``, ``partial``, ``meta-op``, or the line of the ``with`` that supplies
it (``/N``: the arg_scope(...) call that sets it is on line N, a factory or a held scope);
``# may: names`` (or ``*``) for what the model knows may be supplied too;
``# collides: stride`` for positional arguments that collide.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_argscope.checker import Config
from flake8_argscope.cli.explain import explain_source

HERE = Path(__file__).parent
REPO = HERE.parent
SLIMPROJ = HERE / "fixtures" / "projects" / "slimproj"
TIMEOUT = 120


def console_script():
    """The installed ``flake8-argscope`` of this interpreter's environment."""
    path = Path(sys.executable).parent / "flake8-argscope"
    if not path.exists():
        pytest.skip("flake8-argscope is not installed in this environment")
    return str(path)


def run_cli(*args, cwd=REPO, stdin=None):
    return subprocess.run([console_script(), *map(str, args)], cwd=str(cwd), input=stdin,
                          capture_output=True, text=True, timeout=TIMEOUT)


EXPLAIN_FIXTURE = '''\
import functools
import tensorflow as tf
import tf_slim as slim


def nested(x, c, params, mystery):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
            x = slim.conv2d(x, 64, [11, 11], 4, padding='VALID')  # receives: activation_fn@7 weights_regularizer@7 stride@10 padding@call # collides: stride
            x = slim.fully_connected(x, 10, activation_fn=None)  # receives: activation_fn@call weights_regularizer@7
            x = slim.repeat(x, 2, slim.conv2d, 64, [3, 3], scope='c')  # receives: activation_fn@7 weights_regularizer@7 stride@10 padding@10 scope@meta-op
        x = slim.conv2d(x, 8, 3, **params)  # receives: activation_fn@7 weights_regularizer@7 # may: *
    x = slim.conv2d(x, 8, 3, padding='SAME')  # receives: padding@call
    x = slim.conv2d(x, 8, 3)  # receives:
    with (slim.arg_scope([slim.conv2d], padding='SAME', stride=2) if c
          else slim.arg_scope([slim.conv2d], padding='SAME')):
        x = slim.conv2d(x, 8, 3)  # receives: padding@17 # may: stride
    with mystery():
        x = slim.conv2d(x, 8, 3, stride=1)  # receives: stride@call # may: *
    held = slim.arg_scope([slim.conv2d], rate=2)
    with held:
        x = slim.conv2d(x, 8, 3)  # receives: rate@23/22
    with slim.arg_scope([slim.fully_connected], weights_regularizer=None):
        x = slim.stack(x, slim.fully_connected, [32, 64])  # receives: weights_regularizer@25 scope@meta-op
    return x


def not_inherited(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        def inner(y):
            return slim.conv2d(y, 8, 3)  # receives:
        return inner(x)
'''

_RECEIVES = re.compile(r"# receives:([^#]*)")
_MAY = re.compile(r"# may:([^#]*)")
_COLLIDES = re.compile(r"# collides:([^#]*)")


def _origin(info):
    if info["from"] != "scope":
        return info["from"]
    origin = str(info["scope_line"])
    if "factory_line" in info:
        origin += f"/{info['factory_line']}"
    return origin


def _expected(source):
    """line -> (received {name: origin}, may-set or None, collisions) for each marked call."""
    out = {}
    for n, text in enumerate(source.splitlines(), 1):
        m = _RECEIVES.search(text)
        if m is None:
            continue
        received = dict(item.split("@") for item in m[1].split())
        may = _MAY.search(text)
        collides = _COLLIDES.search(text)
        out[n] = (received, set(may[1].split()) if may else None,
                  set(collides[1].split()) if collides else set())
    return out


def _got(reports):
    out = {}
    for r in reports:
        received = {name: _origin(info) for name, info in r["keywords"].items()}
        may = None
        for inc in r["incomplete"]:
            if "names" in inc:
                names = {"*"} if inc["names"] == "*" else set(inc["names"])
                may = names if may is None else may | names
        got = (received, may, {c["keyword"] for c in r["collisions"]})
        assert out.get(r["line"], got) == got, f"line {r['line']}: layer calls differ"
        out[r["line"]] = got
    return out


def test_explain_inline_expectations():
    reports = explain_source(EXPLAIN_FIXTURE, "fixture.py", Config())
    assert _got(reports) == _expected(EXPLAIN_FIXTURE)


def test_explain_values_and_overrides():
    reports = explain_source(EXPLAIN_FIXTURE, "fixture.py", Config())
    first = next(r for r in reports if r["line"] == 11)
    assert first["op"] == "slim.conv2d" and first["col"] == 17
    assert first["keywords"]["weights_regularizer"]["value"] == "slim.l2_regularizer(0.0005)"
    assert first["keywords"]["padding"] == {"value": "'VALID'", "from": "call", "line": 11}
    assert first["overridden"]["padding"]["value"] == "'SAME'"
    assert first["overridden"]["padding"]["scope_line"] == 10
    assert first["collisions"] == [{"position": 4, "keyword": "stride", "value": "4",
                                    "line": 11, "scope_line": 10}]
    stacked = [r for r in reports if r["line"] == 26]
    assert len(stacked) == 2 and {r["via"] for r in stacked} == {"slim.stack"}


def test_explain_factory_in_another_module(monkeypatch):
    """A project factory's value: the with of this file, and the arg_scope in the factory's
    module (with the value the factory's parameter takes)."""
    monkeypatch.chdir(SLIMPROJ)
    source = (SLIMPROJ / "train.py").read_text()
    reports = explain_source(source, "train.py", Config())
    line = next(n for n, t in enumerate(source.splitlines(), 1)
                if "slim.l2_regularizer(0.1))  # ASC201" in t)
    report = next(r for r in reports if r["line"] == line)
    reg = report["overridden"]["weights_regularizer"]
    assert reg["value"] == "slim.l2_regularizer(0.1)" and reg["same"] is True
    assert reg["scope_line"] == line - 1
    assert reg["factory_path"] == os.path.join("nets", "scopes.py")
    assert reg["factory_line"] == 5
    padding = report["keywords"]["padding"]
    assert (padding["value"], padding["from"], padding["scope_line"]) == ("'SAME'", "scope",
                                                                          line - 1)


def test_explain_either_of_imports():
    source = textwrap.dedent('''\
        try:
            import tf_slim as slim
        except ImportError:
            slim = __import__('tensorflow').contrib.slim


        def f(x):
            with slim.arg_scope([slim.conv2d], padding='SAME'):
                return slim.conv2d(x, 8, 3)
        ''')
    reports = explain_source(source, "f.py", Config())
    assert [(r["line"], sorted(r["keywords"])) for r in reports] == [(9, ["padding"])]


# ----------------------------------------------------------------------------- console script
def test_console_script_explain_json(tmp_path):
    path = tmp_path / "fixture.py"
    path.write_text(EXPLAIN_FIXTURE)
    proc = run_cli("explain", f"{path}:11", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    reports = json.loads(proc.stdout)
    assert [r["line"] for r in reports] == [11]
    assert reports[0]["path"] == str(path)
    assert _got(reports) == {11: _expected(EXPLAIN_FIXTURE)[11]}


def test_console_script_explain_text_and_module_entry():
    proc = run_cli("explain", "examples/snippet3_nested.py")
    assert proc.returncode == 0, proc.stderr
    assert "examples/snippet3_nested.py:12:19: slim.conv2d" in proc.stdout
    assert "stride=1" in proc.stdout and "from scope line 11" in proc.stdout
    same = subprocess.run([sys.executable, "-m", "flake8_argscope", "explain",
                           "examples/snippet3_nested.py"], cwd=str(REPO), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert same.returncode == 0 and same.stdout == proc.stdout, same.stderr


def test_console_script_explain_errors(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(:\n")
    proc = run_cli("explain", bad)
    assert proc.returncode == 2 and "syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli("explain", tmp_path / "missing.py")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = run_cli("explain", "-", "--format", "json", stdin=EXPLAIN_FIXTURE)
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["path"] == "stdin"


def test_flake8_plugin_does_not_import_the_cli():
    """The lint path (the flake8 entry point, a run on Slim code) never loads the CLI."""
    code = textwrap.dedent('''\
        import sys
        from flake8.main.cli import main
        try:
            main(["--select=ASC", "examples/snippet3_nested.py"])
        except SystemExit:
            pass
        loaded = sorted(m for m in sys.modules if m.startswith("flake8_argscope"))
        assert "flake8_argscope.walk" in loaded, loaded
        bad = [m for m in loaded if m.startswith(("flake8_argscope.cli",
                                                  "flake8_argscope.pylsp"))]
        print(bad)
        ''')
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(REPO), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout
