"""ASC101's fix, ``absorb``: the rewrite the TF-Slim tutorial teaches. The statements holding
the calls of one op in one block go into ``with <slim>.arg_scope([op], kw=value, ...):``
(spelled with the file's own names), and the calls lose the keywords the scope now supplies.
A keyword every call passes, with one value on most of them (or on the ASC101 group), goes
into the scope; a call passing another value keeps it (an override, as the tutorial's
``padding='VALID'``).

The scope is dynamic, so the rewrite changes nothing only if no other call that runs inside
the new ``with`` receives a keyword it did not before. It is refused, with the reason, when:
- a call of the op that runs there does not pass every absorbed keyword itself (it would
  start receiving it): written there, made by a project function or project op called there
  (their bodies are followed, ``MAX_DEPTH`` calls deep, lambdas too: ``Reach``), or a layer
  call of ``slim.repeat``/``slim.stack``; or it passes ``**kwargs``;
- a call there (or in what is followed) cannot be resolved and is not a method of a value
  built by ops and library calls, nor a name only library star imports bind;
- a function, lambda or class is defined there;
- the statements are not one run of whole lines of one body, or a string spans lines
  (indenting it would change it), or the file indents with tabs;
- a value's names are not all bound where the ``with`` goes (bound there or later).
It is unsafe (``--unsafe-fixes``): the scope's values are evaluated once, at the ``with``,
where each call evaluated its own. Then the fix machinery re-lints the result (fix.py).
"""

from __future__ import annotations

import ast
from collections import Counter
from typing import TYPE_CHECKING, Any

from flake8_argscope import known
from flake8_argscope.cli.edits import CallItems, Edit
from flake8_argscope.known import TENSORPACK, Api, Op, Partial, Unscoped
from flake8_argscope.model.forwarding import forwarded, meta_op_name
from flake8_argscope.model.held import from_library_star
from flake8_argscope.rules.repeated import NEVER
from flake8_argscope.symbols import Builtin, LocalDef, LocalOp, Path, PlainFunc

if TYPE_CHECKING:
    from collections.abc import Callable

    from flake8_argscope.cli.edits import Text
    from flake8_argscope.cli.fix import Finding, Lint
    from flake8_argscope.cli.plans import Plan
    from flake8_argscope.frames import Frame
    from flake8_argscope.rules.registry import FileContext

INDENT = "    "
MAX_DEPTH = 4  # project calls followed from the statements
# Methods of TensorFlow tensors and shapes that only read them: none runs an op.
_TENSOR_READS = frozenset({"get_shape", "as_list", "set_shape", "is_fully_defined",
                           "num_elements", "with_rank", "with_rank_at_least", "merge_with"})
WIDTH = 99  # the header is wrapped, one keyword per line, beyond this
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class Refused(Exception):
    """Why the absorb is not safe."""


class LacksKeyword(Refused):
    """A listed op's call in a project function would receive a keyword it did not, or
    lose one (inline across calls may write it in there: cli/across.py)."""


def plan_absorb(finding: Finding, order: int, node: ast.Call, ctx: FileContext, lint: Lint,
                unsafe: bool) -> Plan:
    from flake8_argscope.cli.plans import Plan

    try:
        absorb = _Absorb(node, ctx, lint)
        describe, edits = absorb.plan()
    except Refused as why:
        return Plan(finding, order, refusal=str(why))
    except (ValueError, RecursionError) as exc:  # CallItems & co. on unusual text
        return Plan(finding, order, refusal=f"cannot edit: {exc}")
    if not unsafe:
        return Plan(finding, order, refusal=(
            "unsafe: wraps statements in a new arg_scope, whose values are evaluated once, "
            "at the with (--unsafe-fixes applies it)"))

    def editor(text: Text, tree: ast.Module) -> list[Edit]:
        if text is not lint.text:
            raise ValueError("the text changed since the plan")
        return edits

    return Plan(finding, order, describe, editor, site=("absorb", id(absorb.block)))


