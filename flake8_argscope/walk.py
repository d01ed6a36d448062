"""The walk over one file: statements in order, with the effective scopes of each.

Statements are walked with a ``Scopes`` mapping (registry -> Scope) that each ``with``
item changes as the scope model says (``model.builder``). A nested def / lambda / class body
is queued and starts from empty scopes (lexical nesting is not dynamic scope). At each
point a rule can look at (``rules.registry.Hook``) the walker builds the typed context and
hands it to the enabled rules; it renders what they yield.
"""

from __future__ import annotations

import ast
import bisect
import sys
import traceback
from collections import deque
from typing import TYPE_CHECKING, cast

from flake8_argscope import rules
from flake8_argscope.forward import FORWARD_CODES, Forward
from flake8_argscope.frames import COMP_NODES
from flake8_argscope.known import TENSORPACK, SCOPE_ENTERING, Api, Op, Partial, Unscoped
from flake8_argscope.model.builder import ScopeBuilder
from flake8_argscope.model.dispatch import key_worlds
from flake8_argscope.model.held import held_context_managers
from flake8_argscope.model.forwarding import forwarded, meta_op_name, through_project

from flake8_argscope.model.scopes import Scopes
from flake8_argscope.project import Project
from flake8_argscope.relevance import Uninteresting
from flake8_argscope.resolve import Resolver
from flake8_argscope.rules.registry import CallContext, CallSite, Discarded, FileContext
from flake8_argscope.symbols import LocalOp, PlainFunc
from flake8_argscope.syntax import final_name
from flake8_argscope.worlds import worlds_of

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from flake8_argscope.api import Config
    from flake8_argscope.forward import Nested
    from flake8_argscope.frames import Frame, ScopeNode
    from flake8_argscope.model.arguments import ArgScopeCall
    from flake8_argscope.model.dispatch import KeyWorld
    from flake8_argscope.rules.registry import Ctx, HookRule
    from flake8_argscope.symbols import Target
    from flake8_argscope.worlds import World

# calls whose result may be discarded by mistake (ASC303): only these are resolved
# match statements exist from Python 3.10; on 3.9 no node is a match_case
_MATCH_CASE: tuple[type[ast.match_case], ...] = tuple(
    t for t in (getattr(ast, "match_case", None),) if t is not None)
_WRAPPER_NAMES = frozenset({"add_arg_scope", "enable_argscope_for_function"})
_COMP_TYPES = frozenset(COMP_NODES)
# node types that may contain a call (leaves, contexts and operators never do)
_EXPR_TYPES = frozenset(
    cls for cls in vars(ast).values()
    if isinstance(cls, type) and issubclass(cls, (ast.expr, ast.keyword))
    and cls not in (ast.Name, ast.Constant, ast.expr)
    and not getattr(cls, "__deprecated__", False)
    and cls.__name__ not in ("Num", "Str", "Bytes", "NameConstant", "Ellipsis", "Index",
                             "ExtSlice", "Suite", "Param", "AugLoad", "AugStore"))
_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
_NOT_CHILDREN = frozenset({"ctx", "op", "id", "attr", "arg", "kind", "conversion", "is_async",
                           "format_spec", "type_comment"})


def _child_fields(cls: type[ast.AST]) -> tuple[str, ...]:
    """Fields of an expression node type that may hold sub-expressions (cached: the walk
    over every expression is the plugin's hot loop)."""
    fields = _CHILD_FIELDS.get(cls)
    if fields is None:
        fields = _CHILD_FIELDS[cls] = tuple(
            f for f in cls._fields if f not in _NOT_CHILDREN)
    return fields


def _context_managers(expr: ast.expr) -> tuple[ast.expr, ...]:
    """The calls a with item enters: ``expr`` itself, or each branch of ``a if c else b``."""
    if isinstance(expr, ast.IfExp):
        return _context_managers(expr.body) + _context_managers(expr.orelse)
    return (expr,) if isinstance(expr, ast.Call) else ()


