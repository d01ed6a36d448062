"""Every fixture file reports exactly the codes its comments expect, on those lines, and
exactly the output its ``.txt`` snapshot holds (line, column and whole message)."""

from pathlib import Path

import pytest

from flake8_argscope.rules import CODES

from expectations import actual, expected, findings, fixture_files, output_lines, snapshot_of

HERE = Path(__file__).parent
FIXTURES = fixture_files(HERE / "fixtures" / "rules")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture(path):
    source = path.read_text()
    want = expected(source)
    got = actual(source, str(path))
    missing = sorted(want - got)
    extra = sorted(got - want)
    detail = "\n".join(f"  {line}:{col} {msg}" for line, col, msg, _ in findings(source))
    assert not missing and not extra, (
        f"missing {missing}\nunexpected {extra}\nall findings:\n{detail}")


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_fixture_output(path):
    snapshot = snapshot_of(path)
    assert snapshot.is_file(), f"no {snapshot.name}: run python tests/expectations.py --update"
    want = snapshot.read_text().splitlines()
    got = output_lines(path.read_text(), str(path))
    assert got == want, "output changed: if deliberate, python tests/expectations.py --update"


def test_snapshots_have_fixtures():
    snapshots = {p.stem for p in (HERE / "fixtures" / "rules").glob("*.txt")}
    assert snapshots == {p.stem for p in FIXTURES}


def test_every_code_has_positive_fixtures():

    seen = set()
    for path in FIXTURES:
        seen |= {code for _line, code in expected(path.read_text())}
    assert set(CODES) <= seen


def test_every_code_has_a_message_in_the_snapshots():
    """Each rule's template is exercised: changing any template changes a snapshot."""
    text = "".join(snapshot_of(p).read_text() for p in FIXTURES)
    for code in CODES:
        assert f": {code} " in text, code
