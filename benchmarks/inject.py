#!/usr/bin/env python
"""Recall on ASC201/ASC401 bugs injected into real code (issue #8's "≥ 0.97 found").

The plugin is a black box here: every mutated file is handed to
``flake8_argscope.checker.ArgScopeChecker`` in-process, under its real path (so the plugin
can read the project's sibling modules), with the default configuration.

Injection sites are calls inside ``with <x>.arg_scope([ops...], k=v, ...)`` or tensorpack
``argscope(ops, k=v)`` blocks of the same function (nested defs, lambdas and classes start
afresh: their calls run later, maybe outside the scope) whose callee is one of the listed
ops and that do not already pass ``k``:

``ASC201``  adds ``k=<the scope's value>`` as a keyword, when that value is a literal or a
            plain dotted name whose root is never rebound in the function, and no scope
            nested closer to the call (including one whose content is unknown) may set ``k``
            for that op: a redundancy that holds at run time.
``ASC401``  adds a positional that lands on ``k``: the op's signature comes from the
            plugin's tables (``flake8_argscope.known.lookup``) or from an
            ``@add_arg_scope`` def in the same file; the call must already pass exactly
            ``index(k)`` positionals (tensorpack's leading name string excluded), and
            tensorpack layers whose positional ``k`` silently wins are skipped.

One site is mutated at a time, on the line it already occupies (no line shifts); the
mutated file must still parse. A site is *found* when the expected code is reported on the
line of the inserted text. Any other finding the mutation adds is listed as a potential
false positive. Calls with ``*args``/``**kwargs`` are not used (the positions and keys are
unknown at run time too).

Corpora: the pip corpora (``benchmarks/fetch_corpora.py``; fetched when missing) and every
directory under ``--repos-dir`` (default ``/tmp/repos``, if present). Nothing is copied.

    python benchmarks/inject.py [--corpus NAME ...] [--max-sites N] [--seed S] [--json F]
                                [--callers]

``--callers``: the sites are the listed ops' calls in the body of a module-level def (bound
once, undecorated, not a generator) that a function of the same file calls directly inside
the scope, not under a scope of the def's own nor in one of its branches (if, while, except);
the ASC401 is expected at a call that brings
that scope (the plugin reports each once per scope, at the first such call), naming the line
of the mutated op call.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import os
import random
import re
import sys
import time
import zlib
from collections import Counter, defaultdict
from contextlib import redirect_stderr
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

PIP_CORPORA = ("tf_slim", "object_detection", "tensorpack")
OPTIONAL_CORPORA = ("tf_contrib",)  # 110 MB wheel: only when asked for
# why a keyword of an enclosing scope gave no ASC201 site on a call of a listed op
SKIPPED: Counter = Counter()
SCOPE_NAMES = frozenset({"arg_scope", "argscope"})
# context managers that certainly add nothing to an arg_scope
PLAIN_CMS = frozenset({"variable_scope", "name_scope", "device", "control_dependencies",
                       "op_scope", "variable_op_scope", "Graph", "Session", "as_default",
                       "TowerContext", "custom_getter_scope", "freeze_variables",
                       "collection_containers", "remap_variables", "open"})
TRIGGER = ("arg_scope", "argscope")


# --------------------------------------------------------------------------- #
# what the file's names stand for (enough to read signatures from the tables)


_MODULES: dict = {}


def _module_names(module: str, path: Path, root: Path):
    """Names of a project module found below the corpus root or an ancestor of ``path``."""
    rel = Path(*module.split("."))
    bases = [p for p in path.parents if p == root or root in p.parents]
    for base in bases:
        for candidate in (base / rel.with_suffix(".py"), base / rel / "__init__.py"):
            if candidate.is_file():
                if candidate not in _MODULES:
                    try:
                        tree = ast.parse(candidate.read_text(encoding="utf-8"))
                        _MODULES[candidate] = None  # cycles
                        _MODULES[candidate] = Names(tree, candidate, root)
                    except (SyntaxError, ValueError, OSError, UnicodeDecodeError):
                        _MODULES[candidate] = None
                return _MODULES[candidate]
    return None


def _dotted(node: ast.expr | None) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class Names:
    """Module-wide bindings of names to dotted library paths (every binding kept: a name
    bound in a try and in its except has two candidates) and ``@add_arg_scope`` defs."""

    def __init__(self, tree: ast.Module, path: Path | None = None,
                 root: Path | None = None) -> None:
        self.path, self.root = path, root
        self.defs = {n.name: n for n in tree.body
                     if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.bound: dict[str, set[str]] = defaultdict(set)
        self.star: list[str] = []
        self.local_ops: dict[str, ast.FunctionDef] = {}
        assigns = []
        other = set()  # names also bound to something else: what they hold is not known
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        self.bound[a.asname].add(a.name)
                    else:
                        root = a.name.split(".")[0]
                        self.bound[root].add(root)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    if a.name == "*":
                        self.star.append(node.module)
                    else:
                        self.bound[a.asname or a.name].add(f"{node.module}.{a.name}")
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                src = _dotted(node.value)
                if src is not None:
                    assigns.append((node.targets[0].id, src))
                else:
                    other.add(node.targets[0].id)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.withitem,
                                   ast.comprehension, ast.NamedExpr)):
                target = getattr(node, "target", None) or getattr(node, "optional_vars", None)
                if target is not None:
                    other.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(node, ast.Assign):
                other.update(n.id for t in node.targets for n in ast.walk(t)
                             if isinstance(n, ast.Name))
            elif isinstance(node, ast.FunctionDef) and any(
                    (_dotted(d) or "").endswith("add_arg_scope") for d in node.decorator_list):
                self.local_ops[node.name] = node
        for _ in range(3):  # slim = tf.contrib.slim; conv = slim.conv2d
            for name, src in assigns:
                self.bound[name] |= self.expand(src)
        for name in other:  # conv_op = partial(...) in one branch, slim.conv2d in the other
            self.bound[name] = {f"?{name}"}

    def expand(self, dotted: str) -> set[str]:
        root, _, rest = dotted.partition(".")
        heads = self.bound.get(root) or {f"{m}.{root}" for m in self.star} or {root}
        return {f"{h}.{rest}" if rest else h for h in heads if h != dotted}

    def factory(self, func: ast.expr, depth: int = 0):
        """(def, Names of its module) of a project function, here or in a module found below
        the corpus root by its dotted name; None when not found."""
        dotted = _dotted(func)
        if dotted is None or depth > 3:
            return None
        if dotted in self.defs and dotted not in self.bound:
            return self.defs[dotted], self
        if self.path is None or self.root is None:
            return None
        for full in sorted(self.expand(dotted) or {dotted}):
            module, _, attr = full.rpartition(".")
            other = _module_names(module, self.path, self.root) if module else None
            if other is None:
                continue
            found = other.factory(ast.Name(attr), depth + 1)
            for alias in sorted(other.bound.get(attr, ())):  # a re-export: f = mod.g
                if found is None and not alias.startswith("?"):
                    found = other.factory(ast.parse(alias, mode="eval").body, depth + 1)
            if found is not None:
                return found
        return None

    def api(self, func: ast.expr) -> str:
        """``library`` when the scope function is tf_slim's, contrib's or tensorpack's."""
        from flake8_argscope.known import Api, lookup, normalise

        dotted = _dotted(func)
        paths = (self.expand(dotted) or {dotted}) if dotted else set()
        facts = [lookup(normalise(p)) for p in paths]
        # any: a star import from several modules leaves every one as a candidate
        return "library" if any(isinstance(f, Api) for f in facts) else "other"

    def ops(self, func: ast.expr):
        """(identity, [Op...]) of a callee or list item; Ops empty when unknown."""
        from flake8_argscope.known import Op, lookup, normalise, op_from_def

        text = ast.unparse(func)
        if isinstance(func, ast.Name) and func.id in self.local_ops \
                and func.id not in self.bound:
            node = self.local_ops[func.id]
            return f"local:{func.id}", [op_from_def(node, None, f"local:{func.id}")]
        dotted = _dotted(func)
        if dotted is None:
            return text, []
        found = []
        for path in self.expand(dotted) or {dotted}:
            fact = lookup(normalise(path))
            if isinstance(fact, Op):
                found.append(fact)
        keys = {op.key.split(":", 1)[-1].rsplit(".", 1)[-1] for op in found}
        if found and len(keys) == 1:
            return f"op:{keys.pop()}", found
        return text, found


