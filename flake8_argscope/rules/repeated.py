"""ASC101: the same ``kw=value`` on N calls of one scoped op in one block.

One finding per group of calls that share the value(s), on the group's first call.

A block is a module or function body, or a ``with`` body (nested defs are their own).
A keyword qualifies when at least N calls of the op in the block pass it with the same
value and every other call of the op there passes it too (with another value, which would
still win over the scope): then an arg_scope can absorb it without changing any call.
Keywords the effective scope supplies already (or may supply) are left to ASC201.
"""

from __future__ import annotations

import ast
from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from flake8_argscope.known import TENSORPACK, api_label
from flake8_argscope.rules.registry import FileEndRule, Severity
from flake8_argscope.syntax import same_value, show

if TYPE_CHECKING:
    from collections.abc import Iterator

    from flake8_argscope.known import Op
    from flake8_argscope.rules.registry import CallSite, FileContext, Finding

NEVER = frozenset({"scope", "name"})


class RepeatedKeyword(FileEndRule):
    code = "ASC101"
    message = "{n} calls of {op} repeat {pairs}; move them into an {api}({target}, ...)"
    severity = Severity.INFO
    symbol = "argscope-repeated-keyword"
    summary = ("the same `kw=value` on ≥ 3 calls of one scoped op in one block: an arg_scope "
               "could absorb it")
    example = "three `slim.conv2d(..., weights_regularizer=reg)` in a row"

    def check(self, ctx: FileContext) -> Iterator[Finding]:
        env = ctx.env
        groups: defaultdict[tuple[int, str], list[CallSite]] = defaultdict(list)
        for site in ctx.sites:
            groups[(id(site.block), site.op.key)].append(site)
        minimum = env.config.min_repeats
        for sites in groups.values():
            if len(sites) < minimum:
                continue
            sites.sort(key=lambda s: (s.call.lineno, s.call.col_offset))
            block = id(sites[0].block)
            names = set(sites[0].op.aliases) | {s.display.rsplit(".", 1)[-1] for s in sites}
            if any((block, name) in ctx.bare_calls for name in names):
                continue  # a keyword-less call of (maybe) this op: a scope would change it
            # one finding per group of calls sharing kw=value(s), on the group's first call
            by_group: dict[tuple[int, ...], list[tuple[str, ast.expr]]] = {}
            members: dict[tuple[int, ...], list[CallSite]] = {}
            for kw, value, group in _shared(sites, minimum):
                key = tuple(id(s) for s in group)
                by_group.setdefault(key, []).append((kw, value))
                members[key] = group
            for key, pairs in by_group.items():
                group = members[key]
                first = group[0]
                tensorpack = first.op.registry == TENSORPACK
                yield first.call, dict(
                    n=len(group), op=first.display,
                    pairs=", ".join(f"{kw}={show(v, 70)}" for kw, v in pairs),
                    api=api_label(first.op.registry),
                    target=first.display if tensorpack else f"[{first.display}]")


def _shared(sites: list[CallSite],
            minimum: int) -> list[tuple[str, ast.expr, list[CallSite]]]:
    """(kw, value, the calls passing it) for each keyword a scope could absorb."""
    keywords = [{k.arg: k.value for k in s.call.keywords if k.arg is not None} for s in sites]
    names = set(keywords[0])
    for kws in keywords[1:]:
        names &= set(kws)  # every call passes it: the scope would change none of them
    out = []
    for kw in sorted(names - NEVER):
        values = [kws[kw] for kws in keywords]
        try:
            dumps = [ast.dump(v) for v in values]
        except RecursionError:
            continue
        counts = Counter(dumps)
        top, count = counts.most_common(1)[0]  # ties: the value seen first
        best = values[dumps.index(top)]
        if count < minimum:
            continue
        # the effective scope supplies (or may supply) it somewhere: an equal value is
        # ASC201's business, a different one is a deliberate override
        if any(site.entry.may_supply(kw) for site in sites):
            continue
        if _is_default(sites[0].op, kw, best):
            continue  # the op's own default: the keyword can simply go
        group = [s for s, d in zip(sites, dumps) if d == top]
        if not _names_stable(group, best):
            continue
        out.append((kw, best, group))
    return out


def _is_default(op: Op, kw: str, value: ast.expr) -> bool:
    text = op.default_text(kw)
    if text is None:
        return False
    try:
        default = ast.parse(text, mode="eval").body
    except SyntaxError:
        return False
    return same_value(default, value)


def _names_stable(sites: list[CallSite], value: ast.expr) -> bool:
    names = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    if not names:
        return True
    frame = sites[0].frame
    lo = sites[0].call.lineno
    hi = max(s.call.lineno for s in sites)
    for name in names:
        if any(lo <= line <= hi for line in frame.lines_binding(name)):
            return False
    return True