def analyse(tree: ast.Module, config: Config, filename: str | None = None,
            source: str | None = None) -> list[tuple[int, int, str]]:
    """The findings of one file: of one walk, or, when a module name is bound differently
    in the branches of a try/if, those that every branch's walk finds (worlds.py)."""
    walker = Walker(tree, config, filename, source)
    try:
        worlds = worlds_of(walker.resolver)
        if not worlds:
            plain = walker.run()
            if walker.forward is not None:
                try:
                    keyed = key_worlds(walker.resolver)
                    if keyed:
                        walker = _in_key_worlds(walker, keyed, list(plain), filename, source,
                                                plain)
                except Exception:  # a bug there loses the keys' findings, not the file's
                    if config.debug:
                        traceback.print_exc(file=sys.stderr)
            return plain
        # a finding holds in every world when each has one of that code at that node (its
        # message may name the world's library); the k-th of them pairs with the k-th. So
        # each world after the first walks only the module body and the def, class and
        # lambda bodies holding a finding so far: what a body's walk finds depends on the
        # module's walk and on the bodies around it, never on its siblings'
        common: dict[tuple[int, int, str, int], tuple[int, int, str]] | None = None
        for world in worlds:
            in_world = Walker(tree, config, filename, source, world)
            in_world.resolver.adopt(walker.resolver)
            _release(walker)
            walker = in_world
            only = None if common is None else sorted({line for line, _c, _m in common.values()})
            found: dict[tuple[int, int, str, int], tuple[int, int, str]] = {}
            for line, col, msg in sorted(set(walker.run(only))):
                k = 0
                while (line, col, msg[:6], k) in found:
                    k += 1
                found[(line, col, msg[:6], k)] = (line, col, msg)
            common = found if common is None else {
                k: v for k, v in common.items() if k in found}
            if not common:
                return []  # no finding every world has
        return list(common.values()) if common else []
    finally:
        _release(walker)


def _in_key_worlds(walker: Walker, worlds: list[KeyWorld], found: list[tuple[int, int, str]],
                   filename: str | None, source: str | None,
                   into: list[tuple[int, int, str]]) -> Walker:
    """Add to ``into`` (once all worlds are walked) the runtime errors (FORWARD_CODES) that
    happen for one key of a dispatch dict (model/dispatch.py), beyond those of ``found``:
    each key world walks the module body and the bodies reading the key, sharing one
    forward budget; returns the last walker, to release."""
    tree, config = walker.tree, walker.config
    seen = set(found)
    keys: dict[tuple[int, int, str], list[KeyWorld]] = {}  # finding -> the worlds it has
    owners = {w.owner for w in worlds}  # the defs binding a key, nested defs included
    spans = [(d.lineno, d.end_lineno or d.lineno) for d in ast.walk(tree)
             if isinstance(d, _DEF_NODES) and id(d) in owners]
    only = sorted({line for start, end in spans for line in range(start, end + 1)})
    for world in worlds:
        in_world = Walker(tree, config, filename, source)
        in_world.resolver.adopt(walker.resolver)
        in_world.resolver.keys = world
        in_world.forward.share(cast(Forward, walker.forward))  # type: ignore[union-attr]
        _release(walker)
        walker = in_world
        for finding in walker.run(only):
            if finding not in seen and finding[2][:6] in FORWARD_CODES:
                keys.setdefault(finding, []).append(world)
    for (line, col, msg), have in keys.items():
        # which key: ``ASC401 with name='vgg_16' via vgg_16() ...``
        shown = f"{have[0].variable}={' or '.join(repr(w.key) for w in have)}"
        rest = msg[6:] if msg[6:11] == " via " else ":" + msg[6:]
        into.append((line, col, f"{msg[:6]} with {shown}{rest}"))
    return walker


_DEF_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _spans_any(block: ast.AST, lines: list[int]) -> bool:
    """Does the def, class or lambda ``block`` (decorators included) span one of ``lines``?"""
    end = getattr(block, "end_lineno", None)
    if end is None:
        return True
    start = min([getattr(block, "lineno", 1)]
                + [d.lineno for d in getattr(block, "decorator_list", ())])
    i = bisect.bisect_left(lines, start)
    return i < len(lines) and lines[i] <= end


