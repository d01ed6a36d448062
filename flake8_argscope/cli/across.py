"""``inline`` across calls: a scope whose keywords reach op calls in project functions.

``with slim.arg_scope([slim.conv2d], outputs_collections=None): net = squeeze(net, 16)``
where ``squeeze`` calls ``slim.conv2d``: to remove the scope, the keyword is written into the
call in ``squeeze``'s body, and that call then passes it in every context, so it must receive
the same value in every context that reaches it. The index of contexts (cli/contexts.py) says
what those contexts are; an edit is made only when:

- every function between the scope and the op call is *only* called at calls those contexts
  went through (any other use of its name in the project: refused; it may be called where
  the scope is not in force), and no walk stopped short of it;
- every context of the call gives each written keyword the same value, and its picture is
  complete;
- each name in the value means the same in the callee (a module-level name of the same
  module, or the same import), not a name of the scope's function.

Closed world: the project is the files given and every ``.py`` file of their outermost
packages (the index's). Callers outside it are not seen.

Proof (cli/workspace.py): the model's picture of every call of the project, with all its
contexts, before and after, computed over a scratch copy of the project's files (so the model
reads the edited texts): the contexts identical, the call's own picture grown by exactly what
was written, and no file gaining a finding but ASC101.
"""

from __future__ import annotations

import ast
import copy
import os
from typing import TYPE_CHECKING, Any

from flake8_argscope import known
from flake8_argscope.cli.absorb import Reach, Refused
from flake8_argscope.symbols import LocalDef

if TYPE_CHECKING:
    from flake8_argscope.cli.inline import _Inline
    from flake8_argscope.cli.workspace import Workspace
    from flake8_argscope.frames import Frame

_INCOMPLETE_OK = frozenset({"call-starargs"})


class Recording(Reach):
    """Reach, where a listed op's call in a project function that lacks the scope's
    keywords is recorded (with the functions the walk went through) instead of refused."""

    def __init__(self, keys: frozenset[str], kws: set[str], label: str) -> None:
        super().__init__(keys, kws, label)
        self.recorded: list[tuple[ast.Call, Frame, tuple[LocalDef, ...], str]] = []
        self._path: list[LocalDef] = []

    def lacking(self, call: ast.Call, frame: Frame, where: str, depth: int) -> None:
        if depth == 0 or not self._path:
            super().lacking(call, frame, where, depth)
        if not any(call is n for n in ast.walk(self._path[-1].node)):
            raise Refused(f"{where}: an op call not written in the function's body (a "
                          "layer call of slim.repeat/stack, a lambda's): not inlined across "
                          "calls")
        self.recorded.append((call, frame, tuple(self._path), where))

    def _check_body(self, sym: LocalDef, where: str, depth: int,
                    seen: frozenset[int]) -> None:
        if len(seen) != len(self._path):  # (a lambda on the way: its calls are not indexed)
            raise Refused(f"{where}: an op call reached through a lambda: not inlined "
                          "across calls")
        self._path.append(sym)
        try:
            super()._check_body(sym, where, depth, seen)
        finally:
            self._path.pop()


