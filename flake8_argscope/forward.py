"""Scopes that callers bring: arg_scope's stack is global (docs/semantics.md §1.1), so a
project function called while a scope is in force runs its body under that scope. Its body is
walked again under the incoming scopes (the callee's own scopes merge on top, a reused scope
dict replaces, as the builder does everywhere), and the runtime errors that happen only there
(the call rules that say where the runtime raises: ASC401, ASC405) are reported at the call
that brings the scope, naming the functions it goes through.

What is followed: a direct call of an undecorated, non-generator project function (this
module's, or another's whose text names an op the scopes list; also as the layer of
``slim.repeat``/``slim.stack``, or through a name bound to ``functools.partial`` of it; in a
dispatch factory's key world, the dict entry: model/dispatch.py, walk.analyse),
transitively up to ``MAX_DEPTH`` calls deep, and only into
bodies with a call that may collide with the scopes (a listed op's name with enough
positional arguments). Per file at most ``MAX_EXAMINED`` callee defs are looked at and
``MAX_BODIES`` walked (the budget an editor's per-keystroke lint can afford), memoised by
callee and incoming scopes. Everything else stays as before: silent.
"""

from __future__ import annotations

import ast
import sys
import traceback
from collections import deque
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.known import op_for_scope_key
from flake8_argscope.model.builder import ScopeBuilder
from flake8_argscope.model.scopes import Scopes
from flake8_argscope.relevance import Uninteresting
from flake8_argscope.rules import RULES
from flake8_argscope.record import Frozen
from flake8_argscope.rules.registry import CallRule
from flake8_argscope.symbols import Path, PlainFunc

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.symbols import LocalDef, Target
    from flake8_argscope.walk import Walker

MAX_DEPTH = 3
MAX_BODIES = 48  # callee bodies walked per file
MAX_EXAMINED = 128  # callee defs scanned (calls, generator) per file
# the rules whose finding at a call depends only on the scope in force there
FORWARD_CODES = frozenset(code for code, rule in RULES.items()
                          if isinstance(rule, CallRule) and rule.raised_at == "call")

Found = tuple[int, int, str]  # (line, col, message) inside the callee


_CONV_WRAPPERS = frozenset({"conv1d", "conv2d", "conv3d", "convolution1d", "convolution2d",
                            "convolution3d"})


class _Body(Frozen):
    """What forward analysis needs to know of a def before walking it: whether calling it
    runs its body at once (undecorated, no yield: not a generator), the final names of the
    calls in it with their most positional arguments (``*args``: any number), and the
    distinct callees that may be project functions (``f``, ``m.f``)."""

    __slots__ = _fields = ("runs", "positional", "callees")
    runs: bool
    positional: dict[str, int]  # final name -> the most positional arguments a call passes
    callees: tuple[ast.expr, ...]


def _body(node: ast.AST, decorated: bool = False) -> _Body:
    """(``decorated``: the decorators are known to call the function at once.)"""
    if not isinstance(node, ast.FunctionDef) or node.decorator_list and not decorated:
        return _Body(False, {}, ())
    positional: dict[str, int] = {}
    callees: dict[tuple[str, ...], ast.expr] = {}
    stack: list[ast.AST] = list(node.body)
    while stack:
        n = stack.pop()
        t = type(n)
        if t is ast.Call:
            func = n.func  # type: ignore[attr-defined]
            args = n.args  # type: ignore[attr-defined]
            count = 99 if any(type(a) is ast.Starred for a in args) else len(args)
            name = ""
            if type(func) is ast.Name:
                name = func.id
                callees.setdefault((name,), func)
            elif type(func) is ast.Attribute:
                name = func.attr
                if type(func.value) is ast.Name:
                    callees.setdefault((func.value.id, name), func)
            if name and count > positional.get(name, -1):
                positional[name] = count
        elif t is ast.Yield or t is ast.YieldFrom:
            return _Body(False, {}, ())
        elif t in _NESTED:
            continue  # its calls run when it is called, its yield is its own
        fields = _FIELDS.get(t)
        if fields is None:
            fields = _FIELDS[t] = tuple(f for f in t._fields if f not in _LEAVES)
        for field in fields:  # (not ast.iter_child_nodes: a generator per node is slower)
            value = getattr(n, field, None)
            if type(value) is list:
                stack.extend([v for v in value if isinstance(v, ast.AST)])
            elif isinstance(value, ast.AST):
                stack.append(value)
    return _Body(True, positional, tuple(callees.values()))


_FIELDS: dict[type, tuple[str, ...]] = {}
_LEAVES = frozenset({"ctx", "op", "id", "attr", "arg", "kind", "conversion", "is_async",
                     "type_comment", "name", "names", "module", "level", "lineno",
                     "col_offset", "end_lineno", "end_col_offset"})


