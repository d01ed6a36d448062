"""The contexts in which the project reaches an op call (``explain``, the pylsp hover).

arg_scope's stack is global (docs/semantics.md §1.1): an op call inside a project function
receives the keywords of every scope in force where the function is called. The index walks
each file of the project that enters a scope, as the rules do, and wherever a project
function is called under an active scope it walks that function's body under those scopes
(the walker's forward hook, as forward.py does for the rules), transitively. Every op call
reached that way gets a *context*: the chain of calls from the file that brings the scope,
outermost first, and the keywords the op receives there (explain's collector, so the same
model decides). Key-correlated dispatch (model/dispatch.py) gives one context per key.

Where a walk must stop, it says so for that chain of calls, at the function it did not enter
(``stopped``): a recursion, the depth (``MAX_DEPTH``), the walk budget (``MAX_WALKS``), a
decorated function or a generator (its body does not run at the call), a bug (``error``).
"""

from __future__ import annotations

import ast
import copy
import os
from typing import TYPE_CHECKING, cast

from flake8_argscope.cli.callees import callee, callee_def, unpacked_keys
from flake8_argscope.cli.explain import Collector, ExplainWalker, source_text
from flake8_argscope.forward import _body, _branches, _inside, callee_walker
from flake8_argscope.model.dispatch import key_worlds
from flake8_argscope.project import _find
from flake8_argscope.relevance import Uninteresting
from flake8_argscope.symbols import LocalDef, Path, PlainFunc

if TYPE_CHECKING:
    from typing import Any

    from flake8_argscope.api import Config
    from flake8_argscope.frames import Frame
    from flake8_argscope.model.dispatch import KeyWorld
    from flake8_argscope.model.scopes import KwVal, Scopes
    from flake8_argscope.resolve import Arguments, Resolver
    from flake8_argscope.rules.registry import CallContext
    from flake8_argscope.symbols import Target

    Report = dict[str, Any]

MAX_DEPTH = 8  # calls from the file that brings the scope to the op call's function
MAX_WALKS = 2000  # function bodies walked per index (a time budget for big projects)
MAX_FILES = 2000  # project files looked at
_TRIGGERS = ("arg_scope", "argscope")
_CALL_FIELDS = ("end_line", "op", "resolved", "positional")

# (absolute path, line, col, via) of an op call
Site = tuple[str, int, int, "str | None"]


class Level:
    """One step of a chain: the file walked (its collector holds its with statements), the
    calls that led here (``chain``: (path, line), outermost first), the bodies being
    walked (against recursion), the callers' collectors and calls (to say which with
    brought a keyword), the key world."""

    def __init__(self, index: Index, collector: Collector, path: str,
                 chain: tuple[tuple[str, int], ...], defs: tuple[int, ...],
                 bringers: tuple[tuple[Collector, ast.Call], ...],
                 keys: KeyWorld | None) -> None:
        self.index = index
        self.collector = collector
        self.path = path
        self.chain = chain
        self.defs = defs
        self.bringers = bringers
        self.keys = keys

    # the walker's forward hook ------------------------------------------------------
    def may_call_listed(self, func: ast.expr, frame: Frame, shadow: frozenset[str],
                        scopes: Scopes) -> bool:
        """Follow every project module a call under a scope names (not only those that
        name a listed op: a context is wanted for every op reached)."""
        return frame.resolver.project is not None

    def target(self, func: ast.expr, frame: Frame, shadow: frozenset[str]) -> Target:
        """A project function (its module parsed), or in this context a callee taken
        from a value (``block.unit_fn``: cli/callees.py)."""
        found = frame.resolver.target_of(func, frame, shadow, force=True)
        return found if found is not None else callee(func, frame)

    def report(self, call: ast.Call, target: Target, scopes: Scopes,
               frame: Frame | None = None) -> list[Any]:
        """(``frame``: the call's, where its arguments are written; None: a meta-op's
        layer call, whose arguments are not the call's own.)"""
        if isinstance(target, PlainFunc) and target.sym is not None:
            self.index.follow(self, call, target.sym, scopes, frame)
        return []

    def enter_local(self, call: ast.Call, frame: Frame, shadow: frozenset[str],
                    scopes: Scopes) -> None:
        """A project op (``@add_arg_scope def bottleneck``): add_arg_scope's wrapper calls it
        at once, with the scope's keywords, so its body runs under the same scopes."""
        resolver = frame.resolver
        sym = resolver.resolve_expr(call.func, frame, shadow)
        if isinstance(sym, Path):
            sym = resolver.deref(sym, force=True)
        if sym is None:
            sym = callee_def(call.func, frame)
        if isinstance(sym, LocalDef) and _scope_wrapped(sym):
            self.index.follow(self, call, sym, scopes, frame, decorated=True)