class _Absorb:
    def __init__(self, node: ast.Call, ctx: FileContext, lint: Lint) -> None:
        self.lint = lint
        self.text = lint.text
        self.ctx = ctx
        first = next((s for s in ctx.sites if s.call is node), None)
        if first is None:
            raise Refused("the call was not found")
        self.first = first
        self.block = first.block
        self.op = first.op
        self.op_target = ctx.env.resolver.target_of(node.func, first.frame)
        self.resolver = ctx.env.resolver
        self.sites = sorted((s for s in ctx.sites if s.block is first.block
                             and s.op.key == first.op.key),
                            key=lambda s: (s.call.lineno, s.call.col_offset))

    # ------------------------------------------------------------ deciding
    def plan(self) -> tuple[str, list[Edit]]:
        absorbed = self._keywords()
        if not absorbed:
            raise Refused("no keyword that most of the calls pass with one value")
        body, i, j = self._statements()
        stmts = body[i:j + 1]
        self._check_calls(stmts, absorbed)
        self._check_names(stmts, absorbed)
        scope_name = self._arg_scope_name()
        return self._edit(body, i, j, absorbed, scope_name)

    def _keywords(self) -> dict[str, ast.expr]:
        """kw -> the value the scope takes: every call of the op in the block passes kw,
        most of them (or at least the ASC101 minimum) with one value, that no scope in force
        may supply already, whose names nothing rebinds between the calls."""
        from flake8_argscope.rules.repeated import _names_stable

        sites = self.sites
        passed = [{k.arg: k.value for k in s.call.keywords if k.arg} for s in sites]
        if any(kw.arg is None for s in sites for kw in s.call.keywords):
            raise Refused("a call passes **kwargs: what it passes is not known")
        names = set(passed[0])
        for kws in passed[1:]:
            names &= set(kws)
        minimum = self.ctx.env.config.min_repeats
        out: dict[str, ast.expr] = {}
        for kw in sorted(names - NEVER):
            try:
                dumps = [ast.dump(kws[kw]) for kws in passed]
            except RecursionError:
                continue
            top, count = Counter(dumps).most_common(1)[0]
            if count < 2 or (count * 2 <= len(sites) and count < minimum):
                continue
            if any(s.entry.may_supply(kw) for s in sites):
                continue  # ASC201's business, or a deliberate override of the scope
            value = passed[dumps.index(top)][kw]
            group = [s for s, d in zip(sites, dumps) if d == top]
            if _names_stable(group, value):
                out[kw] = value
        return out

    def _statements(self) -> tuple[list[ast.stmt], int, int]:
        """The body holding the calls, and the first and last of its statements that do."""
        body = getattr(self.block, "body", None)
        if not isinstance(body, list) or not body or not isinstance(body[0], ast.stmt):
            raise Refused("the calls are not in a body of statements")
        spans = [(s.lineno, s.end_lineno or s.lineno) for s in body]
        indices = []
        for site in self.sites:
            line = site.call.lineno
            found = next((k for k, (lo, hi) in enumerate(spans) if lo <= line <= hi), None)
            if found is None:
                raise Refused("a call is not in a statement of the block")
            indices.append(found)
        i, j = min(indices), max(indices)
        if i > 0 and (body[i - 1].end_lineno or 0) >= body[i].lineno:
            raise Refused("the first statement shares its line with another")
        if j + 1 < len(body) and body[j + 1].lineno <= (body[j].end_lineno or 0):
            raise Refused("the last statement shares its line with another")
        return body, i, j

    def _check_calls(self, stmts: list[ast.stmt], absorbed: dict[str, ast.expr]) -> None:
        """No call that runs in the statements may receive a keyword it did not before."""
        reach = Reach(frozenset({self.op.key}), set(absorbed), self.op.name)
        ours = {id(s.call) for s in self.sites}
        frame = self.first.frame
        for stmt in stmts:
            for n in ast.walk(stmt):
                if isinstance(n, _SCOPES):
                    raise Refused(f"line {n.lineno} defines a function or class: its body "
                                  "may run under the new scope")
                if isinstance(n, (ast.Constant, ast.JoinedStr)) and (
                        n.end_lineno or n.lineno) > n.lineno and isinstance(
                            getattr(n, "value", ""), str):
                    raise Refused(f"the string on line {n.lineno} spans lines: indenting "
                                  "it would change it")
                if isinstance(n, ast.Call) and (id(n) not in ours
                                                or isinstance(self.op_target, LocalOp)):
                    # (a project op's body runs under the scope too)
                    reach.check_call(n, frame, f"line {n.lineno}", 0, frozenset())

    def _check_names(self, stmts: list[ast.stmt], absorbed: dict[str, ast.expr]) -> None:
        """Every name of the values is bound before the first statement."""
        frame = self.first.frame
        start = stmts[0].lineno
        for kw, value in absorbed.items():
            for n in ast.walk(value):
                if not isinstance(n, ast.Name):
                    continue
                lines = frame.lines_binding(n.id)
                if any(start <= line <= (stmts[-1].end_lineno or start) for line in lines):
                    raise Refused(f"{kw}={n.id}: the statements bind {n.id}")
                if lines and not frame.is_module and all(line > start for line in lines):
                    raise Refused(f"{kw}={n.id}: {n.id} is bound after the with")

    def _arg_scope_name(self) -> str:
        """``slim.arg_scope`` (the op's own root), or a name the file binds to it."""
        registry = self.op.registry
        wanted = "argscope" if registry == TENSORPACK else "arg_scope"
        frame = self.first.frame
        func = self.first.call.func
        candidates: list[str] = [wanted]  # (also through ``from tensorpack import *``)
        if isinstance(func, ast.Attribute):
            candidates.append(f"{self.text.text[slice(*self.text.node_span(func.value))]}."
                              f"{wanted}")
        f: Frame | None = frame
        while f is not None:
            candidates.extend(sorted(f.bindings))
            f = f.parent
        for text in candidates:
            try:
                expr = ast.parse(text, mode="eval").body
            except SyntaxError:
                continue
            target = self.resolver.target_of(expr, frame)
            if isinstance(target, Api) and target.name in ("arg_scope", "argscope") and (
                    target.registry == registry):
                return text
        raise Refused(f"no name of the file enters an {wanted}")

    # ------------------------------------------------------------ editing
    def _edit(self, body: list[ast.stmt], i: int, j: int, absorbed: dict[str, ast.expr],
              scope_name: str) -> tuple[str, list[Edit]]:
        """The header inserted before the first statement, one indent inserted at each
        line of the statements, and the absorbed keywords deleted: small edits, so that
        the findings inside keep their place through them (fix.py maps them)."""
        text = self.text
        first, last = body[i], body[j]
        start = text.offset(first.lineno, 0)
        end = text.line_end(text.offset(last.end_lineno or last.lineno, 0))
        indent = text.text[start:text.offset(first.lineno, first.col_offset)]
        if indent.strip() or "\t" in text.text[start:end]:
            raise Refused("the statements are not indented with spaces only")
        edits: list[Edit] = []
        values = {kw: ast.dump(v) for kw, v in absorbed.items()}
        for site in self.sites:
            call = site.call
            gone = [k for k in call.keywords if k.arg in values
                    and ast.dump(k.value) == values[k.arg]]
            if gone:
                items = CallItems(text, call)
                edits.extend(items.delete([items.index(k) for k in gone]))
        if any(e.start < start or e.end > end for e in edits):
            raise Refused("an edit reaches outside the statements")
        line = first.lineno
        while line <= (last.end_lineno or last.lineno):
            at = text.offset(line, 0)
            content = text.lines[line - 1]
            # (a line a deletion removes, or starts inside, needs no indent)
            if content.strip() and not any(e.start <= at < e.end or e.start < at <= e.end
                                           and e.start != at for e in edits):
                edits.append(Edit(at, at, INDENT))
            line += 1
        op_text = text.text[slice(*text.node_span(self.first.call.func))]
        pairs = [f"{kw}={text.text[slice(*text.node_span(v))]}"
                 for kw, v in sorted(absorbed.items())]
        head = f"{indent}with {scope_name}([{op_text}], "
        one_line = head + ", ".join(pairs) + "):"
        if len(one_line) <= WIDTH and "\n" not in one_line:
            header = one_line
        else:
            pad = " " * len(f"{indent}with {scope_name}(")
            header = head + f",\n{pad}".join(pairs) + "):"
        newline = "\r\n" if text.lines[first.lineno - 1].endswith("\r\n") else "\n"
        # (one edit at the first line: the header, then that line's indent)
        edits = [e for e in edits if not (e.start == e.end == start)]
        edits.append(Edit(start, start, header + newline + INDENT))
        describe = (f"absorbed {', '.join(sorted(absorbed))} into a with "
                    f"{scope_name}([{op_text}]) around lines {first.lineno}-{last.end_lineno}")
        return describe, edits


