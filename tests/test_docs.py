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