class ContextCollector(Collector):
    """explain's collector in a callee walked under incoming scopes: a keyword the callers'
    scopes supply is attributed to the caller's with that brought it."""

    level: Level
    bringers: tuple[tuple[Collector, ast.Call], ...]  # the calls that led here, outermost first
    incoming: Scopes  # the scopes in force where the callee is called
    _brought: dict[int, Collector]  # id(with) -> the caller's collector whose with it is

    def __call__(self, ctx: CallContext) -> None:
        """As explain's, and a ``**mapping`` the call passes is read in this context."""
        before = len(self.reports)
        super().__call__(ctx)
        if len(self.reports) == before:
            return
        report = self.reports[-1]
        for kw in ctx.call.keywords:
            if kw.arg is not None:
                continue
            keys = unpacked_keys(kw.value, ctx.frame)
            if keys is None:
                continue
            text = f"**{self._text(kw.value)}"
            report["incomplete"] = [i for i in report["incomplete"]
                                    if not (i["reason"] == "call-kwargs" and i["text"] == text)]
            for name, value in keys.items():
                report["keywords"][name] = {
                    "value": None if value is None else self._text(value), "from": "call",
                    "line": kw.value.lineno}
            report["keywords"] = dict(sorted(report["keywords"].items()))

    def _entered_by(self, name: str, kv: KwVal, op: Any, withs: list[Any]) -> Any:
        if self.incoming.entry_for(op).known.get(name) is not kv:
            for w in withs:  # a with of the callee's own
                scopes = self.walker.with_scopes.get(id(w))
                if scopes is not None and scopes.entry_for(op).known.get(name) is kv:
                    return w
        for collector, call in self.bringers:  # then the callers', outermost first
            for w in collector._enclosing_withs(call):
                scopes = collector.walker.with_scopes.get(id(w))
                if scopes is not None and scopes.entry_for(op).known.get(name) is kv:
                    self._brought[id(w)] = collector
                    return w
        return kv.scope_node

    def _from_scope(self, kv: KwVal, with_node: Any) -> dict[str, Any]:
        # (``with_node``: ast.With | ast.AsyncWith | None, as in the base class)
        owner = self._brought.get(id(with_node)) if with_node is not None else None
        if owner is None:
            out = super()._from_scope(kv, with_node)
            out["scope_path"] = self.path
            if "factory_line" in out and out.get("factory_path") is None:
                out["factory_path"] = self.path
            return out
        resolver = getattr(kv.origin, "resolver", None)
        value = None if kv.node is None else source_text(
            kv.node, resolver.source if resolver is not None else owner.source)
        start: int = with_node.lineno
        out = {"value": value, "from": "scope", "scope_path": owner.path, "scope_line": start}
        header_end = max((getattr(i.context_expr, "end_lineno", None) or start)
                         for i in with_node.items)
        elsewhere = resolver is not None and resolver is not owner.walker.resolver
        if elsewhere or kv.scope_node is not with_node or not (
                start <= kv.line <= header_end):
            out["factory_path"] = self.level.index.path_of(resolver) if elsewhere else (
                owner.path)
            out["factory_line"] = kv.line
        return out


