"""``flake8-argscope inline``: make arg_scopes explicit, the first step of a TF 2 migration.

For one ``with`` at a time, from the bottom of the file up: every op call in its body gets
the keywords this scope supplies to it written in (``kw=value``, as the ``with`` spells the
value), a ``slim.repeat``/``slim.stack`` call once for its layer calls, and the
``arg_scope(...)`` item goes (the whole ``with`` when it has no other item: its body is
dedented). What the model says each call receives (explain's reports) must be the same
before and after, call by call, names and values, and the file must gain no finding; else
the scope is left as it is, with the reason. A scope function's use
(``arg_scope(vgg_arg_scope())``) has its values spelled at each call by cli/scope_dicts.py;
keywords that reach op calls in project functions are written there when every context
agrees (cli/across.py: ``inline_project``, the command, gives it the project). Refused too,
before trying, when:
- the with raises when it is entered (ASC301, ASC403, ASC404: removing it would change that);
- the scope is kept (``as sc``), or lists an element the model cannot resolve, or unpacks
  ``**kwargs``;
- the model's picture of a call in the body is incomplete (a scope it cannot see into, a
  ``**mapping`` the call passes, a branch), or a value is not known, or comes from elsewhere;
- a value's name is rebound between the ``with`` and a call, or the call is in a
  comprehension or a nested function;
- something that runs in the body and is not edited would lose a keyword: a call of a listed
  op in a project function called there (followed, cli/absorb.py ``Reach``) that cannot be
  edited across calls, a call the model cannot resolve, a function defined there;
- the text cannot be changed safely: a one-line ``with``, a parenthesized item list, a
  comment in the header of a ``with`` that keeps other items (when the whole ``with`` goes,
  its header's comments stay, on lines of their own), a string over several lines in the
  body, tabs.
"""

from __future__ import annotations

import ast
import copy
import os
import tokenize
from typing import TYPE_CHECKING, Any

from flake8_argscope.cli.absorb import LacksKeyword, Reach, Refused
from flake8_argscope.cli.edits import CallItems, Edit, Text
from flake8_argscope.cli.explain import explain_source
from flake8_argscope.known import TENSORPACK, Api, Op
from flake8_argscope.symbols import LocalOp

if TYPE_CHECKING:
    from flake8_argscope.api import Config
    from flake8_argscope.cli.scope_dicts import DictScope
    from flake8_argscope.cli.workspace import Workspace
    from flake8_argscope.frames import Frame
    from flake8_argscope.resolve import Resolver

