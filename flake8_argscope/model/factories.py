"""Scope factories of the project: ``def f(...): with arg_scope(...) as sc: return sc`` (or
``return other_factory(...)``), evaluated at each call with the parameters the call fixes."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope.frames import SCOPE_NODES
from flake8_argscope.known import SCOPE_ENTERING, Api
from flake8_argscope.record import Frozen
from flake8_argscope.syntax import is_literal

if TYPE_CHECKING:
    from typing import Any, Union

    from flake8_argscope.frames import Frame
    from flake8_argscope.resolve import Resolver
    from flake8_argscope.symbols import LocalDef

    # the with items around a statement, outermost first
    Chain = tuple[tuple[Union[ast.With, ast.AsyncWith], ast.withitem], ...]
    # what a scope context-manager factory returns: (the arg_scope call, the def's frame,
    # its registry, the def)
    ScopeCM = tuple[ast.Call, Frame, str, Union[ast.FunctionDef, ast.AsyncFunctionDef]]


class FactoryDef(Frozen):
    """A def returning a scope dict: ``chain`` ((with_node, withitem), ...) from the
    outermost to the returning item; ``as_item`` the item whose ``as`` name is returned,
    or ``returns`` the factory call it returns."""

    __slots__ = _fields = ("node", "frame", "chain", "as_item", "returns")
    node: ast.FunctionDef | ast.AsyncFunctionDef
    frame: Frame
    chain: Chain
    as_item: ast.withitem | None  # its context_expr is an arg_scope(...) call
    returns: ast.Call | None


def _returns(body: list[ast.stmt]) -> list[tuple[ast.Return, Chain]]:
    """Every ``return`` of a def body (not of nested defs), with the with items around it."""
    found: list[tuple[ast.Return, Chain]] = []
    _collect_returns(body, (), found)
    return found


def _collect_returns(body: list[ast.stmt], chain: Chain,
                     found: list[tuple[ast.Return, Chain]]) -> None:
    # a module-level function, not a closure: a recursive closure is a reference cycle
    # per call, left for the garbage collector
    for stmt in body:
        if isinstance(stmt, SCOPE_NODES):
            continue
        if isinstance(stmt, ast.Return):
            found.append((stmt, chain))
            continue
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            _collect_returns(stmt.body, chain + tuple((stmt, it) for it in stmt.items), found)
            continue
        for field in ("body", "orelse", "finalbody"):
            sub = getattr(stmt, field, None)
            if isinstance(sub, list):
                _collect_returns(sub, chain, found)
        for h in getattr(stmt, "handlers", ()):
            _collect_returns(h.body, chain, found)
        for case in getattr(stmt, "cases", ()):
            _collect_returns(case.body, chain, found)


def find_factory(resolver: Resolver, sym: LocalDef) -> FactoryDef | None:
    """The factory a LocalDef is, if it certainly is one: a single ``return`` of an
    ``arg_scope(...) as name`` it is inside of, or of a call (maybe another factory)."""
    node = sym.node
    frame = sym.frame.resolver.frame_for(node, sym.frame)
    returns = _returns(node.body)
    if len(returns) != 1 or returns[0][0].value is None:
        return None
    ret, chain = returns[0]
    value = ret.value
    if isinstance(value, ast.Name):
        bindings = frame.bindings.get(value.id, [])
        if len(bindings) != 1 or bindings[0].kind != "withas":
            return None
        item = bindings[0].node
        for i, (_w, it) in enumerate(chain):
            if it is item:
                expr = it.context_expr
                if not isinstance(expr, ast.Call):
                    return None
                target = resolver.target_of(expr.func, frame)
                if not (isinstance(target, Api) and target.name == "arg_scope"):
                    return None
                return FactoryDef(node, frame, chain[: i + 1], item, None)
        return None
    if isinstance(value, ast.Call):
        return FactoryDef(node, frame, chain, None, value)
    return None


class Caller(Frozen):
    """Where a scope context-manager factory is called: its ``call``, the ``frame`` the
    call is in, and the factory's def ``fnode``."""

    __slots__ = _fields = ("call", "frame", "fnode")
    call: ast.Call
    frame: Frame
    fnode: ast.FunctionDef | ast.AsyncFunctionDef


def find_scope_cm_factory(resolver: Resolver, sym: LocalDef) -> ScopeCM | None:
    """(the ``arg_scope(...)`` call, the def's frame, its registry, the def) when the def's
    only return, outside any ``with``, returns that call."""
    node = sym.node
    returns = _returns(node.body)
    if len(returns) != 1 or returns[0][1]:
        return None
    value = returns[0][0].value
    if not isinstance(value, ast.Call):
        return None
    frame = sym.frame.resolver.frame_for(node, sym.frame)
    target = resolver.target_of(value.func, frame)
    if not (isinstance(target, Api) and target.name in SCOPE_ENTERING):
        return None
    return value, frame, target.registry, node


def argument_for(fnode: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call,
                 expr: ast.expr) -> ast.expr | None:
    """When ``expr`` is a parameter of ``fnode``, the argument ``call`` passes for it (not
    a default: that is evaluated in the def's frame); else None."""
    if not isinstance(expr, ast.Name) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    args = fnode.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    for name, value in zip(positional, call.args):
        if name == expr.id:
            return value
    for kw in call.keywords:
        if kw.arg == expr.id:
            return kw.value
    return None


def bind_params(fnode: ast.FunctionDef | ast.AsyncFunctionDef,
                call: ast.Call) -> dict[str, ast.expr | None]:
    """Parameter -> literal AST fixed by the call site (argument or untouched default),
    or None when the value is not certain."""
    args = fnode.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    env: dict[str, ast.expr | None] = {
        name: None for name in positional + [a.arg for a in args.kwonlyargs]}
    for extra in (args.vararg, args.kwarg):
        if extra is not None:
            env[extra.arg] = None
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords):
        return env
    given: dict[str | None, ast.expr] = {}  # (no None key: returned above)
    value: ast.expr | None
    for name, value in zip(positional, call.args):
        given[name] = value
    for kw in call.keywords:
        given[kw.arg] = kw.value
    defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        if d is not None:
            defaults[a.arg] = d
    for name in env:
        value = given.get(name, defaults.get(name))
        env[name] = value if value is not None and is_literal(value) else None
    return env


class _Subst(ast.NodeTransformer):
    def __init__(self, env: dict[str, ast.expr | None]) -> None:
        self.env = env

    def visit_Name(self, node: ast.Name) -> ast.expr | None:
        if node.id in self.env:
            return self.env[node.id]
        return node


def substitute(value: ast.expr, env: dict[str, ast.expr | None]) -> ast.expr:
    """A copy of ``value`` with the names of ``env`` replaced by their values."""
    return _Subst(env).visit(_clone(value))


def _clone(value: Any) -> Any:
    """A deep copy of an expression tree: what ``copy.deepcopy`` makes of it, without its
    generic machinery (several times slower, and run for every factory call)."""
    if isinstance(value, ast.AST):
        new = type(value).__new__(type(value))
        new.__dict__.update({k: _clone(v) for k, v in value.__dict__.items()})
        return new
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value  # str, int, None, constants: immutable
