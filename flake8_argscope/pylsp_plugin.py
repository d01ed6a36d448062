"""python-lsp-server plugin (entry point ``pylsp``): the fixes of ``flake8-argscope fix`` as
code actions, and what a call of a scoped op receives on hover.

- Code actions carry a command, not an edit: the fix is verified (the result parses, its
  finding is gone, no new ASC finding) when the user picks it, and applied with
  ``workspace/applyEdit``; the request itself only reads the cached lint of the buffer, so it
  answers in milliseconds. The lint is computed in pylsp's lint pass (``pylsp_lint``, which
  publishes nothing: the flake8 plugin's diagnostics stay the only ASC diagnostics, so there
  are no duplicates) or at the first request.
- Hover, ``tryfirst``: on the callee of a scoped op's call, the keywords it receives and
  where from (explain's text), followed by jedi's hover when it has one; anywhere else this
  hook returns None and jedi's hover answers as before. (A code lens would put a line over
  every layer call of a network: too much; hover shows it where the user asks.)

Settings (``pylsp.plugins.argscope``): ``enabled`` (true), ``hover`` (true),
``unsafeFixes`` (false).
"""

from __future__ import annotations

import ast
import os
import threading
from typing import TYPE_CHECKING, Any

from pylsp import hookimpl

if TYPE_CHECKING:
    from flake8_argscope.api import Config
    from flake8_argscope.cli.fix import Lint

COMMAND = "flake8-argscope.fix"
_LOCK = threading.Lock()
_LINTS: dict[str, tuple[str, Lint | None]] = {}  # uri -> (text, lint of it)
# uri -> (text, the contexts index, tree, explain's reports)
_EXPLAINED: dict[str, tuple[str, Any, ast.Module | None, list[dict[str, Any]]]] = {}
_CONFIG: list[Config] = []


def _config() -> Config:
    if not _CONFIG:
        from flake8_argscope.cli import load_config

        _CONFIG.append(load_config())
    return _CONFIG[0]


def _settings(config: Any, document: Any) -> dict[str, Any]:
    return config.plugin_settings("argscope", document_path=document.path) or {}


def _lint(document: Any) -> Lint | None:
    """The lint of the buffer as it is now (cached per text)."""
    from flake8_argscope.cli.edits import Text
    from flake8_argscope.cli.fix import Lint

    text = document.source
    with _LOCK:
        cached = _LINTS.get(document.uri)
        if cached is not None and cached[0] == text:
            return cached[1]
        try:
            lint: Lint | None = Lint(Text(text), document.path, _config())
        except (SyntaxError, ValueError, RecursionError):
            lint = None
        _LINTS[document.uri] = (text, lint)
        return lint


@hookimpl
def pylsp_settings(config: Any) -> dict[str, Any]:
    return {"plugins": {"argscope": {"enabled": True, "hover": True, "unsafeFixes": False}}}


@hookimpl
def pylsp_lint(config: Any, workspace: Any, document: Any, is_saved: bool) -> list[Any]:
    """Warm the cache the code actions read; the diagnostics are flake8's."""
    if _settings(config, document).get("enabled", True):
        _lint(document)
    return []


@hookimpl
def pylsp_code_actions(config: Any, workspace: Any, document: Any, range: dict[str, Any],
                       context: dict[str, Any]) -> list[dict[str, Any]]:
    settings = _settings(config, document)
    if not settings.get("enabled", True):
        return []
    lint = _lint(document)
    if lint is None:
        return []
    from flake8_argscope.cli.plans import plan_fixes

    first, last = range["start"]["line"] + 1, range["end"]["line"] + 1
    actions = []
    for plan in plan_fixes(lint, (), bool(settings.get("unsafeFixes", False))):
        if plan.refusal is not None:
            continue
        if not any(first <= line <= last for line, _col, _msg in plan.fixes):
            continue
        line, col, _msg = plan.finding
        title = f"{plan.code}: {plan.describe} (flake8-argscope)"
        actions.append({
            "title": title, "kind": "quickfix",
            "diagnostics": [d for d in context.get("diagnostics", ())
                            if plan.code in str(d.get("code", "")) + d.get("message", "")],
            "command": {"title": title, "command": COMMAND, "arguments": [
                {"uri": document.uri, "line": line, "col": col, "code": plan.code}]},
        })
    return actions


@hookimpl
def pylsp_commands(config: Any, workspace: Any) -> list[str]:
    return [COMMAND]


