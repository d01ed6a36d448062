"""Key-correlated dispatch: module-level dict literals read with the same key.

research/slim's ``nets_factory.py`` (and its copies in detection, segmentation and pruning
projects) picks the net and its scope function with one key::

    networks_map = {'vgg_16': vgg.vgg_16, ...}
    arg_scopes_map = {'vgg_16': vgg.vgg_arg_scope, ...}
    def get_network_fn(name, ...):
        func = networks_map[name]
        def network_fn(images, **kwargs):
            with slim.arg_scope(arg_scopes_map[name](...)):
                return func(images, ...)

Each key is a *key world*: in it, ``D[name]`` is ``D``'s entry for that key, for every dict
``D`` of the group, so the net and the scope always come from the same key, never from two
(every combination would pair vgg's net with inception's scope). A world applies to one
variable: the name bound by one frame (a parameter or a local) of the module, read
unchanged; a dict is a module-level name bound once to a literal with string keys and never
mutated. A key missing from one dict of the group raises ``KeyError`` at run time: no world.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from flake8_argscope.model.held import assigned_only
from flake8_argscope.record import Frozen

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.resolve import Resolver

MAX_KEYS = 64  # key worlds per module (research/slim's nets_factory has 40 nets)


class KeyWorld(Frozen):
    """``variable`` holds ``key`` when it subscripts one of ``dicts``; ``owner`` is the id
    of the one def binding ``variable``."""

    __slots__ = _fields = ("variable", "key", "dicts", "owner")
    variable: str
    key: str
    dicts: frozenset[str]
    owner: int


def _literal_keys(node: ast.expr) -> list[str] | None:
    if not isinstance(node, ast.Dict) or not node.keys:
        return None
    keys = []
    for k in node.keys:
        if not (isinstance(k, ast.Constant) and isinstance(k.value, str)):
            return None  # ``**other`` or a computed key: the entries are not all known
        keys.append(k.value)
    return keys


def _dict_literal(resolver: Resolver, name: str) -> ast.Dict | None:
    """The dict literal a module-level name is bound to once and never changed."""
    found = assigned_only(name, resolver.module_frame)
    if found is None or len(found[0]) != 1 or not found[1].is_module:
        return None
    value = getattr(found[0][0].node, "value", None)
    return value if isinstance(value, ast.Dict) and _literal_keys(value) else None


def key_worlds(resolver: Resolver) -> list[KeyWorld]:
    """The key worlds of a module: for the one variable (of one def) that subscripts module
    dict literals, one world per key every one of those dicts has."""
    tree = resolver.tree
    # (most modules bind no dict literal at module level: a look at the top statements only;
    # a regex over the text costs more, as it tries every position)
    literals = {t.id for stmt in tree.body if type(stmt) is ast.Assign
                and type(stmt.value) is ast.Dict for t in stmt.targets
                if isinstance(t, ast.Name)}
    if not literals:
        return []
    literals = {d for d in literals if _dict_literal(resolver, d) is not None}
    if not literals:
        return []
    # (variable, id of the def binding it) -> the dicts it subscripts there
    reads: dict[tuple[str, int], set[str]] = {}
    stack: list[tuple[ast.AST, tuple[tuple[int, frozenset[str]], ...]]] = [(tree, ())]
    while stack:  # (explicit: hostile files nest deeper than the recursion limit)
        node, defs = stack.pop()
        if isinstance(node, _DEFS):
            defs = defs + ((id(node), _bound_by(node)),)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and (
                isinstance(node.slice, ast.Name) and node.value.id in literals):
            var = node.slice.id
            owner = next((d for d, bound in reversed(defs) if var in bound), None)
            if owner is not None:
                reads.setdefault((var, owner), set()).add(node.value.id)
        stack.extend((child, defs) for child in ast.iter_child_nodes(node))
    worlds: list[KeyWorld] = []
    for (var, owner), names in sorted(reads.items(), key=lambda item: item[0][0]):
        ordered = sorted(names)
        key_lists = [_literal_keys(cast(ast.Dict, _dict_literal(resolver, d))) or []
                     for d in ordered]
        common = [k for k in dict.fromkeys(key_lists[0]) if all(k in ks for ks in key_lists)]
        worlds.extend(KeyWorld(var, key, frozenset(ordered), owner) for key in common)
        if len(worlds) > MAX_KEYS:
            return []
    return worlds


_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _bound_by(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> frozenset[str]:
    """The names a def binds itself: parameters and stores outside nested defs."""
    args = node.args
    bound = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    bound.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    if isinstance(node, ast.Lambda):
        return frozenset(bound)
    stack: list[ast.AST] = list(node.body)
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            bound.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(n.name)
            continue
        elif isinstance(n, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return frozenset(bound)


def _binding_frame(name: str, frame: Frame) -> Frame | None:
    """The frame whose binding of ``name`` a read in ``frame`` sees (closures included)."""
    f: Frame | None = frame
    first = True
    while f is not None:
        if not (f.is_class and not first) and f.binds(name):
            return f
        first = False
        f = f.parent
    return None


def element(resolver: Resolver, node: ast.Subscript, frame: Frame) -> ast.expr | None:
    """``D[variable]`` in the resolver's key world: the entry of ``D`` for the world's key
    (evaluated in the module frame), or None."""
    world = resolver.keys
    if world is None or not isinstance(node.value, ast.Name) or not isinstance(
            node.slice, ast.Name) or node.slice.id != world.variable:
        return None
    if node.value.id not in world.dicts:
        return None
    owner = _binding_frame(world.variable, frame)
    if owner is None or id(owner.node) != world.owner or len(
            owner.bindings.get(world.variable, ())) != 1:
        return None  # (rebound: two reads may see two keys)
    if _binding_frame(node.value.id, frame) is not resolver.module_frame:
        return None  # a local of the same name as the module's dict
    literal = _dict_literal(resolver, node.value.id)
    if literal is None:
        return None
    found = None
    for k, v in zip(literal.keys, literal.values):
        if isinstance(k, ast.Constant) and k.value == world.key:
            found = v  # the last entry of a key wins, as in the dict
    return found
