"""Real code: the plugin never crashes on the public corpora, and every finding there is in
the reviewed expectations file (tests/corpus_expectations.txt: one line per finding with a
verdict). When the findings change the test fails, so any drift is reviewed.

The corpora are fetched with pip by benchmarks/fetch_corpora.py into .cache/corpora.
Set ARGSCOPE_SKIP_CORPORA=1 to skip them on a machine without access to PyPI.
Regenerate the finding lines (then review the verdicts) with:
    python tests/test_corpora.py --update
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "corpus_expectations.txt"
CORPORA = ("tf_slim", "tensorpack", "object_detection", "tf_contrib")
LINE = re.compile(r"^(?P<key>\S+:\d+:\d+: ASC\d{3})\b.*?(?:\|\s*(?P<verdict>.*))?$")

sys.path.insert(0, str(ROOT / "benchmarks"))


def _corpus(name):
    if os.environ.get("ARGSCOPE_SKIP_CORPORA"):
        pytest.skip("ARGSCOPE_SKIP_CORPORA is set")
    from fetch_corpora import corpus_path

    return corpus_path(name)


# flake8 without the working directory on sys.path (a corpus may hold modules of the same
# names as installed packages); ``python -P`` would do it, but only from Python 3.11.
SAFE_PATH_FLAKE8 = [sys.executable, "-c", "import sys; del sys.path[0]; "
                    "from flake8.main.cli import main; sys.exit(main())"]


def lint(name: str):
    root = _corpus(name)
    proc = subprocess.run(
        [*SAFE_PATH_FLAKE8, "--select", "ASC", "--argscope-debug", "-j", "2",
         "--exit-zero", "."], cwd=root, capture_output=True, text=True, timeout=1800)
    lines = sorted(f"{name}:{line[2:] if line.startswith('./') else line}"
                   for line in proc.stdout.splitlines() if line.strip())
    return proc, lines


def reviewed() -> dict:
    out = {}
    for raw in EXPECTATIONS.read_text().splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        m = LINE.match(raw)
        assert m, f"malformed line in {EXPECTATIONS.name}: {raw}"
        out[m.group("key")] = (m.group("verdict") or "").strip()
    return out


@pytest.mark.parametrize("name", CORPORA)
def test_corpus(name):
    proc, lines = lint(name)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, (
        proc.stderr[-3000:])
    got = {" ".join(line.split()[:2]) for line in lines}
    want = {key for key in reviewed() if key.startswith(name + ":")}
    assert got == want, (f"new: {sorted(got - want)}\ngone: {sorted(want - got)}\n"
                         "review them and update tests/corpus_expectations.txt")


def test_every_finding_has_a_verdict():
    for key, verdict in reviewed().items():
        assert verdict, f"{key} has no verdict"


if __name__ == "__main__" and "--update" in sys.argv:
    old = reviewed() if EXPECTATIONS.exists() else {}
    header = [line for line in EXPECTATIONS.read_text().splitlines()
              if line.startswith("#")] if EXPECTATIONS.exists() else []
    body = []
    for corpus in CORPORA:
        _proc, lines = lint(corpus)
        for line in lines:
            key = " ".join(line.split()[:2])
            body.append(f"{line} | {old.get(key, 'UNREVIEWED')}")
    EXPECTATIONS.write_text("\n".join(header + body) + "\n")
    print(f"{len(body)} findings written to {EXPECTATIONS}")
