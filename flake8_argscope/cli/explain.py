"""``flake8-argscope explain``: what each call of a scope-enabled op receives.

Nothing here decides what a scope supplies: the walker calls ``Collector`` with the
CallContext of every op call (``Walker.observer``), and the collector only writes down what
the model holds there (``OpEntry.known`` / ``wild``, the partial's bound keywords) and what
the ASC401 rule finds colliding. The JSON schema is in docs/cli.md.
"""

from __future__ import annotations

import ast
import copy
import os
from typing import TYPE_CHECKING

from flake8_argscope.cli.edits import Text
from flake8_argscope.model.forwarding import LAYER_KEYWORDS
from flake8_argscope.model.scopes import _All
from flake8_argscope.rules import RULES
from flake8_argscope.rules.registry import CallRule
from flake8_argscope.syntax import same_value, unparse
from flake8_argscope.walk import Walker
from flake8_argscope.worlds import worlds_of

if TYPE_CHECKING:
    from typing import Any

    from flake8_argscope.api import Config
    from flake8_argscope.cli.contexts import Index
    from flake8_argscope.known import Op
    from flake8_argscope.model.scopes import KwVal, Scopes
    from flake8_argscope.rules.registry import CallContext

    Report = dict[str, Any]


_TEXTS: dict[str, Text] = {}  # source -> its line offsets (get_source_segment splits the
#                                whole source at every call: quadratic on big files)


def _segment(source: str, node: ast.AST) -> str:
    text = _TEXTS.get(source)
    if text is None:
        if len(_TEXTS) > 16:
            _TEXTS.clear()
        text = _TEXTS[source] = Text(source)
    start, end = text.node_span(node)
    return text.text[start:end]


def source_text(node: ast.AST, source: str | None) -> str:
    """The node as written when ``source`` holds it (a factory's values are substituted
    nodes: those are unparsed)."""
    if source is not None and getattr(node, "end_lineno", None) is not None:
        segment = _segment(source, node)
        if segment:
            try:
                parsed = ast.parse(f"(\n{segment}\n)", mode="eval").body
            except SyntaxError:
                parsed = None
            if parsed is not None and same_value(parsed, node):
                return segment
    return unparse(node)


