"""The rule registry: every ASC rule declares itself once, as a ``Rule`` subclass.

A rule says its code, message template, severity, pylint symbol, and the one point of the
walk where it looks (its ``hook``); it receives that point's typed context and yields
``(node, fields)`` pairs, which the walker renders with the template. Everything else —
flake8's code list, the call-site code set, the pylint message ids, the docs' message lines
and tables — is derived from the declarations here.
"""

from __future__ import annotations

import enum
import string
from typing import TYPE_CHECKING

from flake8_argscope.record import Frozen
from flake8_argscope.syntax import unparse

if TYPE_CHECKING:
    import ast
    from collections.abc import Iterator
    from typing import Any, Union

    from flake8_argscope.frames import Frame
    from flake8_argscope.known import Op, Partial
    from flake8_argscope.model.scopes import OpEntry, Scopes
    from flake8_argscope.symbols import Target
    from flake8_argscope.walk import Walker

    # what a rule yields: the node to report at, and the fields of its message template
    Finding = tuple[Union[ast.expr, ast.keyword], dict[str, object]]

PYLINT_CHECKER_ID = "73"  # external checkers use 51-99; no pylint checker or extension has 73


class Severity(enum.Enum):
    """What a finding means for the user's program; the value is pylint's category."""

    ERROR = "E"  # the runtime raises
    WARNING = "W"  # the scope silently does not apply
    INFO = "R"  # repetition or redundancy: a refactoring


class Hook(enum.Enum):
    """Where in the walk a rule looks, and the context it receives there."""

    SCOPE_ENTRY = "an arg_scope(...) entered by a with: ArgScopeCall"
    CALL = "a call of a resolved function under the effective scopes: CallContext"
    DISCARDED_CALL = "a call whose result is discarded (an expression statement): Discarded"
    FILE_END = "the end of the file, with every call site of a scoped op: FileContext"


class Rule:
    """Subclass with the class attributes below; one instance is registered per code."""

    code: str
    message: str  # str.format template; "{api}" etc. are the fields check() yields
    severity: Severity
    symbol: str  # pylint's symbolic name
    hook: Hook
    summary: str  # one line for the rules tables: what it finds
    example: str  # one line for the rules tables: a typical offending snippet

    fields: frozenset[str] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" not in cls.__dict__:
            return
        _register(cls())

    @property
    def msgid(self) -> str:
        """pylint message id: category, checker id, then the code's family and number."""
        return f"{self.severity.value}{PYLINT_CHECKER_ID}{self.code[3]}{self.code[5]}"

    @property
    def page(self) -> str:
        return f"docs/rules/{self.code}.md"

    def check(self, ctx: Any) -> Iterator[Finding]:  # ctx: the context of the rule's hook
        """Yield ``(node, fields)`` for each finding at this hook."""
        raise NotImplementedError

    def render(self, fields: dict[str, object]) -> str:
        """The message flake8 shows, starting with the code."""
        if set(fields) != self.fields:
            raise ValueError(f"{self.code}: fields {sorted(fields)} do not fill the template "
                             f"{sorted(self.fields)}")
        return f"{self.code} {self.message.format(**fields)}"


RULES: dict[str, Rule] = {}  # code -> Rule, in code order once all rule modules are imported


def _register(rule: Rule) -> None:
    cls = type(rule)
    for attr in ("message", "severity", "symbol", "hook", "summary", "example"):
        if not hasattr(cls, attr):
            raise TypeError(f"{cls.__name__} ({rule.code}) declares no {attr}")
    if rule.code in RULES:
        raise TypeError(f"{rule.code} is declared twice")
    rule.fields = frozenset(
        name for _text, name, _spec, _conv in string.Formatter().parse(rule.message) if name)
    RULES[rule.code] = rule


# ---------------------------------------------------------------- contexts
class CallContext(Frozen):
    """A call of something resolved: ``op`` the scope-enabled op it reaches (the wrapped op
    for a partial such as ``slim.relu``), or None for a function that is certainly not
    scope-enabled (``target`` is then Unscoped or PlainFunc); ``entry`` what the effective
    ``scopes`` supply to ``op``; ``bound`` the keywords a partial fixes."""

    __slots__ = _fields = ("walker", "call", "target", "op", "entry", "scopes", "frame",
                           "shadow", "bound", "partial")
    walker: Walker
    call: ast.Call
    target: Target
    op: Op | None
    entry: OpEntry | None  # None only when op is
    scopes: Scopes
    frame: Frame
    shadow: frozenset[str]
    bound: tuple[str, ...]
    partial: Partial | None

    def __init__(self, walker: Walker, call: ast.Call, target: Target, op: Op | None,
                 entry: OpEntry | None, scopes: Scopes, frame: Frame, shadow: frozenset[str],
                 bound: tuple[str, ...], partial: Partial | None) -> None:
        sa = object.__setattr__  # hot: one per call of a resolved function under a scope
        sa(self, "walker", walker)
        sa(self, "call", call)
        sa(self, "target", target)
        sa(self, "op", op)
        sa(self, "entry", entry)
        sa(self, "scopes", scopes)
        sa(self, "frame", frame)
        sa(self, "shadow", shadow)
        sa(self, "bound", bound)
        sa(self, "partial", partial)


class Discarded(Frozen):
    """``f(...)`` as an expression statement; ``target`` what ``f`` is."""

    __slots__ = _fields = ("walker", "call", "target")
    walker: Walker
    call: ast.Call
    target: Target


class CallSite(Frozen):
    """A call of a scoped op, kept until the end of the file: ``block`` the body it is
    in, ``entry`` what the scopes supplied there."""

    __slots__ = _fields = ("block", "op", "call", "frame", "entry")
    block: ast.AST
    op: Op
    call: ast.Call
    frame: Frame
    entry: OpEntry

    def __init__(self, block: ast.AST, op: Op, call: ast.Call, frame: Frame,
                 entry: OpEntry) -> None:
        sa = object.__setattr__  # hot: one per call of a scoped op
        sa(self, "block", block)
        sa(self, "op", op)
        sa(self, "call", call)
        sa(self, "frame", frame)
        sa(self, "entry", entry)

    @property
    def display(self) -> str:
        """The callee as written (computed only for the few sites a finding names)."""
        return unparse(self.call.func)


class FileContext(Frozen):
    """Every call site of a scoped op in the file, and ``bare_calls``: (id(block), final
    name) of keyword-less calls that were not resolved (they may be of an op)."""

    __slots__ = _fields = ("walker", "sites", "bare_calls")
    walker: Walker
    sites: list[CallSite]
    bare_calls: set[tuple[int, str]]
