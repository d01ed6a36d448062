"""Calls through values, in one of explain's contexts (cli/contexts.py): ``block.unit_fn(net)``
where ``block`` runs over a list the caller built of namedtuples (tf_slim's and research/slim's
ResNets: ``for block in blocks: ... block.unit_fn(net, rate=1, **unit)``, each block a
``resnet_utils.Block(scope, bottleneck, [...])``).

In a context the parameters hold what the calls along the chain pass (``Resolver.arguments``),
so a value can be followed back to where it is written: a parameter to its argument, a name
bound once to its value, a for-loop variable to the elements of a list display, a call of a
project function to its single ``return``, a namedtuple field to the constructor's argument.
The callee is known when every element leads to the same function; otherwise, or on anything
else, it stays unknown (no context goes through it).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.symbols import Builtin, LocalClass, LocalDef, Path

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.symbols import Target

Value = tuple[ast.expr, "Frame"]
MAX_STEPS = 256  # values followed per callee or mapping (lists multiply them)
_MISSING: list[Value] = []


def callee(func: ast.expr, frame: Frame) -> Target:
    """The one project function or op ``func`` calls in this context, or None."""
    if not isinstance(func, ast.Attribute):
        return None
    budget = [MAX_STEPS]
    found = _fields(func.value, func.attr, frame, budget)
    if not found:
        return None
    targets = []
    for expr, where in found:
        target = where.resolver.target_of(expr, where, force=True)
        if target is None:
            return None
        targets.append(target)
    first = targets[0]
    return first if all(t == first for t in targets[1:]) else None


def callee_def(func: ast.expr, frame: Frame) -> LocalDef | None:
    """The one project def ``func`` calls in this context, or None."""
    if not isinstance(func, ast.Attribute):
        return None
    found = _fields(func.value, func.attr, frame, [MAX_STEPS])
    defs = []
    for expr, where in found:
        sym = where.resolver.resolve_expr(expr, where)
        if isinstance(sym, Path):
            sym = where.resolver.deref(sym, force=True)
        if not isinstance(sym, LocalDef):
            return None
        defs.append(sym)
    return defs[0] if defs and all(d.node is defs[0].node for d in defs) else None


def _fields(node: ast.expr, attr: str, frame: Frame, budget: list[int]) -> list[Value]:
    """The value of field ``attr`` of every namedtuple ``node`` may be (empty: unknown)."""
    out: list[Value] = []
    for value, where in _values(node, frame, budget):
        field = _namedtuple_field(value, attr, where)
        if field is None:
            return _MISSING
        out.append(field)
    return out


def _values(node: ast.expr, frame: Frame, budget: list[int]) -> list[Value]:
    """The expressions ``node`` may evaluate to, each with its frame (empty: unknown)."""
    budget[0] -= 1
    if budget[0] < 0:
        return _MISSING
    if isinstance(node, ast.Name):
        return _name(node.id, frame, budget)
    if isinstance(node, ast.Call):
        returned = _returned(node, frame)
        return _values(*returned, budget) if returned is not None else [(node, frame)]
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        out: list[Value] = []
        for field in _fields(node.value, node.attr, frame, budget) or [(node, frame)]:
            if field[0] is node:
                return [(node, frame)]  # not a namedtuple's field: the expression itself
            found = _values(*field, budget)
            if not found:
                return _MISSING
            out.extend(found)
        return out
    return [(node, frame)]


def _elements(node: ast.expr, frame: Frame, budget: list[int]) -> list[Value] | None:
    """The elements of a list or tuple display, of a sum of them, or of one repeated
    (``[{...}] * (n - 1) + [{...}]``: each element, whatever the count); None: unknown."""
    if isinstance(node, (ast.List, ast.Tuple)):
        if any(isinstance(e, ast.Starred) for e in node.elts):
            return None
        return [(e, frame) for e in node.elts]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = _elements(node.left, frame, budget)
        right = _elements(node.right, frame, budget)
        return left + right if left is not None and right is not None else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for side in (node.left, node.right):
            if isinstance(side, (ast.List, ast.Tuple)):
                return _elements(side, frame, budget)
    return None


def unpacked_keys(node: ast.expr, frame: Frame) -> dict[str, ast.expr | None] | None:
    """The keywords ``**node`` passes in this context: every dict it may be is a display
    with the same string keys (values: the expression where they all agree, else None)."""
    found = _values(node, frame, [MAX_STEPS])
    if not found:
        return None
    keys: dict[str, ast.expr | None] | None = None
    for value, _where in found:
        if not isinstance(value, ast.Dict) or any(
                not (isinstance(k, ast.Constant) and isinstance(k.value, str))
                for k in value.keys):
            return None
        these = {k.value: v for k, v in zip(value.keys, value.values)}  # type: ignore[union-attr]
        if keys is None:
            keys = dict(these)
        elif set(keys) != set(these):
            return None
        else:
            for k, v in these.items():
                if keys[k] is not None and not (
                        isinstance(v, ast.Constant) and isinstance(keys[k], ast.Constant)
                        and v.value == keys[k].value):  # type: ignore[union-attr]
                    keys[k] = None
    if keys is not None:  # a value is kept only when a literal (names mean another frame)
        keys = {k: v if isinstance(v, ast.Constant) else None for k, v in keys.items()}
    return keys


def _name(name: str, frame: Frame, budget: list[int]) -> list[Value]:
    owner: Frame | None = frame
    while owner is not None and not owner.binds(name):
        owner = owner.parent
    if owner is None:
        return _MISSING
    bindings = owner.bindings.get(name, [])
    if len(bindings) != 1 or name in owner.declared_global or name in owner.declared_nonlocal:
        return _MISSING
    b = bindings[0]
    if b.kind == "param":
        given = owner.resolver.arguments.get(id(owner.node), {}).get(name)
        return _values(given[0], given[1], budget) if given is not None else _MISSING
    if b.kind == "assign" and isinstance(b.node, ast.Assign) and len(b.node.targets) == 1:
        if name in owner.store_attr_roots:
            return _MISSING  # ``blocks[0] = ...``: changed after it is built
        return _values(b.node.value, owner, budget)
    if b.kind == "other":
        loop = _loop_over(name, owner)
        if loop is not None:
            out: list[Value] = []
            for seq, where in _values(loop, owner, budget):
                elements = _elements(seq, where, budget)
                if elements is None:
                    return _MISSING
                for element in elements:
                    found = _values(*element, budget)
                    if not found:
                        return _MISSING
                    out.extend(found)
            return out
    return _MISSING


def _loop_over(name: str, frame: Frame) -> ast.expr | None:
    """The iterable of the one ``for name in ...`` of the frame's own body."""
    body = getattr(frame.node, "body", None)
    if not isinstance(body, list):
        return None
    found = None
    stack: list[ast.AST] = list(body)
    while stack:
        n = stack.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        if isinstance(n, ast.For):
            iterable = _iterated(n.target, n.iter, name, frame)
            if iterable is not None:
                if found is not None:
                    return None
                found = iterable
        stack.extend(ast.iter_child_nodes(n))
    return found


