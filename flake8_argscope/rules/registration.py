"""ASC301-ASC304: what is (not) scope-enabled, and in which registry.

- ASC301 an arg_scope list element that is not scope-enabled: the ``with`` raises
  (slim: ValueError, or AttributeError for partials/strings; tensorpack: AssertionError).
- ASC302 a call under a scope to a look-alike the scope does not reach (same final name).
- ASC303 ``add_arg_scope(f)`` as a bare statement: the decorated result is thrown away.
- ASC304 an op of one registry listed in another registry's arg_scope.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from flake8_argscope.known import (
    OP_LIBRARIES, TENSORPACK, Api, Op, Unscoped, api_label, label,
)
from flake8_argscope.model.arguments import ElementKind, NotScoped
from flake8_argscope.rules.registry import CallRule, DiscardedCallRule, ScopeEntryRule, Severity
from flake8_argscope.symbols import PlainFunc
from flake8_argscope.syntax import final_name, show

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flake8_argscope.model.arguments import ArgScopeCall
    from flake8_argscope.model.scopes import OpEntry, Scopes
    from flake8_argscope.rules.registry import CallContext, Discarded, Finding


def _error(registry: str, attribute: bool = False) -> str:
    if registry == TENSORPACK:
        return "AssertionError (Argscope not supported)"
    return "AttributeError" if attribute else "ValueError (not decorated with @add_arg_scope)"


# why an element is not scope-enabled, and whether slim fails on it with AttributeError
_WHY = {
    NotScoped.PARTIAL: ("a functools.partial of {}", True),
    NotScoped.LIBRARY_FUNCTION: ("a plain library function", False),
    NotScoped.API_HELPER: ("an arg_scope helper, not an op", False),
    NotScoped.BUILTIN: ("a builtin", False),
    NotScoped.LAMBDA: ("a lambda", False),
    NotScoped.LITERAL: ("a literal, not a function", True),
}


class NotScopeEnabled(ScopeEntryRule):
    code = "ASC301"
    message = "{name} is not scope-enabled ({why}); entering this {api} raises {error}"
    severity = Severity.ERROR
    raised_at = "with"
    symbol = "argscope-op-not-scope-enabled"
    summary = ("an op in an arg_scope list that is not scope-enabled (`ValueError`/"
               "`AttributeError` at the `with`)")
    example = "`arg_scope([tf.layers.conv2d], ...)`, `arg_scope([slim.relu], ...)`"

    def check(self, entry: ArgScopeCall) -> Iterator[Finding]:
        registry = entry.registry
        for element in entry.elements:
            if element.kind is not ElementKind.NOT_SCOPED:
                continue
            if element.reason is NotScoped.NO_DECORATOR:
                why, attribute = ("no @add_arg_scope" if registry != TENSORPACK else
                                  "no @layer_register or enable_argscope_for_function"), False
            else:
                why, attribute = _WHY[cast(NotScoped, element.reason)]  # set when NOT_SCOPED
                if element.reason is NotScoped.PARTIAL:
                    why = why.format(element.wrapped)
            yield element.node, dict(name=show(element.node), why=why, api=api_label(registry),
                                     error=_error(registry, attribute))


class OtherRegistryOp(ScopeEntryRule):
    code = "ASC304"
    message = ("{name} belongs to {owner} but is listed in a {registry} {api}; "
               "entering it raises {error}")
    severity = Severity.ERROR
    raised_at = "with"
    symbol = "argscope-op-of-other-registry"
    summary = ("an op of one registry in another registry's scope (tf_slim / tf.contrib / "
               "tensorpack)")
    example = "`tf.contrib.framework.arg_scope([tf_slim.conv2d])`"

    def check(self, entry: ArgScopeCall) -> Iterator[Finding]:
        registry = entry.registry
        for element in entry.elements:
            if element.kind is ElementKind.OTHER_REGISTRY:
                yield element.node, dict(
                    name=show(element.node), owner=label(cast(Op, element.op).registry),
                    registry=label(registry), api=api_label(registry), error=_error(registry))


class DiscardedWrapper(DiscardedCallRule):
    """add_arg_scope and enable_argscope_for_function return a new wrapper and leave ``f``
    untouched (tensorpack/tfutils/argscope.py:95-119, whatever ``log_shape`` is)."""

    code = "ASC303"
    message = ("the result of {api}({arg}) is discarded and {f} {stays} unscoped; "
               "use @{api} or {rebind}")
    severity = Severity.WARNING
    symbol = "argscope-discarded-wrapper"
    summary = "`add_arg_scope(f)` as a bare statement: the wrapper is discarded"
    example = "`slim.add_arg_scope(my_op)`"

    def check(self, ctx: Discarded) -> Iterator[Finding]:
        call, target = ctx.call, ctx.target
        if not isinstance(target, Api):
            return
        if target.name == "add_arg_scope":
            if len(call.args) != 1 or call.keywords:
                return
        elif target.name == "enable_argscope_for_function":
            if not call.args or len(call.args) > 2 or any(
                    isinstance(a, ast.Starred) for a in call.args) or any(
                    k.arg != "log_shape" for k in call.keywords):
                return
        else:
            return
        api, arg = show(call.func), call.args[0]
        names = [show(e) for e in _loop_elements(ctx.env.resolver.tree, call, arg)]
        if len(names) > 1:  # ``for f in (a, b): add_arg_scope(f)``: name the functions
            first = f"{names[0]} = {api}({names[0]})"
            yield call, dict(api=api, arg=show(arg), f=", ".join(names), stays="stay",
                             rebind=f"rebind each ({first}, ...)")
            return
        f = names[0] if names else show(arg)
        yield call, dict(api=api, arg=show(arg), f=f, stays="stays",
                         rebind=f"{f} = {api}({f})")


def _loop_elements(tree: ast.Module, call: ast.Call, arg: ast.expr) -> list[ast.expr]:
    """The elements of the tuple or list the innermost ``for arg in (...)`` holding ``call``
    takes (empty when ``arg`` is no such loop variable). ASC303 is rare: one walk is fine."""
    if not isinstance(arg, ast.Name):
        return []
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.For) and isinstance(node.target, ast.Name)
                and node.target.id == arg.id and isinstance(node.iter, (ast.Tuple, ast.List))
                and node.lineno <= call.lineno <= (node.end_lineno or node.lineno)
                and not any(isinstance(e, ast.Starred) for e in node.iter.elts)):
            found = node.iter.elts  # ast.walk goes outside in: the last is the innermost
    return found


class NotReached(CallRule):
    code = "ASC302"
    message = ("{call} is not reached by the {api} on line {line} for {op}; "
               "call the scoped {op} or pass the arguments explicitly")
    severity = Severity.WARNING
    symbol = "argscope-lookalike-not-reached"
    summary = "a look-alike call the scope silently does not reach"
    example = "`tf.layers.conv2d(...)` under `arg_scope([slim.conv2d], ...)`"

    def check(self, ctx: CallContext) -> Iterator[Finding]:
        if ctx.op is None:
            # a certainly-unscoped function named like an op of an active scope, which
            # calls no op itself (a project conv2d that pads, then calls slim.conv2d, is
            # reached: the scope is dynamic)
            found = _lookalike(ctx.call, ctx.scopes)
            if found is not None and _may_call_an_op(ctx):
                return
            qualify = False
        elif ctx.partial is None and ctx.op.registry is not None:
            # an op of another registry (tf.contrib.layers.conv2d under a tf_slim scope on
            # conv2d): its own registry's scope is the only one it reads
            found = _lookalike(ctx.call, ctx.scopes, skip_registry=ctx.op.registry)
            qualify = True  # say which library's scope it is
        else:
            return
        if found is None:
            return
        registry, entry = found
        api = f"{label(registry)} {api_label(registry)}" if qualify else api_label(registry)
        yield ctx.call, dict(call=show(ctx.call.func), api=api, line=entry.line,
                             op="/".join(sorted(entry.names)))


def _may_call_an_op(ctx: CallContext) -> bool:
    target = ctx.target
    if isinstance(target, PlainFunc):
        return target.sym is None or ctx.env.resolver.defs.may_reach_op(target.sym)
    if isinstance(target, Unscoped):  # tf_slim's and contrib's own helpers call ops
        return target.path.startswith(OP_LIBRARIES)
    return True


def _lookalike(call: ast.Call, scopes: Scopes,
               skip_registry: str | None = None) -> tuple[str, OpEntry] | None:
    name = final_name(call.func)
    if not name:
        return None
    best = None
    for registry, scope in scopes.items():
        if registry is None or registry == skip_registry:
            continue
        for key, entry in scope.ops.items():
            # tensorpack keys are the __name__ (§3.1): a plain function of that name
            # looks scoped but is not, whatever name the scoped wrapper was listed under
            named = name in entry.names or (
                registry == TENSORPACK and key == f"{TENSORPACK}:{name}")
            if named and (entry.known or entry.wild):
                if best is None or entry.line > best[1].line:
                    best = (registry, entry)
    return best
