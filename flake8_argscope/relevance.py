"""Which calls of a file are worth resolving: ``lib.module.f(...)`` where ``f`` is no name
any table knows is a library function no rule is about. Most calls of a file are such;
skipping their resolution is the plugin's main saving."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.model.forwarding import META_OPS
from flake8_argscope.symbols import Path

if TYPE_CHECKING:
    from flake8_argscope.api import Config
    from flake8_argscope.model.scopes import Scopes
    from flake8_argscope.resolve import Resolver

_META_OP_ROOTS = ("tf_slim", "tensorflow")  # the root the module binds: tf_slim, tf
# what the root name of an attribute call is bound to at module level
_SKIP, _RESOLVE, _LIBRARY, _META_LIBRARY = "skip", "resolve", "library", "meta-op library"


class Uninteresting:
    """One file's test, with the kind of each root name cached."""

    def __init__(self, resolver: Resolver, config: Config, source: str | None) -> None:
        self.resolver = resolver
        self._names = known.table_names() | frozenset(
            p.rsplit(".", 1)[-1] for p in list(config.scoped_ops) + list(config.api_paths))
        self._patched = source is None or "enable_argscope_for_module" in source
        self._roots: dict[str, str] = {}  # root name -> _SKIP | _RESOLVE | _LIBRARY | ...

    def __call__(self, func: ast.Attribute, scopes: Scopes, observed: bool) -> bool:
        """Can the call of ``func`` be skipped (unless an active scope lists an op of that
        name: ASC302)? ``observed``: explain sees every call of a meta-op."""
        if func.attr in self._names or self._patched:
            return False
        root = func.value
        while type(root) is ast.Attribute:
            root = root.value
        if type(root) is not ast.Name:
            return False
        kind = self._roots.get(root.id)
        if kind is None:
            kind = self._roots[root.id] = self._root_kind(root.id)
        if kind is _SKIP:
            return True
        if kind is _RESOLVE:
            return False
        if kind is _META_LIBRARY and func.attr in META_OPS:
            # slim.repeat / slim.stack (not tf.stack)
            return not scopes.active() and not observed
        return not scopes.names_listed(func.attr)

    def _root_kind(self, name: str) -> str:
        """What the module binds ``name`` to."""
        # the root as the module binds it: a local that shadows it (or any local root such
        # as self/net/x) is skipped too, which is only ever silence
        module = self.resolver.module_frame
        if name not in module.bindings:
            return _SKIP
        sym = self.resolver.resolve_name(name, module)
        if sym is None:
            return _SKIP  # unresolved root: nothing to say
        if not isinstance(sym, Path) or not known.is_outside_project(sym.path):
            return _RESOLVE  # a project module: its functions may be ops
        return _META_LIBRARY if sym.path.startswith(_META_OP_ROOTS) else _LIBRARY