# --------------------------------------------------------------------------- #
# injection sites


@dataclass
class Site:
    code: str
    line: int
    col: int  # where the text goes (0-based, utf-8 columns as ast gives them)
    text: str
    kw: str
    op: str
    origin: str  # the op: library / project / unresolved
    scope_line: int
    api: str = "library"  # the arg_scope function: library (tf_slim, contrib, tensorpack) / other
    report_line: int = 0  # --callers: the call of the def under the scope (0: lexical)


@dataclass
class Scope:
    line: int
    ops: dict | None  # identity -> [Op...]; None: unknown (a dict, a factory, a name)
    kwargs: dict | None  # k -> value node; None: has **kw
    api: str = "other"
    factory: bool = False  # read from a project function's body: only literals for ASC201


def _bound_names(fn: ast.AST) -> set[str]:
    out = set()
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            out.add(node.id)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            out.update(node.names)
        elif isinstance(node, ast.alias):
            out.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
    return out


class _Everything:
    def __contains__(self, _: object) -> bool:
        return True


_ALL = _Everything()


def _plain_value(value: ast.expr, rebound) -> bool:
    try:
        ast.literal_eval(value)
        return True
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    dotted = _dotted(value)
    return dotted is not None and dotted.split(".")[0] not in rebound


def _enclosing_withs(fn: ast.AST, target: ast.AST) -> list | None:
    """The with statements of ``fn`` (not of nested defs) that enclose ``target``, outermost
    first; None when target is in a nested def."""
    def walk(node, chain):
        for child in ast.iter_child_nodes(node):
            if child is target:
                return chain
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                  ast.ClassDef)):
                continue
            found = walk(child, chain + [child] if isinstance(child, ast.With) else chain)
            if found is not None:
                return found
        return None
    return walk(fn, [])


