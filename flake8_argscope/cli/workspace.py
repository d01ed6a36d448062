"""The project an ``inline`` run edits (cli/across.py): the files' current texts, a scratch
copy of them that the model reads (so it sees the edited texts), the index of contexts over
the copy, and the proof of an edit: the model's picture of every op call of the project, with
all its contexts, before and after."""

from __future__ import annotations

import ast
import os
import shutil
import tempfile
from collections import Counter
from typing import TYPE_CHECKING, Any

from flake8_argscope.cli.absorb import Refused
from flake8_argscope.cli.contexts import _TRIGGERS

if TYPE_CHECKING:
    from flake8_argscope.api import Config
    from flake8_argscope.cli.contexts import Index
    from flake8_argscope.frames import Frame

    Written = dict[tuple[int, int], dict[str, str]]  # (line, col) of a call -> kw -> value


class Workspace:
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
        self._defined: frozenset[str] | None = None  # the project's function names
        self.frames: dict[tuple[str, int], Frame] = {}  # (path, line) of a with -> frame
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
            self.frames = {}

    def defines(self, name: str) -> bool:
        """Does a function (or method) of the project have this name? (Every file is parsed
        once, on the first question.)"""
        if self._defined is None:
            from flake8_argscope.cli.contexts import project_files

            names: set[str] = set()
            for path in self.files or project_files(self.given):
                try:
                    tree = ast.parse(self.read(path))
                except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
                    continue
                names.update(n.name for n in ast.walk(tree)
                             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))
            self._defined = frozenset(names)
        return name in self._defined

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
            text = self.read(path)
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

    def read(self, path: str) -> str:
        """The current text of an original path (the file's, when nothing edited it: the
        copy holds the same bytes)."""
        if path in self.texts:
            return self.texts[path]
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def tops(self) -> frozenset[str]:
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

            for scratch, text in texts.items():
                grown = finding_codes(text, scratch) - finding_codes(olds[scratch], scratch)
                grown.pop("ASC101", None)
                if grown:
                    raise Refused(f"it would introduce {', '.join(sorted(grown))} in "
                                  f"{os.path.basename(self.original(scratch))}")
        except BaseException:
            for scratch, text in olds.items():
                self.set_text(self.original(scratch), text)
            self._index, self._picture = index, before
            raise


def finding_codes(source: str, path: str, tree: ast.Module | None = None) -> Counter[str]:
    """The codes of the findings flake8 would report in ``source``, counted."""
    from flake8_argscope.api import build_config, findings

    tree = tree if tree is not None else ast.parse(source)
    return Counter(m[:6] for _l, _c, m in findings(tree, build_config(), path, source))


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
