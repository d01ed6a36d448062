"""The ASC rules, one ``Rule`` class per code, grouped by family; the registry collects them.

- ``repeated``     ASC101  repetition an arg_scope could absorb
- ``redundant``    ASC201  explicit keyword equal to what the scope supplies
- ``registration`` ASC301-ASC304  ops that are not (or not in this registry) scope-enabled
- ``runtime``      ASC401-ASC405  what the runtime raises at the ``with`` or the call

Docs: docs/rules/ASCnnn.md. Adding a rule: CONTRIBUTING.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_argscope.rules import redundant, registration, repeated, runtime  # noqa: F401
from flake8_argscope.rules.registry import RULES as _DECLARED
from flake8_argscope.rules.registry import (
    CallRule, DiscardedCallRule, FileEndRule, Hook, Rule, ScopeEntryRule,
)

if TYPE_CHECKING:
    from collections.abc import Container

RULES: dict[str, Rule] = dict(sorted(_DECLARED.items()))  # code -> Rule
CODES: tuple[str, ...] = tuple(RULES)
# findings that depend on the effective scope at a call
CALL_SITE_CODES = frozenset(
    code for code, rule in RULES.items() if rule.hook in (Hook.CALL, Hook.FILE_END))


class ByHook:
    """The enabled rules of each hook, in code order, typed by their context."""

    def __init__(self, enabled: Container[str]) -> None:
        on = [rule for code, rule in RULES.items() if code in enabled]
        self.call = tuple(r for r in on if isinstance(r, CallRule))
        self.scope_entry = tuple(r for r in on if isinstance(r, ScopeEntryRule))
        self.discarded_call = tuple(r for r in on if isinstance(r, DiscardedCallRule))
        self.file_end = tuple(r for r in on if isinstance(r, FileEndRule))


__all__ = ["CALL_SITE_CODES", "CODES", "RULES", "ByHook", "Hook", "Rule"]
