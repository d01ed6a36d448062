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

from flake8_argscope.cli.edits import Shift, Text
from flake8_argscope.cli.plans import Plan, plan_fixes
from flake8_argscope.walk import Walker, analyse
from flake8_argscope.model.dispatch import key_worlds
from flake8_argscope.worlds import worlds_of

if TYPE_CHECKING:
    import argparse

    from flake8_argscope.api import Config
    from flake8_argscope.cli.edits import Edit
    from flake8_argscope.rules.registry import Ctx, HookRule

    Finding = tuple[int, int, str]  # (line, UTF-8 byte column, message)

MAX_PASSES = 32
MAX_LINTS = 48


class CaptureWalker(Walker):
    """The walker, keeping each finding's node, fields and hook context."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.captured: list[tuple[str, ast.AST, dict[str, object], object]] = []

    def _apply(self, rule_list: tuple[HookRule[Ctx], ...], ctx: Ctx) -> None:
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
            if walker.forward is not None and key_worlds(walker.resolver):
                found = analyse(tree, config, path, text.text)  # (a dispatch's keys too)
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
    return _Session(source, path, config, selected, unsafe).run()


class _Session:
    """One file's fixing: passes of batches, each batch verified with one re-lint and split
    in halves when it fails, so a file with many findings costs a few lints, not one per
    fix."""

    def __init__(self, source: str, path: str, config: Config, selected: tuple[str, ...],
                 unsafe: bool) -> None:
        self.path, self.config, self.selected, self.unsafe = path, config, selected, unsafe
        self.lint = Lint(Text(source), path, config)
        self.texts = [self.lint.text]
        self.history: list[Shift] = []  # the edits of each applied batch, in order
        self.fixed: list[tuple[Finding, str]] = []
        self.refused: dict[tuple[str, int, int], tuple[Finding, str]] = {}
        self.lints = 0  # re-lints so far: a hostile file must not take minutes

    def original(self, finding: Finding) -> Finding:
        """``finding`` of the current text, placed in the source."""
        line, col, msg = finding
        offset = self.texts[-1].offset(line, col)
        for shift in reversed(self.history):
            offset = shift.unmap(offset)
        return (*self.texts[0].position(offset), msg)

    def _refuse(self, plan: Plan, why: str) -> bool:
        """Remember a refusal of each finding the plan was for (by its place in the
        source); False if all were known."""
        new = False
        for finding in [plan.finding, *plan.fixes]:
            found = self.original(finding)
            key = (finding[2][:6], found[0], found[1])
            if key not in self.refused:
                self.refused[key] = (found, why)
                new = True
        return new

    def run(self) -> Outcome:
        out = Outcome(self.texts[0].text)
        for _pass in range(MAX_PASSES):
            changed = False
            batch: list[Plan] = []
            sites: set[object] = set()
            for plan in sorted(plan_fixes(self.lint, self.selected, self.unsafe),
                               key=lambda p: p.order):
                found = self.original(plan.finding)
                if (plan.code, found[0], found[1]) in self.refused:
                    continue
                if plan.refusal is not None:
                    changed = self._refuse(plan, plan.refusal) or changed
                elif plan.site not in sites:  # the others on this site: next pass
                    sites.add(plan.site)
                    batch.append(plan)
            changed = self._settle(batch) or changed
            if not changed:
                break
        lint = self.lint
        out.source = lint.text.text
        out.fixed = sorted(self.fixed)
        out.remaining = sorted(self.original(f) for f in lint.findings
                               if _selected(f[2], self.selected))
        left = set(out.remaining)
        out.refused = sorted(v for v in self.refused.values() if v[0] in left)
        return out

    def _settle(self, batch: list[Plan]) -> bool:
        """Apply ``batch`` (in source order) if it verifies. When it does not, the fixes
        the new or remaining findings point at are refused and the rest is tried again;
        failing that, each half, the lower one first (the upper one's positions stay
        valid). True if anything changed."""
        if not batch:
            return False
        if self.lints >= MAX_LINTS:
            changed = False
            for plan in batch:
                changed = self._refuse(plan, "not tried: this run's budget of re-lints is "
                                             "spent (run fix again)") or changed
            return changed
        self.lints += 1
        result = _attempt(self.lint, batch, self.path, self.config)
        if isinstance(result, tuple):
            self.fixed.extend((self.original(f), p.describe) for p in batch
                              for f in dict.fromkeys([p.finding, *p.fixes]))
            self.lint, edits = result
            self.history.append(Shift(edits))
            self.texts.append(self.lint.text)
            return True
        if len(batch) == 1:
            return self._refuse(batch[0], result.reason)
        if result.blame:
            for i, why in result.blame.items():
                self._refuse(batch[i], why)
            rest = [p for i, p in enumerate(batch) if i not in result.blame]
            self._settle(rest)
            return True
        mid = len(batch) // 2
        lower = self._settle(batch[mid:])
        return self._settle(batch[:mid]) or lower


def _selected(message: str, selected: tuple[str, ...]) -> bool:
    return not selected or message.startswith(selected)


class Failure:
    """Why a batch of fixes is refused; ``blame``: index in the batch -> why, for the fixes
    the offending findings point at."""

    def __init__(self, reason: str, blame: dict[int, str] | None = None) -> None:
        self.reason = reason
        self.blame = blame or {}


def _attempt(lint: Lint, plans: list[Plan], path: str, config: Config
             ) -> tuple[Lint, list[Edit]] | Failure:
    """The lint of the text with ``plans`` applied and their edits, or why not."""
    text = lint.text
    edits: list[Edit] = []
    spans: list[tuple[int, int]] = []  # each plan's extent in the text
    try:
        for plan in plans:
            mine = plan.edits(text, lint.tree)
            edits.extend(mine)
            spans.append((min(e.start for e in mine), max(e.end for e in mine)))
    except ValueError as exc:
        return Failure(f"cannot edit: {exc}")
    ordered = sorted((e.start, e.end) for e in edits)
    if any(a[1] > b[0] or a == b for a, b in zip(ordered, ordered[1:])):
        return Failure("its edits overlap another fix's")
    new = Text(text.apply(edits))
    try:
        after = Lint(new, path, config)
    except (SyntaxError, ValueError):
        return Failure("the result would not parse")
    return _verify(lint, after, edits, plans, spans) or (after, edits)


def _verify(before: Lint, after: Lint, edits: list[Edit], plans: list[Plan],
            spans: list[tuple[int, int]]) -> Failure | None:
    """None when the fixed findings are gone and nothing new appeared, else why not and
    which plans are to blame (a remaining finding: the plan that was to fix it; a new one:
    the plan whose edits are nearest)."""
    shift = Shift(edits)
    mapped = collections.Counter(
        {(code, shift.map(off)): n for (code, off), n in before.keys().items()})
    owner: dict[tuple[str, int], int] = {}
    for i, plan in enumerate(plans):
        for line, col, _msg in plan.fixes:
            owner[(plan.code, shift.map(before.text.offset(line, col)))] = i
    allowed = mapped - collections.Counter(owner)
    extra = after.keys() - allowed
    if not extra:
        return None
    blame: dict[int, str] = {}
    first = ""
    for line, col, msg in after.findings:
        key = (msg[:6], after.text.offset(line, col))
        if key not in extra:
            continue
        if key in owner:
            why, culprit = "the finding would remain", owner[key]
        else:
            why = f"it would introduce {msg[:6]} on line {line}: {msg[7:]}"
            old = shift.unmap(key[1])
            culprit = min(range(len(plans)), key=lambda i: max(
                0, spans[i][0] - old, old - spans[i][1]))
        blame.setdefault(culprit, why)
        first = first or why
    return Failure(first or "it would change the findings", blame)


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
        shown = "stdin" if path == "-" else os.path.normpath(path)
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