class Planner:
    """What one inline across calls writes where, or why not (the conditions above)."""

    def __init__(self, space: Workspace) -> None:
        self.space = space
        self.dict_mode = False

    def plan(self, attempt: _Inline, recorded: list[Any]) -> dict[str, list[Any]]:
        """For each recorded op call, the keywords to write in: {scratch path: [(call,
        {kw: value text}, its function's name)]}. Refused when one of the conditions above fails."""
        index = self.space.index()
        self.dict_mode = attempt.dict_scope is not None
        here = os.path.abspath(attempt.path)
        node = attempt.node
        body = range(node.body[0].lineno, (node.end_lineno or node.lineno) + 1)
        out: dict[str, list[Any]] = {}
        done: set[tuple[str, int]] = set()
        for call, frame, syms, where in recorded:
            path = here if frame.resolver is attempt.resolver else index.path_of(frame.resolver)
            if path is None or (path, id(call)) in done:
                continue
            done.add((path, id(call)))
            contexts = index.contexts(path, call.lineno, call.col_offset + 1, None)
            ours = [c for c in contexts if c["chain"] and c["chain"][0]["path"] == here
                    and c["chain"][0]["line"] in body]
            if not ours:
                raise Refused(f"{where}: no context reaches that call from this scope (a "
                              "walk the index did not make)")
            pairs = self._brought(ours, here, node.lineno, where)
            if attempt.dict_scope is not None:  # spelled for this call (cli/scope_dicts.py)
                key = index.calls.get((path, call.lineno, call.col_offset + 1, None), {})
                pairs = {kw: attempt.dict_scope.value(kw, key.get("resolved", ""), frame,
                                                      where)[0] for kw in pairs}
            elif pairs:
                for kw, value in pairs.items():
                    _expressible(kw, value, attempt.frame, frame, where)
            if not pairs:
                continue  # a scope of the callee's own supplies them
            spans = [(index.path_of(sym.frame.resolver) or here, sym.node.lineno,
                      sym.node.end_lineno or sym.node.lineno) for sym in syms]
            self._every_context(contexts, pairs, where, spans, (here, node.lineno), frame)
            allowed = {(s["path"], s["line"]) for c in contexts for s in c["chain"]}
            for sym in syms:
                at = index.path_of(sym.frame.resolver) or here
                name = getattr(sym.node, "name", "?")
                if index.stops(at, sym.node.lineno):
                    raise Refused(f"{where}: a walk of the contexts stopped at {name}()")
                self._only_called(sym, at, allowed, where)
            out.setdefault(path, []).append((call, pairs, getattr(syms[-1].node, "name", "?")))
        return out

    def _brought(self, contexts: list[dict[str, Any]], here: str, line: int,
                 where: str) -> dict[str, str]:
        """The keywords the scope (``line`` of ``here``) supplies to the call: the same in
        every context that starts in its body (a scope dict's: the text the model has)."""
        pairs: dict[str, str] = {}
        for c in contexts:
            for kw, info in c["keywords"].items():
                if info.get("scope_path") != here or info.get("scope_line") != line:
                    continue
                if self.dict_mode:
                    pairs[kw] = ""
                    continue
                if info.get("factory_line") is not None or info.get("value") is None:
                    raise Refused(f"{where}: the value of {kw} is not written in the with")
                if pairs.setdefault(kw, info["value"]) != info["value"]:
                    raise Refused(f"{where}: {kw} differs between the contexts")
        return pairs

    def _every_context(self, contexts: list[dict[str, Any]], pairs: dict[str, str],
                       where: str, spans: list[tuple[str, int, int]],
                       ours: tuple[str, int], frame: Frame) -> None:
        """Written in, a keyword holds in every context: each must already give it, the
        same value (another with's: the same text, whose names mean there what they mean
        at the call). But a context that starts in one of the functions between the scope
        and the call (a with of their own: ``spans``) is a part of the contexts of their
        callers, who are all known (``_only_called``): those hold what the call receives."""
        from flake8_argscope.cli.inline import _syntax

        for c in contexts:
            root = c["chain"][0] if c["chain"] else None
            if root and any(root["path"] == p and a <= root["line"] <= b for p, a, b in spans):
                continue
            bad = [i for i in c["incomplete"] if i["reason"] not in _INCOMPLETE_OK]
            chain = " -> ".join(f"{os.path.basename(s['path'])}:{s['line']}"
                                for s in c["chain"])
            if bad:
                raise Refused(f"{where}: the picture of the context {chain} is incomplete "
                              f"({bad[0]['reason']})")
            for kw, value in pairs.items():
                got = c["keywords"].get(kw)
                if got is not None and (got.get("scope_path"), got.get("scope_line")) == ours:
                    continue  # the scope's own value, as written in
                if got is None or _syntax(got["value"]) != _syntax(value):
                    shown = "nothing" if got is None else got["value"]
                    raise Refused(f"{where}: the context {chain} gives {kw} {shown}, not "
                                  f"{value}")
                self._means_the_same(kw, got, frame, f"{where}: the context {chain}")

    def _means_the_same(self, kw: str, got: dict[str, Any], frame: Frame, where: str) -> None:
        """The same text from another with: its names must mean the same there."""
        if got.get("from") != "scope" or got.get("factory_line") is not None:
            raise Refused(f"{where} gives {kw} from elsewhere (a scope function, a call)")
        key = (got["scope_path"], got["scope_line"])
        other = self.space.frames.get(key)
        if other is None:
            from flake8_argscope.cli.inline import frame_of
            from flake8_argscope.walk import Walker

            text = self.space.read(self.space.original(key[0]))
            tree = ast.parse(text)
            node = next((n for n in ast.walk(tree) if isinstance(n, (ast.With, ast.AsyncWith))
                         and n.lineno == key[1]), None)
            if node is None:
                raise Refused(f"{where}: the with on line {key[1]} was not found")
            quiet = copy.copy(self.space.config)
            quiet.enabled = frozenset()
            walker = Walker(tree, quiet, key[0], text)
            other = self.space.frames[key] = frame_of(walker.resolver, tree, node)
        _expressible(kw, got["value"], other, frame, where)

    def _only_called(self, sym: LocalDef, at: str, allowed: set[tuple[str, int]],
                     where: str) -> None:
        """Every use of the function's name in the project is a call the contexts went
        through: elsewhere it may run where the scope is not in force."""
        name = getattr(sym.node, "name", "")
        for path in self.space.files:
            scratch = self.space.scratch(path)
            text = self.space.read(path)
            if name not in text:
                continue
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                raise Refused(f"{where}: {os.path.basename(scratch)} does not parse") from None
            if scratch != at and _defines(tree, name):
                continue  # a function of its own of that name
            library = _library_names(tree, self.space.tops())
            funcs = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
            for n in ast.walk(tree):
                if isinstance(n, ast.Name) and n.id == name:
                    pass
                elif isinstance(n, ast.Attribute) and n.attr == name:
                    root = n.value
                    while isinstance(root, ast.Attribute):
                        root = root.value
                    if isinstance(root, ast.Name) and root.id in library:
                        continue  # tf.squeeze: the library's
                else:
                    continue
                if not isinstance(n.ctx, ast.Load):
                    continue
                called = funcs.get(id(n))
                shown = f"{os.path.basename(self.space.original(scratch))}:{n.lineno}"
                if called is None:
                    raise Refused(f"{where}: {name} is used at {shown} other than in a call "
                                  "the scope reaches")
                if (scratch, called.lineno) not in allowed:
                    raise Refused(f"{where}: {name}() is also called at {shown}, where this "
                                  "scope is not in force")


