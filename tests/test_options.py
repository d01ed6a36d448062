"""Option values, end to end through the real ``flake8`` executable.

A bad value, in a configuration file or on the command line, stops flake8 with exactly one
line on stderr naming the option, the value and what is accepted; exit status 2; no traceback;
nothing on stdout. Values out of range are errors, never clamped. Names in
``argscope-scoped-ops`` that cannot match a call (a bare ``conv2d`` instead of the dotted
path) are refused the same way, once, before any file is read. tox runs this module on the
lowest supported flake8 (env ``py39-flake8min``) and on the newest (``py313``, ``py``).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

FLAKE8 = [sys.executable, "-m", "flake8"]
SNIPPET = '''\
import tf_slim as slim


def net(x):
    x = slim.conv2d(x, 8, 3, padding='VALID')
    x = slim.conv2d(x, 8, 3, padding='VALID')
    return x
'''

# (option, bad value, what the message must say is accepted)
BAD = [
    ("argscope-min-repeats", "abc", "a whole number >= 2"),
    ("argscope-min-repeats", "2.5", "a whole number >= 2"),
    ("argscope-min-repeats", "", "a whole number >= 2"),
    ("argscope-min-repeats", "-5", "a whole number >= 2"),
    ("argscope-min-repeats", "1", "a whole number >= 2"),
    ("argscope-min-repeats", "0", "a whole number >= 2"),
    ("argscope-scoped-ops", "conv2d", "dotted paths module.function"),
    ("argscope-scoped-ops", "mynet.layers.conv-bn", "dotted paths module.function"),
    ("argscope-arg-scope-modules", "third_party..slim", "dotted module names"),
    ("argscope-exempt-kwargs", "scope=", "keyword argument names"),
]


def run(tmp_path, *args):
    (tmp_path / "model.py").write_text(SNIPPET)
    return subprocess.run([*FLAKE8, "--select", "ASC", *args, "model.py"], cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=120)


def assert_one_line_error(proc, option, value, accepted):
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert proc.stdout == "", proc.stdout
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(
        f"flake8-argscope: bad value for {option}: {value!r} (accepted: {accepted}"), lines


@pytest.mark.parametrize("option,value,accepted", BAD)
def test_bad_value_in_config_file(tmp_path, option, value, accepted):
    (tmp_path / "setup.cfg").write_text(f"[flake8]\n{option} = {value}\n")
    assert_one_line_error(run(tmp_path), option, value, accepted)


@pytest.mark.parametrize("option,value,accepted", BAD)
def test_bad_value_on_command_line(tmp_path, option, value, accepted):
    assert_one_line_error(run(tmp_path, f"--{option}={value}"), option, value, accepted)


def test_short_name_among_good_ones_in_a_multiline_list(tmp_path):
    (tmp_path / ".flake8").write_text(
        "[flake8]\nargscope-scoped-ops =\n    mynet.layers.conv_bn,\n    conv2d\n")
    assert_one_line_error(run(tmp_path), "argscope-scoped-ops", "conv2d", "dotted paths")


@pytest.mark.parametrize("where", ["config", "cli"])
def test_lowest_accepted_value_takes_effect(tmp_path, where):
    """2 is accepted and used (two repeated calls report ASC101); spaces around it are fine."""
    if where == "config":
        (tmp_path / "tox.ini").write_text("[flake8]\nargscope-min-repeats =  2 \n")
        proc = run(tmp_path)
    else:
        proc = run(tmp_path, "--argscope-min-repeats", "2")
    assert proc.returncode == 1 and proc.stderr == "", proc.stderr
    assert [ln.split(" ", 2)[:2] for ln in proc.stdout.splitlines()] == [
        ["model.py:5:9:", "ASC101"]], proc.stdout


def test_default_and_larger_values(tmp_path):
    assert run(tmp_path).stdout == ""  # the default 3: two calls are not a group
    proc = run(tmp_path, "--argscope-min-repeats=40", "--argscope-scoped-ops=mynet.conv_bn",
               "--argscope-arg-scope-modules=vendored")
    assert proc.returncode == 0 and proc.stdout == proc.stderr == "", proc.stderr


def test_command_line_wins_over_a_bad_config_value(tmp_path):
    """flake8 lets the command line override the file; the override is what is checked."""
    (tmp_path / "setup.cfg").write_text("[flake8]\nargscope-min-repeats = abc\n")
    proc = run(tmp_path, "--argscope-min-repeats=2")
    assert proc.returncode == 1 and "ASC101" in proc.stdout, proc.stdout + proc.stderr


def test_flake8_declares_every_option_with_its_kind():
    """One declaration (options.OPTIONS) serves flake8 and pylint (pylint.py); flake8 gets
    each with the action its kind needs."""
    from flake8_argscope import options

    class Recorder:
        def __init__(self):
            self.options = {}

        def add_option(self, name, **kwargs):
            self.options[name.lstrip("-")] = kwargs

    recorder = Recorder()
    options.add_options(recorder)
    kinds = {name: kind for name, kind, *_ in options.OPTIONS}
    assert set(recorder.options) == set(kinds)
    for name, kwargs in recorder.options.items():
        assert kwargs["parse_from_config"] is True
        assert (kwargs.get("action") == "store_true") == (kinds[name] == "flag"), name
        assert kwargs.get("comma_separated_list", False) == (kinds[name] == "csv"), name
        assert "type" not in kwargs, name  # int values are checked by options.py
