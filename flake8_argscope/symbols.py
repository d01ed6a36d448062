"""What a name can resolve to, and what a resolved name is classified as.

Resolution (``Resolver.resolve_expr``) gives a *symbol*: ``Path``, ``LocalDef``,
``Wrapped``, ``ScopeRef``, ``Builtin``, or None (unknown: every rule stays silent about it).
Classification (``Resolver.classify``) turns a symbol into a *target*: the library facts of
``known`` (``Op``, ``Partial``, ``Api``, ``Factory``, ``Unscoped``), or, for the project's own
defs, ``LocalOp`` / ``PlainFunc``; a ``ScopeRef`` or ``Builtin`` stays itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_argscope.record import Frozen

if TYPE_CHECKING:
    import ast
    from typing import Union

    from flake8_argscope.frames import Frame
    from flake8_argscope.known import Api, Factory, Op, Partial, Unscoped

    # what ``Resolver.resolve_expr`` gives (None: unknown)
    Symbol = Union["Path", "LocalDef", "LocalClass", "Wrapped", "ScopeRef", "Builtin", None]
    # what ``Resolver.classify`` gives (None: unknown)
    Target = Union[Op, Partial, Api, Factory, Unscoped, "LocalOp", "PlainFunc", "ScopeRef",
                   "LocalClass", "Builtin", None]

UNKNOWN = None


class Path(Frozen):
    """A dotted path into an imported module (library or not); ``line`` of the binding
    import (0: attribute access at use time)."""

    __slots__ = _fields = _cmp = ("path", "line", "from_import")
    path: str
    line: int
    from_import: bool

    def __init__(self, path: str, line: int = 0,
                 from_import: bool = False) -> None:  # hot: no generic init
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "line", line)
        object.__setattr__(self, "from_import", from_import)

    def _key(self) -> tuple[object, ...]:
        return (Path, self.path, self.line, self.from_import)


class Builtin(Frozen):
    __slots__ = _fields = _cmp = ("name",)
    name: str


class LocalDef(Frozen):
    """A def of this file or of a project module, with the frame it lives in."""

    __slots__ = _fields = _cmp = ("node", "frame")
    node: ast.FunctionDef | ast.AsyncFunctionDef
    frame: Frame

    def _key(self) -> tuple[object, ...]:
        return (LocalDef, id(self.node))


class LocalClass(Frozen):
    """A class of this file or of a project module (classified as itself)."""

    __slots__ = _fields = _cmp = ("node", "frame")
    node: ast.ClassDef
    frame: Frame

    def _key(self) -> tuple[object, ...]:
        return (LocalClass, id(self.node))


class Wrapped(Frozen):
    """``g = add_arg_scope(f)`` / ``g = enable_argscope_for_function(f)``."""

    __slots__ = _fields = ("registry", "inner", "node", "frame")
    _defaults = {"frame": None}
    _cmp = ("registry", "inner")
    registry: str
    inner: Symbol
    node: ast.Call
    frame: Frame  # given wherever the resolver makes one

    def _key(self) -> tuple[object, ...]:
        return (Wrapped, self.registry, id(self.node))


class ScopeRef(Frozen):
    """A name bound to a scope dict: ``as sc`` or ``sc = factory()`` (the withitem or
    assign node)."""

    __slots__ = _fields = _cmp = ("binding_node",)
    binding_node: ast.withitem | ast.Assign | ast.AnnAssign

    def _key(self) -> tuple[object, ...]:
        return (ScopeRef, id(self.binding_node))


class LocalOp(Frozen):
    """An op defined in the project (scope-enabled by a decorator or wrapper call)."""

    __slots__ = _fields = _cmp = ("op",)
    op: Op


class PlainFunc(Frozen):
    """A project function that is certainly not scope-enabled. ``registered``:
    add_arg_scope(f) ran on it, so its key is registered anyway (arg_scope([f]) does not
    raise); ``sym`` its def (what its body calls matters to ASC302)."""

    __slots__ = _fields = ("name", "path", "registered", "sym")
    _cmp = ("name", "path", "registered")
    _defaults = {"registered": None, "sym": None}
    name: str
    path: str
    registered: Op | None
    sym: LocalDef | None