class Reach:
    """What runs under a scope of the ops ``keys`` with the keywords ``kws`` (added by
    absorb, removed by inline): a call of one of those ops there must pass every keyword
    itself (then the scope changes nothing for it), and every project function called there
    is followed, ``MAX_DEPTH`` calls deep. ``Refused`` says where it fails."""

    def __init__(self, keys: frozenset[str], kws: set[str], label: str) -> None:
        self.keys = keys
        self.kws = kws
        self.label = label
        self.given: dict[int, set[str]] = {}  # id(call) -> the keywords an edit writes in
        # does the project define a function of this name? (None: the project is not known)
        self.defines: Callable[[str], bool] | None = None

    def _reads(self, func: ast.expr) -> bool:
        """``net.get_shape().as_list()``: a tensor's or a shape's accessor, when no function
        of the project has that name (then the object may be the project's)."""
        return (isinstance(func, ast.Attribute) and func.attr in _TENSOR_READS
                and self.defines is not None and not self.defines(func.attr))

    def check_call(self, call: ast.Call, frame: Frame, where: str, depth: int,
                   seen: frozenset[int]) -> None:
        """``call`` (in ``frame``) runs under the scope: the scope must change nothing it
        receives, nor what anything it runs receives (project functions, followed)."""
        resolver = frame.resolver
        target = resolver.target_of(call.func, frame, force=True)
        meta = meta_op_name(target)
        if meta:
            found = forwarded(call, meta)
            if found is None:
                raise Refused(f"{where}: slim.{meta}'s layer calls are not known")
            layer, calls = found
            for inner in calls:
                self._check_resolved(inner, resolver.target_of(layer, frame, force=True),
                                     layer, frame, where, depth, seen)
            return
        self._check_resolved(call, target, call.func, frame, where, depth, seen)

    def _check_resolved(self, call: ast.Call, target: Any, func: ast.expr, frame: Frame,
                        where: str, depth: int, seen: frozenset[int]) -> None:
        resolver = frame.resolver
        op = target if isinstance(target, Op) else getattr(target, "op", None)
        if isinstance(target, Partial):
            op = target.target
        if isinstance(op, Op) and op.key in self.keys:
            passed = {k.arg for k in call.keywords} | self.given.get(id(call), set())
            if None in passed:
                raise Refused(f"{where}: a call of {self.label} that passes **kwargs: "
                              "whether it passes every keyword the scope would supply is "
                              "not known")
            if not set(self.kws) <= passed:
                self.lacking(call, frame, where, depth)
            if not isinstance(target, LocalOp):
                return
        if isinstance(target, (Op, Partial, Unscoped, Api, Builtin)):
            return  # a library op or function: a scope of [op] does not reach it
        sym = resolver.resolve_expr(func, frame)
        if isinstance(sym, Path):
            if known.is_library_path(known.normalise(sym.path)):
                return  # a library function: it calls no op of the project's scopes
            sym = resolver.deref(sym, force=True)
        if isinstance(sym, LocalDef) and isinstance(target, (PlainFunc, LocalOp)):
            self._check_body(sym, where, depth, seen)
            return
        if target is None and (_method_of_value(func, frame, resolver)
                               or from_library_star(func, frame) or self._reads(func)):
            return
        named = _lambda_named(func, frame)
        if named is not None:  # ``trunc_normal = lambda stddev: ...``: what its body calls
            lam, owner = named
            if id(lam) in seen or depth >= MAX_DEPTH:
                raise Refused(f"{where}: a lambda calls too deep to follow")
            lam_frame = owner.resolver.frame_for(lam, owner)
            for n in ast.walk(lam.body):
                if isinstance(n, ast.Call):
                    self.check_call(n, lam_frame, where, depth + 1, seen | {id(lam)})
            return
        name = getattr(func, "attr", getattr(func, "id", "?"))
        raise Refused(f"{where}: {name}() is a call the model cannot resolve: it may run "
                      f"{self.label} under the scope")

    def lacking(self, call: ast.Call, frame: Frame, where: str, depth: int) -> None:
        """``call`` of a listed op does not pass every keyword of the scope."""
        raise (Refused if depth == 0 else LacksKeyword)(
            f"{where}: a call of {self.label} that does not pass every keyword the scope "
            "would supply")

    def _check_body(self, sym: LocalDef, where: str, depth: int,
                    seen: frozenset[int]) -> None:
        """A project function called under the scope: every call its body makes."""
        node = sym.node
        name = getattr(node, "name", "?")
        if depth >= MAX_DEPTH or id(node) in seen:
            raise Refused(f"{where}: {name}() calls too deep to follow")
        frame = sym.frame.resolver.frame_for(node, sym.frame)
        for n in _own_nodes(node):
            if isinstance(n, ast.Call):
                self.check_call(n, frame, f"{where}, {name}() line {n.lineno}", depth + 1,
                                seen | {id(node)})