def _release(walker: Walker) -> None:
    """Break the walk's reference cycles (frames <-> resolver, walker <-> builder) so that
    refcounting frees it at once. Left to the garbage collector, a huge file's frames,
    bindings and call sites would outlive the run and make every full collection of
    flake8's next phases traverse them (benchmarks/huge.py)."""
    resolver = walker.__dict__.get("resolver")
    if resolver is not None:
        resolver.frames.clear()
        vars(resolver).clear()
    builder = walker.__dict__.get("builder")
    if builder is not None:
        vars(builder).clear()
    vars(walker).clear()


def _op_of(target: Target) -> tuple[Op | None, Partial | None, tuple[str, ...]]:
    """The op a call of ``target`` reaches, the partial it goes through, and the keywords
    that partial binds."""
    if isinstance(target, Partial):
        return target.target, target, target.bound
    if isinstance(target, LocalOp):
        return target.op, None, ()
    if isinstance(target, Op):
        return target, None, ()
    return None, None, ()


def _held(resolver: Resolver, stmt: ast.Assign, frame: Frame) -> bool:
    """``sc_gen = slim.arg_scope(...)`` (or ``a if c else b`` of such), entered only by
    ``with sc_gen:``: not an arg_scope entered outside a with."""
    value = stmt.value
    names = {final_name(c.func) for c in _context_managers(value)
             if isinstance(c, ast.Call)}
    target = stmt.targets[0]
    return bool(names & SCOPE_ENTERING) and len(stmt.targets) == 1 and isinstance(
        target, ast.Name) and held_context_managers(
            resolver, target.id, frame) is not None


def _defaults(args: ast.arguments) -> list[ast.expr]:
    """A def's or lambda's default values: evaluated where it is defined."""
    return args.defaults + [d for d in args.kw_defaults if d is not None]


def _in_dynamic(dynamic: list[ScopeNode], finding: tuple[int, int, str]) -> bool:
    """Call-site findings inside a function that enters scopes dynamically."""
    line, _col, message = finding
    if message[:6] not in rules.CALL_SITE_CODES:
        return False
    for node in dynamic:
        if isinstance(node, ast.Module):
            return True
        if node.lineno <= line <= (getattr(node, "end_lineno", None) or node.lineno):
            return True
    return False


