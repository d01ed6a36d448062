"""The project's own modules: where they are, and their parsed models (cached per process).

A name imported from a module of the project resolves into that module's definitions: ops,
plain defs, scope factories, re-exports. Modules are looked up below the import roots only,
so a name that leads outside the project (an installed package, the standard library,
tensorflow & co.) is never parsed. Other modules come from disk, parsed with ``ast`` into the
same resolver the linted file uses; the linted file itself comes from flake8's lines.
astroid is deliberately not imported at lint time: its import alone costs more than the
per-file budget.

Editors run flake8 many times in one process, so the caches (locations, found or not; texts;
models, which hold what they resolved through other modules) are kept per generation: one
flake8 run, or up to ``refresh()``. The next generation keeps them only if every location
still resolves the same and every text has the same (mtime, ctime, size, inode) stamp, and,
when it was read within a timestamp tick of its mtime, the same content.
"""

from __future__ import annotations

import ast
import os
import re
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from flake8_argscope.known import is_outside_project

if TYPE_CHECKING:
    from flake8_argscope.api import Config
    from flake8_argscope.resolve import Resolver

    _Stamp = tuple[int, int, int, int]  # (mtime_ns, ctime_ns, size, inode)

MAX_CACHED_MODULES = 512
FACTORY = "factory"  # force level: parse modules that can define a scope factory
MAX_MODULE_BYTES = 2_000_000
# A file whose mtime is this close to the moment it was read may be written again within
# the same timestamp tick (1-10 ms on ext4, 2 s on FAT) without its stamp changing: its
# content is compared at the next validation ("racily clean", as git calls it).
RACY_NS = 2_000_000_000
# path -> the module's Resolver | None (unparsable), least recently used first
_MODELS: OrderedDict[str, Resolver | None] = OrderedDict()
_LOCATIONS: dict[tuple[tuple[str, ...], str], str | None] = {}  # (roots, dotted) -> path


class _Text:
    """A module's text as read, the stamp it had, and the verdicts of the parse gates."""

    __slots__ = ("stamp", "text", "read_ns", "worth", "_imported")

    def __init__(self, stamp: _Stamp | None, text: str, read_ns: int) -> None:
        self.stamp = stamp
        self.text = text
        self.read_ns = read_ns
        self.worth: dict[tuple[str | None, bool | str], bool] = {}
        self._imported: frozenset[str] | None = None

    @property
    def imported(self) -> frozenset[str]:
        """The words of the module's import statements ("*" when one has a star): scanned
        once per text, not once per name looked up in the module."""
        if self._imported is None:
            words: set[str] = set()
            for m in _IMPORT_STMT.finditer(self.text):
                stmt = m.group(0)
                words.update(_WORD.findall(stmt))
                if "*" in stmt:
                    words.add("*")
            self._imported = frozenset(words)
        return self._imported

    def racy(self) -> bool:
        return self.stamp is not None and self.stamp[0] + RACY_NS > self.read_ns


_TEXTS: OrderedDict[str, _Text] = OrderedDict()  # path -> what was read, oldest first


class _Generation:
    """Caches hold for one generation: one run (``Config.run``: each option parsing builds a
    new Config, and so a new token; a copy of a Config shares it) or one ``refresh()``.
    Within it the file system is taken as fixed, so a look-up costs a dict hit; the first
    project access of the next one re-checks every cached location and text (a few stat
    calls each) and drops everything if one changed."""

    run: object = None  # the Config.run token of the generation
    key: tuple[object, ...] = ()
    stale = False  # refresh() was called


def refresh() -> None:
    """A new run starts (for front ends that keep one Config across runs): files may have
    appeared, disappeared or changed since the caches were filled."""
    _Generation.stale = True


def _config_key(config: Config) -> tuple[object, ...]:
    # what a cached Resolver takes from the options (resolve.Resolver.__init__)
    return tuple(sorted(config.scoped_ops)), tuple(sorted(config.api_paths))


def _start_generation(config: Config) -> None:
    _Generation.run = config.run
    _Generation.stale = False
    key = _config_key(config)
    if key != _Generation.key:
        _Generation.key = key
        clear_cache()
    elif not _still_valid():
        clear_cache()


def _still_valid() -> bool:
    """Does every cached location and text still match the file system?"""
    for (roots, dotted), found in _LOCATIONS.items():
        if _locate(dotted, roots) != found:
            return False
    for path, entry in _TEXTS.items():
        read_ns = time.time_ns()
        stamp = _stamp(path)
        if stamp != entry.stamp:
            return False
        if entry.racy():
            if _read(path, stamp) != entry.text:
                return False
            entry.read_ns = read_ns
    return True


def _stamp(path: str) -> _Stamp | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino


