"""Runtime oracle: every inline expectation in ``tests/oracle/cases`` is checked twice.

* **linter half** (``test_linter_*``): the findings of ``ArgScopeChecker`` (codes in
  ``ORACLE_CODES`` only) must equal the inline ``# ASCnnn`` comments, per case function and
  for the module-level helper region of each file.
* **runtime half** (``test_runtime_*``): each ``case_<name>(x)`` is executed with the real
  tf-slim in a fresh ``tf.Graph()`` (graph mode) on a float32 placeholder, and the inline
  expectations themselves are validated.  This half does not need the checker at all.

Case conventions
----------------
* ``def case_<name>(x):`` at top level; ``x`` is a placeholder of shape ``[1, 8, 8, 3]``
  unless the module sets ``case_<name>.shape = [...]`` after the def.
* ``# ASC201`` (several codes space-separated) at the end of a line = expected finding on it.
  Lines without such a comment expect nothing (for the codes in ``ORACLE_CODES``).
* ``# oracle: redundant-ok (<why>)`` marks a keyword that *is* redundant at run time but that
  the linter is meant not to flag (``is_training`` exemption, scope not carried into a nested
  ``def``).  The oracle checks that the keyword really is redundant.
* At most one runtime-error expectation (ASC301/401/402/403/404/405) per case function, since
  only the first one can raise.  Expectations outside every case function (helpers,
  scope factories) belong to the file; a runtime-error one there must be confirmed by at
  least one case of the file.

Where a runtime error must happen ("blame rule")
------------------------------------------------
The *blame frame* is the innermost traceback frame whose code lives in the case file; the
*blame span* is the source span of its failing instruction (``co_positions()`` at
``tb_lasti``).
* ASC301, ASC403, ASC404 (raised on ``with`` entry): the blame line lies in the header of the
  ``with`` statement (``with`` keyword .. end of its items) whose item contains the finding.
  ASC301 also evaluates the finding's list element in the blame frame: it must be the first
  element with ``has_arg_scope() == False``; ``ValueError`` is predicted if it has
  ``__module__`` and ``__name__``, else ``AttributeError`` (E3 / E3' of docs/semantics.md §1.5).
* ASC401, ASC405 (raised by a call): the blame line lies in the call expression that holds
  the finding (ASC401: the call having a positional argument on the finding's line; ASC405:
  the call starting on the finding's line).  ASC401 also predicts the parameter name from
  ``inspect.signature`` of the callee evaluated in the blame frame.
* ASC402 (raised by the first call of the op in the scope): the message names the keyword
  written on the finding's line (or a key of a ``**mapping`` there, evaluated again in the
  blame frame); the failing call's callee must be scope-enabled and lack
  that parameter; when the finding's ``with`` is in the same function as the blame frame,
  the blame line lies in that ``with`` statement's body.

ASC201 confirmation
-------------------
While a case runs, ``sys.settrace`` watches every entry into tf-slim's ``func_with_args``
(the wrapper of every ``add_arg_scope`` op) whose caller is the case file.  At that moment
``slim.current_arg_scope()[slim.arg_scope_func_key(func)]`` is compared with each explicit
keyword (identity, ``==``, or equal type + config/closure/``__dict__`` for initializers and
regularizers).  The keyword is *runtime-redundant* if that holds on every execution.  Every
ASC201 line must be runtime-redundant, and every runtime-redundant keyword line must carry
ASC201 or ``# oracle: redundant-ok``.

ASC304 (op of one registry in another registry's arg_scope) needs ``tf.contrib``, which does
not exist on TF 2: it is not exercised here.
"""
from __future__ import annotations

import ast
import collections
import dataclasses
import functools
import importlib.util
import inspect
import io
import os
import pathlib
import re
import sys
import tokenize
import traceback
import types

import pytest

from flake8_argscope.rules import RULES

HERE = pathlib.Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
DEFAULT_SHAPE = [1, 8, 8, 3]

SKIPPED_CODES = {"ASC304": "needs tf.contrib (TF 1.x only); not available on TF 2"}
# from the rules' declarations: every rule predicting a runtime error (raised_at), and ASC201,
# which the runtime confirms as redundant
ORACLE_CODES = tuple(sorted({"ASC201"} | {c for c, r in RULES.items() if r.raised_at}))
RUNTIME_CODES = frozenset(c for c, r in RULES.items() if r.raised_at and c not in SKIPPED_CODES)
WITH_ENTRY_CODES = frozenset(c for c in RUNTIME_CODES if RULES[c].raised_at == "with")

