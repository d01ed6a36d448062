"""Names -> what they are: library paths, this file's defs, scope dicts.

Resolution is syntactic and conservative: a name bound more than once in a way that
disagrees, bound by something we cannot follow, or shadowed by a comprehension, resolves
to None and every rule stays silent about it.
"""

from __future__ import annotations

import ast
import builtins
import re
from flake8_argscope.record import Frozen

from flake8_argscope import known
from flake8_argscope.frames import Frame, build_frame
from flake8_argscope.known import (
    CONTRIB, SLIM, TENSORPACK, Api, Factory, Op, Partial, Unscoped,
)

_BUILTINS = frozenset(dir(builtins))
TF_LAYERS_MODULES = ("tensorflow.layers", "tensorflow.compat.v1.layers")
# tensorpack API the generated tables lack: convert_to_tflayer_args is in no __all__
# (models/tflayer.py:12), so it is reachable only as a from-import of its module
_TENSORPACK_EXTRA_API = {
    "tensorpack.models.tflayer.convert_to_tflayer_args": Api(TENSORPACK, "convert_to_tflayer_args"),
}
_ADD_ARG_SCOPE_CALL = re.compile(r"add_arg_scope\s*\(\s*\w+\s*\)")
# use_scope of a plain function made scope-enabled by tensorpack's enable_argscope_for_*:
# no layer name comes first, positional args map straight onto the parameters
FUNCTION = "function"


# ---------------------------------------------------------------- symbols
class Path(Frozen):
    """A dotted path into an imported module (library or not); ``line`` of the binding
    import (0: attribute access at use time)."""

    __slots__ = _fields = _cmp = ("path", "line", "from_import")

    def __init__(self, path, line=0, from_import=False):  # hot: no generic init
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "from_import", from_import)

    def _key(self):
        return (Path, self.path, self.line, self.from_import)


class Builtin(Frozen):
    __slots__ = _fields = _cmp = ("name",)


class LocalDef(Frozen):
    """A def of this file or of a project module, with the frame it lives in."""

    __slots__ = _fields = _cmp = ("node", "frame")

    def _key(self):
        return (LocalDef, id(self.node))


class Wrapped(Frozen):
    """``g = add_arg_scope(f)`` / ``g = enable_argscope_for_function(f)``."""

    __slots__ = _fields = ("registry", "inner", "node", "frame")
    _defaults = {"frame": None}
    _cmp = ("registry", "inner")

    def _key(self):
        return (Wrapped, self.registry, id(self.node))


class ScopeRef(Frozen):
    """A name bound to a scope dict: ``as sc`` or ``sc = factory()`` (the withitem or
    assign node)."""

    __slots__ = _fields = _cmp = ("binding_node",)

    def _key(self):
        return (ScopeRef, id(self.binding_node))


UNKNOWN = None
_COMMON_TFARGS = (("nl", "activation"), ("W_init", "kernel_initializer"),
                  ("b_init", "bias_initializer"))
UNKNOWN_PATCH = object()  # a module function that a tensorpack patch may have replaced


# ---------------------------------------------------------------- targets
class LocalOp(Frozen):
    """An op defined in this file (scope-enabled by a decorator or wrapper call)."""

    __slots__ = _fields = _cmp = ("op",)


class PlainFunc(Frozen):
    """A function that is certainly not scope-enabled. ``registered``: add_arg_scope(f)
    ran on it, so its key is registered anyway (arg_scope([f]) does not raise)."""

    __slots__ = _fields = _cmp = ("name", "path", "registered")
    _defaults = {"registered": None}


