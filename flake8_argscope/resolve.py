"""Names -> what they are: library paths, this module's defs, scope dicts.

Resolution is syntactic and conservative: a name bound more than once in a way that
disagrees, bound by something we cannot follow, or shadowed by a comprehension, resolves
to None and every rule stays silent about it. The result types are in ``symbols``.
"""

from __future__ import annotations

import ast
import builtins
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.defs import Defs
from flake8_argscope.frames import Frame, build_frame
from flake8_argscope.known import TENSORPACK, Api, Factory, Op, Partial, Unscoped
from flake8_argscope.model.module import ModuleFacts
from flake8_argscope.symbols import (
    UNKNOWN, Builtin, LocalClass, LocalDef, Path, ScopeRef, Wrapped,
)
from flake8_argscope.tensorpack import EXTRA_API, UNKNOWN_PATCH, Patches
from flake8_argscope.model.dispatch import element
from flake8_argscope.worlds import in_world

if TYPE_CHECKING:
    from flake8_argscope.api import Config
    from flake8_argscope.frames import Binding, ScopeNode
    from flake8_argscope.model.dispatch import KeyWorld
    from flake8_argscope.project import Project
    from flake8_argscope.symbols import Symbol, Target
    from flake8_argscope.worlds import World

    Arguments = dict[str, tuple[ast.expr, Frame]]  # parameter -> (value, where written)

_BUILTINS = frozenset(dir(builtins))


