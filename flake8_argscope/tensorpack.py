"""tensorpack's ways of making a function scope-enabled (docs/semantics.md §3).

- ``@layer_register(use_scope=...)`` layers, with ``@convert_to_tflayer_args`` renames and
  positionals that win over the scope (§3.2, §3.3);
- ``enable_argscope_for_function(f)``: a wrapper keyed by ``f.__name__`` (§3.4);
- ``enable_argscope_for_module(m)``: every plain function of ``m`` patched, for the whole
  process, from the call on (§3.4).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.known import TENSORPACK, Api, Op, Partial, Unscoped, op_from_def
from flake8_argscope.model.held import assigned_only
from flake8_argscope.symbols import LocalOp
from flake8_argscope.syntax import final_name

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.resolve import Resolver
    from flake8_argscope.symbols import Path

TF_LAYERS_MODULES = ("tensorflow.layers", "tensorflow.compat.v1.layers")
# convert_to_tflayer_args is in no __all__ (models/tflayer.py:12): reachable only as a
# from-import of its module, so the generated tables lack it
EXTRA_API = {
    "tensorpack.models.tflayer.convert_to_tflayer_args": Api(TENSORPACK, "convert_to_tflayer_args"),
}
# use_scope of a plain function made scope-enabled by enable_argscope_for_*: no layer name
# comes first, positional args map straight onto the parameters
FUNCTION = "function"
# map_common_tfargs renames these for every convert_to_tflayer_args layer (tflayer.py:15-30)
_COMMON_TFARGS = (("nl", "activation"), ("W_init", "kernel_initializer"),
                  ("b_init", "bias_initializer"))


class _UnknownPatch:
    """A module function that a patch we cannot place may have replaced."""

    def __repr__(self) -> str:
        return "UNKNOWN_PATCH"


UNKNOWN_PATCH = _UnknownPatch()


def _is_str_const(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def function_op(node: ast.FunctionDef | ast.AsyncFunctionDef | None, name: str,
                known_sig: bool = True) -> Op:
    """A function made scope-enabled by enable_argscope_for_function: keyed by its
    ``__name__``; ``node`` None when its def is not visible (signature unknown)."""
    key = f"{TENSORPACK}:{name}"
    if node is None or not known_sig:
        return Op(registry=TENSORPACK, key=key, name=name, signature_known=False,
                  use_scope=FUNCTION, aliases=(name,))
    return op_from_def(node, TENSORPACK, key, use_scope=FUNCTION)


def layer_op(node: ast.FunctionDef | ast.AsyncFunctionDef, layer_call: ast.Call,
             tflayer: ast.expr | None, other: bool) -> Op:
    """A ``@layer_register(...)`` def; ``tflayer`` its ``@convert_to_tflayer_args(...)``
    decorator (or None); ``other``: some decorator we cannot see into."""
    use_scope: object = True
    for kw in layer_call.keywords:
        if kw.arg == "use_scope":
            use_scope = kw.value.value if isinstance(kw.value, ast.Constant) else "?"
    override: tuple[str, ...] = ()
    legacy: tuple[str, ...] = ()
    if tflayer is not None and isinstance(tflayer, ast.Call):
        # convert_to_tflayer_args(args_names, name_mapping): positional or keyword
        given = dict(zip(("args_names", "name_mapping"), tflayer.args))
        given.update((kw.arg, kw.value) for kw in tflayer.keywords if kw.arg)
        names = given.get("args_names")
        mapping = given.get("name_mapping")
        if isinstance(names, (ast.List, ast.Tuple)) and all(
                _is_str_const(e) for e in names.elts):
            # str constants (checked above): mypy cannot narrow list items
            override = tuple(e.value for e in names.elts)  # type: ignore[attr-defined]
        else:
            other = True  # unknown args_names: which positionals win is unknown
        if isinstance(mapping, ast.Dict) and all(
                k is not None and _is_str_const(k) for k in mapping.keys):
            legacy = tuple(k.value for k in mapping.keys)  # type: ignore[union-attr]  # same
        else:
            other = True  # unknown renames: accepted keywords are unknown
        # the new name must still be a parameter, else the call raises TypeError
        args = node.args
        accepted = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
        legacy = legacy + tuple(old for old, new in _COMMON_TFARGS
                                if new in accepted or args.kwarg is not None)
    elif tflayer is not None:
        other = True
    return op_from_def(
        node, TENSORPACK, f"{TENSORPACK}:{node.name}", known_sig=not other and use_scope != "?",
        use_scope=use_scope, positional_override=override, legacy_kwargs=legacy,
        tflayer=tflayer is not None)


class Patches:
    """``enable_argscope_for_module(...)`` calls of one module. At module level they patch
    every plain function of that module (``inspect.isfunction``: classes such as
    ``tf.layers.Conv2D`` stay unpatched); names imported from it before the call keep the
    plain function. A call we cannot place (inside a def, an ``if``...) may or may not have
    run: the module's functions are then unknown."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        # (line, modules | None, at module level)
        self._calls: list[tuple[int, frozenset[str] | None, bool]] | None = None

    def _collect(self, calls: list[tuple[int, frozenset[str] | None, bool]]) -> None:
        from flake8_argscope.symbols import Path

        resolver = self.resolver
        if resolver.source is not None and "enable_argscope_for_module" not in resolver.source:
            return
        tree = resolver.tree
        module_level = {id(stmt.value) for stmt in tree.body if isinstance(stmt, ast.Expr)}
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and call.args):
                continue
            if "enable_argscope_for_module" not in final_name(call.func):
                continue
            target = resolver.classify(resolver.resolve_expr(call.func, resolver.module_frame))
            if not (isinstance(target, Api) and target.name == "enable_argscope_for_module"):
                continue
            mod = resolver.resolve_expr(call.args[0], resolver.module_frame)
            certain = id(call) in module_level
            if not isinstance(mod, Path):
                calls.append((call.lineno, None, certain))
                continue
            mods = {known.normalise(mod.path)}
            if mods & set(TF_LAYERS_MODULES):
                mods |= set(TF_LAYERS_MODULES)
            calls.append((call.lineno, frozenset(mods), certain))

    @property
    def calls(self) -> list[tuple[int, frozenset[str] | None, bool]]:
        if self._calls is None:
            self._calls = []  # filled in place: a lookup while collecting sees what is known
            self._collect(self._calls)
        return self._calls

    def lookup(self, path: str, sym: Path | None) -> Op | Unscoped | _UnknownPatch | None:
        """What a patch makes of ``path``: an Op, Unscoped, UNKNOWN_PATCH, or None (no
        patch applies)."""
        calls = self.calls
        if not calls:
            return None
        module, _, name = path.rpartition(".")
        for line, mods, certain in calls:
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
            # the wrapper calls the function itself: its signature, where the tables have it
            op = known.signature_op(path, TENSORPACK, f"{TENSORPACK}:{name}", use_scope=FUNCTION)
            return op or function_op(None, name)
        return None

    @property
    def module_level(self) -> bool:
        """Does this module patch tf.layers (or another module) at module level?"""
        return any(certain for _line, _mods, certain in self.calls)