def _read(path: str, stamp: _Stamp | None) -> str:
    if stamp is None or stamp[2] > MAX_MODULE_BYTES:
        return ""
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""


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


def _packages_above(path: str, root: str) -> list[str]:
    """The package directories from ``path``'s own up to (not including) ``root``, the
    innermost last: later in the search than the roots Python would start from."""
    out: list[str] = []
    directory = os.path.dirname(os.path.abspath(path))
    while directory != root and directory.startswith(root) and len(out) < 8:
        out.append(directory)
        directory = os.path.dirname(directory)
    return out[::-1]


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
_GATES: dict[bool | str, tuple[str, ...]] = {
    False: ("add_arg_scope", "layer_register", "enable_argscope_for"),
    FACTORY: ("arg_scope", "argscope")}


def _entry(path: str) -> _Text:
    entry = _TEXTS.get(path)
    if entry is None:
        read_ns = time.time_ns()  # before the stat: a write after it makes the entry racy
        stamp = _stamp(path)
        entry = _TEXTS[path] = _Text(stamp, _read(path, stamp), read_ns)
        while len(_TEXTS) > 4 * MAX_CACHED_MODULES:
            old, _ = _TEXTS.popitem(last=False)
            _MODELS.pop(old, None)  # a model is validated through its text's entry
    return entry


def _worth_parsing(path: str, wanted: str | None, level: bool | str = False) -> bool:
    entry = _entry(path)
    found = entry.worth.get((wanted, level))
    if found is None:
        found = entry.worth[(wanted, level)] = _compute_worth(entry, wanted, level)
    return found


def _compute_worth(entry: _Text, wanted: str | None, level: bool | str = False) -> bool:
    """Can this module define what the caller looks for, or does it re-export ``wanted``
    (an import statement names it, or imports ``*``)?"""
    for word in _GATES[level]:  # substring scans: faster than a regex alternation
        if word in entry.text:
            return True
    if not wanted or wanted not in entry.text:
        return bool(wanted) and "*" in entry.text and "*" in entry.imported
    imported = entry.imported
    return wanted in imported or "*" in imported


_WORD = re.compile(r"\w+")
_IMPORT_STMT = re.compile(r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]+(?:\([^)]*\)|[^\n]*)"
                          r"|import[ \t]+[^\n]*)", re.M)


def _find(dotted: str, roots: tuple[str, ...]) -> str | None:
    key = (roots, dotted)
    if key in _LOCATIONS:
        return _LOCATIONS[key]
    found = _locate(dotted, roots)
    if len(_LOCATIONS) > 20_000:
        _LOCATIONS.clear()
    _LOCATIONS[key] = found
    return found


def _locate(dotted: str, roots: tuple[str, ...]) -> str | None:
    top = dotted.split(".", 1)[0]
    if top and not is_outside_project(top):
        return _find_in_roots(dotted, roots)
    return None


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
        if config.run is not _Generation.run or _Generation.stale:
            _start_generation(config)
        roots = []
        packages = []
        if filename and filename not in ("stdin", "-"):
            root = import_root(filename)
            if root:
                roots.append(root)
                packages = _packages_above(filename, root)
        roots.append(os.getcwd())
        roots.extend(os.path.abspath(r) for r in config.import_roots)
        # last: the packages between the file and its root, for code run with one of them on
        # sys.path (tensorflow/models research/slim: `from nets import i3d_utils`)
        roots.extend(packages)
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
        if path in _MODELS:
            _MODELS.move_to_end(path)
            return _MODELS[path]
        entry = _entry(path)
        model = None
        if entry.stamp is not None and entry.stamp[2] <= MAX_MODULE_BYTES:
            try:
                tree = ast.parse(entry.text, filename=path)
                from flake8_argscope.resolve import Resolver

                is_package = os.path.basename(path) == "__init__.py"
                model = Resolver(tree, self.config, project=self,
                                 current=(dotted, is_package), source=entry.text)
            except (SyntaxError, ValueError, OSError, RecursionError, MemoryError):
                model = None
        _MODELS[path] = model
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

    def mentions(self, path: str, words: frozenset[str]) -> bool:
        """Does the text of the project module ``path`` (``pkg.mod.attr``) leads into mention
        one of ``words``? (A substring scan of the cached text; nothing is parsed.)"""
        parts = path.split(".")
        if is_outside_project(path):
            return False
        for i in range(len(parts) - 1, 0, -1):
            found = _find(".".join(parts[:i]), self.roots)
            if found is None:
                continue
            if self.filename and os.path.abspath(found) == os.path.abspath(self.filename):
                return False  # the linted file: its defs resolve without a force
            text = _entry(found).text or ""
            for word in words:
                if word in text:
                    return True
            return False
        return False


def clear_cache() -> None:
    _MODELS.clear()
    _TEXTS.clear()
    _LOCATIONS.clear()