class Resolver:
    """Resolution for one module. Frames know their resolver: a symbol of another project
    module is resolved, classified and evaluated by that module's."""

    def __init__(self, tree: ast.Module, config: Config, project: Project | None = None,
                 current: tuple[str, bool] | None = None, source: str | None = None,
                 world: World | None = None) -> None:
        self.tree = tree
        self.world = world  # the branch taken at each either-of choice (see worlds.py)
        self.keys: KeyWorld | None = None  # the key of a dispatch dict (model/dispatch.py)
        self.arguments: dict[int, Arguments] = {}  # id(def) -> explain's context's arguments
        self.source = source  # when known, lets whole-tree scans be skipped (most files)
        self._walrus = source is None or ":=" in source  # frames must look into expressions
        self._module_names: dict[str, Symbol] = {}
        self._paths: dict[tuple[str, bool, int], Target] = {}
        self.config = config
        self.project = project
        self.current = current  # (dotted module name, is_package) when known
        self.frames: dict[int, Frame] = {}
        self._busy: set[tuple[object, ...]] = set()
        self.facts = ModuleFacts(tree, source)  # the module-wide scans, syntax only
        self.api_overrides = dict(config.api_paths)
        self.extra_ops = config.scoped_ops
        self.defs = Defs(self)
        self.patches = Patches(self)
        self.module_frame = self.frame_for(tree, None)

    def adopt(self, other: Resolver) -> None:
        """Take over what ``other`` (the same tree, another world) found that no world
        changes: the frames (bindings are syntax) and the whole-module scans, much of a
        walk's set-up (walk.analyse walks a file in each world)."""
        self.frames, other.frames = other.frames, {}
        for frame in self.frames.values():
            frame.resolver = self
        self.module_frame = other.module_frame
        self.facts = other.facts

    # ------------------------------------------------------------ frames
    def frame_for(self, node: ScopeNode, parent: Frame | None) -> Frame:
        owner = parent.resolver if parent is not None else self
        if owner is not self:
            return owner.frame_for(node, parent)
        frame = self.frames.get(id(node))
        if frame is None:
            frame = build_frame(node, parent, deep=self._walrus)
            frame.resolver = self
            self.frames[id(node)] = frame
        return frame

    # ------------------------------------------------------------ names
    def resolve_name(self, name: str, frame: Frame,
                     shadow: frozenset[str] = frozenset()) -> Symbol:
        if name in shadow:
            return UNKNOWN
        if frame.resolver is not self:
            return frame.resolver.resolve_name(name, frame, shadow)
        return self._resolve_name(name, frame)

    def _resolve_name(self, name: str, frame: Frame) -> Symbol:
        f: Frame | None = frame
        first = True
        while f is not None:
            if not f.is_module and name in f.declared_global:
                f = self.module_frame
                continue
            if f.is_class and not first:
                f = f.parent
                continue
            if name in f.bindings:
                return self._from_bindings(name, f)
            first = False
            f = f.parent
        star = _star_lookup(self, name)
        if star is not None:
            return star
        if name in _BUILTINS:
            return Builtin(name)
        return UNKNOWN

    def deref(self, sym: Symbol, force: bool | str = False) -> Symbol:
        """A Path into a project module -> the symbol that module binds there.

        Without ``force`` only modules that can define ops or scopes (their text mentions
        arg_scope & co.) or re-export the name are parsed: parsing every imported module
        would double flake8's own parsing. ``force``: where certainty is needed."""
        if not isinstance(sym, Path) or self.project is None:
            return sym
        root = sym.path.split(".", 1)[0]
        if known.is_library_path(root):
            return sym
        if sym.path in self.api_overrides or sym.path in self.extra_ops:
            return sym  # configured by the user: wins over what the project's code says
        project = self.project
        if project._depth > 24:
            return UNKNOWN
        if project.is_module(sym.path):
            return sym  # a (sub)module: attributes are looked up in it later
        model, rest = project.split(sym.path, force)
        if model is None or rest is None:  # (rest is None only when model is)
            return sym
        project._depth += 1
        try:
            found = model.resolve_name(rest[0], model.module_frame)
            if force and isinstance(found, Path) and len(rest) == 1:
                found = model.deref(found, force)  # a re-export (``from .v1 import net``)
            for attr in rest[1:]:
                if isinstance(found, Path):
                    found = Path(f"{found.path}.{attr}", found.line, False)
                    found = model.deref(found, force)
                else:
                    return UNKNOWN
            return found
        finally:
            project._depth -= 1

    def _from_bindings(self, name: str, frame: Frame) -> Symbol:
        bindings = frame.bindings[name]
        if frame.is_module:
            # module-level names mean the same everywhere in the file: resolve once
            cache = self._module_names
            if name not in cache:
                if self.world:
                    bindings = in_world(bindings, frame, self.world)
                cache[name] = self._module_binding(name, bindings, frame) if bindings else UNKNOWN
            return cache[name]
        if len(bindings) != 1:
            return UNKNOWN
        return self._one_binding(bindings[0], frame)

    def _module_binding(self, name: str, bindings: list[Binding], frame: Frame) -> Symbol:
        syms: list[Symbol] = []
        for b in bindings:
            key = (id(frame), name, b.line)
            if key in self._busy:
                return UNKNOWN
            self._busy.add(key)
            try:
                syms.append(self._one_binding(b, frame))
            finally:
                self._busy.discard(key)
        if any(s is UNKNOWN for s in syms):
            # `def f` followed by `f = add_arg_scope(f)`: the last binding wins at call time
            last = syms[-1]
            if isinstance(last, Wrapped) and len(syms) == 2 and isinstance(syms[0], LocalDef):
                return last
            return UNKNOWN
        first = syms[0]
        if all(s == first for s in syms):
            return first
        if len(syms) == 2 and isinstance(syms[0], LocalDef) and isinstance(syms[1], Wrapped):
            return syms[1]
        # the same library object bound by several imports (try/except fallbacks)
        targets = {_identity(self, s) for s in syms}
        if len(targets) == 1 and None not in targets:
            return syms[-1]
        return UNKNOWN

    def binding_symbol(self, b: Binding, frame: Frame) -> Symbol:
        """What one binding of a name binds, regardless of the others."""
        return self._one_binding(b, frame)

    def _one_binding(self, b: Binding, frame: Frame) -> Symbol:
        kind = b.kind
        if kind in ("import", "from"):
            if b.path is None:
                return self._relative(b, frame)
            return Path(b.path, b.line, kind == "from")
        if kind == "def":
            return LocalDef(b.node, frame)
        if kind == "class":
            return LocalClass(b.node, frame)
        if kind == "withas":
            return ScopeRef(b.node)
        if kind == "unpack":
            busy: tuple[object, ...] = ("unpack", id(b.node), b.level)
            value = unpacked_value(b.node, b.level) if busy not in self._busy else None
            if value is None:
                return UNKNOWN
            self._busy.add(busy)  # ``a, b = b, a``
            try:
                return self._assigned(value, frame)
            finally:
                self._busy.discard(busy)
        if kind == "assign":
            key = ("assign", id(b.node))
            if key in self._busy:
                return UNKNOWN
            self._busy.add(key)
            try:
                return self._assigned(b.node, frame)
            finally:
                self._busy.discard(key)
        return _argument(self, b, frame) if kind == "param" and self.arguments else UNKNOWN

    def _relative(self, b: Binding, frame: Frame) -> Path | None:
        if self.project is None:
            return UNKNOWN
        path = self.project.absolute(b.level, b.module, self.current)
        return Path(path, b.line, True) if path else UNKNOWN

    def _assigned(self, node: ast.Assign | ast.AnnAssign, frame: Frame) -> Symbol:
        value = node.value
        if isinstance(value, (ast.Name, ast.Attribute, ast.Subscript)):
            return self.resolve_expr(value, frame)
        if isinstance(value, ast.Call):
            callee = self.resolve_expr(value.func, frame)
            target = self.classify(callee) if callee is not None else None
            if isinstance(target, Api):
                if target.name == "add_arg_scope" and len(value.args) == 1 and not value.keywords:
                    inner = self.resolve_expr(value.args[0], frame)
                    return Wrapped(target.registry, inner, value, frame)
                if target.name == "enable_argscope_for_function" and value.args:
                    inner = self.resolve_expr(value.args[0], frame)
                    return Wrapped(TENSORPACK, inner, value, frame)
                if target.name == "current_arg_scope":
                    return ScopeRef(node)
            if isinstance(target, Factory):
                return ScopeRef(node)
            if not isinstance(target, (Api, Op, Partial, Unscoped, Builtin)):
                from flake8_argscope.model.values import ScopeDict
                from flake8_argscope.model.values import value as value_of

                if isinstance(value_of(self, value, frame), ScopeDict):
                    return ScopeRef(node)  # ``sc = my_factory()``, in any module
        return UNKNOWN

    def resolve_expr(self, node: ast.expr, frame: Frame,
                     shadow: frozenset[str] = frozenset()) -> Symbol:
        if isinstance(node, ast.Name):
            return self.resolve_name(node.id, frame, shadow)
        if isinstance(node, ast.Attribute):
            attrs = []  # iterative: attribute chains can be thousands deep
            while isinstance(node, ast.Attribute):
                attrs.append(node.attr)
                node = node.value
            if not isinstance(node, ast.Name) or len(attrs) > 64:
                return UNKNOWN
            base = self.resolve_name(node.id, frame, shadow)
            if isinstance(base, Path):
                # an attribute is looked up at use time, not bound by the import (a module
                # patched after `from tensorpack import tfv1 as tf` is seen patched)
                return Path(".".join([base.path] + attrs[::-1]), base.line, False)
            return UNKNOWN
        if isinstance(node, ast.Subscript) and frame.resolver.keys is not None:
            entry = element(frame.resolver, node, frame)  # ``networks_map[name]``
            return UNKNOWN if entry is None else frame.resolver.resolve_expr(
                entry, frame.resolver.module_frame)
        return UNKNOWN

    # ------------------------------------------------------------ classification
    def target_of(self, node: ast.expr, frame: Frame, shadow: frozenset[str] = frozenset(),
                  force: bool = False) -> Target:
        """What the expression ``node`` is (``classify`` of its symbol); ``force`` parses
        the project module it leads to whatever that module's text says."""
        sym = self.resolve_expr(node, frame, shadow)
        if force and isinstance(sym, Path):
            sym = frame.resolver.deref(sym, force=True)
        return self.classify(sym)

    def lookup_path(self, path: str, sym: Path | None = None) -> Target:
        key = (path, sym.from_import, sym.line) if sym is not None else (path, False, 0)
        found = self._paths.get(key, self)
        if found is self:
            found = self._paths[key] = self._lookup_path(path, sym)
        return found  # type: ignore[return-value]  # self: the sentinel for "not cached yet"

    def _lookup_path(self, path: str, sym: Path | None = None) -> Target:
        path = known.normalise(path)
        if path in self.api_overrides:
            return self.api_overrides[path]
        if path in self.extra_ops:
            return self.extra_ops[path]
        if path in EXTRA_API:
            return EXTRA_API[path]
        patched = self.patches.lookup(path, sym)
        if patched is UNKNOWN_PATCH:
            return None
        if patched is not None:
            return patched  # type: ignore[return-value]  # not UNKNOWN_PATCH (returned above)
        if self.project is not None and not known.is_library_path(path):
            found = self.deref(sym if sym is not None and sym.path == path else Path(path))
            if found is not UNKNOWN and not (isinstance(found, Path) and found.path == path):
                return self.classify(found)
            if found is UNKNOWN:
                return None
        return known.lookup(path)

    def classify(self, sym: Symbol) -> Target:
        """Symbol -> Op | Partial | Api | Factory | Unscoped | LocalOp | PlainFunc |
        ScopeRef | Builtin | None (see ``symbols``)."""
        if sym is None:
            return None
        if isinstance(sym, Path):
            return self.lookup_path(sym.path, sym)
        if isinstance(sym, LocalDef):
            return sym.frame.resolver.defs.info(sym)
        if isinstance(sym, Wrapped):
            return sym.frame.resolver.defs.wrapped(sym)
        return sym