def _factory_scopes(call: ast.Call, names: Names, wants_cm: bool, line: int):
    """Scopes a project factory enters: ``arg_scope(f())`` where f returns the ``as`` name
    of its innermost arg_scope with, or ``with f():`` where f returns ``arg_scope(...)`` or
    is a generator yielding inside them. None when the shape is not one of these."""
    found = names.factory(call.func)
    if found is None:
        return None
    fn, fnames = found
    exits = [n for n in ast.walk(fn) if isinstance(n, (ast.Return, ast.Yield, ast.YieldFrom))]
    if len(exits) != 1 or (call.args and any(isinstance(a, ast.Starred) for a in call.args)):
        return None
    chain = _enclosing_withs(fn, exits[0]) if isinstance(exits[0], ast.Return) else None
    if isinstance(exits[0], ast.Yield):  # an Expr(Yield) statement
        stmt = next((n for n in ast.walk(fn) if isinstance(n, ast.Expr)
                     and n.value is exits[0]), None)
        chain = _enclosing_withs(fn, stmt) if stmt is not None else None
    if chain is None:
        return None
    value = exits[0].value
    items = [item for w in chain for item in w.items]
    if wants_cm and isinstance(exits[0], ast.Return):
        if not (isinstance(value, ast.Call)
                and (_dotted(value.func) or "").rsplit(".", 1)[-1] == "arg_scope"):
            return None
        items.append(ast.withitem(value, None))
    elif not wants_cm and not (chain and isinstance(value, ast.Name) and any(
            isinstance(i.optional_vars, ast.Name) and i.optional_vars.id == value.id
            for i in chain[-1].items)):
        return None
    out = []
    for item in items:
        for scope in _scopes_of(item, fnames):
            out.append(Scope(line, scope.ops, scope.kwargs, "factory", True))
    return out


