"""Write what the docs say about each rule from the rule registry, so they cannot drift.

- each ``docs/rules/ASCnnn.md``: its ``Message:``, ``Severity:`` and ``pylint:`` lines;
- the rules tables of ``README.md`` and ``docs/rules/README.md``, between the markers
  ``<!-- rules-table:start -->`` and ``<!-- rules-table:end -->``;
- the severities editors and CI show: VS Code's ``flake8.severity`` setting in
  ``docs/integrations.md`` (between ``<!-- vscode-severity:start/end -->``) and the GitHub
  Actions problem matcher ``docs/ci/flake8-argscope-matcher.json``.

    python tools/update_docs.py          # rewrite the files
    python tools/update_docs.py --check  # exit 1 and name the stale files (the tests run this)
"""

from __future__ import annotations

import argparse
import json
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


# VS Code's flake8 extension: a code's severity is the value of its longest key prefix
# (microsoft/vscode-flake8, bundled/tool/lsp_server.py, _get_severity)
VSCODE_SEVERITY = {Severity.ERROR: "Error", Severity.WARNING: "Warning",
                   Severity.INFO: "Information"}
VSCODE_DEFAULTS = {"E": "Error", "F": "Error", "I": "Information", "W": "Warning"}
# GitHub problem matchers know only "error" and "warning" (actions/toolkit,
# docs/problem-matchers.md): info findings become warnings
MATCHER_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning",
                    Severity.INFO: "warning"}
MATCHER = ROOT / "docs" / "ci" / "flake8-argscope-matcher.json"
INTEGRATIONS = ROOT / "docs" / "integrations.md"
VSCODE_START, VSCODE_END = "<!-- vscode-severity:start -->", "<!-- vscode-severity:end -->"


def vscode_severity() -> dict:
    """flake8.severity: the extension's defaults, then one key per ASC family when all its
    codes share a severity ("ASC4"), else one per code."""
    out = dict(VSCODE_DEFAULTS)
    families: dict = {}
    for code, rule in RULES.items():
        families.setdefault(code[:4], []).append((code, VSCODE_SEVERITY[rule.severity]))
    for family, members in families.items():
        if len({sev for _c, sev in members}) == 1:
            out[family] = members[0][1]
        else:
            out.update(members)
    return out


def vscode_block() -> str:
    settings = json.dumps({"flake8.severity": vscode_severity()}, indent=4)
    return f"```json\n{settings}\n```"


def problem_matcher() -> str:
    """One matcher per severity, for flake8's default output ``path:row:col: CODE text``. The
    regexp uses only what JavaScript, .NET and Python regexes read alike."""
    matchers = []
    for severity in Severity:
        codes = [code for code, rule in RULES.items() if rule.severity is severity]
        if not codes:
            continue
        matchers.append({
            "owner": f"flake8-argscope-{severity.name.lower()}",
            "severity": MATCHER_SEVERITY[severity],
            "pattern": [{
                "regexp": rf"^(.+?):(\d+):(\d+): ({'|'.join(codes)}) (.+)$",
                "file": 1, "line": 2, "column": 3, "code": 4, "message": 5,
            }],
        })
    return json.dumps({"problemMatcher": matchers}, indent=2) + "\n"


def with_block(text: str, start: str, end: str, block: str, name: str) -> str:
    if start not in text or end not in text:
        raise SystemExit(f"{name}: no {start} ... {end} markers")
    head, rest = text.split(start, 1)
    _old, tail = rest.split(end, 1)
    return f"{head}{start}\n{block}\n{end}{tail}"


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
    out[INTEGRATIONS] = with_block(INTEGRATIONS.read_text(encoding="utf-8"), VSCODE_START,
                                   VSCODE_END, vscode_block(), "docs/integrations.md")
    out[MATCHER] = problem_matcher()
    return out


def stale() -> list:
    return [path for path, text in expected().items()
            if not path.is_file() or path.read_text(encoding="utf-8") != text]


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
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"updated {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
