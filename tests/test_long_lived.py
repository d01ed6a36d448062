"""Long-lived processes: flake8 run many times in one interpreter sees the project as it is now.

VS Code's flake8 extension runs ``flake8`` in-process (runpy) on every open and save, and
other front ends keep the plugin loaded across runs. Each test here runs the real flake8
several times in one process and creates, edits and removes project modules between runs.
File timestamps are coarse (one tick can hold several writes), so every edit that must be
seen bumps the size or sets the mtime explicitly, except the one test that checks the
same-tick case on purpose.
"""

from __future__ import annotations

import ast
import os

import pytest
from flake8.api import legacy
from flake8.main import cli

from flake8_argscope import project
from flake8_argscope.api import build_config
from flake8_argscope.checker import ArgScopeChecker

TRAIN = '''\
import tf_slim as slim
from pkg.ops import my_conv


def model(x):
    with slim.arg_scope([my_conv], stride=1):
        return my_conv(x, 64, [3, 3], 4)
'''
TRAIN_CALL = 7  # the line of my_conv(x, 64, [3, 3], 4)
TRAIN_SCOPE = 6
# my_conv as a scope-enabled op: the positional 4 binds stride, which the scope sets (ASC401)
OPS = '''\
import tf_slim as slim


@slim.add_arg_scope
def my_conv(inputs, num_outputs, kernel_size, stride=1, scope=None):
    return inputs
'''
# the same length, without a stride parameter: the scope's stride is unexpected (ASC402)
OPS_NO_STRIDE = OPS.replace("stride=1", "strode=1")
assert len(OPS_NO_STRIDE) == len(OPS)


@pytest.fixture
def proj(tmp_path, monkeypatch):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "train.py").write_text(TRAIN)
    monkeypatch.chdir(tmp_path)
    project.clear_cache()
    yield tmp_path
    project.clear_cache()


def write(path, text, bump_ns=None):
    """Write ``text``; with ``bump_ns``, set the mtime that far past the previous one."""
    before = path.stat().st_mtime_ns if path.exists() else None
    path.write_text(text)
    if bump_ns is not None and before is not None:
        os.utime(path, ns=(before + bump_ns, before + bump_ns))


def legacy_run(*paths):
    """One run through flake8's legacy API (a new Application: options parsed again)."""
    guide = legacy.get_style_guide(select=["ASC"])
    report = guide.check_files([str(p) for p in paths])
    return sorted(report.get_statistics("ASC"))


def cli_run(capsys, *argv):
    """One run as VS Code's extension makes it: flake8's main() in this process."""
    try:
        cli.main(["--select", "ASC", *argv])
    except SystemExit:  # flake8 < 5 exits from main()
        pass
    out = capsys.readouterr().out
    return sorted((int(line.split(":")[1]), line.split(": ")[1][:6])
                  for line in out.splitlines() if ": ASC" in line)


def test_module_created_edited_removed_between_runs(proj, capsys):
    ops = proj / "pkg" / "ops.py"
    train = "pkg/train.py"
    # 1. pkg/ops.py does not exist yet: my_conv is unknown, nothing to say
    assert cli_run(capsys, train) == []
    # 2. created: the wrapper resolves, the positional stride collides with the scope
    write(ops, OPS)
    assert cli_run(capsys, train) == [(TRAIN_CALL, "ASC401")]
    # 3. a same-length edit (mtime set explicitly: timestamps are coarse)
    write(ops, OPS_NO_STRIDE, bump_ns=1_000_000_000)
    assert cli_run(capsys, train) == [(TRAIN_SCOPE, "ASC402")]
    # 4. back again, same length once more
    write(ops, OPS, bump_ns=1_000_000_000)
    assert cli_run(capsys, train) == [(TRAIN_CALL, "ASC401")]
    # 5. removed: unknown again, silent
    ops.unlink()
    assert cli_run(capsys, train) == []
    # 6. re-created as a package: pkg/ops/__init__.py
    (proj / "pkg" / "ops").mkdir()
    write(proj / "pkg" / "ops" / "__init__.py", OPS)
    assert cli_run(capsys, train) == [(TRAIN_CALL, "ASC401")]


