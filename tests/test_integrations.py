"""CI integrations: the GitHub Actions problem matcher and workflow in docs/ci/.

The matcher is generated from the rule registry (tools/update_docs.py). Its regular expressions
run in GitHub's runner (.NET) and are documented with JavaScript examples; they are tested here
with Python's ``re`` after checking that they use only constructs the three read alike. They
are applied to real flake8 output on examples/ and every fixture.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from flake8_argscope.rules import RULES
from flake8_argscope.rules.registry import Severity

REPO = Path(__file__).resolve().parent.parent
CI = REPO / "docs" / "ci"
MATCHER = CI / "flake8-argscope-matcher.json"
WORKFLOW = CI / "github-workflow.yml"
LINE_RE = re.compile(r"^(.+?):(\d+):(\d+): ([A-Z]+[0-9]+) (.+)$")
# anchors, groups, lazy/greedy +, the class \d, alternation, literal text: no lookarounds,
# named groups, \A/\Z, inline flags or POSIX classes, which differ between the engines
PORTABLE = re.compile(r"(?:\^|\$|\((?!\?)|\)|\.|\+\??|\\d|\||[A-Za-z0-9 :])+")
EXPECTED_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "warning"}


def matchers():
    return json.loads(MATCHER.read_text())["problemMatcher"]


def flake8_lines():
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", "--select", "ASC,E999", "examples",
         "tests/fixtures"], cwd=str(REPO), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout.splitlines()


def test_regexps_are_portable():
    for m in matchers():
        for pattern in m["pattern"]:
            assert PORTABLE.fullmatch(pattern["regexp"]), pattern["regexp"]


def test_every_finding_becomes_one_annotation():
    lines = flake8_lines()
    compiled = [(m["owner"], m["severity"], p, re.compile(p["regexp"]))
                for m in matchers() for p in m["pattern"]]
    seen_codes = set()
    for line in lines:
        parsed = LINE_RE.match(line)
        assert parsed, line
        path, row, col, code, text = parsed.groups()
        hits = [(owner, level, p, rx.match(line)) for owner, level, p, rx in compiled
                if rx.match(line)]
        if not code.startswith("ASC"):
            assert hits == [], line  # flake8's own E999 is not ours to annotate
            continue
        assert len(hits) == 1, (line, [h[0] for h in hits])
        _owner, level, p, m = hits[0]
        assert (m.group(p["file"]), m.group(p["line"]), m.group(p["column"]),
                m.group(p["code"]), m.group(p["message"])) == (path, row, col, code, text)
        assert level == EXPECTED_LEVEL[RULES[code].severity], (code, level)
        seen_codes.add(code)
    assert seen_codes == set(RULES), set(RULES) - seen_codes  # every code was exercised


def test_workflow_uses_the_matcher_and_flake8():
    yaml = __import__("pytest").importorskip("yaml", reason="PyYAML (comes with pre-commit)")
    flow = yaml.safe_load(WORKFLOW.read_text())
    steps = flow["jobs"]["flake8-argscope"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "::add-matcher::.github/flake8-argscope-matcher.json" in runs
    assert MATCHER.name in WORKFLOW.read_text()  # the comment says which file to copy there
    assert "python -m flake8 --select=ASC ." in runs
    # the matcher is registered before flake8 runs
    order = [i for i, s in enumerate(steps) if "add-matcher" in s.get("run", "")]
    lint = [i for i, s in enumerate(steps) if s.get("run", "").startswith("python -m flake8")]
    assert order and lint and order[0] < lint[0]
