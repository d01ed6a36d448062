"""What a name can resolve to, and what a resolved name is classified as.

Resolution (``Resolver.resolve_expr``) gives a *symbol*: ``Path``, ``LocalDef``,
``Wrapped``, ``ScopeRef``, ``Builtin``, or None (unknown: every rule stays silent about it).
Classification (``Resolver.classify``) turns a symbol into a *target*: the library facts of
``known`` (``Op``, ``Partial``, ``Api``, ``Factory``, ``Unscoped``), or, for the project's own
defs, ``LocalOp`` / ``PlainFunc``; a ``ScopeRef`` or ``Builtin`` stays itself.
"""

from __future__ import annotations

from flake8_argscope.record import Frozen

UNKNOWN = None


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


class LocalOp(Frozen):
    """An op defined in the project (scope-enabled by a decorator or wrapper call)."""

    __slots__ = _fields = _cmp = ("op",)


class PlainFunc(Frozen):
    """A function that is certainly not scope-enabled. ``registered``: add_arg_scope(f)
    ran on it, so its key is registered anyway (arg_scope([f]) does not raise)."""

    __slots__ = _fields = _cmp = ("name", "path", "registered")
    _defaults = {"registered": None}
