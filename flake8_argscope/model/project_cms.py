"""Project functions used as context managers: ``with f(...):`` where ``f`` returns
``arg_scope(...)`` or a no-op context manager (object_detection's ``_batch_norm_arg_scope``,
mobilenet's ``safe_arg_scope``), or is a ``@contextmanager`` generator entering scopes around
its ``yield`` (tensorpack's ``backbone_scope``). Each call is evaluated with the parameters it
fixes (docs/semantics.md §1.2-1.3 for what entering does)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, cast

from flake8_argscope.known import SCOPE_ENTERING, Api
from flake8_argscope.model.factories import Caller, bind_params, live_returns, scope_cm_returns
from flake8_argscope.model.generators import is_generator_cm, single_yield, stack_entries
from flake8_argscope.model.held import bound_value
from flake8_argscope.model.kwargs import truth
from flake8_argscope.model.scopes import all_unknown
from flake8_argscope.project import FACTORY
from flake8_argscope.symbols import LocalDef, Path

if TYPE_CHECKING:
    from typing import Optional

    from flake8_argscope.frames import Frame
    from flake8_argscope.model.builder import Env, ScopeBuilder
    from flake8_argscope.model.scopes import Scopes

    # a project def used in a with: its returns, or None for a @contextmanager generator
    ProjectCM = tuple[LocalDef, Optional[list[ast.Return]]]


class ProjectContextManagers:
    """The project defs ``with`` items call, for one linted file's ScopeBuilder."""

    def __init__(self, builder: ScopeBuilder) -> None:
        self.builder = builder
        # id(def node) -> the def as a context manager, when it may enter scopes
        self._defs: dict[int, ProjectCM | None] = {}

    def enter(self, factory: ProjectCM, call: ast.Call, with_node: ast.With | ast.AsyncWith,
              scopes: Scopes, frame: Frame, env: Env, depth: int, report: bool) -> Scopes:
        """The scopes inside ``with call:``."""
        if factory[1] is None:
            return self._generator(factory[0], call, with_node, scopes, frame, env, depth)
        return self._returning(factory, call, with_node, scopes, frame, env, depth, report)

    def find(self, func_node: ast.expr, frame: Frame) -> ProjectCM | None:
        """A project function that returns context managers it calls (not a dict):
        object_detection's ``_batch_norm_arg_scope(list_ops, ...)`` returns ``arg_scope(...)``,
        mobilenet's ``safe_arg_scope`` that or a ``NoOpScope()``; with its returns (None: a
        ``@contextmanager`` generator)."""
        sym = self.builder.resolver.resolve_expr(func_node, frame)
        if isinstance(sym, Path):
            sym = frame.resolver.deref(sym, force=FACTORY)
        if not isinstance(sym, LocalDef) or sym.frame.is_class:
            return None
        key = id(sym.node)
        if key not in self._defs:
            if not sym.node.decorator_list:
                returns = scope_cm_returns(sym)
                self._defs[key] = None if returns is None else (sym, returns)
            elif is_generator_cm(self.builder.resolver, sym, sym.frame):
                self._defs[key] = (sym, None)
            else:
                self._defs[key] = None
        return self._defs[key]

    def _generator(self, sym: LocalDef, call: ast.Call, with_node: ast.With | ast.AsyncWith,
                   scopes: Scopes, frame: Frame, env: Env, depth: int) -> Scopes:
        """``with f(...):`` where ``f`` is a ``@contextmanager`` generator: the scopes in
        force at its ``yield`` (its own errors are reported where it is written)."""
        found = single_yield(sym.node)
        if found is None:
            return all_unknown(with_node.lineno)
        yield_stmt, chain = found
        fframe = sym.frame.resolver.frame_for(sym.node, sym.frame)
        fenv = bind_params(sym.node, call, frame, env)
        cur = scopes
        for i, (w, item) in enumerate(chain):
            cur = self.builder.apply_item(item, w, cur, fframe, fenv, depth, report=False)
            if i + 1 < len(chain) and chain[i + 1][0] is w:
                continue  # ExitStack entries come after the with's last item
            entries = stack_entries(self.builder.resolver, w, fframe, yield_stmt.lineno)
            if entries is None:
                return all_unknown(with_node.lineno)
            for cm, certain in entries:
                entered = self.builder.enter(cm, w, cur, fframe, fenv, depth, False)
                cur = entered if certain else cur.join(entered, w.lineno)
        return cur

    def _returning(self, factory: ProjectCM, call: ast.Call, with_node: ast.With | ast.AsyncWith,
                   scopes: Scopes, frame: Frame, env: Env, depth: int, report: bool) -> Scopes:
        """``with f(...):``: the returns of ``f`` that the call's parameters may reach, each
        entered; when several may be, any of them is in force (joined), and an arg_scope
        returned is judged (on the call) only when it is the one reached."""
        sym = factory[0]
        fnode = sym.node
        fframe = sym.frame.resolver.frame_for(fnode, sym.frame)
        fenv = bind_params(fnode, call, frame, env)
        live = live_returns(fnode.body, lambda test: truth(test, fframe, fenv))
        if not live:
            return all_unknown(with_node.lineno)
        caller = Caller(call, frame, fnode)
        report = report and len(live) == 1
        new: Scopes | None = None
        for ret in live:
            value = ret.value
            if isinstance(value, ast.Name):
                held = bound_value(value.id, fframe)
                value = held[0] if held is not None and held[1] is fframe else None
            if not isinstance(value, ast.Call):
                return all_unknown(with_node.lineno)
            target = self.builder.resolver.target_of(value.func, fframe)
            if isinstance(target, Api) and target.name in SCOPE_ENTERING:
                entered = self.builder.enter_arg_scope(value, target.registry, with_node,
                                                       scopes, fframe, fenv, depth, report,
                                                       caller)
            elif self.builder.inert(target, value.func, fframe):
                entered = scopes
            else:
                return all_unknown(with_node.lineno)
            new = entered if new is None else new.join(entered, with_node.lineno)
        return cast("Scopes", new)  # live is not empty
