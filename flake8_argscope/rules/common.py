"""Small helpers the rule modules share."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_argscope.model.scopes import KwVal
    from flake8_argscope.rules.registry import RuleEnv


def scope_line(env: RuleEnv, kv: KwVal) -> str:
    """``12``, or ``9 of nets.scopes`` when the arg_scope is in another module (a factory)."""
    origin = getattr(kv, "origin", None)
    resolver = getattr(origin, "resolver", None)
    if resolver is None or resolver is env.reported_in or not resolver.current:
        return str(kv.line)
    return f"{kv.line} of {resolver.current[0]}"