_NESTED = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef})


def _partial_of(func: ast.expr, frame: Frame, shadow: frozenset[str]) -> LocalDef | None:
    """The project function a name bound once to ``functools.partial(f, ...)`` runs (its
    arguments do not matter here: the forward rules look at the calls inside ``f``). A
    method of a project object is not followed: the walker skips calls on local objects
    before resolving them (relevance.py), which is most of its saving."""
    from flake8_argscope.model.held import assigned_only
    from flake8_argscope.symbols import LocalDef

    if not isinstance(func, ast.Name) or func.id in shadow or (
            not frame.resolver.facts.mentions_partial):
        return None
    found = assigned_only(func.id, frame)
    if found is None or len(found[0]) != 1:
        return None
    value = getattr(found[0][0].node, "value", None)
    if not (isinstance(value, ast.Call) and value.args
            and not isinstance(value.args[0], ast.Starred)):
        return None
    owner = found[1]
    partial = owner.resolver.resolve_expr(value.func, owner)
    if not (isinstance(partial, Path) and known.normalise(partial.path) == "functools.partial"):
        return None
    sym = owner.resolver.resolve_expr(value.args[0], owner)
    if isinstance(sym, Path):
        sym = owner.resolver.deref(sym, force=True)
    return sym if isinstance(sym, LocalDef) else None


def _may_collide(body: _Body, scopes: Scopes) -> bool:
    """Can a call of this body raise under ``scopes`` (ASC401: a call of a listed op with
    as many positional arguments as reach a keyword the scope sets; ASC405: a conv wrapper
    under a convolution scope)? By final name, so only ever too permissive."""
    positional = body.positional
    for scope in scopes.values():
        for key, entry in scope.ops.items():
            if not entry.known:
                continue
            op = op_for_scope_key(key)
            names = entry.names | frozenset(op.aliases) if op is not None else entry.names
            most = max((positional[n] for n in names if n in positional), default=-1)
            if most < 0:
                continue
            if op is None or op.name == "convolution":
                return True  # a project op (no signature here); convolution itself
            first = min((op.params.index(kw) for kw in entry.known if kw in op.params),
                        default=len(op.params))
            if most > first:
                return True
    if scopes.names_listed("convolution"):
        return any(name in positional for name in _CONV_WRAPPERS)
    return False


