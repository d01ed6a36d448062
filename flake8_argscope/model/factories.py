"""Scope factories of the project: ``def f(...): with arg_scope(...) as sc: return sc`` (or
``return other_factory(...)``), evaluated at each call with the parameters the call fixes."""

from __future__ import annotations

import ast
import weakref
from typing import TYPE_CHECKING

from flake8_argscope.frames import SCOPE_NODES
from flake8_argscope.known import Api
from flake8_argscope.model.held import instance_method
from flake8_argscope.model.kwargs import KwargsDict, fixed, unpacked
from flake8_argscope.project import FACTORY
from flake8_argscope.record import Frozen
from flake8_argscope.symbols import LocalDef, Path
from flake8_argscope.syntax import is_literal, own_nodes

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, Union

    from flake8_argscope.model.kwargs import Env

    from flake8_argscope.frames import Frame
    from flake8_argscope.resolve import Resolver

    # the with items around a statement, outermost first
    Chain = tuple[tuple[Union[ast.With, ast.AsyncWith], ast.withitem], ...]


class FactoryDef(Frozen):
    """A def returning a scope dict: ``chain`` ((with_node, withitem), ...) from the
    outermost to the returning item; ``as_item`` the item whose ``as`` name is returned,
    or ``returns`` the factory call it returns; ``method``: called on an instance."""

    __slots__ = _fields = ("node", "frame", "chain", "as_item", "returns", "method")
    node: ast.FunctionDef | ast.AsyncFunctionDef
    frame: Frame
    chain: Chain
    as_item: ast.withitem | None  # its context_expr is an arg_scope(...) call
    returns: ast.Call | None
    method: bool


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
                return FactoryDef(node, frame, chain[: i + 1], item, None,
                                  sym.frame.is_class)
        return None
    if isinstance(value, ast.Call):
        return FactoryDef(node, frame, chain, None, value, sym.frame.is_class)
    return None


MAX_FACTORY_DEPTH = 8


def factory_named(resolver: Resolver, func_node: ast.expr, frame: Frame) -> FactoryDef | None:
    """The project factory ``func_node`` (an expression in ``frame``) names, or None."""
    sym = resolver.resolve_expr(func_node, frame)
    if isinstance(sym, Path):
        sym = frame.resolver.deref(sym, force=FACTORY)
    if sym is None and isinstance(func_node, ast.Attribute):
        sym = instance_method(resolver, func_node, frame)  # a method: self is bound
    elif isinstance(sym, LocalDef) and sym.frame.is_class:
        return None
    if not isinstance(sym, LocalDef) or sym.node.decorator_list:
        return None
    return sym.frame.resolver.defs.factory(sym)


class Caller(Frozen):
    """Where a scope context-manager factory is called: its ``call``, the ``frame`` the
    call is in, and the factory's def ``fnode``."""

    __slots__ = _fields = ("call", "frame", "fnode")
    call: ast.Call
    frame: Frame
    fnode: ast.FunctionDef | ast.AsyncFunctionDef


def scope_cm_returns(sym: LocalDef) -> list[ast.Return] | None:
    """The returns of a def that may return a scope context manager
    (object_detection's ``_batch_norm_arg_scope`` returns ``arg_scope(list_ops, ...)``;
    mobilenet's ``safe_arg_scope`` returns that or a ``NoOpScope()``): each returns a call,
    or a name bound to one (``gen = slim.arg_scope(...); return gen``), outside any ``with``.
    What each call is, and which are reached, is decided per call."""
    returns = _returns(sym.node.body)
    if not returns or any(chain or not isinstance(ret.value, (ast.Call, ast.Name))
                          for ret, chain in returns):
        return None
    return [ret for ret, _chain in returns]


