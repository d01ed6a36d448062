"""slim's meta-ops: ``repeat`` and ``stack`` call the layer they are given, with the
arguments they are given, under the scopes in force at their call (docs/semantics.md §4.4):

- ``repeat(inputs, repetitions, layer, *args, **kwargs)`` calls ``layer(outputs, *args,
  **kwargs)`` (tf_slim/layers/layers.py:2606-2648);
- ``stack(inputs, layer, stack_args, **kwargs)`` calls ``layer(outputs, *stack_args[i],
  **kwargs)``, a non-sequence element standing for itself (tf_slim/layers/layers.py:3027-3079).

The rules judge those inner calls; their findings sit on the meta-op call's own nodes.
"""

from __future__ import annotations

import ast

from flake8_argscope.known import Unscoped

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
