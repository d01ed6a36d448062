"""Name bindings per Python scope (module, function, lambda, class body).

Only what resolution needs: which statements bind a name in a scope, and where. Nested
function and class bodies are their own frames; comprehensions bind their targets in their
own scope, which the walker shadows while it is inside them.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from flake8_argscope.record import Frozen, Record

if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Union

    from flake8_argscope.resolve import Resolver

    # the node of a Python scope
    # ((id(if or try node), branch), ...): where a binding is made
    Arm = tuple[tuple[int, int], ...]
    ScopeNode = Union[ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                      ast.ClassDef]

FUNC_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
COMP_NODES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


_NO_ARMS: dict[int, Arm] = {}  # shared, never written: most frames have no branches


class Binding(Frozen):
    """kind: import | from | star | assign | unpack | def | class | withas | param | other;
    node: the statement / def / withitem / alias; path: for imports the dotted path bound
    (None: relative); level/module: a relative import's level and module part (``level``:
    the name's index in the target tuple for ``unpack``)."""

    __slots__ = _fields = ("kind", "line", "node", "path", "level", "module")
    kind: str
    line: int
    node: Any  # which ast node depends on ``kind``: readers rely on the kind, not isinstance
    path: str | None
    level: int
    module: str | None

    def __init__(self, kind: str, line: int, node: Any = None, path: str | None = None,
                 level: int = 0, module: str | None = None) -> None:
        sa = object.__setattr__
        sa(self, "kind", kind)
        sa(self, "line", line)
        sa(self, "node", node)
        sa(self, "path", path)
        sa(self, "level", level)
        sa(self, "module", module)


