"""The registry is the one source of truth: flake8's codes, the docs and the derived sets
come from it, and a malformed or duplicate declaration fails at import."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_argscope import checker
from flake8_argscope.rules import CALL_SITE_CODES, CODES, RULES, by_hook
from flake8_argscope.rules.registry import Hook, Rule, Severity

ROOT = Path(__file__).resolve().parents[1]


def test_flake8_codes_are_the_registry():
    assert checker.CODES == CODES == tuple(sorted(RULES))
    assert checker.Config().enabled == frozenset(CODES)


def test_declarations_are_complete_and_distinct():
    symbols = [rule.symbol for rule in RULES.values()]
    msgids = [rule.msgid for rule in RULES.values()]
    assert len(set(symbols)) == len(symbols) and len(set(msgids)) == len(msgids)
    for code, rule in RULES.items():
        assert re.fullmatch(r"ASC[1-4]0\d", code)
        assert re.fullmatch(r"argscope-[a-z-]+", rule.symbol), rule.symbol
        assert re.fullmatch(r"[EWR]73\d\d", rule.msgid), rule.msgid
        assert rule.fields, f"{code}: a message with no variable part"
        assert (ROOT / rule.page).is_file(), rule.page


def test_severity_follows_the_family():
    """4xx: the runtime raises; 1xx/2xx: refactoring; 3xx: either, as declared."""
    for code, rule in RULES.items():
        if code.startswith(("ASC1", "ASC2")):
            assert rule.severity is Severity.INFO
        if code.startswith("ASC4"):
            assert rule.severity is Severity.ERROR


def test_call_site_codes_are_derived():
    assert CALL_SITE_CODES == {"ASC101", "ASC201", "ASC302", "ASC401", "ASC405"}
    hooks = by_hook({"ASC201", "ASC403"})
    assert [r.code for r in hooks[Hook.CALL]] == ["ASC201"]
    assert [r.code for r in hooks[Hook.SCOPE_ENTRY]] == ["ASC403"]
    assert hooks[Hook.FILE_END] == () and hooks[Hook.DISCARDED_CALL] == ()


def test_incomplete_declaration_fails_at_import():
    with pytest.raises(TypeError, match="declares no severity"):
        class Incomplete(Rule):  # noqa: F841
            code = "ASC499"
            message = "{x}"
    assert "ASC499" not in RULES


def test_duplicate_code_fails_at_import():
    with pytest.raises(TypeError, match="declared twice"):
        class Twice(Rule):  # noqa: F841
            code = "ASC401"
            message = "{x}"
            severity = Severity.ERROR
            symbol = "argscope-twice"
            hook = Hook.CALL
            summary = example = "x"


def test_render_rejects_fields_that_do_not_fill_the_template():
    rule = RULES["ASC404"]
    assert rule.render({"kws": "padding"}).startswith("ASC404 arg_scope reuses")
    with pytest.raises(ValueError):
        rule.render({})
    with pytest.raises(ValueError):
        rule.render({"kws": "a", "extra": 1})


def test_docs_are_generated_from_the_registry():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "update_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_each_page_quotes_its_rule_message():
    for code, rule in RULES.items():
        text = (ROOT / rule.page).read_text()
        assert f"Message: `{code} {rule.message}`" in text, code
