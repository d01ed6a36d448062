"""Source text for the fixer: positions, tokens, the items of a call, and text edits.

Rewriting works on the text itself (stdlib ``tokenize`` for commas, brackets and comments,
``ast`` for node positions), so everything an edit does not touch stays byte for byte.
ast columns are UTF-8 byte offsets (as flake8 reports them); edits use str offsets.
"""

from __future__ import annotations

import ast
import bisect
import re
import tokenize
from typing import TYPE_CHECKING

from flake8_argscope.record import Frozen

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_TRIVIA = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT,
                     tokenize.DEDENT})


class Edit(Frozen):
    """Replace ``text[start:end]`` by ``new`` (str offsets)."""

    __slots__ = _fields = _cmp = ("start", "end", "new")
    start: int
    end: int
    new: str


class Token(Frozen):
    __slots__ = _fields = ("type", "string", "start", "end")
    type: int
    string: str
    start: int
    end: int


class Text:
    """One version of a file's text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _LINE.findall(text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self._tokens: list[Token] | None = None
        self._token_starts: list[int] = []

    # ------------------------------------------------------------ positions
    def offset(self, line: int, col: int) -> int:
        """str offset of (line, UTF-8 byte column), as ast and flake8 give them."""
        if line - 1 >= len(self.lines):
            return len(self.text)
        raw = self.lines[line - 1].encode("utf-8")[:col]
        return self.starts[line - 1] + len(raw.decode("utf-8", "ignore"))

    def node_span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
                self.offset(node.end_lineno, node.end_col_offset))  # type: ignore[attr-defined]

    def position(self, offset: int) -> tuple[int, int]:
        """(line, UTF-8 byte column) of a str offset."""
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        if i >= len(self.lines):
            return len(self.lines) + 1, 0
        return i + 1, len(self.text[self.starts[i]:offset].encode("utf-8"))

    def line_start(self, offset: int) -> int:
        return self.starts[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def line_end(self, offset: int) -> int:
        """Offset just past the newline of the line holding ``offset``."""
        i = bisect.bisect_right(self.starts, offset)
        return self.starts[i] if i < len(self.starts) else len(self.text)

    # ------------------------------------------------------------ tokens
    @property
    def tokens(self) -> list[Token]:
        if self._tokens is None:
            toks = []
            lines = iter(self.lines)
            for tok in tokenize.generate_tokens(lambda: next(lines, "")):
                if tok.type == tokenize.ENDMARKER:
                    break
                start = self.starts[tok.start[0] - 1] + tok.start[1]
                end = self.starts[tok.end[0] - 1] + tok.end[1]
                toks.append(Token(tok.type, tok.string, start, end))
            self._tokens = toks
            self._token_starts = [t.start for t in toks]
        return self._tokens

    def tokens_between(self, start: int, end: int) -> list[Token]:
        toks = self.tokens
        i = bisect.bisect_left(self._token_starts, start)
        j = bisect.bisect_left(self._token_starts, end)
        return toks[i:j]

    def apply(self, edits: Iterable[Edit]) -> str:
        pieces, at = [], 0
        for e in sorted(edits, key=lambda e: (e.start, e.end)):
            pieces.append(self.text[at:e.start])
            pieces.append(e.new)
            at = max(at, e.end)
        pieces.append(self.text[at:])
        return "".join(pieces)


class Shift:
    """Offsets through a set of non-overlapping edits, both ways (bisect: a batch can hold
    thousands of edits and be asked about thousands of findings)."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        self.edits = sorted(edits, key=lambda e: (e.start, e.end))
        self.starts = [e.start for e in self.edits]
        self.ends = [e.end for e in self.edits]
        self.before: list[int] = []  # the shift of all edits before each one
        self.new_starts: list[int] = []
        total = 0
        for e in self.edits:
            self.before.append(total)
            self.new_starts.append(e.start + total)
            total += len(e.new) - (e.end - e.start)
        self.total = total

    def map(self, offset: int) -> int:
        """Where ``offset`` of the old text is in the edited one (inside a replaced span:
        its start; at an insertion point: after the inserted text)."""
        i = bisect.bisect_right(self.ends, offset)  # edits ending at or before offset
        if i < len(self.edits) and self.edits[i].start <= offset:
            return self.edits[i].start + self.before[i]  # inside edit i
        return offset + (self.before[i] if i < len(self.edits) else self.total)

    def unmap(self, offset: int) -> int:
        """Where ``offset`` of the edited text was (inside inserted text: the start of
        what it replaced)."""
        i = bisect.bisect_right(self.new_starts, offset) - 1
        if i < 0:
            return offset
        e = self.edits[i]
        if offset < self.new_starts[i] + len(e.new):
            return e.start
        return offset - (self.before[i] + len(e.new) - (e.end - e.start))


