"""ASC401-ASC405: what the runtime raises, predicted from the scope and the call.

- ASC401 a positional argument binds a parameter the scope also supplies: the op gets it
  twice (``TypeError: convolution2d() got multiple values for argument 'stride'``).
- ASC402 a scope keyword a listed op does not accept (``TypeError: ... unexpected keyword
  argument`` at every call of that op inside the scope).
- ASC403 arg_scope's first argument is not a list, tuple or dict (TypeError at the with;
  tensorpack: anything but a layer or a list fails its assert).
- ASC404 a reused scope dict with keyword arguments (ValueError at the with).
- ASC405 conv1d/2d/3d under a scope that sets keywords for ``convolution``: the wrappers
  pass all their parameters positionally to the decorated ``convolution``.
"""

from __future__ import annotations

import ast

from flake8_argscope import known
from flake8_argscope.known import CONTRIB, SLIM, TENSORPACK, Api, Factory, Op, Partial, Unscoped
from flake8_argscope.resolve import FUNCTION, Builtin, LocalOp, PlainFunc, ScopeRef
from flake8_argscope.rules.common import scope_line, show

MSG_401 = ("positional argument {n} of {op} binds '{kw}', also set by the {api} on line "
           "{line} (TypeError: {fname}() got multiple values for argument '{kw}'); "
           "pass {kw}={value} as a keyword")
MSG_402 = ("{op} does not accept keyword '{kw}' (TypeError: {fname}() got an unexpected "
           "keyword argument '{kw}' at its first call in this scope)")
MSG_403 = ("{api} needs {needs} as its first argument, not {what} ({error} when the with "
           "is entered)")
MSG_404 = ("arg_scope reuses a scope dict and also gets keyword arguments ({kws}): "
           "ValueError (kwargs must be empty) when the with is entered")
MSG_405 = ("{op} passes every argument positionally to convolution, and the arg_scope on "
           "line {line} sets '{kw}' for convolution: TypeError: convolution() got multiple "
           "values for argument '{kw}'")

_CONV_WRAPPERS = frozenset({"convolution1d", "convolution2d", "convolution3d"})
_CONVOLUTION = {
    SLIM: "tf_slim.layers.layers.convolution",
    CONTRIB: "tensorflow.contrib.layers.python.layers.layers.convolution",
}
_BAD_LITERALS = (ast.Set, ast.SetComp, ast.GeneratorExp, ast.Lambda, ast.Constant,
                 ast.JoinedStr)
_FUNCTIONS = (Op, Partial, Unscoped, PlainFunc, LocalOp, Api, Factory)


def first_arg_shape(analysis, first, frame, registry) -> str:
    """list | single | dict | bad | dynamic-list | unknown."""
    tensorpack = registry == TENSORPACK
    if isinstance(first, ast.List):
        return "list"
    if isinstance(first, ast.Tuple):
        return "bad" if tensorpack else "list"
    if isinstance(first, ast.ListComp):
        return "dynamic-list"
    if isinstance(first, (ast.Dict, ast.DictComp)):
        return "bad" if tensorpack else "dict"
    if isinstance(first, _BAD_LITERALS):
        return "bad"
    if isinstance(first, (ast.Name, ast.Attribute)):
        sym = analysis.resolver.resolve_expr(first, frame)
        if isinstance(sym, ScopeRef):
            return "bad" if tensorpack else "dict"
        target = analysis.resolver.classify(sym)
        if isinstance(target, _FUNCTIONS) or (
                isinstance(target, Builtin) and target.name not in ("list", "tuple", "dict")):
            return "single" if tensorpack else "bad"
        return "unknown"
    if isinstance(first, ast.Call):
        target = analysis.target_of(first.func, frame)
        if isinstance(target, Api) and target.name in ("current_arg_scope", "get_arg_scope"):
            return "bad" if tensorpack else "dict"
        if isinstance(target, Factory) or analysis.local_factory(first.func, frame):
            return "bad" if tensorpack else "dict"
        if isinstance(target, Builtin):
            if target.name in ("list", "sorted"):
                return "dynamic-list"
            if target.name == "dict":
                return "bad" if tensorpack else "dict"
            if target.name in ("set", "frozenset"):
                return "bad"
    return "unknown"


def _what(first) -> str:
    kinds = {
        ast.Set: "a set", ast.SetComp: "a set", ast.GeneratorExp: "a generator",
        ast.Lambda: "a lambda", ast.JoinedStr: "a string", ast.Tuple: "a tuple",
        ast.Dict: "a dict", ast.DictComp: "a dict",
    }
    for cls, text in kinds.items():
        if isinstance(first, cls):
            return text
    if isinstance(first, ast.Constant):
        return f"a {type(first.value).__name__} constant"
    return f"'{show(first, 40)}'"


