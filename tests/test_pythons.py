"""The same findings on every supported Python.

tox builds one environment per interpreter (``py``, ``py39-flake8min``, ``py313``); its
``pythons`` environment then runs this module with ``ARGSCOPE_PYTHONS`` naming their
interpreters. Each one runs the real ``flake8`` on ``examples/`` and every fixture file, and
the findings are compared as (file, line, column, code, message: the messages quote source
through ``ast.unparse``, whose output changed between Pythons). flake8's own E999 wording and
position differ by Python (the parser's messages changed in 3.10), so for E999 only the file
is compared. Outside that environment the test skips; with ``ARGSCOPE_REQUIRE_PYTHONS=1``
(set by ``.ci/run``) a missing interpreter is a failure.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TARGETS = ("examples", "tests/fixtures")
LINE_RE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+[0-9]+) (?P<msg>.*)$")


def _interpreters() -> list[str]:
    listed = [p for p in os.environ.get("ARGSCOPE_PYTHONS", "").split(os.pathsep) if p]
    required = os.environ.get("ARGSCOPE_REQUIRE_PYTHONS") == "1"
    present = [p for p in listed if Path(p).is_file()]
    missing = sorted(set(listed) - set(present))
    if missing and required:
        pytest.fail(f"interpreters missing: {missing}")
    if len(present) < 2:
        pytest.skip("needs ARGSCOPE_PYTHONS with two or more interpreters (tox -e pythons)")
    return present


def _lint(python: str, cwd: Path) -> tuple[str, set, set]:
    """(version, ASC findings, files with E999) of one interpreter's flake8 run. Not from the
    repository's root: with it as the working directory, ``python -m`` would find the
    checkout's own ``*.egg-info`` and load the plugin from there, not from the environment."""
    version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    proc = subprocess.run(
        [python, "-m", "flake8", "--isolated", "-j1", "--select", "ASC,E999",
         *(str(REPO / t) for t in TARGETS)],
        cwd=str(cwd), capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, (python, proc.stderr)
    asc, e999 = set(), set()
    for raw in proc.stdout.splitlines():
        m = LINE_RE.match(raw)
        assert m, f"{python}: unparseable flake8 output {raw!r}"
        if m["code"] == "E999":
            e999.add(m["path"])
        else:
            asc.add((m["path"], int(m["line"]), int(m["col"]), m["code"], m["msg"]))
    return version, asc, e999


def test_same_findings_on_every_python(tmp_path):
    runs = [(python, *_lint(python, tmp_path)) for python in _interpreters()]
    first_python, first_version, first_asc, first_e999 = runs[0]
    assert len(first_asc) > 50, f"too few findings to compare: {sorted(first_asc)}"
    for python, version, asc, e999 in runs[1:]:
        assert e999 == first_e999, (first_version, version, first_e999 ^ e999)
        only_first, only_this = sorted(first_asc - asc), sorted(asc - first_asc)
        assert not only_first and not only_this, (
            f"Python {first_version} ({first_python}) and {version} ({python}) differ:\n"
            f"only {first_version}: {only_first}\nonly {version}: {only_this}")