class Walker:
    """One walk over one file (in one world): scopes per statement, rules at each hook."""

    # None when linting; `explain` gets the CallContext of every op call, scoped or not
    observer: Callable[[CallContext], None] | None = None

    def __init__(self, tree: ast.Module, config: Config, filename: str | None = None,
                 source: str | None = None, world: World | None = None) -> None:
        self.tree = tree
        self.config = config
        project = Project(filename, config)
        self.resolver = Resolver(tree, config, project=project, current=project.current,
                                 source=source, world=world)
        self.builder = ScopeBuilder(self.resolver, self._on_scope_entry)
        hooks = rules.ByHook(config.enabled)
        self._call_rules = hooks.call
        self._entry_rules = hooks.scope_entry
        self._discard_rules = hooks.discarded_call
        self._file_end_rules = hooks.file_end
        self.findings: list[tuple[int, int, str]] = []  # (line, col, message)
        self.sites: list[CallSite] = []
        # (body, frame, block) still to walk
        self._queue: deque[tuple[list[ast.stmt], Frame, ast.AST]] = deque()
        # frames' nodes that enter an arg_scope outside a with
        self._dynamic: list[ScopeNode] = []
        # (id(block), final name) of unresolved keyword-less calls
        self.bare_calls: set[tuple[int, str]] = set()
        self._skip = Uninteresting(self.resolver, config, source)
        self.reported_in = self.resolver
        self.forward: Forward | Nested | None = Forward(self) if any(
            r.code in FORWARD_CODES for r in self._call_rules) else None

    # ============================================================ driver
    def run(self, only: list[int] | None = None) -> list[tuple[int, int, str]]:
        """The findings; with ``only`` (sorted lines), of the module body and the bodies
        that span one of those lines, no others (analyse() says why that is enough)."""
        self._queue.append((self.tree.body, self.resolver.module_frame, self.tree))
        while self._queue:
            body, frame, block = self._queue.popleft()
            if only is not None and block is not self.tree and not _spans_any(block, only):
                continue
            self.walk_body(body, frame, Scopes(), block)
        self._apply(self._file_end_rules, FileContext(self, self.sites, self.bare_calls))
        if self._dynamic:
            self.findings = [f for f in self.findings if not _in_dynamic(self._dynamic, f)]
        return self.findings

    def _apply(self, rule_list: tuple[HookRule[Ctx], ...], ctx: Ctx) -> None:
        for rule in rule_list:
            for node, fields in rule.check(ctx):
                self.findings.append((node.lineno, node.col_offset, rule.render(fields)))

    def _on_scope_entry(self, entry: ArgScopeCall) -> None:
        self._apply(self._entry_rules, entry)

    # ============================================================ statements
    def walk_body(self, body: list[ast.stmt], frame: Frame, scopes: Scopes,
                  block: ast.AST) -> None:
        for stmt in body:
            self.walk_stmt(stmt, frame, scopes, block)

    def walk_stmt(self, stmt: Any, frame: Frame, scopes: Scopes, block: ast.AST) -> None:
        # ``stmt``: an ast.stmt, partly dispatched on type(): mypy cannot narrow through ``t``
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for d in stmt.decorator_list:
                self.visit_expr(d, frame, scopes, block)
            for d in _defaults(stmt.args):
                self.visit_expr(d, frame, scopes, block)
            self._queue.append((stmt.body, self.resolver.frame_for(stmt, frame), stmt))
            return
        if isinstance(stmt, ast.ClassDef):
            for e in stmt.decorator_list + stmt.bases + [k.value for k in stmt.keywords]:
                self.visit_expr(e, frame, scopes, block)
            self._queue.append((stmt.body, self.resolver.frame_for(stmt, frame), stmt))
            return
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            cur = scopes
            for item in stmt.items:
                cm = item.context_expr
                if type(cm) is ast.IfExp:  # (rare: the common case allocates nothing)
                    self.visit_expr(cm, frame, cur, block, skip=_context_managers(cm))
                else:
                    self.visit_expr(cm, frame, cur, block, skip_self=True)
                cur = self.builder.apply_item(item, stmt, cur, frame)
            self.walk_body(stmt.body, frame, cur, stmt)
            return
        t = type(stmt)
        if t is ast.Expr or t is ast.Return:
            value = stmt.value
            if value is None:
                return
            if t is ast.Expr and type(value) is ast.Call and self._discard_rules and (
                    final_name(value.func) in _WRAPPER_NAMES):
                self._apply(self._discard_rules, Discarded(
                    self, value, self.resolver.target_of(value.func, frame)))
            self.visit_expr(value, frame, scopes, block)
            return
        if t is ast.Assign:
            value = stmt.value
            if type(value) is ast.Call and not (
                    type(value.func) is ast.Attribute
                    and self._skip(value.func, scopes, self.observer is not None)):
                self.builder.record_assigned_dict(stmt, frame, scopes)
            skip: tuple[ast.expr, ...] = ()
            t_value = type(value)
            if (t_value is ast.IfExp or t_value is ast.Call and getattr(
                    value.func, "attr", getattr(value.func, "id", "")) in SCOPE_ENTERING) and (
                    _held(self.resolver, stmt, frame)):
                skip = _context_managers(value)  # entered (and judged) at its with
            self.visit_expr(value, frame, scopes, block, skip=skip)
            for target in stmt.targets:
                if type(target) is not ast.Name:
                    self.visit_expr(target, frame, scopes, block)
            return
        if t is ast.If or t is ast.While:
            self.visit_expr(stmt.test, frame, scopes, block)
            self.walk_body(stmt.body, frame, scopes, block)
            self.walk_body(stmt.orelse, frame, scopes, block)
            return
        self._walk_fields(stmt, frame, scopes, block)

    def _walk_fields(self, stmt: ast.stmt, frame: Frame, scopes: Scopes,
                     block: ast.AST) -> None:
        """Any other statement: its expressions, then its bodies, in field order."""
        for _name, value in ast.iter_fields(stmt):
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                self.walk_body(value, frame, scopes, block)
            elif isinstance(value, list):
                for v in value:
                    if isinstance(v, ast.expr):
                        self.visit_expr(v, frame, scopes, block)
                    elif isinstance(v, ast.ExceptHandler):
                        if v.type is not None:
                            self.visit_expr(v.type, frame, scopes, block)
                        self.walk_body(v.body, frame, scopes, block)
                    elif isinstance(v, _MATCH_CASE):
                        if v.guard is not None:
                            self.visit_expr(v.guard, frame, scopes, block)
                        self.walk_body(v.body, frame, scopes, block)
                    elif isinstance(v, ast.keyword):
                        self.visit_expr(v.value, frame, scopes, block)
            elif isinstance(value, ast.expr):
                self.visit_expr(value, frame, scopes, block)

    # ============================================================ expressions
    def visit_expr(self, node: ast.expr, frame: Frame, scopes: Scopes, block: ast.AST,
                   shadow: frozenset[str] = frozenset(), skip_self: bool = False,
                   skip: tuple[ast.expr, ...] = ()) -> None:
        """Every call in the expression but ``node`` itself (``skip_self``) and those in
        ``skip`` (a with item's context managers: the builder enters them); lambdas are
        queued as their own frame, comprehension targets shadow outer names inside them."""
        # expression and keyword nodes, dispatched on type(): mypy cannot narrow through ``t``
        stack: list[Any] = [node]
        push = stack.append
        pop = stack.pop
        expr_types = _EXPR_TYPES
        while stack:
            n = pop()
            t = type(n)
            if t is ast.Call:
                if not (skip_self and n is node) and n not in skip:
                    self.check_call(n, frame, scopes, block, shadow)
            elif t is ast.Lambda:
                for d in _defaults(n.args):
                    self.visit_expr(d, frame, scopes, block)
                self._queue.append(([ast.Expr(value=n.body, lineno=n.lineno,
                                              col_offset=n.col_offset)],
                                    self.resolver.frame_for(n, frame), n))
                continue
            elif t in _COMP_TYPES:
                self._visit_comprehension(n, frame, scopes, block, shadow)
                continue
            fields = _CHILD_FIELDS.get(t)
            if fields is None:
                fields = _child_fields(t)
            for field in fields:
                value = getattr(n, field, None)
                if type(value) is list:
                    for child in value:
                        if type(child) in expr_types:
                            push(child)
                elif type(value) in expr_types:
                    push(value)

    def _visit_comprehension(self, n: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
                             frame: Frame, scopes: Scopes, block: ast.AST,
                             shadow: frozenset[str]) -> None:
        inner: set[str] | frozenset[str]
        inner = set(shadow)
        for gen in n.generators:
            inner.update(t.id for t in ast.walk(gen.target) if isinstance(t, ast.Name))
        inner = frozenset(inner)
        for gen in n.generators:
            self.visit_expr(gen.iter, frame, scopes, block, shadow)
            for cond in gen.ifs:
                self.visit_expr(cond, frame, scopes, block, inner)
        for attr in ("elt", "key", "value"):
            sub = getattr(n, attr, None)
            if sub is not None:
                self.visit_expr(sub, frame, scopes, block, inner)

    # ============================================================ calls
    def check_call(self, call: ast.Call, frame: Frame, scopes: Scopes, block: ast.AST,
                   shadow: frozenset[str]) -> None:
        active = scopes.active()
        if not call.keywords and not active:
            # every rule needs a keyword (ASC101/201) or an active scope (the rest); only
            # remember the name, so that ASC101 never claims "every call" past this one
            func = call.func
            t = type(func)  # (final_name, inline: this runs for most calls of a file)
            if t is ast.Attribute:
                self.bare_calls.add((id(block), func.attr))  # type: ignore[attr-defined]
            elif t is ast.Name:
                self.bare_calls.add((id(block), func.id))  # type: ignore[attr-defined]
            if self.observer is None:
                return
        func = call.func
        if type(func) is ast.Attribute and self._skip(func, scopes, self.observer is not None):
            return
        resolver = self.resolver
        target = resolver.target_of(func, frame, shadow)
        if target is None and scopes.names_listed(final_name(func)):
            # a possible look-alike (ASC302): worth parsing the project module it names
            target = resolver.target_of(func, frame, shadow, force=True)
        elif target is None and active and self.forward is not None and (
                self.forward.may_call_listed(func, frame, shadow, scopes)):
            # a project function whose body may run the listed ops under these scopes
            target = self.forward.target(func, frame, shadow)
        if target is None:
            return
        # (no tuple from _op_of here: this runs for every resolved call)
        partial: Partial | None = None
        bound: tuple[str, ...] = ()
        op: Op | None
        if isinstance(target, Op):
            op = target
        elif isinstance(target, LocalOp):
            op = target.op
        elif isinstance(target, Partial):
            op, partial, bound = target.target, target, target.bound
        else:
            op = None
        if op is None:
            meta = meta_op_name(target) if active or self.observer is not None else ""
            if meta:  # slim.repeat / slim.stack: the rules judge the layer calls they make
                found = forwarded(call, meta)
                layer = self.resolver.target_of(found[0], frame, shadow) if found else None
                judged = False
                for inner in found[1] if found else ():
                    judged = self._judge(inner, layer, frame, scopes, shadow) or judged
                if not judged and active and self.forward is not None:
                    # slim.repeat(net, 3, block): each layer call runs block under these
                    self.findings.extend(self.forward.report(call, layer, scopes))
            elif active and isinstance(target, PlainFunc) and self._judge(
                    call, target, frame, scopes, shadow):
                return  # a project function forwarding its arguments to an op
            elif active and isinstance(target, PlainFunc) and self.forward is not None:
                # its body runs under these scopes (forward.py)
                self.findings.extend(self.forward.report(call, target, scopes, frame))
            elif not isinstance(target, (Unscoped, PlainFunc)):
                if isinstance(target, Api) and target.name in SCOPE_ENTERING:
                    # an arg_scope entered outside a with statement (ExitStack.enter_context,
                    # a stored context manager...): scopes in this function are not what
                    # they look like
                    self._dynamic.append(frame.node)
                return
            elif TENSORPACK not in scopes and not scopes.names_listed(final_name(func)):
                return  # a plain function named like no listed op: no look-alike (ASC302)
        entry = scopes.entry_for(op) if op is not None else None
        if active or self.observer is not None:  # call-site rules need an active scope
            ctx = CallContext(self, call, target, op, entry, scopes, frame, shadow, bound,
                              partial)
            if active:
                self._apply(self._call_rules, ctx)
            if self.observer is not None and op is not None:
                self.observer(ctx)
        if op is not None and entry is not None and partial is None:
            self.sites.append(CallSite(block, op, call, frame, entry))
            if active and self.forward is not None and type(target) is LocalOp:
                self.forward.enter_local(call, frame, shadow, scopes)  # its body runs too

    def _judge(self, call: ast.Call, target: Target, frame: Frame, scopes: Scopes,
               shadow: frozenset[str], depth: int = 3) -> bool:
        """The call-site rules on a call made on the code's behalf (a meta-op's layer call,
        a project function's forwarding call), with the caller's nodes; False: no op."""
        op, partial, bound = _op_of(target)
        if op is None:
            fw = through_project(target, call) if depth else None
            if fw is None:
                return False
            inner, sym = fw
            fframe = sym.frame.resolver.frame_for(sym.node, sym.frame)
            return self._judge(inner, sym.frame.resolver.target_of(inner.func, fframe), frame,
                               scopes, shadow, depth - 1)
        ctx = CallContext(self, call, target, op, scopes.entry_for(op), scopes, frame, shadow,
                          bound, partial)
        self._apply(self._call_rules if scopes.active() else (), ctx)
        if self.observer is not None:
            self.observer(ctx)
        return True