class ExplainWalker(Walker):
    """The walker, remembering the scopes in force in each with body of the file: a value
    a factory supplies is attributed to the with that entered it (KwVal identity)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_scopes: dict[int, Scopes] = {}

    def walk_body(self, body: list[ast.stmt], frame: Any, scopes: Scopes,
                  block: ast.AST) -> None:
        if isinstance(block, (ast.With, ast.AsyncWith)) and body is block.body:
            self.with_scopes[id(block)] = scopes
        super().walk_body(body, frame, scopes, block)


def _scan(tree: ast.Module) -> tuple[dict[int, ast.AST], set[int],
                                     dict[tuple[int, int], ast.Call],
                                     dict[int, list[ast.With | ast.AsyncWith]]]:
    """id(node) -> parent for every node; the ids of the calls written in the file; the calls
    by position; the with statements by line. (One pass: big files have many nodes.)"""
    parents: dict[int, ast.AST] = {}
    real: set[int] = set()
    calls: dict[tuple[int, int], ast.Call] = {}
    withs: dict[int, list[ast.With | ast.AsyncWith]] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
        if isinstance(node, ast.Call):
            real.add(id(node))
            calls[(node.lineno, node.col_offset)] = node
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            withs.setdefault(node.lineno, []).append(node)
    return parents, real, calls, withs


# id(tree) -> (the tree, kept alive, and its _scan): the contexts walk callee modules often
_SCANS: dict[int, tuple[Any, ...]] = {}


class Collector:
    """The walker's observer: one report per call of a scope-enabled op."""

    def __init__(self, walker: ExplainWalker, path: str, source: str) -> None:
        self.walker = walker
        self.path = path
        self.source = source
        self.reports: list[Report] = []
        scan = _SCANS.get(id(walker.tree))
        if scan is None or scan[0] is not walker.tree:
            if len(_SCANS) > 64:
                _SCANS.clear()
            scan = _SCANS[id(walker.tree)] = (walker.tree, *_scan(walker.tree))
        _tree, self._parents, self._real, self._calls, self._withs = scan

    # ---------------------------------------------------------------- the hook
    def __call__(self, ctx: CallContext) -> None:
        op, entry, call = ctx.op, ctx.entry, ctx.call
        if op is None or entry is None:
            return
        text = self._text
        via = None
        written: ast.AST = call
        if id(call) not in self._real:  # a layer call slim.repeat/stack makes
            meta = self._calls.get((call.lineno, call.col_offset))
            via = text(meta.func) if meta is not None else "?"
            written = meta if meta is not None else call
        withs = self._enclosing_withs(written)
        keywords: dict[str, dict[str, Any]] = {}
        for name, kv in entry.known.items():
            keywords[name] = self._from_scope(kv, self._entered_by(name, kv, op, withs))
        for name in ctx.bound:
            keywords[name] = {"value": None, "from": "partial", "line": call.lineno}
        overridden: dict[str, dict[str, Any]] = {}
        incomplete: list[dict[str, Any]] = []
        for kw in call.keywords:
            if kw.arg is None:
                incomplete.append({"reason": "call-kwargs", "line": kw.value.lineno,
                                   "text": f"**{text(kw.value)}", "names": "*"})
                continue
            before = keywords.get(kw.arg)
            if before is not None and before["from"] == "scope":
                before = dict(before)
                kv = entry.known[kw.arg]
                before["same"] = kv.node is not None and same_value(kv.node, kw.value)
                overridden[kw.arg] = before
            keywords[kw.arg] = {"value": text(kw.value), "from": "call",
                                "line": kw.value.lineno}
        if via is not None:  # the meta-op's own keyword, set before each layer call
            for name in LAYER_KEYWORDS:
                keywords[name] = {"value": None, "from": "meta-op", "line": call.lineno}
        for arg in call.args:
            if isinstance(arg, ast.Starred):
                incomplete.append({"reason": "call-starargs", "line": arg.lineno,
                                   "text": text(arg)})
        maybe = self._maybe(ctx, keywords)
        if maybe is not None:
            incomplete.append(maybe)
        owner = ctx.frame.node
        if not ctx.frame.is_module:  # arg_scope is dynamic: the callers' scopes apply too
            incomplete.append({"reason": "callers", "line": getattr(owner, "lineno", 0),
                               "function": getattr(owner, "name", "<lambda>")})
        collisions = []
        collision = RULES["ASC401"]
        if entry.known and isinstance(collision, CallRule):
            for found, fields in collision.check(ctx):
                collisions.append({"position": fields["n"], "keyword": fields["kw"],
                                   "value": text(found), "line": found.lineno,
                                   "scope_line": keywords.get(str(fields["kw"]), {}).get(
                                       "scope_line")})
        self.reports.append({
            "path": self.path, "line": call.lineno, "col": call.col_offset + 1,
            "end_line": call.end_lineno,
            "op": text(call.func), "via": via, "resolved": op.key,
            "keywords": dict(sorted(keywords.items())),
            "overridden": overridden, "collisions": collisions,
            "positional": sum(1 for a in call.args if not isinstance(a, ast.Starred)),
            "incomplete": incomplete,
        })

    def finish(self) -> list[Report]:
        """Calls in a function that enters a scope outside a with statement: the scopes
        there are not what the with statements say."""
        for node in self.walker._dynamic:
            lo = getattr(node, "lineno", 1)
            hi = getattr(node, "end_lineno", None) or 10**9
            for report in self.reports:
                if isinstance(node, ast.Module) or lo <= report["line"] <= hi:
                    report["incomplete"].append({"reason": "dynamic-scope", "line": lo})
        return self.reports

    # ---------------------------------------------------------------- helpers
    def _text(self, node: ast.AST) -> str:
        if id(node) in self._parents:  # a node of this file: its text is its source
            return _segment(self.source, node) or unparse(node)
        return source_text(node, self.source)

    def _enclosing_withs(self, node: ast.AST) -> list[ast.With | ast.AsyncWith]:
        """The with statements whose body holds ``node``, in its function, outermost
        first."""
        found = []
        child = node
        parent = self._parents.get(id(node))
        while parent is not None and not isinstance(parent, _FRAME_NODES):
            if isinstance(parent, (ast.With, ast.AsyncWith)) and child in parent.body:
                found.append(parent)
            child, parent = parent, self._parents.get(id(parent))
        return found[::-1]

    def _entered_by(self, name: str, kv: KwVal, op: Op,
                    withs: list[ast.With | ast.AsyncWith]) -> ast.With | ast.AsyncWith | None:
        """The outermost with of the file in whose body ``kv`` is in force for ``op``."""
        for w in withs:
            scopes = self.walker.with_scopes.get(id(w))
            if scopes is not None and scopes.entry_for(op).known.get(name) is kv:
                return w
        return kv.scope_node

    def _from_scope(self, kv: KwVal, with_node: ast.With | ast.AsyncWith | None
                    ) -> dict[str, Any]:
        origin = kv.origin
        resolver = getattr(origin, "resolver", None)
        if kv.node is None:
            value = None
        elif resolver is None or resolver is self.walker.resolver:
            value = self._text(kv.node)
        else:
            value = source_text(kv.node, resolver.source)
        out: dict[str, Any] = {
            "value": value,
            "from": "scope", "scope_path": self.path,
            "scope_line": with_node.lineno if with_node is not None else kv.line,
        }
        elsewhere = resolver is not None and resolver is not self.walker.resolver
        header_end = _header_end(with_node) if with_node is not None else kv.line
        if elsewhere or with_node is None or kv.scope_node is not with_node or not (
                with_node.lineno <= kv.line <= header_end):
            out["factory_path"] = self._module_path(resolver) if elsewhere else self.path
            out["factory_line"] = kv.line
        return out

    def _module_path(self, resolver: Any) -> str | None:
        from flake8_argscope.project import _find

        project = self.walker.resolver.project
        if resolver.current is None or project is None:
            return None
        found = _find(resolver.current[0], project.roots)
        if found is not None and not os.path.isabs(self.path):
            found = os.path.relpath(found)  # as relative as the path given
        return found

    def _maybe(self, ctx: CallContext, keywords: dict[str, Any]) -> dict[str, Any] | None:
        """Keywords a scope may supply that the model cannot pin down."""
        entry = ctx.entry
        op = ctx.op
        assert entry is not None and op is not None
        scope = ctx.scopes.get_scope(op.registry)
        line = entry.line or scope.line
        wild = entry.wild
        if isinstance(wild, _All):
            return {"reason": "unknown-scope", "line": line, "names": "*"}
        names = sorted(set(wild) - {k for k, v in keywords.items() if v["from"] == "call"})
        if not names:
            return None
        branches = any(isinstance(item.context_expr, ast.IfExp)
                       for w in self._withs.get(line, ()) for item in w.items)
        return {"reason": "branches" if branches else "maybe", "line": line, "names": names}