class Index:
    """Contexts of op calls, by site; ``stopped``: function def (path, line) -> the reasons
    a walk did not enter it."""

    def __init__(self, config: Config) -> None:
        quiet = copy.copy(config)
        quiet.enabled = frozenset()  # the model only: no rule needs to run
        self.config = quiet
        self.found: dict[Site, list[dict[str, Any]]] = {}
        self.calls: dict[Site, dict[str, Any]] = {}  # what explain says of the call itself
        # (path, line of a def) -> the walks that did not enter it: chain, reason, keys
        self.stopped: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.walks = 0
        self.failures: list[tuple[str, str]] = []  # (path, what failed): said on stderr
        self._files: set[str] = set()
        # (id(def), id(scopes), keys, id(call)) -> (scopes kept alive, [(site, chain below,
        # context)])
        self._memo: dict[tuple[Any, ...], tuple[Scopes, list[Any]]] = {}

    # ------------------------------------------------------------ building
    def add_paths(self, paths: list[str]) -> None:
        """Walk the given files, and the files of their projects that enter a scope."""
        for path in project_files(paths):
            self.add_file(path)

    def add_file(self, path: str, source: str | None = None) -> None:
        path = os.path.abspath(path)
        if path in self._files:
            return
        self._files.add(path)
        if source is None:
            try:
                with open(path, encoding="utf-8") as f:
                    source = f.read()
            except (OSError, UnicodeDecodeError):
                return
        if not any(t in source for t in _TRIGGERS):
            return  # a file that enters no scope brings none
        try:
            tree = ast.parse(source, filename=path)
        except (SyntaxError, ValueError):
            return
        try:
            walker = ExplainWalker(tree, self.config, path, source)
            self._walk_file(walker, path, source, None)
            for world in key_worlds(walker.resolver):
                in_world = ExplainWalker(tree, self.config, path, source)
                in_world.resolver.keys = world
                self._walk_file(in_world, path, source, world)
        except Exception as exc:  # a bug here loses this file's contexts, nothing else
            self.failures.append((path, f"{type(exc).__name__}: {exc}"))

    def _walk_file(self, walker: ExplainWalker, path: str, source: str,
                   keys: KeyWorld | None) -> None:
        collector = Collector(walker, path, source)
        walker._skip = _resolve_all
        walker.forward = Level(self, collector, path, (), (), (), keys)  # type: ignore[assignment]
        try:
            walker.run()
        except RecursionError:
            pass

    def follow(self, level: Level, call: ast.Call, sym: LocalDef, scopes: Scopes,
               frame: Frame | None, decorated: bool = False) -> None:
        """Record the contexts of the op calls ``sym``'s body (and what it calls) makes when
        ``call`` (in ``level``'s file) calls it under ``scopes``."""
        node = sym.node
        resolver = sym.frame.resolver
        where = (self.path_of(resolver) or level.path, node.lineno)
        chain = level.chain + ((level.path, call.lineno),)
        stop = None
        if id(node) in level.defs:
            stop = "recursion"
        elif len(level.chain) >= MAX_DEPTH:
            stop = "depth"
        elif not _body(node, decorated).runs:
            stop = "decorated" if getattr(node, "decorator_list", None) else "generator"
        # (the call too: its arguments decide what the body's parameters resolve to)
        memo_key = (id(node), id(scopes), level.keys, id(call))
        memo = self._memo.get(memo_key)
        if stop is None and (memo is None or memo[0] is not scopes):
            if self.walks >= MAX_WALKS:
                stop = "budget"
            else:
                self.walks += 1
                try:
                    records = self._walk_body(level, call, sym, scopes, where[0],
                                              _arguments(sym, call, frame, decorated))
                    memo = self._memo[memo_key] = (scopes, records)
                except RecursionError:
                    stop = "depth"
                except Exception as exc:  # (a bug: the contexts through this call are lost)
                    stop = "error"
                    self.failures.append((where[0], f"{type(exc).__name__}: {exc}"))
        if stop is not None:
            self._stopped(where, chain, stop, level.keys)
            return
        assert memo is not None
        for site, below, context in memo[1]:
            if "stop" in context:  # a walk deeper down that stopped
                self._stopped(site[:2], chain + below, context["stop"], level.keys)
                continue
            entry = dict(context)
            entry["chain"] = [{"path": p, "line": n} for p, n in chain + below]
            if level.keys is not None:
                entry["keys"] = {level.keys.variable: level.keys.key}
            self.found.setdefault(site, []).append(entry)

    def _stopped(self, where: tuple[str, int], chain: tuple[tuple[str, int], ...],
                 reason: str, keys: KeyWorld | None) -> None:
        """A walk that did not enter the function defined at ``where`` (path, line)."""
        entry: dict[str, Any] = {"chain": chain, "reason": reason}
        if keys is not None:
            entry["keys"] = {keys.variable: keys.key}
        self.stopped.setdefault(where, []).append(entry)

    def _walk_body(self, level: Level, call: ast.Call, sym: LocalDef, scopes: Scopes,
                   path: str, arguments: Arguments) -> list[Any]:
        """The contexts, relative to the call, of the op calls reached from ``sym``'s body."""
        resolver = sym.frame.resolver
        main = level.collector.walker
        walker = cast(ExplainWalker, callee_walker(main, sym, (), ExplainWalker))
        walker.with_scopes = {}
        walker._skip = _resolve_all  # (``block.unit_fn``: a local's attribute, too)
        collector = ContextCollector(walker, path, resolver.source or "")
        collector.level = level
        collector.bringers = level.bringers + ((level.collector, call),)
        collector.incoming = scopes
        collector._brought = {}
        walker.observer = collector
        # deeper calls record into a private index level, then come back relative
        inner = Index.__new__(Index)
        inner.__dict__.update(self.__dict__)
        inner.found = {}
        inner.stopped = {}
        walker.forward = Level(inner, collector, path, (), level.defs + (id(sym.node),),
                               collector.bringers, level.keys)  # type: ignore[assignment]
        frame = resolver.frame_for(sym.node, sym.frame)
        before = resolver.arguments.get(id(sym.node))
        resolver.arguments[id(sym.node)] = arguments
        try:
            walker.walk_body(sym.node.body, frame, scopes, sym.node)
        finally:
            if before is None:
                del resolver.arguments[id(sym.node)]
            else:
                resolver.arguments[id(sym.node)] = before
        self.walks = inner.walks
        records: list[Any] = []
        if walker._dynamic:
            return records  # an arg_scope entered outside a with: its scopes are not known
        branches = _branches(sym.node)
        for report in collector.reports:
            site = (path, report["line"], report["col"], report["via"])
            self.calls.setdefault(site, {k: report[k] for k in _CALL_FIELDS})
            records.append((site, (), {
                "keywords": report["keywords"],
                "incomplete": [i for i in report["incomplete"] if i["reason"] != "callers"],
                "maybe": _inside(branches, report["line"])}))
        for where, stops in inner.stopped.items():
            for stop in stops:  # relative to this call, as its contexts are
                records.append((where + (0, None), stop["chain"], {"stop": stop["reason"]}))
        for site, contexts in inner.found.items():
            for context in contexts:
                below = tuple((c["path"], c["line"]) for c in context["chain"])
                rest = {k: v for k, v in context.items() if k not in ("chain", "keys")}
                rest["maybe"] = rest["maybe"] or _inside(branches, below[0][1])
                records.append((site, below, rest))
        return records

    # ------------------------------------------------------------ reading
    def path_of(self, resolver: Resolver | None) -> str | None:
        if resolver is None:
            return None
        project = resolver.project
        if resolver.current is None or project is None:
            return None
        found = _find(resolver.current[0], project.roots)
        return os.path.abspath(found) if found else None

    def sites_in(self, path: str) -> list[Site]:
        """The op calls of a file that contexts reach."""
        path = os.path.abspath(path)
        return [site for site in self.found if site[0] == path]

    def contexts(self, path: str, line: int, col: int, via: str | None) -> list[dict[str, Any]]:
        return self.found.get((os.path.abspath(path), line, col, via), [])

    def stops(self, path: str, line: int) -> list[dict[str, Any]]:
        """The walks that stopped short of the function defined on ``line``: each with its
        chain of calls ({"path", "line"}, outermost first), reason and key."""
        out = []
        for stop in self.stopped.get((os.path.abspath(path), line), ()):
            entry = dict(stop)
            entry["chain"] = [{"path": p, "line": n} for p, n in stop["chain"]]
            if entry not in out:
                out.append(entry)
        return out


