"""The arg_scope model: what an effective scope holds and how ``with`` items change it.

A scope maps an op key to the keywords it supplies. The plugin rarely knows everything
(``**kwargs``, unresolved list elements, dicts from unknown factories), so every entry also
says which keywords it *may* supply: ``wild`` is a set of names, or ``ALL``. A keyword in
``known`` is certainly supplied; one in ``wild`` may be; anything else is certainly not.

Semantics (docs/semantics.md §1.2-1.4, §3.1): a list entry merges per op and per keyword,
inner wins; a reused dict replaces the whole scope; positional args are never merged. Each
registry (tf_slim, tf.contrib, tensorpack, vendored copies) has its own stack: ``Scopes``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_argscope.record import Frozen, Record
from flake8_argscope.syntax import same_value

if TYPE_CHECKING:
    import ast
    from collections.abc import Set as AbstractSet
    from typing import Union

    from flake8_argscope.frames import Frame
    from flake8_argscope.known import Op


class _All:
    """Every keyword (or every op)."""

    def __contains__(self, item: object) -> bool:
        return True

    def __or__(self, other: object) -> _All:
        return self

    __ror__ = __or__

    def __repr__(self) -> str:
        return "ALL"


ALL = _All()  # the only instance: tests for it use isinstance, which mypy can narrow
NONE: frozenset[str] = frozenset()
if TYPE_CHECKING:
    # which keywords may be supplied: some names, or ALL
    Wild = Union[frozenset[str], _All]


def union(a: AbstractSet[str] | _All, b: AbstractSet[str] | _All) -> Wild:
    if isinstance(a, _All) or isinstance(b, _All):
        return ALL
    return frozenset(a) | frozenset(b)


class KwVal(Frozen):
    """One scoped keyword. ``node`` is None when the value cannot be known; ``line`` is the
    arg_scope that supplied it; ``origin`` the frame where the value is evaluated;
    ``scope_node`` the with statement (for rebinding checks); ``stable`` a value fixed by
    substitution, in which no name can change; ``also`` the same value written in other
    scopes, any of which may be in force (``join``): each must hold."""

    __slots__ = _fields = ("node", "line", "origin", "scope_node", "stable", "also")
    node: ast.expr | None
    line: int
    origin: Frame | None
    scope_node: ast.With | ast.AsyncWith | None
    stable: bool
    also: tuple[KwVal, ...]

    def __init__(self, node: ast.expr | None, line: int, origin: Frame | None = None,
                 scope_node: ast.With | ast.AsyncWith | None = None,
                 stable: bool = False, also: tuple[KwVal, ...] = ()) -> None:
        sa = object.__setattr__
        sa(self, "node", node)
        sa(self, "line", line)
        sa(self, "origin", origin)
        sa(self, "scope_node", scope_node)
        sa(self, "stable", stable)
        sa(self, "also", also)


class OpEntry(Record):
    """kw -> KwVal in ``known``; ``wild``: kws that may be set with unknown values;
    ``names``: final names the user listed for this op (ASC302); ``line``: the innermost
    arg_scope that set this entry."""

    __slots__ = _fields = ("known", "wild", "names", "line")
    known: dict[str, KwVal]
    wild: Wild
    names: frozenset[str]
    line: int

    def __init__(self, known: dict[str, KwVal] | None = None, wild: Wild = NONE,
                 names: frozenset[str] = NONE, line: int = 0) -> None:  # hot: no generic init
        self.known = {} if known is None else known
        self.wild = wild
        self.names = names
        self.line = line

    def copy(self) -> OpEntry:
        return OpEntry(dict(self.known), self.wild, self.names, self.line)

    def may_supply(self, kw: str) -> bool:
        """Certainly or possibly supplied (``known[kw]`` holds the certain ones)."""
        return kw in self.known or kw in self.wild


class Scope(Record):
    """op key -> OpEntry; ``wild``: kws any op (listed or not) may get from unknown
    elements or dicts."""

    __slots__ = _fields = ("ops", "wild", "line")
    ops: dict[str, OpEntry]
    wild: Wild
    line: int

    def __init__(self, ops: dict[str, OpEntry] | None = None, wild: Wild = NONE,
                 line: int = 0) -> None:
        self.ops = {} if ops is None else ops
        self.wild = wild
        self.line = line

    def copy(self) -> Scope:
        return Scope({k: e.copy() for k, e in self.ops.items()}, self.wild, self.line)

    def entry(self, key: str) -> OpEntry:
        e = self.ops.get(key)
        if e is None:
            return OpEntry(wild=self.wild)
        return e


def unknown_scope(line: int = 0) -> Scope:
    """A scope about which nothing is known (an unknown dict, an unknown context manager)."""
    return Scope(ops={}, wild=ALL, line=line)


class ListedOp(Frozen):
    """An element of an arg_scope op list, once resolved: ``key`` None when unresolved
    (could be any op); ``name`` the final name as written (conv2d), for ASC302."""

    __slots__ = _fields = ("key", "name")
    _defaults = {"name": ""}
    key: str | None
    name: str


def merge(parent: Scope, listed: list[ListedOp], kwargs: dict[str, KwVal], extra_wild: Wild,
          line: int) -> Scope:
    """``with arg_scope([ops...], **kwargs)``: per op, per keyword merge, inner wins.

    ``kwargs`` are the explicit keywords (kw -> KwVal); ``extra_wild`` the keywords that
    ``**mapping`` may add (``ALL`` when unknown, ``NONE`` when there is none).
    """
    new = parent.copy()
    new.line = line
    names = set(kwargs)
    for op in listed:
        if op.key is None:
            continue
        old = new.ops.get(op.key)
        entry = old.copy() if old is not None else OpEntry(wild=parent.wild)
        if isinstance(extra_wild, _All):
            # ``**d`` may override anything set before, except the explicit keywords
            entry.known = {}
            entry.wild = ALL
        elif extra_wild:
            for kw in extra_wild:
                entry.known.pop(kw, None)
            entry.wild = union(entry.wild, extra_wild)
        entry.known.update(kwargs)
        if not isinstance(entry.wild, _All):
            entry.wild = frozenset(entry.wild) - names
        entry.names = entry.names | frozenset([op.name]) if op.name else entry.names
        entry.line = line
        new.ops[op.key] = entry
    if any(op.key is None for op in listed):
        # an element we could not resolve may be any op, including the ones above
        maybe = union(names, extra_wild)
        new.wild = union(new.wild, maybe)
        resolved = {op.key for op in listed if op.key is not None}
        for key, entry in new.ops.items():
            if key in resolved:
                continue
            if isinstance(maybe, _All):
                entry.known = {}
            else:
                for kw in maybe:
                    entry.known.pop(kw, None)
            entry.wild = union(entry.wild, maybe)
    return new


def join(a: Scope, b: Scope, line: int) -> Scope:
    """The scope that holds whichever of ``a`` and ``b`` is in force (``with (x if c else
    y):``): a keyword is certain only where both supply it, and its value only where both
    supply the same one (the same KwVal, inherited from an enclosing scope, or the same
    expression written in both, ``also`` keeping the other for the stability check); a keyword only
    one supplies may be supplied; an op name counts as listed (ASC302) only if both list it."""
    if a is b:
        return a
    ops = {}
    for key in a.ops.keys() | b.ops.keys():
        ea, eb = a.entry(key), b.entry(key)
        known = {}
        for kw, kv in ea.known.items():
            other = eb.known.get(kw)
            if other is kv:
                known[kw] = kv
            elif other is not None:  # both supply it, maybe with different values
                known[kw] = _same_in_both(kv, other, line)
        maybe = (ea.known.keys() | eb.known.keys()) - known.keys()
        wild = union(union(ea.wild, eb.wild), frozenset(maybe))
        ops[key] = OpEntry(known, wild, ea.names & eb.names, max(ea.line, eb.line))
    return Scope(ops, union(a.wild, b.wild), line)


def _same_in_both(a: KwVal, b: KwVal, line: int) -> KwVal:
    """The value two scopes supply for one keyword: known when both write the same
    expression (each evaluated where it stands; ASC201 checks both)."""
    if a.node is not None and b.node is not None and same_value(a.node, b.node):
        if a.stable and b.stable and not a.also:
            return a
        return KwVal(a.node, a.line, a.origin, a.scope_node, False, a.also + (b,))
    return KwVal(None, line, a.origin, a.scope_node)


_EMPTY = Scope()


class Scopes(dict["str | None", Scope]):
    """registry -> Scope: the effective scopes at one point of the code. A registry not
    present has the default scope (key None: empty, or unknown after an unknown context
    manager)."""

    def get_scope(self, registry: str | None) -> Scope:
        scope = self.get(registry)
        if scope is None:
            scope = self.get(None) or _EMPTY
        return scope

    def with_scope(self, registry: str | None, scope: Scope) -> Scopes:
        new = Scopes(self)
        new[registry] = scope
        return new

    def join(self, other: Scopes, line: int) -> Scopes:
        """Either ``self`` or ``other`` is in force (see ``join``)."""
        if self is other:
            return self
        new = Scopes()
        for registry in self.keys() | other.keys():
            new[registry] = join(self.get_scope(registry), other.get_scope(registry), line)
        return new

    def active(self) -> bool:
        """Does any scope supply (or may supply) anything?"""
        for scope in self.values():
            if scope.ops or scope.wild:
                return True
        return False

    def names_listed(self, name: str) -> bool:
        """Is ``name`` the final name of an op listed in some active scope?"""
        for scope in self.values():  # (loops, not any(...): no generator on the hot path)
            for entry in scope.ops.values():
                if name in entry.names:
                    return True
        return False

    def entry_for(self, op: Op) -> OpEntry:
        """What the scopes supply to ``op``."""
        if op.registry is not None:
            return self.get_scope(op.registry).entry(op.key)
        # an op named by --argscope-scoped-ops: whichever registry's scope lists it
        for registry, scope in self.items():
            if registry is not None and op.key in scope.ops:
                return scope.ops[op.key]
        return self.get_scope(None).entry(op.key)


def all_unknown(line: int) -> Scopes:
    """Inside a context manager that may enter any scope."""
    return Scopes({None: unknown_scope(line)})