def report_bad_first_arg(analysis, call, first, registry):
    if registry == TENSORPACK:
        analysis.report(first, "ASC403", MSG_403.format(
            api="argscope", needs="a layer or a list of layers", what=_what(first),
            error="AssertionError (Argscope not supported)"))
    else:
        analysis.report(first, "ASC403", MSG_403.format(
            api="arg_scope", needs="a list, tuple or scope dict", what=_what(first),
            error="TypeError"))


def report_dict_with_kwargs(analysis, call, kw_nodes):
    analysis.report(call, "ASC404", MSG_404.format(kws=", ".join(k.arg for k in kw_nodes)))


def check_scope_kwargs(analysis, kw_nodes, ops):
    """ASC402: each scope keyword against the signature of every listed op."""
    for kw in kw_nodes:
        for elt, op in ops:
            if op.accepts(kw.arg) is False:
                analysis.report(kw, "ASC402", MSG_402.format(
                    op=show(elt), kw=kw.arg, fname=op.name))
                break


def _positional_offset(analysis, call, op, frame=None):
    """How many leading positional args are not parameters (tensorpack's layer name),
    or None when it cannot be known."""
    if op.registry != TENSORPACK or op.use_scope == FUNCTION:
        return 0
    first = call.args[0] if call.args else None
    is_name = isinstance(first, ast.Constant) and isinstance(first.value, str)
    if op.use_scope is True:
        return 1
    if is_name:
        return 1
    if isinstance(first, ast.Constant) or first is None:
        return 0
    if frame is not None and _not_a_str(analysis, first, frame, 2):
        return 0  # use_scope None/False: only a str first argument is a layer name
    return None  # use_scope None/False: a string variable would be the layer name


# tf namespaces whose functions return tensors (never a Python str)
_TENSOR_PREFIXES = ("tensorflow.nn.", "tensorflow.compat.v1.nn.", "tensorflow.layers.",
                    "tensorflow.compat.v1.layers.", "tensorflow.math.", "tensorflow.image.")


def _not_a_str(analysis, node, frame, depth) -> bool:
    """True when ``node`` certainly does not evaluate to a ``str`` (registry.py:137-147
    takes a use_scope=None layer's first argument as its name only when it is a str)."""
    if isinstance(node, (ast.List, ast.Tuple, ast.ListComp, ast.Dict, ast.Set)):
        return True
    if isinstance(node, ast.Constant):
        return not isinstance(node.value, str)
    if isinstance(node, ast.Call):
        target = analysis.target_of(node.func, frame)
        if isinstance(target, (Op, LocalOp, Partial)):
            return True  # a layer: returns tensors
        return isinstance(target, Unscoped) and target.path.startswith(_TENSOR_PREFIXES)
    if isinstance(node, ast.Name) and depth > 0 and not frame.is_module:
        bindings = frame.bindings.get(node.id, ())
        if not bindings or node.id in frame.declared_global or (
                node.id in frame.declared_nonlocal):
            return False
        for b in bindings:
            value = getattr(b.node, "value", None)
            if b.kind != "assign" or value is None or not _not_a_str(
                    analysis, value, frame, depth - 1):
                return False
        return True
    return False


def check_positional(analysis, call, op, entry, skip=(), frame=None):
    """ASC401: a positional argument whose parameter the scope also supplies."""
    if not entry.known or not op.signature_known:
        return
    offset = _positional_offset(analysis, call, op, frame)
    if offset is None:
        return
    for i, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return
        index = i - offset
        if index < 0:
            continue
        if index >= len(op.params):
            return
        if op.tflayer and index > 0:
            return  # convert_to_tflayer_args: listed positionals win, others assert
        param = op.params[index]
        if param in skip or param in op.positional_override:
            continue
        kv = entry.known.get(param)
        if kv is None:
            continue
        analysis.report(arg, "ASC401", MSG_401.format(
            n=i + 1, op=show(call.func), kw=param, line=scope_line(analysis, kv), fname=op.name,
            value=show(arg, 30), api="argscope" if op.registry == TENSORPACK else "arg_scope"))


def check_convolution_wrapper(analysis, call, op, scopes):
    """ASC405: conv{1,2,3}d call while the scope sets keywords for ``convolution``."""
    if op.name not in _CONV_WRAPPERS or op.registry not in _CONVOLUTION:
        return
    conv = known.lookup(_CONVOLUTION[op.registry])
    if conv is None or not op.key.startswith(f"{op.registry}:tf"):
        return
    entry = scopes.get_scope(op.registry).entry(conv.key)
    bad = sorted(kw for kw in entry.known if kw != "conv_dims")
    if not bad:
        return
    analysis.report(call, "ASC405", MSG_405.format(
        op=show(call.func), line=scope_line(analysis, entry.known[bad[0]]), kw=bad[0]))
