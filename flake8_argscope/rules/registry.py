"""The rule registry: every ASC rule declares itself once, as a subclass of one hook base.

A rule says its code, message template, severity and pylint symbol; the base it derives from
(``CallRule``, ``ScopeEntryRule``, ``DiscardedCallRule``, ``FileEndRule``) is the one point
of the walk where it looks, and types the context its ``check`` receives there: a ``check``
written for another hook's context fails mypy (an incompatible override) and, at import,
registration. It yields ``(node, fields)`` pairs, which the walker renders with the
template. Everything else — flake8's code list, the call-site code set, the pylint message
ids, the docs' message lines and tables, the oracle's code lists — is derived from the
declarations here.
"""

from __future__ import annotations

import enum
import string
from typing import TYPE_CHECKING, Generic, TypeVar

from flake8_argscope.record import Frozen
from flake8_argscope.syntax import unparse

if TYPE_CHECKING:
    import ast
    from collections.abc import Iterator
    from typing import Any, Protocol, Union

    from flake8_argscope.api import Config
    from flake8_argscope.frames import Frame
    from flake8_argscope.known import Op, Partial
    from flake8_argscope.model.arguments import ArgScopeCall  # noqa: F401  (HookRule["..."])
    from flake8_argscope.model.scopes import OpEntry, Scopes
    from flake8_argscope.resolve import Resolver
    from flake8_argscope.symbols import Target

    # what a rule yields: the node to report at, and the fields of its message template
    Finding = tuple[Union[ast.expr, ast.keyword], dict[str, object]]

    class RuleEnv(Protocol):
        """What a rule may ask of the analysis of its file, beside its hook's context."""

        @property
        def config(self) -> Config: ...

        @property
        def resolver(self) -> Resolver: ...  # names -> symbols -> targets; .facts: the
        # module-wide facts (model/module.py)

        @property
        def reported_in(self) -> Resolver: ...  # the module whose file the findings go to
        # (the linted one; a callee walked under a caller's scope is another: forward.py)

PYLINT_CHECKER_ID = "73"  # external checkers use 51-99; no pylint checker or extension has 73


class Severity(enum.Enum):
    """What a finding means for the user's program; the value is pylint's category."""

    ERROR = "E"  # the runtime raises
    WARNING = "W"  # the scope silently does not apply
    INFO = "R"  # repetition or redundancy: a refactoring


class Hook(enum.Enum):
    """Where in the walk a rule looks, and the context it receives there (the name of the
    context class, which registration checks ``check``'s annotation against)."""

    SCOPE_ENTRY = "ArgScopeCall"  # an arg_scope(...) entered by a with
    CALL = "CallContext"  # a call of a resolved function under the effective scopes
    DISCARDED_CALL = "Discarded"  # a call whose result is discarded (an expression statement)
    FILE_END = "FileContext"  # the end of the file, with every call site of a scoped op


class Rule:
    """Derive from one hook base below and give the class attributes; one instance is
    registered per code."""

    code: str
    message: str  # str.format template; "{api}" etc. are the fields check() yields
    severity: Severity
    symbol: str  # pylint's symbolic name
    hook: Hook  # set by the hook base, never by a rule
    summary: str  # one line for the rules tables: what it finds
    example: str  # one line for the rules tables: a typical offending snippet
    # ERROR rules: where the runtime raises what they predict, "with" (entering the scope)
    # or "call" (a call inside it); the oracle tests check the traceback against it
    raised_at: str | None = None

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

    def render(self, fields: dict[str, object]) -> str:
        """The message flake8 shows, starting with the code."""
        if set(fields) != self.fields:
            raise ValueError(f"{self.code}: fields {sorted(fields)} do not fill the template "
                             f"{sorted(self.fields)}")
        return f"{self.code} {self.message.format(**fields)}"


RULES: dict[str, Rule] = {}  # code -> Rule, in code order once all rule modules are imported

Ctx = TypeVar("Ctx")