_INCOMPLETE_OK = frozenset({"callers", "call-starargs"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class InlineOutcome:
    def __init__(self, source: str) -> None:
        self.source = source
        self.inlined: list[tuple[int, str]] = []  # (the with's line in the source, what)
        self.refused: list[tuple[int, str]] = []  # (the with's line in the source, why)


def inline_text(source: str, path: str, config: Config, across: Workspace | None = None,
                real: str | None = None) -> InlineOutcome:
    """Every arg_scope ``with`` of ``source`` inlined that can be; with ``across`` (the file
    is ``real`` in it), also those whose keywords reach op calls in project functions
    (cli/across.py). Raises SyntaxError."""
    out = InlineOutcome(source)
    tree = ast.parse(source, filename=path)
    lines = [w.lineno for w in _withs(tree)]
    current = source
    # bottom up: the withs before the one at hand stay the same withs, in the same order
    # (an edit across calls may move them: they are found by their rank)
    for rank in range(len(lines) - 1, -1, -1):
        line = lines[rank]
        tree = ast.parse(current, filename=path)
        node = _withs(tree)[rank]
        try:
            attempt = _Inline(current, tree, node, path, config)
            attempt.defines = across.defines if across is not None else None
            if not attempt.items:
                continue
            current, what = attempt.run()
            out.inlined.append((line, what))
        except LacksKeyword as why:
            if across is None or real is None:
                out.refused.append((line, str(why)))
                continue
            try:
                across.set_text(real, current)
                attempt = _Inline(current, tree, node, across.scratch(real), config, across)
                current, what = attempt.run()
                out.inlined.append((line, what))
            except Refused as why:
                out.refused.append((line, str(why)))
            except (ValueError, RecursionError) as exc:
                out.refused.append((line, f"cannot edit: {exc}"))
            except Exception as exc:  # a bug: this scope is left as it is, and says so
                out.refused.append((line, f"inline across calls failed: "
                                          f"{type(exc).__name__}: {exc}"))
        except Refused as why:
            out.refused.append((line, str(why)))
        except (ValueError, RecursionError) as exc:  # CallItems & co. on unusual text
            out.refused.append((line, f"cannot edit: {exc}"))
        except Exception as exc:  # a bug: this scope is left as it is, and says so
            out.refused.append((line, f"inline failed: {type(exc).__name__}: {exc}"))
    out.source = current
    out.inlined.sort()
    out.refused.sort()
    return out


def _withs(tree: ast.Module) -> list[ast.With | ast.AsyncWith]:
    return sorted((w for w in ast.walk(tree) if isinstance(w, (ast.With, ast.AsyncWith))),
                  key=lambda w: (w.lineno, w.col_offset))


def frame_of(resolver: Resolver, tree: ast.Module, node: ast.AST) -> Frame:
    """The frame of the function (or module) holding ``node``."""
    chain: list[ast.AST] = []

    def find(n: ast.AST, path: list[ast.AST]) -> bool:
        for child in ast.iter_child_nodes(n):
            if child is node:
                chain.extend(path)
                return True
            if find(child, path + [child] if isinstance(child, _SCOPES) else path):
                return True
        return False

    find(tree, [])
    frame = resolver.module_frame
    for scope in chain:
        frame = resolver.frame_for(scope, frame)  # type: ignore[arg-type]
    return frame


class _Inline:
    def __init__(self, source: str, tree: ast.Module, node: ast.With | ast.AsyncWith,
                 path: str, config: Config, across: Workspace | None = None) -> None:
        from flake8_argscope.walk import Walker

        self.source, self.tree, self.node, self.path = source, tree, node, path
        self.across = across
        self.dict_scope: DictScope | None = None  # a scope function's dict (its with's item)
        self.written: dict[tuple[int, int], dict[str, str]] = {}  # (line, col) -> kw -> text
        self.defines = across.defines if across is not None else None  # (see Reach)
        quiet = copy.copy(config)
        quiet.enabled = frozenset()
        self.config = config
        self.walker = Walker(tree, quiet, path, source)
        self.resolver = self.walker.resolver
        self.frame = frame_of(self.resolver, tree, node)
        self.items = [item for item in node.items if self._enters_scope(item)]

    def _enters_scope(self, item: ast.withitem) -> bool:
        expr = item.context_expr
        if not isinstance(expr, ast.Call):
            return False
        target = self.resolver.target_of(expr.func, self.frame)
        return isinstance(target, Api) and target.name in ("arg_scope", "argscope")

    # ------------------------------------------------------------ deciding
    def run(self) -> tuple[str, str]:
        from flake8_argscope.cli.across import Planner

        keys, kws = self._listed()
        reports = explain_source(self.source, self.path, self.config)
        node = self.node
        first = node.body[0].lineno
        last = node.end_lineno or node.lineno
        text = Text(self.source)
        inside = [r for r in reports if first <= r["line"] <= last]
        removal, dedent = remove_items(text, node, self.items)
        edits: list[Edit] = []
        ours: set[int] = set()
        calls = {(n.lineno, n.col_offset + 1): n for n in ast.walk(node)
                 if isinstance(n, ast.Call)}
        meta: dict[int, dict[str, str]] = {}
        for r in inside:
            bad = [i for i in r["incomplete"] if i["reason"] not in _INCOMPLETE_OK]
            if bad:
                raise Refused(f"line {r['line']}: the model's picture is incomplete "
                              f"({bad[0]['reason']})")
            if r["collisions"]:
                raise Refused(f"line {r['line']}: a positional argument collides with the "
                              "scope (ASC401)")
            mine = {k: i for k, i in r["keywords"].items()
                    if i["from"] == "scope" and i.get("scope_line") == node.lineno}
            call = calls.get((r["line"], r["col"]))
            if call is None:
                raise Refused(f"line {r['line']}: the call was not found")
            ours.add(id(call))
            if not mine:
                continue
            pairs = {k: self._value(k, i, call, r["resolved"]) for k, i in mine.items()}
            self.written[(r["line"], r["col"])] = pairs
            if r["via"]:
                if meta.setdefault(id(call), pairs) != pairs:
                    raise Refused(f"line {r['line']}: {r['via']}'s layer calls receive "
                                  "different keywords")
                continue
            edits.append(_add_keywords(text, call, pairs, dedent))
        for call_id, pairs in meta.items():
            call = next(c for c in calls.values() if id(c) == call_id)
            edits.append(_add_keywords(text, call, pairs, dedent))
        edited = len(edits)
        reach = self._check_rest(node, ours, keys, kws)
        recorded = getattr(reach, "recorded", None)
        remote = Planner(self.across).plan(self, recorded) if self.across and recorded else {}
        others, written = self._remote_edits(remote, text, edits)
        written.setdefault(os.path.abspath(self.path), {}).update(self.written)
        edits.extend(removal)
        new = text.apply(edits)
        if remote and self.across:
            here = os.path.abspath(self.path)
            body = range(node.body[0].lineno, (node.end_lineno or node.lineno) + 1)
            self.across.verify({here: new, **others}, written, (here, body))
        else:
            self._verify(reports, new)
        into = [f"{edited} call(s)"] if edited else []
        if remote:
            functions = sorted({f"{name}()" for calls in remote.values()
                                for _c, _p, name in calls})
            into.append(f"{sum(len(c) for c in remote.values())} call(s) in "
                        f"{', '.join(functions)} (each gets the same values in every context)")
        names = {k for pairs in self.written.values() for k in pairs} | {
            k for calls in remote.values() for _c, pairs, _n in calls for k in pairs}
        what = (f"inlined {', '.join(sorted(names))} into {' and '.join(into)}" if into
                else "removed a scope that supplied no call in its body")
        return new, what

    def _remote_edits(self, remote: dict[str, list[Any]], text: Text, edits: list[Edit]
                      ) -> tuple[dict[str, str], dict[str, dict[Any, dict[str, str]]]]:
        """The edits of op calls in project functions: into ``edits`` (this file), or the
        other files' new texts; and what each call gets written, by its position."""
        here = os.path.abspath(self.path)
        others: dict[str, str] = {}
        written: dict[str, dict[Any, dict[str, str]]] = {}
        for path, found in remote.items():
            for call, pairs, _name in found:
                written.setdefault(path, {})[(call.lineno, call.col_offset + 1)] = pairs
            if path == here:
                edits.extend(_add_keywords(text, call, pairs, 0) for call, pairs, _n in found)
                continue
            assert self.across is not None
            theirs = Text(self.across.text(self.across.original(path)))
            others[path] = theirs.apply(_add_keywords(theirs, call, pairs, 0)
                                        for call, pairs, _n in found)
        return others, written

    def _listed(self) -> tuple[frozenset[str], set[str]]:
        """The keys of the ops the scope items list, and the keywords they set."""
        from flake8_argscope.api import build_config, findings
        from flake8_argscope.rules import RULES

        node = self.node
        header = range(node.lineno, node.body[0].lineno)
        for line, _col, msg in findings(self.tree, build_config(), self.path, self.source):
            rule = RULES.get(msg[:6])
            if line in header and rule is not None and rule.raised_at == "with":
                raise Refused(f"the with raises when it is entered ({msg[:6]}): removing it "
                              "would change that")
        keys: set[str] = set()
        kws: set[str] = set()
        for item in self.items:
            if item.optional_vars is not None:
                raise Refused("the scope is kept (as ...): its dict may be used again")
            call = item.context_expr
            assert isinstance(call, ast.Call)
            if not call.args or not isinstance(call.args[0], (ast.List, ast.Tuple)):
                if call.args and not call.keywords:  # a scope dict
                    from flake8_argscope.cli.scope_dicts import DictScope

                    self.dict_scope = DictScope(self, item)
                    found, dkws = self.dict_scope.keys_and_keywords()
                    if any(k.rsplit(".", 1)[-1] == "convolution" for k in found):
                        raise Refused("the scope dict sets convolution's keywords, which the "
                                      "conv2d family calls itself: they reach calls not "
                                      "written here")
                    keys.update(found)
                    kws.update(dkws)
                    continue
                target = self.resolver.target_of(call.func, self.frame)
                if not call.args or getattr(target, "registry", None) != TENSORPACK:
                    raise Refused("the scope's first argument is not a list")
                elements = call.args[:1]  # tensorpack's argscope(Conv2D, ...)
            else:
                elements = call.args[0].elts
            for element in elements:
                target = self.resolver.target_of(element, self.frame, force=True)
                op = target if isinstance(target, Op) else getattr(target, "op", None)
                if not isinstance(op, Op):
                    raise Refused(f"the scope lists {ast.unparse(element)}, which the model "
                                  "cannot resolve to an op")
                if op.name == "convolution" and op.registry != TENSORPACK:
                    # conv1d/2d/3d call it themselves, under the same stack (ASC405)
                    raise Refused("the scope lists convolution, which the conv2d family "
                                  "calls itself: its keywords reach calls not written here")
                keys.add(op.key)
            for kw in call.keywords:
                if kw.arg is None:
                    raise Refused("the scope unpacks **kwargs")
                kws.add(kw.arg)
        return frozenset(keys), kws

    def _value(self, kw: str, info: dict[str, Any], call: ast.Call, key: str) -> str:
        """The value's text, if it means the same at the call (a scope dict's: spelled
        there by cli/scope_dicts.py)."""
        value = info.get("value")
        if self.dict_scope is not None:
            value, names = self.dict_scope.value(kw, key, self.frame, f"line {call.lineno}")
        elif value is None:
            raise Refused(f"line {call.lineno}: the value of {kw} is not known")
        elif info.get("factory_line") is not None:
            raise Refused(f"{kw}: the value is set elsewhere (line {info['factory_line']})")
        else:
            try:
                parsed = ast.parse(f"(\n{value}\n)", mode="eval").body
            except SyntaxError:
                raise Refused(f"{kw}: the value's text does not parse alone") from None
            names = [n.id for n in ast.walk(parsed) if isinstance(n, ast.Name)]
        for name in names:
            lines = self.frame.lines_binding(name)
            if any(self.node.lineno <= line <= (call.end_lineno or call.lineno)
                   for line in lines):
                raise Refused(f"{kw}={value}: {name} is bound again before the call on "
                              f"line {call.lineno}")
        return value

    def _check_rest(self, node: ast.With | ast.AsyncWith, ours: set[int],
                    keys: frozenset[str], kws: set[str]) -> Reach:
        """What runs in the body and is not edited must lose no keyword (across calls: the
        op calls in project functions that would are recorded)."""
        from flake8_argscope.cli.across import Recording

        reach = (Recording if self.across else Reach)(keys, kws, "an op the scope lists")
        reach.defines = self.defines
        for n in ast.walk(node):  # (a project op's call passes what is written into it)
            if isinstance(n, ast.Call) and id(n) in ours:
                reach.given[id(n)] = set(self.written.get((n.lineno, n.col_offset + 1), ()))
        for stmt in node.body:
            for n in ast.walk(stmt):
                if isinstance(n, _SCOPES):
                    raise Refused(f"line {n.lineno} defines a function or class: its body "
                                  "may run under the scope")
                if isinstance(n, _COMPREHENSIONS):
                    raise Refused(f"line {n.lineno}: a comprehension (its names are its own)")
                if isinstance(n, ast.withitem) and n.optional_vars is not None and (
                        self._enters_scope(n)):
                    raise Refused(f"line {n.context_expr.lineno}: a scope dict taken there "
                                  "(as ...) holds this scope's keywords")
                if isinstance(n, ast.Call) and self._reads_scope(n):
                    raise Refused(f"line {n.lineno}: the scope in force is read there (a "
                                  "scope dict holds this scope's keywords)")
                if isinstance(n, ast.Call) and (id(n) not in ours or isinstance(
                        self.resolver.target_of(n.func, self.frame), LocalOp)):
                    # (a project op's body runs under the scope too)
                    reach.check_call(n, self.frame, f"line {n.lineno}", 0, frozenset())
        return reach

    def _reads_scope(self, call: ast.Call) -> bool:
        """``current_arg_scope()``, or a call of a scope factory (a scope dict)."""
        from flake8_argscope.model.values import ScopeDict, value

        return isinstance(value(self.resolver, call, self.frame), ScopeDict)

    # ------------------------------------------------------------ proof
    def _verify(self, before: list[dict[str, Any]], new: str) -> None:
        from flake8_argscope.cli.workspace import finding_codes

        try:
            tree = ast.parse(new, filename=self.path)
        except SyntaxError as exc:
            raise Refused(f"the result would not parse ({exc.msg})") from None
        after = explain_source(new, self.path, self.config)
        expected = _received(before)
        for r, (_op, _via, values) in zip(before, expected):
            for kw, text in self.written.get((r["line"], r["col"]), {}).items():
                if values.get(kw, ("",))[0] is None:  # (a scope dict's, spelled here)
                    values[kw] = (_syntax(text), values[kw][1])
        if expected != _received(after):
            raise Refused("a call would receive other keywords (the model's check)")
        grown = (finding_codes(new, self.path, tree)
                 - finding_codes(self.source, self.path, self.tree))
        grown.pop("ASC101", None)  # the repetition is what inlining writes, on purpose
        if grown:
            raise Refused(f"it would introduce {', '.join(sorted(grown))}")


def _received(reports: list[dict[str, Any]]) -> list[tuple[str, Any, dict[str, Any]]]:
    """Each call's op and the keywords it receives (names, values as syntax)."""
    return [(r["resolved"], r["via"], _values(r["keywords"])) for r in reports]


def _values(keywords: dict[str, Any]) -> dict[str, tuple[str | None, bool]]:
    """Received keywords: name -> (value as syntax, set by a partial or a meta-op)."""
    return {name: (_syntax(info["value"]), info["from"] in ("meta-op", "partial"))
            for name, info in keywords.items()}


def _syntax(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return ast.dump(ast.parse(f"(\n{value}\n)", mode="eval").body)
    except SyntaxError:
        return value


def remove_items(text: Text, node: ast.With | ast.AsyncWith,
                 items: list[ast.withitem]) -> tuple[list[Edit], int]:
    """The edits that remove ``items`` from the with ``node``, and by how much its body is
    dedented (the whole with goes when they are all its items)."""
    tokens = [t for t in text.tokens_between(text.offset(node.lineno, node.col_offset),
                                             text.offset(node.body[0].lineno, 0))
              if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT)]
    if len(tokens) > 1 and tokens[1].string == "(" and len(node.items) > 1:
        raise Refused("the with's items are parenthesized: not edited")
    colon = next((t for t in reversed(tokens) if t.type == tokenize.OP
                  and t.string == ":"), None)
    if colon is None:
        raise Refused("the with's header was not found")
    header_end_line = text.position(colon.end)[0]
    if node.body[0].lineno <= header_end_line:
        raise Refused("a one-line with: not edited")
    # (comments after the header's last line are the body's: they are dedented with it)
    comments = [t.string for t in tokens if t.type == tokenize.COMMENT
                and text.position(t.start)[0] <= header_end_line]
    if len(items) < len(node.items):
        if comments:
            raise Refused("a comment in the with's header: not edited")
        return _delete_items(text, node, items), 0
    start = text.offset(node.lineno, 0)
    header_stop = text.line_end(colon.end)
    indent = len(text.lines[node.lineno - 1]) - len(text.lines[node.lineno - 1].lstrip())
    body_line = text.lines[node.body[0].lineno - 1]
    delta = (len(body_line) - len(body_line.lstrip())) - indent
    if delta <= 0:
        raise Refused("the body is not indented more than the with")
    newline = "\r\n" if text.lines[node.lineno - 1].endswith("\r\n") else "\n"
    # the header's comments stay, each on a line of its own where the with was
    edits = [Edit(start, header_stop, "".join(f"{' ' * indent}{c}{newline}"
                                              for c in comments))]
    for line in range(header_end_line + 1, (node.end_lineno or node.lineno) + 1):
        content = text.lines[line - 1]
        if "\t" in content[:len(content) - len(content.lstrip())]:
            raise Refused("tabs in the body's indentation")
        lead = len(content) - len(content.lstrip(" "))
        cut = min(delta, lead)
        if cut and content.strip():
            at = text.offset(line, 0)
            edits.append(Edit(at, at + cut, ""))
    for n in ast.walk(node):
        if isinstance(n, (ast.Constant, ast.JoinedStr)) and isinstance(
                getattr(n, "value", ""), str) and (n.end_lineno or n.lineno) > n.lineno:
            raise Refused(f"the string on line {n.lineno} spans lines: dedenting it "
                          "would change it")
    return edits, delta


def _delete_items(text: Text, node: ast.With | ast.AsyncWith,
                  items: list[ast.withitem]) -> list[Edit]:
    """``with a, arg_scope(...), b:`` -> ``with a, b:`` (each scope item with a comma)."""
    edits = []
    for item in items:
        k = node.items.index(item)
        start, end = text.node_span(item.context_expr)
        if k + 1 < len(node.items):
            nxt = text.node_span(node.items[k + 1].context_expr)[0]
            edits.append(Edit(start, nxt, ""))
        else:
            prev = node.items[k - 1]
            prev_end = text.node_span(prev.optional_vars or prev.context_expr)[1]
            edits.append(Edit(prev_end, end, ""))
    return edits


WIDTH = 99  # beyond this, or in a call over several lines: one keyword per line


def _add_keywords(text: Text, call: ast.Call, pairs: dict[str, str], dedent: int) -> Edit:
    """``kw=value, ...`` after the call's last argument (or inside its empty parentheses);
    in a call written over several lines, or a line grown too long, one per line, aligned
    with the first argument (where it will be: the body is dedented by ``dedent``)."""
    items = CallItems(text, call)
    added = [f"{k}={v}" for k, v in sorted(pairs.items())]
    if not items.spans:
        return Edit(items.lparen.end, items.lparen.end, ", ".join(added))
    end = items.spans[-1][1]
    line_end = text.line_end(end)
    grown = len(text.text[text.line_start(end):line_end].rstrip("\r\n")) - dedent + sum(
        len(a) + 2 for a in added)
    if (call.end_lineno or call.lineno) == call.lineno and grown <= WIDTH:
        return Edit(end, end, ", " + ", ".join(added))
    first = items.spans[0][0]
    column = max(0, first - text.line_start(first) - dedent)
    newline = "\r\n" if text.text[text.line_start(end):line_end].endswith("\r\n") else "\n"
    return Edit(end, end, "".join(f",{newline}{' ' * column}{a}" for a in added))


class ProjectOutcome:
    """An inline run over files: each file's outcome (or the error that stopped it), and
    every file whose text changed (given or not: edits across calls), old and new text."""

    def __init__(self) -> None:
        self.outcomes: list[tuple[str, InlineOutcome | Exception]] = []
        self.changed: dict[str, tuple[str, str]] = {}  # absolute path -> (old, new)


def inline_project(paths: list[str], config: Config) -> ProjectOutcome:
    """Every file of ``paths`` inlined, bottom up, one after the other; edits across calls
    may change other files of the project (cli/across.py). Nothing is written."""
    from flake8_argscope.cli.workspace import Workspace

    result = ProjectOutcome()
    across = Workspace(paths, config)
    try:
        for path in paths:
            try:
                source = across.text(path)
                out = inline_text(source, os.path.normpath(path), config, across, path)
            except (OSError, UnicodeDecodeError, SyntaxError) as exc:
                result.outcomes.append((path, exc))
                continue
            result.outcomes.append((path, out))
            across.set_text(path, out.source)
    finally:
        across.close()
    for path in across.changed():
        result.changed[path] = (across.originals[path], across.texts[path])
    return result


def run_inline(args: Any, config: Config) -> int:
    """The command: each file's scopes inlined or not (with the reason), a summary; the
    changed files written, or their diff (``-``: the text on stdout, as fix does)."""
    import collections
    import sys

    from flake8_argscope.cli.fix import expand

    paths = expand(args.paths)
    report = sys.stderr if args.diff or "-" in paths else sys.stdout
    if "-" in paths:
        outcomes: list[Any] = []
        for path in paths:
            if path == "-":
                try:
                    source = _stdin()
                    outcomes.append((path, source, inline_text(source, "stdin", config)))
                except (OSError, UnicodeDecodeError, SyntaxError) as exc:
                    outcomes.append((path, "", exc))
        project = inline_project([p for p in paths if p != "-"], config)
    else:
        outcomes = []
        project = inline_project(paths, config)
    outcomes += [(path, None, out) for path, out in project.outcomes]
    inlined = 0
    reasons: collections.Counter[str] = collections.Counter()
    status = 0
    for path, source, out in outcomes:
        shown = "stdin" if path == "-" else os.path.normpath(path)
        if isinstance(out, SyntaxError):
            sys.stderr.write(f"flake8-argscope: {shown}:{out.lineno}: syntax error: "
                             f"{out.msg}; nothing inlined\n")
            if path == "-" and not args.diff:
                sys.stdout.write(source)
            status = 2
            continue
        if isinstance(out, Exception):
            sys.stderr.write(f"flake8-argscope: {path}: {out}\n")
            status = 2
            continue
        stream = sys.stderr if path == "-" else report
        for line, what in out.inlined:
            stream.write(f"{shown}:{line}: inlined: {what}\n")
        for line, why in out.refused:
            stream.write(f"{shown}:{line}: not inlined: {why}\n")
            reasons[_reason_kind(why)] += 1
        inlined += len(out.inlined)
        if path == "-":
            if args.diff:
                _save("-", shown, source, out.source, True)
            else:
                sys.stdout.write(out.source)
    shown_of = {os.path.abspath(p): os.path.normpath(p) for p in paths if p != "-"}
    for path, (old, new) in project.changed.items():
        _save(path, shown_of.get(path, os.path.relpath(path)), old, new, args.diff)
    refused = sum(reasons.values())
    summary = f"scopes inlined: {inlined}; refused: {refused}"
    if reasons:
        summary += " (" + ", ".join(f"{n} {kind}" for kind, n in reasons.most_common()) + ")"
    report.write(summary + "\n")
    if status:
        return status
    changed = bool(project.changed) or any(
        path == "-" and not isinstance(out, Exception) and out.source != source
        for path, source, out in outcomes)
    return 1 if args.diff and changed else 0


def _stdin() -> str:
    from flake8_argscope.cli import read_source

    return read_source("-")


def _save(path: str, shown: str, old: str, new: str, diff: bool) -> None:
    """The file written, or its unified diff on stdout."""
    import difflib
    import sys

    if diff:
        sys.stdout.writelines(difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            f"a/{shown}", f"b/{shown}"))
    else:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(new)


def _reason_kind(why: str) -> str:
    """A refusal's kind, for the summary: the reason without its lines, names and values."""
    import re

    text = re.sub(r"^(line \d+(, [^:]+)?: )", "", why)
    for pattern, kind in _KINDS:
        if re.search(pattern, text):
            return kind
    return re.sub(r" \(.*?\)|line \d+", "", text).strip().rstrip(":")


_KINDS = (
    (r"is a call the model cannot resolve", "a call the model cannot resolve"),
    (r"which the model cannot resolve to an op", "a listed element the model cannot resolve"),
    (r"does not pass every keyword", "a project function's op call would lose a keyword"),
    (r"is bound again before the call", "a value's name is bound again"),
    (r"the model's picture is incomplete", "the model's picture is incomplete"),
    # across calls (cli/across.py)
    (r"the context \S+ gives", "a context of a project function's op call gives another value"),
    (r"is also called at", "a project function is also called where the scope is not in force"),
    (r"is used at \S+ other than", "a project function is used other than in a call"),
    (r"does not mean the same there", "a value's names mean something else in the callee"),
    (r"is a name of \S+ body or parameters", "a value names a local of the scope function"),
    (r"is not a function of the project the model", "the scope function is not readable"),
    (r"picture of the context .* is incomplete", "the picture of a context is incomplete"),
)
