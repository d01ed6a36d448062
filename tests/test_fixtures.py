"""Every fixture file reports exactly the codes its comments expect, on those lines."""

from pathlib import Path

import pytest

from expectations import actual, expected, findings, fixture_files

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


def test_every_code_has_positive_fixtures():
    from flake8_argscope.rules import CODES

    seen = set()
    for path in FIXTURES:
        seen |= {code for _line, code in expected(path.read_text())}
    assert set(CODES) <= seen


def test_messages_name_the_op_and_scope_line():
    source = (HERE / "fixtures" / "rules" / "asc401_positional.py").read_text()
    msgs = [m for _l, _c, m, _t in findings(source) if m.startswith("ASC401")]
    assert msgs and all("line" in m and "'" in m for m in msgs)
