"""End to end: the installed plugin driven through the real ``flake8`` executable.

Every test runs ``python -m flake8`` in a subprocess whose working directory is a temporary
copy of a fixture project (``tests/fixtures/projects/e2e_*``) or of the files it needs, so the
repository's own ``[flake8]`` section (which excludes ``tests/fixtures`` and ``examples``)
never applies. ``--isolated`` is passed only where configuration files must be ignored.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from expectations import expected, fixture_files

HERE = Path(__file__).parent
REPO = HERE.parent
RULES = HERE / "fixtures" / "rules"
PROJECTS = HERE / "fixtures" / "projects"
EXAMPLES = REPO / "examples"
FLAKE8 = [sys.executable, "-m", "flake8"]
TIMEOUT = 120

LINE_RE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+[0-9]+) (?P<msg>.*)$")
OPTS_RE = re.compile(r"^# argscope: (.*)$", re.M)


# ----------------------------------------------------------------------------- helpers
def run_flake8(args, cwd, stdin=None, argv0=None, env=None):
    cmd = [sys.executable, str(argv0)] if argv0 else list(FLAKE8)
    return subprocess.run(
        [*cmd, *map(str, args)], cwd=str(cwd), input=stdin, capture_output=True, text=True,
        timeout=TIMEOUT, env=env)


def parse(stdout: str) -> list[tuple]:
    """flake8's default format ``path:line:col: CODE message`` -> tuples; any other
    non-empty line is a test failure (a traceback or a stray print on stdout)."""
    out = []
    for raw in stdout.splitlines():
        if not raw.strip():
            continue
        m = LINE_RE.match(raw)
        assert m, f"unparseable flake8 output line: {raw!r}\n--- stdout:\n{stdout}"
        out.append((m["path"], int(m["line"]), int(m["col"]), m["code"], m["msg"]))
    return out


def asc(stdout: str) -> list[tuple]:
    return [r for r in parse(stdout) if r[3].startswith("ASC")]


def pairs(stdout: str) -> set:
    return {(line, code) for _p, line, _c, code, _m in asc(stdout)}


def no_traceback(proc):
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout, proc.stdout


def copy_project(name: str, tmp_path: Path) -> Path:
    dest = tmp_path / name
    shutil.copytree(PROJECTS / name, dest)
    return dest


def header_options(source: str) -> list[str]:
    """The ``# argscope: --opt=value`` module comment of a rule fixture, as CLI flags."""
    return [part for m in OPTS_RE.finditer(source) for part in m.group(1).split()]


@pytest.fixture(scope="module")
def rules_run(tmp_path_factory):
    """One flake8 run per distinct option header over a copy of the rule fixtures:
    {file name: (set of (line, code), proc)}."""
    root = tmp_path_factory.mktemp("rules")
    groups: dict[tuple, list[Path]] = {}
    for path in fixture_files(RULES):
        dest = root / path.name
        shutil.copy(path, dest)
        groups.setdefault(tuple(header_options(path.read_text())), []).append(dest)
    results = {}
    for opts, files in groups.items():
        proc = run_flake8(["--select", "ASC", *opts, *[f.name for f in files]], root)
        no_traceback(proc)
        by_file = {f.name: set() for f in files}
        for path, line, _col, code, _msg in asc(proc.stdout):
            by_file[Path(path).name].add((line, code))
        for f in files:
            results[f.name] = (by_file[f.name], proc)
    return results


