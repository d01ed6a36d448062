"""Small helpers the rule modules share."""

from __future__ import annotations

import ast

from flake8_argscope.known import REGISTRY_LABELS


def show(node, limit: int = 60) -> str:
    """Source-like text of a node, shortened for messages."""
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse of a parsed tree does not fail
        return "?"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def label(registry) -> str:
    if registry is None:
        return "?"
    return REGISTRY_LABELS.get(registry, registry.split(":", 1)[-1])


def same_value(a, b) -> bool:
    """Structural equality of two expressions (positions and ctx ignored)."""
    try:
        return ast.dump(a) == ast.dump(b)
    except RecursionError:  # absurdly deep expressions: not worth a finding
        return False


def scope_line(analysis, kv) -> str:
    """``12``, or ``9 of nets.scopes`` when the arg_scope is in another module (a factory)."""
    origin = getattr(kv, "origin", None)
    resolver = getattr(origin, "resolver", None)
    if resolver is None or resolver is analysis.resolver or not resolver.current:
        return str(kv.line)
    return f"{kv.line} of {resolver.current[0]}"