def maybe_patched_elsewhere(resolver: Resolver, target: Unscoped) -> bool:
    """A tf.layers function in a tensorpack argscope: ``enable_argscope_for_module``
    patches the module for the whole process, so without a module-level patch in this
    file another module may have patched it (§3.4)."""
    module, _, name = known.normalise(target.path).rpartition(".")
    if module not in TF_LAYERS_MODULES or name[:1].isupper():
        return False  # not tf.layers, or a class (classes are never patched)
    return not resolver.patches.module_level


def layer_name_offset(resolver: Resolver, call: ast.Call, op: Op, frame: Frame) -> int | None:
    """How many leading positional args are not parameters (tensorpack's layer name),
    or None when it cannot be known."""
    if op.registry != TENSORPACK or op.use_scope == FUNCTION:
        return 0
    first = call.args[0] if call.args else None
    is_name = isinstance(first, ast.Constant) and isinstance(first.value, str)
    if op.use_scope is True:
        return 1
    if is_name:
        return 1
    if isinstance(first, ast.Constant) or first is None:
        return 0
    if _not_a_str(resolver, first, frame, 2):
        return 0  # use_scope None/False: only a str first argument is a layer name
    return None  # use_scope None/False: a string variable would be the layer name


# tf namespaces whose functions return tensors (never a Python str)
_TENSOR_PREFIXES = ("tensorflow.nn.", "tensorflow.compat.v1.nn.", "tensorflow.layers.",
                    "tensorflow.compat.v1.layers.", "tensorflow.math.", "tensorflow.image.")


def _not_a_str(resolver: Resolver, node: ast.expr, frame: Frame, depth: int) -> bool:
    """True when ``node`` certainly does not evaluate to a ``str`` (registry.py:137-147
    takes a use_scope=None layer's first argument as its name only when it is a str)."""
    if isinstance(node, (ast.List, ast.Tuple, ast.ListComp, ast.Dict, ast.Set)):
        return True
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, str)
    if isinstance(node, ast.Call):
        target = resolver.target_of(node.func, frame)
        if isinstance(target, (Op, LocalOp, Partial)):
            return True  # a layer: returns tensors
        return isinstance(target, Unscoped) and target.path.startswith(_TENSOR_PREFIXES)
    if isinstance(node, ast.Name) and depth > 0 and not frame.is_module:
        found = assigned_only(node.id, frame, mutated_ok=True)  # (a str has no attributes)
        if found is None or found[1] is not frame:
            return False
        for b in found[0]:
            value = getattr(b.node, "value", None)
            if value is None or not _not_a_str(resolver, value, frame, depth - 1):
                return False
        return True
    return False