class Forward:
    """One file's forward analysis; ``walker`` is the file's walker."""

    def __init__(self, walker: Walker) -> None:
        self.walker = walker
        self.bodies = 0  # callee walks so far (the budget)
        # id(def) -> (chain, line, col, code) of what its body has under no incoming scope
        self._lexical: dict[int, set[tuple[str, int, int, str]]] = {}
        # (id(def), id(scopes)) -> (scopes kept alive, findings under them)
        self._memo: dict[tuple[int, int], tuple[Scopes, list[tuple[str, Found]]]] = {}
        self._reported: set[tuple[int, str, int, int, str]] = set()
        self._bodies: dict[int, _Body] = {}  # id(def) -> its _Body (per file)
        # id(scopes) -> (the scopes, kept alive; the op names they list)
        self._words: dict[int, tuple[Scopes, frozenset[str]]] = {}

    def enter_local(self, call: ast.Call, frame: Frame, shadow: frozenset[str],
                    scopes: Scopes) -> None:
        """A project op's body under the scopes: not followed by the rules (its decorator
        may be any wrapper); explain's contexts follow it (cli/contexts.py)."""

    def target(self, func: ast.expr, frame: Frame, shadow: frozenset[str]) -> Target:
        """What a call ``may_call_listed`` let through calls (its module parsed; for a
        partial, the def it runs)."""
        found = frame.resolver.target_of(func, frame, shadow, force=True)
        if found is None:
            sym = _partial_of(func, frame, shadow)
            if sym is not None:
                found = sym.frame.resolver.classify(sym)
        return found

    def share(self, other: Forward) -> None:
        """Walk on ``other``'s budget (the same file in another key world)."""
        self.bodies = other.bodies
        self._bodies = other._bodies

    def at_call(self, call: ast.Call, sym: LocalDef, scopes: Scopes, depth: int = 0,
                chain: tuple[int, ...] = ()) -> list[tuple[str, Found]]:
        """The forward findings of calling ``sym`` under ``scopes``: (the chain of
        functions as text, the finding inside the last one)."""
        node = sym.node
        if depth >= MAX_DEPTH or id(node) in chain:
            return []
        key = (id(node), id(scopes))
        memo = self._memo.get(key)
        if memo is not None:
            return memo[1]
        if id(node) not in self._bodies and len(self._bodies) >= MAX_EXAMINED:
            return []  # the per-file budget: generated files call thousands of helpers
        if not self._body(sym).runs:
            return []
        if self.bodies >= MAX_BODIES or not self._may_matter(sym, scopes, depth):
            self._memo[key] = (scopes, [])
            return []
        under = self._walk(sym, scopes, depth, chain)
        if not under:  # (the common case: no lexical walk needed)
            self._memo[key] = (scopes, [])
            return []
        lexical = self._lexical.get(id(node))
        if lexical is None:  # what happens there in every context: not the caller's doing
            empty = self._walk(sym, Scopes(), depth, chain)
            lexical = self._lexical[id(node)] = {
                (via, line, col, msg[:6]) for via, (line, col, msg) in empty or ()}
        where = self._where(sym)
        found = [(f"{node.name}() ({where})" + (f", {via}" if via else ""), inner)
                 for via, inner in under
                 if (via, inner[0], inner[1], inner[2][:6]) not in lexical]
        self._memo[key] = (scopes, found)
        return found

    def _body(self, sym: LocalDef) -> _Body:
        found = self._bodies.get(id(sym.node))
        if found is None:
            found = self._bodies[id(sym.node)] = _body(sym.node)
        return found

    def _may_matter(self, sym: LocalDef, scopes: Scopes, depth: int) -> bool:
        """Can the incoming scopes change a call in this body (or in a project function it
        calls, as deep as the walk would go)? A body none of whose calls is named like an
        op the scopes list (or a conv wrapper under a convolution scope) is not walked."""
        body = self._body(sym)
        if _may_collide(body, scopes):
            return True
        if depth + 1 >= MAX_DEPTH:
            return False
        resolver = sym.frame.resolver
        frame = resolver.frame_for(sym.node, sym.frame)
        for func in body.callees:
            if self.may_call_listed(func, frame, frozenset(), scopes):
                target = resolver.target_of(func, frame, force=True)
            else:
                target = resolver.target_of(func, frame)
            if isinstance(target, PlainFunc) and target.sym is not None and (
                    target.sym.node is not sym.node) and self._may_matter(
                        target.sym, scopes, depth + 1):
                return True
        return False

    def may_call_listed(self, func: ast.expr, frame: Frame, shadow: frozenset[str],
                        scopes: Scopes) -> bool:
        """Is ``func`` a name of another project module whose text mentions an op the
        scopes list? Only then is that module parsed to follow the call (most calls under
        a scope into project modules reach no op of it: object_detection's utils)."""
        project = frame.resolver.project
        if project is None or len(self._bodies) >= MAX_EXAMINED:
            return False
        sym = frame.resolver.resolve_expr(func, frame, shadow)
        if not isinstance(sym, Path):
            return _partial_of(func, frame, shadow) is not None
        words = self._words.get(id(scopes))
        if words is None or words[0] is not scopes:
            names: set[str] = set()
            for scope in scopes.values():
                for entry in scope.ops.values():
                    names.update(entry.names)
            if "convolution" in names:
                names |= _CONV_WRAPPERS
            words = self._words[id(scopes)] = (scopes, frozenset(names))
        return bool(words[1]) and project.mentions(sym.path, words[1])

    def report(self, call: ast.Call, target: Target, scopes: Scopes,
               frame: Frame | None = None) -> list[Found]:
        """What the walker adds at ``call`` of ``target`` (a project function, else nothing):
        each forward finding once per scope in force."""
        if not isinstance(target, PlainFunc) or target.sym is None:
            return []
        try:
            found = self.at_call(call, target.sym, scopes)
        except Exception:  # a failure here must not silence the file's
            if self.walker.config.debug:     # lexical findings: only this call's are lost
                sys.stderr.write(f"flake8-argscope: forward analysis failed at line "
                                 f"{call.lineno}\n")
                traceback.print_exc(file=sys.stderr)
            return []
        out = []
        for via, (line, col, msg) in found:
            key = (id(scopes), via, line, col, msg)
            if key in self._reported:
                continue
            self._reported.add(key)
            out.append((call.lineno, call.col_offset,
                        f"{msg[:6]} via {via} at line {line}: {msg[7:]}"))
        return out

    def _where(self, sym: LocalDef) -> str:
        owner = sym.frame.resolver
        line = f"line {sym.node.lineno}"
        if owner is self.walker.resolver or not owner.current:
            return line
        return f"{owner.current[0]} {line}"

    def _walk(self, sym: LocalDef, scopes: Scopes, depth: int,
              chain: tuple[int, ...]) -> list[tuple[str, Found]] | None:
        """The call-rule findings of the body of ``sym`` walked under ``scopes`` (each with
        the chain below it), or None when its scopes are not what they look like."""
        self.bodies += 1
        body = _BodyWalk(self, sym, depth + 1, chain + (id(sym.node),))
        return body.run(scopes)


