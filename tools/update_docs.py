"""Write what the docs say about each rule from the rule registry, so they cannot drift.

- each ``docs/rules/ASCnnn.md``: its ``Message:``, ``Severity:`` and ``pylint:`` lines;
- the rules tables of ``README.md`` and ``docs/rules/README.md``, between the markers
  ``<!-- rules-table:start -->`` and ``<!-- rules-table:end -->``.

    python tools/update_docs.py          # rewrite the files
    python tools/update_docs.py --check  # exit 1 and name the stale files (the tests run this)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flake8_argscope.rules import RULES  # noqa: E402
from flake8_argscope.rules.registry import Severity  # noqa: E402

START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"
SEVERITY_TEXT = {
    Severity.ERROR: "error — the runtime raises",
    Severity.WARNING: "warning — the scope silently does not apply",
    Severity.INFO: "info — repetition or redundancy (a refactoring)",
}
_MESSAGE_LINE = re.compile(r"^Message: .*$", re.M)
_SEVERITY_LINE = re.compile(r"^Severity: .*\n\n?", re.M)
_PYLINT_LINE = re.compile(r"^pylint: `argscope-.*\n\n?", re.M)


def page_text(rule, text: str) -> str:
    """The page with its Message, Severity and pylint lines taken from the rule."""
    message = f"Message: `{rule.code} {rule.message}`"
    severity = f"Severity: {SEVERITY_TEXT[rule.severity]}"
    pylint = (f"pylint: `{rule.symbol}` ({rule.msgid}), with "
              f"`--load-plugins=flake8_argscope.pylint` ([README](../../README.md#pylint))")
    if not _MESSAGE_LINE.search(text):
        raise SystemExit(f"{rule.page}: no 'Message:' line to update")
    text = _PYLINT_LINE.sub("", _SEVERITY_LINE.sub("", text))
    return _MESSAGE_LINE.sub(lambda _m: f"{message}\n\n{severity}\n\n{pylint}", text,
                             count=1)


def table(link_prefix: str) -> str:
    rows = ["| code | severity | what it finds | example |", "|---|---|---|---|"]
    for code, rule in RULES.items():
        rows.append(f"| [{code}]({link_prefix}{code}.md) | {rule.severity.name.lower()} "
                    f"| {rule.summary} | {rule.example} |")
    return "\n".join(rows)


def with_table(text: str, link_prefix: str, name: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"{name}: no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{table(link_prefix)}\n{END}{tail}"


def expected() -> dict:
    """path -> the text it should have."""
    out = {}
    for code, rule in RULES.items():
        path = ROOT / rule.page
        out[path] = page_text(rule, path.read_text(encoding="utf-8"))
    readme = ROOT / "README.md"
    out[readme] = with_table(readme.read_text(encoding="utf-8"), "docs/rules/", "README.md")
    index = ROOT / "docs" / "rules" / "README.md"
    out[index] = with_table(index.read_text(encoding="utf-8"), "", "docs/rules/README.md")
    return out


def stale() -> list:
    return [path for path, text in expected().items()
            if path.read_text(encoding="utf-8") != text]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        old = stale()
        for path in old:
            print(f"stale: {path.relative_to(ROOT)} (run python tools/update_docs.py)")
        return 1 if old else 0
    for path, text in expected().items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
