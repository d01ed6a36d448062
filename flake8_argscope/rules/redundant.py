"""ASC201: an explicit ``kw=value`` equal to what the effective scope already supplies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_argscope.known import api_label
from flake8_argscope.model.stability import value_is_stable
from flake8_argscope.rules.common import scope_line
from flake8_argscope.rules.registry import CallRule, Severity
from flake8_argscope.syntax import same_value, show

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flake8_argscope.rules.registry import CallContext, Finding


class RedundantKeyword(CallRule):
    code = "ASC201"
    message = ("{op}: {kw}={value} repeats what the {api} on line {line} already supplies; "
               "remove it")
    severity = Severity.INFO
    symbol = "argscope-redundant-keyword"
    summary = "an explicit keyword equal to what the enclosing scope already supplies"
    example = ("`slim.conv2d(x, 64, 3, padding='SAME')` under "
               "`arg_scope([slim.conv2d], padding='SAME')`")

    def check(self, ctx: CallContext) -> Iterator[Finding]:
        entry = ctx.entry
        if ctx.op is None or entry is None or not entry.known:
            return
        env = ctx.env
        exempt = env.config.exempt_kwargs
        for kw in ctx.call.keywords:
            if kw.arg is None or kw.arg in exempt or kw.arg in ctx.bound:
                continue
            kv = entry.known.get(kw.arg)
            if kv is None or kv.node is None or not same_value(kv.node, kw.value):
                continue
            if not value_is_stable(env.resolver, kv, ctx.frame, ctx.shadow, ctx.call.lineno):
                continue
            yield kw, dict(op=show(ctx.call.func), kw=kw.arg, value=show(kw.value, 40),
                           line=scope_line(env, kv), api=api_label(ctx.op.registry))