def _is_str_const(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


class Resolver:
    """Resolution for one module. Frames know their resolver, so a symbol found in another
    project module is resolved, classified and evaluated by that module's resolver."""

    def __init__(self, tree: ast.Module, config, project=None, current=None, source=None):
        self.tree = tree
        # the text, when known, lets whole-tree scans be skipped: most files never call
        # add_arg_scope(f) or enable_argscope_for_module(...)
        self.source = source
        self._walrus = source is None or ":=" in source  # frames must look into expressions
        self._module_names: dict = {}
        self._paths: dict = {}
        self.config = config
        self.project = project
        self.current = current  # (dotted module name, is_package) when known
        self.frames: dict[int, Frame] = {}
        self._busy: set = set()
        self._def_info: dict[int, object] = {}
        self.api_overrides = dict(config.api_paths)
        self.extra_ops = config.scoped_ops
        self._registered_raw = None
        self._patches = None
        self.module_frame = self.frame_for(tree, None)

    # ------------------------------------------------------------ frames
    def frame_for(self, node, parent: Frame | None) -> Frame:
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
    def resolve_name(self, name: str, frame: Frame, shadow=frozenset()):
        if name in shadow:
            return UNKNOWN
        if frame.resolver is not self:
            return frame.resolver.resolve_name(name, frame, shadow)
        return self._resolve_name(name, frame)

    def _resolve_name(self, name: str, frame: Frame):
        f = frame
        first = True
        while f is not None:
            if name in f.declared_global and not f.is_module:
                f = self.module_frame
                continue
            if f.is_class and not first:
                f = f.parent
                continue
            if name in f.bindings:
                return self._from_bindings(name, f)
            first = False
            f = f.parent
        star = self._star_lookup(name)
        if star is not None:
            return star
        if name in _BUILTINS:
            return Builtin(name)
        return UNKNOWN

    def _star_lookup(self, name):
        stars = self.module_frame.bindings.get("*")
        if not stars:
            return UNKNOWN
        found = UNKNOWN
        for b in stars:
            module = b.path
            if module is None and self.project is not None:
                module = self.project.absolute(b.level, b.module, self.current)
            if module is None:
                return UNKNOWN
            if known.is_library_path(module):
                target = known.lookup(f"{module}.{name}")
                if target is not None and not isinstance(target, Unscoped):
                    found = Path(f"{module}.{name}", b.line, True)
                continue
            model = self.project.model(module) if self.project is not None else None
            if model is None:
                return UNKNOWN  # a star import we cannot see into may bind anything
            if model.exports(name):
                found = Path(f"{module}.{name}", b.line, True)
        return found

    def exports(self, name: str) -> bool:
        """Does ``from this_module import *`` bind ``name``?"""
        names = self.module_frame.bindings.get("__all__")
        if names:
            value = getattr(names[0].node, "value", None)
            if isinstance(value, (ast.List, ast.Tuple)):
                return any(isinstance(e, ast.Constant) and e.value == name for e in value.elts)
            return False
        return not name.startswith("_") and name in self.module_frame.bindings

    def deref(self, sym, force=False):
        """A Path into a project module -> the symbol that module binds there.

        Without ``force`` only modules that can define ops or scopes (their text mentions
        arg_scope & co.) or that re-export the name are parsed: most imports of a project
        lead to modules that matter to no rule, and parsing them would double flake8's own
        parsing. ``force`` is for the places that need certainty (arg_scope elements,
        look-alike calls under a scope, factories)."""
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
        if model is None:
            return sym
        project._depth += 1
        try:
            found = model.resolve_name(rest[0], model.module_frame)
            for attr in rest[1:]:
                if isinstance(found, Path):
                    found = Path(f"{found.path}.{attr}", found.line, found.from_import)
                    found = model.deref(found, force)
                else:
                    return UNKNOWN
            return found
        finally:
            project._depth -= 1

    def _from_bindings(self, name: str, frame: Frame):
        bindings = frame.bindings[name]
        if frame.is_module:
            # module-level names mean the same everywhere in the file: resolve once
            cache = self._module_names
            if name not in cache:
                cache[name] = self._module_binding(name, bindings, frame)
            return cache[name]
        if len(bindings) != 1:
            return UNKNOWN
        return self._one_binding(bindings[0], frame)

    def _module_binding(self, name, bindings, frame):
        syms = []
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
        targets = {self._identity(s) for s in syms}
        if len(targets) == 1 and None not in targets:
            return syms[-1]
        return UNKNOWN

    def _identity(self, sym):
        if isinstance(sym, Path):
            t = self.lookup_path(sym.path, sym)
            if isinstance(t, Op):
                return t.key
            return t if isinstance(t, (Api,)) else ("path", sym.path)
        return None

    def _one_binding(self, b, frame):
        kind = b.kind
        if kind in ("import", "from"):
            if b.path is None:
                return self._relative(b, frame)
            return Path(b.path, b.line, kind == "from")
        if kind == "def":
            return LocalDef(b.node, frame)
        if kind == "withas":
            return ScopeRef(b.node)
        if kind == "assign":
            key = ("assign", id(b.node))
            if key in self._busy:
                return UNKNOWN
            self._busy.add(key)
            try:
                return self._assigned(b.node, frame)
            finally:
                self._busy.discard(key)
        return UNKNOWN

    def _relative(self, b, frame):
        if self.project is None:
            return UNKNOWN
        path = self.project.absolute(b.level, b.module, self.current)
        return Path(path, b.line, True) if path else UNKNOWN

    def _assigned(self, node, frame):
        value = node.value
        if isinstance(value, (ast.Name, ast.Attribute)):
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
            # ``sc = my_factory()`` with a factory of this project stays unknown: only the
            # analysis knows which defs are factories, and a wrong "dict" would mean ASC404
        return UNKNOWN

    def resolve_expr(self, node, frame: Frame, shadow=frozenset()):
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
                return Path(".".join([base.path] + attrs[::-1]), base.line, base.from_import)
            return UNKNOWN
        return UNKNOWN

    # ------------------------------------------------------------ classification
    def lookup_path(self, path: str, sym: Path | None = None):
        key = (path, sym.from_import, sym.line) if sym is not None else (path, False, 0)
        found = self._paths.get(key, self)
        if found is self:
            found = self._paths[key] = self._lookup_path(path, sym)
        return found

    def _lookup_path(self, path: str, sym: Path | None = None):
        path = _normalise(path)
        if path in self.api_overrides:
            return self.api_overrides[path]
        if path in self.extra_ops:
            return self.extra_ops[path]
        if path in _TENSORPACK_EXTRA_API:
            return _TENSORPACK_EXTRA_API[path]
        patched = self._tensorpack_patched(path, sym)
        if patched is UNKNOWN_PATCH:
            return None
        if patched is not None:
            return patched
        if self.project is not None and not known.is_library_path(path):
            found = self.deref(sym if sym is not None and sym.path == path else Path(path))
            if found is not UNKNOWN and not (isinstance(found, Path) and found.path == path):
                return self.classify(found)
            if found is UNKNOWN:
                return None
        return known.lookup(path)

    def classify(self, sym):
        """Symbol -> Op | Partial | Api | Factory | Unscoped | LocalOp | PlainFunc |
        LocalFactory info | ScopeRef | Builtin | None."""
        if sym is None:
            return None
        if isinstance(sym, Path):
            return self.lookup_path(sym.path, sym)
        if isinstance(sym, LocalDef):
            return sym.frame.resolver.def_info(sym)
        if isinstance(sym, Wrapped):
            return sym.frame.resolver._wrapped_info(sym)
        return sym

    # ------------------------------------------------------------ local defs
    def def_info(self, sym: LocalDef):
        key = id(sym.node)
        if key in self._def_info:
            return self._def_info[key]
        self._def_info[key] = None  # recursion guard
        info = self._compute_def_info(sym)
        self._def_info[key] = info
        return info

    def _compute_def_info(self, sym: LocalDef):
        node = sym.node
        if sym.frame.is_class:
            return None  # methods: `self` shifts every position; stay out
        registries = []
        layer = None
        tflayer = None
        enabled = False
        other = False
        for deco in node.decorator_list:
            target = self.classify(self.resolve_expr(
                deco.func if isinstance(deco, ast.Call) else deco, sym.frame))
            if isinstance(target, Api) and target.name == "add_arg_scope" and not isinstance(
                    deco, ast.Call):
                registries.append(target.registry)
            elif isinstance(target, Api) and target.name == "enable_argscope_for_function" and (
                    not isinstance(deco, ast.Call)):
                enabled = True  # the wrapper merges get_arg_scope()[f.__name__] (§3.4)
            elif isinstance(target, Api) and target.name == "layer_register" and isinstance(
                    deco, ast.Call):
                layer = deco
            elif isinstance(target, Api) and target.name == "convert_to_tflayer_args":
                tflayer = deco
            else:
                other = True
        if layer is not None:
            return LocalOp(self._tensorpack_layer(node, layer, tflayer, other))
        if enabled:
            if other or len(node.decorator_list) != 1:
                return LocalOp(Op(registry=TENSORPACK, key=f"{TENSORPACK}:{node.name}",
                                  name=node.name, signature_known=False, use_scope=FUNCTION,
                                  aliases=(node.name,)))
            op = _signature_op(node, TENSORPACK, f"{TENSORPACK}:{node.name}")
            return LocalOp(Op(
                registry=TENSORPACK, key=op.key, name=op.name, params=op.params,
                kwonly=op.kwonly, varargs=op.varargs, varkw=op.varkw, use_scope=FUNCTION,
                aliases=(node.name,)))
        if registries:
            registry = registries[0]
            if len(set(registries)) > 1:
                return None
            return LocalOp(_signature_op(
                node, registry, f"{registry}:local:{node.name}:{node.lineno}",
                known_sig=not other))
        if other or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        registry = self._registered(node)
        op = None
        if registry is not None:
            op = _signature_op(node, registry, f"{registry}:local:{node.name}:{node.lineno}")
        return PlainFunc(node.name, node.name, op)

    def _tensorpack_layer(self, node, layer_call, tflayer, other):
        use_scope = True
        for kw in layer_call.keywords:
            if kw.arg == "use_scope":
                use_scope = kw.value.value if isinstance(kw.value, ast.Constant) else "?"
        override = ()
        legacy = ()
        if tflayer is not None and isinstance(tflayer, ast.Call):
            # convert_to_tflayer_args(args_names, name_mapping): positional or keyword
            given = dict(zip(("args_names", "name_mapping"), tflayer.args))
            given.update((kw.arg, kw.value) for kw in tflayer.keywords if kw.arg)
            names = given.get("args_names")
            mapping = given.get("name_mapping")
            if isinstance(names, (ast.List, ast.Tuple)) and all(
                    _is_str_const(e) for e in names.elts):
                override = tuple(e.value for e in names.elts)
            else:
                other = True  # unknown args_names: which positionals win is unknown
            if isinstance(mapping, ast.Dict) and all(
                    k is not None and _is_str_const(k) for k in mapping.keys):
                legacy = tuple(k.value for k in mapping.keys)
            else:
                other = True  # unknown renames: accepted keywords are unknown
            # map_common_tfargs renames these for every such layer (tflayer.py:15-30); the
            # new name must still be a parameter, else the call raises TypeError
            args = node.args
            accepted = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
            legacy = legacy + tuple(old for old, new in _COMMON_TFARGS
                                    if new in accepted or args.kwarg is not None)
        elif tflayer is not None:
            other = True
        op = _signature_op(node, TENSORPACK, f"{TENSORPACK}:{node.name}",
                           known_sig=not other and use_scope != "?")
        return Op(
            registry=op.registry, key=op.key, name=op.name, params=op.params,
            kwonly=op.kwonly, varargs=op.varargs, varkw=op.varkw,
            signature_known=op.signature_known, use_scope=use_scope,
            positional_override=override, legacy_kwargs=legacy,
            aliases=(node.name,), tflayer=tflayer is not None)

    def _wrapped_info(self, sym: Wrapped):
        inner = self.classify(sym.inner)
        if sym.registry == TENSORPACK:
            name = _final_name(sym.node.args[0]) if sym.node.args else None
            node = self._def_node(sym.inner) if isinstance(inner, PlainFunc) else None
            if node is not None and name:
                op = _signature_op(node, TENSORPACK, f"{TENSORPACK}:{node.name}")
                return LocalOp(Op(
                    registry=TENSORPACK, key=op.key, name=op.name, params=op.params,
                    kwonly=op.kwonly, varargs=op.varargs, varkw=op.varkw,
                    use_scope=FUNCTION, aliases=(node.name,)))
            if name:
                return LocalOp(Op(registry=TENSORPACK, key=f"{TENSORPACK}:{name}", name=name,
                                  signature_known=False, use_scope=FUNCTION, aliases=(name,)))
            return None
        node = self._def_node(sym.inner) if isinstance(inner, PlainFunc) else None
        if node is not None:
            return LocalOp(_signature_op(
                node, sym.registry, f"{sym.registry}:local:{node.name}:{node.lineno}"))
        if isinstance(inner, (Op, LocalOp)):
            return inner
        return None

    def _def_node(self, sym):
        sym = self.deref(sym, force=True) if isinstance(sym, Path) else sym
        return sym.node if isinstance(sym, LocalDef) else None

    def _registered(self, node):
        """add_arg_scope(f) anywhere in the file registers f's key even when the result is
        discarded (ARG_SCOPE_SEMANTICS §1.6: has_arg_scope is True for the raw function)."""
        if self._registered_raw is None:
            self._registered_raw = {}
            if self.source is not None and not _ADD_ARG_SCOPE_CALL.search(self.source):
                return None
            for call in ast.walk(self.tree):
                if isinstance(call, ast.Call) and len(call.args) == 1 and isinstance(
                        call.args[0], ast.Name) and "arg_scope" in (
                        _final_name(call.func) or ""):
                    target = self.classify(self.resolve_expr(call.func, self.module_frame))
                    if isinstance(target, Api) and target.name == "add_arg_scope":
                        self._registered_raw[call.args[0].id] = target.registry
        return self._registered_raw.get(node.name)

    # ------------------------------------------------------------ factories
    # ------------------------------------------------------------ tensorpack patches
    def _tensorpack_patched(self, path, sym):
        """``enable_argscope_for_module(tf.layers)`` at module level patches every function
        of that module; names imported from it before the patch keep the plain function.
        Only plain functions are patched (``inspect.isfunction``, §3.4): ``tf.layers.Conv2D``
        and the other classes stay unpatched. A call we cannot place (inside a def, an
        ``if``...) may or may not have run: the module's functions are then unknown."""
        if self._patches is None:
            self._patches = []
            if self.source is not None and "enable_argscope_for_module" not in self.source:
                return None
            module_level = {id(stmt.value) for stmt in self.tree.body
                            if isinstance(stmt, ast.Expr)}
            for call in ast.walk(self.tree):
                if not (isinstance(call, ast.Call) and call.args):
                    continue
                if "enable_argscope_for_module" not in (_final_name(call.func) or ""):
                    continue
                target = self.classify(self.resolve_expr(call.func, self.module_frame))
                if not (isinstance(target, Api) and target.name == "enable_argscope_for_module"):
                    continue
                mod = self.resolve_expr(call.args[0], self.module_frame)
                certain = id(call) in module_level
                if not isinstance(mod, Path):
                    self._patches.append((call.lineno, None, certain))
                    continue
                mods = {_normalise(mod.path)}
                if mods & set(TF_LAYERS_MODULES):
                    mods |= set(TF_LAYERS_MODULES)
                self._patches.append((call.lineno, frozenset(mods), certain))
        if not self._patches:
            return None
        module, _, name = path.rpartition(".")
        for line, mods, certain in self._patches:
            if mods is None:  # enable_argscope_for_module(<unresolved>): any module
                return UNKNOWN_PATCH if isinstance(known.lookup(path), Unscoped) else None
            if module not in mods:
                continue
            if name[:1].isupper():
                return Unscoped(path)  # a class: not a plain function, never patched
            if not certain:
                return UNKNOWN_PATCH
            if sym is not None and sym.from_import and sym.line < line:
                return Unscoped(path)
            return Op(registry=TENSORPACK, key=f"{TENSORPACK}:{name}", name=name,
                      signature_known=False, use_scope=FUNCTION, aliases=(name,))
        return None

    @property
    def patches_module_level(self) -> bool:
        """Does this file patch tf.layers (or another module) at module level?"""
        self._tensorpack_patched("", None)
        return any(certain for _line, _mods, certain in self._patches)


def _normalise(path: str) -> str:
    if path.startswith("tf."):
        return "tensorflow." + path[3:]
    return path


def _final_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _signature_op(node, registry, key, known_sig=True) -> Op:
    args = node.args
    params = tuple(a.arg for a in args.posonlyargs + args.args)
    return Op(
        registry=registry, key=key, name=node.name, params=params,
        kwonly=tuple(a.arg for a in args.kwonlyargs), varargs=args.vararg is not None,
        varkw=args.kwarg is not None, signature_known=known_sig, aliases=(node.name,))


__all__ = [
    "Resolver", "Path", "Builtin", "LocalDef", "Wrapped", "ScopeRef", "LocalOp", "PlainFunc",
    "Op", "Partial", "Api", "Factory", "Unscoped", "SLIM", "CONTRIB", "TENSORPACK",
]
