"""What the arguments of one ``arg_scope(...)`` / ``argscope(...)`` call are.

The first argument has a ``FirstArg`` shape; each element of an op list is an ``Element``
whose ``ElementKind`` says whether entering the scope accepts it (docs/semantics.md §1.2,
§1.5, §3.1). The evaluated call, an ``ArgScopeCall``, is what the scope-entry rules judge.
"""

from __future__ import annotations

import ast
import enum
from typing import TYPE_CHECKING

from flake8_argscope import known, tensorpack
from flake8_argscope.known import TENSORPACK, Api, Factory, Op, Partial, Unscoped
from flake8_argscope.model.values import PartialOf, ScopeDict, Sequence, value
from flake8_argscope.record import Frozen
from flake8_argscope.symbols import Builtin, LocalOp, Path, PlainFunc

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.resolve import Resolver
    from flake8_argscope.symbols import Target


class FirstArg(enum.Enum):
    LIST = "a list or tuple of ops"
    SINGLE = "one op (tensorpack)"
    DICT = "a scope dict to reuse"
    BAD = "something the with rejects"
    DYNAMIC_LIST = "a list built at run time"
    UNKNOWN = "unknown"


class ElementKind(enum.Enum):
    OP = "a scope-enabled op of this registry"
    UNKNOWN = "unknown: may be any op"
    NOT_SCOPED = "not scope-enabled: entering the scope raises"
    OTHER_REGISTRY = "an op of another registry: entering the scope raises"
    REGISTERED = "a plain function add_arg_scope(f) registered: accepted, never reads the scope"


class NotScoped(enum.Enum):
    """Why an element is not scope-enabled."""

    PARTIAL = "a functools.partial"
    LIBRARY_FUNCTION = "a plain library function"
    NO_DECORATOR = "a def without the registry's decorator"
    API_HELPER = "an arg_scope helper"
    BUILTIN = "a builtin"
    LAMBDA = "a lambda"
    LITERAL = "a literal"


class Element(Frozen):
    """One element of an op list: ``op`` for OP and OTHER_REGISTRY, ``reason``, the
    classified ``target`` and (for a partial) the ``wrapped`` function's name for
    NOT_SCOPED."""

    __slots__ = _fields = ("node", "kind", "op", "reason", "target", "wrapped")
    _defaults = {"op": None, "reason": None, "target": None, "wrapped": ""}
    node: ast.expr
    kind: ElementKind
    op: Op | None
    reason: NotScoped | None
    target: Target
    wrapped: str


class ArgScopeCall(Frozen):
    """An ``arg_scope(...)`` call entered by a ``with``: ``first`` the ops-or-dict argument
    and its ``shape``; ``keywords`` the explicit keyword nodes; ``elements`` the op list
    (empty unless the shape is a list or one op)."""

    __slots__ = _fields = ("call", "registry", "first", "shape", "keywords", "elements")
    call: ast.Call
    registry: str
    first: ast.expr
    shape: FirstArg
    keywords: list[ast.keyword]  # each with its ``arg`` (``**d`` is not among them)
    elements: list[Element]

    @property
    def ops(self) -> list[tuple[ast.expr, Op]]:
        """(element node, Op) for every element that is an op of this registry."""
        return [(e.node, e.op)  # type: ignore[misc]  # an OP element has its op
                for e in self.elements if e.kind is ElementKind.OP]


_BAD_LITERALS = (ast.Set, ast.SetComp, ast.GeneratorExp, ast.Lambda, ast.Constant,
                 ast.JoinedStr)
_FUNCTIONS = (Op, Partial, Unscoped, PlainFunc, LocalOp, Api, Factory)


