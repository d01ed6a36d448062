"""A light stand-in for dataclasses: declaring ~20 dataclasses cost more import time than
the per-file budget allows (each one compiles generated code); these cost ~nothing."""


class Record:
    """Fields in ``_fields`` (also the ``__slots__``), defaults in ``_defaults`` (a type such
    as ``dict`` is called for a fresh value), equality over ``_cmp`` (None: identity)."""

    __slots__ = ()
    _fields: tuple = ()
    _defaults: dict = {}
    _cmp: tuple | None = None

    def __init__(self, *args, **kwargs):
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

    def _key(self):
        return (type(self),) + tuple(getattr(self, f) for f in self._cmp)

    def __eq__(self, other):
        if self._cmp is None:
            return self is other
        return type(other) is type(self) and self._key() == other._key()

    def __hash__(self):
        if self._cmp is None:
            return id(self)
        return hash(self._key())

    def __repr__(self):
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields[:4])
        return f"{type(self).__name__}({inner})"


class Frozen(Record):
    """A Record whose fields cannot be reassigned after ``__init__``."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is frozen")
