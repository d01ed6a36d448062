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

Proof: the model's picture of every call of the project, with all its contexts, before and
after, computed over a scratch copy of the project's files (so the model reads the edited
texts): the contexts identical, the call's own picture grown by exactly what was written,
and no file gaining a finding but ASC101.
"""

from __future__ import annotations

import ast
import copy
import os
import shutil
import tempfile
from collections import Counter
from typing import TYPE_CHECKING, Any

from flake8_argscope import known
from flake8_argscope.cli.absorb import Reach, Refused
from flake8_argscope.symbols import LocalDef

if TYPE_CHECKING:
    from flake8_argscope.api import Config
    from flake8_argscope.cli.contexts import Index
    from flake8_argscope.cli.inline import _Inline
    from flake8_argscope.frames import Frame

    Written = dict[tuple[int, int], dict[str, str]]  # (line, col) of a call -> kw -> value

_INCOMPLETE_OK = frozenset({"call-starargs"})
_TRIGGERS = ("arg_scope", "argscope")


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
            raise Refused(f"{where}: a layer call of slim.repeat/stack in a project "
                          "function: not inlined across calls")
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


class Across:
    """The project one inline run may edit: its files' current texts, a scratch copy of
    them the model reads, the index of contexts over the copy, and the picture."""

    def __init__(self, paths: list[str], config: Config) -> None:
        from flake8_argscope.cli.contexts import project_files

        self.config = config
        self.given = paths
        self.files: list[str] = []  # absolute originals, filled when first needed
        self.texts: dict[str, str] = {}  # original -> current text (read or edited)
        self.originals: dict[str, str] = {}  # original -> text as read
        self._project_files = project_files
        self._root: str | None = None
        self._base = ""
        self._index: Index | None = None
        self._frames: dict[tuple[str, int], Frame] = {}  # (path, line) of a with -> frame
        self._picture: dict[str, list[Any]] | None = None

    # ------------------------------------------------------------ texts
    def text(self, path: str) -> str:
        from flake8_argscope.cli import read_source

        path = os.path.abspath(path)
        if path not in self.texts:
            self.texts[path] = self.originals[path] = read_source(path)
        return self.texts[path]

    def set_text(self, path: str, text: str) -> None:
        path = os.path.abspath(path)
        self.text(path)
        if self.texts[path] == text:
            return
        self.texts[path] = text
        if self._root is not None:
            self._write(path, text)
            self._index = self._picture = None
            self._frames = {}

    def changed(self) -> list[str]:
        return [p for p, t in self.texts.items() if t != self.originals[p]]

    def scratch(self, path: str) -> str:
        """Where the copy of ``path`` is (the copy is made on first use)."""
        if self._root is None:
            self._materialize()
        assert self._root is not None
        return os.path.join(self._root, os.path.relpath(os.path.abspath(path), self._base))

    def original(self, scratch: str) -> str:
        assert self._root is not None
        return os.path.join(self._base, os.path.relpath(scratch, self._root))

    def _materialize(self) -> None:
        from flake8_argscope.cli.contexts import _top_package

        self.files = self._project_files(self.given)
        # (from above the outermost packages: the copies import each other as they do)
        self._base = os.path.commonpath([
            os.path.dirname(_top_package(f) or f) for f in self.files])
        self._root = tempfile.mkdtemp(prefix="argscope-inline-")
        for path in self.files:
            target = self.scratch(path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if path in self.texts:
                with open(target, "w", encoding="utf-8", newline="") as f:
                    f.write(self.texts[path])
            else:
                shutil.copyfile(path, target)

    def _write(self, path: str, text: str) -> None:
        from flake8_argscope import project

        with open(self.scratch(path), "w", encoding="utf-8", newline="") as f:
            f.write(text)
        project.clear_cache()  # (the stamps may not see a write within a tick)

    def close(self) -> None:
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    # ------------------------------------------------------------ the model over the copy
    def index(self) -> Index:
        from flake8_argscope.cli.contexts import Index

        if self._index is None:
            index = Index(self.config)
            for path in self.files:
                index.add_file(self.scratch(path), self._scratch_text(path))
            self._index = index
        return self._index

    def _scratch_text(self, path: str) -> str | None:
        return self.texts.get(path)  # (None: the index reads the copy)

    def picture(self, also: frozenset[str] = frozenset()) -> dict[str, list[Any]]:
        """Per scratch file that enters a scope, or has op calls contexts reach, or is in
        ``also``: each op call's position, and what it receives, as written and in each
        context (values as syntax)."""
        from flake8_argscope.cli.explain import explain_source
        from flake8_argscope.cli.inline import _values

        if self._picture is not None:
            return self._picture
        index = self.index()
        sited = {site[0] for site in index.found}
        out: dict[str, list[Any]] = {}
        for path in self.files:
            scratch = self.scratch(path)
            text = self._read(path)
            if scratch not in sited and scratch not in also and not any(
                    t in text for t in _TRIGGERS):
                continue
            try:
                reports = explain_source(text, scratch, self.config, index)
            except (SyntaxError, ValueError):
                continue
            out[scratch] = [((r["line"], r["col"]), r.get("resolved"), r["via"],
                             _values(r["keywords"]),
                             [((c["chain"][0]["path"], c["chain"][0]["line"]),
                               _values(c["keywords"])) for c in r["contexts"]])
                            for r in reports]
        self._picture = out
        return out

    def _read(self, path: str) -> str:
        if path in self.texts:
            return self.texts[path]
        with open(self.scratch(path), encoding="utf-8", errors="replace") as f:
            return f.read()

    # ------------------------------------------------------------ deciding
    def plan(self, attempt: _Inline, recorded: list[Any]) -> dict[str, list[Any]]:
        """For each recorded op call, the keywords to write in: {scratch path: [(call,
        {kw: value text}, its function's name)]}. Refused when one of the conditions above fails."""
        index = self.index()
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
            for kw, value in pairs.items():
                _expressible(kw, value, attempt.frame, frame, where)
            out.setdefault(path, []).append((call, pairs, getattr(syms[-1].node, "name", "?")))
        return out

    @staticmethod
    def _brought(contexts: list[dict[str, Any]], here: str, line: int,
                 where: str) -> dict[str, str]:
        """The keywords the scope (``line`` of ``here``) supplies to the call: the same in
        every context that starts in its body."""
        pairs: dict[str, str] = {}
        for c in contexts:
            for kw, info in c["keywords"].items():
                if info.get("scope_path") != here or info.get("scope_line") != line:
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
                if got is None or _syntax(got["value"]) != _syntax(value):
                    shown = "nothing" if got is None else got["value"]
                    raise Refused(f"{where}: the context {chain} gives {kw} {shown}, not "
                                  f"{value}")
                if (got.get("scope_path"), got.get("scope_line")) != ours:
                    self._means_the_same(kw, got, frame, f"{where}: the context {chain}")

    def _means_the_same(self, kw: str, got: dict[str, Any], frame: Frame, where: str) -> None:
        """The same text from another with: its names must mean the same there."""
        if got.get("from") != "scope" or got.get("factory_line") is not None:
            raise Refused(f"{where} gives {kw} from elsewhere (a scope function, a call)")
        key = (got["scope_path"], got["scope_line"])
        other = self._frames.get(key)
        if other is None:
            from flake8_argscope.cli.inline import frame_of
            from flake8_argscope.walk import Walker

            text = self._read(self.original(key[0]))
            tree = ast.parse(text)
            node = next((n for n in ast.walk(tree) if isinstance(n, (ast.With, ast.AsyncWith))
                         and n.lineno == key[1]), None)
            if node is None:
                raise Refused(f"{where}: the with on line {key[1]} was not found")
            quiet = copy.copy(self.config)
            quiet.enabled = frozenset()
            walker = Walker(tree, quiet, key[0], text)
            other = self._frames[key] = frame_of(walker.resolver, tree, node)
        _expressible(kw, got["value"], other, frame, where)

    def _only_called(self, sym: LocalDef, at: str, allowed: set[tuple[str, int]],
                     where: str) -> None:
        """Every use of the function's name in the project is a call the contexts went
        through: elsewhere it may run where the scope is not in force."""
        name = getattr(sym.node, "name", "")
        for path in self.files:
            scratch = self.scratch(path)
            text = self._read(path)
            if name not in text:
                continue
            try:
                tree = ast.parse(text)
            except (SyntaxError, ValueError):
                raise Refused(f"{where}: {os.path.basename(scratch)} does not parse") from None
            if scratch != at and _defines(tree, name):
                continue  # a function of its own of that name
            library = _library_names(tree, self._tops())
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
                shown = f"{os.path.basename(self.original(scratch))}:{n.lineno}"
                if called is None:
                    raise Refused(f"{where}: {name} is used at {shown} other than in a call "
                                  "the scope reaches")
                if (scratch, called.lineno) not in allowed:
                    raise Refused(f"{where}: {name}() is also called at {shown}, where this "
                                  "scope is not in force")

    def _tops(self) -> frozenset[str]:
        """The top-level names the project's modules are imported by (its outermost
        packages, its lone modules)."""
        from flake8_argscope.cli.contexts import _top_package

        return frozenset(os.path.splitext(os.path.basename(_top_package(f) or f))[0]
                         for f in self.files)

    # ------------------------------------------------------------ proof
    def verify(self, texts: dict[str, str], written: dict[str, Written],
               body: tuple[str, range]) -> None:
        """Edit the copy (``texts``: scratch path -> new text) and prove it; restore the
        copy when refused. ``written``: scratch path -> (line, col) before -> pairs;
        ``body``: where the removed scope's body was (path, lines)."""
        from flake8_argscope.api import build_config, findings

        before = self.picture()
        index = self._index
        olds = {p: self.texts[self.original(p)] for p in texts}
        for text in texts.values():
            try:
                ast.parse(text)
            except SyntaxError as exc:
                raise Refused(f"the result would not parse ({exc.msg})") from None
        for scratch, text in texts.items():
            self.set_text(self.original(scratch), text)
        try:
            after = self.picture(frozenset(before))
            for scratch, old in before.items():
                new = after.get(scratch)
                shown = os.path.basename(self.original(scratch))
                if new is None or len(new) != len(old):
                    raise Refused(f"a call would receive other keywords (the model's check: "
                                  f"{shown})")
                for b, a in zip(old, new):
                    if not _same_call(b, a, written.get(scratch, {}).get(b[0]), body):
                        raise Refused("a call would receive other keywords (the model's "
                                      f"check: {shown} line {b[0][0]})")

            def codes(source: str, path: str) -> Counter[str]:
                tree = ast.parse(source)
                found = findings(tree, build_config(), path, source)
                return Counter(m[:6] for _l, _c, m in found)

            for scratch, text in texts.items():
                grown = codes(text, scratch) - codes(olds[scratch], scratch)
                grown.pop("ASC101", None)
                if grown:
                    raise Refused(f"it would introduce {', '.join(sorted(grown))} in "
                                  f"{os.path.basename(self.original(scratch))}")
        except BaseException:
            for scratch, text in olds.items():
                self.set_text(self.original(scratch), text)
            self._index, self._picture = index, before
            raise


def _same_call(b: Any, a: Any, grown: dict[str, str] | None, body: tuple[str, range]) -> bool:
    """One call's picture before (``b``) and after (``a``): the same op; its own keywords
    and those of each context the same, grown by exactly what was written in (``grown``);
    the same contexts, but those that started in the removed scope's body, which are no
    more (no scope is in force there now) and must be what the call now receives by itself
    or in one of its contexts."""
    from flake8_argscope.cli.inline import _syntax

    if b[1:3] != a[1:3]:
        return False
    added = {k: (_syntax(v), False) for k, v in (grown or {}).items()}
    if a[3] != {**b[3], **added}:
        return False
    left = [(root, {**values, **added}) for root, values in b[4]]
    for _root, values in a[4]:
        match = next((i for i, (_r, v) in enumerate(left) if v == values), None)
        if match is None:
            return False
        del left[match]
    # (what such a context held now holds in a context that starts further down the
    # chain, at a with of a callee, or in none)
    now = [a[3]] + [values for _root, values in a[4]]
    return all(root[0] == body[0] and root[1] in body[1] and values in now
               for root, values in left)


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