_EXPECT_RE = re.compile(r"^#\s*((?:ASC\d{3}\s*)+)(?:$|[^\w])")
_NOTE_RE = re.compile(r"^#\s*oracle:\s*(redundant-ok)\b(.*)$")

# ---------------------------------------------------------------------------------------
# case files (no TensorFlow needed)


@dataclasses.dataclass
class Case:
    file: "CaseFile"
    name: str
    lineno: int  # first line (decorators included)
    end_lineno: int

    @property
    def id(self):
        return f"{self.file.path.stem}::{self.name}"

    def contains(self, line):
        return self.lineno <= line <= self.end_lineno

    def expectations(self):
        return {(ln, c) for (ln, c) in self.file.expected if self.contains(ln)}


@dataclasses.dataclass
class CaseFile:
    path: pathlib.Path
    src: str
    tree: ast.Module
    expected: set  # {(line, code)}
    notes: dict  # line -> note text
    cases: list

    def case_at(self, line):
        for case in self.cases:
            if case.contains(line):
                return case
        return None

    def helper_expectations(self):
        return {(ln, c) for (ln, c) in self.expected if self.case_at(ln) is None}


def _parse_comments(src):
    expected, notes = set(), {}
    for tok in tokenize.generate_tokens(io.StringIO(src).readline):
        if tok.type != tokenize.COMMENT:
            continue
        line = tok.start[0]
        m = _EXPECT_RE.match(tok.string)
        if m:
            for code in m.group(1).split():
                expected.add((line, code))
            continue
        m = _NOTE_RE.match(tok.string)
        if m:
            notes[line] = tok.string
    return expected, notes


@functools.lru_cache(maxsize=None)
def load_case_file(path):
    path = pathlib.Path(path)
    src = path.read_text(encoding="utf-8")
    tree = ast.parse(src, filename=str(path))
    expected, notes = _parse_comments(src)
    cf = CaseFile(path, src, tree, expected, notes, [])
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("case_"):
            start = min([node.lineno] + [d.lineno for d in node.decorator_list])
            cf.cases.append(Case(cf, node.name, start, node.end_lineno))
    return cf


CASE_FILES = [load_case_file(p) for p in sorted(CASES_DIR.glob("*.py"))]
ALL_CASES = [case for cf in CASE_FILES for case in cf.cases]


def _is_negative(case):
    """No expectation in the case, and (if it raised) no helper-region expectation owns it."""
    if case.expectations():
        return False
    exc = run_case(case).exc
    if exc is None:
        return True
    helper = [e for e in case.file.helper_expectations() if e[1] in RUNTIME_CODES]
    return not any(explain(case.file, ln, code, exc) is None for ln, code in helper)


# ---------------------------------------------------------------------------------------
# linter helper


_LINTER_STATE = {}


def _configure_checker(checker_cls):
    """Give the checker flake8's parsed options once (``parse_options`` hook), if it has one.

    flake8 >= 5 calls every plugin's ``parse_options`` inside ``parse_args``; the plugin is
    found through its entry point, so this also works when the package is installed editable.
    """
    if "configured" in _LINTER_STATE:
        return
    _LINTER_STATE["configured"] = True
    if not hasattr(checker_cls, "parse_options"):
        return
    try:
        from flake8.options.parse_args import parse_args

        parse_args(["--isolated", "--select=ASC"])
    except Exception as exc:  # pragma: no cover - depends on the checker's progress
        _LINTER_STATE["config_error"] = repr(exc)


@functools.lru_cache(maxsize=None)
def linter_findings(path):
    """{(line, code)} reported by ArgScopeChecker for a case file, ORACLE_CODES only."""
    from flake8_argscope import ArgScopeChecker

    _configure_checker(ArgScopeChecker)
    cf = load_case_file(path)
    checker = ArgScopeChecker(tree=ast.parse(cf.src), lines=cf.src.splitlines(True),
                              filename=str(cf.path))
    found = set()
    for line, _col, msg, _type in checker.run():
        code = msg.split()[0].rstrip(":")
        if code in ORACLE_CODES:
            found.add((line, code))
    return frozenset(found)


def _fmt(pairs):
    return sorted(pairs) if pairs else "nothing"


# ---------------------------------------------------------------------------------------
# TensorFlow side


_TF = {}


def _tf():
    if not _TF:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
        tf = pytest.importorskip("tensorflow")
        slim = pytest.importorskip("tf_slim")
        from tf_slim.ops import arg_scope as arg_scope_module

        tf.compat.v1.disable_eager_execution()
        _shim_tf_keras_legacy_layers()
        _TF.update(tf=tf, slim=slim, asmod=arg_scope_module,
                   fwa_code=slim.conv2d.__code__)
        assert _TF["fwa_code"].co_name == "func_with_args", "unexpected tf_slim wrapper"
    return _TF["tf"], _TF["slim"]


