"""The walk over one file: effective scopes per statement, op resolution per call.

Statements are walked in order with a mapping registry -> Scope. A ``with`` item that is
an arg_scope call merges or replaces the scope of its registry for the body; any other
context manager we cannot vouch for makes every scope unknown. A nested def / lambda /
class body starts from empty scopes (lexical nesting is not dynamic scope). Rules are called
at arg_scope entry (registration and scope-shape errors) and at each call.
"""

from __future__ import annotations

import ast
import copy
from collections import deque

from flake8_argscope import known, rules
from flake8_argscope.frames import COMP_NODES, SCOPE_NODES
from flake8_argscope.known import TENSORPACK, Api, Factory, Op, Partial, Unscoped
from flake8_argscope.resolve import (
    Builtin, LocalDef, LocalOp, Path, PlainFunc, Resolver, ScopeRef, _normalise,
)
from flake8_argscope.project import FACTORY, Project
from flake8_argscope.record import Frozen
from flake8_argscope.scopes import ALL, NONE, KwVal, ListedOp, Scope, merge, unknown_scope

MAX_FACTORY_DEPTH = 8
_NON_SCOPE_APIS = frozenset({
    "add_arg_scope", "current_arg_scope", "has_arg_scope", "arg_scoped_arguments",
    "arg_scope_func_key", "get_arg_scope", "layer_register", "enable_argscope_for_function",
    "enable_argscope_for_module", "convert_to_tflayer_args",
})


_LEAVES = frozenset({ast.Name, ast.Constant})
_DISCARD_NAMES = frozenset({"add_arg_scope", "enable_argscope_for_function"})
# findings that depend on the effective scope at a call
_CALL_SITE_CODES = frozenset({"ASC101", "ASC201", "ASC302", "ASC401", "ASC405"})
_COMP_TYPES = frozenset(COMP_NODES)
# node types that may contain a call (leaves, contexts and operators never do)
_EXPR_TYPES = frozenset(
    cls for cls in vars(ast).values()
    if isinstance(cls, type) and issubclass(cls, (ast.expr, ast.keyword))
    and cls not in (ast.Name, ast.Constant, ast.expr)
    and not getattr(cls, "__deprecated__", False)
    and cls.__name__ not in ("Num", "Str", "Bytes", "NameConstant", "Ellipsis", "Index",
                             "ExtSlice", "Suite", "Param", "AugLoad", "AugStore"))
_CHILD_FIELDS: dict = {}
_NOT_CHILDREN = frozenset({"ctx", "op", "id", "attr", "arg", "kind", "conversion", "is_async",
                           "format_spec", "type_comment"})


def _child_fields(cls) -> tuple:
    """Fields of an expression node type that may hold sub-expressions (cached: the walk
    over every expression is the plugin's hot loop)."""
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(
            f for f in cls._fields if f not in _NOT_CHILDREN)
    return fields


class Scopes(dict):
    """registry -> Scope; registries not present have the default scope (key None)."""

    def get_scope(self, registry) -> Scope:
        scope = self.get(registry)
        if scope is None:
            scope = self.get(None) or _EMPTY
        return scope

    def with_scope(self, registry, scope) -> Scopes:
        new = Scopes(self)
        new[registry] = scope
        return new


_EMPTY = Scope()


def all_unknown(line) -> Scopes:
    return Scopes({None: unknown_scope(line)})


class FactoryDef(Frozen):
    """A def returning a scope dict: ``chain`` ((with_node, withitem), ...) from the
    outermost to the returning item; ``as_item`` the item whose ``as`` name is returned,
    or ``returns`` the factory call it returns."""

    __slots__ = _fields = ("node", "frame", "chain", "as_item", "returns")


class CallSite(Frozen):
    """A call of a scoped op, kept for ASC101."""

    __slots__ = _fields = ("block", "op", "display", "call", "frame", "entry")


def _literal(node) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(_literal(e) for e in node.elts)
    return False


class _Subst(ast.NodeTransformer):
    def __init__(self, env):
        self.env = env

    def visit_Name(self, node):
        if node.id in self.env:
            return self.env[node.id]
        return node


