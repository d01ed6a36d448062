"""What the plugin knows about tf_slim, TF 1.x contrib and tensorpack, without importing them.

The facts live in ``_tables.py``, generated from the published wheels by
``tools/generate_tables.py``;
this module turns a dotted path, as the user's imports spell it, into one of those facts.
The tables are imported lazily: files that never pass the trigger gate never pay for them.
"""

from __future__ import annotations

from flake8_argscope.record import Frozen
import sys
from functools import lru_cache
import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, Union

    # a library fact about a dotted path
    Fact = Union["Op", "Partial", "Api", "Factory", "Unscoped"]

SLIM = "tf_slim"
CONTRIB = "tf_contrib"
TENSORPACK = "tensorpack"

REGISTRY_LABELS = {
    SLIM: "tf_slim",
    CONTRIB: "tf.contrib",
    TENSORPACK: "tensorpack",
}

# The arg_scope API, by name. Entering a scope, reading the current one, and the rest
# (registration and introspection helpers, which enter no scope).
SCOPE_ENTERING = frozenset({"arg_scope", "argscope"})
SCOPE_READING = frozenset({"current_arg_scope", "get_arg_scope"})
SLIM_API_NAMES = ("arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope",
                  "arg_scoped_arguments", "arg_scope_func_key")
TENSORPACK_API_NAMES = ("argscope", "get_arg_scope", "layer_register",
                        "enable_argscope_for_function", "enable_argscope_for_module",
                        "convert_to_tflayer_args")
API_NAMES = frozenset(SLIM_API_NAMES + TENSORPACK_API_NAMES)


def label(registry: str | None) -> str:
    """How messages name a registry: tf_slim, tf.contrib, tensorpack, or a vendored module."""
    if registry is None:
        return "?"
    return REGISTRY_LABELS.get(registry, registry.split(":", 1)[-1])


def api_label(registry: str | None) -> str:
    """The name of the scope function in that registry: tensorpack's is ``argscope``."""
    return "argscope" if registry == TENSORPACK else "arg_scope"


# tensorpack's alias of TF's v1 API (tensorpack/compat/__init__.py:32-41: tf.compat.v1 on
# every TF that has it), as its examples import it: `from tensorpack import tfv1 as tf`
_ALIASES = (("tf.", "tensorflow."), ("tensorpack.tfv1.", "tensorflow.compat.v1."),
            ("tensorpack.compat.tfv1.", "tensorflow.compat.v1."))


_COMPAT_CONTRIB = "tensorflow.compat.v1.contrib"


def normalise(path: str) -> str:
    """``tf.x`` as users write it in options and imports -> ``tensorflow.x``; tensorpack's
    ``tfv1`` -> ``tensorflow.compat.v1``; ``tensorflow.compat.v1.contrib`` ->
    ``tensorflow.contrib`` (what it is where it exists at all: docs/semantics.md §1.8)."""
    if path.startswith(("tf.", "tensorpack.")):
        for alias, real in _ALIASES:
            if path.startswith(alias):
                path = real + path[len(alias):]
                break
    if path.startswith(_COMPAT_CONTRIB) and path[len(_COMPAT_CONTRIB):len(
            _COMPAT_CONTRIB) + 1] in ("", "."):
        return "tensorflow.contrib" + path[len(_COMPAT_CONTRIB):]
    return path


# Functions of these namespaces are plain functions: never decorated by any registry.
# (TF core has no @add_arg_scope op; tensorpack's enable_argscope_for_module is handled
# by the resolver, which knows when tf.layers was patched.)
UNSCOPED_PREFIXES = (
    "tensorflow.layers.",
    "tensorflow.compat.v1.layers.",
    "tensorflow.compat.v2.",
    "tensorflow.nn.",
    "tensorflow.compat.v1.nn.",
    "tensorflow.keras.",
    "tensorflow.compat.v1.keras.",
    "tensorflow.math.",
    "tensorflow.image.",
    "keras.",
    "tf_keras.",
)

# Library namespaces whose every scoped op is in the tables: another function reached
# through them is certainly not scope-enabled (or does not exist at all).
COMPLETE_PREFIXES = {
    "tf_slim.": SLIM,
    "tensorflow.contrib.slim.": CONTRIB,
    "tensorflow.contrib.layers.": CONTRIB,
    "tensorflow.contrib.framework.": CONTRIB,
}

# Libraries whose functions may call scope-enabled ops (tf_slim's nets call slim.conv2d...)
OP_LIBRARIES = ("tf_slim", "tensorflow.contrib", "tensorpack")