class CallItems:
    """The argument list of one call: each item's span and the top-level commas."""

    def __init__(self, text: Text, call: ast.Call) -> None:
        self.text = text
        items: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
        self.nodes = sorted(items, key=lambda n: (n.lineno, n.col_offset))
        func_end = text.offset(call.func.end_lineno or call.lineno,
                               call.func.end_col_offset or 0)
        _, call_end = text.node_span(call)
        depth = 0
        commas: list[Token] = []
        lparen = rparen = None
        for tok in text.tokens_between(func_end, call_end):
            if tok.type != tokenize.OP:
                continue
            if lparen is None:
                if tok.string == "(":
                    lparen, depth = tok, 1
                continue
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
                if depth == 0:
                    rparen = tok
                    break
            elif tok.string == "," and depth == 1:
                commas.append(tok)
        if lparen is None or rparen is None:
            raise ValueError("the call's parentheses were not found")
        self.lparen, self.rparen, self.commas = lparen, rparen, commas
        bounds = [lparen.end] + [c.end for c in commas]
        ends = [c.start for c in commas] + [rparen.start]
        self.spans: list[tuple[int, int]] = []  # significant start/end of each item
        for lo, hi in zip(bounds, ends):
            sig = [t for t in text.tokens_between(lo, hi) if t.type not in _TRIVIA]
            if sig:
                self.spans.append((sig[0].start, sig[-1].end))
        if len(self.spans) != len(self.nodes):
            raise ValueError("the call's items do not match its commas")
        self.trailing_comma = len(commas) == len(self.nodes) and bool(commas)

    def index(self, node: ast.AST) -> int:
        for i, n in enumerate(self.nodes):
            if n is node:
                return i
        raise ValueError("not an item of this call")

    def _comments_in(self, start: int, end: int) -> bool:
        return any(t.type == tokenize.COMMENT for t in self.text.tokens_between(start, end))

    def delete(self, indices: Iterable[int]) -> list[Edit]:
        """Edits removing the items at ``indices`` with their commas; comments stay, and a
        line left empty goes."""
        chosen = sorted(set(indices))
        runs: list[list[int]] = []
        for i in chosen:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        edits = []
        for run in runs:
            edits.extend(self._delete_run(run[0], run[-1]))
        return edits

    def _delete_run(self, a: int, b: int) -> list[Edit]:
        text = self.text
        n = len(self.nodes)
        start, end = self.spans[a][0], self.spans[b][1]
        has_comma_after = b < n - 1 or self.trailing_comma
        if has_comma_after:
            comma = self.commas[b]
            if self._comments_in(start, comma.start):
                if a == b:
                    return [Edit(start, comma.end, "")]
                return [e for i in range(a, b + 1) for e in self._delete_run(i, i)]
            stop = comma.end
            rest = text.text[stop:text.line_end(stop)]
            before = text.text[text.line_start(start):start]
            if not before.strip() and not rest.strip():
                # the items had their own lines: remove those lines whole
                return [Edit(text.line_start(start), text.line_end(stop), "")]
            while stop < len(text.text) and text.text[stop] in " \t":
                stop += 1
            if stop >= len(text.text) or text.text[stop] in "\r\n":
                # the line goes on after the previous item: leave no trailing blanks
                while start > 0 and text.text[start - 1] in " \t":
                    start -= 1
            return [Edit(start, stop, "")]
        # the last items, no trailing comma: take the comma before them
        if a > 0:
            comma = self.commas[a - 1]
            if not self._comments_in(comma.start, end):
                return [Edit(comma.start, end, "")]
        if self._comments_in(start, end):
            return [e for i in range(a, b + 1) for e in self._delete_run(i, i)]
        return [Edit(start, end, "")]

    def insert_before(self, i: int, prefix: str) -> Edit:
        start = self.spans[i][0]
        return Edit(start, start, prefix)

    def wrap(self, i: int, left: str, right: str) -> list[Edit]:
        start, end = self.spans[i]
        return [Edit(start, start, left), Edit(end, end, right)]