class Analysis:
    def __init__(self, tree: ast.Module, config, filename=None, source=None):
        self.tree = tree
        self.config = config
        project = Project(filename, config)
        self.resolver = Resolver(tree, config, project=project, current=project.current,
                                 source=source)
        self.findings: list = []
        self.snapshots: dict = {}  # id(withitem | assign) -> (registry, Scope)
        self.sites: list[CallSite] = []
        self._factories: dict = {}
        self._queue: deque = deque()
        self._dynamic: list = []  # frames' nodes that enter an arg_scope outside a with
        self.bare_calls: set = set()  # (id(block), final name) of unresolved keyword-less calls
        self._names = known.table_names() | frozenset(
            p.rsplit(".", 1)[-1] for p in list(config.scoped_ops) + list(config.api_paths))
        self._patched = source is None or "enable_argscope_for_module" in source
        self._global_names = None

    @property
    def global_names(self) -> frozenset:
        """Names some function declares ``global``: their module value can change."""
        if self._global_names is None:
            self._global_names = frozenset(
                name for node in ast.walk(self.tree) if isinstance(node, ast.Global)
                for name in node.names)
        return self._global_names

    # ============================================================ driver
    def run(self):
        module = self.resolver.module_frame
        self._queue.append((self.tree.body, module, self.tree))
        while self._queue:
            body, frame, block = self._queue.popleft()
            self.walk_body(body, frame, Scopes(), block, ())
        rules.repeated.check(self)
        if self._dynamic:
            self.findings = [f for f in self.findings if not self._in_dynamic(f)]
        return self.findings

    def _in_dynamic(self, finding) -> bool:
        """Call-site findings inside a function that enters scopes dynamically."""
        line, _col, message = finding
        if message[:6] not in _CALL_SITE_CODES:
            return False
        for node in self._dynamic:
            if isinstance(node, ast.Module):
                return True
            if node.lineno <= line <= (getattr(node, "end_lineno", None) or node.lineno):
                return True
        return False

    def report(self, node, code, message):
        self.findings.append((node.lineno, node.col_offset, f"{code} {message}"))

    # ============================================================ statements
    def walk_body(self, body, frame, scopes, block, withs):
        for stmt in body:
            self.walk_stmt(stmt, frame, scopes, block, withs)

    def walk_stmt(self, stmt, frame, scopes, block, withs):
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in stmt.decorator_list:
                self.visit_expr(d, frame, scopes, block, withs)
            self._visit_defaults(stmt.args, frame, scopes, block, withs)
            self._queue.append((stmt.body, self.resolver.frame_for(stmt, frame), stmt))
            return
        if isinstance(stmt, ast.ClassDef):
            for e in stmt.decorator_list + stmt.bases + [k.value for k in stmt.keywords]:
                self.visit_expr(e, frame, scopes, block, withs)
            self._queue.append((stmt.body, self.resolver.frame_for(stmt, frame), stmt))
            return
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            self.walk_with(stmt, frame, scopes, block, withs)
            return
        t = type(stmt)
        if t is ast.Expr or t is ast.Return:
            value = stmt.value
            if value is None:
                return
            if t is ast.Expr and type(value) is ast.Call and _display_name(
                    value.func) in _DISCARD_NAMES:
                rules.registration.check_discarded(self, value, frame)
            self.visit_expr(value, frame, scopes, block, withs)
            return
        if t is ast.Assign:
            value = stmt.value
            if type(value) is ast.Call and not (
                    type(value.func) is ast.Attribute
                    and self._uninteresting(value.func, frame, scopes, frozenset())):
                self._record_assigned_dict(stmt, frame, scopes)
            self.visit_expr(value, frame, scopes, block, withs)
            for target in stmt.targets:
                if type(target) is not ast.Name:
                    self.visit_expr(target, frame, scopes, block, withs)
            return
        if t is ast.If or t is ast.While:
            self.visit_expr(stmt.test, frame, scopes, block, withs)
            self.walk_body(stmt.body, frame, scopes, block, withs)
            self.walk_body(stmt.orelse, frame, scopes, block, withs)
            return
        for name, value in ast.iter_fields(stmt):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                self.walk_body(value, frame, scopes, block, withs)
            elif isinstance(value, list):
                for v in value:
                    if isinstance(v, ast.expr):
                        self.visit_expr(v, frame, scopes, block, withs)
                    elif isinstance(v, ast.ExceptHandler):
                        if v.type is not None:
                            self.visit_expr(v.type, frame, scopes, block, withs)
                        self.walk_body(v.body, frame, scopes, block, withs)
                    elif isinstance(v, ast.match_case):
                        if v.guard is not None:
                            self.visit_expr(v.guard, frame, scopes, block, withs)
                        self.walk_body(v.body, frame, scopes, block, withs)
                    elif isinstance(v, ast.keyword):
                        self.visit_expr(v.value, frame, scopes, block, withs)
            elif isinstance(value, ast.expr):
                self.visit_expr(value, frame, scopes, block, withs)

    def _visit_defaults(self, args, frame, scopes, block, withs):
        for d in args.defaults + [d for d in args.kw_defaults if d is not None]:
            self.visit_expr(d, frame, scopes, block, withs)

    def walk_with(self, stmt, frame, scopes, block, withs):
        cur = scopes
        for item in stmt.items:
            self.visit_expr(item.context_expr, frame, cur, block, withs, skip_self=True)
            cur = self.apply_item(item, stmt, cur, frame, None, 0, report=True)
        self.walk_body(stmt.body, frame, cur, stmt, withs + (stmt,))

    # ============================================================ expressions
    def visit_expr(self, node, frame, scopes, block, withs, shadow=frozenset(),
                   skip_self=False):
        """Every call in the expression; lambdas are queued as their own frame,
        comprehension targets shadow outer names inside them. (The hot loop.)"""
        stack = [node]
        push = stack.append
        pop = stack.pop
        expr_types = _EXPR_TYPES
        while stack:
            n = pop()
            t = type(n)
            if t is ast.Call:
                if not (skip_self and n is node):
                    self.check_call(n, frame, scopes, block, withs, shadow)
            elif t is ast.Lambda:
                self._visit_defaults(n.args, frame, scopes, block, withs)
                self._queue.append(([ast.Expr(value=n.body, lineno=n.lineno,
                                              col_offset=n.col_offset)],
                                    self.resolver.frame_for(n, frame), n))
                continue
            elif t in _COMP_TYPES:
                self._visit_comprehension(n, frame, scopes, block, withs, shadow)
                continue
            fields = _CHILD_FIELDS.get(t)
            if fields is None:
                fields = _child_fields(t)
            for field in fields:
                value = getattr(n, field, None)
                if type(value) is list:
                    for child in value:
                        if type(child) in expr_types:
                            push(child)
                elif type(value) in expr_types:
                    push(value)

    def _visit_comprehension(self, n, frame, scopes, block, withs, shadow):
        inner = set(shadow)
        for gen in n.generators:
            inner.update(t.id for t in ast.walk(gen.target) if isinstance(t, ast.Name))
        inner = frozenset(inner)
        for gen in n.generators:
            self.visit_expr(gen.iter, frame, scopes, block, withs, shadow)
            for cond in gen.ifs:
                self.visit_expr(cond, frame, scopes, block, withs, inner)
        for attr in ("elt", "key", "value"):
            sub = getattr(n, attr, None)
            if sub is not None:
                self.visit_expr(sub, frame, scopes, block, withs, inner)

    # ============================================================ resolution helpers
    def target_of(self, node, frame, shadow=frozenset(), force=False):
        sym = self.resolver.resolve_expr(node, frame, shadow)
        if force and isinstance(sym, Path):
            sym = frame.resolver.deref(sym, force=True)
        return self.resolver.classify(sym)

    def op_of(self, target):
        if isinstance(target, LocalOp):
            return target.op
        if isinstance(target, Op):
            return target
        return None

    # ============================================================ with items
    def apply_item(self, item, with_node, scopes, frame, env, depth, report):
        expr = item.context_expr
        if isinstance(expr, ast.Call):
            target = self.target_of(expr.func, frame)
            if isinstance(target, Api) and target.name in ("arg_scope", "argscope"):
                new = self.enter_arg_scope(expr, target.registry, with_node, scopes, frame,
                                           env, depth, report)
                if report and item.optional_vars is not None:
                    self.snapshots[id(item)] = (target.registry, new.get_scope(
                        target.registry))
                return new
            if self._inert(target, expr.func, frame):
                return scopes
            return all_unknown(with_node.lineno)
        target = self.target_of(expr, frame) if isinstance(
            expr, (ast.Name, ast.Attribute)) else None
        if self._inert(target, expr, frame):
            return scopes
        return all_unknown(with_node.lineno)

    def _inert(self, target, func_node, frame):
        """A context manager that certainly does not enter an arg_scope."""
        if isinstance(target, (Builtin, Unscoped, Op, Partial, Factory)):
            return True
        if isinstance(target, Api):
            return target.name in _NON_SCOPE_APIS
        sym = self.resolver.resolve_expr(func_node, frame)
        if sym is None and self._from_library_star(func_node, frame):
            return True  # `from tensorpack import *`: a library context manager
        if isinstance(sym, Path):
            return known.is_outside_project(_normalise(sym.path))
        return False

    def _from_library_star(self, node, frame) -> bool:
        """A name bound nowhere but by star imports of library modules only (tensorpack's
        examples use ``from tensorpack import *``): a library object (TowerContext,
        freeze_variables...). The tables know every library function that enters a scope."""
        if not isinstance(node, ast.Name):
            return False
        f = frame
        while f is not None:
            if f.binds(node.id):
                return False
            f = f.parent
        stars = self.resolver.module_frame.bindings.get("*")
        return bool(stars) and all(
            b.path is not None and known.is_library_path(b.path) for b in stars)

    def enter_arg_scope(self, call, registry, with_node, scopes, frame, env, depth, report):
        tensorpack = registry == TENSORPACK
        first_kw = "layers" if tensorpack else "list_ops_or_scope"
        first = call.args[0] if call.args else None
        kw_nodes = []
        extra_wild = NONE
        unpacked = []
        for kw in call.keywords:
            if kw.arg is None:
                pairs = self._literal_dict(kw.value, frame)
                if pairs is None:
                    extra_wild = ALL
                else:
                    unpacked.extend(pairs)
            elif kw.arg == first_kw and first is None:
                first = kw.value
            else:
                kw_nodes.append(kw)
        parent = scopes.get_scope(registry)
        if first is None or len(call.args) > 1 or isinstance(first, ast.Starred):
            return scopes.with_scope(registry, unknown_scope(call.lineno))
        kwvals = {key: self._unpacked_kwval(value, call.lineno, frame, env, with_node)
                  for key, value in unpacked}
        kwvals.update(
            (kw.arg, self.make_kwval(kw.value, call.lineno, frame, env, with_node))
            for kw in kw_nodes)

        shape = rules.runtime.first_arg_shape(self, first, frame, registry)
        if shape == "dict":
            if kw_nodes and report:
                rules.runtime.report_dict_with_kwargs(self, call, kw_nodes)
            dreg, dscope = self.dict_value(first, scopes, frame, env, depth)
            if dscope is None:
                new = unknown_scope(call.lineno)
            elif dreg is not None and dreg != registry:
                new = Scope(line=call.lineno)  # the other library's keys never match ours
            else:
                new = dscope.copy()
            return scopes.with_scope(registry, new)
        if shape == "bad":
            if report:
                rules.runtime.report_bad_first_arg(self, call, first, registry)
            return scopes.with_scope(registry, unknown_scope(call.lineno))
        if shape == "list":
            elements = list(first.elts)
        elif shape == "single":
            elements = [first]
        elif shape == "dynamic-list":
            elements = [None]
        else:  # unknown: a list if kwargs are given (a dict would raise), else anything
            if not kw_nodes and extra_wild is NONE:
                return scopes.with_scope(registry, unknown_scope(call.lineno))
            elements = [None]
        listed = []
        ops = []
        for elt in elements:
            if elt is None or isinstance(elt, ast.Starred):
                listed.append(ListedOp(None))
                continue
            target = self.target_of(elt, frame, force=True)
            op = rules.registration.check_element(self, elt, target, registry, report)
            if op is None:
                listed.append(ListedOp(None))
            elif op is False:
                continue  # raises at the with: nothing to merge
            else:
                ops.append((elt, op))
                listed.append(ListedOp(op.key, _display_name(elt)))
        if report:
            rules.runtime.check_scope_kwargs(self, kw_nodes, ops)
        new = merge(parent, listed, kwvals, extra_wild, call.lineno)
        return scopes.with_scope(registry, new)

    def _literal_dict(self, node, frame):
        """``**params`` in an arg_scope call where ``params`` is certainly a dict literal
        with string keys (``batch_norm_params = {'decay': 0.9, ...}``, bound once in this
        frame and never mutated): its (key, value node) pairs, else None."""
        if isinstance(node, ast.Name):
            bindings = frame.bindings.get(node.id, ())
            if (len(bindings) != 1 or bindings[0].kind != "assign"
                    or node.id in frame.store_attr_roots or node.id in frame.declared_global
                    or node.id in frame.declared_nonlocal):
                return None
            node = bindings[0].node.value
        if not isinstance(node, ast.Dict):
            return None
        pairs = []
        for key, value in zip(node.keys, node.values):
            if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                return None
            pairs.append((key.value, value))
        return pairs

    def _unpacked_kwval(self, value, line, frame, env, with_node):
        """A keyword from an unpacked dict: its value was evaluated where the dict was
        built, so only a literal (or a parameter fixed by the call site) is kept."""
        if _literal(value):
            return KwVal(value, line, frame, with_node, stable=True)
        if env is not None:
            kv = self.make_kwval(value, line, frame, env, with_node)
            if kv.stable:
                return kv
        return KwVal(None, line, frame, with_node)

    def make_kwval(self, value, line, frame, env, with_node):
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
            value = _Subst(subst).visit(_copy(value))
            return KwVal(value, line, frame, with_node, stable=not (names - set(subst)))
        return KwVal(value, line, frame, with_node)

    # ============================================================ scope dicts
    def dict_value(self, expr, scopes, frame, env, depth):
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
            target = self.target_of(expr.func, frame)
            if isinstance(target, Api) and target.name in ("current_arg_scope", "get_arg_scope"):
                return target.registry, scopes.get_scope(target.registry)
            if isinstance(target, Factory):
                return target.registry, unknown_scope(expr.lineno)
            fdef = self.local_factory(expr.func, frame)
            if fdef is not None and depth < MAX_FACTORY_DEPTH:
                return self.eval_factory(fdef, expr, scopes, frame, depth + 1)
        return None, None

    def local_factory(self, func_node, frame):
        sym = self.resolver.resolve_expr(func_node, frame)
        if isinstance(sym, Path):
            sym = frame.resolver.deref(sym, force=FACTORY)
        if not isinstance(sym, LocalDef) or sym.frame.is_class:
            return None
        if sym.node.decorator_list:
            return None
        key = id(sym.node)
        if key not in self._factories:
            self._factories[key] = None
            self._factories[key] = self._find_factory(sym)
        return self._factories[key]

    def _find_factory(self, sym):
        node = sym.node
        frame = sym.frame.resolver.frame_for(node, sym.frame)
        returns = []

        def walk(body, chain):
            for stmt in body:
                if isinstance(stmt, SCOPE_NODES):
                    continue
                if isinstance(stmt, ast.Return):
                    returns.append((stmt, chain))
                    continue
                if isinstance(stmt, (ast.With, ast.AsyncWith)):
                    walk(stmt.body, chain + tuple((stmt, it) for it in stmt.items))
                    continue
                for field in ("body", "orelse", "finalbody"):
                    sub = getattr(stmt, field, None)
                    if isinstance(sub, list):
                        walk(sub, chain)
                for h in getattr(stmt, "handlers", ()):
                    walk(h.body, chain)
                for case in getattr(stmt, "cases", ()):
                    walk(case.body, chain)

        walk(node.body, ())
        valued = [(r, c) for r, c in returns if r.value is not None]
        if len(valued) != 1 or len(returns) != 1:
            return None
        ret, chain = valued[0]
        value = ret.value
        if isinstance(value, ast.Name):
            bindings = frame.bindings.get(value.id, [])
            if len(bindings) != 1 or bindings[0].kind != "withas":
                return None
            item = bindings[0].node
            for i, (w, it) in enumerate(chain):
                if it is item:
                    expr = it.context_expr
                    if not isinstance(expr, ast.Call):
                        return None
                    target = self.target_of(expr.func, frame)
                    if not (isinstance(target, Api) and target.name in ("arg_scope",)):
                        return None
                    return FactoryDef(node, frame, chain[: i + 1], item, None)
            return None
        if isinstance(value, ast.Call):
            return FactoryDef(node, frame, chain, None, value)
        return None

    def eval_factory(self, fdef, call, scopes, caller_frame, depth):
        env = _bind_params(fdef.node, call)
        cur = scopes
        for with_node, item in fdef.chain:
            cur = self.apply_item(item, with_node, cur, fdef.frame, env, depth, report=False)
        if fdef.as_item is not None:
            target = self.target_of(fdef.as_item.context_expr.func, fdef.frame)
            return target.registry, cur.get_scope(target.registry)
        return self.dict_value(fdef.returns, cur, fdef.frame, env, depth)

    def _record_assigned_dict(self, stmt, frame, scopes):
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            return
        reg, scope = self.dict_value(stmt.value, scopes, frame, None, 0)
        if scope is not None:
            self.snapshots[id(stmt)] = (reg, scope)

    # ============================================================ calls
    def _uninteresting(self, func, frame, scopes, shadow) -> bool:
        """``lib.module.f(...)`` where ``f`` is no name any table knows: a library function
        no rule is about (unless an active scope lists an op of that name: ASC302). Most
        calls of a file are such; skipping their resolution is the plugin's main saving."""
        if func.attr in self._names or self._patched:
            return False
        root = func.value
        while type(root) is ast.Attribute:
            root = root.value
        if type(root) is not ast.Name:
            return False
        # the root as the module binds it: a local that shadows it (or any local root such
        # as self/net/x) is skipped too, which is only ever silence
        module = self.resolver.module_frame
        if root.id not in module.bindings:
            return True
        sym = self.resolver.resolve_name(root.id, module)
        if sym is None:
            return True  # unresolved root: nothing to say
        if not isinstance(sym, Path):
            return False
        if not known.is_outside_project(sym.path):
            return False  # a project module: its functions may be ops
        return not _named_in_scope(func, scopes)

    @staticmethod
    def _entry_for(op, scopes):
        if op.registry is not None:
            return scopes.get_scope(op.registry).entry(op.key)
        # an op named by --argscope-scoped-ops: whichever registry's scope lists it
        for registry, scope in scopes.items():
            if registry is not None and op.key in scope.ops:
                return scope.ops[op.key]
        return scopes.get_scope(None).entry(op.key)

    def check_call(self, call, frame, scopes, block, withs, shadow):
        if not call.keywords and not _active(scopes):
            # every rule needs a keyword (ASC101/201) or an active scope (the rest); only
            # remember the name, so that ASC101 never claims "every call" past this one
            name = _display_name(call.func)
            if name:
                self.bare_calls.add((id(block), name))
            return
        func = call.func
        if type(func) is ast.Attribute and self._uninteresting(func, frame, scopes, shadow):
            return
        target = self.target_of(func, frame, shadow)
        if target is None and _named_in_scope(call.func, scopes):
            # a possible look-alike (ASC302): worth parsing the project module it names
            target = self.target_of(call.func, frame, shadow, force=True)
        if target is None:
            return
        if isinstance(target, Partial):
            op = target.target
            entry = scopes.get_scope(op.registry).entry(op.key)
            rules.runtime.check_positional(self, call, op, entry, skip=target.bound)
            rules.redundant.check(self, call, op, entry, frame, shadow, skip=target.bound)
            return
        op = self.op_of(target)
        if op is not None:
            entry = self._entry_for(op, scopes)
            rules.runtime.check_positional(self, call, op, entry, frame=frame)
            rules.runtime.check_convolution_wrapper(self, call, op, scopes)
            rules.redundant.check(self, call, op, entry, frame, shadow)
            rules.registration.check_other_registry_lookalike(self, call, op, scopes)
            self.sites.append(CallSite(block, op, _display(call.func), call, frame, entry))
            return
        if isinstance(target, (Unscoped, PlainFunc)):
            rules.registration.check_lookalike(self, call, target, scopes)
        elif isinstance(target, Api) and target.name in ("arg_scope", "argscope"):
            # an arg_scope entered outside a with statement (ExitStack.enter_context, a
            # stored context manager...): scopes in this function are not what they look like
            self._dynamic.append(frame.node)


def _active(scopes) -> bool:
    for scope in scopes.values():
        if scope.ops or scope.wild:
            return True
    return False


def _named_in_scope(func, scopes) -> bool:
    name = _display_name(func)
    if not name:
        return False
    return any(name in entry.names for scope in scopes.values() for entry in scope.ops.values())


def _display(node) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse of a parsed tree does not fail
        return "?"


def _display_name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _copy(node):
    return copy.deepcopy(node)


def _bind_params(fnode, call) -> dict:
    """Parameter -> literal AST fixed by the call site (argument or untouched default),
    or None when the value is not certain."""
    args = fnode.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    env = {name: None for name in positional + [a.arg for a in args.kwonlyargs]}
    for extra in (args.vararg, args.kwarg):
        if extra is not None:
            env[extra.arg] = None
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords):
        return env
    given = {}
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
        env[name] = value if value is not None and _literal(value) else None
    return env