def _scopes_of(item: ast.withitem, names: Names) -> list:
    expr = item.context_expr
    if isinstance(expr, ast.Call):
        callee = _dotted(expr.func) or ""
        if callee.rsplit(".", 1)[-1] in SCOPE_NAMES:
            first = expr.args[0] if expr.args else None
            if isinstance(first, ast.Call) and len(expr.args) == 1 and not expr.keywords:
                got = _factory_scopes(first, names, False, expr.lineno)
                if got is not None:
                    return got
        elif "scope" in callee.rsplit(".", 1)[-1].lower() and \
                callee.rsplit(".", 1)[-1] not in PLAIN_CMS:
            got = _factory_scopes(expr, names, True, expr.lineno)
            if got is not None:
                return got
    scope = _scope_of(item, names)
    return [] if scope is None else [scope]


def _scope_of(item: ast.withitem, names: Names) -> Scope | None:
    """The Scope a with item enters; None when it certainly adds nothing."""
    expr = item.context_expr
    if not isinstance(expr, ast.Call):
        return Scope(expr.lineno, None, None)
    callee = _dotted(expr.func) or ""
    last = callee.rsplit(".", 1)[-1]
    if last not in SCOPE_NAMES:
        if last in PLAIN_CMS or "scope" not in last.lower():
            return None
        return Scope(expr.lineno, None, None)
    if not expr.args or isinstance(expr.args[0], (ast.Dict, ast.Starred)):
        return Scope(expr.lineno, None, None)
    first = expr.args[0]
    items = first.elts if isinstance(first, (ast.List, ast.Tuple)) else (
        [first] if last == "argscope" else None)
    if items is None or any(isinstance(e, ast.Starred) for e in items):
        return Scope(expr.lineno, None, None)
    ops = dict(names.ops(e) for e in items)
    kwargs = None if any(k.arg is None for k in expr.keywords) else {
        k.arg: k.value for k in expr.keywords}
    return Scope(expr.lineno, ops, kwargs, names.api(expr.func))


def _name_shift(call: ast.Call, ops: list) -> int | None:
    """How many leading positionals never reach the op: tensorpack's layer name (registry.py:
    always the first with use_scope=True, else only when it is a str); None: cannot tell."""
    if not ops or ops[0].registry != "tensorpack" or not call.args:
        return 0
    if all(op.use_scope is True for op in ops):
        return 1
    first = call.args[0]
    if isinstance(first, ast.Constant):
        return int(isinstance(first.value, str))
    return None


