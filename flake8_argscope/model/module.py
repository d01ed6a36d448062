"""What a whole module's text says, scanned once per module and then only read: the one
owner of the module-wide facts the model asks for (one per module, the linted one and every
project module alike; worlds share it, as it is syntax)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame

_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
_WRAPPERS = frozenset({"update_wrapper", "wraps"})


class ModuleFacts:
    """Each fact is computed on first use (most modules never need most of them); the text,
    when known, lets a scan be skipped when its keyword does not occur."""

    def __init__(self, tree: ast.Module, source: str | None) -> None:
        self._tree = tree
        self._source = source
        self._global_names: frozenset[str] | None = None
        self._wrapper_arguments: frozenset[str] | None = None
        self._read_elsewhere: dict[int, frozenset[str]] = {}  # id(frame node) -> names
        self._mentions_partial: bool | None = None

    @property
    def mentions_partial(self) -> bool:
        """Can a name of this module be bound to ``functools.partial(...)`` (forward.py
        follows those)? Not when the word does not occur."""
        if self._mentions_partial is None:
            self._mentions_partial = self._source is None or "partial" in self._source
        return self._mentions_partial

    @property
    def global_names(self) -> frozenset[str]:
        """Names a ``global`` statement of the module declares (in a def or class body: the
        module's binding of them can change whenever that runs)."""
        if self._global_names is None:
            names: set[str] = set()
            if self._source is None or "global" in self._source:
                stack: list[ast.AST] = list(self._tree.body)
                while stack:  # statements only: a global is never inside an expression
                    node = stack.pop()
                    if isinstance(node, ast.Global):
                        names.update(node.names)
                    for field in _BLOCKS:
                        stack.extend(getattr(node, field, ()))
            self._global_names = frozenset(names)
        return self._global_names

    @property
    def wrapper_arguments(self) -> frozenset[str]:
        """Names the module passes to ``update_wrapper``/``wraps`` (docs/semantics.md §4.4a:
        a partial given to them gets the op's key)."""
        if self._wrapper_arguments is None:
            names: set[str] = set()
            source = self._source
            if source is None or "update_wrapper" in source or "wraps" in source:
                for call in ast.walk(self._tree):
                    if isinstance(call, ast.Call) and (
                            getattr(call.func, "attr", None) in _WRAPPERS
                            or getattr(call.func, "id", None) in _WRAPPERS):
                        names.update(a.id for a in call.args if isinstance(a, ast.Name))
            self._wrapper_arguments = frozenset(names)
        return self._wrapper_arguments

    def read_elsewhere(self, owner: Frame) -> frozenset[str]:
        """The names ``owner``'s node reads other than as a ``with`` item (one walk per
        frame: a big module would otherwise be walked again per look-up)."""
        found = self._read_elsewhere.get(id(owner.node))
        if found is None:
            entered: set[int] = set()
            loads: dict[str, list[int]] = {}
            for node in ast.walk(owner.node):
                if isinstance(node, ast.withitem) and isinstance(node.context_expr, ast.Name):
                    entered.add(id(node.context_expr))
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                    loads.setdefault(node.id, []).append(id(node))
            found = frozenset(n for n, ids in loads.items()
                              if any(i not in entered for i in ids))
            self._read_elsewhere[id(owner.node)] = found
        return found
