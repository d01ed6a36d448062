"""``flake8-argscope fix``: apply the fixes the findings allow, each one verified.

The findings and the nodes they sit on come from the rules themselves (``CaptureWalker``
records what each rule yields); a finding is fixed only when flake8 would report it
(``walk.analyse``, ``# noqa`` honoured). Fixes are applied one at a time from the bottom of
the file up, and each is kept only if the result parses, its finding is gone, and
re-linting shows no ASC finding that was not there before (positions mapped through the
edit). Passes repeat until nothing changes, so a second run changes nothing.
"""

from __future__ import annotations

import ast
import collections
import difflib
import os
import sys
from typing import TYPE_CHECKING

from flake8_argscope.cli.edits import Text, map_offset, unmap_offset
from flake8_argscope.cli.plans import Plan, plan_fixes
from flake8_argscope.walk import Walker, analyse
from flake8_argscope.worlds import worlds_of

if TYPE_CHECKING:
    import argparse

    from flake8_argscope.checker import Config
    from flake8_argscope.cli.edits import Edit
    from flake8_argscope.rules.registry import Rule

    Finding = tuple[int, int, str]  # (line, UTF-8 byte column, message)

MAX_PASSES = 8


class CaptureWalker(Walker):
    """The walker, keeping each finding's node, fields and hook context."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.captured: list[tuple[str, ast.AST, dict[str, object], object]] = []

    def _apply(self, rule_list: tuple[Rule, ...], ctx: object) -> None:
        for rule in rule_list:
            for node, fields in rule.check(ctx):
                self.findings.append((node.lineno, node.col_offset, rule.render(fields)))
                self.captured.append((rule.code, node, fields, ctx))


class Lint:
    """One lint of one text: flake8's findings, and what the rules captured."""

    def __init__(self, text: Text, path: str, config: Config) -> None:
        self.text = text
        tree = ast.parse(text.text, filename=path)
        self.tree = tree
        walker = CaptureWalker(tree, config, path, text.text)
        worlds = worlds_of(walker.resolver)
        if worlds:  # flake8's findings are those every world has (walk.analyse)
            found = analyse(tree, config, path, text.text)
            walker = CaptureWalker(tree, config, path, text.text, worlds[0])
            walker.run()
        else:  # one walk: what analyse() would run
            found = walker.run()
        self.findings: list[Finding] = [f for f in sorted(set(found)) if not _noqa(text, f)]
        self.captured = walker.captured

    def keys(self) -> collections.Counter[tuple[str, int]]:
        return collections.Counter(
            (msg[:6], self.text.offset(line, col)) for line, col, msg in self.findings)


def _noqa(text: Text, finding: Finding) -> bool:
    """``# noqa`` / ``# noqa: ASC201`` on the finding's line (flake8's own pattern)."""
    from flake8.defaults import NOQA_INLINE_REGEXP

    line, _col, msg = finding
    if line - 1 >= len(text.lines):
        return False
    m = NOQA_INLINE_REGEXP.search(text.lines[line - 1])
    if m is None:
        return False
    codes = m.group("codes")
    if not codes:
        return True
    return any(msg.startswith(c.strip()) for c in codes.replace(",", " ").split() if c)