class _Finder:
    """Walks one function body with the stack of scopes entered in it."""

    def __init__(self, names: Names, fn: ast.AST, lines: list[str], exempt,
                 callers: dict | None = None) -> None:
        self.names, self.lines, self.exempt = names, lines, exempt
        self.rebound = _bound_names(fn)
        self.sites: list[Site] = []
        self.fn = fn
        # --callers: module-level name -> def; sites are then the op calls in those defs'
        # bodies, called directly under a scope of this function (not its own calls)
        self.callers = callers
        self.caller: tuple[ast.Call, int] | None = None  # (call, caller's stack depth)

    def run(self) -> list[Site]:
        body = self.fn.body if not isinstance(self.fn, ast.Lambda) else []
        for stmt in body:
            self._visit(stmt, [])
        return self.sites

    def _visit(self, node: ast.AST, stack: list[Scope]) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return
        if isinstance(node, (ast.With, ast.AsyncWith)):
            inner = list(stack)
            for item in node.items:
                self._visit(item.context_expr, inner)
                for scope in _scopes_of(item, self.names):
                    inner.append(scope)
                    if scope.ops is None:
                        SKIPPED["(per with) scope whose ops or keys are unknown: no sites"] += 1
            for stmt in node.body:
                self._visit(stmt, inner)
            return
        if isinstance(node, ast.Call) and stack:
            if self.callers is None:
                self._call(node, stack)
            elif self.caller is not None:
                if len(stack) == self.caller[1]:  # not under a scope of the callee's own
                    self._call(node, stack)
            else:
                self._callee(node, stack)
        for child in ast.iter_child_nodes(node):
            self._visit(child, stack)

    def _callee(self, call: ast.Call, stack: list[Scope]) -> None:
        """--callers: walk the body of the module-level def ``call`` names, as if inlined
        under ``stack``; its sites are expected at ``call``."""
        fdef = self.callers.get(getattr(call.func, "id", None)) if self.callers else None
        if fdef is None or call.func.id in self.rebound:
            return
        self.caller = (call, len(stack))
        saved, self.rebound = self.rebound, _bound_names(fdef)
        before = len(self.sites)
        try:
            for stmt in fdef.body:
                self._visit(stmt, list(stack))
        finally:
            self.caller, self.rebound = None, saved
        # an op call in one of the def's branches may not run for this call: not a site
        from flake8_argscope.forward import _branches, _inside

        spans = _branches(fdef)
        self.sites[before:] = [s for s in self.sites[before:] if not _inside(spans, s.line)]

    def _call(self, call: ast.Call, stack: list[Scope]) -> None:
        star = any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords)
        ident, ops = self.names.ops(call.func)
        passed = {k.arg for k in call.keywords}
        done = set()
        for depth in range(len(stack) - 1, -1, -1):
            scope = stack[depth]
            if scope.ops is None or ident not in scope.ops or scope.kwargs is None:
                continue
            for kw, value in scope.kwargs.items():
                if kw in passed or kw in done:
                    continue
                done.add(kw)
                if star:
                    SKIPPED["call has *args/**kwargs"] += 1
                    continue
                inner_unknown = any(s.ops is None or (ident in s.ops and s.kwargs is None)
                                    for s in stack[depth + 1:])
                self._sites(call, ops, ident, kw, value, scope, inner_unknown)

    def _sites(self, call, ops, ident, kw, value, scope, inner_unknown) -> None:
        origin = ("project" if ident.startswith("local:") else
                  "library" if ops else "unresolved")
        op_name = ast.unparse(call.func)
        npos = len(call.args)
        name_shift = _name_shift(call, ops)
        indexes = {op.params.index(kw) if kw in op.params else -1 for op in ops}
        text = ast.unparse(value)
        if "\n" in text:
            return
        # ASC201: the call must not bind kw positionally either
        why = ("exempt keyword" if kw in self.exempt else
               "a scope nested closer may set it" if inner_unknown else
               "value neither literal nor unrebound dotted name"
               if not _plain_value(value, self.rebound) else
               "value from a factory's body is not a literal"
               if scope.factory and not _plain_value(value, _ALL) else
               "op has no such parameter" if any(op.rejects(kw) for op in ops) else
               "call binds it positionally"
               if not all(i < 0 or npos - (name_shift or 0) <= i for i in indexes) else None)
        if self.caller is not None:
            pass  # --callers: ASC201 stays lexical
        elif why:
            SKIPPED[why] += 1
        else:
            line, col = self._kw_position(call)
            sep = ", " if call.args or call.keywords else ""
            self.sites.append(Site("ASC201", line, col, f"{sep}{kw}={text}", kw, op_name,
                                   origin, scope.line, scope.api))
        # ASC401: a positional landing on kw (every candidate signature agrees)
        if (ops and len(indexes) == 1 and -1 not in indexes and name_shift is not None
                and not any(op.varargs for op in ops)
                and not any(op.tflayer for op in ops)
                and npos - name_shift == next(iter(indexes))):
            line, col, text2 = self._pos_position(call, text)
            self.sites.append(Site("ASC401", line, col, text2, kw, op_name, origin,
                                   scope.line, scope.api,
                                   self.caller[0].lineno if self.caller else 0))

    def _kw_position(self, call: ast.Call) -> tuple[int, int]:
        parts = [*call.args, *call.keywords]
        if parts:
            last = max(parts, key=lambda n: (n.end_lineno, n.end_col_offset))
            return last.end_lineno, last.end_col_offset
        return self._after_paren(call)

    def _pos_position(self, call: ast.Call, text: str) -> tuple[int, int, str]:
        if call.args:
            last = call.args[-1]
            return last.end_lineno, last.end_col_offset, f", {text}"
        line, col = self._after_paren(call)
        return line, col, f"{text}, " if call.keywords else text

    def _after_paren(self, call: ast.Call) -> tuple[int, int]:
        line, col = call.func.end_lineno, call.func.end_col_offset
        while True:  # the "(" may follow on a later line or after a comment
            raw = self.lines[line - 1].encode("utf-8")
            i = raw.find(b"(", col)
            if i >= 0:
                return line, i + 1
            line, col = line + 1, 0