def _shim_tf_keras_legacy_layers():
    """Work around a TF/tf-keras packaging mismatch (seen with tensorflow 2.21 + tf-keras 2.21).

    ``tensorflow/python/layers/normalization.py`` lazily imports
    ``tf_keras.legacy_tf_layers.normalization``, but tf-keras ships that package only as
    ``tf_keras.src.legacy_tf_layers``; ``slim.batch_norm`` then dies with
    ``ModuleNotFoundError: No module named 'tf_keras.legacy_tf_layers'``.  Aliasing the
    module names changes nothing about arg_scope semantics.
    """
    try:
        import tf_keras.legacy_tf_layers  # noqa: F401
        return
    except ModuleNotFoundError:
        pass
    try:
        import tf_keras.src.legacy_tf_layers as legacy
    except ModuleNotFoundError:
        return
    sys.modules["tf_keras.legacy_tf_layers"] = legacy
    for sub in ("base", "convolutional", "core", "normalization", "pooling",
                "variable_scope_shim"):
        try:
            mod = importlib.import_module("tf_keras.src.legacy_tf_layers." + sub)
        except ImportError:
            continue
        sys.modules["tf_keras.legacy_tf_layers." + sub] = mod
    _TF["keras_shim"] = True


@functools.lru_cache(maxsize=None)
def _case_module(path):
    _tf()
    name = "argscope_oracle_cases." + pathlib.Path(path).stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


_POSITIONS = {}


