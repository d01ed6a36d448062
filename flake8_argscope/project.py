"""The project's own modules: where they are, and their parsed models (cached per process).

A name imported from a module of the project resolves into that module's definitions: ops,
plain defs, scope factories, re-exports. Modules are looked up below the import roots only,
so a name that leads outside the project (an installed package, the standard library,
tensorflow & co.) is never parsed. Other modules come from disk, parsed with ``ast`` into the
same resolver the linted file uses and cached by ``(path, mtime_ns, size)``; the linted file
itself comes from flake8's lines. astroid is deliberately not imported at lint time: its
import alone costs more than the per-file budget.
"""

from __future__ import annotations

import ast
import os
import re
from collections import OrderedDict
from typing import TYPE_CHECKING

from flake8_argscope.known import is_outside_project

if TYPE_CHECKING:
    from flake8_argscope.checker import Config
    from flake8_argscope.resolve import Resolver

MAX_CACHED_MODULES = 512
FACTORY = "factory"  # force level: parse modules that can define a scope factory
MAX_MODULE_BYTES = 2_000_000
# path -> ((mtime_ns, size), the module's Resolver | None)
_MODELS: OrderedDict[str, tuple[tuple[int, int], Resolver | None]] = OrderedDict()
_LOCATIONS: dict[tuple[tuple[str, ...], str], str | None] = {}  # (roots, dotted) -> path


def import_root(path: str) -> str | None:
    """The first ancestor directory without ``__init__.py``: where Python would start."""
    directory = os.path.dirname(os.path.abspath(path))
    for _ in range(64):
        if not os.path.isfile(os.path.join(directory, "__init__.py")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return directory
        directory = parent
    return None


def module_name(path: str, root: str) -> tuple[str, bool] | None:
    """Dotted name of ``path`` below ``root`` and whether it is a package ``__init__``."""
    rel = os.path.relpath(os.path.abspath(path), root)
    if rel.startswith(".."):
        return None
    parts = rel[:-3].split(os.sep) if rel.endswith(".py") else None
    if not parts:
        return None
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


# What a module's text must mention to be parsed, by what the caller looks for:
# an op (the default), a scope factory, or anything (``force=True``: certainty needed).
_DEFINES = re.compile(r"add_arg_scope|layer_register|enable_argscope_for")
_GATES: dict[bool | str, re.Pattern[str]] = {
    False: _DEFINES, FACTORY: re.compile(r"arg_scope|argscope")}
_TEXTS: dict[str, tuple[tuple[int, int], str]] = {}  # path -> (stamp, text)


def _text(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return ""
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _TEXTS.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    text = ""
    if st.st_size <= MAX_MODULE_BYTES:
        try:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8", "replace")
        except OSError:
            text = ""
    if len(_TEXTS) > 4 * MAX_CACHED_MODULES:
        _TEXTS.clear()
    _TEXTS[path] = (stamp, text)
    return text


# (path, wanted, level, text length) -> bool
_WORTH: dict[tuple[str, str | None, bool | str, int], bool] = {}


def _worth_parsing(path: str, wanted: str | None, level: bool | str = False) -> bool:
    key = (path, wanted, level, len(_text(path)))
    found = _WORTH.get(key)
    if found is None:
        if len(_WORTH) > 50_000:
            _WORTH.clear()
        found = _WORTH[key] = _compute_worth(path, wanted, level)
    return found


def _compute_worth(path: str, wanted: str | None, level: bool | str = False) -> bool:
    """Can this module define what the caller looks for, or does it re-export ``wanted``?"""
    text = _text(path)
    if _GATES[level].search(text):
        return True
    if not wanted:
        return False
    word = re.compile(rf"\b{re.escape(wanted)}\b|\*")
    for m in _IMPORT_STMT.finditer(text):
        if word.search(m.group(0)):
            return True
    return False


_IMPORT_STMT = re.compile(r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]+(?:\([^)]*\)|[^\n]*)"
                          r"|import[ \t]+[^\n]*)", re.M)