def _iterated(target: ast.expr, iterable: ast.expr, name: str, frame: Frame) -> ast.expr | None:
    """What ``name`` runs over in ``for target in iterable`` (``for x in xs``, ``for i, x in
    enumerate(xs)``), or None."""
    if isinstance(target, ast.Name):
        return iterable if target.id == name else None
    if (isinstance(target, ast.Tuple) and len(target.elts) == 2
            and isinstance(target.elts[1], ast.Name) and target.elts[1].id == name
            and isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name)
            and iterable.func.id == "enumerate" and len(iterable.args) == 1
            and not iterable.keywords
            and isinstance(frame.resolver.resolve_name("enumerate", frame), Builtin)):
        return iterable.args[0]
    return None


def _returned(call: ast.Call, frame: Frame) -> Value | None:
    """The single ``return`` value of the project function ``call`` calls, when it does not
    depend on the function's parameters (they are not bound here)."""
    sym = frame.resolver.resolve_expr(call.func, frame)
    if isinstance(sym, Path):
        sym = frame.resolver.deref(sym, force=True)
    if not isinstance(sym, LocalDef) or sym.node.decorator_list:
        return None
    returns = [n for n in ast.walk(sym.node) if isinstance(n, ast.Return)]
    if len(returns) != 1 or returns[0].value is None:
        return None
    return returns[0].value, sym.frame.resolver.frame_for(sym.node, sym.frame)


def _namedtuple_field(value: ast.expr, attr: str, frame: Frame) -> Value | None:
    """``Block(scope, bottleneck, args).unit_fn`` -> ``bottleneck`` (with its frame), for a
    class built on ``collections.namedtuple('Block', ['scope', 'unit_fn', 'args'])`` that
    defines nothing of that name and no ``__new__``/``__init__``."""
    if not isinstance(value, ast.Call):
        return None
    cls = frame.resolver.resolve_expr(value.func, frame)
    if isinstance(cls, Path):
        cls = frame.resolver.deref(cls, force=True)
    if not isinstance(cls, LocalClass):
        return None
    fields = _namedtuple_fields(cls)
    if fields is None or attr not in fields:
        return None
    index = fields.index(attr)
    if any(isinstance(a, ast.Starred) for a in value.args) or any(
            kw.arg is None for kw in value.keywords):
        return None
    if index < len(value.args):
        return value.args[index], frame
    for kw in value.keywords:
        if kw.arg == attr:
            return kw.value, frame
    return None


def _namedtuple_fields(cls: LocalClass) -> list[str] | None:
    node = cls.node
    if len(node.bases) != 1 or not isinstance(node.bases[0], ast.Call):
        return None
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign,
                             ast.AnnAssign, ast.ClassDef)):
            return None  # it may define the field's name, __new__ or __init__
    base = node.bases[0]
    sym = cls.frame.resolver.resolve_expr(base.func, cls.frame)
    if not (isinstance(sym, Path) and known.normalise(sym.path) == "collections.namedtuple"):
        return None
    if len(base.args) != 2 or base.keywords:
        return None
    spec = base.args[1]
    if isinstance(spec, ast.Constant) and isinstance(spec.value, str):
        return spec.value.replace(",", " ").split()
    if isinstance(spec, (ast.List, ast.Tuple)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in spec.elts):
        return [e.value for e in spec.elts]  # type: ignore[attr-defined]
    return None