def _positions(code, lasti):
    table = _POSITIONS.get(code)
    if table is None:
        table = _POSITIONS[code] = list(code.co_positions())
    return table[lasti // 2]


def equivalent(a, b, depth=0):
    """Would the scope's value behave exactly like the explicit one?"""
    if a is b:
        return True
    if depth > 6 or type(a) is not type(b):
        return False
    if isinstance(a, types.FunctionType):
        if a.__code__ is not b.__code__:
            return False
        ca = [c.cell_contents for c in (a.__closure__ or ())]
        cb = [c.cell_contents for c in (b.__closure__ or ())]
        return (equivalent(ca, cb, depth + 1)
                and equivalent(a.__defaults__, b.__defaults__, depth + 1)
                and equivalent(a.__kwdefaults__, b.__kwdefaults__, depth + 1))
    if isinstance(a, functools.partial):
        return (equivalent(a.func, b.func, depth + 1) and equivalent(a.args, b.args, depth + 1)
                and equivalent(a.keywords, b.keywords, depth + 1))
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(equivalent(x, y, depth + 1) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(equivalent(a[k], b[k], depth + 1) for k in a)
    try:
        same = a == b
        if isinstance(same, bool) and same:
            return True
    except Exception:
        pass
    if hasattr(a, "get_config"):
        try:
            return equivalent(a.get_config(), b.get_config(), depth + 1)
        except Exception:
            pass
    if type(a).__eq__ is object.__eq__ and hasattr(a, "__dict__"):
        return equivalent(vars(a), vars(b), depth + 1)
    return False


@dataclasses.dataclass
class KwEvent:
    line: int  # line of the keyword node in the case file (None if not mapped)
    name: str
    redundant: bool
    op: str


class _Tracer:
    def __init__(self, cf, index):
        self.cf = cf
        self.filename = str(cf.path)
        self.index = index
        self.events = []
        self.unmapped = 0
        self.fwa = _TF["fwa_code"]
        self.slim = _TF["slim"]
        self.meta_ops = (self.slim.repeat.__code__, self.slim.stack.__code__)

    def __call__(self, frame, event, arg):
        if event != "call" or frame.f_code is not self.fwa:
            return None
        caller = frame.f_back
        if caller is not None and caller.f_code in self.meta_ops:
            caller = caller.f_back  # slim.repeat / slim.stack call the op for the case
        if caller is None or caller.f_code.co_filename != self.filename:
            return None
        try:
            self._record(frame, caller)
        except Exception:  # never let the oracle's bookkeeping change the case's behaviour
            self.unmapped += 1
        return None

    def _record(self, frame, caller):
        loc = frame.f_locals
        kwargs, func = loc.get("kwargs") or {}, loc.get("func")
        key = self.slim.arg_scope_func_key(func)
        supplied = self.slim.current_arg_scope().get(key, {})
        pos = _positions(caller.f_code, caller.f_lasti)
        call = self.index.call_at(pos)
        kw_lines = {}
        if call is not None:
            kw_lines = {kw.arg: kw.lineno for kw in call.keywords if kw.arg}
            outer = caller.f_back
            if any(kw.arg is None for kw in call.keywords) and outer is not None and (
                    outer.f_code.co_filename == self.filename):
                # a case-file function handing its **kwargs on: the keywords its caller wrote
                written = self.index.call_at(_positions(outer.f_code, outer.f_lasti))
                for kw in written.keywords if written is not None else ():
                    if kw.arg and kw.arg not in kw_lines:
                        kw_lines[kw.arg] = kw.lineno
        else:
            self.unmapped += 1
        for name, value in kwargs.items():
            if name not in kw_lines:
                continue  # e.g. a keyword bound by functools.partial
            redundant = name in supplied and equivalent(value, supplied[name])
            self.events.append(KwEvent(kw_lines[name], name, redundant, func.__name__))


class _AstIndex:
    def __init__(self, tree):
        self.calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        self.withs = [n for n in ast.walk(tree) if isinstance(n, (ast.With, ast.AsyncWith))]
        self.funcs = [n for n in ast.walk(tree)
                      if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
        self.by_span = {(c.lineno, c.end_lineno, c.col_offset, c.end_col_offset): c
                        for c in self.calls}

    def scope_cm_keywords(self, line):
        """Keywords of the arg_scope(...) returned by a function of the case file that is
        called on ``line`` (a scope context-manager factory)."""
        defs = {f.name: f for f in self.funcs if isinstance(f, ast.FunctionDef)}
        out = []
        for c in self.calls:
            if c.lineno == line and isinstance(c.func, ast.Name) and c.func.id in defs:
                for node in ast.walk(defs[c.func.id]):
                    if isinstance(node, ast.Return) and isinstance(node.value, ast.Call):
                        out += [kw.arg for kw in node.value.keywords if kw.arg]
        return out

    def call_at(self, pos):
        call = self.by_span.get(tuple(pos))
        if call is None and pos[0] is not None:
            inside = [c for c in self.calls if _span_contains(c, pos[0])]
            call = min(inside, key=_span_size) if inside else None
        return call

    def with_header_at(self, line):
        for w in self.withs:
            if _header_start(w) <= line <= _header_end(w):
                return w
        return None

    def enclosing_func(self, line):
        inside = [f for f in self.funcs if f.lineno <= line <= f.end_lineno]
        return min(inside, key=_span_size) if inside else None


def _span_contains(node, line):
    return node.lineno <= line <= node.end_lineno


def _span_size(node):
    return (node.end_lineno - node.lineno, node.end_col_offset - node.col_offset)


def _header_start(w):
    return w.lineno


def _header_end(w):
    return max(max(i.context_expr.end_lineno, i.optional_vars.end_lineno if i.optional_vars
                   else 0) for i in w.items)


@functools.lru_cache(maxsize=None)
def _index(path):
    return _AstIndex(load_case_file(path).tree)


@dataclasses.dataclass
class RunResult:
    exc: BaseException | None
    tb_text: str
    events: list
    unmapped: int
    stack_depth_after: int


_RUNS = {}


def run_case(case):
    """Execute one case (once per session) under the tracer."""
    key = case.id
    if key in _RUNS:
        return _RUNS[key]
    tf, slim = _tf()
    module = _case_module(str(case.file.path))
    fn = getattr(module, case.name)
    shape = list(getattr(fn, "shape", DEFAULT_SHAPE))
    asmod = _TF["asmod"]
    asmod._ARGSTACK[:] = [{}]
    tracer = _Tracer(case.file, _index(str(case.file.path)))
    exc, tb_text = None, ""
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape, name="x")
        old = sys.gettrace()
        sys.settrace(tracer)
        try:
            fn(x)
        except Exception as e:  # noqa: BLE001 - the oracle inspects every failure
            exc = e
        finally:
            sys.settrace(old)
    if exc is not None:
        tb_text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    depth = len(asmod._ARGSTACK)
    asmod._ARGSTACK[:] = [{}]
    result = RunResult(exc, tb_text, tracer.events, tracer.unmapped, depth)
    _RUNS[key] = result
    return result


def _blame(cf, exc):
    """(frame, (lineno, end_lineno, col, end_col)) of the innermost case-file frame."""
    tb, found = exc.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(cf.path):
            found = tb
        tb = tb.tb_next
    if found is None:
        return None, None
    pos = _positions(found.tb_frame.f_code, found.tb_lasti)
    if pos[0] is None:
        pos = (found.tb_lineno, found.tb_lineno, None, None)
    return found.tb_frame, pos


def _brought_by(cf, exc, call):
    """Is ``call`` on the traceback, in a case-file frame outside the innermost one (it
    called the function whose op call raised)?"""
    tb, frames = exc.__traceback__, []
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(cf.path):
            frames.append(tb)
        tb = tb.tb_next
    for tb in frames[:-1]:
        pos = _positions(tb.tb_frame.f_code, tb.tb_lasti)
        if pos[0] is not None and call.lineno <= pos[0] <= call.end_lineno:
            return True
    return False


def _positional_params(frame, failing):
    """The parameters the positional arguments of the op call ``failing`` bind."""
    if failing is None:
        return None
    callee = _eval_in(frame, failing.func)
    params = list(inspect.signature(callee).parameters)
    return [params[i] for i, a in enumerate(failing.args)
            if not isinstance(a, ast.Starred) and i < len(params)]


def op_call(frame, event):
    """For a trace event: (the frame that called the op — past slim.repeat/stack, which
    make the layer calls for their caller —, the locals of the ``func_with_args`` that hands
    the call to the undecorated op) when ``frame`` is that undecorated op starting, else
    None. ``current_args`` in those locals is exactly the keyword dict the op receives."""
    if event != "call":
        return None
    wrapper = frame.f_back
    fwa = _TF["fwa_code"]
    if wrapper is None or wrapper.f_code is not fwa or frame.f_code is fwa:
        return None
    caller = wrapper.f_back
    slim = _TF["slim"]
    if caller is not None and caller.f_code in (slim.repeat.__code__, slim.stack.__code__):
        caller = caller.f_back
    local = wrapper.f_locals
    if caller is None or getattr(local.get("func"), "__code__", None) is not frame.f_code:
        return None  # current_arg_scope() and the like, not the op itself
    return caller, local


def _eval_in(frame, node):
    return eval(compile(ast.Expression(node), "<oracle>", "eval"), frame.f_globals,
                dict(frame.f_locals))


def _arg_scope_call(w, line):
    for item in w.items:
        ce = item.context_expr
        if _span_contains(ce, line) and isinstance(ce, ast.Call):
            return ce
    return None


def explain(cf, line, code, exc):
    """None if `exc` is exactly what expectation (line, code) predicts, else the reason."""
    _tf()
    slim = _TF["slim"]
    idx = _index(str(cf.path))
    frame, pos = _blame(cf, exc)
    if frame is None:
        return "no traceback frame inside the case file"
    blame_line = pos[0]
    msg = str(exc)

    if code in WITH_ENTRY_CODES:
        w = idx.with_header_at(line)
        if w is None:
            return f"line {line} is not inside a `with` header"
        if not _header_start(w) <= blame_line <= _header_end(w):
            return f"raised at line {blame_line}, outside the with header {w.lineno}-{_header_end(w)}"
        if code == "ASC403":
            want, frag = TypeError, "list_ops_or_scope must either be a list/tuple or reused scope"
        elif code == "ASC404":
            want, frag = ValueError, "kwargs must be empty"
        else:  # ASC301
            call = _arg_scope_call(w, line)
            if call is None or not call.args or not isinstance(call.args[0], (ast.List, ast.Tuple)):
                return "ASC301 expectation not on an arg_scope list element"
            elts = call.args[0].elts
            target = [e for e in elts if _span_contains(e, line)]
            if not target:
                return f"ASC301: no list element on line {line}"
            for elt in elts:
                obj = _eval_in(frame, elt)
                if not slim.has_arg_scope(obj):
                    if elt not in target:
                        return f"an earlier element (line {elt.lineno}) is the undecorated one"
                    break
            else:
                return "every element is scope-enabled at run time"
            if hasattr(obj, "__module__") and hasattr(obj, "__name__"):
                want, frag = ValueError, "is not decorated with @add_arg_scope"
            else:
                want, frag = AttributeError, "has no attribute"
    elif code in ("ASC401", "ASC405"):
        if code == "ASC401":
            cands = [c for c in idx.calls
                     if any(not isinstance(a, ast.Starred) and _span_contains(a, line)
                            for a in c.args)]
            call = min(cands, key=_span_size) if cands else None
        else:
            cands = [c for c in idx.calls if c.lineno == line]
            call = min(cands, key=lambda c: c.col_offset) if cands else None
        if call is None:
            return f"no call for {code} on line {line}"
        forwarded = None
        if not _span_contains(call, blame_line):
            forwarded = _forwarded_names(cf, idx, exc, call, line) if code == "ASC401" else None
            if forwarded is None and _brought_by(cf, exc, call):
                # a call of a project function that runs its body under this scope (the
                # forward findings): the op call that raised is deeper, inside the file
                forwarded = _positional_params(frame, idx.call_at(pos))
            if forwarded is None:
                return (f"raised at line {blame_line}, outside the call "
                        f"{call.lineno}-{call.end_lineno}")
        want = TypeError
        if code == "ASC405":
            frag = "convolution() got multiple values for argument"
        else:
            # the clashing parameter must be one bound by a positional argument on `line`
            names = forwarded or []
            for callee, args in [] if forwarded is not None else _through_meta_op(
                    frame, _eval_in(frame, call.func), list(call.args), line):
                params = list(inspect.signature(callee).parameters)
                names += [params[i] for i, a in enumerate(args)
                          if not isinstance(a, ast.Starred) and _span_contains(a, line)
                          and i < len(params)]
            frag = "got multiple values for argument"
            m = re.search(r"got multiple values for argument '(\w+)'", msg)
            if m and m.group(1) not in names:
                return (f"clash on {m.group(1)!r}, not on a parameter passed positionally "
                        f"on line {line} ({names})")
    elif code == "ASC402":
        kws = [kw.arg for c in idx.calls for kw in c.keywords if kw.arg and kw.lineno == line]
        if not kws:
            # a call on the line of a case-file function that returns arg_scope(...): the
            # keywords are that call's, one finding each
            m = re.search(r"unexpected keyword argument '(\w+)'", msg)
            factory_kws = idx.scope_cm_keywords(line)
            if m and m.group(1) in factory_kws:
                kws = [m.group(1)]
        if not kws:
            # `**mapping` on the line, evaluated again in the blame frame: its keys count as
            # written there
            m = re.search(r"unexpected keyword argument '(\w+)'", msg)
            for c in idx.calls:
                for kw in c.keywords:
                    if kw.arg is None and kw.lineno == line and m and m.group(1) in _eval_in(
                            frame, kw.value):
                        kws = [m.group(1)]
        if len(kws) != 1:
            return f"ASC402 needs exactly one keyword on line {line}, found {kws}"
        kwname = kws[0]
        want, frag = TypeError, f"got an unexpected keyword argument '{kwname}'"
        failing = idx.call_at(pos)
        if failing is None:
            return f"no call at the blame position {pos}"
        callee = _eval_in(frame, failing.func)
        if not slim.has_arg_scope(callee):
            return f"failing call at line {failing.lineno} is not a scoped op"
        if kwname in inspect.signature(callee).parameters:
            return f"failing op accepts {kwname!r}"
        w = idx.with_header_at(line)
        if w is not None and idx.enclosing_func(w.lineno) is idx.enclosing_func(blame_line):
            body_start, body_end = w.body[0].lineno, w.body[-1].end_lineno
            if not body_start <= blame_line <= body_end:
                return f"raised at line {blame_line}, outside the with body {body_start}-{body_end}"
    else:
        return f"{code} is not a runtime-error code"

    if not isinstance(exc, want) or frag not in msg:
        return f"predicted {want.__name__} containing {frag!r}, got {type(exc).__name__}: {msg}"
    return None


def _forwarded_names(cf, idx, exc, call, line):
    """A case-file function that hands its ``*args`` on (``def f(x, k, *args): return
    slim.conv2d(x, *args)``), called by the ``call`` on ``line`` (directly or through
    repeat/stack) and raising inside: the op parameters that the positionals written on
    ``line`` land on; None when the traceback is not that shape."""
    tbs, tb = [], exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == str(cf.path):
            tbs.append(tb)
        tb = tb.tb_next
    if len(tbs) < 2:
        return None
    outer, inner = tbs[-2], tbs[-1]
    outer_pos = _positions(outer.tb_frame.f_code, outer.tb_lasti)
    if outer_pos[0] is None or not _span_contains(call, outer_pos[0]):
        return None
    inner_call = idx.call_at(_positions(inner.tb_frame.f_code, inner.tb_lasti))
    if inner_call is None or not inner_call.args or not isinstance(
            inner_call.args[-1], ast.Starred):
        return None
    skip = len(inner_call.args) - 1  # the op's positionals the forwarder writes itself
    own = inner.tb_frame.f_code.co_argcount  # the forwarder's named positionals
    params = list(inspect.signature(_eval_in(inner.tb_frame, inner_call.func)).parameters)
    names = []
    for _fwd, args in _through_meta_op(outer.tb_frame, _eval_in(outer.tb_frame, call.func),
                                       list(call.args), line):
        names += [params[skip + i - own] for i, a in enumerate(args)
                  if i >= own and not isinstance(a, ast.Starred) and _span_contains(a, line)
                  and skip + i - own < len(params)]
    return names


def _through_meta_op(frame, callee, args, line):
    """slim.repeat(inputs, n, layer, *args) calls layer(outputs, *args); slim.stack(inputs,
    layer, [args_1, ...]) calls layer(outputs, *args_i): the (callee, positionals) pairs the
    clash may be about (for stack, each element on ``line``)."""
    slim = _TF["slim"]
    if callee is slim.repeat and len(args) >= 3:
        return [(_eval_in(frame, args[2]), [args[0]] + args[3:])]
    if callee is slim.stack and len(args) == 3 and isinstance(args[2], (ast.List, ast.Tuple)):
        layer = _eval_in(frame, args[1])
        return [(layer, [args[0]] + (list(e.elts) if isinstance(e, (ast.Tuple, ast.List))
                                     else [e]))
                for e in args[2].elts if _span_contains(e, line)]
    return [(callee, args)]


def runtime_redundancy(events):
    """{line: always-redundant?}: a line counts as redundant when some keyword written on it
    was redundant on every execution of its call."""
    per_kw = {}
    for ev in events:
        key = (ev.line, ev.name)
        per_kw[key] = per_kw.get(key, True) and ev.redundant
    out = {}
    for (line, _name), always in per_kw.items():
        out[line] = out.get(line, False) or always
    return out


def check_runtime(case):
    """List of problems with the inline expectations of `case` (empty = all confirmed)."""
    cf = case.file
    res = run_case(case)
    problems = []
    exps = case.expectations()
    rt = sorted((ln, c) for (ln, c) in exps if c in RUNTIME_CODES)
    if len(rt) > 1:
        problems.append(f"more than one runtime-error expectation: {rt}")
    if res.exc is None:
        if rt:
            problems.append(f"expected a runtime error for {rt}, the case ran clean")
    else:
        cands = rt or sorted((ln, c) for (ln, c) in cf.helper_expectations()
                             if c in RUNTIME_CODES)
        reasons = {exp: explain(cf, exp[0], exp[1], res.exc) for exp in cands}
        if not any(r is None for r in reasons.values()):
            problems.append(f"unexplained {type(res.exc).__name__}: {res.exc}\n"
                            f"  expectations tried: {reasons or 'none'}\n{res.tb_text}")
    # After an E3/E3' (ASC301) the `finally: pop()` of arg_scope pops one scope too many
    # (docs/semantics.md §4.7), so the stack ends empty; otherwise it must be back to [{}].
    want_depth = 0 if (res.exc is not None and isinstance(res.exc, (ValueError, AttributeError))
                       and "decorated with @add_arg_scope" in str(res.exc)
                       or isinstance(res.exc, AttributeError)) else 1
    if res.stack_depth_after != want_depth:
        problems.append(f"arg_scope stack depth {res.stack_depth_after} after the case "
                        f"(expected {want_depth})")

    red = runtime_redundancy(res.events)
    for (ln, c) in sorted(exps):
        if c == "ASC201":
            if ln not in red:
                problems.append(f"ASC201 line {ln}: no scoped call with a keyword on it ran")
            elif not red[ln]:
                problems.append(f"ASC201 line {ln}: keyword differs from the scope at run time")
    for ln, always in sorted(red.items()):
        if not case.contains(ln):
            continue  # helper region: see test_runtime_helper_region
        if always and (ln, "ASC201") not in exps and ln not in cf.notes:
            problems.append(f"line {ln}: keyword is redundant at run time but no ASC201 expected")
        if not always and ln in cf.notes:
            problems.append(f"line {ln}: marked redundant-ok but not redundant at run time")
    return problems


def confirmed_expectations():
    """{(path, line, code): confirmed?} for every runtime-checkable expectation."""
    out = {}
    for cf in CASE_FILES:
        runs = {case.name: run_case(case) for case in cf.cases}
        events = [ev for r in runs.values() for ev in r.events]
        red = runtime_redundancy(events)
        for (ln, code) in sorted(cf.expected):
            if code in SKIPPED_CODES:
                continue
            key = (cf.path.name, ln, code)
            if code == "ASC201":
                out[key] = red.get(ln, False)
                continue
            owner = cf.case_at(ln)
            cases = [owner] if owner else cf.cases
            ok = False
            for case in cases:
                exc = runs[case.name].exc
                if exc is not None and explain(cf, ln, code, exc) is None:
                    ok = True
            out[key] = ok
    return out


# ---------------------------------------------------------------------------------------
# tests: runtime half


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_runtime_expectations(case):
    problems = check_runtime(case)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("cf", CASE_FILES, ids=lambda cf: cf.path.stem)
def test_runtime_helper_region(cf):
    """Expectations outside case functions are confirmed by at least one case of the file."""
    runs = [run_case(case) for case in cf.cases]
    red = runtime_redundancy([ev for r in runs for ev in r.events])
    problems = []
    conf = confirmed_expectations()
    for (ln, code) in sorted(cf.helper_expectations()):
        if code in SKIPPED_CODES:
            continue
        if not conf[(cf.path.name, ln, code)]:
            problems.append(f"helper line {ln} {code} not confirmed by any case")
    for ln, always in sorted(red.items()):
        if cf.case_at(ln) is None and always and (ln, "ASC201") not in cf.expected \
                and ln not in cf.notes:
            problems.append(f"helper line {ln}: redundant at run time but no ASC201 expected")
    assert not problems, "\n".join(problems)


def test_cases_are_well_formed():
    for cf in CASE_FILES:
        assert cf.cases, f"{cf.path.name}: no case_ functions"
        names = [case.name for case in cf.cases]
        assert len(names) == len(set(names)), f"{cf.path.name}: duplicate case names"
        for (ln, code) in cf.expected:
            assert code in ORACLE_CODES, f"{cf.path.name}:{ln}: unknown code {code}"


# ---------------------------------------------------------------------------------------
# tests: linter half


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_linter_agrees(case):
    found = {(ln, c) for (ln, c) in linter_findings(str(case.file.path)) if case.contains(ln)}
    expected = {(ln, c) for (ln, c) in case.expectations() if c not in SKIPPED_CODES}
    assert found == expected, (
        f"{case.id}: linter reported {_fmt(found - expected)} unexpectedly, "
        f"missed {_fmt(expected - found)}")


@pytest.mark.parametrize("cf", CASE_FILES, ids=lambda cf: cf.path.stem)
def test_linter_agrees_helper_region(cf):
    found = {(ln, c) for (ln, c) in linter_findings(str(cf.path)) if cf.case_at(ln) is None}
    expected = {(ln, c) for (ln, c) in cf.helper_expectations() if c not in SKIPPED_CODES}
    assert found == expected, (
        f"{cf.path.name} (outside case functions): linter reported "
        f"{_fmt(found - expected)} unexpectedly, missed {_fmt(expected - found)}")


# ---------------------------------------------------------------------------------------
# summary (keep last)


def test_zz_agreement_summary(capsys):
    conf = confirmed_expectations()
    per_code = collections.defaultdict(lambda: [0, 0])
    for (_f, _ln, code), ok in conf.items():
        per_code[code][1] += 1
        per_code[code][0] += ok
    try:
        lint = {(cf.path.name, ln, c) for cf in CASE_FILES
                for (ln, c) in linter_findings(str(cf.path))}
    except Exception as exc:  # pragma: no cover - checker not importable
        lint, lint_error = set(), repr(exc)
    else:
        lint_error = None
    negatives = [c for c in ALL_CASES if _is_negative(c)]
    clean = [c for c in negatives if run_case(c).exc is None and not check_runtime(c)]
    lines = ["", "argscope runtime oracle: agreement summary",
             f"{'code':8} {'runtime-confirmed/expected':>27} {'linter-reported∩expected/linter':>32}"]
    for code in ORACLE_CODES:
        if code in SKIPPED_CODES:
            lines.append(f"{code:8} skipped: {SKIPPED_CODES[code]}")
            continue
        ok, total = per_code.get(code, [0, 0])
        lc = {k for k in lint if k[2] == code}
        agree = sum(1 for k in lc if conf.get(k))
        lines.append(f"{code:8} {f'{ok}/{total}':>27} {f'{agree}/{len(lc)}':>32}")
    lines.append(f"negative cases (no expectation) that ran clean: {len(clean)}/{len(negatives)}")
    lines.append(f"cases: {len(ALL_CASES)} in {len(CASE_FILES)} files; scoped calls from case "
                 f"files whose call node could not be mapped: "
                 f"{sum(run_case(c).unmapped for c in ALL_CASES)}")
    if _TF.get("keras_shim"):
        lines.append("note: aliased tf_keras.src.legacy_tf_layers as tf_keras.legacy_tf_layers")
    if lint_error:
        lines.append(f"linter unavailable: {lint_error}")
    if "config_error" in _LINTER_STATE:
        lines.append(f"linter option setup failed: {_LINTER_STATE['config_error']}")
    with capsys.disabled():
        print("\n".join(lines))
    bad = sorted(k for k, ok in conf.items() if not ok)
    assert not bad, f"expectations not confirmed by the runtime: {bad}"
    assert len(clean) == len(negatives), (
        f"negative cases not clean: {[c.id for c in negatives if c not in clean]}")