def test_legacy_api_sees_a_module_created_between_runs(proj):
    ops = proj / "pkg" / "ops.py"
    assert legacy_run("pkg/train.py") == []
    write(ops, OPS)
    found = legacy_run("pkg/train.py")
    assert len(found) == 1 and found[0].split()[1] == "ASC401", found
    ops.unlink()
    assert legacy_run("pkg/train.py") == []


def test_change_seen_through_a_re_export(proj, capsys):
    """A cached model that resolved a name through another module is dropped when that
    module changes: pkg/api.py re-exports my_conv from pkg/ops.py."""
    (proj / "pkg" / "train.py").write_text(TRAIN.replace("pkg.ops", "pkg.api"))
    write(proj / "pkg" / "api.py", "from pkg.ops import my_conv  # noqa: F401\n")
    write(proj / "pkg" / "ops.py", OPS)
    assert cli_run(capsys, "pkg/train.py") == [(TRAIN_CALL, "ASC401")]
    write(proj / "pkg" / "ops.py", OPS_NO_STRIDE, bump_ns=1_000_000_000)
    assert cli_run(capsys, "pkg/train.py") == [(TRAIN_SCOPE, "ASC402")]


def test_same_tick_same_length_edit(proj, monkeypatch):
    """Two writes within one timestamp tick leave (mtime, ctime, size, inode) unchanged on a
    coarse file system. Simulated by a frozen stamp: the content written less than a tick
    after it was read is compared, so the edit is still seen."""
    ops = proj / "pkg" / "ops.py"
    write(ops, OPS)
    frozen = project._stamp(str(ops))
    real_stamp = project._stamp
    monkeypatch.setattr(project, "_stamp",
                        lambda p: frozen if p.endswith("ops.py") else real_stamp(p))
    assert [m[:6] for m in checker_run(proj)] == ["ASC401"]
    ops.write_text(OPS_NO_STRIDE)
    assert [m[:6] for m in checker_run(proj)] == ["ASC402"]


def test_unchanged_files_are_not_read_again(proj, monkeypatch):
    """Cost: a new run stats the cached files; it re-reads only those read within a tick
    of their mtime."""
    ops = proj / "pkg" / "ops.py"
    write(ops, OPS)
    old = os.stat(ops).st_mtime_ns - 10 * project.RACY_NS
    os.utime(ops, ns=(old, old))
    assert [m[:6] for m in checker_run(proj)] == ["ASC401"]
    reads = []
    real_read = project._read
    monkeypatch.setattr(project, "_read", lambda p, s: reads.append(p) or real_read(p, s))
    assert [m[:6] for m in checker_run(proj)] == ["ASC401"]
    assert reads == []


def test_refresh_for_front_ends_keeping_one_config(proj):
    """A front end that builds its Config once calls project.refresh() per run."""
    config = build_config()
    assert checker_run(proj, config) == []
    write(proj / "pkg" / "ops.py", OPS)
    project.refresh()
    assert [m[:6] for m in checker_run(proj, config)] == ["ASC401"]


def test_options_changed_between_runs(proj, capsys):
    """Cached models hold what the options said: a new --argscope-arg-scope-modules value
    makes the project's own arg_scope copy count."""
    (proj / "vendor").mkdir()
    write(proj / "vendor" / "__init__.py", "")
    write(proj / "vendor" / "scopes.py", "def arg_scope(ops, **kw):\n    pass\n\n\n"
          "def add_arg_scope(f):\n    return f\n")
    write(proj / "pkg" / "ops.py", OPS.replace("import tf_slim as slim",
                                               "from vendor import scopes as slim"))
    write(proj / "pkg" / "train.py", TRAIN.replace("import tf_slim as slim",
                                                   "from vendor import scopes as slim"))
    assert cli_run(capsys, "pkg/train.py") == []
    assert cli_run(capsys, "--argscope-arg-scope-modules", "vendor.scopes",
                   "pkg/train.py") == [(TRAIN_CALL, "ASC401")]
    assert cli_run(capsys, "pkg/train.py") == []


def checker_run(proj, config=None):
    """The checker class itself, as another front end would call it."""
    source = (proj / "pkg" / "train.py").read_text()
    checker = ArgScopeChecker(ast.parse(source), source.splitlines(True), "pkg/train.py")
    checker.config = config if config is not None else build_config()
    checker.config.debug = True
    return [msg for _l, _c, msg, _t in checker.run()]
