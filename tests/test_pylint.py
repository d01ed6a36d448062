"""The pylint front end, end to end: the real ``pylint`` executable with
``--load-plugins=flake8_argscope.pylint`` against the real ``flake8`` on the same files.

Parity: every rule fixture gives the same findings in both (line, code, message, and the
column: pylint's is 0-based, flake8's 1-based). flake8 runs with ``--disable-noqa``, so no
line is left out of the comparison. pylint subprocesses cost ~1 s each: the fixtures are
checked in one pylint run per option header, as test_e2e does with flake8.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from expectations import expected, fixture_files

pytest.importorskip("pylint", reason="the pylint extra is not installed")

HERE = Path(__file__).parent
RULES = HERE / "fixtures" / "rules"
PROJECTS = HERE / "fixtures" / "projects"
PLUGIN = "--load-plugins=flake8_argscope.pylint"
ONLY_ARGSCOPE = ["--disable=all", "--enable=argscope"]
TIMEOUT = 300
OPTS_RE = re.compile(r"^# argscope: (.*)$", re.M)
FLAKE8_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<msg>ASC\d{3} .*)$")


# ----------------------------------------------------------------------------- helpers
def run(cmd: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYLINTHOME=str(cwd / ".pylint.d"))
    env.pop("PYLINTRC", None)
    return subprocess.run(cmd, cwd=str(cwd), input=stdin, capture_output=True, text=True,
                          timeout=TIMEOUT, env=env)


def run_pylint(args: list[str], cwd: Path, stdin: str | None = None,
               isolated: bool = True) -> tuple[list[dict], subprocess.CompletedProcess]:
    """pylint's findings as its JSON reporter gives them (``isolated``: an empty rcfile,
    so no configuration file found on the way up applies)."""
    base = [sys.executable, "-m", "pylint", PLUGIN, "--persistent=n", "--output-format=json",
            "--score=n"]
    if isolated:
        rc = cwd / ".empty-pylintrc"
        rc.write_text("")
        base.append(f"--rcfile={rc}")
    proc = run([*base, *args], cwd, stdin)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode < 32, f"pylint failed ({proc.returncode}):\n{proc.stderr}"
    return json.loads(proc.stdout or "[]"), proc


def run_flake8(args: list[str], cwd: Path, stdin: str | None = None) -> list[tuple]:
    proc = run([sys.executable, "-m", "flake8", "--select", "ASC", *args], cwd, stdin)
    assert "Traceback" not in proc.stderr, proc.stderr
    out = []
    for line in proc.stdout.splitlines():
        m = FLAKE8_LINE.match(line)
        assert m, f"unparseable flake8 output: {line!r}"
        out.append((os.path.normpath(m["path"]), int(m["line"]), int(m["col"]), m["msg"]))
    return sorted(out)


def as_flake8(found: list[dict]) -> list[tuple]:
    """pylint's findings in flake8's terms: (path, line, 1-based col, message), after
    checking that each carries the symbol, msgid and category the registry declares."""
    from flake8_argscope.rules import RULES

    out = []
    for f in found:
        rule = RULES[f["message"][:6]]
        assert (f["symbol"], f["message-id"]) == (rule.symbol, rule.msgid), f
        out.append((os.path.normpath(f["path"]), f["line"], f["column"] + 1, f["message"]))
    return sorted(out)


def header_options(source: str) -> list[str]:
    return [part for m in OPTS_RE.finditer(source) for part in m.group(1).split()]


def with_line_endings(text: str, eol: str) -> str:
    return text.replace("\n", eol)


# ----------------------------------------------------------------------------- parity
@pytest.fixture(scope="module")
def parity_runs(tmp_path_factory):
    """Every rule fixture (plus a CRLF copy and a BOM + latin-1 copy of one) through
    flake8 and pylint, one run of each per option header: [(options, flake8, pylint)]."""
    root = tmp_path_factory.mktemp("parity")
    groups: dict[tuple, list[str]] = {}
    for path in fixture_files(RULES):
        shutil.copy(path, root / path.name)
        groups.setdefault(tuple(header_options(path.read_text())), []).append(path.name)
    sample = (RULES / "asc401_positional.py").read_text()
    (root / "crlf_copy.py").write_bytes(with_line_endings(sample, "\r\n").encode())
    latin = "# -*- coding: latin-1 -*-\n# r\u00e9seau\n" + sample
    (root / "latin1_copy.py").write_bytes(latin.encode("latin-1"))
    (root / "bom_copy.py").write_bytes(b"\xef\xbb\xbf" + sample.encode())
    groups[()].extend(["crlf_copy.py", "latin1_copy.py", "bom_copy.py"])
    out = []
    for opts, files in groups.items():
        flake8 = run_flake8(["--isolated", "--disable-noqa", *opts, *files], root)
        found, _proc = run_pylint([*ONLY_ARGSCOPE, *opts, *files], root)
        out.append((opts, files, flake8, as_flake8(found)))
    return out


def test_every_fixture_same_findings_in_pylint_and_flake8(parity_runs):
    total = 0
    for opts, files, flake8, pylint in parity_runs:
        missing = sorted(set(flake8) - set(pylint))
        extra = sorted(set(pylint) - set(flake8))
        assert flake8 == pylint, f"options {opts}: only flake8 {missing}\nonly pylint {extra}"
        total += len(flake8)
        # each fixture really reported what its inline comments expect
        for name in files:
            if name.endswith("_copy.py"):
                continue
            got = {(line, msg[:6]) for path, line, _c, msg in pylint if path == name}
            assert got == expected((RULES / name).read_text()), name
    assert total > 100, total


def test_odd_encodings_and_line_endings_are_read_like_flake8(parity_runs):
    _opts, _files, _flake8, pylint = next(r for r in parity_runs if r[0] == ())
    by_file: dict[str, list] = {}
    for path, line, col, msg in pylint:
        by_file.setdefault(path, []).append((line, col, msg))
    plain = by_file["asc401_positional.py"]
    assert plain and by_file["crlf_copy.py"] == plain and by_file["bom_copy.py"] == plain
    # two lines longer: the coding line and a line in latin-1
    assert [(line, col, msg[:6]) for line, col, msg in by_file["latin1_copy.py"]] == [
        (line + 2, col, msg[:6]) for line, col, msg in plain]


# ----------------------------------------------------------------------------- disable comments
DISABLES = '''\
import tf_slim as slim


def trailing(x):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        x = slim.conv2d(x, 8, 3, 2)  # pylint: disable=argscope-positional-collision
        x = slim.conv2d(x, 8, 3, 2)  # reported: ASC401
        x = slim.conv2d(x, 8, 3, padding='SAME')  # pylint: disable=R7321
        x = slim.conv2d(x, 8, 3, 2, padding='SAME')  # pylint: disable=argscope-redundant-keyword  # reported: ASC401
    return x


def own_line(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        x = slim.conv2d(x, 8, 3, 2)  # reported: ASC401
        # pylint: disable=argscope-positional-collision
        x = slim.conv2d(x, 8, 3, 2)
        x = slim.conv2d(x, 8, 3, 2)
    return x


def next_line(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        # pylint: disable-next=argscope-positional-collision
        x = slim.conv2d(x, 8, 3, 2)
        x = slim.conv2d(
            x, 8, 3, 2)  # pylint: disable=argscope-positional-collision
        x = slim.conv2d(x, 8, 3, 2)  # reported: ASC401
    return x


def by_checker_name(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        x = slim.conv2d(x, 8, 3, 2)  # pylint: disable=argscope
    return x
'''


def reported(source: str) -> set:
    return {(n, m.group(1)) for n, line in enumerate(source.splitlines(), 1)
            for m in [re.search(r"# reported: (ASC\d{3})", line)] if m}


def test_disable_comments(tmp_path):
    (tmp_path / "disables.py").write_text(DISABLES)
    found, _ = run_pylint([*ONLY_ARGSCOPE, "disables.py"], tmp_path)
    got = {(f["line"], f["message"][:6]) for f in found}
    assert got == reported(DISABLES), found
    # without the comments every one of those calls reports
    bare = re.sub(r"  # pylint: .*|\n *# pylint: .*(?=\n)", "", DISABLES)
    (tmp_path / "bare.py").write_text(bare)
    found, _ = run_pylint([*ONLY_ARGSCOPE, "bare.py"], tmp_path)
    assert len({f["line"] for f in found}) == bare.count("slim.conv2d("), found


def test_module_level_disable_and_enable_by_symbol(tmp_path):
    body = textwrap.dedent('''\
        import tf_slim as slim


        def f(x):
            with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
                return slim.conv2d(x, 8, 3, 2, padding='SAME')
        ''')
    (tmp_path / "a.py").write_text("# pylint: disable=argscope-positional-collision\n" + body)
    (tmp_path / "b.py").write_text(body)
    found, _ = run_pylint([*ONLY_ARGSCOPE, "a.py", "b.py"], tmp_path)
    assert sorted((f["path"], f["message"][:6]) for f in found) == [
        ("a.py", "ASC201"), ("b.py", "ASC201"), ("b.py", "ASC401")], found
    found, _ = run_pylint(["--disable=all", "--enable=argscope-redundant-keyword", "b.py"],
                          tmp_path)
    assert [f["message"][:6] for f in found] == ["ASC201"], found


# ----------------------------------------------------------------------------- options
CONFIGS = {
    "pylintrc": """\
        [MAIN]
        load-plugins = flake8_argscope.pylint
        disable = all
        enable = argscope

        [ARGSCOPE]
        argscope-min-repeats = 2
        argscope-exempt-kwargs = padding
        argscope-scoped-ops =
            mylib.ops.my_conv,
            tf.layers.conv2d
        """,
    "pyproject.toml": """\
        [tool.pylint.main]
        load-plugins = ["flake8_argscope.pylint"]
        disable = ["all"]
        enable = ["argscope"]

        [tool.pylint.argscope]
        argscope-min-repeats = 2
        argscope-exempt-kwargs = ["padding"]
        argscope-scoped-ops = ["mylib.ops.my_conv", "tf.layers.conv2d"]
        """,
}
FLAKE8_CONFIG = """\
    [flake8]
    argscope-min-repeats = 2
    argscope-exempt-kwargs = padding
    argscope-scoped-ops = mylib.ops.my_conv, tf.layers.conv2d
    """


def config_project(tmp_path: Path) -> Path:
    project = tmp_path / "e2e_config"
    shutil.copytree(PROJECTS / "e2e_config", project)
    return project


def test_defaults_match_flake8(tmp_path):
    project = config_project(tmp_path)
    found, _ = run_pylint([*ONLY_ARGSCOPE, "model.py"], project)
    assert as_flake8(found) == run_flake8(["--isolated", "model.py"], project)
    assert {f["message"][:6] for f in found} == {"ASC201", "ASC301"}, found


@pytest.mark.parametrize("config_file", sorted(CONFIGS))
def test_options_from_config_file(tmp_path, config_file):
    """The options change ASC101 (two calls suffice), ASC201 (padding exempt) and ASC301
    (listed ops are scoped) exactly as the same options do in flake8."""
    project = config_project(tmp_path)
    (project / config_file).write_text(textwrap.dedent(CONFIGS[config_file]))
    found, proc = run_pylint(["model.py"], project, isolated=False)
    (project / ".flake8").write_text(textwrap.dedent(FLAKE8_CONFIG))
    assert as_flake8(found) == run_flake8(["model.py"], project), proc.stderr
    assert [f["message"][:6] for f in found] == ["ASC101"], found


def test_options_on_command_line(tmp_path):
    project = config_project(tmp_path)
    opts = ["--argscope-min-repeats=2", "--argscope-exempt-kwargs=padding",
            "--argscope-scoped-ops=mylib.ops.my_conv,tf.layers.conv2d"]
    found, _ = run_pylint([*ONLY_ARGSCOPE, *opts, "model.py"], project)
    assert as_flake8(found) == run_flake8(["--isolated", *opts, "model.py"], project)
    assert [f["message"][:6] for f in found] == ["ASC101"], found


def test_bad_option_value_names_the_option(tmp_path):
    (tmp_path / "m.py").write_text("import tf_slim as slim\n")
    proc = run([sys.executable, "-m", "pylint", PLUGIN, "--argscope-min-repeats=many",
                "m.py"], tmp_path)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert "argscope-min-repeats" in proc.stderr, proc.stderr


def test_options_have_the_same_names_as_in_flake8(tmp_path):
    pylint_help = run([sys.executable, "-m", "pylint", PLUGIN, "--long-help"], tmp_path)
    flake8_help = run([sys.executable, "-m", "flake8", "--help"], tmp_path)
    names = [set(re.findall(r"--(argscope-[a-z-]+)", proc.stdout))
             for proc in (pylint_help, flake8_help)]
    assert names[0] == names[1] and len(names[0]) == 6, names


# ----------------------------------------------------------------------------- other inputs
def test_stdin_buffer_not_disk(tmp_path):
    """``--from-stdin`` (editors): the buffer is linted, under the given file name."""
    source = (RULES / "asc401_positional.py").read_text()
    (tmp_path / "model.py").write_text("import tf_slim as slim\n")  # stale file on disk
    found, _ = run_pylint([*ONLY_ARGSCOPE, "--from-stdin", "model.py"], tmp_path, stdin=source)
    flake8 = run_flake8(["--isolated", "-", "--stdin-display-name", "model.py"], tmp_path,
                        stdin=source)
    assert flake8 and as_flake8(found) == flake8


def test_parallel_jobs_and_default_checkers(tmp_path):
    """-j2 gives what -j1 gives; with pylint's default checkers on, the ASC messages are
    the same ones."""
    project = tmp_path / "multi"
    shutil.copytree(PROJECTS / "e2e_multi", project)
    one, _ = run_pylint([*ONLY_ARGSCOPE, "-j1", "pkg"], project)
    two, _ = run_pylint([*ONLY_ARGSCOPE, "-j2", "pkg"], project)
    everything, _ = run_pylint(["pkg"], project)
    asc = [f for f in everything if f["message-id"][1:3] == "73"]
    assert one and as_flake8(one) == as_flake8(two) == as_flake8(asc)
    assert len(everything) > len(asc)  # the default checkers ran too


def test_syntax_error_is_pylints_own(tmp_path):
    (tmp_path / "broken.py").write_text("import tf_slim as slim\nwith slim.arg_scope(:\n")
    found, _ = run_pylint(["broken.py"], tmp_path)
    assert [f["symbol"] for f in found] == ["syntax-error"], found


def test_flake8_path_imports_neither_pylint_nor_astroid(tmp_path):
    shutil.copy(RULES / "asc401_positional.py", tmp_path / "m.py")
    script = ("import sys\nfrom flake8.main.application import Application\n"
              "app = Application()\napp.run(['--isolated', '--select', 'ASC', 'm.py'])\n"
              "assert app.result_count > 0, app.result_count\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in "
              "('pylint', 'astroid')))\n")
    proc = run([sys.executable, "-c", script], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout


# ----------------------------------------------------------------------------- in process
def test_every_fixture_finding_has_an_astroid_node_starting_there():
    """node_at gives pylint the node of each finding (its enclosing function, its end, the
    block a disable comment covers): astroid's nodes carry ast's positions, so for every
    finding of the rule fixtures there is a node that starts exactly there."""

    import astroid

    from expectations import findings
    from flake8_argscope.pylint import node_at

    checked = 0
    for path in fixture_files(RULES):
        source = path.read_text()
        module = astroid.parse(source, path=str(path))
        for line, col, _msg, _t in findings(source, str(path)):
            node = node_at(module, line, col)
            assert (node.lineno, node.col_offset) == (line, col), (path.name, line, col)
            # the outermost such node: its parent starts elsewhere
            assert (node.parent.lineno, node.parent.col_offset) != (line, col) or isinstance(
                node.parent, astroid.nodes.Module)
            checked += 1
    assert checked > 100
    module = astroid.parse("x = 1\n\n\ndef f():\n    return 2\n")
    assert isinstance(node_at(module, 5, 4), astroid.nodes.Return)
    assert isinstance(node_at(module, 5, 11), astroid.nodes.Const)
    assert isinstance(node_at(module, 5, 5), astroid.nodes.Return)  # inside, no node starts
    assert node_at(module, 9, 0) is module


@pytest.mark.parametrize("project,options", [
    ("slimproj", []),
    ("e2e_multi", ["--argscope-min-repeats=2"]),
    ("e2e_vendored", ["--argscope-arg-scope-modules=third_party.slim.arg_scope"]),
])
def test_multi_module_projects_same_findings(tmp_path, project, options):
    """Ops, scope factories and vendored arg_scope modules defined in other modules of the
    project: resolved by the shared model, so pylint reports what flake8 reports."""
    root = tmp_path / project
    shutil.copytree(PROJECTS / project, root)
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.py"))
    found, _ = run_pylint([*ONLY_ARGSCOPE, *options, *files], root)
    flake8 = run_flake8(["--isolated", *options, *files], root)
    assert flake8 and as_flake8(found) == flake8


def test_register_twice_keeps_one_checker():
    """pylint 3 calls register() again in each -j worker, on a linter that already has the
    checker (every finding would be reported twice)."""
    from pylint.lint import PyLinter

    from flake8_argscope.pylint import ArgScopePylintChecker, register

    linter = PyLinter()
    register(linter)
    register(linter)
    assert sum(isinstance(c, ArgScopePylintChecker) for c in linter.get_checkers()) == 1