_FRAME_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)


def _header_end(with_node: ast.With | ast.AsyncWith) -> int:
    return max((getattr(item.context_expr, "end_lineno", None) or with_node.lineno)
               for item in with_node.items)


def explain_source(source: str, path: str, config: Config,
                   index: Index | None = None) -> list[Report]:
    """Every call of a scope-enabled op in ``source``, in source order, with the contexts
    ``index`` has seen it reached in (cli/contexts.py). Raises SyntaxError."""
    tree = ast.parse(source, filename=path)
    quiet = copy.copy(config)
    quiet.enabled = frozenset()  # the model only: no rule needs to run
    first = ExplainWalker(tree, quiet, path, source)
    worlds = worlds_of(first.resolver)
    results = []
    for i, world in enumerate(worlds or [None]):
        walker = first if i == 0 and world is None else ExplainWalker(
            tree, quiet, path, source, world)
        collector = Collector(walker, path, source)
        walker.observer = collector
        walker.run()
        results.append(collector.finish())
    reports = results[0] if len(results) == 1 else _merge_worlds(results)
    for report in reports:
        report["contexts"] = _contexts(index, report) if index is not None else []
    if index is not None:
        reports.extend(_context_only(index, path, reports))
    # a call both walked and forwarded is reported once per layer call, in source order
    return sorted(reports, key=lambda r: (r["line"], r["col"]))


