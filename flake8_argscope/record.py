"""A light stand-in for dataclasses: declaring ~20 dataclasses cost more import time than
the per-file budget allows (each one compiles generated code); these cost ~nothing.

mypy does not read ``__slots__``: each subclass also annotates its fields at class level
(annotation only: a class-level value would clash with the slot)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import Any


class Record:
    """Fields in ``_fields`` (also the ``__slots__``), defaults in ``_defaults`` (a type such
    as ``dict`` is called for a fresh value), equality over ``_cmp`` (None: identity)."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}
    _cmp: tuple[str, ...] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__}: too many arguments")
        for name, value in zip(fields, args):
            object.__setattr__(self, name, value)
        for name in fields[len(args):]:
            if name in kwargs:
                value = kwargs.pop(name)
            else:
                value = self._defaults[name]
                if value in (dict, set, list):
                    value = value()
            object.__setattr__(self, name, value)
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unexpected {sorted(kwargs)}")

    def _key(self) -> tuple[object, ...]:
        # only called when _cmp is set (__eq__, __hash__): never None here
        return (type(self),) + tuple(
            getattr(self, f) for f in self._cmp)  # type: ignore[union-attr]

    def __eq__(self, other: object) -> bool:
        if self._cmp is None:
            return self is other
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self) -> int:
        if self._cmp is None:
            return id(self)
        return hash(self._key())

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields[:4])
        return f"{type(self).__name__}({inner})"


class Frozen(Record):
    """A Record whose fields cannot be reassigned after ``__init__``."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")