def _argument(resolver: Resolver, b: Binding, frame: Frame) -> Symbol:
    """A parameter in one of explain's contexts (cli/contexts.py): what the call passes, or
    the default it leaves, resolved where it is written."""
    given = resolver.arguments.get(id(frame.node), {}).get(b.node.arg)
    if given is None:
        return UNKNOWN
    expr, where = given
    return where.resolver.resolve_expr(expr, where)


def _identity(resolver: Resolver, sym: Symbol) -> str | Api | tuple[str, str] | None:
    """What library object a symbol is, to tell imports of one object from others."""
    if isinstance(sym, Path):
        t = resolver.lookup_path(sym.path, sym)
        if isinstance(t, Op):
            return t.key
        return t if isinstance(t, (Api,)) else ("path", sym.path)
    return None


def _star_lookup(resolver: Resolver, name: str) -> Path | None:
    """What ``from m import *`` statements of ``resolver``'s module bind ``name`` to."""
    stars = resolver.module_frame.bindings.get("*")
    if not stars:
        return UNKNOWN
    found = UNKNOWN
    for b in stars:
        module = b.path
        if module is None and resolver.project is not None:
            module = resolver.project.absolute(b.level, b.module, resolver.current)
        if module is None:
            return UNKNOWN
        if known.is_library_path(module):
            target = known.lookup(f"{module}.{name}")
            if target is not None and not isinstance(target, Unscoped):
                found = Path(f"{module}.{name}", b.line, True)
            continue
        model = resolver.project.model(module) if resolver.project is not None else None
        if model is None:
            return UNKNOWN  # a star import we cannot see into may bind anything
        if _exports(model, name):
            found = Path(f"{module}.{name}", b.line, True)
    return found