def _plain_defs(tree: ast.Module) -> dict:
    """Module-level defs bound once, undecorated, not generators: what --callers follows."""
    defs: dict = {}
    bound: Counter = Counter()
    for stmt in tree.body:
        for node in ast.walk(stmt) if not isinstance(stmt, ast.FunctionDef) else [stmt]:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                bound[node.id] += 1
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound[stmt.name] += 1
        if isinstance(stmt, ast.FunctionDef) and not stmt.decorator_list and not any(
                isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(stmt)):
            defs[stmt.name] = stmt
    return {name: d for name, d in defs.items() if bound[name] == 1}


def find_sites(tree: ast.Module, lines: list[str], exempt=frozenset({"is_training"}),
               path: Path | None = None, root: Path | None = None, callers: bool = False):
    names = Names(tree, path, root)
    defs = _plain_defs(tree) if callers else None
    sites = _Finder(names, tree, lines, exempt, defs).run()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            sites += _Finder(names, node, lines, exempt, defs).run()
    sites.sort(key=lambda s: (s.line, s.col, s.code, s.kw))
    return sites


def mutate(lines: list[str], site: Site) -> list[str]:
    out = list(lines)
    raw = out[site.line - 1].encode("utf-8")
    out[site.line - 1] = (raw[:site.col] + site.text.encode("utf-8")
                          + raw[site.col:]).decode("utf-8")
    return out


# --------------------------------------------------------------------------- #
# running the plugin


_VIA_AT = re.compile(r" via .*? at line (\d+): ")


def findings(tree: ast.Module, lines: list[str], filename: str) -> tuple[Counter, bool]:
    """(code, line, line of the op call a caller's scope reaches, else 0) -> count, and
    whether the plugin hit an internal error."""
    from flake8_argscope.api import Config
    from flake8_argscope.checker import ArgScopeChecker

    config = Config()
    config.debug = True  # internal errors go to stderr, caught here
    saved, ArgScopeChecker.config = ArgScopeChecker.config, config
    err = io.StringIO()
    try:
        with redirect_stderr(err):
            out = Counter((msg[:6], line, _via_line(msg)) for line, _, msg, _ in
                          ArgScopeChecker(tree, lines, filename).run())
    finally:
        ArgScopeChecker.config = saved
    return out, bool(err.getvalue())


def _via_line(message: str) -> int:
    m = _VIA_AT.search(message)
    return int(m.group(1)) if m else 0


@dataclass
class Result:
    corpus: str
    file: str
    site: Site
    found: bool
    extra: list = field(default_factory=list)
    internal_error: bool = False


def run_file(corpus: str, path: Path, root: Path, max_sites: int | None, seed: int,
             callers: bool = False):
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    if not any(t in source for t in TRIGGER):
        return []
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    lines = source.splitlines(keepends=True)
    sites = find_sites(tree, lines, path=path, root=root, callers=callers)
    rel = str(path.relative_to(root))
    if max_sites is not None and len(sites) > max_sites:
        rng = random.Random(seed * 1_000_003 + zlib.crc32(rel.encode()))
        sites = sorted(rng.sample(sites, max_sites), key=lambda s: (s.line, s.col, s.code))
    if not sites:
        return []
    base, _ = findings(tree, lines, str(path))
    results = []
    for site in sites:
        mutated = mutate(lines, site)
        try:
            mtree = ast.parse("".join(mutated))
        except SyntaxError:
            continue
        after, err = findings(mtree, mutated, str(path))
        new = after - base
        if site.report_line:  # --callers: at a call bringing the scope, naming the op call
            at = next((k for k in new if k[0] == site.code and k[2] == site.line), None)
        else:
            at = (site.code, site.line, 0)
        found = at is not None and new[at] > 0
        if found:
            new[at] -= 1
        extra = sorted(k for k, n in new.items() if n > 0)
        results.append(Result(corpus, rel, site, found, extra, err))
    return results


