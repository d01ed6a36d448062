"""pre-commit, as the README documents it: ``try-repo`` and both configuration snippets.

Each test makes a git repository with a sample file (a finding) and a clean one, runs the real
``pre-commit`` (installed in the test environment; it builds the hook's environment with pip, so
it needs the package registry), and compares the hook's findings with what ``flake8
--select=ASC`` reports on the same files. The snippets are read from README.md, with the clone's
path and HEAD's SHA filled in: the committed state of this repository is what a SHA-pinned hook
installs, as in CI's clean clone. (``try-repo`` also sees uncommitted changes: it copies them
into a shadow repository.) Set ARGSCOPE_SKIP_PRECOMMIT=1 to skip (tox does in the envs that
only repeat the tests on other Pythons).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
SAMPLE = REPO / "examples" / "snippet3_nested.py"
CLEAN = '"""Nothing about arg_scope here."""\n'
FINDING_RE = re.compile(r"^(\S+?):(\d+):(\d+): (ASC\d{3}) ", re.M)
TIMEOUT = 600

pytestmark = pytest.mark.skipif(os.environ.get("ARGSCOPE_SKIP_PRECOMMIT") == "1",
                                reason="ARGSCOPE_SKIP_PRECOMMIT=1")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in tox's deps)")
    assert shutil.which("git"), "git is needed"
    return tmp_path_factory.mktemp("pre-commit-home")


def git_env(home: Path) -> dict:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never")
    for key in ("NAME", "EMAIL"):  # try-repo commits uncommitted changes in a shadow repo
        env.setdefault(f"GIT_AUTHOR_{key}", "argscope-tests")
        env.setdefault(f"GIT_COMMITTER_{key}", "argscope-tests")
    return env


@pytest.fixture
def sample(tmp_path):
    repo = tmp_path / "sample"
    (repo / "pkg").mkdir(parents=True)
    shutil.copy(SAMPLE, repo / "pkg" / "model.py")
    (repo / "pkg" / "clean.py").write_text(CLEAN)
    subprocess.run(["git", "init", "-q"], cwd=str(repo), check=True)
    subprocess.run(["git", "add", "."], cwd=str(repo), check=True)
    return repo


def expected_findings(repo: Path) -> set:
    proc = subprocess.run([sys.executable, "-m", "flake8", "--select=ASC", "pkg"],
                          cwd=str(repo), capture_output=True, text=True, timeout=TIMEOUT)
    found = set(FINDING_RE.findall(proc.stdout))
    assert found, proc.stdout + proc.stderr
    return found


def pre_commit(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=str(repo),
                          env=git_env(home), capture_output=True, text=True, timeout=TIMEOUT)


def assert_hook_reports(proc, repo: Path):
    assert proc.returncode == 1, proc.stdout + proc.stderr  # the hook failed: findings
    assert "flake8-argscope" in proc.stdout and "Failed" in proc.stdout, proc.stdout
    assert set(FINDING_RE.findall(proc.stdout)) == expected_findings(repo), proc.stdout


def readme_snippet(name: str) -> str:
    m = re.search(rf"<!-- pre-commit:{name} -->\n```yaml\n(.*?)```", README.read_text(), re.S)
    assert m, f"README.md has no pre-commit:{name} snippet"
    return m.group(1)


def head_sha() -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=str(REPO), capture_output=True,
                          text=True, check=True).stdout.strip()


def test_try_repo(sample, pre_commit_home):
    proc = pre_commit(sample, pre_commit_home, "try-repo", str(REPO), "flake8-argscope",
                      "--all-files")
    assert_hook_reports(proc, sample)


def test_readme_sha_snippet(sample, pre_commit_home):
    config = readme_snippet("sha")
    assert "/path/to/flake8-argscope" in config and "0" * 40 in config, config
    config = config.replace("/path/to/flake8-argscope", str(REPO)).replace("0" * 40, head_sha())
    (sample / ".pre-commit-config.yaml").write_text(config)
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=str(sample), check=True)
    proc = pre_commit(sample, pre_commit_home, "run", "--all-files")
    assert_hook_reports(proc, sample)
    assert "mutable reference" not in proc.stdout + proc.stderr  # a SHA: no warning


def test_readme_local_snippet(sample, pre_commit_home):
    config = readme_snippet("local")
    assert "/path/to/flake8-argscope" in config, config
    (sample / ".pre-commit-config.yaml").write_text(
        config.replace("/path/to/flake8-argscope", str(REPO)))
    subprocess.run(["git", "add", ".pre-commit-config.yaml"], cwd=str(sample), check=True)
    proc = pre_commit(sample, pre_commit_home, "run", "--all-files")
    assert_hook_reports(proc, sample)


def test_clean_files_pass(sample, pre_commit_home):
    """Only the clean file staged-and-selected: the hook passes (exit 0)."""
    proc = pre_commit(sample, pre_commit_home, "try-repo", str(REPO), "flake8-argscope",
                      "--files", "pkg/clean.py")
    assert proc.returncode == 0 and "Passed" in proc.stdout, proc.stdout + proc.stderr
