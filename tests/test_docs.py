"""Each rule page's Example block yields exactly its marked codes; Use instead yields none.
The README table names every code and links its page."""

import re
from pathlib import Path

import pytest

from expectations import actual, expected
from flake8_argscope.rules import CODES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "rules"
BLOCK = re.compile(r"^## (Example|Use instead)\s*\n(?:.*?\n)*?```python\n(.*?)```", re.M | re.S)


def blocks(code):
    text = (DOCS / f"{code}.md").read_text()
    return {m.group(1): m.group(2) for m in BLOCK.finditer(text)}


@pytest.mark.parametrize("code", CODES)
def test_example_reports_its_code(code):
    example = blocks(code)["Example"]
    want = expected(example)
    assert {c for _l, c in want} == {code}
    assert actual(example) == want


@pytest.mark.parametrize("code", CODES)
def test_use_instead_is_clean(code):
    assert actual(blocks(code)["Use instead"]) == set()


@pytest.mark.parametrize("code", ("ASC401", "ASC405"))
def test_callers_scope_example_reports_at_the_call(code):
    text = (DOCS / f"{code}.md").read_text()
    block = re.search(r"^## Scopes that callers bring\s*\n(?:.*?\n)*?```python\n(.*?)```",
                      text, re.M | re.S)
    assert block, f"{code}.md shows a finding a caller's scope brings"
    source = block.group(1)
    assert {c for _l, c in expected(source)} == {code}
    assert actual(source) == expected(source)
    said = re.search(r"# (ASC\d{3} via .*?) at line (\d+)", source)
    assert said and int(said.group(2)) <= len(source.splitlines())


def test_readme_table_lists_every_code():
    readme = (ROOT / "README.md").read_text()
    for code in CODES:
        assert re.search(rf"\[{code}\]\(docs/rules/{code}\.md\)", readme), code


def test_tensorpack_page_example_reports_its_marked_codes():
    text = (ROOT / "docs" / "tensorpack.md").read_text()
    example = re.search(r"^## Example\s*\n(?:.*?\n)*?```python\n(.*?)```", text, re.M | re.S)
    assert example, "docs/tensorpack.md has an Example block"
    source = example.group(1)
    assert expected(source), "the example marks the codes it expects"
    assert actual(source) == expected(source)
