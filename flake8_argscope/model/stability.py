"""Does a value a scope supplies still mean, at a call, what the ``with`` evaluated? Needed
before saying an explicit keyword repeats it (ASC201) or removing one (fix)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from flake8_argscope.symbols import Path

if TYPE_CHECKING:
    from collections.abc import Iterable

    from flake8_argscope.frames import Frame
    from flake8_argscope.model.scopes import KwVal
    from flake8_argscope.resolve import Resolver


def value_is_stable(resolver: Resolver, kv: KwVal, frame: Frame, shadow: frozenset[str],
                    at: int) -> bool:
    """True when no name in the scoped value can have been rebound between the ``with``
    that evaluated it and this call: then the explicit keyword is the same value."""
    for other in kv.also:
        if not value_is_stable(resolver, other, frame, shadow, at):
            return False
    if kv.stable:
        return True
    module = resolver.module_frame
    for node in ast.walk(cast(ast.expr, kv.node)):  # (the caller made sure it is known)
        if isinstance(node, (ast.Lambda, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)):
            return False
        if not isinstance(node, ast.Name):
            continue
        name = node.id
        if name in shadow:
            return False
        if name in resolver.facts.global_names:
            return False
        if kv.origin is frame and kv.scope_node is not None:
            # same function: nothing may bind the name between the with and the call
            w = kv.scope_node
            if name in frame.declared_nonlocal:
                return False
            if _rebound_before(w, frame.lines_binding(name), at):
                return False
            if not isinstance(resolver.resolve_name(name, frame), Path):
                if _rebound_before(w, frame.store_attr_roots.get(name, ()), at):
                    return False
            if not frame.binds(name) and not _settled(module, name):
                return False
            continue
        origin = kv.origin
        if origin is not None and origin.resolver is not frame.resolver:
            # evaluated in another module: the name must mean the same import there
            there = origin.resolver.resolve_name(name, origin)
            here = frame.resolver.resolve_name(name, frame, shadow)
            if not (isinstance(there, Path) and isinstance(here, Path)
                    and there.path == here.path):
                return False
            continue
        # the value was evaluated elsewhere (a factory, a module-level scope): only a
        # module-level name bound once means the same object in both places
        if origin is not None and not origin.is_module and origin.binds(name):
            return False
        if not frame.is_module and _bound_in_chain(frame, name):
            return False
        if not _settled(module, name):
            return False
    return True


def _rebound_before(w: ast.With | ast.AsyncWith, lines: Iterable[int], at: int) -> bool:
    """Does a binding on one of ``lines`` run after the ``with`` evaluates its items and
    before the call on line ``at`` (control-flow order: earlier in the with, or anywhere in
    a loop inside the with that also holds the call)?"""
    lo, hi = w.lineno, getattr(w, "end_lineno", w.lineno) or w.lineno
    inside = [line for line in lines if lo <= line <= hi]
    if not inside:
        return False
    if any(line <= at for line in inside):
        return True
    for node in ast.walk(w):  # (every line left is after the call)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            end = node.end_lineno or node.lineno
            if node.lineno <= at <= end and any(line <= end for line in inside):
                return True
    return False


def _settled(module: Frame, name: str) -> bool:
    """Bound once at module level, or only by statements before the module's first def or
    class (``if tf.__version__ >= '2': tf = tf.compat.v1``): no function, nor a scope dict
    a function builds, can see an earlier value."""
    bindings = module.bindings.get(name, ())
    if len(bindings) <= 1:
        return True
    first = next((stmt.lineno for stmt in module.node.body  # type: ignore[union-attr]
                  if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))),
                 None)
    return first is not None and all(b.line < first for b in bindings)


def _bound_in_chain(frame: Frame, name: str) -> bool:
    f: Frame | None = frame
    while f is not None and not f.is_module:
        if f.binds(name):
            return True
        f = f.parent
    return False
