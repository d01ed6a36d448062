"""pylint front end: ``pylint --load-plugins=flake8_argscope.pylint`` adds the checker
``argscope``, which reports the ASC rules as pylint messages.

The rules, the model and the gates are the flake8 plugin's (api.findings): this module
only declares each rule as a pylint message (symbol, msgid and category from the registry),
declares the same options as flake8, and hands the analysis what pylint already has — the
checked module's path and source, from the astroid module pylint built. The source is parsed
again with ``ast`` past the trigger gate: the walk is written for ``ast`` and the parse costs
a small fraction of what pylint spends on the same file (README, "pylint"). Project imports
are resolved by the shared model (project.py), so both front ends agree.

This module imports pylint; nothing on the flake8 path imports it.
"""

from __future__ import annotations

import ast
import gc
import io
import tokenize
from typing import TYPE_CHECKING, Any

from pylint.checkers import BaseRawFileChecker
from pylint.constants import WarningScope
from pylint.interfaces import HIGH

from flake8_argscope.api import build_config, findings, mentions
from flake8_argscope.options import OPTIONS
from flake8_argscope.rules import RULES

if TYPE_CHECKING:
    from collections.abc import Iterator

    from astroid import nodes
    from pylint.lint import PyLinter
    from pylint.typing import ExtraMessageOptions

    from flake8_argscope.api import Config

# msgid -> (template, symbol, description): the text is the flake8 message, code first.
# Node-scoped like most of pylint's own messages, so a disable comment on a def or class
# line covers its body.
MESSAGES: dict[str, tuple[str, str, str] | tuple[str, str, str, ExtraMessageOptions]] = {
    rule.msgid: ("%s", rule.symbol,
                 f"{rule.code}: {rule.summary.replace('`', '')}. See {rule.page}.",
                 {"scope": WarningScope.NODE})
    for rule in RULES.values()
}


def _pylint_options() -> tuple[tuple[str, dict[str, Any]], ...]:
    """flake8's options, as pylint declares them (same names, defaults and help)."""
    kinds = {"int": ("int", "<int>"), "csv": ("csv", "<comma-separated names>"),
             "flag": ("yn", "<y or n>")}
    out = []
    for name, kind, default, text in OPTIONS:
        type_, metavar = kinds[kind]
        out.append((name, {"default": default, "type": type_, "metavar": metavar,
                           "help": text}))
    return tuple(out)


def read_source(node: nodes.Module) -> str | None:
    """The module's text as flake8 reads it (PEP 263 encoding, BOM dropped, universal
    newlines); from the buffer pylint was given for ``--from-stdin``, else from the file."""
    stream = node.stream()
    if stream is None:
        return None
    with stream:
        data = stream.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return io.TextIOWrapper(io.BytesIO(data), encoding).read()
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None  # pylint reports the file itself (syntax-error / astroid-error)


def _positioned(node: nodes.NodeNG) -> Iterator[nodes.NodeNG]:
    """The children of ``node``, looking through those without a position (Arguments)."""
    for child in node.get_children():
        if child.lineno is None or child.end_lineno is None:
            yield from _positioned(child)
        else:
            yield child


def node_at(module: nodes.Module, line: int, col: int) -> nodes.NodeNG:
    """The outermost astroid node that starts at ``line:col`` (the analysis reports at the
    start of an ``ast`` node, and astroid's nodes carry the same positions), else the
    innermost one that contains it. It gives pylint the finding's enclosing function
    (``obj``), its end position, and the block a disable comment covers."""
    pos = (line, col)
    node: nodes.NodeNG = module
    while True:
        for child in _positioned(node):
            start = (child.lineno, child.col_offset)
            if start == pos:
                return child
            decorators = getattr(child, "decorators", None)
            if decorators is not None and decorators.lineno is not None:
                start = (decorators.lineno, 0)
            if start <= pos < (child.end_lineno, child.end_col_offset):
                node = child
                break
        else:
            return node


class ArgScopePylintChecker(BaseRawFileChecker):
    """The ASC rules as the pylint checker ``argscope``."""

    name = "argscope"
    msgs = MESSAGES
    options = _pylint_options()

    def __init__(self, linter: PyLinter) -> None:
        super().__init__(linter)
        self._config: Config | None = None

    def open(self) -> None:
        """Read the options once per run; only enabled messages' rules run."""
        linter = self.linter
        enabled = [code for code, rule in RULES.items()
                   if linter.is_message_enabled(rule.msgid)]
        self._config = build_config(linter.config, enabled)

    def process_module(self, node: nodes.Module) -> None:
        config = self._config
        if config is None:
            self.open()
            config = self._config
            assert config is not None
        if not config.enabled:
            return
        source = read_source(node)
        if source is None or not mentions(source, config.triggers):
            return
        filename = node.file or node.name
        # pylint keeps every module's astroid tree alive: collections triggered mid-walk
        # promote the walk's short-lived objects and so bring on extra full collections of
        # that large heap (tf-slim: 21 instead of pylint's own 19). Paused, they die young:
        # the same 19 full collections as without the plugin.
        paused = gc.isenabled()
        gc.disable()
        try:
            found = list(findings(ast.parse(source), config, filename, source))
        except (SyntaxError, ValueError):
            return  # pylint's own syntax-error covers it
        finally:
            if paused:
                gc.enable()
        for line, col, message in found:
            self.add_message(RULES[message[:6]].symbol, line=line, col_offset=col,
                             node=node_at(node, line, col), args=(message,),
                             confidence=HIGH)


def register(linter: PyLinter) -> None:
    """pylint's plugin entry point (``--load-plugins=flake8_argscope.pylint``)."""
    # pylint 3 re-registers plugins in each -j worker on top of the copy it already has,
    # which would report every finding twice (pylint-dev/pylint#10642, fixed in pylint 4)
    if not any(isinstance(c, ArgScopePylintChecker) for c in linter.get_checkers()):
        linter.register_checker(ArgScopePylintChecker(linter))