def first_arg_shape(resolver: Resolver, first: ast.expr, frame: Frame,
                    registry: str) -> tuple[FirstArg, tuple[tuple[ast.expr, Frame], ...]]:
    """The shape of an arg_scope's first argument, and for a LIST or SINGLE the elements it
    lists, each with the frame it is written in. slim takes a list, tuple or dict
    (arg_scope.py:132-164); tensorpack a layer or a list of layers
    (tfutils/argscope.py:36-41)."""
    tensorpack_ = registry == TENSORPACK
    bad_for_tensorpack = FirstArg.BAD if tensorpack_ else FirstArg.DICT
    if isinstance(first, ast.ListComp):
        return FirstArg.DYNAMIC_LIST, ()
    if isinstance(first, (ast.Dict, ast.DictComp)):
        return bad_for_tensorpack, ()
    if isinstance(first, _BAD_LITERALS):
        return FirstArg.BAD, ()
    held = value(resolver, first, frame)
    if isinstance(held, Sequence):  # a display, a named op list (CONV_OPS), a sum of them
        if held.display is ast.Set or (held.display is ast.Tuple and tensorpack_):
            return FirstArg.BAD, ()
        return FirstArg.LIST, held.elements
    if isinstance(held, ScopeDict):
        return bad_for_tensorpack, ()
    if isinstance(first, (ast.Name, ast.Attribute)):
        target = resolver.target_of(first, frame)
        if isinstance(target, _FUNCTIONS) or (
                isinstance(target, Builtin) and target.name not in ("list", "tuple", "dict")):
            if tensorpack_:
                return FirstArg.SINGLE, ((first, frame),)
            return FirstArg.BAD, ()
        return FirstArg.UNKNOWN, ()
    if isinstance(first, ast.Call):
        target = resolver.target_of(first.func, frame)
        if isinstance(target, Builtin):
            if target.name in ("list", "sorted"):
                return FirstArg.DYNAMIC_LIST, ()
            if target.name == "dict":
                return bad_for_tensorpack, ()
            if target.name in ("set", "frozenset"):
                return FirstArg.BAD, ()
    return FirstArg.UNKNOWN, ()


def classify_element(resolver: Resolver, elt: ast.expr, target: Target, registry: str,
                     frame: Frame) -> Element:
    """What entering ``registry``'s scope makes of one op-list element (in ``frame``)."""
    op = target.op if isinstance(target, LocalOp) else target if isinstance(target, Op) else None
    if isinstance(target, PlainFunc) and target.registered is not None:
        op = target.registered
    if op is not None:
        if op.registry is None or op.registry == registry:
            return Element(elt, ElementKind.OP, op)
        return Element(elt, ElementKind.OTHER_REGISTRY, op)
    reason = None
    wrapped = ""
    if isinstance(target, Partial):
        reason, wrapped = NotScoped.PARTIAL, target.target.name
    elif isinstance(target, Unscoped):
        if registry == TENSORPACK and tensorpack.maybe_patched_elsewhere(resolver, target):
            return Element(elt, ElementKind.UNKNOWN)
        if resolver.defs.registered_paths().get(target.path) == registry:
            return Element(elt, ElementKind.REGISTERED)  # docs/semantics.md §1.6
        reason = NotScoped.LIBRARY_FUNCTION
    elif isinstance(target, PlainFunc):
        sym = resolver.resolve_expr(elt, frame)
        if isinstance(sym, Path) and resolver.defs.registered_paths().get(
                known.normalise(sym.path)) == registry:
            return Element(elt, ElementKind.REGISTERED)  # another module's def, registered here
        reason = NotScoped.NO_DECORATOR
    elif isinstance(target, (Api, Factory)):
        reason = NotScoped.API_HELPER
    elif isinstance(target, Builtin):
        reason = NotScoped.BUILTIN
    elif isinstance(elt, ast.Lambda):
        reason = NotScoped.LAMBDA
    elif isinstance(elt, (ast.Constant, ast.JoinedStr)):
        reason = NotScoped.LITERAL
    elif target is None and isinstance(elt, (ast.Name, ast.Call)):
        # functools.partial(op, ...): no key of its own, no __name__ (docs/semantics.md §4.4a)
        held = value(resolver, elt, frame)
        if isinstance(held, PartialOf):
            reason, wrapped = NotScoped.PARTIAL, held.wrapped
    if reason is None:
        return Element(elt, ElementKind.UNKNOWN)
    return Element(elt, ElementKind.NOT_SCOPED, reason=reason, target=target, wrapped=wrapped)
