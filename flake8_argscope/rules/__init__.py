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
from flake8_argscope.rules.registry import Hook, Rule

if TYPE_CHECKING:
    from collections.abc import Container

RULES: dict[str, Rule] = dict(sorted(_DECLARED.items()))  # code -> Rule
CODES: tuple[str, ...] = tuple(RULES)
# findings that depend on the effective scope at a call
CALL_SITE_CODES = frozenset(
    code for code, rule in RULES.items() if rule.hook in (Hook.CALL, Hook.FILE_END))


def by_hook(enabled: Container[str]) -> dict[Hook, tuple[Rule, ...]]:
    """Hook -> the enabled rules that look there, in code order."""
    hooks: dict[Hook, list[Rule]] = {hook: [] for hook in Hook}
    for code, rule in RULES.items():
        if code in enabled:
            hooks[rule.hook].append(rule)
    return {hook: tuple(rules) for hook, rules in hooks.items()}


__all__ = ["CALL_SITE_CODES", "CODES", "RULES", "Hook", "Rule", "by_hook"]