def corpus_roots(names: list[str] | None, repos_dir: Path) -> dict[str, Path]:
    from fetch_corpora import corpus_path

    roots = {}
    wanted = set(names) if names else None
    for name in PIP_CORPORA + OPTIONAL_CORPORA:
        if (wanted is None and name in PIP_CORPORA) or (wanted and name in wanted):
            roots[name] = corpus_path(name)
    if repos_dir.is_dir():
        for d in sorted(repos_dir.iterdir()):
            if d.is_dir() and (wanted is None or d.name in wanted):
                roots[d.name] = d
    missing = (wanted or set()) - set(roots)
    if missing:
        raise SystemExit(f"--corpus: unknown corpus {', '.join(sorted(missing))}")
    return roots


def py_files(root: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and d not in ("__pycache__", "site-packages"))
        out.extend(Path(dirpath, f) for f in sorted(filenames) if f.endswith(".py"))
    return out


def _tally(results, keys):
    """key -> [injected, found] over ``results``, each counted under every key it has."""
    table = defaultdict(lambda: [0, 0])
    for r in results:
        for key in keys(r):
            table[key][0] += 1
            table[key][1] += r.found
    return table


def report(results: list[Result], seconds: float, out=None, show=200) -> None:
    out = out or sys.stdout
    table = _tally(results, lambda r: ((r.corpus, r.site.code), ("ALL", r.site.code)))
    print(f"{'corpus':48} {'code':6} {'injected':>8} {'found':>6} {'recall':>7}", file=out)
    for (corpus, code), (n, f) in sorted(table.items(), key=lambda kv: (kv[0][0] == "ALL", kv[0])):
        print(f"{corpus:48} {code:6} {n:8d} {f:6d} {f / n:7.3f}", file=out)
    for (code, origin), (n, f) in sorted(
            _tally(results, lambda r: ((r.site.code, r.site.origin),)).items()):
        print(f"  {code} op {origin:10}: {f}/{n} = {f / n:.3f}", file=out)
    for (code, api), (n, f) in sorted(
            _tally(results, lambda r: ((r.site.code, r.site.api),)).items()):
        print(f"  {code} arg_scope {api:8}: {f}/{n} = {f / n:.3f}", file=out)
    missed = [r for r in results if not r.found]
    print(f"\nmissed: {len(missed)}", file=out)
    for r in missed[:show]:
        s = r.site
        print(f"  {r.corpus}/{r.file}:{s.line} {s.code} {s.op}(...{s.text!r}) "
              f"[op {s.origin}; {s.api} arg_scope on line {s.scope_line}]"
              f"{' INTERNAL-ERROR' if r.internal_error else ''}", file=out)
    extra = [r for r in results if r.extra]
    print(f"\nother new findings (potential false positives): {len(extra)}", file=out)
    for r in extra[:show]:
        print(f"  {r.corpus}/{r.file}:{r.site.line} {r.site.code} {r.site.text!r} -> "
              f"{r.extra}", file=out)
    print("\nscope keywords on calls of listed ops not used for ASC201:", file=out)
    for why, n in SKIPPED.most_common():
        print(f"  {n:6d}  {why}", file=out)
    errors = sum(r.internal_error for r in results)
    print(f"\ninternal errors: {errors}; runtime {seconds:.1f} s", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", action="append", metavar="NAME",
                    help=f"{', '.join(PIP_CORPORA + OPTIONAL_CORPORA)} or a directory name "
                         "under --repos-dir (repeatable; default: all but tf_contrib)")
    ap.add_argument("--repos-dir", type=Path, default=Path("/tmp/repos"))
    ap.add_argument("--max-sites", type=int, default=None,
                    help="at most N sites per file, sampled with --seed (default: all)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--show", type=int, default=200, help="missed sites listed (default 200)")
    ap.add_argument("--json", type=Path, help="write every result to this file")
    ap.add_argument("--callers", action="store_true",
                    help="ASC401 in module-level defs that a function of the same file calls "
                         "directly under a scope setting the keyword; expected at that call")
    args = ap.parse_args(argv)
    if args.max_sites is not None and args.max_sites < 1:
        ap.error("--max-sites: must be at least 1")
    start = time.perf_counter()
    SKIPPED.clear()
    results = []
    for name, root in corpus_roots(args.corpus, args.repos_dir).items():
        for path in py_files(root):
            results += run_file(name, path, root, args.max_sites, args.seed, args.callers)
    seconds = time.perf_counter() - start
    report(results, seconds, show=args.show)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
