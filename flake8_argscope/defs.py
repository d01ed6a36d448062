"""What a project ``def`` is to arg_scope: an op (by decorator or wrapper), a plain function,
or unknown. One ``Defs`` per module resolver, caching by def node."""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, cast

from flake8_argscope import known, tensorpack
from flake8_argscope.known import (
    OP_LIBRARIES, TENSORPACK, Api, Op, Partial, Unscoped, op_from_def,
)
from flake8_argscope.symbols import (
    Builtin, LocalClass, LocalDef, LocalOp, Path, PlainFunc, Wrapped,
)
from flake8_argscope.syntax import final_name

# add_arg_scope called on a name or dotted path (decorators are not calls of it)
_ADD_ARG_SCOPE_CALL = re.compile(r"add_arg_scope\s*\(\s*[\w.]+\s*\)")

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.model.factories import FactoryDef
    from flake8_argscope.resolve import Resolver
    from flake8_argscope.symbols import Symbol


def _local_key(registry: str, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    return f"{registry}:local:{node.name}:{node.lineno}"


MAX_REACH_DEPTH = 3


def _may_reach(resolver: Resolver, func: ast.expr, frame: Frame, depth: int) -> bool:
    """May calling ``func`` call a scope-enabled op?"""
    target = resolver.target_of(func, frame)
    if isinstance(target, (Op, LocalOp, Partial)):
        return True
    if isinstance(target, PlainFunc):
        return target.sym is None or depth <= 0 or resolver.defs.may_reach_op(
            target.sym, depth - 1)
    if isinstance(target, (Builtin, LocalClass)):
        return False
    if isinstance(target, Unscoped):
        return known.normalise(target.path).startswith(OP_LIBRARIES)
    sym = resolver.resolve_expr(func, frame)
    if isinstance(sym, Path):  # a library function no table names
        path = known.normalise(sym.path)
        return not known.is_outside_project(path) or path.startswith(OP_LIBRARIES)
    return True  # unresolved: a method, a parameter, a local...


class Defs:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._info: dict[int, LocalOp | PlainFunc | None] = {}  # id(def node) -> info
        self._registered_raw: dict[str, str] | None = None  # def name -> registry
        self._registered_paths: dict[str, str] = {}  # library path -> registry
        self._reach: dict[int, bool] = {}  # id(def node) -> may it call an op
        self._factories: dict[int, FactoryDef | None] = {}  # id(def node) -> factory

    def factory(self, sym: LocalDef) -> FactoryDef | None:
        """The scope factory a def of this module is (model/factories.py), or None."""
        key = id(sym.node)
        if key not in self._factories:
            from flake8_argscope.model.factories import find_factory

            self._factories[key] = None  # recursion guard
            self._factories[key] = find_factory(self.resolver, sym)
        return self._factories[key]

    def info(self, sym: LocalDef) -> LocalOp | PlainFunc | None:
        """LocalOp | PlainFunc | None (a method, or decorators we cannot see into)."""
        key = id(sym.node)
        if key in self._info:
            return self._info[key]
        self._info[key] = None  # recursion guard
        info = self._compute(sym)
        self._info[key] = info
        return info

    def _compute(self, sym: LocalDef) -> LocalOp | PlainFunc | None:
        node = sym.node
        if sym.frame.is_class:
            return None  # methods: `self` shifts every position; stay out
        resolver = self.resolver
        registries: list[str] = []
        layer: ast.Call | None = None
        tflayer: ast.expr | None = None
        enabled = False
        other = False
        for deco in node.decorator_list:
            called = isinstance(deco, ast.Call)
            target = resolver.classify(resolver.resolve_expr(
                deco.func if isinstance(deco, ast.Call) else deco, sym.frame))
            name = target.name if isinstance(target, Api) else None
            if name == "add_arg_scope" and not called:
                registries.append(cast("Api", target).registry)  # name is only set for an Api
            elif name == "enable_argscope_for_function" and not called:
                enabled = True  # the wrapper merges get_arg_scope()[f.__name__] (§3.4)
            elif name == "layer_register" and called:
                layer = cast("ast.Call", deco)
            elif name == "convert_to_tflayer_args":
                tflayer = deco
            else:
                other = True
        if layer is not None:
            return LocalOp(tensorpack.layer_op(node, layer, tflayer, other))
        if enabled:
            known_sig = not other and len(node.decorator_list) == 1
            return LocalOp(tensorpack.function_op(node, node.name, known_sig))
        registry: str | None
        if registries:
            registry = registries[0]
            if len(set(registries)) > 1:
                return None
            return LocalOp(op_from_def(node, registry, _local_key(registry, node),
                                       known_sig=not other))
        if other or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        registry = self._registered(node)
        op = None
        if registry is not None:
            op = op_from_def(node, registry, _local_key(registry, node))
        return PlainFunc(node.name, node.name, op, sym)

    def wrapped(self, sym: Wrapped) -> LocalOp | Op | None:
        """``g = add_arg_scope(f)`` / ``g = enable_argscope_for_function(f)``."""
        inner = self.resolver.classify(sym.inner)
        node = self._def_node(sym.inner) if isinstance(inner, PlainFunc) else None
        if sym.registry == TENSORPACK:
            name = final_name(sym.node.args[0]) if sym.node.args else ""
            if not name:
                return None
            return LocalOp(tensorpack.function_op(node, node.name if node else name))
        if node is not None:
            return LocalOp(op_from_def(node, sym.registry, _local_key(sym.registry, node)))
        if isinstance(inner, (Op, LocalOp)):
            return inner
        if isinstance(inner, Unscoped):  # a library function: add_arg_scope(tf.layers.conv2d)
            op = known.signature_op(inner.path, sym.registry, f"{sym.registry}:{inner.path}")
            return LocalOp(op) if op is not None else None
        return None

    def _def_node(self, sym: Symbol) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        sym = self.resolver.deref(sym, force=True) if isinstance(sym, Path) else sym
        return sym.node if isinstance(sym, LocalDef) else None

    def may_reach_op(self, sym: LocalDef, depth: int = MAX_REACH_DEPTH) -> bool:
        """May a call of this project def call a scope-enabled op? The scope is dynamic, so
        an op called inside (through project calls up to ``depth`` deep) reads it. False
        only when every call in the body is known to reach none (ASC302 needs that)."""
        key = id(sym.node)
        if key not in self._reach:
            self._reach[key] = True  # recursion: assume it may
            self._reach[key] = self._compute_reach(sym, depth)
        return self._reach[key]

    def _compute_reach(self, sym: LocalDef, depth: int) -> bool:
        resolver = sym.frame.resolver
        frame = resolver.frame_for(sym.node, sym.frame)
        for stmt in sym.node.body:
            for node in ast.walk(stmt):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                     ast.ClassDef)):
                    return True  # names inside resolve in another frame: do not guess
                if isinstance(node, ast.Call) and _may_reach(resolver, node.func, frame, depth):
                    return True
        return False

    def _registered(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
        """add_arg_scope(f) anywhere in the module registers f's key even when the result
        is discarded (docs/semantics.md §1.6: has_arg_scope is True for the raw function)."""
        return self._registrations()[0].get(node.name)

    def registered_paths(self) -> dict[str, str]:
        """Library and other project modules' functions this module passes to add_arg_scope
        (directly, or as the variable of ``for f in (a, b): add_arg_scope(f)``), path ->
        registry: their keys are registered, so listing them in that registry's arg_scope
        does not raise, though their calls never read it."""
        return self._registrations()[1]

    def _registrations(self) -> tuple[dict[str, str], dict[str, str]]:
        if self._registered_raw is None:
            self._registered_raw, self._registered_paths = {}, {}
            resolver = self.resolver
            if resolver.source is not None and not _ADD_ARG_SCOPE_CALL.search(resolver.source):
                return self._registered_raw, self._registered_paths
            module = resolver.module_frame
            loops: dict[str, list[ast.expr]] = {}  # for-variable -> the elements it takes
            for node in ast.walk(resolver.tree):
                if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and (
                        isinstance(node.iter, (ast.Tuple, ast.List))):
                    loops.setdefault(node.target.id, []).extend(node.iter.elts)
            for call in ast.walk(resolver.tree):
                if not (isinstance(call, ast.Call) and len(call.args) == 1
                        and "add_arg_scope" in final_name(call.func)):
                    continue
                target = resolver.classify(resolver.resolve_expr(call.func, module))
                if not (isinstance(target, Api) and target.name == "add_arg_scope"):
                    continue
                arg = call.args[0]
                if isinstance(arg, ast.Name) and arg.id not in loops:
                    self._registered_raw[arg.id] = target.registry
                for element in loops.get(arg.id, [arg]) if isinstance(arg, ast.Name) else [arg]:
                    sym = resolver.resolve_expr(element, module)
                    if isinstance(sym, Path):
                        self._registered_paths[known.normalise(sym.path)] = target.registry
                    elif (isinstance(sym, LocalDef) and sym.frame is module
                          and isinstance(element, ast.Name)):
                        # ``for f in (my_conv, my_pool): add_arg_scope(f)``: this module's
                        # defs, registered as when named directly
                        self._registered_raw[sym.node.name] = target.registry
        return self._registered_raw, self._registered_paths


_NO_OP_METHODS = frozenset({"__init__", "__enter__", "__exit__"})


def _does_nothing(stmt: ast.stmt) -> bool:
    """``pass``, a docstring, ``del`` of local names (object_detection's
    IdentityContextManager drops its __exit__ arguments), or ``return`` of nothing, a
    constant or ``self``."""
    if isinstance(stmt, ast.Pass):
        return True
    if isinstance(stmt, ast.Delete):
        return all(isinstance(t, ast.Name) for t in stmt.targets)
    if isinstance(stmt, ast.Expr):
        return isinstance(stmt.value, ast.Constant)
    if isinstance(stmt, ast.Return):
        value = stmt.value
        return value is None or isinstance(value, ast.Constant) or (
            isinstance(value, ast.Name) and value.id == "self")
    return False


def is_no_op_context_manager(node: ast.ClassDef) -> bool:
    """A plain class whose ``__enter__`` and ``__exit__`` (and ``__init__``, if any) do
    nothing: research/slim's ``NoOpScope``. Entering it changes no scope."""
    if node.decorator_list or node.keywords or any(
            not (isinstance(base, ast.Name) and base.id == "object") for base in node.bases):
        return False
    methods = set()
    for stmt in node.body:
        if isinstance(stmt, ast.FunctionDef) and stmt.name in _NO_OP_METHODS and (
                not stmt.decorator_list):
            if not all(_does_nothing(s) for s in stmt.body):
                return False
            methods.add(stmt.name)
        elif not _does_nothing(stmt) or isinstance(stmt, ast.Return):
            return False
    return {"__enter__", "__exit__"} <= methods