# Roots that belong to the known libraries (never handed to astroid, never imported).
LIBRARY_ROOTS = frozenset({"tensorflow", "tf_slim", "tensorpack", "keras", "tf_keras"})


class Op(Frozen):
    """One scope-enabled function: what the arg_scope machinery and its signature say.

    ``key`` is the arg_scope key (same for aliases, different for different functions);
    ``name`` the function's __name__ (what TypeError messages name); ``use_scope``,
    ``positional_override``, ``legacy_kwargs`` and ``tflayer`` describe tensorpack layers
    (``tflayer``: convert_to_tflayer_args, so listed positionals win, others assert);
    ``defaults`` (parameter, default as source text) pairs; ``aliases`` every
    __name__-like spelling."""

    __slots__ = _fields = (
        "registry", "key", "name", "params", "kwonly", "varargs", "varkw", "signature_known",
        "use_scope", "positional_override", "legacy_kwargs", "tflayer", "defaults", "aliases")
    _defaults = {"params": (), "kwonly": (), "varargs": False, "varkw": False,
                 "signature_known": True, "use_scope": True, "positional_override": (),
                 "legacy_kwargs": (), "tflayer": False, "defaults": (), "aliases": ()}
    _cmp = _fields[:-1]
    registry: str | None  # None: an op named by --argscope-scoped-ops
    key: str
    name: str
    params: tuple[str, ...]
    kwonly: tuple[str, ...]
    varargs: bool
    varkw: bool
    signature_known: bool
    use_scope: object  # as written (True, False, None), "?" (unknown) or tensorpack.FUNCTION
    positional_override: tuple[str, ...]
    legacy_kwargs: tuple[str, ...]
    tflayer: bool
    defaults: tuple[tuple[str, str], ...]
    aliases: tuple[str, ...]

    def rejects(self, kw: str) -> bool:
        """Certainly no parameter ``kw`` (False when the signature is unknown)."""
        if not self.signature_known or self.varkw:
            return False
        return not (kw in self.params or kw in self.kwonly or kw in self.legacy_kwargs)

    def default_text(self, kw: str) -> str | None:
        """The source text of ``kw``'s default, if it has one."""
        for name, text in self.defaults:
            if name == kw:
                return text
        return None


def _def_defaults(args: ast.arguments) -> tuple[tuple[str, str], ...]:
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return tuple((a.arg, ast.unparse(d)) for a, d in pairs)


def op_from_def(node: ast.FunctionDef | ast.AsyncFunctionDef, registry: str | None, key: str,
                known_sig: bool = True, **extra: Any) -> Op:
    """The Op a ``def`` (ast) makes, its signature read from the parameters."""
    args = node.args
    fields = dict(
        registry=registry, key=key, name=node.name,
        params=tuple(a.arg for a in args.posonlyargs + args.args),
        kwonly=tuple(a.arg for a in args.kwonlyargs), varargs=args.vararg is not None,
        varkw=args.kwarg is not None, signature_known=known_sig, aliases=(node.name,),
        defaults=_def_defaults(args))
    fields.update(extra)
    return Op(**fields)


class Partial(Frozen):
    """``slim.relu`` & co.: functools.partial of a scoped op; not itself scope-enabled."""

    __slots__ = _fields = _cmp = ("registry", "name", "target", "bound")
    registry: str
    name: str
    target: Op
    bound: tuple[str, ...]


class Api(Frozen):
    """A function of the arg_scope API itself (arg_scope, add_arg_scope, argscope, ...)."""

    __slots__ = _fields = _cmp = ("registry", "name")
    registry: str
    name: str


class Factory(Frozen):
    """A library function that returns a scope dict (``vgg_arg_scope()``...)."""

    __slots__ = _fields = _cmp = ("registry", "path")
    registry: str
    path: str


class Unscoped(Frozen):
    """A library function that is certainly not scope-enabled."""

    __slots__ = _fields = _cmp = ("path",)
    path: str

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]


def _load() -> ModuleType:
    from flake8_argscope.known import _tables as t

    return t


@lru_cache(maxsize=None)
def _op_from_key(key: str) -> Op:
    t = _load()
    info = t.OPS[key]
    registry = info["registry"]
    names = {info["name"]}
    for alias, target in t.ALIASES.items():
        if target == key:
            names.add(alias.rsplit(".", 1)[-1])
    arg_key = info.get("argscope_key") if registry == TENSORPACK else None
    return Op(
        registry=registry,
        key=f"{registry}:{arg_key or key}",
        name=info["name"],
        params=tuple(info["params"]),
        kwonly=tuple(info.get("kwonly", ())),
        varargs=bool(info.get("varargs")),
        varkw=bool(info.get("varkw")),
        use_scope=info.get("use_scope", True),
        positional_override=tuple(info.get("positional_override", ())),
        legacy_kwargs=tuple(sorted(info.get("legacy_kwargs", {}) or {})),
        tflayer=bool(info.get("positional_override") or info.get("legacy_kwargs")),
        defaults=tuple(sorted(info.get("defaults", {}).items())),
        aliases=tuple(sorted(names)),
    )


