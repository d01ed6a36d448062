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
from typing import TYPE_CHECKING, cast

from flake8_argscope import known
from flake8_argscope.known import CONTRIB, SLIM, TENSORPACK, Op, api_label
from flake8_argscope.model.arguments import FirstArg
from flake8_argscope.rules.common import scope_line
from flake8_argscope.rules.registry import CallRule, ScopeEntryRule, Severity
from flake8_argscope.syntax import show
from flake8_argscope.tensorpack import layer_name_offset

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flake8_argscope.model.arguments import ArgScopeCall
    from flake8_argscope.rules.registry import CallContext, Finding

_CONV_WRAPPERS = frozenset({"convolution1d", "convolution2d", "convolution3d"})
_CONVOLUTION = {
    SLIM: "tf_slim.layers.layers.convolution",
    CONTRIB: "tensorflow.contrib.layers.python.layers.layers.convolution",
}


class PositionalCollision(CallRule):
    code = "ASC401"
    message = ("positional argument {n} of {op} binds '{kw}', also set by the {api} on line "
               "{line} (TypeError: {fname}() got multiple values for argument '{kw}'); "
               "pass {kw}={value} as a keyword")
    severity = Severity.ERROR
    raised_at = "call"
    symbol = "argscope-positional-collision"
    summary = "a positional argument the scope also supplies: `TypeError: got multiple values`"
    example = "`slim.conv2d(x, 64, [11, 11], 4)` under `arg_scope([slim.conv2d], stride=1)`"

    def check(self, ctx: CallContext) -> Iterator[Finding]:
        op, entry, call = ctx.op, ctx.entry, ctx.call
        if op is None or entry is None or not entry.known or not op.signature_known:
            return
        offset = layer_name_offset(ctx.env.resolver, call, op, ctx.frame)
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
            if param in ctx.bound or param in op.positional_override:
                continue
            kv = entry.known.get(param)
            if kv is None:
                continue
            yield arg, dict(n=i + 1, op=show(call.func), kw=param,
                            line=scope_line(ctx.env, kv), fname=op.name,
                            value=show(arg, 30), api=api_label(op.registry))


class UnexpectedKeyword(ScopeEntryRule):
    code = "ASC402"
    message = ("{ops} {do} not accept keyword '{kw}' (TypeError: {fnames} got an unexpected "
               "keyword argument '{kw}' at {when} in this scope)")
    severity = Severity.ERROR
    raised_at = "call"
    symbol = "argscope-unexpected-keyword"
    summary = ("a scope keyword a listed op does not accept: "
               "`TypeError: unexpected keyword argument`")
    example = "`arg_scope([slim.conv2d, slim.max_pool2d], activation_fn=...)`"

    def check(self, entry: ArgScopeCall) -> Iterator[Finding]:
        """One finding per keyword, on it, naming every listed op that lacks it."""
        ops = entry.ops
        for kw in entry.keywords:
            arg = cast(str, kw.arg)  # (entry.keywords: each with its arg)
            lacking = [(elt, op) for elt, op in ops if op.rejects(arg)]
            if not lacking:
                continue
            names = list(dict.fromkeys(f"{op.name}()" for _elt, op in lacking))
            many = len(lacking) > 1
            yield kw, dict(ops=", ".join(show(elt) for elt, _op in lacking),
                           do="do" if many else "does", kw=arg, fnames="/".join(names),
                           when="the first call of each" if many else "its first call")


def _what(first: ast.expr) -> str:
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


class BadFirstArgument(ScopeEntryRule):
    code = "ASC403"
    message = ("{api} needs {needs} as its first argument, not {what} ({error} when the with "
               "is entered)")
    severity = Severity.ERROR
    raised_at = "with"
    symbol = "argscope-bad-first-argument"
    summary = "arg_scope's first argument is not a list, tuple or scope dict"
    example = "`arg_scope(slim.conv2d, padding='SAME')`"

    def check(self, entry: ArgScopeCall) -> Iterator[Finding]:
        if entry.shape is not FirstArg.BAD:
            return
        if entry.registry == TENSORPACK:
            yield entry.first, dict(
                api="argscope", needs="a layer or a list of layers", what=_what(entry.first),
                error="AssertionError (Argscope not supported)")
        else:
            yield entry.first, dict(
                api="arg_scope", needs="a list, tuple or scope dict", what=_what(entry.first),
                error="TypeError")


class DictWithKeywords(ScopeEntryRule):
    code = "ASC404"
    message = ("arg_scope reuses a scope dict and also gets keyword arguments ({kws}): "
               "ValueError (kwargs must be empty) when the with is entered")
    severity = Severity.ERROR
    raised_at = "with"
    symbol = "argscope-dict-with-keywords"
    summary = "a reused scope dict passed together with keyword arguments"
    example = "`arg_scope(sc, padding='SAME')`"

    def check(self, entry: ArgScopeCall) -> Iterator[Finding]:
        if entry.shape is FirstArg.DICT and entry.keywords:
            yield entry.call, dict(kws=", ".join(cast(str, k.arg) for k in entry.keywords))


class ConvolutionScope(CallRule):
    code = "ASC405"
    message = ("{op} passes every argument positionally to convolution, and the arg_scope on "
               "line {line} sets '{kw}' for convolution: TypeError: convolution() got multiple "
               "values for argument '{kw}'")
    severity = Severity.ERROR
    raised_at = "call"
    symbol = "argscope-convolution-scope"
    summary = ("`conv1d/2d/3d` under a scope that sets `convolution` keywords: `TypeError` "
               "inside slim")
    example = "`slim.conv2d(...)` under `arg_scope([slim.convolution], padding='VALID')`"

    def check(self, ctx: CallContext) -> Iterator[Finding]:
        op = ctx.op
        if op is None or ctx.partial is not None:
            return
        if op.name not in _CONV_WRAPPERS or op.registry not in _CONVOLUTION:
            return
        conv = cast("Op | None", known.lookup(_CONVOLUTION[op.registry]))  # (an op's path)
        if conv is None or not op.key.startswith(f"{op.registry}:tf"):
            return
        entry = ctx.scopes.get_scope(op.registry).entry(conv.key)
        bad = sorted(kw for kw in entry.known if kw != "conv_dims")
        if not bad:
            return
        yield ctx.call, dict(op=show(ctx.call.func),
                             line=scope_line(ctx.env, entry.known[bad[0]]), kw=bad[0])
