"""Names and what they hold: which binding a name's use sees and whether it is stable
(``assigned_only``, the model's one "bound once, never mutated" check), scope context
managers entered later (``sc_gen = slim.arg_scope(...)``; ``with sc_gen:``), and methods of
project instances. What a value *is* (op list, scope dict, partial) is values.py's."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope.symbols import LocalClass, LocalDef, Path

if TYPE_CHECKING:
    from flake8_argscope.frames import Binding, Frame
    from flake8_argscope.resolve import Resolver


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


def from_library_star(node: ast.expr, frame: Frame) -> bool:
    """A name bound nowhere but by star imports of library modules only (tensorpack's
    examples use ``from tensorpack import *``): a library object (TowerContext,
    freeze_variables...). The tables know every library function that enters a scope."""
    from flake8_argscope.known import is_library_path

    if not isinstance(node, ast.Name):
        return False
    f: Frame | None = frame
    while f is not None:
        if f.binds(node.id):
            return False
        f = f.parent
    stars = frame.resolver.module_frame.bindings.get("*") or []
    return bool(stars) and all(b.path is not None and is_library_path(b.path) for b in stars)