def _exports(resolver: Resolver, name: str) -> bool:
    """Does ``from this_module import *`` bind ``name``?"""
    names = resolver.module_frame.bindings.get("__all__")
    if names:
        value = getattr(names[0].node, "value", None)
        if isinstance(value, (ast.List, ast.Tuple)):
            return any(isinstance(e, ast.Constant) and e.value == name for e in value.elts)
        return False
    return not name.startswith("_") and name in resolver.module_frame.bindings


def unpacked_value(stmt: ast.Assign, index: int) -> ast.Assign | None:
    """``a, b = x, y`` or ``a, b = [add_arg_scope(op) for op in (f, g)]`` (a project's kept
    wrappers of tf.layers functions): the plain assignment the name at ``index`` amounts to,
    or None."""
    n = len(stmt.targets[0].elts)  # type: ignore[attr-defined]  # a Tuple or List (frames)
    value = stmt.value
    elt: ast.expr | None = None
    if isinstance(value, (ast.Tuple, ast.List)):
        if len(value.elts) == n and not any(isinstance(e, ast.Starred) for e in value.elts):
            elt = value.elts[index]
    elif isinstance(value, ast.ListComp) and len(value.generators) == 1:
        gen = value.generators[0]
        it, target, body = gen.iter, gen.target, value.elt
        if (not gen.ifs and not gen.is_async and isinstance(target, ast.Name)
                and isinstance(it, (ast.Tuple, ast.List)) and len(it.elts) == n
                and not any(isinstance(e, ast.Starred) for e in it.elts)
                and isinstance(body, ast.Call) and len(body.args) == 1 and not body.keywords
                and isinstance(body.args[0], ast.Name) and body.args[0].id == target.id
                and not any(isinstance(x, ast.Name) and x.id == target.id
                            for x in ast.walk(body.func))):
            elt = ast.copy_location(ast.Call(func=body.func, args=[it.elts[index]],
                                             keywords=[]), body)
    if elt is None:
        return None
    return ast.copy_location(
        ast.Assign(targets=[ast.Name(id="_", ctx=ast.Store())], value=elt), stmt)