def _contexts(index: Index, report: Report) -> list[dict[str, Any]]:
    """The report's contexts (paths shown as the explained path is: relative or not), and
    its ``callers`` entry told what the index saw: the walks that stopped short of the
    function, and whether callers outside the project can reach it (a public module-level
    function), which is the one case kept."""
    path = report["path"]
    relative = not os.path.isabs(path)

    def shown(p: str) -> str:
        return os.path.relpath(p) if relative else p

    contexts = []
    for context in index.contexts(path, report["line"], report["col"], report["via"]):
        c = dict(context)
        c["chain"] = [{"path": shown(s["path"]), "line": s["line"]} for s in c["chain"]]
        keywords = {}
        for name, info in c["keywords"].items():
            info = dict(info)
            for key in ("scope_path", "factory_path"):
                if info.get(key):
                    info[key] = shown(info[key])
            keywords[name] = info
        c["keywords"] = keywords
        contexts.append(c)
    kept = []
    for inc in report["incomplete"]:
        if inc["reason"] == "callers":
            inc = dict(inc)
            inc["seen"] = len(contexts)
            stopped = index.stops(path, inc["line"])
            if stopped:
                inc["stopped"] = [dict(stop, chain=[{"path": shown(s["path"]), "line": s["line"]}
                                                    for s in stop["chain"]])
                                  for stop in stopped]
            if contexts and not stopped and inc["function"].startswith("_"):
                continue  # a private function whose callers the index has all walked
        kept.append(inc)
    report["incomplete"] = kept
    return contexts


def _context_only(index: Index, path: str, reports: list[Report]) -> list[Report]:
    """The calls that are a scope-enabled op only in the contexts the index walked (a
    callee taken from a value there: ``block.unit_fn(...)``)."""
    known = {(r["line"], r["col"], r["via"]) for r in reports}
    out = []
    for site in index.sites_in(path):
        if site[1:] in known:
            continue
        report: Report = {"path": path, "line": site[1], "col": site[2], "via": site[3]}
        report.update(index.calls.get(site, {}))
        report.update({"keywords": {}, "overridden": {}, "collisions": [], "incomplete": [
            {"reason": "callee-in-context", "line": site[1], "names": "*"}]})
        report["contexts"] = _contexts(index, report)
        out.append(report)
    return out


def _merge_worlds(results: list[list[Report]]) -> list[Report]:
    """Either-of imports (worlds.py): a keyword holds when every world agrees on it."""
    keyed: list[dict[tuple[Any, ...], Report]] = []
    for reports in results:
        found: dict[tuple[Any, ...], Report] = {}
        for r in reports:
            k = 0
            while (r["line"], r["col"], r["op"], r["via"], k) in found:
                k += 1
            found[(r["line"], r["col"], r["op"], r["via"], k)] = r
        keyed.append(found)
    merged = []
    for key in dict.fromkeys(k for found in keyed for k in found):
        present = [found[key] for found in keyed if key in found]
        base = dict(present[0])
        base["incomplete"] = list(base["incomplete"])
        if len(present) < len(keyed):
            base["incomplete"].append({"reason": "import-branches", "line": base["line"],
                                       "names": "*"})
        keywords = {}
        differ = []
        for name, value in base["keywords"].items():
            if all(r["keywords"].get(name) == value for r in present):
                keywords[name] = value
            else:
                differ.append(name)
        for r in present[1:]:
            differ.extend(n for n in r["keywords"] if n not in base["keywords"])
        if differ:
            base["incomplete"].append({"reason": "import-branches", "line": base["line"],
                                       "names": sorted(set(differ))})
        base["keywords"] = keywords
        merged.append(base)
    return merged


# -------------------------------------------------------------------- text output
def _origin(info: dict[str, Any]) -> str:
    if info["from"] == "call":
        return "call"
    if info["from"] == "partial":
        return "the partial"
    if info["from"] == "meta-op":
        return "the meta-op (<scope>_<i>)"
    where = f"scope line {info['scope_line']}"
    if "factory_line" in info:
        fpath = info.get("factory_path")
        at = f"{fpath}:{info['factory_line']}" if fpath and fpath != info["scope_path"] else (
            f"line {info['factory_line']}")
        where += f" (arg_scope at {at})"
    return where


