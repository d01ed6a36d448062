"""slim's meta-ops: ``repeat`` and ``stack`` call the layer they are given, with the
arguments they are given, under the scopes in force at their call (docs/semantics.md §4.4):

- ``repeat(inputs, repetitions, layer, *args, **kwargs)`` calls ``layer(outputs, *args,
  **kwargs)`` (tf_slim/layers/layers.py:2606-2648);
- ``stack(inputs, layer, stack_args, **kwargs)`` calls ``layer(outputs, *stack_args[i],
  **kwargs)``, a non-sequence element standing for itself (tf_slim/layers/layers.py:3027-3079).

The rules judge those inner calls; their findings sit on the meta-op call's own nodes. A
project function that passes its ``*args``/``**kwargs`` on to an op is followed the same way.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from flake8_argscope.known import Unscoped
from flake8_argscope.symbols import PlainFunc

if TYPE_CHECKING:
    from flake8_argscope.symbols import LocalDef

META_OPS = frozenset({"repeat", "stack"})
# both set ``kwargs['scope'] = scope + '_' + str(i + 1)`` before each layer call
# (tf_slim/layers/layers.py:2647, :3074): the layer always receives ``scope``
LAYER_KEYWORDS = ("scope",)
_LIBRARIES = ("tf_slim.", "tensorflow.contrib.")
_OWN = frozenset({"inputs", "repetitions", "layer", "stack_args"})


def meta_op_name(target: object) -> str:
    """"repeat" or "stack" for slim's (tf_slim, tf.contrib) meta-ops, else ""."""
    if isinstance(target, Unscoped) and target.name in META_OPS and target.path.startswith(
            _LIBRARIES):
        return target.name
    return ""


def forwarded(call: ast.Call, name: str) -> tuple[ast.expr, list[ast.Call]] | None:
    """The layer a repeat/stack call names and the calls it makes of it (with the original
    argument nodes, at the meta-op call's position), or None when they cannot be known."""
    args = call.args
    if any(isinstance(a, ast.Starred) for a in args) or any(
            k.arg is None or k.arg in _OWN for k in call.keywords):
        return None
    if name == "repeat":
        if len(args) < 3:
            return None
        return args[2], [_call(call, args[2], [args[0]] + args[3:])]
    if len(args) != 3 or not isinstance(args[2], (ast.List, ast.Tuple)):
        return None
    calls = []
    for element in args[2].elts:
        given = list(element.elts) if isinstance(element, (ast.Tuple, ast.List)) else [element]
        if any(isinstance(a, ast.Starred) for a in given) or isinstance(element, ast.Starred):
            return None
        calls.append(_call(call, args[1], [args[0]] + given))
    return args[1], calls


def _call(meta: ast.Call, layer: ast.expr, args: list[ast.expr]) -> ast.Call:
    return ast.Call(func=layer, args=args, keywords=meta.keywords, lineno=meta.lineno,
                    col_offset=meta.col_offset, end_lineno=meta.end_lineno,
                    end_col_offset=meta.end_col_offset)


def through_project(target: object, call: ast.Call) -> tuple[ast.Call, LocalDef] | None:
    """A call of a project function that hands its ``*args`` (and ``**kwargs``) to one call
    inside it (facenet's ``conv2d_block(inp, scale, *args, **kwargs)`` returns ``inp +
    slim.conv2d(inp, *args, **kwargs) * scale``): that inner call as this call makes it
    (the caller's argument nodes), and the def (its frame resolves the inner callee)."""
    sym = getattr(target, "sym", None) if isinstance(target, PlainFunc) else None
    if sym is None or sym.frame.is_class:
        return None
    fnode = sym.node
    args = fnode.args
    if args.vararg is None or fnode.decorator_list or any(
            isinstance(a, ast.Starred) for a in call.args) or any(
            k.arg is None for k in call.keywords):
        return None
    inner = _forwarding_call(fnode, args.vararg.arg, args.kwarg.arg if args.kwarg else None)
    if inner is None:
        return None
    params = [a.arg for a in args.posonlyargs + args.args]
    named = set(params) | {a.arg for a in args.kwonlyargs}
    given: dict[str, ast.expr] = dict(zip(params, call.args))
    given.update((k.arg, k.value) for k in call.keywords if k.arg and k.arg in named)
    new_args: list[ast.expr] = []
    for a in inner.args:
        if isinstance(a, ast.Starred):
            new_args.extend(call.args[len(params):])
        elif isinstance(a, ast.Name) and a.id in given:
            new_args.append(given[a.id])
        else:
            return None  # a value the caller does not write: not worth guessing
    keywords = [k for k in call.keywords if k.arg not in named] if args.kwarg else []
    if len(keywords) != len([k for k in call.keywords if k.arg not in named]):
        return None  # keywords the def does not take: a TypeError of its own
    return ast.Call(func=inner.func, args=new_args, keywords=keywords, lineno=call.lineno,
                    col_offset=call.col_offset, end_lineno=call.end_lineno,
                    end_col_offset=call.end_col_offset), sym


def _forwarding_call(fnode: ast.FunctionDef | ast.AsyncFunctionDef, vararg: str,
                     kwarg: str | None) -> ast.Call | None:
    """The one call of the body that takes ``*vararg`` last (and ``**kwarg``, if any, and
    no other keyword), when the two names are read nowhere else."""
    found = None
    reads = 0
    for node in ast.walk(fnode):
        if isinstance(node, ast.Name) and node.id in (vararg, kwarg):
            reads += 1
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[-1], ast.Starred):
            star = node.args[-1].value
            if isinstance(star, ast.Name) and star.id == vararg:
                if found is not None:
                    return None
                found = node
    if found is None or any(isinstance(a, ast.Starred) for a in found.args[:-1]):
        return None
    kws = found.keywords
    if kwarg is None:
        ok = not kws and reads == 1
    else:
        ok = len(kws) == 1 and kws[0].arg is None and isinstance(kws[0].value, ast.Name) and (
            kws[0].value.id == kwarg) and reads == 2
    return found if ok else None
