"""What fix each finding gets, decided from the rule's own node and context.

- safe: ASC201 on a literal or a (dotted) name: delete the keyword; ASC401: the colliding
  positional argument and every positional after it become keywords, or go when the scope
  supplies the same value (so no ASC201 follows); ASC403 (slim): a single op named as the
  first argument goes into a list.
- unsafe (``--unsafe-fixes``): ASC201 on anything else (a call builds a fresh object per
  call, the scope's is built once); ASC303 at module level: ``f = add_arg_scope(f)``.
- refused with the reason: ASC401 in a slim.stack element, ASC303 in a loop or a function,
  other ASC403 forms, anything the edit cannot be sure of.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from flake8_argscope.cli.edits import CallItems, Edit
from flake8_argscope.known import TENSORPACK
from flake8_argscope.model.stability import value_is_stable
from flake8_argscope.syntax import is_literal, same_value, show
from flake8_argscope.tensorpack import layer_name_offset

if TYPE_CHECKING:
    from collections.abc import Callable

    from flake8_argscope.cli.edits import Text
    from flake8_argscope.cli.fix import Finding, Lint
    from flake8_argscope.rules.registry import CallContext

    Editor = Callable[[Text, ast.Module], list[Edit]]

FIXABLE = ("ASC101", "ASC201", "ASC303", "ASC401", "ASC403")
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


class Plan:
    """One fix: the finding it is for, the findings it removes, and how to edit the text
    (or why it is refused)."""

    def __init__(self, finding: Finding, order: int, describe: str = "",
                 editor: Editor | None = None, refusal: str | None = None,
                 fixes: list[Finding] | None = None, site: object = None) -> None:
        self.finding = finding
        self.site = site  # what it edits (a call, a statement): one fix per site per pass
        self.code = finding[2][:6]
        self.order = order
        self.describe = describe
        self.editor = editor
        self.refusal = refusal
        self.fixes = fixes if fixes is not None else [finding]
        self.names: list[str] = []  # ASC201: the keyword it deletes

    def edits(self, text: Text, tree: ast.Module) -> list[Edit]:
        assert self.editor is not None
        return self.editor(text, tree)


def _dotted(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


_INDEX: list[tuple[ast.Module, dict[tuple[int, int, int, int], ast.Call]]] = []


def _find_call(tree: ast.Module, key: tuple[int, int, int, int]) -> ast.Call:
    """The call of the current tree that starts where the planned one did (edits below it
    never move it); its callee ends at the same place. (One index per tree: a batch asks
    for thousands.)"""
    if not _INDEX or _INDEX[0][0] is not tree:
        _INDEX[:] = [(tree, {_call_key(n): n for n in ast.walk(tree)
                             if isinstance(n, ast.Call)})]
    found = _INDEX[0][1].get(key)
    if found is None:
        raise ValueError("the call moved")
    return found


def _call_key(call: ast.Call) -> tuple[int, int, int, int]:
    return (call.lineno, call.col_offset, call.func.end_lineno or 0,
            call.func.end_col_offset or 0)


def plan_fixes(lint: Lint, selected: tuple[str, ...], unsafe: bool) -> list[Plan]:
    """One plan per fixable finding flake8 reports (an ASC401 plan covers its call)."""
    reported = {(line, col, msg[:6]): (line, col, msg) for line, col, msg in lint.findings}
    calls = {(n.lineno, n.col_offset): n for n in ast.walk(lint.tree) if isinstance(n, ast.Call)}
    real = {id(n) for n in calls.values()}
    plans: list[Plan] = []
    done: set[tuple[int, int, str]] = set()
    collisions: dict[int, list[tuple[ast.expr, Finding]]] = {}
    contexts: dict[int, Any] = {}
    node: Any
    ctx: Any  # the context of the rule's hook
    for code, node, _fields, ctx in lint.captured:
        key = (node.lineno, node.col_offset, code)
        finding = reported.get(key)
        if finding is None or key in done or code not in FIXABLE:
            continue
        if selected and not finding[2].startswith(selected):
            continue
        order = lint.text.offset(finding[0], finding[1])
        if code == "ASC401":
            collisions.setdefault(id(ctx.call), []).append((node, finding))
            contexts[id(ctx.call)] = ctx
            continue
        done.add(key)
        if code == "ASC201":
            plans.append(_redundant(finding, order, node, ctx, calls, real, unsafe))
        elif code == "ASC403":
            plans.append(_wrap(finding, order, node, ctx))
        elif code == "ASC303":
            plans.append(_rebind(finding, order, node, lint.tree, unsafe))
        elif code == "ASC101":
            from flake8_argscope.cli.absorb import plan_absorb

            plans.append(plan_absorb(finding, order, node, ctx, lint, unsafe))
    plans = _grouped(plans)
    for call_id, found in collisions.items():
        ctx = contexts[call_id]
        found = [(n, f) for n, f in found if (f[0], f[1], "ASC401") not in done]
        if not found:
            continue
        done.update((f[0], f[1], "ASC401") for _n, f in found)
        plans.append(_positionals(found, ctx, calls, real, lint))
    return plans


def _grouped(plans: list[Plan]) -> list[Plan]:
    """The ASC201 deletions of one call as one plan (one edit of its argument list), so a
    call with many redundant keywords is fixed in one pass."""
    by_site: dict[object, list[Plan]] = {}
    out = []
    for plan in plans:
        if plan.code == "ASC201" and plan.refusal is None:
            by_site.setdefault(plan.site, []).append(plan)
        else:
            out.append(plan)
    for group in by_site.values():
        if len(group) == 1:
            out.append(group[0])
            continue
        group.sort(key=lambda p: p.order)
        editors = [p.names for p in group]
        key = group[0].site

        def editor(text: Text, tree: ast.Module, names: list[str] = sum(editors, []),
                   key: Any = key) -> list[Edit]:  # (defaults: bound per group)
            current = _find_call(tree, key)
            items = CallItems(text, current)
            kws = [k for k in current.keywords if k.arg in names]
            if len(kws) != len(names):
                raise ValueError("a keyword was not found")
            return items.delete([items.index(k) for k in kws])

        out.append(Plan(group[0].finding, group[0].order,
                        "; ".join(p.describe for p in group), editor,
                        fixes=[p.finding for p in group], site=key))
    return out


# -------------------------------------------------------------------- ASC201
def _redundant(finding: Finding, order: int, kw: ast.keyword, ctx: CallContext,
               calls: dict[tuple[int, int], ast.Call], real: set[int], unsafe: bool) -> Plan:
    call = ctx.call if id(ctx.call) in real else calls.get((ctx.call.lineno,
                                                            ctx.call.col_offset))
    if call is None or kw.arg is None:
        return Plan(finding, order, refusal="the call was not found")
    safe = is_literal(kw.value) or _dotted(kw.value)
    if not safe and not unsafe:
        what = "a call" if isinstance(kw.value, ast.Call) else "an expression"
        return Plan(finding, order, refusal=(
            f"unsafe: the value is {what}, evaluated at each call, and the scope's once "
            "(--unsafe-fixes applies it)"))
    key, name = _call_key(call), kw.arg

    def editor(text: Text, tree: ast.Module) -> list[Edit]:
        current = _find_call(tree, key)
        items = CallItems(text, current)
        kws = [k for k in current.keywords if k.arg == name]
        if len(kws) != 1:
            raise ValueError(f"keyword {name} not found")
        return items.delete([items.index(kws[0])])

    plan = Plan(finding, order, f"removed {name}={show(kw.value, 40)}", editor, site=key)
    plan.names = [name]
    return plan


# -------------------------------------------------------------------- ASC401
def _positionals(found: list[tuple[ast.expr, Finding]], ctx: CallContext,
                 calls: dict[tuple[int, int], ast.Call], real: set[int], lint: Lint) -> Plan:
    synthetic = ctx.call
    first_node, finding = min(found, key=lambda nf: synthetic.args.index(nf[0]))
    order = lint.text.offset(finding[0], finding[1])
    fixes = [f for _n, f in found]

    def refuse(why: str) -> Plan:
        return Plan(finding, order, refusal=why, fixes=fixes)

    op, entry = ctx.op, ctx.entry
    if op is None or entry is None:
        return refuse("the op is not known")
    if id(synthetic) in real:
        call, shift = synthetic, 0
    else:
        meta = calls.get((synthetic.lineno, synthetic.col_offset))  # the meta-op call
        if meta is None:
            return refuse("the call was not found")
        call = meta
        if getattr(call.func, "attr", getattr(call.func, "id", "")) == "stack":
            return refuse("inside a slim.stack element: a keyword would reach every layer "
                          "call")
        if len(call.args) < 3 or synthetic.func is not call.args[2]:
            return refuse("passed on through a project function's *args: not rewritten")
        shift = 2  # repeat(inputs, repetitions, layer, *args): args[0] is inputs
    if op.tflayer or op.registry == TENSORPACK and op.positional_override:
        return refuse("the layer converts positional arguments itself")
    offset = layer_name_offset(ctx.env.resolver, synthetic, op, ctx.frame)
    if offset is None:
        return refuse("whether the first argument is the layer's name is not known")
    written = {k.arg for k in call.keywords}
    start = synthetic.args.index(first_node)
    actions: list[tuple[int, str | None]] = []  # (index in the real call, keyword | delete)
    exempt = ctx.env.config.exempt_kwargs
    for j in range(start, len(synthetic.args)):
        arg = synthetic.args[j]
        index = j - offset
        if isinstance(arg, ast.Starred) or index >= len(op.params):
            return refuse("a positional argument after it has no parameter name")
        param = op.params[index]
        if param in written or param in ctx.bound:
            return refuse(f"'{param}' is also passed by keyword")
        kv = entry.known.get(param)
        real_index = j if j == 0 else j + shift
        if kv is not None and kv.node is not None and param not in exempt and same_value(
                kv.node, arg) and value_is_stable(
                    ctx.env.resolver, kv, ctx.frame, ctx.shadow, call.lineno):
            actions.append((real_index, None))
        else:
            actions.append((real_index, param))
    key = _call_key(call)
    describe = ", ".join(
        f"{show(call.args[i], 20)} -> {p}={show(call.args[i], 20)}" if p else
        f"removed {show(call.args[i], 20)} (the scope supplies it)" for i, p in actions)

    def editor(text: Text, tree: ast.Module) -> list[Edit]:
        current = _find_call(tree, key)
        items = CallItems(text, current)
        edits = items.delete([items.index(current.args[i]) for i, p in actions if p is None])
        edits += [items.insert_before(items.index(current.args[i]), f"{p}=")
                  for i, p in actions if p is not None]
        return edits

    return Plan(finding, order, describe, editor, fixes=fixes, site=key)


# -------------------------------------------------------------------- ASC403
def _wrap(finding: Finding, order: int, node: ast.expr, ctx: Any) -> Plan:
    call = ctx.call
    if ctx.registry == TENSORPACK:
        return Plan(finding, order, refusal="tensorpack's argscope: not a layer, no list "
                                            "makes it one")
    if not call.args or call.args[0] is not node or not _dotted(node):
        return Plan(finding, order, refusal="only a single op written as a name is wrapped "
                                            "in a list")
    key = _call_key(call)

    def editor(text: Text, tree: ast.Module) -> list[Edit]:
        current = _find_call(tree, key)
        return CallItems(text, current).wrap(0, "[", "]")

    return Plan(finding, order, f"{show(node)} -> [{show(node)}]", editor, site=key)


# -------------------------------------------------------------------- ASC303
def _rebind(finding: Finding, order: int, call: ast.Call, tree: ast.Module,
            unsafe: bool) -> Plan:
    path = _path_to(tree, call)
    stmt = next((n for n in reversed(path) if isinstance(n, ast.stmt)), None)
    if stmt is None or not isinstance(stmt, ast.Expr) or stmt.value is not call:
        return Plan(finding, order, refusal="not a statement of its own")
    if any(isinstance(n, _LOOPS) for n in path):
        return Plan(finding, order, refusal="in a loop: the function would be wrapped again "
                                            "on each pass")
    if any(isinstance(n, _DEFS) for n in path):
        return Plan(finding, order, refusal="not at module level: the name would be bound "
                                            "locally")
    target = call.args[0] if call.args else None
    if target is None or not _dotted(target):
        return Plan(finding, order, refusal="the wrapped function is not a name")
    if not unsafe:
        return Plan(finding, order, refusal="unsafe: the function starts reading the scopes "
                                            "(--unsafe-fixes applies it)")
    name = show(target, 200)
    line, col = stmt.lineno, stmt.col_offset

    def editor(text: Text, tree: ast.Module) -> list[Edit]:
        at = text.offset(line, col)
        return [Edit(at, at, f"{name} = ")]

    return Plan(finding, order, f"{name} = {show(call, 60)}", editor, site=(line, col))


def _path_to(tree: ast.Module, target: ast.AST) -> list[ast.AST]:
    """The nodes from the module down to ``target`` (excluded)."""
    stack: list[tuple[ast.AST, list[ast.AST]]] = [(tree, [])]
    while stack:
        node, path = stack.pop()
        for child in ast.iter_child_nodes(node):
            if child is target:
                return path + [node]
            stack.append((child, path + [node]))
    return []