def render_text(reports: list[Report]) -> str:
    out = []
    for r in reports:
        head = f"{r['path']}:{r['line']}:{r['col']}: {r['op']}"
        if r["via"]:
            head += f" (called by {r['via']})"
        out.append(head)
        width = max([len(f"{k}={v['value']}") for k, v in r["keywords"].items()] + [0])
        width = min(width, 48)
        for name, info in r["keywords"].items():
            shown = f"{name}={'?' if info['value'] is None else info['value']}"
            line = f"    {shown:<{width}}  from {_origin(info)}"
            over = r["overridden"].get(name)
            if over is not None:
                line += (f"; overrides {over['value'] if over['value'] is not None else '?'}"
                         f" from scope line {over['scope_line']}")
                if over.get("same"):
                    line += " (the same value)"
            out.append(line)
        if not r["keywords"]:
            out.append("    (no keyword arguments)")
        for c in r["collisions"]:
            out.append(f"    ! positional argument {c['position']} ({c['value']}) also binds "
                       f"'{c['keyword']}' (TypeError: multiple values)")
        for inc in r["incomplete"]:
            out.append(f"    ? {_describe(inc)}")
        out.extend(_render_contexts(r))
    return "\n".join(out) + ("\n" if out else "")


SHOWN_CONTEXTS = 3  # per call in the text output and the hover; then "and N more"


def _render_contexts(r: Report) -> list[str]:
    """The contexts, each with the keywords it adds to (or changes in) the call's own."""
    out = []
    contexts = r.get("contexts") or []
    for c in contexts[:SHOWN_CONTEXTS]:
        chain = " -> ".join(f"{s['path']}:{s['line']}" for s in c["chain"])
        keys = "".join(f" ({k}={v!r})" for k, v in c.get("keys", {}).items())
        maybe = " (if reached: the call is in a branch)" if c.get("maybe") else ""
        out.append(f"    called from {chain}{keys}{maybe}:")
        extra = {k: v for k, v in c["keywords"].items() if r["keywords"].get(k) != v}
        width = min(max([len(f"{k}={v['value']}") for k, v in extra.items()] + [0]), 48)
        for name, info in extra.items():
            shown = f"{name}={'?' if info['value'] is None else info['value']}"
            where = _origin(info)
            if info["from"] == "scope" and info.get("scope_path"):
                where = where.replace("scope line ", f"scope {info['scope_path']}:", 1)
            out.append(f"        {shown:<{width}}  from {where}")
        if not extra:
            out.append("        (nothing more than above)")
        for inc in c["incomplete"]:
            out.append(f"        ? {_describe(inc)}")
    if len(contexts) > SHOWN_CONTEXTS:
        out.append(f"    and {len(contexts) - SHOWN_CONTEXTS} more contexts (--format json)")
    return out


def _describe(inc: dict[str, Any]) -> str:
    reason = inc["reason"]
    names = inc.get("names")
    shown = "any keyword" if names == "*" else ", ".join(names or ())
    if reason == "call-kwargs":
        return f"{inc['text']} may pass any keyword"
    if reason == "call-starargs":
        return f"{inc['text']}: positional arguments not known"
    if reason == "unknown-scope":
        return f"a scope the model cannot see into (line {inc['line']}) may supply {shown}"
    if reason == "branches":
        return f"only some branches of the scope on line {inc['line']} supply {shown}"
    if reason == "callers":
        seen = inc.get("seen") or 0
        stopped = inc.get("stopped") or []
        parts = [f"{seen} context{'s' if seen != 1 else ''} below"] if seen else []
        for stop in stopped[:SHOWN_CONTEXTS]:
            chain = " -> ".join(f"{s['path']}:{s['line']}" for s in stop["chain"])
            parts.append(f"not followed from {chain}: {stop['reason']}")
        if len(stopped) > SHOWN_CONTEXTS:
            parts.append(f"and {len(stopped) - SHOWN_CONTEXTS} more")
        told = f" ({'; '.join(parts)})" if parts else ""
        return (f"and whatever the scopes in force where {inc['function']}() is called "
                f"supply for keywords not set here{told}")
    if reason == "dynamic-scope":
        return "this function enters an arg_scope outside a with statement"
    if reason == "callee-in-context":
        return "what this call calls is known only in the contexts below"
    if reason == "import-branches":
        return f"the import branches (try/except, if/else) disagree on {shown}"
    return f"the scope on line {inc['line']} may supply {shown}"
