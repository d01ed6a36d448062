"""What ``**name`` unpacks into an ``arg_scope(...)`` or a factory call: a dict literal bound
once, a factory's own ``**params`` for one call, or a copy of either without its None values
(research/slim mobilenet's ``safe_arg_scope`` passes only the keywords that are not None).

A result is ``(pairs, maybe)``: the (key, value, frame) of the keys certainly present — the
value a node of ``frame``, where the dict was built, or None when unknown — and the keys that
may be present. A project function returning a dict literal (google-research's
``**_get_base_scope_args(...)``) is evaluated with the parameters its call fixes.
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, cast

from flake8_argscope.frames import SCOPE_NODES
from flake8_argscope.model.held import assigned_only
from flake8_argscope.symbols import LocalDef, Path
from flake8_argscope.syntax import is_literal, own_nodes

if TYPE_CHECKING:
    from typing import Optional

    from flake8_argscope.frames import Frame

    Pairs = list[tuple[str, Optional[ast.expr], Frame]]
    Unpacked = tuple[Pairs, frozenset[str]]
    Env = Optional[dict[str, Optional[ast.expr]]]

_NOTHING: frozenset[str] = frozenset()


class KwargsDict(ast.expr):
    """The value of a factory's ``**params`` for one call: the keywords the call passes that
    no named parameter takes, each with a literal value or None (not known). Never a literal
    itself, so no value is ever substituted from it."""

    _fields = ()

    def __init__(self, pairs: list[tuple[str, ast.expr | None]]) -> None:
        super().__init__()
        self.pairs = pairs


def unpacked(node: ast.expr, frame: Frame, env: Env, depth: int = 4) -> Unpacked | None:
    """What ``**node`` unpacks (see the module docstring), or None when its keys are not
    known. ``env`` holds the parameters of the factory being evaluated in ``frame``."""
    added = _NOTHING
    if isinstance(node, ast.Name):
        if env is not None and node.id in env:
            value = env[node.id]
            if isinstance(value, KwargsDict):
                return [(k, v, frame) for k, v in value.pairs], _NOTHING
            return None
        name = node.id
        # this frame's, or the module's constant; keys set later are read below
        found = assigned_only(name, frame, mutated_ok=True)
        if found is None or len(found[0]) != 1:
            return None
        bindings, owner = found
        if owner.is_module and _used_elsewhere(frame, name):
            return None
        later = _keys_set_later(owner, name) if name in owner.store_attr_roots else _NOTHING
        node = bindings[0].node.value
        if later is None or (later and not isinstance(node, ast.Dict)):
            return None
        added = later
        if owner is not frame:  # a module constant
            if isinstance(node, ast.Call) and not added and depth > 0:
                return _returned_dict(node, owner, None, depth - 1)
            return _dict_pairs(node, added, owner) if isinstance(node, ast.Dict) else None
    if isinstance(node, ast.Dict):
        return _dict_pairs(node, added, frame)
    source = _none_filtered(node)
    if source is None:
        if isinstance(node, ast.Call) and not added and depth > 0:
            return _returned_dict(node, frame, env, depth - 1)
        return None
    inner = unpacked(source, frame, env, depth - 1) if depth > 0 else None
    if inner is None:
        return None
    kept: Pairs = []
    maybe = set(inner[1])
    for name, given, where in inner[0]:
        literal = fixed(given, env if where is frame else None)
        if literal is None:
            maybe.add(name)  # unknown: None or not
        elif not (isinstance(literal, ast.Constant) and literal.value is None):
            kept.append((name, literal, frame))
    return kept, frozenset(maybe)


def _dict_pairs(node: ast.Dict, added: frozenset[str], frame: Frame) -> Unpacked | None:
    pairs: Pairs = []
    for key, value in zip(node.keys, node.values):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        if key.value not in added:
            pairs.append((key.value, value, frame))
    return pairs, added


def _returned_dict(call: ast.Call, frame: Frame, env: Env, depth: int) -> Unpacked | None:
    """The dict a project function returns (a literal, or a name bound to one), its values
    evaluated with the parameters ``call`` fixes: a literal, or a node of the function's
    frame (the rules judge whether it means the same at a call), else unknown."""
    from flake8_argscope.model.factories import bind_params  # (factories imports this module)

    resolver = frame.resolver
    sym = resolver.resolve_expr(call.func, frame)
    if isinstance(sym, Path):
        sym = resolver.deref(sym, force=True)
    if not isinstance(sym, LocalDef) or sym.frame.is_class or sym.node.decorator_list:
        return None
    returns = [n for n in own_nodes(sym.node) if isinstance(n, ast.Return)]
    if len(returns) != 1 or returns[0].value is None:
        return None
    fframe = sym.frame.resolver.frame_for(sym.node, sym.frame)
    fenv = bind_params(sym.node, call, frame, env, depth=depth)  # (depth: ``d = f(**d)``)
    inner = unpacked(returns[0].value, fframe, fenv, depth)
    if inner is None:
        return None
    pairs: Pairs = []
    for key, value, where in inner[0]:
        literal = fixed(value, fenv if where is fframe else None)
        if literal is None and where is fframe and value is not None and any(
                isinstance(n, ast.Name) and (n.id in cast(dict, fenv) or fframe.binds(n.id))
                for n in ast.walk(value)):
            value = None  # depends on the function's own names: unknown here
        pairs.append((key, literal if literal is not None else value, where))
    return pairs, inner[1]


def _used_elsewhere(frame: Frame, name: str) -> bool:
    """A module-level dict that some function may change or rebind (``NAME[...]``,
    ``NAME.update``, ``global NAME``): its value at a later call is not known."""
    source = frame.resolver.source or ""
    return re.search(rf"\b{re.escape(name)}\s*[\[.]|global[^\n]*\b{re.escape(name)}\b",
                     source) is not None


def _keys_set_later(frame: Frame, name: str) -> frozenset[str] | None:
    """Keys that ``name[key] = value`` statements of ``frame`` may set (hyperparams_builder
    adds ``is_training`` under an ``if``); None when the dict is used in any other way
    that may change it (a method call, an attribute, a computed key, ``del``)."""
    keys = set()
    todo: list[ast.AST] = list(ast.iter_child_nodes(frame.node))
    while todo:
        node = todo.pop()
        if isinstance(node, SCOPE_NODES):
            continue
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == name:
            return None
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and node.value.id == name and not isinstance(node.ctx, ast.Load):
            key = node.slice
            if not (isinstance(node.ctx, ast.Store) and isinstance(key, ast.Constant)
                    and isinstance(key.value, str)):
                return None
            keys.add(key.value)
        todo.extend(ast.iter_child_nodes(node))
    return frozenset(keys)


def fixed(value: ast.expr | None, env: Env) -> ast.expr | None:
    """A literal ``value``, or the literal a factory parameter named by ``value`` holds;
    else None."""
    if value is None or is_literal(value):
        return value
    if env is not None and isinstance(value, ast.Name):
        held = env.get(value.id)
        if held is not None and is_literal(held):
            return held
    return None


def _none_filtered(node: ast.expr) -> ast.expr | None:
    """``d`` in ``{k: v for k, v in d.items() if v is not None}`` or ``dict((k, v) for k, v
    in d.items() if v is not None)``."""
    if isinstance(node, ast.DictComp):
        key, value, gens = node.key, node.value, node.generators
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id == "dict" and len(node.args) == 1 and not node.keywords
          and isinstance(node.args[0], (ast.GeneratorExp, ast.ListComp))
          and isinstance(node.args[0].elt, ast.Tuple) and len(node.args[0].elt.elts) == 2):
        key, value = node.args[0].elt.elts
        gens = node.args[0].generators
    else:
        return None
    if len(gens) != 1 or gens[0].is_async or len(gens[0].ifs) != 1:
        return None
    gen = gens[0]
    target, it, test = gen.target, gen.iter, gen.ifs[0]
    if not (isinstance(key, ast.Name) and isinstance(value, ast.Name)
            and isinstance(target, ast.Tuple) and len(target.elts) == 2
            and isinstance(target.elts[0], ast.Name) and isinstance(target.elts[1], ast.Name)
            and target.elts[0].id == key.id and target.elts[1].id == value.id
            and key.id != value.id):
        return None
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute)
            and it.func.attr == "items" and not it.args and not it.keywords):
        return None
    if not (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == value.id and len(test.ops) == 1
            and isinstance(test.ops[0], ast.IsNot)
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None):
        return None
    return it.func.value


def truth(test: ast.expr, frame: Frame, env: Env) -> bool | None:
    """Whether ``test`` is true in a factory evaluated with ``env``: True, False, or None
    when it depends on what is not known. Parameters fixed to literals, ``is (not) None``
    on them, and the emptiness of dicts ``unpacked`` knows."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        inner = truth(test.operand, frame, env)
        return None if inner is None else not inner
    if isinstance(test, ast.BoolOp):
        values = [truth(v, frame, env) for v in test.values]
        decisive = isinstance(test.op, ast.Or)  # True decides an `or`, False an `and`
        if decisive in values:
            return decisive
        return None if None in values else not decisive
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(
            test.ops[0], (ast.Is, ast.IsNot)):
        right = test.comparators[0]
        if isinstance(right, ast.Constant) and right.value is None:
            left = fixed(test.left, env)
            if left is None:
                return None
            is_none = isinstance(left, ast.Constant) and left.value is None
            return is_none if isinstance(test.ops[0], ast.Is) else not is_none
        return None
    if isinstance(test, ast.Name):
        value = fixed(test, env)
        if value is not None:
            try:
                return bool(ast.literal_eval(value))
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                return None
        known = unpacked(test, frame, env)
        if known is None:
            return None
        if known[0]:
            return True
        return None if known[1] else False
    return None
