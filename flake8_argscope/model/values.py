"""What an expression holds, as far as arg_scope is concerned: one evaluator over a closed set
of value kinds, with one depth budget and one visited set.

- ``Sequence``: a list, tuple or set display of (maybe) ops, a name bound once to one, or the
  sum of two of one type (``CONV_OPS + [slim.max_pool2d]``);
- ``ScopeDict``: certainly a scope dict, whatever its contents (``current_arg_scope()``, a
  library ``*_arg_scope()`` helper, a project factory's call, a name bound to one of those,
  or ``with arg_scope(...) as sc``), in any module;
- ``PartialOf``: a plain ``functools.partial`` object (no arg_scope key of its own);
- ``UNKNOWN``: anything else, or what cannot be known for certain.

Names are followed through ``held.assigned_only`` (bound once, never mutated), and factory
calls through the factory's single return. What a scope dict *contains* depends on the scopes
in force where it is built; the scope builder evaluates that (``ScopeBuilder.dict_value``).
A new kind of value is one class here and one case in ``value``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.known import SCOPE_READING, Api, Factory, Op, Partial, Unscoped
from flake8_argscope.model.factories import factory_named
from flake8_argscope.model.held import assigned_only
from flake8_argscope.project import FACTORY
from flake8_argscope.record import Frozen
from flake8_argscope.symbols import Builtin, Path, ScopeRef

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.resolve import Resolver

# how many names, sums and factory returns one evaluation follows (the longest chain seen in
# real code is a factory returning another factory's call: two)
MAX_DEPTH = 8
_DISPLAYS = (ast.List, ast.Tuple, ast.Set)


class Value(Frozen):
    __slots__ = ()


class Unknown(Value):
    __slots__ = ()


UNKNOWN = Unknown()


class Sequence(Value):
    """``display``: ast.List, ast.Tuple or ast.Set; ``elements``: each with its frame."""

    __slots__ = _fields = ("display", "elements")
    display: type
    elements: tuple[tuple[ast.expr, Frame], ...]


class ScopeDict(Value):
    __slots__ = ()


SCOPE_DICT = ScopeDict()


class PartialOf(Value):
    """``wrapped``: the name of the function the partial wraps, as written."""

    __slots__ = _fields = ("wrapped",)
    wrapped: str


def value(resolver: Resolver, node: ast.expr, frame: Frame, depth: int = MAX_DEPTH,
          visited: frozenset[int] = frozenset()) -> Value:
    """What ``node``, evaluated in ``frame`` (of ``resolver``'s module or another), holds."""
    t = type(node)
    if t in _DISPLAYS:
        return Sequence(t, tuple((e, frame) for e in node.elts))  # type: ignore[attr-defined]
    if depth <= 0 or id(node) in visited:
        return UNKNOWN
    visited = visited | {id(node)}
    if isinstance(node, ast.Name):
        return _name(resolver, node, frame, depth - 1, visited)
    if isinstance(node, ast.Attribute):
        return _symbol(resolver, node, frame)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = value(resolver, node.left, frame, depth - 1, visited)
        right = value(resolver, node.right, frame, depth - 1, visited)
        if (isinstance(left, Sequence) and isinstance(right, Sequence)
                and left.display is right.display and left.display is not ast.Set):
            return Sequence(left.display, left.elements + right.elements)
        return UNKNOWN
    if isinstance(node, ast.Call):
        return _call(resolver, node, frame, depth - 1, visited)
    return UNKNOWN


def _name(resolver: Resolver, node: ast.Name, frame: Frame, depth: int,
          visited: frozenset[int]) -> Value:
    found = assigned_only(node.id, frame)
    if found is None:
        return _symbol(resolver, node, frame)  # an import, a with ... as, a def
    bindings, owner = found
    bound = getattr(bindings[0].node, "value", None)
    if len(bindings) != 1 or not isinstance(bound, ast.expr):
        return UNKNOWN
    held = value(owner.resolver, bound, owner, depth, visited)
    if isinstance(held, PartialOf) and node.id in owner.resolver.facts.wrapper_arguments:
        return UNKNOWN  # update_wrapper/wraps give it the op's key (docs/semantics.md §4.4a)
    return held


def _symbol(resolver: Resolver, node: ast.Name | ast.Attribute, frame: Frame) -> Value:
    """A name the resolver binds to a scope dict (``with arg_scope(...) as sc``, another
    project module's ``SC = factory()``)."""
    sym = resolver.resolve_expr(node, frame)
    if isinstance(sym, Path):
        sym = frame.resolver.deref(sym, force=FACTORY)
    return SCOPE_DICT if isinstance(sym, ScopeRef) else UNKNOWN


def _call(resolver: Resolver, call: ast.Call, frame: Frame, depth: int,
          visited: frozenset[int]) -> Value:
    callee = resolver.resolve_expr(call.func, frame)
    if isinstance(callee, Path) and known.normalise(callee.path) == "functools.partial":
        if not call.args:
            return UNKNOWN
        wrapped = call.args[0]
        return PartialOf(wrapped.attr if isinstance(wrapped, ast.Attribute)
                         else getattr(wrapped, "id", "?"))
    target = resolver.classify(callee)
    if isinstance(target, Api):
        return SCOPE_DICT if target.name in SCOPE_READING else UNKNOWN
    if isinstance(target, Factory):
        return SCOPE_DICT
    if isinstance(target, (Op, Partial, Unscoped, Builtin)):
        return UNKNOWN  # a library function or a configured op, not a project def
    fdef = factory_named(resolver, call.func, frame)
    if fdef is None:
        return UNKNOWN
    if fdef.as_item is not None:
        return SCOPE_DICT  # ``with arg_scope(...) as sc: return sc``
    if fdef.returns is None:
        return UNKNOWN
    returned = value(fdef.frame.resolver, fdef.returns, fdef.frame, depth, visited)
    return returned if isinstance(returned, ScopeDict) else UNKNOWN