def _lambda_named(func: ast.expr, frame: Frame) -> tuple[ast.Lambda, Frame] | None:
    """The lambda a name is bound to, once, and the frame that binds it (or None)."""
    from flake8_argscope.model.held import assigned_only

    if not isinstance(func, ast.Name):
        return None
    found = assigned_only(func.id, frame)
    if found is None or len(found[0]) != 1:
        return None
    value = getattr(found[0][0].node, "value", None)
    return (value, found[1]) if isinstance(value, ast.Lambda) else None


def _own_nodes(node: ast.AST) -> list[ast.AST]:
    """The nodes of a def's body, not of the defs, lambdas and classes nested in it."""
    out: list[ast.AST] = []
    stack: list[ast.AST] = list(getattr(node, "body", []))
    while stack:
        n = stack.pop()
        out.append(n)
        if not isinstance(n, _SCOPES):
            stack.extend(ast.iter_child_nodes(n))
    return out


def _method_of_value(func: ast.expr, frame: Frame, resolver: Any) -> bool:
    """``net.get_shape()``, ``'{}'.format(...)``, ``end_points.update(...)``: a method of a
    literal, or of a local bound only to literals or the results of ops and library calls
    (tensors, dicts): none of those runs the project's ops. (A parameter may be anything.)"""
    if not isinstance(func, ast.Attribute):
        return False
    root = func.value
    while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
        root = root.func if isinstance(root, ast.Call) else root.value
    if isinstance(root, (ast.Constant, ast.JoinedStr, ast.List, ast.Dict, ast.Tuple)):
        return True
    if not isinstance(root, ast.Name) or frame.is_module:
        return False
    bindings = frame.bindings.get(root.id)
    if not bindings:
        return False
    for b in bindings:
        value = getattr(b.node, "value", None)
        if b.kind not in ("assign", "unpack") or value is None:
            return False
        if isinstance(value, (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.JoinedStr)):
            continue
        if isinstance(value, ast.Call):
            target = resolver.target_of(value.func, frame, force=True)
            sym = resolver.resolve_expr(value.func, frame)
            if isinstance(target, (Op, Partial, Unscoped, Builtin)) or (
                    isinstance(sym, Path) and known.is_library_path(known.normalise(sym.path))):
                continue
        return False
    return True
