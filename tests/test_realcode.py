"""Real-code shapes (tests/fixtures/realcode): each file reproduces the structure of a public
repository (its header names repo, path and lines) with injected bugs marked ``# ASCnnn`` and
``# ok`` traps for what must stay silent.

Precision is required: no finding on a line that does not expect that code. Recall is a
ratchet: the expectations the plugin still misses are listed in ``realcode_missed.txt``; the
test fails when one is missed that is not listed (a regression) or found that is listed
(update the list: ``python tests/test_realcode.py --update``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from expectations import actual, expected, fixture_files

HERE = Path(__file__).parent
FOLDER = HERE / "fixtures" / "realcode"
MISSED = HERE / "realcode_missed.txt"
FILES = fixture_files(FOLDER)


def _missed_now() -> list:
    out = []
    for path in FILES:
        source = path.read_text()
        out += [f"{path.name}:{line}: {code}"
                for line, code in sorted(expected(source) - actual(source, str(path)))]
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_no_false_finding(path):
    source = path.read_text()
    extra = sorted(actual(source, str(path)) - expected(source))
    assert not extra, f"findings no line expects: {extra}"


def test_missed_findings_are_the_listed_ones():
    listed = [line for line in MISSED.read_text().splitlines() if line and line[0] != "#"]
    now = _missed_now()
    assert sorted(now) == sorted(listed), (
        f"newly missed: {sorted(set(now) - set(listed))}\n"
        f"now found (remove from the list): {sorted(set(listed) - set(now))}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit("usage: python tests/test_realcode.py --update")
    total = sum(len(expected(p.read_text())) for p in FILES)
    missed = _missed_now()
    MISSED.write_text(
        "# expectations in tests/fixtures/realcode the plugin misses today "
        f"({total - len(missed)} of {total} found)\n" + "".join(f"{m}\n" for m in missed))
    print(f"{total - len(missed)} of {total} found; {len(missed)} listed in {MISSED.name}")