class HookRule(Rule, Generic[Ctx]):
    """A rule that looks at one hook, whose context is ``Ctx``."""

    def check(self, ctx: Ctx) -> Iterator[Finding]:
        """Yield ``(node, fields)`` for each finding at this hook."""
        raise NotImplementedError


class ScopeEntryRule(HookRule["ArgScopeCall"]):
    """Looks at each ``arg_scope(...)`` a ``with`` enters."""

    hook = Hook.SCOPE_ENTRY


class CallRule(HookRule["CallContext"]):
    """Looks at each call of a resolved function made under an active scope."""

    hook = Hook.CALL


class DiscardedCallRule(HookRule["Discarded"]):
    """Looks at each ``add_arg_scope(f)``-like call whose result is discarded."""

    hook = Hook.DISCARDED_CALL


class FileEndRule(HookRule["FileContext"]):
    """Looks once, at the end of the file, at every call site of a scoped op."""

    hook = Hook.FILE_END


_HOOK_BASES = (ScopeEntryRule, CallRule, DiscardedCallRule, FileEndRule)


def _register(rule: Rule) -> None:
    cls = type(rule)
    for attr in ("message", "severity", "symbol", "summary", "example"):
        if not hasattr(cls, attr):
            raise TypeError(f"{cls.__name__} ({rule.code}) declares no {attr}")
    if rule.code in RULES:
        raise TypeError(f"{rule.code} is declared twice")
    if (rule.raised_at in ("with", "call")) != (rule.severity is Severity.ERROR):
        raise TypeError(f"{cls.__name__} ({rule.code}): an ERROR rule says where the runtime "
                        f"raises (raised_at = 'with' or 'call'), no other rule does")
    bases = [b for b in cls.__mro__ if b in _HOOK_BASES]
    if len(bases) != 1 or "hook" in cls.__dict__:
        raise TypeError(f"{cls.__name__} ({rule.code}) must derive from exactly one of "
                        f"{', '.join(b.__name__ for b in _HOOK_BASES)} and set no hook")
    # (annotations are strings here: every rule module has ``from __future__ import
    # annotations``); mypy checks the same, this catches a rule mypy was not run on
    check = getattr(cls, "check", None)
    annotated = {k: v for k, v in getattr(check, "__annotations__", {}).items() if k != "return"}
    context = rule.hook.value
    if list(annotated.values()) != [context]:
        raise TypeError(f"{cls.__name__} ({rule.code}): check() takes the {context} of its "
                        f"hook {rule.hook.name}, annotated as such")
    rule.fields = frozenset(
        name for _text, name, _spec, _conv in string.Formatter().parse(rule.message) if name)
    RULES[rule.code] = rule


# ---------------------------------------------------------------- contexts
class CallContext(Frozen):
    """A call of something resolved: ``op`` the scope-enabled op it reaches (the wrapped op
    for a partial such as ``slim.relu``), or None for a function that is certainly not
    scope-enabled (``target`` is then Unscoped or PlainFunc); ``entry`` what the effective
    ``scopes`` supply to ``op``; ``bound`` the keywords a partial fixes."""

    __slots__ = _fields = ("env", "call", "target", "op", "entry", "scopes", "frame",
                           "shadow", "bound", "partial")
    env: RuleEnv
    call: ast.Call
    target: Target
    op: Op | None
    entry: OpEntry | None  # None only when op is
    scopes: Scopes
    frame: Frame
    shadow: frozenset[str]
    bound: tuple[str, ...]
    partial: Partial | None

    def __init__(self, env: RuleEnv, call: ast.Call, target: Target, op: Op | None,
                 entry: OpEntry | None, scopes: Scopes, frame: Frame, shadow: frozenset[str],
                 bound: tuple[str, ...], partial: Partial | None) -> None:
        sa = object.__setattr__  # hot: one per call of a resolved function under a scope
        sa(self, "env", env)
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

    __slots__ = _fields = ("env", "call", "target")
    env: RuleEnv
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

    __slots__ = _fields = ("env", "sites", "bare_calls")
    env: RuleEnv
    sites: list[CallSite]
    bare_calls: set[tuple[int, str]]
