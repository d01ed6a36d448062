"""Entering ``with`` items: how each one changes the effective scopes.

An arg_scope call merges (op list) or replaces (scope dict) its registry's scope
(docs/semantics.md §1.2-1.3); a context manager that certainly enters no scope leaves them
as they are; any other makes every scope unknown. Scope dicts are followed through ``as``
names, ``current_arg_scope()``, library factories (unknown contents) and the project's own
factories (evaluated with the parameters the call fixes).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from flake8_argscope import known
from flake8_argscope.known import (
    API_NAMES, SCOPE_ENTERING, SCOPE_READING, TENSORPACK, Api, Factory, Op, Partial, Unscoped,
)
from flake8_argscope.model.arguments import (
    ArgScopeCall, ElementKind, FirstArg, classify_element, first_arg_shape,
)
from flake8_argscope.model.factories import (
    MAX_FACTORY_DEPTH, Caller, argument_for, bind_params, factory_named, substitute,
)
from flake8_argscope.model.held import from_library_star, held_context_managers
from flake8_argscope.model.kwargs import unpacked
from flake8_argscope.model.project_cms import ProjectContextManagers
from flake8_argscope.model.scopes import (
    ALL, NONE, KwVal, ListedOp, Scope, Scopes, all_unknown, merge, unknown_scope,
)
from flake8_argscope.defs import is_no_op_context_manager
from flake8_argscope.symbols import Builtin, LocalClass, Path, ScopeRef
from flake8_argscope.syntax import final_name, is_literal

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Optional

    from flake8_argscope.frames import Frame
    from flake8_argscope.model.arguments import Element
    from flake8_argscope.model.factories import FactoryDef
    from flake8_argscope.model.kwargs import Pairs
    from flake8_argscope.model.scopes import Wild
    from flake8_argscope.resolve import Resolver
    from flake8_argscope.symbols import Target

    # a factory's parameters -> the literal the call fixes (None: not certain); None outside
    # factories
    Env = Optional[dict[str, Optional[ast.expr]]]


def _moved(kw: ast.keyword, to: ast.Call | ast.keyword) -> ast.keyword:
    """``kw`` as if written at ``to`` (a finding about a factory's keyword goes there)."""
    return ast.keyword(arg=kw.arg, value=kw.value, lineno=to.lineno, col_offset=to.col_offset,
                       end_lineno=to.end_lineno, end_col_offset=to.end_col_offset)


_NON_SCOPE_APIS = API_NAMES - SCOPE_ENTERING


class ScopeBuilder:
    """Scope semantics for one linted file. ``on_entry`` receives every ArgScopeCall the
    walker enters (not those evaluated inside factories): the scope-entry rules judge it."""

    def __init__(self, resolver: Resolver, on_entry: Callable[[ArgScopeCall], None]) -> None:
        self.resolver = resolver
        self.on_entry = on_entry
        # id(withitem | assign) -> (registry, Scope)
        self.snapshots: dict[int, tuple[str | None, Scope]] = {}
        self.project_cms = ProjectContextManagers(self)

    # ------------------------------------------------------------ with items
    def apply_item(self, item: ast.withitem, with_node: ast.With | ast.AsyncWith,
                   scopes: Scopes, frame: Frame, env: Env = None, depth: int = 0,
                   report: bool = True) -> Scopes:
        """The scopes inside ``with_node`` after its item ``item``."""
        new = self.enter(item.context_expr, with_node, scopes, frame, env, depth, report)
        expr = item.context_expr
        if report and item.optional_vars is not None and isinstance(expr, ast.Call):
            target = self.resolver.target_of(expr.func, frame)
            if isinstance(target, Api) and target.name in SCOPE_ENTERING:
                self.snapshots[id(item)] = (target.registry, new.get_scope(target.registry))
        return new

    def enter(self, expr: ast.expr, with_node: ast.With | ast.AsyncWith, scopes: Scopes,
              frame: Frame, env: Env, depth: int, report: bool) -> Scopes:
        """The scopes after entering the context manager ``expr``."""
        if isinstance(expr, ast.IfExp):
            # `with (arg_scope(...) if c else NoOpScope()):` either branch may be in force
            # (research/slim resnet_v1/v2); each branch's own errors are reported as usual
            body = self.enter(expr.body, with_node, scopes, frame, env, depth, report)
            orelse = self.enter(expr.orelse, with_node, scopes, frame, env, depth, report)
            return body.join(orelse, with_node.lineno)
        resolver = self.resolver
        if isinstance(expr, ast.Call):
            target = resolver.target_of(expr.func, frame)
            if isinstance(target, Api) and target.name in SCOPE_ENTERING:
                return self.enter_arg_scope(expr, target.registry, with_node, scopes, frame,
                                            env, depth, report)
            if self.inert(target, expr.func, frame):
                return scopes
            factory = self.project_cms.find(expr.func, frame)
            if factory is not None and depth < MAX_FACTORY_DEPTH:
                return self.project_cms.enter(factory, expr, with_node, scopes, frame, env,
                                              depth + 1, report)
            return all_unknown(with_node.lineno)
        if isinstance(expr, ast.Name) and depth < MAX_FACTORY_DEPTH:
            held = held_context_managers(resolver, expr.id, frame)
            if held is not None:  # sc_gen = slim.arg_scope(...); with sc_gen:
                entered = [self.enter(value, with_node, scopes, vframe, None, depth + 1, report)
                           for value, vframe in held]
                new = entered[0]
                for other in entered[1:]:
                    new = new.join(other, with_node.lineno)
                return new
        target = resolver.target_of(expr, frame) if isinstance(
            expr, (ast.Name, ast.Attribute)) else None
        if self.inert(target, expr, frame):
            return scopes
        return all_unknown(with_node.lineno)

    def inert(self, target: Target, func_node: ast.expr, frame: Frame) -> bool:
        """A context manager that certainly does not enter an arg_scope."""
        if isinstance(target, (Builtin, Unscoped, Op, Partial, Factory)):
            return True
        if isinstance(target, Api):
            return target.name in _NON_SCOPE_APIS
        if isinstance(target, LocalClass):
            return is_no_op_context_manager(target.node)
        sym = self.resolver.resolve_expr(func_node, frame)
        if sym is None and from_library_star(func_node, frame):
            return True  # `from tensorpack import *`: a library context manager
        if isinstance(sym, Path):
            return known.is_outside_project(known.normalise(sym.path))
        return False

    # ------------------------------------------------------------ arg_scope(...)
    def enter_arg_scope(self, call: ast.Call, registry: str, with_node: ast.With | ast.AsyncWith,
                        scopes: Scopes, frame: Frame, env: Env, depth: int,
                        report: bool, caller: Caller | None = None) -> Scopes:
        """``call`` is evaluated in ``frame`` with the factory parameters ``env``; with a
        ``caller`` (a project function returned this call), a parameter given as the first
        argument is the caller's argument, and findings go on the caller's call."""
        first_kw = "layers" if registry == TENSORPACK else "list_ops_or_scope"
        first = call.args[0] if call.args else None
        kw_nodes: list[ast.keyword] = []  # each with its arg
        extra_wild: Wild = NONE
        pairs: Pairs = []  # from ``**name``
        unpacked_at: list[ast.keyword] = []
        for kw in call.keywords:
            if kw.arg is None:
                keys = unpacked(kw.value, frame, env)
                if keys is None:
                    extra_wild = ALL
                else:
                    pairs.extend(keys[0])
                    extra_wild = extra_wild | keys[1]
                    # its keys as if written where ``**`` stands (for the entry rules)
                    unpacked_at.extend(_moved(ast.keyword(arg=key, value=kw.value), kw)
                                       for key, _v, _f in keys[0])
            elif kw.arg == first_kw and first is None:
                first = kw.value
            else:
                kw_nodes.append(kw)
        if first is None or len(call.args) > 1 or isinstance(first, ast.Starred):
            return scopes.with_scope(registry, unknown_scope(call.lineno))
        first_frame, first_env, at, at_keywords = frame, env, call, kw_nodes + unpacked_at
        if caller is not None:
            given = argument_for(caller.fnode, caller.call, first)
            if given is None:
                report = False  # its nodes are the factory's: nowhere to put a finding
            else:
                first, first_frame, first_env, at = given, caller.frame, None, caller.call
                # a key the factory unpacks from ``**params`` is the caller's own keyword
                passed = {kw.arg: kw for kw in caller.call.keywords if kw.arg}
                at_keywords = [_moved(kw, caller.call) for kw in kw_nodes] + [
                    passed.get(kw.arg or "") or _moved(kw, caller.call) for kw in unpacked_at]
        kwvals = {kw.arg or "": self.make_kwval(kw.value, call.lineno, frame, env, with_node)
                  for kw in kw_nodes}
        kwvals.update(
            (key, self._unpacked_kwval(value, call.lineno, where, env, with_node, where is frame))
            for key, value, where in pairs)

        shape, listed = first_arg_shape(self.resolver, first, first_frame, registry)
        elements = []
        starred = False
        for elt, elt_frame in listed:
            if isinstance(elt, ast.Starred):
                starred = True  # unknown elements: merge below treats them as any op
                continue
            target = self.resolver.target_of(elt, elt_frame, force=True)
            elements.append(classify_element(self.resolver, elt, target, registry, elt_frame))
        if report:
            self.on_entry(ArgScopeCall(at, registry, first, shape, at_keywords, elements))

        if shape is FirstArg.DICT:
            dreg, dscope = self.dict_value(first, scopes, first_frame, first_env, depth)
            if dscope is None:
                new = unknown_scope(call.lineno)
            elif dreg is not None and dreg != registry:
                new = Scope(line=call.lineno)  # the other library's keys never match ours
            else:
                new = dscope.copy()
            return scopes.with_scope(registry, new)
        if shape is FirstArg.BAD or (shape is FirstArg.UNKNOWN and not kw_nodes and not pairs
                                     and extra_wild is NONE):
            # BAD raises at the with; UNKNOWN without keywords may be a dict: anything
            return scopes.with_scope(registry, unknown_scope(call.lineno))
        return scopes.with_scope(registry, _merged(
            scopes.get_scope(registry), shape, elements, starred, kwvals, extra_wild,
            call.lineno))

    def _unpacked_kwval(self, value: ast.expr | None, line: int, frame: Frame, env: Env,
                        with_node: ast.With | ast.AsyncWith, here: bool) -> KwVal:
        """A keyword from an unpacked dict: its value was evaluated where the dict was
        built (``frame``; ``here``: the arg_scope's own), so only a literal, a parameter fixed
        by the call site, or (elsewhere) what the rules judge by its frame is kept."""
        if value is None:
            return KwVal(None, line, frame, with_node)
        if is_literal(value):
            return KwVal(value, line, frame, with_node, stable=True)
        if not here:  # a function's dict: its names are judged in its frame
            return KwVal(value, line, frame, None)
        if env is not None:
            kv = self.make_kwval(value, line, frame, env, with_node)
            if kv.stable:
                return kv
        return KwVal(None, line, frame, with_node)

    def make_kwval(self, value: ast.expr, line: int, frame: Frame, env: Env,
                   with_node: ast.With | ast.AsyncWith) -> KwVal:
        if env is None:
            return KwVal(value, line, frame, with_node)
        names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
        subst = {}
        for name in names:
            if name in env:
                if env[name] is None:
                    return KwVal(None, line, frame, with_node)
                subst[name] = env[name]
            elif not frame.is_module and frame.binds(name):
                return KwVal(None, line, frame, with_node)
        if subst:
            return KwVal(substitute(value, subst), line, frame, with_node,
                         stable=not (names - set(subst)))
        return KwVal(value, line, frame, with_node)

    # ------------------------------------------------------------ scope dicts
    def dict_value(self, expr: ast.expr, scopes: Scopes, frame: Frame, env: Env,
                   depth: int) -> tuple[str | None, Scope | None]:
        """(registry | None, Scope | None) of an expression known to be a scope dict."""
        if isinstance(expr, ast.Dict):
            if not expr.keys:
                return None, Scope()
            return None, None
        if isinstance(expr, ast.Name):
            if env is not None and expr.id in env:
                return None, None
            sym = self.resolver.resolve_expr(expr, frame)
            if isinstance(sym, ScopeRef):
                snap = self.snapshots.get(id(sym.binding_node))
                if snap is not None:
                    return snap
            return None, None
        if isinstance(expr, ast.Call):
            target = self.resolver.target_of(expr.func, frame)
            if isinstance(target, Api) and target.name in SCOPE_READING:
                return target.registry, scopes.get_scope(target.registry)
            if isinstance(target, Factory):
                return target.registry, unknown_scope(expr.lineno)
            if isinstance(target, (Op, Partial, Unscoped, Api, Builtin)):
                return None, None  # a library function or a configured op, not a project def
            fdef = self.local_factory(expr.func, frame)
            if fdef is not None and depth < MAX_FACTORY_DEPTH:
                return self._eval_factory(fdef, expr, scopes, frame, env, depth + 1)
        return None, None

    def local_factory(self, func_node: ast.expr, frame: Frame) -> FactoryDef | None:
        """The project factory ``func_node`` names, or None."""
        return factory_named(self.resolver, func_node, frame)

    def _eval_factory(self, fdef: FactoryDef, call: ast.Call, scopes: Scopes, frame: Frame,
                      env: Env, depth: int) -> tuple[str | None, Scope | None]:
        """The dict ``call`` (in ``frame``, a factory's with ``env`` or not) returns."""
        env = bind_params(fdef.node, call, frame, env, fdef.method)
        cur = scopes
        for with_node, item in fdef.chain:
            cur = self.apply_item(item, with_node, cur, fdef.frame, env, depth, report=False)
        if fdef.as_item is not None:
            # find_factory made sure: as_item enters an arg_scope(...), else returns is a call
            target = cast(Api, self.resolver.target_of(
                cast(ast.Call, fdef.as_item.context_expr).func, fdef.frame))
            return target.registry, cur.get_scope(target.registry)
        return self.dict_value(cast(ast.Call, fdef.returns), cur, fdef.frame, env, depth)

    def record_assigned_dict(self, stmt: ast.Assign, frame: Frame, scopes: Scopes) -> None:
        """``sc = factory(...)``: remember the dict for a later ``arg_scope(sc)``."""
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            return
        reg, scope = self.dict_value(stmt.value, scopes, frame, None, 0)
        if scope is not None:
            self.snapshots[id(stmt)] = (reg, scope)


def _merged(scope: Scope, shape: FirstArg, elements: list[Element], starred: bool,
            kwvals: dict[str, KwVal], extra_wild: Wild, line: int) -> Scope:
    """``scope`` after an arg_scope(list, **kwargs) whose first argument has ``shape`` and
    lists ``elements`` (``starred``: and some unknown ones)."""
    listed = []
    if shape is not FirstArg.LIST and shape is not FirstArg.SINGLE:
        listed.append(ListedOp(None))  # a list if kwargs are given (a dict would raise)
    elif starred:
        listed.append(ListedOp(None))  # a starred element
    for element in elements:
        if element.kind is ElementKind.OP:
            listed.append(ListedOp(cast(Op, element.op).key, final_name(element.node)))
        elif element.kind is ElementKind.UNKNOWN:
            listed.append(ListedOp(None))
        # NOT_SCOPED / OTHER_REGISTRY raise at the with, REGISTERED is never read:
        # nothing to merge
    return merge(scope, listed, kwvals, extra_wild, line)
