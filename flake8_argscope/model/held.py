"""Values the code holds in names: op lists (``CONV_OPS = (slim.conv2d, ...)``,
``CONV_OPS + (slim.max_pool2d,)``), ``functools.partial`` objects among the ops, and scope
context managers entered later (``sc_gen = slim.arg_scope(...)``; ``with sc_gen:``)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.symbols import LocalClass, LocalDef, Path

if TYPE_CHECKING:
    from flake8_argscope.frames import Binding, Frame
    from flake8_argscope.resolve import Resolver

    # the display type (ast.List, ast.Tuple, ast.Set) and each element with its frame
    Sequence = tuple[type, list[tuple[ast.expr, Frame]]]

_DISPLAYS = (ast.List, ast.Tuple, ast.Set)
MAX_DEPTH = 4


def owner_frame(name: str, frame: Frame) -> Frame | None:
    """The frame whose binding of ``name`` ``frame`` sees: itself or the module (a closure
    variable of an enclosing function is not followed)."""
    f: Frame | None = frame
    while f is not None and not f.binds(name):
        f = f.parent
    if f is None or (f is not frame and not f.is_module):
        return None
    return f


def assigned_only(name: str, frame: Frame,
                  mutated_ok: bool = False) -> tuple[list[Binding], Frame] | None:
    """The bindings of ``name`` that ``frame`` sees (its own, or the module's) and the frame
    that makes them, when every one is a plain assignment and nothing else can rebind it: no
    ``global``/``nonlocal`` declaration there, no function of the module declaring a module
    name ``global``, and unless ``mutated_ok`` no attribute or item store on it. The one
    "bound once, never mutated" check of the model; callers wanting one binding count."""
    owner = owner_frame(name, frame)
    if owner is None:
        return None
    bindings = owner.bindings.get(name)
    if not bindings or any(b.kind != "assign" for b in bindings):
        return None
    if name in owner.declared_global or name in owner.declared_nonlocal:
        return None
    if owner.is_module and name in owner.resolver.facts.global_names:
        return None
    if not mutated_ok and name in owner.store_attr_roots:
        return None
    return bindings, owner


def bound_value(name: str, frame: Frame) -> tuple[ast.expr, Frame] | None:
    """The value of ``name`` when one plain assignment binds it (in ``frame``, or at module
    level when ``frame`` does not bind it) and nothing mutates it or rebinds it globally."""
    found = assigned_only(name, frame)
    if found is None or len(found[0]) != 1:
        return None
    value = getattr(found[0][0].node, "value", None)
    return (value, found[1]) if isinstance(value, ast.expr) else None


def op_sequence(resolver: Resolver, node: ast.expr, frame: Frame,
                depth: int = MAX_DEPTH) -> Sequence | None:
    """The elements of a list/tuple/set display, of a name bound to one, or of the sum of
    two such of one type; None when it is anything else or cannot be known."""
    if isinstance(node, _DISPLAYS):
        return type(node), [(e, frame) for e in node.elts]
    if depth <= 0:
        return None
    if isinstance(node, ast.Name):
        bound = bound_value(node.id, frame)
        if bound is None or not isinstance(bound[0], (_DISPLAYS, ast.BinOp, ast.Name)):
            return None
        return op_sequence(resolver, bound[0], bound[1], depth - 1)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = op_sequence(resolver, node.left, frame, depth - 1)
        right = op_sequence(resolver, node.right, frame, depth - 1)
        if left is None or right is None or left[0] is not right[0] or left[0] is ast.Set:
            return None
        return left[0], left[1] + right[1]
    return None


def functools_partial_of(resolver: Resolver, node: ast.expr, frame: Frame) -> str | None:
    """The name of what ``node`` wraps when it is certainly a plain ``functools.partial``
    object (inline, or a name bound once to one and never given to ``update_wrapper`` or
    ``wraps``, which would make it scope-enabled like its function)."""
    if isinstance(node, ast.Name):
        if node.id in resolver.facts.wrapper_arguments:
            return None
        bound = bound_value(node.id, frame)
        if bound is None:
            return None
        node, frame = bound
    if not isinstance(node, ast.Call) or not node.args:
        return None
    callee = resolver.resolve_expr(node.func, frame)
    if not (isinstance(callee, Path) and known.normalise(callee.path) == "functools.partial"):
        return None
    wrapped = node.args[0]
    return wrapped.attr if isinstance(wrapped, ast.Attribute) else getattr(wrapped, "id", "?")


def held_context_managers(resolver: Resolver, name: str,
                          frame: Frame) -> list[tuple[ast.expr, Frame]] | None:
    """What ``with name:`` enters: the value of each assignment of ``name`` (several only
    when they are the branches of one ``if``/``try``: deeplab's ``arg_scope =
    slim.arg_scope(...)`` / ``else: arg_scope = slim.arg_scope([])``), when ``name`` is only
    assigned and only read as a ``with`` item; else None."""
    found = assigned_only(name, frame)
    if found is None:
        return None
    bindings, owner = found
    if len(bindings) > 1:
        last = [owner.arm_of(b)[-1:] for b in bindings]  # (choice, branch) it is bound in
        if any(not arm for arm in last) or len({arm[0][0] for arm in last}) != 1 or len(
                {arm[0][1] for arm in last}) != len(last):
            return None
    if name in resolver.facts.read_elsewhere(owner):
        return None  # read other than as a with item: it may be entered unseen
    return [(b.node.value, owner) for b in bindings]


def instance_method(resolver: Resolver, node: ast.Attribute, frame: Frame) -> LocalDef | None:
    """``obj.method`` where ``obj = ProjectClass(...)`` is bound once (SSD-Tensorflow's
    ``ssd_net.arg_scope(...)``): the method that class defines itself, when no instance
    attribute can shadow it."""
    obj = node.value
    if not isinstance(obj, ast.Name):
        return None
    assigned = assigned_only(obj.id, frame, mutated_ok=True)  # obj.x = ...: checked below
    if assigned is None or len(assigned[0]) != 1:
        return None
    bindings, owner = assigned
    value = bindings[0].node.value
    if not isinstance(value, ast.Call):
        return None
    cls = resolver.resolve_expr(value.func, owner)
    if isinstance(cls, Path):
        cls = owner.resolver.deref(cls, force=True)
    if not isinstance(cls, LocalClass) or cls.node.decorator_list or cls.node.keywords:
        return None
    attr = node.attr
    found = None
    for stmt in cls.node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == attr:
            found = stmt
        elif any(isinstance(t, ast.Name) and t.id == attr for t in getattr(stmt, "targets", ())):
            return None  # a class attribute of that name
    if found is None:
        return None
    for sub in ast.walk(cls.node):  # self.<attr> = ... would shadow the method
        if isinstance(sub, ast.Attribute) and sub.attr == attr and isinstance(
                sub.ctx, ast.Store):
            return None
    for sub in ast.walk(owner.node):  # and so would obj.<attr> = ...
        if isinstance(sub, ast.Attribute) and sub.attr == attr and isinstance(
                sub.ctx, ast.Store) and isinstance(sub.value, ast.Name) and sub.value.id == obj.id:
            return None
    class_frame = cls.frame.resolver.frame_for(cls.node, cls.frame)
    return LocalDef(found, class_frame)
