"""Project context managers written as ``@contextmanager`` generators that enter scopes
around their one ``yield`` (tensorpack's FasterRCNN ``backbone_scope``; ``def my_scope():
with slim.arg_scope(...): yield``). At ``with f(...):`` the scopes in force at the ``yield``
are in force in the caller's block; ``ExitStack.enter_context(cm)`` calls before the yield
enter ``cm`` too, certainly when written directly in the ``with`` body, else maybe."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.symbols import Path

if TYPE_CHECKING:
    from flake8_argscope.frames import Frame
    from flake8_argscope.model.factories import Chain
    from flake8_argscope.resolve import Resolver
    from flake8_argscope.symbols import LocalDef

_CONTEXTMANAGER = "contextlib.contextmanager"
_EXIT_STACK = "contextlib.ExitStack"


def is_generator_cm(resolver: Resolver, sym: LocalDef, frame: Frame) -> bool:
    """A def decorated with ``contextlib.contextmanager`` and nothing else."""
    decorators = sym.node.decorator_list
    if len(decorators) != 1:
        return False
    path = resolver.resolve_expr(decorators[0], frame)
    return isinstance(path, Path) and known.normalise(path.path) == _CONTEXTMANAGER


def single_yield(fnode: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[ast.Expr, Chain] | None:
    """The def's only ``yield`` statement with the ``with`` items around it, when it is
    reached once: not inside a loop, branch or ``try``; no other yield anywhere."""
    found: list[tuple[ast.Expr, Chain]] = []
    others = 0

    def walk(body: list[ast.stmt], chain: Chain) -> None:
        nonlocal others
        for stmt in body:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Yield):
                found.append((stmt, chain))
            elif isinstance(stmt, (ast.With, ast.AsyncWith)):
                walk(stmt.body, chain + tuple((stmt, it) for it in stmt.items))
            elif not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                others += sum(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(stmt)
                              if not isinstance(n, ast.Lambda))

    walk(fnode.body, ())
    if len(found) != 1 or others:
        return None
    return found[0]


def stack_entries(resolver: Resolver, with_node: ast.With | ast.AsyncWith, frame: Frame,
                  before: int) -> list[tuple[ast.expr, bool]] | None:
    """``es.enter_context(cm)`` calls in the body of ``with ..., ExitStack() as es:`` before
    line ``before``: each ``cm`` and whether it is certainly entered (a statement of the body
    itself, not under a condition). [] when no item is an ExitStack; None when the stack is
    used in any other way (it could enter anything)."""
    names = set()
    for item in with_node.items:
        expr, var = item.context_expr, item.optional_vars
        if isinstance(expr, ast.Call) and isinstance(var, ast.Name):
            path = resolver.resolve_expr(expr.func, frame)
            if isinstance(path, Path) and known.normalise(path.path) == _EXIT_STACK:
                names.add(var.id)
    if not names:
        return []
    direct = {id(s.value) for s in with_node.body if isinstance(s, ast.Expr)}
    entries: list[tuple[ast.expr, bool]] = []
    for stmt in with_node.body:
        for node in ast.walk(stmt):
            if not (isinstance(node, ast.Name) and node.id in names):
                continue
            call = _enter_context_call(stmt, node)
            if call is None or call.lineno >= before:
                return None
            entries.append((call.args[0], id(call) in direct))
    return entries


def _enter_context_call(stmt: ast.stmt, name: ast.Name) -> ast.Call | None:
    """The ``name.enter_context(cm)`` call that ``name`` is read in, else None."""
    for node in ast.walk(stmt):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.value is name and node.func.attr == "enter_context"
                and len(node.args) == 1 and not node.keywords
                and not isinstance(node.args[0], ast.Starred)):
            return node
    return None