def _find(dotted: str, roots: tuple[str, ...]) -> str | None:
    key = (roots, dotted)
    if key in _LOCATIONS:
        return _LOCATIONS[key]
    found = None
    top = dotted.split(".", 1)[0]
    if top and not is_outside_project(top):
        found = _find_in_roots(dotted, roots)
    if len(_LOCATIONS) > 20_000:
        _LOCATIONS.clear()
    _LOCATIONS[key] = found
    return found


def _find_in_roots(dotted: str, roots: tuple[str, ...]) -> str | None:
    """The file of a module below one of the roots (a package ``__init__`` or a ``.py``).
    Plain stat calls: importing astroid just to locate files would cost ~70 ms a process."""
    rel = dotted.replace(".", os.sep)
    for root in roots:
        for candidate in (os.path.join(root, rel, "__init__.py"),
                          os.path.join(root, rel + ".py")):
            if os.path.isfile(candidate):
                return candidate
    return None


class Project:
    """The import roots of one linted file and the door to the other modules."""

    def __init__(self, filename: str | None, config: Config) -> None:
        roots = []
        if filename and filename not in ("stdin", "-"):
            root = import_root(filename)
            if root:
                roots.append(root)
        roots.append(os.getcwd())
        roots.extend(os.path.abspath(r) for r in config.import_roots)
        self.roots = tuple(dict.fromkeys(roots))
        self.config = config
        self.filename = filename
        self.current: tuple[str, bool] | None = None  # (dotted name, is a package)
        if filename and filename not in ("stdin", "-"):
            for root in self.roots:
                named = module_name(filename, root)
                if named is not None:
                    self.current = named
                    break
        self._depth = 0

    def absolute(self, level: int, module: str | None,
                 current: tuple[str, bool] | None) -> str | None:
        """Absolute dotted name of a relative import seen in module ``current``."""
        if current is None:
            return None
        name, is_package = current
        parts = name.split(".") if name else []
        if not is_package:
            parts = parts[:-1]
        if level - 1 > len(parts):
            return None
        if level > 1:
            parts = parts[: len(parts) - (level - 1)]
        if module:
            parts.append(module)
        return ".".join(p for p in parts if p) or None

    def model(self, dotted: str, wanted: str | None = None,
              force: bool | str = True) -> Resolver | None:
        """The parsed model of project module ``dotted``, or None outside the project.

        Unless ``force``d, a module is parsed only when its text can define ops or scopes,
        or when it imports ``wanted`` (a re-export)."""
        path = _find(dotted, self.roots)
        if path is None:
            return None
        if self.filename and os.path.abspath(path) == os.path.abspath(self.filename):
            return None  # the linted file comes from flake8's lines, not from disk
        if force is not True and not _worth_parsing(path, wanted, force):
            return None
        return self._load(path, dotted)

    def _load(self, path: str, dotted: str) -> Resolver | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        cached = _MODELS.get(path)
        if cached is not None and cached[0] == stamp:
            _MODELS.move_to_end(path)
            return cached[1]
        model = None
        if st.st_size <= MAX_MODULE_BYTES:
            try:
                text = _text(path)
                tree = ast.parse(text, filename=path)
                from flake8_argscope.resolve import Resolver

                is_package = os.path.basename(path) == "__init__.py"
                model = Resolver(tree, self.config, project=self,
                                 current=(dotted, is_package), source=text)
            except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
                model = None
        _MODELS[path] = (stamp, model)
        while len(_MODELS) > MAX_CACHED_MODULES:
            _MODELS.popitem(last=False)
        return model

    def is_module(self, dotted: str) -> bool:
        return _find(dotted, self.roots) is not None

    def split(self, path: str,
              force: bool | str = True) -> tuple[Resolver | None, list[str] | None]:
        """``pkg.mod.attr.x`` -> (model of the longest project-module prefix, rest)."""
        parts = path.split(".")
        if is_outside_project(path):
            return None, None
        for i in range(len(parts) - 1, 0, -1):
            dotted = ".".join(parts[:i])
            if _find(dotted, self.roots) is None:
                continue
            return self.model(dotted, parts[i], force), parts[i:]
        return None, None


def clear_cache() -> None:
    _MODELS.clear()
    _TEXTS.clear()
    _WORTH.clear()
    _LOCATIONS.clear()