def live_returns(body: list[ast.stmt],
                 truth: Callable[[ast.expr], bool | None]) -> list[ast.Return] | None:
    """The returns of a def body that may be reached, following ``if`` tests that ``truth``
    decides; None when a return sits inside a loop, ``try`` or ``with`` (not followed)."""
    found: list[ast.Return] = []

    def scan(stmts: list[ast.stmt]) -> bool | None:  # falls through? None: give up
        for stmt in stmts:
            if isinstance(stmt, ast.Return):
                found.append(stmt)
                return False
            if isinstance(stmt, ast.If):
                decided = truth(stmt.test)
                arms = [stmt.body] if decided is True else [stmt.orelse] if decided is False \
                    else [stmt.body, stmt.orelse]
                falls = False
                for arm in arms:
                    through = scan(arm)
                    if through is None:
                        return None
                    falls = falls or through
                if not falls:
                    return False
            elif not isinstance(stmt, SCOPE_NODES) and any(
                    isinstance(n, ast.Return) for n in own_nodes(stmt)):
                return None
        return True

    if scan(body) is None:
        return None
    return found


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


def bind_params(fnode: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call,
                frame: Frame | None = None, outer: Env = None, method: bool = False,
                depth: int = 4) -> Env:
    """Parameter -> literal AST fixed by the call site (argument or untouched default),
    or None when the value is not certain; ``**params`` -> a KwargsDict of the keywords
    no named parameter takes. ``call`` is evaluated in ``frame`` (for ``**name`` there),
    itself a factory's with the parameters ``outer`` when factories call factories; a
    ``method`` gets its first parameter from the instance."""
    args = fnode.args
    positional = [a.arg for a in args.posonlyargs + args.args][1 if method else 0:]
    env: dict[str, ast.expr | None] = {
        name: None for name in positional + [a.arg for a in args.kwonlyargs]}
    for extra in (args.vararg, args.kwarg):
        if extra is not None:
            env[extra.arg] = None
    if any(isinstance(a, ast.Starred) for a in call.args):
        return env
    given: dict[str, ast.expr | None] = dict(zip(positional, call.args))
    for kw in call.keywords:
        if kw.arg is not None:
            given[kw.arg] = kw.value
            continue
        keys = unpacked(kw.value, frame, outer, depth) if frame is not None else None
        if keys is None or keys[1]:
            return env  # keys not known: any parameter may be given
        for key, value, where in keys[0]:  # another frame's names mean nothing here
            given[key] = value if where is frame or value is None or is_literal(value) \
                else None
    defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    for a, d in zip(args.kwonlyargs, args.kw_defaults):
        if d is not None:
            defaults[a.arg] = d
    rebound = _rebound(fnode)  # ``if padding is None: padding = 'SAME'``: not the argument
    for name in env:
        if name in rebound:
            continue
        if name in given:
            env[name] = fixed(given[name], outer)
        elif name in defaults:
            env[name] = fixed(defaults[name], None)  # evaluated in the def's frame
    if args.kwarg is not None and args.kwarg.arg not in rebound:
        env[args.kwarg.arg] = KwargsDict(
            [(key, fixed(value, outer)) for key, value in given.items() if key not in env])
    return env


# def node -> _rebound(def): a factory is bound at each of its calls (and once per world)
_REBOUND: weakref.WeakKeyDictionary[ast.AST, frozenset[str]] = weakref.WeakKeyDictionary()


def _rebound(fnode: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    """Names the def's body binds or deletes anywhere, nested defs included (a parameter among
    them no longer certainly holds what the call passed)."""
    found = _REBOUND.get(fnode)
    if found is None:
        found = _REBOUND[fnode] = _scan_rebound(fnode)
    return found


def _scan_rebound(fnode: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    out: set[str] = set()
    for stmt in fnode.body:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                out.add(node.id)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                out.update(node.names)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                out.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                out.add(node.name)
    return frozenset(out)


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
        # the node's fields and positions only: other attributes may link back up the tree
        # (pyflakes < 3.1, which runs on the same tree, sets node._pyflakes_parent)
        new = type(value).__new__(type(value))
        attrs = value.__dict__
        new.__dict__.update({k: _clone(attrs[k]) for k in value._fields if k in attrs})
        new.__dict__.update({k: attrs[k] for k in value._attributes if k in attrs})
        return new
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value  # str, int, None, constants: immutable
