"""ASC301-ASC304: what is (not) scope-enabled, and in which registry.

- ASC301 an arg_scope list element that is not scope-enabled: the ``with`` raises
  (slim: ValueError, or AttributeError for partials/strings; tensorpack: AssertionError).
- ASC302 a call under a scope to a look-alike the scope does not reach (same final name).
- ASC303 ``add_arg_scope(f)`` as a bare statement: the decorated result is thrown away.
- ASC304 an op of one registry listed in another registry's arg_scope.
"""

from __future__ import annotations

import ast

from flake8_argscope.known import TENSORPACK, Api, Factory, Op, Partial, Unscoped
from flake8_argscope.resolve import Builtin, PlainFunc
from flake8_argscope.rules.common import label, show

MSG_301 = "{name} is not scope-enabled ({why}); entering this {api} raises {error}"
MSG_302 = ("{call} is not reached by the {api} on line {line} for {op}; "
           "call the scoped {op} or pass the arguments explicitly")
MSG_303 = ("the result of {api}({f}) is discarded and {f} stays unscoped; "
           "use @{api} or {f} = {api}({f})")
MSG_304 = ("{name} belongs to {owner} but is listed in a {registry} {api}; "
           "entering it raises {error}")


def _api(registry) -> str:
    return "argscope" if registry == TENSORPACK else "arg_scope"


def _error(registry, attribute=False) -> str:
    if registry == TENSORPACK:
        return "AssertionError (Argscope not supported)"
    return "AttributeError" if attribute else "ValueError (not decorated with @add_arg_scope)"


def check_element(analysis, elt, target, registry, report):
    """An Op the element stands for in ``registry``'s scope, None when unknown, or False
    when entering the scope certainly raises (reported here)."""
    op = analysis.op_of(target)
    if isinstance(target, PlainFunc) and target.registered is not None:
        op = target.registered
    if op is not None:
        if op.registry is None or op.registry == registry:
            return op
        if report:
            analysis.report(elt, "ASC304", MSG_304.format(
                name=show(elt), owner=label(op.registry), registry=label(registry),
                api=_api(registry), error=_error(registry)))
        return False
    why = None
    attribute = False
    if isinstance(target, Partial):
        why, attribute = f"a functools.partial of {target.target.name}", True
    elif isinstance(target, Unscoped):
        if registry == TENSORPACK and _maybe_patched(analysis, target):
            return None
        why = "a plain library function"
    elif isinstance(target, PlainFunc):
        why = "no @add_arg_scope" if registry != TENSORPACK else (
            "no @layer_register or enable_argscope_for_function")
    elif isinstance(target, (Api, Factory)):
        why = "an arg_scope helper, not an op"
    elif isinstance(target, Builtin):
        why = "a builtin"
    elif isinstance(elt, ast.Lambda):
        why = "a lambda"
    elif isinstance(elt, (ast.Constant, ast.JoinedStr)):
        why, attribute = "a literal, not a function", True
    if why is None:
        return None
    if report:
        analysis.report(elt, "ASC301", MSG_301.format(
            name=show(elt), why=why, api=_api(registry), error=_error(registry, attribute)))
    return False


def _maybe_patched(analysis, target) -> bool:
    """A tf.layers function in a tensorpack argscope: ``enable_argscope_for_module``
    patches the module for the whole process, so without a module-level patch in this
    file (which the resolver models) another module may have patched it (§3.4)."""
    from flake8_argscope.resolve import TF_LAYERS_MODULES, _normalise

    module, _, name = _normalise(target.path).rpartition(".")
    if module not in TF_LAYERS_MODULES or name[:1].isupper():
        return False  # not tf.layers, or a class (classes are never patched)
    return not analysis.resolver.patches_module_level


def check_discarded(analysis, call, frame):
    """ASC303 on ``add_arg_scope(f)`` / ``enable_argscope_for_function(f)`` statements.
    enable_argscope_for_function returns a new wrapper and leaves ``f`` untouched
    (tensorpack/tfutils/argscope.py:95-119), whatever ``log_shape`` is."""
    target = analysis.target_of(call.func, frame)
    if not isinstance(target, Api):
        return
    if target.name == "add_arg_scope":
        if len(call.args) != 1 or call.keywords:
            return
    elif target.name == "enable_argscope_for_function":
        if not call.args or len(call.args) > 2 or any(
                isinstance(a, ast.Starred) for a in call.args) or any(
                k.arg != "log_shape" for k in call.keywords):
            return
    else:
        return
    analysis.report(call, "ASC303", MSG_303.format(
        api=show(call.func), f=show(call.args[0])))


def _name_of(func) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _lookalike(analysis, call, scopes, skip_registry=None):
    name = _name_of(call.func)
    if not name:
        return None
    best = None
    for registry, scope in scopes.items():
        if registry is None or registry == skip_registry:
            continue
        for key, entry in scope.ops.items():
            # tensorpack keys are the __name__ (§3.1): a plain function of that name
            # looks scoped but is not, whatever name the scoped wrapper was listed under
            named = name in entry.names or (
                registry == TENSORPACK and key == f"{TENSORPACK}:{name}")
            if named and (entry.known or entry.wild):
                if best is None or entry.line > best[1].line:
                    best = (registry, entry)
    return best


def check_lookalike(analysis, call, target, scopes):
    """ASC302 for a certainly-unscoped function named like an op of an active scope."""
    found = _lookalike(analysis, call, scopes)
    if found is None:
        return
    registry, entry = found
    analysis.report(call, "ASC302", MSG_302.format(
        call=show(call.func), api=_api(registry), line=entry.line,
        op=_listed(entry)))


def check_other_registry_lookalike(analysis, call, op: Op, scopes):
    """ASC302 for an op of another registry (tf.contrib.layers.conv2d under a tf_slim
    scope on conv2d): its own registry's scope is the only one it reads."""
    if op.registry is None:
        return
    found = _lookalike(analysis, call, scopes, skip_registry=op.registry)
    if found is None:
        return
    registry, entry = found
    analysis.report(call, "ASC302", MSG_302.format(
        call=show(call.func), api=f"{label(registry)} {_api(registry)}", line=entry.line,
        op=_listed(entry)))


def _listed(entry) -> str:
    return "/".join(sorted(entry.names))
