"""ASC201: an explicit ``kw=value`` equal to what the effective scope already supplies."""

from __future__ import annotations

import ast

from flake8_argscope.known import TENSORPACK
from flake8_argscope.resolve import Path
from flake8_argscope.rules.common import same_value, scope_line, show

CODE = "ASC201"
MESSAGE = "{op}: {kw}={value} repeats what the {api} on line {line} already supplies; remove it"


def check(analysis, call, op, entry, frame, shadow, skip=()):
    if not entry.known:
        return
    exempt = analysis.config.exempt_kwargs
    for kw in call.keywords:
        if kw.arg is None or kw.arg in exempt or kw.arg in skip:
            continue
        kv = entry.known.get(kw.arg)
        if kv is None or kv.node is None or not same_value(kv.node, kw.value):
            continue
        if not value_is_stable(analysis, kv, frame, call, shadow):
            continue
        analysis.report(kw, CODE, MESSAGE.format(
            op=show(call.func), kw=kw.arg, value=show(kw.value, 40), line=scope_line(analysis, kv),
            api="argscope" if op.registry == TENSORPACK else "arg_scope"))


def value_is_stable(analysis, kv, frame, call, shadow) -> bool:
    """True when no name in the scoped value can have been rebound between the ``with``
    that evaluated it and this call: then the explicit keyword is the same value."""
    if kv.stable:
        return True
    resolver = analysis.resolver
    module = resolver.module_frame
    for node in ast.walk(kv.node):
        if isinstance(node, (ast.Lambda, ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await)):
            return False
        if not isinstance(node, ast.Name):
            continue
        name = node.id
        if name in shadow:
            return False
        if name in analysis.global_names:
            return False
        if kv.origin is frame and kv.scope_node is not None:
            # same function: nothing may bind the name inside the with statement
            w = kv.scope_node
            lo, hi = w.lineno, getattr(w, "end_lineno", w.lineno) or w.lineno
            if name in frame.declared_nonlocal:
                return False
            if any(lo <= line <= hi for line in frame.lines_binding(name)):
                return False
            if not isinstance(resolver.resolve_name(name, frame), Path):
                if any(lo <= line <= hi for line in frame.store_attr_roots.get(name, ())):
                    return False
            if not frame.binds(name) and len(module.bindings.get(name, ())) > 1:
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
        if len(module.bindings.get(name, ())) > 1:
            return False
    return True


def _bound_in_chain(frame, name) -> bool:
    f = frame
    while f is not None and not f.is_module:
        if f.binds(name):
            return True
        f = f.parent
    return False