class _ResolveAll(Uninteresting):
    """The contexts' walks skip no call (relevance.py skips a local's attributes)."""

    def __init__(self) -> None:
        pass

    def __call__(self, func: ast.Attribute, scopes: Scopes, observed: bool) -> bool:
        return False


_resolve_all = _ResolveAll()


def _arguments(sym: LocalDef, call: ast.Call, frame: Frame | None,
               decorated: bool) -> Arguments:
    """What each parameter of ``sym`` holds when ``call`` (written in ``frame``) calls it:
    the argument, or the default it leaves (not for a project op: the scope may supply
    it). Parameters ``*args``/``**kwargs`` may fill are left out."""
    if frame is None:
        return {}
    args = sym.node.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    if any(isinstance(a, ast.Starred) for a in call.args) or len(call.args) > len(positional):
        return {}
    given: Arguments = {name: (value, frame) for name, value in zip(positional, call.args)}
    unpacked = any(kw.arg is None for kw in call.keywords)
    for kw in call.keywords:
        if kw.arg is not None:
            given[kw.arg] = (kw.value, frame)
    if unpacked or decorated:
        return given  # ``**kwargs`` (or the scope) may give any other parameter
    defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    defaults.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults)
                    if d is not None)
    for name, value in defaults.items():
        given.setdefault(name, (value, sym.frame))  # evaluated where the def is
    return given


