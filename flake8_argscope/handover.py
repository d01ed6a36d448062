"""Findings reported after flake8 has dropped the file's syntax tree.

At a file's first reported finding flake8 maps every line to its ``noqa`` text: it tokenizes the
whole file into a list and keeps it (flake8/processor.py, ``file_tokens`` and
``_noqa_line_mapping``). A tree plugin's findings are reported inside ``run_ast_checks``, while
the tree is alive, so tree and token list sit in memory together and the collector scans both:
on a generated 50,000-line model that alone was +40% peak memory and +4-15% time. Plain flake8
builds the same map later, at pycodestyle's first finding, when the tree is gone.

So when flake8's ``run_ast_checks`` consumes the tree plugin, in a run that loaded this module's
logical-line plugin (entry point ``ASC0``), the tree plugin holds its findings and
``report_held`` reports them at the file's first logical line: flake8 runs one file's tree
checks and then its token checks, in one process, before the next file, and passes ``(line,
col)`` tuples through as positions (``flake8.checker.find_offset``). Anyone else consuming
``ArgScopeChecker.run()`` (tests, other front ends, wrappers) gets the findings directly.
"""

from __future__ import annotations

import sys
from typing import Any

_armed = False  # report_held is loaded in this flake8 run (see _arm / disarm)
# The held findings of the file being checked; each file's tree run replaces them.
_held: list[tuple[tuple[int, int], str]] = []


def disarm() -> None:
    """A new flake8 run's options (the tree plugin's parse_options, which flake8 calls before
    the logical-line plugins'): not armed until report_held's parse_options says it is loaded."""
    global _armed
    _armed = False


def _arm(options: Any) -> None:
    global _armed
    _armed = True


def should_hold() -> bool:
    """Is the caller of the tree plugin's run() generator flake8's ``run_ast_checks``, in a run
    whose ``report_held`` will report what is held? (Called from the generator's body.)"""
    if not _armed:
        return False
    try:
        caller = sys._getframe(2)  # should_hold <- run() <- whoever iterates it
    except ValueError:
        return False
    return (caller.f_code.co_name == "run_ast_checks"
            and caller.f_globals.get("__name__") == "flake8.checker")


def hold(found: list[tuple[tuple[int, int], str]]) -> None:
    _held[:] = found


def report_held(logical_line: str) -> list[tuple[tuple[int, int], str]] | None:
    """flake8 logical-line plugin: the held findings, once, at the file's first logical line.
    (``logical_line`` is unused: flake8 knows a logical-line plugin by that parameter.)"""
    if not _held:
        return None
    found = _held[:]
    del _held[:]
    return found


report_held.parse_options = _arm  # type: ignore[attr-defined]