def _body_walker(forward: Forward, sym: LocalDef) -> Walker:
    """A walker over one callee body with the forward rules only."""
    main = forward.walker
    return callee_walker(main, sym, tuple(r for r in main._call_rules
                                          if r.code in FORWARD_CODES))


def callee_walker(main: Walker, sym: LocalDef, call_rules: tuple[CallRule, ...],
                  cls: type[Walker] | None = None) -> Walker:
    """A walker (of ``cls``) over one callee body: the file's walker's settings, the callee
    module's resolver, its own builder (scope dicts it records stay its own), ``call_rules``."""
    from flake8_argscope.walk import Walker

    resolver = sym.frame.resolver
    walker = (cls or Walker).__new__(cls or Walker)
    walker.tree = resolver.tree
    walker.config = main.config
    walker.resolver = resolver
    walker.reported_in = main.reported_in  # scope lines read as the caller's file has them
    walker.builder = ScopeBuilder(resolver, lambda entry: None)
    walker._call_rules = call_rules
    walker._entry_rules = walker._discard_rules = ()
    walker._file_end_rules = ()
    walker.findings = []
    walker.sites = []
    walker._queue = deque()
    walker._dynamic = []
    walker.bare_calls = set()
    walker._skip = main._skip if resolver is main.resolver else Uninteresting(
        resolver, main.config, resolver.source)
    return walker


class _BodyWalk:
    def __init__(self, forward: Forward, sym: LocalDef, depth: int,
                 chain: tuple[int, ...]) -> None:
        self.forward = forward
        self.sym = sym
        self.depth = depth
        self.chain = chain

    def run(self, scopes: Scopes) -> list[tuple[str, Found]] | None:
        sym = self.sym
        walker = _body_walker(self.forward, sym)
        walker.forward = Nested(self.forward, self.depth, self.chain)
        frame = sym.frame.resolver.frame_for(sym.node, sym.frame)
        walker.walk_body(sym.node.body, frame, scopes, sym.node)
        if walker._dynamic:
            return None  # an arg_scope entered outside a with: scopes are not what they seem
        branches = _branches(sym.node)
        # only what every call runs: a finding in a branch (if, while, except, match case)
        # may need arguments this caller does not pass
        found: list[tuple[str, Found]] = [("", f) for f in walker.findings
                                          if not _inside(branches, f[0])]
        found.extend(item for item, line in walker.forward.collected
                     if not _inside(branches, line))
        return found


def _branches(node: ast.AST) -> list[tuple[int, int]]:
    """The line spans of a def's conditional blocks (nested defs aside)."""
    spans: list[tuple[int, int]] = []
    stack: list[ast.AST] = list(getattr(node, "body", ()))
    while stack:
        n = stack.pop()
        if type(n) in _NESTED:
            continue
        blocks: list[list[ast.stmt]] = []
        if isinstance(n, (ast.If, ast.While)):
            blocks = [n.body, n.orelse]
        elif isinstance(n, (ast.For, ast.AsyncFor)):
            blocks = [n.orelse]
        elif isinstance(n, ast.Try) or type(n).__name__ == "TryStar":
            blocks = [h.body for h in getattr(n, "handlers", ())] + [getattr(n, "orelse", [])]
        elif type(n).__name__ == "Match":
            blocks = [case.body for case in getattr(n, "cases", ())]
        for block in blocks:
            if block:
                spans.append((block[0].lineno, block[-1].end_lineno or block[-1].lineno))
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            for child in getattr(n, field, ()):
                stack.append(child)
    return spans


def _inside(spans: list[tuple[int, int]], line: int) -> bool:
    for start, end in spans:
        if start <= line <= end:
            return True
    return False


class Nested:
    """The forward analysis inside a callee's walk: findings deeper down are collected with
    their chain, for the caller to report."""

    def __init__(self, forward: Forward, depth: int, chain: tuple[int, ...]) -> None:
        self.forward = forward
        self.depth = depth
        self.chain = chain
        # (chain, finding) with the line of the call in this body that leads to it
        self.collected: list[tuple[tuple[str, Found], int]] = []

    def may_call_listed(self, func: ast.expr, frame: Frame, shadow: frozenset[str],
                        scopes: Scopes) -> bool:
        return self.forward.may_call_listed(func, frame, shadow, scopes)

    def enter_local(self, call: ast.Call, frame: Frame, shadow: frozenset[str],
                    scopes: Scopes) -> None:
        return None

    def target(self, func: ast.expr, frame: Frame, shadow: frozenset[str]) -> Target:
        return self.forward.target(func, frame, shadow)

    def report(self, call: ast.Call, target: Target, scopes: Scopes,
               frame: Frame | None = None) -> list[Found]:
        if isinstance(target, PlainFunc) and target.sym is not None:
            self.collected.extend((item, call.lineno) for item in self.forward.at_call(
                call, target.sym, scopes, self.depth, self.chain))
        return []