@hookimpl
def pylsp_execute_command(config: Any, workspace: Any, command: str,
                          arguments: list[Any]) -> None:
    if command != COMMAND or not arguments:
        return None
    from flake8_argscope.cli.fix import _attempt
    from flake8_argscope.cli.plans import plan_fixes

    target = arguments[0]
    document = workspace.get_document(target["uri"])
    lint = _lint(document)
    if lint is None:
        return None
    settings = _settings(config, document)
    for plan in plan_fixes(lint, (), bool(settings.get("unsafeFixes", False))):
        line, col, _msg = plan.finding
        if (line, col, plan.code) != (target["line"], target["col"], target["code"]) or (
                plan.refusal is not None):
            continue
        result = _attempt(lint, [plan], document.path, _config())
        if not isinstance(result, tuple):
            workspace.show_message(f"flake8-argscope: {plan.code} not fixed: {result.reason}")
            return None
        workspace.apply_edit({"changes": {document.uri: [
            _line_edit(lint.text.text, result[0].text.text)]}})
        return None
    workspace.show_message("flake8-argscope: the finding is no longer there")
    return None


def _line_edit(old: str, new: str) -> dict[str, Any]:
    """One TextEdit replacing the whole lines that differ (positions at column 0 only, so
    the client's column encoding does not matter)."""
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    return {"range": {"start": {"line": start, "character": 0},
                      "end": {"line": end_a, "character": 0}},
            "newText": "".join(b[start:end_b])}


# ------------------------------------------------------------------------ hover
def _explained(document: Any) -> tuple[ast.Module | None, list[dict[str, Any]]]:
    from flake8_argscope.cli.explain import explain_source

    text = document.source
    with _LOCK:
        config = _config()
        index = _index(document.path, text, config)  # (a few stats when nothing changed)
        cached = _EXPLAINED.get(document.uri)
        if cached is not None and cached[0] == text and cached[1] is index:
            return cached[2], cached[3]
        try:
            tree: ast.Module | None = ast.parse(text)
            reports = explain_source(text, document.path, config, index)
        except (SyntaxError, ValueError, RecursionError):
            tree, reports = None, []
        _EXPLAINED[document.uri] = (text, index, tree, reports)
        return tree, reports


# (the stamps of a project's files) -> the contexts index built from them
_INDEXES: dict[tuple[tuple[str, int, int], ...], Any] = {}


def _index(path: str | None, text: str, config: Any) -> Any:
    """The contexts of the document's project (cli/contexts.py), rebuilt when one of its
    files changes on disk; None while the buffer differs from the file: the index reads
    the files, and its lines would not be the buffer's."""
    from flake8_argscope.cli.contexts import Index, project_files

    try:
        if not path or not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as f:
            if f.read() != text:
                return None
        files = project_files([path])
        stamps = tuple((f, s.st_mtime_ns, s.st_size) for f in files
                       for s in [os.stat(f)])
    except (OSError, UnicodeDecodeError):
        return None
    index = _INDEXES.get(stamps)
    if index is None:
        if len(_INDEXES) > 4:
            _INDEXES.clear()
        index = _INDEXES[stamps] = Index(config)
        index.add_paths(files)
    return index


@hookimpl(tryfirst=True)
def pylsp_hover(config: Any, workspace: Any, document: Any,
                position: dict[str, int]) -> dict[str, Any] | None:
    settings = _settings(config, document)
    if not settings.get("enabled", True) or not settings.get("hover", True):
        return None
    tree, reports = _explained(document)
    if tree is None or not reports:
        return None
    lines = document.lines
    if position["line"] >= len(lines):
        return None
    line = position["line"] + 1
    col = len(lines[position["line"]][:position["character"]].encode("utf-8"))
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _covers(node.func, line, col):
            if best is None or _covers(best.func, node.func.lineno, node.func.col_offset):
                best = node  # the innermost callee under the cursor
    if best is None:
        return None
    mine = [r for r in reports if (r["line"], r["col"]) == (best.lineno, best.col_offset + 1)]
    if not mine:
        return None
    from flake8_argscope.cli.explain import render_text

    value = "```text\n" + render_text(mine) + "```"
    jedi = _jedi_hover(config, document, position)
    if jedi:
        value += "\n\n---\n\n" + jedi
    return {"contents": {"kind": "markdown", "value": value}}


def _covers(node: ast.expr, line: int, col: int) -> bool:
    start = (node.lineno, node.col_offset)
    end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
    return start <= (line, col) <= end


def _jedi_hover(config: Any, document: Any, position: dict[str, int]) -> str:
    """What pylsp's own hover says (our tryfirst result replaces it)."""
    try:
        from pylsp.plugins.hover import pylsp_hover as jedi_hover

        contents = jedi_hover(config, document, position).get("contents")
    except Exception:  # jedi's trouble must not cost our hover
        return ""
    if isinstance(contents, dict):
        return str(contents.get("value", ""))
    return contents if isinstance(contents, str) else ""
