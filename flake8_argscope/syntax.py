"""Small facts about syntax nodes that the walker, the model and the rules share."""

from __future__ import annotations

import ast


def final_name(node: ast.AST) -> str:
    """``conv2d`` for ``conv2d`` and ``slim.conv2d``; "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - unparse of a parsed tree does not fail
        return "?"


def show(node: ast.AST, limit: int = 60) -> str:
    """Source-like text of a node on one line, shortened for messages."""
    text = " ".join(unparse(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_literal(node: ast.AST) -> bool:
    """A constant, a signed number, or a tuple/list of those: the same value wherever and
    whenever it is evaluated."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, (ast.Tuple, ast.List)):
        return all(is_literal(e) for e in node.elts)
    return False


def same_value(a: ast.AST, b: ast.AST) -> bool:
    """Structural equality of two expressions (positions and ctx ignored)."""
    try:
        return ast.dump(a) == ast.dump(b)
    except RecursionError:  # absurdly deep expressions: not worth a finding
        return False


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def own_nodes(stmt: ast.stmt) -> list[ast.AST]:
    """``stmt`` and the statements inside it, not entering nested defs and classes."""
    out: list[ast.AST] = []
    todo: list[ast.AST] = [stmt]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(n for n in ast.iter_child_nodes(node)
                    if isinstance(n, ast.stmt) and not isinstance(n, _SCOPES)
                    or isinstance(n, ast.excepthandler) or type(n).__name__ == "match_case")
    return out
