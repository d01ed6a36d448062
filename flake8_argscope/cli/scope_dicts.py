"""``inline`` of a scope function's use: ``with slim.arg_scope(vgg_arg_scope(0.0005)):``.

The scope such a with enters is the dict the scope function returns, which replaces the
whole stack (docs/semantics.md): the model evaluates the function at the call (model/
factories.py) and says, per op, each keyword's value and where it is written. Inlined, a
value must be spelled so that it means the same at the op call:

- written in the with's own call (an argument) or a default of the function: copied, if its
  names mean the same at the op call;
- written in the function's body: copied, if its names mean the same at the op call; a name
  of the function's parameters is replaced by the argument (or default) the call gives it,
  when that is a constant or a (dotted) name; any other local of the function's body is not
  visible at the call: refused.
"""

from __future__ import annotations

import ast
import copy
from typing import TYPE_CHECKING

from flake8_argscope.cli.absorb import Refused
from flake8_argscope.cli.explain import source_text

if TYPE_CHECKING:
    from flake8_argscope.cli.inline import _Inline
    from flake8_argscope.frames import Frame
    from flake8_argscope.model.scopes import KwVal, Scopes

_BINDING = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
            ast.NamedExpr)


class DictScope:
    """What ``with arg_scope(<scope function>(...))`` enters, read from the model."""

    def __init__(self, attempt: _Inline, item: ast.withitem) -> None:
        from flake8_argscope.cli.explain import ExplainWalker

        call = item.context_expr
        assert isinstance(call, ast.Call)
        factory = call.args[0]
        if not isinstance(factory, ast.Call):
            raise Refused("a scope dict held in a name: not inlined (where it is built, "
                          "it is kept: as ...)")
        if len(attempt.items) > 1:
            raise Refused("a scope dict with other scopes in the same with: not inlined")
        self.attempt = attempt
        self.item = item
        self.factory = factory
        quiet = copy.copy(attempt.config)
        quiet.enabled = frozenset()
        walker = ExplainWalker(attempt.tree, quiet, attempt.path, attempt.source)
        walker.run()
        scopes: Scopes | None = walker.with_scopes.get(id(attempt.node))
        if scopes is None:
            raise Refused("the scope dict is not known to the model")
        self.scopes = scopes
        self._entered_without_error()

    def _entered_without_error(self) -> None:
        """The with's call runs the scope function: an arg_scope it enters that raises
        (ASC301, ASC403, ASC404) would raise there, and no more once inlined."""
        from flake8_argscope.api import build_config, findings
        from flake8_argscope.rules import RULES
        from flake8_argscope.symbols import LocalDef, Path

        resolver = self.attempt.resolver
        sym = resolver.resolve_expr(self.factory.func, self.attempt.frame)
        if isinstance(sym, Path):
            sym = resolver.deref(sym, force=True)
        if not isinstance(sym, LocalDef) or not isinstance(
                sym.node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            raise Refused(f"{ast.unparse(self.factory.func)}() is not a function of the "
                          "project the model can read (a method, a library's)")
        module = sym.frame.resolver
        if module.tree is None or module.source is None:
            raise Refused("the scope function's module is not known")
        lines = range(sym.node.lineno, (sym.node.end_lineno or sym.node.lineno) + 1)
        path: str | None = self.attempt.path
        if module is not resolver:
            from flake8_argscope.project import _find

            project = module.project
            path = _find(module.current[0], project.roots) if (
                module.current is not None and project is not None) else None
        if path is None:
            raise Refused("the scope function's module is not known")
        for line, _col, msg in findings(module.tree, build_config(), path, module.source):
            rule = RULES.get(msg[:6])
            if line in lines and rule is not None and rule.raised_at == "with":
                raise Refused(f"{sym.node.name}() raises when it enters its scope "
                              f"({msg[:6]}): removing its call would change that")

    def keys_and_keywords(self) -> tuple[set[str], set[str]]:
        keys: set[str] = set()
        kws: set[str] = set()
        for scope in self.scopes.values():
            if scope.wild:
                raise Refused("the scope dict may supply keywords the model does not know")
            for key, entry in scope.ops.items():
                if entry.wild:
                    raise Refused("the scope dict may supply keywords the model does not know")
                if entry.known:
                    keys.add(key)
                    kws.update(entry.known)
        return keys, kws

    def value(self, kw: str, key: str, target: Frame, where: str) -> tuple[str, list[str]]:
        """The text of ``kw``'s value for the op ``key``, meaning at ``target`` what it means
        in the scope; and the names in it evaluated in the with's own frame (the caller
        checks they are not bound again before the op call)."""
        kv = None
        for scope in self.scopes.values():
            entry = scope.ops.get(key)
            if entry is not None and kw in entry.known:
                kv = entry.known[kw]
        if kv is None or kv.origin is None or kv.also:
            raise Refused(f"{where}: the value of {kw} in the scope dict is not known")
        if kv.node is not None:
            frame = self._frame_of_node(kv)
            here = frame is self.attempt.frame
            source = self.attempt.source if here else kv.origin.resolver.source
            text = source_text(kv.node, source)
            self._names_mean_the_same(kw, text, [(kv.node, frame)], target, where)
            return text, _names(kv.node) if here else []
        return self._substituted(kw, kv, target, where)

    def _frame_of_node(self, kv: KwVal) -> Frame:
        """Where the value's expression is evaluated: the with's call, a default of the
        scope function (where it is defined), or its body."""
        assert kv.origin is not None
        if any(n is kv.node for n in ast.walk(self.factory)):
            return self.attempt.frame
        fdef = kv.origin.node
        args = getattr(fdef, "args", None)
        if args is not None and any(d is kv.node for d in args.defaults + args.kw_defaults):
            return kv.origin.parent or kv.origin
        return kv.origin

    def _substituted(self, kw: str, kv: KwVal, target: Frame,
                     where: str) -> tuple[str, list[str]]:
        """``slim.l2_regularizer(weight_decay)`` -> ``slim.l2_regularizer(0.0005)``."""
        assert kv.origin is not None
        fdef = kv.origin.node
        expr = _keyword_in(kv.scope_node, kw)
        if expr is None or not isinstance(fdef, (ast.FunctionDef, ast.AsyncFunctionDef)):
            raise Refused(f"{where}: the value of {kw} in the scope dict is not known")
        name = fdef.name
        if any(isinstance(n, _BINDING) for n in ast.walk(expr)):
            raise Refused(f"{where}: {kw}: the value binds names of its own: not copied")
        at_with = self.attempt.frame
        bound = _bind(fdef, self.factory, at_with, kv.origin.parent or kv.origin)
        if bound is None:
            raise Refused(f"{where}: {kw}: what {name}()'s parameters hold is not known")
        given = bound  # (named anew: the class below closes over it, narrowed)
        pieces: list[tuple[ast.AST, Frame]] = []
        own: list[str] = []

        class Substitute(ast.NodeTransformer):
            def visit_Name(self, n: ast.Name) -> ast.AST:
                if n.id not in given:
                    return n
                arg, frame = given[n.id]
                if not _copyable(arg):
                    raise Refused(f"{where}: {kw}: the argument for {name}()'s {n.id} is an "
                                  "expression: not copied")
                pieces.append((arg, frame))
                if frame is at_with:
                    own.extend(_names(arg))
                return copy.deepcopy(arg)

        copied = Substitute().visit(copy.deepcopy(expr))
        text = ast.unparse(copied)
        params = set(given)
        body_names = [n.id for n in ast.walk(expr) if isinstance(n, ast.Name)
                      and n.id not in params]
        for ident in body_names:
            self._one_name(kw, text, ident, kv.origin, target, where)
        self._names_mean_the_same(kw, text, pieces, target, where)
        return text, own

    def _names_mean_the_same(self, kw: str, text: str, parts: list[tuple[ast.AST, Frame]],
                             target: Frame, where: str) -> None:
        for node, frame in parts:
            for ident in _names(node):
                self._one_name(kw, text, ident, frame, target, where)

    def _one_name(self, kw: str, text: str, ident: str, frame: Frame, target: Frame,
                  where: str) -> None:
        from flake8_argscope.cli.across import _same_meaning

        if frame is target or _same_meaning(ident, frame, target):
            return  # (the same frame: the caller checks it is not bound again before)
        fdef = getattr(frame.node, "name", None)  # (a module frame has none)
        if fdef is not None and frame.binds(ident):
            raise Refused(f"{where}: {kw}={text}: {ident} is a name of {fdef}()'s body or "
                          "parameters, not visible at the call")
        raise Refused(f"{where}: {kw}={text}: {ident} does not mean the same there")


def _keyword_in(with_node: ast.With | ast.AsyncWith | None, kw: str) -> ast.expr | None:
    """The value ``kw=`` is given in the with's ``arg_scope(...)`` items (the last one)."""
    found = None
    for item in getattr(with_node, "items", ()):
        call = item.context_expr
        if isinstance(call, ast.Call):
            for k in call.keywords:
                if k.arg == kw:
                    found = k.value
    return found


def _bind(fdef: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, at_call: Frame,
          at_def: Frame) -> dict[str, tuple[ast.expr, Frame]] | None:
    """Each parameter's argument (in the call's frame) or default (where the function is
    defined); None when ``*args``/``**kwargs`` leave it open."""
    args = fdef.args
    positional = [a.arg for a in args.posonlyargs + args.args]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords) or len(call.args) > len(positional):
        return None
    given = {name: (value, at_call) for name, value in zip(positional, call.args)}
    for k in call.keywords:
        if k.arg is not None:
            given[k.arg] = (k.value, at_call)
    defaults = dict(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    defaults.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults)
                    if d is not None)
    for name, value in defaults.items():
        given.setdefault(name, (value, at_def))
    return given


def _copyable(node: ast.expr) -> bool:
    """A constant, a (dotted) name, a negative number: the same value wherever copied."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, (ast.Constant, ast.Name))


def _names(node: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(node) if isinstance(n, ast.Name)]