class Outcome:
    """The result of fixing one text."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.fixed: list[tuple[Finding, str]] = []  # (finding where it was, what was done)
        self.refused: list[tuple[Finding, str]] = []  # (finding, why)
        self.remaining: list[Finding] = []


def fix_text(source: str, path: str, config: Config, selected: tuple[str, ...] = (),
             unsafe: bool = False) -> Outcome:
    """Apply every verified fix to ``source``. Raises SyntaxError when it does not parse.
    The outcome's findings are placed in ``source`` (positions mapped back through the
    edits)."""
    out = Outcome(source)
    lint = Lint(Text(source), path, config)
    texts = [lint.text]
    history: list[list[Edit]] = []  # the edits of each applied fix, in order

    def original(finding: Finding) -> Finding:
        line, col, msg = finding
        offset = texts[-1].offset(line, col)
        for edits in reversed(history):
            offset = unmap_offset(offset, edits)
        return (*texts[0].position(offset), msg)

    fixed: list[tuple[Finding, str]] = []
    for _pass in range(MAX_PASSES):
        progress = False
        refused: list[tuple[Finding, str]] = []
        plans = plan_fixes(lint, selected, unsafe)
        for plan in sorted(plans, key=lambda p: p.order, reverse=True):  # bottom up
            if plan.refusal is not None:
                refused.append((plan.finding, plan.refusal))
                continue
            result = _attempt(lint, plan, path, config)
            if isinstance(result, str):
                refused.append((plan.finding, result))
                continue
            fixed.append((original(plan.finding), plan.describe))
            lint, edits = result
            history.append(edits)
            texts.append(lint.text)
            progress = True
        if not progress:
            out.refused = sorted((original(f), why) for f, why in refused)
            break
    out.fixed = sorted(fixed)
    out.source = lint.text.text
    out.remaining = sorted(original(f) for f in lint.findings if _selected(f[2], selected))
    return out


def _selected(message: str, selected: tuple[str, ...]) -> bool:
    return not selected or message.startswith(selected)


def _attempt(lint: Lint, plan: Plan, path: str, config: Config
             ) -> tuple[Lint, list[Edit]] | str:
    """The lint of the text with ``plan`` applied and its edits, or why it is refused."""
    text = lint.text
    try:
        tree = lint.tree
        edits = plan.edits(text, tree)
    except ValueError as exc:
        return f"cannot edit: {exc}"
    new = Text(text.apply(edits))
    try:
        after = Lint(new, path, config)
    except (SyntaxError, ValueError):
        return "the result would not parse"
    return _verify(lint, after, edits, plan) or (after, edits)


def _verify(before: Lint, after: Lint, edits: list[Edit], plan: Plan) -> str | None:
    """None when the fixed findings are gone and nothing new appeared, else why not."""
    mapped = collections.Counter(
        {(code, map_offset(off, edits)): n for (code, off), n in before.keys().items()})
    fixed = collections.Counter(
        (plan.code, map_offset(before.text.offset(line, col), edits))
        for line, col, _msg in plan.fixes)
    allowed = mapped - fixed
    extra = after.keys() - allowed
    if not extra:
        return None
    for line, col, msg in after.findings:
        key = (msg[:6], after.text.offset(line, col))
        if key in extra:
            if key in fixed:
                return "the finding would remain"
            return f"it would introduce {msg[:6]} on line {line}: {msg[7:]}"
    return "it would change the findings"  # pragma: no cover - extra is never empty here


# -------------------------------------------------------------------- the command
def _codes(select: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in select.split(",") if c.strip())


def _show(path: str, finding: Finding) -> str:
    line, col, msg = finding
    return f"{path}:{line}:{col + 1}: {msg}"


def run_fix(args: argparse.Namespace, config: Config) -> int:
    from flake8_argscope.cli import read_source

    selected = _codes(args.select)
    changed_any = False
    remaining = 0
    status_error = False
    for path in expand(args.paths):
        shown = "stdin" if path == "-" else path
        try:
            source = read_source(path)
            out = fix_text(source, shown, config, selected, args.unsafe_fixes)
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"flake8-argscope: {path}: {exc}\n")
            status_error = True
            continue
        except SyntaxError as exc:  # a finding flake8 reports (E999): it remains
            sys.stderr.write(f"flake8-argscope: {shown}:{exc.lineno}: syntax error: {exc.msg};"
                             " nothing fixed\n")
            if path == "-" and not args.diff:
                sys.stdout.write(source)
            remaining += 1
            continue
        changed = out.source != source
        changed_any = changed_any or changed
        remaining += len(out.remaining)
        report = sys.stderr if path == "-" or args.diff else sys.stdout
        for finding, what in out.fixed:
            report.write(f"{_show(shown, finding)}\n    fixed: {what}\n")
        for finding, why in out.refused:
            report.write(f"{_show(shown, finding)}\n    not fixed: {why}\n")
        explained = {f for f, _why in out.refused}
        for finding in out.remaining:
            if finding not in explained:
                report.write(f"{_show(shown, finding)}\n    no automatic fix\n")
        if args.diff:
            if changed:
                sys.stdout.writelines(difflib.unified_diff(
                    source.splitlines(keepends=True), out.source.splitlines(keepends=True),
                    f"a/{shown}" if not os.path.isabs(shown) else shown,
                    f"b/{shown}" if not os.path.isabs(shown) else shown))
        elif path == "-":
            sys.stdout.write(out.source)
        elif changed:
            _write(path, source, out.source)
    if status_error:
        return 2
    if args.diff:
        return 1 if changed_any else 0
    return 1 if remaining else 0


def expand(paths: list[str]) -> list[str]:
    """Files as given; directories: the ``*.py`` files under them (hidden directories and
    ``__pycache__`` skipped), in order."""
    out: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".py"))
        else:
            out.append(path)
    return out


def _write(path: str, old: str, new: str) -> None:
    """Write ``new`` in the file's own encoding (read_source decoded it)."""
    import io
    import tokenize

    with open(path, "rb") as fh:
        data = fh.read()
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    with open(path, "wb") as fh:
        fh.write(new.encode(encoding))