# ----------------------------------------------------------------------------- entry point
def test_version_lists_the_plugin(tmp_path):
    proc = run_flake8(["--version"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "flake8-argscope" in proc.stdout, proc.stdout


@pytest.mark.parametrize("path", fixture_files(RULES), ids=lambda p: p.stem)
def test_rule_fixture_through_flake8(rules_run, path):
    got, proc = rules_run[path.name]
    want = expected(path.read_text())
    assert got == want, (
        f"missing {sorted(want - got)}\nunexpected {sorted(got - want)}\n"
        f"--- stdout:\n{proc.stdout}\n--- stderr:\n{proc.stderr}")


# ----------------------------------------------------------------------------- seed examples
@pytest.fixture(scope="module")
def examples_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("examples")
    for path in EXAMPLES.glob("*.py"):
        shutil.copy(path, root / path.name)
    return root


def test_snippet1_one_asc101(examples_dir):
    proc = run_flake8(["--select", "ASC", "snippet1_repeated.py"], examples_dir)
    found = asc(proc.stdout)
    assert [r[3] for r in found] == ["ASC101"], proc.stdout
    assert proc.returncode == 1


def test_snippet3_one_asc401_on_conv1(examples_dir):
    source = (examples_dir / "snippet3_nested.py").read_text().splitlines()
    conv1 = next(i for i, line in enumerate(source, 1) if "scope='conv1'" in line)
    proc = run_flake8(["--select", "ASC", "snippet3_nested.py"], examples_dir)
    found = asc(proc.stdout)
    assert [(r[1], r[3]) for r in found] == [(conv1, "ASC401")], proc.stdout
    assert "'stride'" in found[0][4], found
    # the column points at the positional ``4``
    assert source[conv1 - 1][found[0][2] - 1] == "4", found


def test_snippet2_syntax_error_is_e999_only(examples_dir):
    proc = run_flake8(["snippet2_syntax_error.py"], examples_dir)
    no_traceback(proc)
    codes = [r[3] for r in parse(proc.stdout)]
    assert "E999" in codes, proc.stdout
    assert not [c for c in codes if c.startswith("ASC")], proc.stdout
    assert proc.returncode == 1


# ----------------------------------------------------------------------------- noqa
def test_noqa(tmp_path):
    project = copy_project("e2e_noqa", tmp_path)
    proc = run_flake8(["--select", "ASC", "noqa_cases.py"], project)
    no_traceback(proc)
    assert pairs(proc.stdout) == {
        (6, "ASC401"), (6, "ASC201"),  # no comment: both
        (7, "ASC201"),                  # noqa: ASC401 suppresses only ASC401
        (8, "ASC401"),                  # noqa: ASC201 on an ASC401 line does not suppress
        # line 9: bare noqa, line 10: both codes listed
        (20, "ASC401"),                 # a caller's scope: at the call, via block()
        # line 22: the same, with noqa on the call
    }, proc.stdout
    assert "ASC401 via block() (line 14) at line 15" in proc.stdout
    disabled = run_flake8(["--select", "ASC", "--disable-noqa", "noqa_cases.py"], project)
    assert {line for line, _code in pairs(disabled.stdout)} == {6, 7, 8, 9, 10, 20, 22}


# ----------------------------------------------------------------------------- options
CONFIG_FILES = ["setup.cfg", "tox.ini", ".flake8"]


def lines_of(project: Path, needle: str) -> int:
    src = (project / "model.py").read_text().splitlines()
    return next(i for i, line in enumerate(src, 1) if needle in line)


def test_config_defaults(tmp_path):
    project = copy_project("e2e_config", tmp_path)
    proc = run_flake8(["--select", "ASC", "model.py"], project)
    got = pairs(proc.stdout)
    assert (lines_of(project, "# ASC101"), "ASC101") not in got
    assert (lines_of(project, "# ASC201"), "ASC201") in got
    assert (lines_of(project, "tf.layers.conv2d], strides"), "ASC301") in got


@pytest.mark.parametrize("config_file", CONFIG_FILES)
def test_options_from_config_file(tmp_path, config_file):
    project = copy_project("e2e_config", tmp_path)
    (project / config_file).write_text(textwrap.dedent("""\
        [flake8]
        argscope-min-repeats = 2
        argscope-exempt-kwargs = padding
        argscope-scoped-ops =
            mylib.ops.my_conv,
            tf.layers.conv2d
        """))
    proc = run_flake8(["--select", "ASC", "model.py"], project)
    no_traceback(proc)
    # the project op's line is checked on its own in test_scoped_op_from_project_module
    got = pairs(proc.stdout) - {(lines_of(project, "[my_conv]"), "ASC301")}
    assert got == {(lines_of(project, "# ASC101"), "ASC101")}, proc.stdout


@pytest.mark.parametrize("where", [".flake8", "command line"])
def test_scoped_op_from_project_module(tmp_path, where):
    """``from mylib.ops import my_conv`` + ``argscope-scoped-ops = mylib.ops.my_conv``:
    the user vouches for the op, so listing it in an arg_scope is not ASC301, even though
    the plugin can read mylib/ops.py and sees no decorator there."""
    project = copy_project("e2e_config", tmp_path)
    args = ["--select", "ASC", "model.py"]
    if where == "command line":
        args.append("--argscope-scoped-ops=mylib.ops.my_conv")
    else:
        (project / where).write_text("[flake8]\nargscope-scoped-ops = mylib.ops.my_conv\n")
    proc = run_flake8(args, project)
    got = pairs(proc.stdout)
    assert (lines_of(project, "[my_conv]"), "ASC301") not in got, proc.stdout
    # the other findings are untouched by that option
    assert (lines_of(project, "# ASC201"), "ASC201") in got
    assert (lines_of(project, "tf.layers.conv2d], strides"), "ASC301") in got


def test_options_on_command_line(tmp_path):
    project = copy_project("e2e_config", tmp_path)
    proc = run_flake8(["--select", "ASC", "--argscope-min-repeats", "2",
                       "--argscope-exempt-kwargs=padding",
                       "--argscope-scoped-ops=mylib.ops.my_conv,tf.layers.conv2d",
                       "model.py"], project)
    no_traceback(proc)
    got = pairs(proc.stdout) - {(lines_of(project, "[my_conv]"), "ASC301")}
    assert got == {(lines_of(project, "# ASC101"), "ASC101")}, proc.stdout


def test_command_line_overrides_config(tmp_path):
    project = copy_project("e2e_config", tmp_path)
    (project / "setup.cfg").write_text("[flake8]\nargscope-min-repeats = 2\n")
    proc = run_flake8(["--select", "ASC101", "--argscope-min-repeats=3", "model.py"], project)
    assert pairs(proc.stdout) == set(), proc.stdout
    isolated = run_flake8(["--isolated", "--select", "ASC101", "model.py"], project)
    assert pairs(isolated.stdout) == set(), isolated.stdout


# ----------------------------------------------------------------------------- selection
@pytest.fixture(scope="module")
def multi(tmp_path_factory):
    root = tmp_path_factory.mktemp("multi")
    return copy_project("e2e_multi", root)


def multi_expected(project: Path) -> set:
    out = set()
    for path in sorted((project / "pkg").glob("*.py")):
        for line, code in expected(path.read_text()):
            out.add((f"pkg/{path.name}", line, code))
    return out


def triples(stdout: str) -> set:
    return {(os.path.normpath(p), line, code) for p, line, _c, code, _m in asc(stdout)}


def test_multi_project_findings(multi):
    proc = run_flake8(["--select", "ASC", "-j1", "pkg"], multi)
    no_traceback(proc)
    assert triples(proc.stdout) == multi_expected(multi), proc.stdout
    assert len({p for p, _l, _c in triples(proc.stdout)}) >= 4


def test_select_one_code(multi):
    proc = run_flake8(["--select", "ASC401", "pkg"], multi)
    codes = {r[3] for r in parse(proc.stdout)}
    assert codes == {"ASC401"}, proc.stdout


def test_extend_ignore_drops_code(multi):
    proc = run_flake8(["--select", "ASC", "--extend-ignore", "ASC101", "pkg"], multi)
    codes = {r[3] for r in parse(proc.stdout)}
    assert "ASC101" not in codes and "ASC401" in codes, proc.stdout


def test_default_selection_includes_asc(multi):
    proc = run_flake8(["pkg"], multi)
    codes = {r[3] for r in parse(proc.stdout)}
    assert {"ASC101", "ASC401"} <= codes, proc.stdout


def test_select_e_gives_no_asc(multi):
    proc = run_flake8(["--select", "E", "pkg"], multi)
    no_traceback(proc)
    assert not asc(proc.stdout), proc.stdout


# ----------------------------------------------------------------------------- parallelism
SPAWN_WRAPPER = '''\
import multiprocessing as mp
import os
import sys

import flake8.checker as checker

_original_init = checker._mp_init


def _recording_init(argv):
    # runs in every pool worker; under "spawn" flake8's prefork state is absent (flake8 >= 7.4
    # keeps it in ``_mp``, older releases in the ``_mp_plugins`` global)
    fresh = (checker._mp is None if hasattr(checker, "_mp")
             else not hasattr(checker, "_mp_plugins"))
    _original_init(argv)
    record = os.environ.get("ARGSCOPE_E2E_RECORD")
    if record:
        with open(os.path.join(record, str(os.getpid())), "w") as fh:
            fh.write(f"{mp.get_start_method()} {fresh}")


checker._mp_init = _recording_init

if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    from flake8.main.cli import main

    sys.exit(main())
'''


def sorted_lines(stdout: str) -> list[str]:
    return sorted(line for line in stdout.splitlines() if line.strip())


def test_jobs_two_same_as_one(multi):
    one = run_flake8(["--select", "ASC", "-j1", "pkg"], multi)
    two = run_flake8(["--select", "ASC", "-j2", "pkg"], multi)
    no_traceback(two)
    assert sorted_lines(one.stdout) and sorted_lines(one.stdout) == sorted_lines(two.stdout)
    assert one.returncode == two.returncode == 1


def test_jobs_two_with_spawn(multi, tmp_path):
    wrapper = tmp_path / "flake8_spawn.py"
    wrapper.write_text(SPAWN_WRAPPER)
    record = tmp_path / "workers"
    record.mkdir()
    env = dict(os.environ, ARGSCOPE_E2E_RECORD=str(record))
    one = run_flake8(["--select", "ASC", "-j1", "pkg"], multi)
    spawned = run_flake8(["--select", "ASC", "-j2", "pkg"], multi, argv0=wrapper, env=env)
    no_traceback(spawned)
    # the project's .flake8 (argscope-min-repeats = 2) must reach the spawned workers too
    assert sorted_lines(spawned.stdout) == sorted_lines(one.stdout), spawned.stderr
    workers = [p.read_text().split() for p in record.iterdir()]
    assert workers, "no pool worker ran: flake8 did not go parallel"
    assert all(method == "spawn" and fresh == "True" for method, fresh in workers), workers


# ----------------------------------------------------------------------------- stdin
def test_stdin_display_name(multi):
    source = (multi / "pkg" / "nested.py").read_text()
    proc = run_flake8(["-", "--stdin-display-name", "pkg/model.py", "--select", "ASC"],
                      multi, stdin=source)
    found = asc(proc.stdout)
    assert [(p, line, code) for p, line, _c, code, _m in found] == [
        ("pkg/model.py", line, code) for line, code in sorted(expected(source))], proc.stdout
    assert proc.returncode == 1


def test_stdin_without_display_name(multi):
    source = (multi / "pkg" / "nested.py").read_text()
    proc = run_flake8(["-", "--select", "ASC"], multi, stdin=source)
    assert [r[0] for r in asc(proc.stdout)] == ["stdin"], proc.stdout


# ----------------------------------------------------------------------------- odd input
PY2 = '''\
import tf_slim as slim


def model(x):
    print "building", x
    with slim.arg_scope([slim.conv2d], stride=1):
        x = slim.conv2d(x, 8, 3, 2)
    return x
'''


def test_python2_file(tmp_path):
    (tmp_path / "legacy.py").write_text(PY2)
    proc = run_flake8(["--argscope-debug", "legacy.py"], tmp_path)
    no_traceback(proc)
    codes = [r[3] for r in parse(proc.stdout)]
    assert codes == ["E999"], proc.stdout
    assert proc.returncode == 1


def test_empty_and_binary_ish_files(tmp_path):
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "bom.py").write_bytes(
        b"\xef\xbb\xbfimport tf_slim as slim\nx = slim.arg_scope\n")
    proc = run_flake8(["--select", "ASC,E999", "--argscope-debug", "."], tmp_path)
    no_traceback(proc)
    assert proc.stdout == "" and proc.returncode == 0, proc.stdout + proc.stderr


# ----------------------------------------------------------------------------- exit codes
def test_exit_codes(multi):
    dirty = run_flake8(["--select", "ASC", "pkg/nested.py"], multi)
    assert dirty.returncode == 1, dirty.stdout
    clean = run_flake8(["--select", "ASC", "pkg/clean.py"], multi)
    assert clean.returncode == 0 and clean.stdout == "", clean.stdout + clean.stderr
    exit_zero = run_flake8(["--select", "ASC", "--exit-zero", "pkg/nested.py"], multi)
    assert exit_zero.returncode == 0 and asc(exit_zero.stdout)


# ----------------------------------------------------------------------------- vendored slim
def test_vendored_arg_scope_module_inside_project(tmp_path):
    """``argscope-arg-scope-modules = third_party.slim.arg_scope`` (from the project's
    .flake8) with that vendored module present in the project, as it is when vendored."""
    project = copy_project("e2e_vendored", tmp_path)
    proc = run_flake8(["--select", "ASC", "model.py"], project)
    no_traceback(proc)
    assert pairs(proc.stdout) == expected((project / "model.py").read_text()), proc.stdout