def op_for_scope_key(key: str) -> Op | None:
    """The library op a scope entry's key (``Op.key``: registry, then the table's key) is
    for, or None (a project op, a configured one, a tensorpack name)."""
    table_key = key.split(":", 1)[-1]
    if table_key not in _load().OPS:
        return None
    op = _op_from_key(table_key)
    return op if op.key == key else None


def signature_op(path: str, registry: str | None, key: str, **extra: Any) -> Op | None:
    """The Op a library function becomes when wrapped or patched to read a scope, with the
    signature the tables have for it (tf.layers: SIGNATURES), else None."""
    path = normalise(path)
    if path.startswith("tensorflow.compat.v1.layers."):
        path = "tensorflow.layers." + path[len("tensorflow.compat.v1.layers."):]
    info = _load().SIGNATURES.get(path)
    if info is None:
        return None
    return Op(registry=registry, key=key, name=info["name"], params=tuple(info["params"]),
              kwonly=tuple(info["kwonly"]), varargs=info["varargs"], varkw=info["varkw"],
              defaults=tuple(sorted(info["defaults"].items())), aliases=(info["name"],),
              **extra)


def _entry(path: str) -> Op | Partial | None:
    t = _load()
    if path in t.OPS:
        return _op_from_key(path)
    if path in t.ALIASES:
        return _op_from_key(t.ALIASES[path])
    if path in t.PARTIALS:
        p = t.PARTIALS[path]
        return Partial(
            registry=p["registry"],
            name=path.rsplit(".", 1)[-1],
            target=_entry(p["of"]),
            bound=tuple(sorted(p["bound"])),
        )
    return None


@lru_cache(maxsize=None)
def table_names() -> frozenset[str]:
    """Final names of every path the tables know (ops, aliases, partials, API, factories)."""
    t = _load()
    paths = list(t.PATHS) + list(t.API) + list(t.FACTORIES)
    return frozenset(p.rsplit(".", 1)[-1] for p in paths) | API_NAMES


@lru_cache(maxsize=4096)
def lookup(path: str) -> Fact | None:
    """Dotted path (``tensorflow.contrib.slim.conv2d``) -> Op | Partial | Api | Factory |
    Unscoped | None (unknown: stay silent)."""
    t = _load()
    if path.endswith(".__wrapped__"):
        # the raw function: its str() is the arg_scope key, so has_arg_scope() is True
        # (docs/semantics.md §1.6); calls of it do not read the scope (None: silent)
        inner = lookup(path[: -len(".__wrapped__")])
        return inner if isinstance(inner, Op) else None
    target = t.PATHS.get(path)
    if target is not None:
        return _entry(target)
    api = t.API.get(path)
    if api is not None:
        return Api(registry=api[0], name=api[1])
    registry = t.FACTORIES.get(path)
    if registry is not None:
        return Factory(registry=registry, path=path)
    for prefix in UNSCOPED_PREFIXES:
        if path.startswith(prefix):
            return Unscoped(path)
    for prefix in COMPLETE_PREFIXES:
        if path.startswith(prefix):
            return Unscoped(path)
    return None


def is_library_path(path: str) -> bool:
    return path.split(".", 1)[0] in LIBRARY_ROOTS


def _stdlib_names() -> frozenset[str]:
    """The standard library's top-level modules. Python 3.9 has no sys.stdlib_module_names:
    list its stdlib directories instead, so imports resolve the same way on every Python."""
    names = getattr(sys, "stdlib_module_names", None)
    if names is not None:
        return frozenset(names)
    import os
    import sysconfig

    found = set(sys.builtin_module_names)
    stdlib = sysconfig.get_paths()["stdlib"]
    for folder in (stdlib, os.path.join(stdlib, "lib-dynload")):
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            stem = entry.split(".", 1)[0]
            if stem.isidentifier() and entry != "site-packages":
                found.add(stem)
    return frozenset(found)


_STDLIB = _stdlib_names()


def is_outside_project(path: str) -> bool:
    """A path into a known library or the standard library: never a project module."""
    root = path.split(".", 1)[0]
    return root in LIBRARY_ROOTS or root in _STDLIB