def project_files(paths: list[str]) -> list[str]:
    """The given ``.py`` files, then every ``.py`` file of the outermost package holding
    each (absolute; at most ``MAX_FILES``): where the scopes their functions run under may
    be entered."""
    candidates: list[str] = []
    for path in paths:
        if path.endswith(".py") and os.path.isfile(path):
            candidates.append(os.path.abspath(path))
    tops = {_top_package(p) for p in candidates}
    for top in sorted(t for t in tops if t is not None):
        for root, dirs, files in os.walk(top):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            candidates.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".py"))
            if len(candidates) > MAX_FILES:
                break
    return list(dict.fromkeys(candidates))[:MAX_FILES]


def _scope_wrapped(sym: LocalDef) -> bool:
    """Is the def's only decorator ``add_arg_scope`` (any spelling the resolver knows)?"""
    from flake8_argscope.known import Api

    decorators = sym.node.decorator_list
    if len(decorators) != 1:
        return False
    target = sym.frame.resolver.target_of(decorators[0], sym.frame)
    return isinstance(target, Api) and target.name == "add_arg_scope"


def _top_package(path: str) -> str | None:
    """The outermost package directory holding ``path`` (None: not in a package)."""
    top = None
    d = os.path.dirname(path)
    while os.path.isfile(os.path.join(d, "__init__.py")):
        top = d
        parent = os.path.dirname(d)
        if parent == d:
            break
        d = parent
    return top