def _expressible(kw: str, value: str, frame_w: Frame, frame_c: Frame, where: str) -> None:
    """Each name of ``value`` (written at the scope) means the same at the call."""
    try:
        parsed = ast.parse(f"(\n{value}\n)", mode="eval").body
    except SyntaxError:
        raise Refused(f"{kw}: the value's text does not parse alone") from None
    for n in ast.walk(parsed):
        if isinstance(n, ast.Name) and not _same_meaning(n.id, frame_w, frame_c):
            raise Refused(f"{where}: {kw}={value}: {n.id} does not mean the same there")


def _same_meaning(name: str, a: Frame, b: Frame) -> bool:
    from flake8_argscope.symbols import Path

    for frame in (a, b):
        module = frame.resolver.module_frame
        f: Frame | None = frame
        while f is not None and f is not module:
            if f.binds(name):
                return False  # a local, a parameter: the scope's function's own
            f = f.parent
    if a.resolver is b.resolver:
        return True
    ma, mb = a.resolver.module_frame, b.resolver.module_frame
    if not ma.binds(name) and not mb.binds(name):
        return True  # a builtin
    sa = a.resolver.resolve_name(name, ma)
    sb = b.resolver.resolve_name(name, mb)
    return isinstance(sa, Path) and isinstance(sb, Path) and (
        known.normalise(sa.path) == known.normalise(sb.path))


def _defines(tree: ast.Module, name: str) -> bool:
    return any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
               and n.name == name for n in ast.walk(tree))


def _library_names(tree: ast.Module, project: frozenset[str]) -> set[str]:
    """Names the module binds by import to modules not of the project (``tf``, ``np``):
    ``np.squeeze`` is not the project's ``squeeze``."""
    out = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Import):
            for alias in n.names:
                if alias.name.split(".")[0] not in project:
                    out.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(n, ast.ImportFrom) and n.module and not n.level:
            if n.module.split(".")[0] not in project:
                out.update(alias.asname or alias.name for alias in n.names)
    return out