class Frame(Record):
    """One Python scope: ``parent`` is the enclosing frame for name lookup (class frames
    are skipped); ``bindings`` name -> [Binding]; ``store_attr_roots`` name -> lines of
    ``name.x = ...`` / ``name.f(...)``; ``resolver`` the module's Resolver."""

    __slots__ = _fields = ("node", "parent", "_bindings", "_declared_global",
                           "_declared_nonlocal", "_store_attr_roots", "resolver", "is_module",
                           "is_class", "_pending", "_arms")
    node: ScopeNode
    parent: Frame | None
    _bindings: dict[str, list[Binding]]
    _declared_global: set[str]
    _declared_nonlocal: set[str]
    _store_attr_roots: dict[str, list[int]]
    resolver: Resolver
    is_module: bool
    is_class: bool
    _pending: bool | None  # the ``deep`` of _Collector until collected, then None
    _arms: dict[int, Arm]  # id(binding) -> the branches it is bound in, when inside any

    def __init__(self, node: ScopeNode, parent: Frame | None, deep: bool | None = None) -> None:
        self.node = node
        self.parent = parent
        self._bindings = {}
        self._declared_global = set()
        self._declared_nonlocal = set()
        self._store_attr_roots = {}
        self.resolver = None  # type: ignore[assignment]  # set by Resolver.frame_for at once
        self.is_module = isinstance(node, ast.Module)
        self.is_class = isinstance(node, ast.ClassDef)
        # collected on first use: most function bodies never need a name looked up
        self._pending = deep
        self._arms = _NO_ARMS  # a dict of its own once a binding is made inside a branch

    def _fill(self) -> None:
        deep, self._pending = self._pending, None
        _collect(self, deep)  # type: ignore[arg-type]  # called only while _pending is set

    @property
    def bindings(self) -> dict[str, list[Binding]]:
        if self._pending is not None:
            self._fill()
        return self._bindings

    @property
    def declared_global(self) -> set[str]:
        if self._pending is not None:
            self._fill()
        return self._declared_global

    @property
    def declared_nonlocal(self) -> set[str]:
        if self._pending is not None:
            self._fill()
        return self._declared_nonlocal

    @property
    def store_attr_roots(self) -> dict[str, list[int]]:
        if self._pending is not None:
            self._fill()
        return self._store_attr_roots

    @property
    def arms(self) -> dict[int, Arm]:
        """id(binding) -> ((id(if or try node), branch), ...) for bindings made inside a
        branch of an ``if`` (0 body, 1 else) or a ``try`` (0 body and else, i handler i)."""
        if self._pending is not None:
            self._fill()
        return self._arms

    def arm_of(self, binding: Binding) -> Arm:
        return self.arms.get(id(binding), ())

    def add(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def binds(self, name: str) -> bool:
        return name in self.bindings or name in self.declared_global or (
            name in self.declared_nonlocal
        )

    def lines_binding(self, name: str) -> list[int]:
        return [b.line for b in self.bindings.get(name, ())]


def _attr_root(node: ast.expr) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


class _Collector(ast.NodeVisitor):
    """Fills one frame; does not enter nested scopes (it records their names only)."""

    def __init__(self, frame: Frame, deep: bool = True) -> None:
        self.frame = frame
        # Expressions bind nothing but walrus targets: without ``:=`` in the file only the
        # statements and their top-level expressions are visited (the hot path).
        self.deep = deep
        self.arm: Arm = ()  # the if/try branches the statement being visited is in

    def visit(self, node: ast.AST) -> None:
        if not self.deep and isinstance(node, ast.expr):
            return  # no walrus in the file: expressions bind nothing here
        return super().visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        # `x.append(...)` as a statement: a mutation of `x` (for ASC201's stability check)
        value = node.value
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            root = _attr_root(value.func.value)
            if root:
                self.frame.store_attr_roots.setdefault(root, []).append(node.lineno)
        self.visit(value)

    def generic_visit(self, node: ast.AST) -> None:
        for _field, value in ast.iter_fields(node):
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    # leaves bind nothing; NodeVisitor's default for Constant is a slow compatibility shim
    def visit_Constant(self, node: ast.Constant) -> None:
        pass

    def visit_Name(self, node: ast.Name) -> None:
        pass

    def add(self, name: str, binding: Binding) -> None:
        # straight into the frame's dict: the collector runs while the frame fills
        self.frame._bindings.setdefault(name, []).append(binding)
        if self.arm:
            frame = self.frame
            if frame._arms is _NO_ARMS:
                frame._arms = {}
            frame._arms[id(binding)] = self.arm

    def _branch(self, node: ast.AST, branch: int, body: list[ast.stmt]) -> None:
        outer = self.arm
        self.arm = outer + ((id(node), branch),)
        for stmt in body:
            self.visit(stmt)
        self.arm = outer

    def visit_If(self, node: ast.If) -> None:
        self.visit(node.test)
        self._branch(node, 0, node.body)
        self._branch(node, 1, node.orelse)

    def visit_Try(self, node: ast.Try) -> None:
        self._branch(node, 0, node.body + node.orelse)
        for i, handler in enumerate(node.handlers, 1):
            self._branch(node, i, [handler])  # type: ignore[list-item]  # visited as a node
        for stmt in node.finalbody:
            self.visit(stmt)

    visit_TryStar = visit_Try  # type: ignore[assignment]  # the same fields as Try

    def other(self, name_node: ast.Name) -> None:
        self.add(name_node.id, Binding("other", name_node.lineno, name_node))

    # -- nested scopes: bind the name, do not enter
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for d in node.decorator_list:
            self.visit(d)
        self._visit_args_defaults(node.args)
        self.add(node.name, Binding("def", node.lineno, node))

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for d in node.decorator_list:
            self.visit(d)
        for b in node.bases:
            self.visit(b)
        for k in node.keywords:
            self.visit(k.value)
        self.add(node.name, Binding("class", node.lineno, node))

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_args_defaults(node.args)

    def _visit_args_defaults(self, args: ast.arguments) -> None:
        d: ast.expr | None
        for d in args.defaults:
            self.visit(d)
        for d in args.kw_defaults:
            if d is not None:
                self.visit(d)

    def _comp(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> None:
        # comprehension targets live in their own scope; walrus inside binds here
        for gen in node.generators:
            self.visit(gen.iter)
            for cond in gen.ifs:
                self.visit(cond)
        for attr in ("elt", "key", "value"):
            sub = getattr(node, attr, None)
            if sub is not None:
                self.visit(sub)

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comp

    # -- bindings
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.add(alias.asname, Binding("import", node.lineno, alias, alias.name))
            else:
                root = alias.name.split(".", 1)[0]
                self.add(root, Binding("import", node.lineno, alias, root))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                self.add("*", Binding(
                    "star", node.lineno, node,
                    node.module if not node.level else None, node.level, node.module))
                continue
            name = alias.asname or alias.name
            if node.level:
                self.add(name, Binding(
                    "from", node.lineno, alias, None, node.level,
                    ((node.module + ".") if node.module else "") + alias.name))
            else:
                self.add(name, Binding(
                    "from", node.lineno, alias, f"{node.module}.{alias.name}"))

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and len(node.targets) == 1:
                self.add(target.id, Binding("assign", node.lineno, node))
            elif len(node.targets) == 1 and isinstance(target, (ast.Tuple, ast.List)) and all(
                    isinstance(e, ast.Name) for e in target.elts):
                # ``a, b = ...``: each name knows its index (in ``level``)
                for i, elt in enumerate(target.elts):
                    self.add(cast(ast.Name, elt).id, Binding("unpack", node.lineno, node, None, i))
            else:
                self._store(target)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)
            if isinstance(node.target, ast.Name):
                self.add(node.target.id, Binding("assign", node.lineno, node))
                return
        self._store(node.target)

    def _store(self, target: Any) -> None:
        # an ast.expr, dispatched on type(): mypy does not narrow through ``t``
        t = type(target)
        if t is ast.Name:
            self.other(target)
        elif t is ast.Tuple or t is ast.List:
            for elt in target.elts:
                self._store(elt)
        elif t is ast.Starred:
            self._store(target.value)
        elif t is ast.Attribute or t is ast.Subscript:
            root = _attr_root(target)
            if root:
                self.frame.store_attr_roots.setdefault(root, []).append(target.lineno)
            if self.deep:
                self.visit(target.value)

    def _attr_store(self, target: ast.expr) -> None:
        for sub in ast.walk(target) if isinstance(target, (ast.Tuple, ast.List)) else [target]:
            if isinstance(sub, (ast.Attribute, ast.Subscript)):
                root = _attr_root(sub)
                if root:
                    self.frame.store_attr_roots.setdefault(root, []).append(sub.lineno)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            self.other(node.target)
        else:
            self._attr_store(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        self.other(node.target)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._store(node.target)
        for stmt in node.body + node.orelse:
            self.visit(stmt)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                if isinstance(item.optional_vars, ast.Name):
                    self.add(item.optional_vars.id, Binding(
                        "withas", item.optional_vars.lineno, item))
                else:
                    self._store(item.optional_vars)
        for stmt in node.body:
            self.visit(stmt)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.add(node.name, Binding("other", node.lineno, node))
        for stmt in node.body:
            self.visit(stmt)

    def visit_Delete(self, node: ast.Delete) -> None:
        for t in node.targets:
            if isinstance(t, ast.Name):
                self.other(t)
            else:
                self._attr_store(t)

    def visit_Global(self, node: ast.Global) -> None:
        self.frame.declared_global.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.frame.declared_nonlocal.update(node.names)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self.add(node.name, Binding("other", node.lineno, node))

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.add(node.name, Binding("other", node.lineno, node))

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        for p in node.patterns:
            self.visit(p)
        if node.rest:
            self.add(node.rest, Binding("other", node.lineno, node))

    def visit_Call(self, node: ast.Call) -> None:
        # `x.append(...)`-style mutation of a local counts as a change of `x`
        if isinstance(node.func, ast.Attribute):
            root = _attr_root(node.func.value)
            if root:
                self.frame.store_attr_roots.setdefault(root, []).append(node.lineno)
        self.generic_visit(node)


def build_frame(node: ScopeNode, parent: Frame | None, deep: bool = True) -> Frame:
    """The frame of ``node``; its bindings are collected when first asked for."""
    return Frame(node, parent, deep)


def _collect(frame: Frame, deep: bool) -> None:
    node = frame.node
    collector = _Collector(frame, deep)
    body: Sequence[ast.AST]
    if isinstance(node, ast.Module):
        body = node.body
    elif isinstance(node, ast.Lambda):
        body = [node.body]
    else:
        body = node.body
    if isinstance(node, FUNC_NODES):
        args = node.args
        a: ast.arg | None
        for a in args.posonlyargs + args.args + args.kwonlyargs:
            frame.add(a.arg, Binding("param", getattr(a, "lineno", node.lineno), a))
        for a in (args.vararg, args.kwarg):
            if a is not None:
                frame.add(a.arg, Binding("other", getattr(a, "lineno", node.lineno), a))
    for stmt in body:
        collector.visit(stmt)
