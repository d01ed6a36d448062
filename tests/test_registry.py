"""The registry is the one source of truth: flake8's codes, the docs and the derived sets
come from it, and a malformed or duplicate declaration fails at import."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from flake8_argscope import api
from flake8_argscope.rules import CALL_SITE_CODES, CODES, RULES, ByHook
from flake8_argscope.rules import registry
from flake8_argscope.rules.registry import CallRule, Rule, ScopeEntryRule, Severity

ROOT = Path(__file__).resolve().parents[1]


def test_flake8_codes_are_the_registry():
    assert CODES == tuple(sorted(RULES))
    assert api.Config().enabled == frozenset(CODES)


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
    hooks = ByHook({"ASC201", "ASC403"})
    assert [r.code for r in hooks.call] == ["ASC201"]
    assert [r.code for r in hooks.scope_entry] == ["ASC403"]
    assert hooks.file_end == () and hooks.discarded_call == ()


def test_incomplete_declaration_fails_at_import():
    with pytest.raises(TypeError, match="declares no severity"):
        class Incomplete(CallRule):  # noqa: F841
            code = "ASC499"
            message = "{x}"
    assert "ASC499" not in RULES


def _declare(base, check, hook=None):
    attrs = dict(code="ASC498", message="{x}", severity=Severity.ERROR, raised_at="call",
                 symbol="argscope-mismatch", summary="x", example="x", check=check)
    if hook is not None:
        attrs["hook"] = hook
    return type("Mismatched", (base,), attrs)


def test_a_check_for_another_hooks_context_fails_at_import():
    """mypy rejects it too (an incompatible override of the base's typed check); this
    catches a rule module mypy did not see."""
    def for_entries(self, entry: "ArgScopeCall"):  # noqa: F821
        return iter(())

    def for_calls(self, ctx: "CallContext"):  # noqa: F821
        return iter(())

    def unannotated(self, ctx):
        return iter(())

    for base, check in ((CallRule, for_entries), (ScopeEntryRule, for_calls),
                        (CallRule, unannotated)):
        with pytest.raises(TypeError, match="takes the .* of its hook"):
            _declare(base, check)
    with pytest.raises(TypeError, match="exactly one of"):
        _declare(Rule, for_calls)  # no hook base
    with pytest.raises(TypeError, match="exactly one of"):
        _declare(CallRule, for_calls, hook=ScopeEntryRule.hook)  # a hook of its own
    assert "ASC498" not in registry.RULES
    assert _declare(CallRule, for_calls).hook is CallRule.hook
    del registry.RULES["ASC498"]


def test_mypy_rejects_a_check_for_another_hooks_context(tmp_path):
    mypy = pytest.importorskip("mypy.api")
    module = tmp_path / "mismatched_rule.py"
    module.write_text(
        "from __future__ import annotations\n"
        "from collections.abc import Iterator\n"
        "from flake8_argscope.model.arguments import ArgScopeCall\n"
        "from flake8_argscope.rules.registry import CallRule, Finding\n\n\n"
        "class Mismatched(CallRule):\n"
        "    def check(self, entry: ArgScopeCall) -> Iterator[Finding]:\n"
        "        yield from ()\n")
    out, _err, status = mypy.run([str(module), "--no-incremental", "--cache-dir=/dev/null",
                                  "--follow-imports=silent"])
    assert status == 1 and "incompatible with supertype" in out, out


def test_duplicate_code_fails_at_import():
    with pytest.raises(TypeError, match="declared twice"):
        class Twice(CallRule):  # noqa: F841
            code = "ASC401"
            message = "{x}"
            severity = Severity.ERROR
            symbol = "argscope-twice"
            raised_at = "call"
            summary = example = "x"


def test_error_rules_say_where_the_runtime_raises():
    for code, rule in RULES.items():
        assert (rule.raised_at is not None) == (rule.severity is Severity.ERROR), code
    with pytest.raises(TypeError, match="says where the runtime raises"):
        class Nowhere(CallRule):  # noqa: F841
            code = "ASC497"
            message = "{x}"
            severity = Severity.ERROR
            symbol = "argscope-nowhere"
            summary = example = "x"

            def check(self, ctx: "CallContext"):  # noqa: F821
                return iter(())


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
