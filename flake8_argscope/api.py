"""What every front end (flake8, pylint, pylsp, the CLI) calls: the configuration the options
give, and the findings of one file. Imports neither flake8 nor pylint at module level."""

from __future__ import annotations

import gc
import sys
import traceback
from typing import TYPE_CHECKING

from flake8_argscope import options as _options
from flake8_argscope.rules import CODES

if TYPE_CHECKING:
    import argparse
    import ast
    from collections.abc import Iterable, Iterator

    from flake8_argscope.known import Api, Op

# Text a file must contain before any work is done (most files of a repo have none).
TRIGGERS = ("arg_scope", "argscope", "slim", "contrib", "tensorpack", "layer_register")


class Config:
    """What the options say; the defaults serve in-process use without flake8.

    ``run``: a token for the caches of project modules (project.py), new with each
    ``build_config`` (each flake8 run parses its options anew) and shared by copies of this
    Config (``copy.copy`` of it is the same run)."""

    def __init__(self) -> None:
        self.run = object()
        self.enabled: frozenset[str] = frozenset(CODES)
        self.min_repeats = 3
        self.exempt_kwargs: frozenset[str] = frozenset({"is_training"})
        self.scoped_ops: dict[str, Op] = {}  # dotted path -> Op
        self.api_paths: dict[str, Api] = {}  # dotted path -> Api (vendored modules)
        self.import_roots: tuple[str, ...] = ()
        self.debug = False
        self.triggers: tuple[str, ...] = TRIGGERS


def _csv(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = []
        for v in value:
            items.extend(_csv(v))
        return items
    return [v.strip() for v in str(value).replace("\n", ",").split(",") if v.strip()]


def build_config(options: argparse.Namespace | None = None,
                 enabled: Iterable[str] | None = None) -> Config:
    """Config from parsed options (flake8's or pylint's: the same names; None: the
    defaults, for in-process use); ``enabled``: the codes to report (default: those
    flake8's selection reports)."""
    from flake8_argscope.known import SLIM_API_NAMES, Api, Op, normalise

    cfg = Config()
    if options is None:
        return cfg
    # bad values stop flake8 here, with one line (options.OptionError)
    cfg.min_repeats = _options.min_repeats(getattr(options, "argscope_min_repeats", None))
    exempt = getattr(options, "argscope_exempt_kwargs", None)
    if exempt is not None:
        cfg.exempt_kwargs = frozenset(
            _options.keyword_names("argscope-exempt-kwargs", _csv(exempt)))
    modules = _options.module_paths(_csv(getattr(options, "argscope_arg_scope_modules", None)))
    extras = {}
    for path in _options.scoped_op_paths(_csv(getattr(options, "argscope_scoped_ops", None))):
        path = normalise(path)
        name = path.rsplit(".", 1)[-1]
        extras[path] = Op(registry=None, key=f"extra:{path}", name=name,
                          signature_known=False, aliases=(name,))
    cfg.scoped_ops = extras
    api = {}
    for module in modules:
        registry = f"vendored:{module}"
        for fn in SLIM_API_NAMES:
            api[f"{module}.{fn}"] = Api(registry=registry, name=fn)
    cfg.api_paths = api
    cfg.import_roots = tuple(_csv(getattr(options, "argscope_import_roots", None)))
    cfg.debug = bool(getattr(options, "argscope_debug", False))
    cfg.triggers = TRIGGERS + tuple(path.rsplit(".", 1)[-1] for path in list(extras) + modules)
    cfg.enabled = _enabled_codes(options) if enabled is None else frozenset(enabled)
    return cfg


def _enabled_codes(options: argparse.Namespace) -> frozenset[str]:
    """Codes flake8 would report (pep8-naming's approach: unselected rules cost nothing)."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)
        return frozenset(c for c in CODES if engine.decision_for(c) is Decision.Selected)
    except Exception:  # older/newer flake8 internals: report everything, flake8 filters
        return frozenset(CODES)


def mentions(text: str, words: tuple[str, ...]) -> bool:
    """Does ``text`` contain one of ``words``? (Substring scans: three times as fast as one
    regex alternation, and run on every file.)"""
    for word in words:
        if word in text:
            return True
    return False


def findings(tree: ast.Module, config: Config, filename: str,
             source: str | None) -> Iterator[tuple[int, int, str]]:
    """What flake8 and pylint report for one file: ``(line, 0-based col, message)``, sorted,
    each once, enabled codes only; nothing when no code is enabled or the text mentions no
    trigger, and nothing (a traceback under ``debug``) when the analysis fails."""
    if not config.enabled:
        return
    if source is not None and not mentions(source, config.triggers):
        return
    # no cyclic collection during the walk: its allocations are freed by refcounting when
    # it ends, and a collection tripped inside scans the host's whole heap (huge files)
    collecting = gc.isenabled()
    try:
        from flake8_argscope.walk import analyse

        if collecting:
            gc.disable()
        found = analyse(tree, config, filename, source)
    except Exception:  # never break the user's lint run
        if config.debug:
            sys.stderr.write(f"flake8-argscope: internal error on {filename}\n")
            traceback.print_exc(file=sys.stderr)
        return
    finally:
        if collecting:
            gc.enable()
    seen = set()
    for line, col, message in sorted(found):
        if message[:6] not in config.enabled or (line, col, message) in seen:
            continue
        seen.add((line, col, message))
        yield line, col, message
