"""The command line against the real tf-slim (graph mode), on the oracle's case files.

* ``explain``: while a case runs, every call of a scope-enabled op made from the case file
  is caught as tf-slim's ``func_with_args`` hands it to the undecorated function (the
  trace's ``call`` event of that function: its caller's ``current_args`` is exactly the
  keyword dict it receives). Ops that op calls in turn are not counted (their caller is
  tf-slim, not the case file). Each recorded call must match one of explain's reports at
  that call: every name explain says is received is received, with the same origin (the
  call's own keywords — call, partial, meta-op — or the scope); for calls written directly in
  a ``case_*`` function (the oracle calls it with no scope in force) nothing else is
  received but what explain names as possible (``incomplete``).
* ``fix``: every case whose runtime error a safe fix removes runs without error on the fixed
  file, no case that ran starts raising, and with ASC201 fixes alone every call receives the
  same keyword names with equivalent values at run time, and explain shows the same names
  with the same value source (as syntax) before and after.
"""

from __future__ import annotations

import ast
import collections
import importlib.util
import sys

import pytest

import test_oracle as oracle
from flake8_argscope.api import Config
from flake8_argscope.cli.explain import explain_source
from flake8_argscope.cli.fix import fix_text
from flake8_argscope.cli.workspace import finding_codes

_FROM_CALL = {"call": "call", "partial": "call", "meta-op": "call", "scope": "scope"}


class Received:
    """Trace function: (line, col) of the call in the case file -> what the op got."""

    def __init__(self, filename, tree):
        self.filename = filename
        self.index = oracle._AstIndex(tree)
        self.calls = []  # (position | None, op name, {name: (origin, value)})

    def __call__(self, frame, event, arg):
        found = oracle.op_call(frame, event)
        if found is None or found[0].f_code.co_filename != self.filename:
            return None
        caller, local = found
        given, received = local.get("kwargs") or {}, local.get("current_args") or {}
        call = self.index.call_at(oracle._positions(caller.f_code, caller.f_lasti))
        position = (call.lineno, call.col_offset + 1) if call is not None else None
        self.calls.append((position, frame.f_code.co_name, {
            name: ("call" if name in given else "scope", value)
            for name, value in received.items()}))
        return None


_MODULES = {}


def _load(path, name):
    if name not in _MODULES:
        oracle._tf()
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _MODULES[name] = module
    return _MODULES[name]


def run_traced(path, source, module_name, case_name):
    """(exception or None, recorded calls) of one case of the file at ``path``."""
    tf, _slim = oracle._tf()
    module = _load(path, module_name)
    fn = getattr(module, case_name)
    asmod = oracle._TF["asmod"]
    asmod._ARGSTACK[:] = [{}]
    tracer = Received(str(path), ast.parse(source))
    exc = None
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, list(getattr(fn, "shape", oracle.DEFAULT_SHAPE)),
                                     name="x")
        old = sys.gettrace()
        sys.settrace(tracer)
        try:
            fn(x)
        except Exception as e:  # noqa: BLE001 - a case may raise: that is what it tests
            exc = e
        finally:
            sys.settrace(old)
            asmod._ARGSTACK[:] = [{}]
    return exc, tracer.calls


def _mismatch(report, received, strict):
    """None when explain's report agrees with what the op received, else why not."""
    names = set(report["keywords"])
    got = set(received)
    if not names <= got:
        return f"explain names {sorted(names - got)}, not received"
    for name in names:
        said = _FROM_CALL[report["keywords"][name]["from"]]
        if said != received[name][0]:
            return f"{name}: explain says from {said}, received from {received[name][0]}"
    if strict:
        maybe = set()
        for inc in report["incomplete"]:
            if inc.get("names") == "*":
                return None
            maybe |= set(inc.get("names") or ())
        extra = got - names - maybe
        if extra:
            return f"received {sorted(extra)}, which explain does not name"
    return None


@pytest.mark.parametrize("cf", oracle.CASE_FILES, ids=lambda cf: cf.path.stem)
def test_explain_matches_received_keywords(cf):
    reports = explain_source(cf.src, str(cf.path), Config())
    at = {}
    for r in reports:
        at.setdefault((r["line"], r["col"]), []).append(r)
    index = oracle._AstIndex(cf.tree)
    problems, checked = [], 0
    for case in cf.cases:
        _exc, calls = run_traced(cf.path, cf.src, f"argscope_cli_oracle.{cf.path.stem}",
                                 case.name)
        for position, op, received in calls:
            if position is None:
                problems.append(f"{case.name}: a call of {op} not located in the file")
                continue
            candidates = at.get(position, [])
            if not candidates:
                problems.append(f"{case.name}: explain has no report for {op} at {position}")
                continue
            owner = index.enclosing_func(position[0])
            strict = getattr(owner, "name", None) == case.name
            why = [_mismatch(r, received, strict) for r in candidates]
            if all(w is not None for w in why):
                problems.append(f"{case.name}: {op} at {position}: {why[0]}")
            checked += 1
    _CHECKED[cf.path.stem] = checked
    assert not problems, "\n".join(problems)


_CHECKED: dict[str, int] = {}


def test_explain_checked_enough_calls():
    """The comparison above saw real calls (files whose cases all raise at the with see
    none)."""
    total = sum(_CHECKED.values())
    print(f"explain vs run time: {total} op calls in {len(_CHECKED)} files")
    assert len(_CHECKED) == len(oracle.CASE_FILES) and total >= 50, _CHECKED


def _fixed_file(tmp_path, cf, selected=()):
    out = fix_text(cf.src, str(cf.path), Config(), selected)
    path = tmp_path / cf.path.name
    path.write_text(out.source, encoding="utf-8")
    return out, path


@pytest.mark.parametrize("cf", oracle.CASE_FILES, ids=lambda cf: cf.path.stem)
def test_safe_fixes_make_cases_run(cf, tmp_path):
    out, path = _fixed_file(tmp_path, cf)
    fixed_lines = {(line, msg[:6]) for (line, _col, msg), _what in out.fixed}
    problems = []
    ran_fixed = 0
    for case in cf.cases:
        before = oracle.run_case(case).exc
        errors = {e for e in case.expectations() if e[1] in oracle.RUNTIME_CODES}
        if before is not None and not errors & fixed_lines:
            continue  # an error no safe fix removes
        after, _calls = run_traced(path, out.source, f"argscope_cli_fixed.{cf.path.stem}",
                                   case.name)
        if after is not None:
            state = "raised before too" if before is not None else "ran before"
            problems.append(f"{case.name} ({state}) raises after fix: "
                            f"{type(after).__name__}: {after}")
        ran_fixed += before is not None
    _FIXED_RUNS[cf.path.stem] = ran_fixed
    assert not problems, "\n".join(problems)
    if any(line for (line, code) in fixed_lines if code in oracle.RUNTIME_CODES):
        assert ran_fixed, "a runtime error was fixed, but no case confirmed it"


_FIXED_RUNS: dict[str, int] = {}


def test_fixes_confirmed_summary():
    total = sum(_FIXED_RUNS.values())
    print(f"cases that raised and run clean after the safe fixes: {total} "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(_FIXED_RUNS.items()) if v)})")
    assert total >= 5, _FIXED_RUNS


def _values(reports):
    """Each call's received names with their values as syntax (source layout aside)."""
    out = []
    for r in reports:
        out.append({name: None if info["value"] is None else ast.dump(ast.parse(
            f"(\n{info['value']}\n)", mode="eval"))
            for name, info in r["keywords"].items()})
    return out


@pytest.mark.parametrize("cf", oracle.CASE_FILES, ids=lambda cf: cf.path.stem)
def test_safe_asc201_fixes_keep_what_calls_receive(cf, tmp_path):
    out, path = _fixed_file(tmp_path, cf, ("ASC201",))
    if out.source == cf.src:
        pytest.skip("no ASC201 fix in this file")
    assert _values(explain_source(out.source, str(path), Config())) == _values(
        explain_source(cf.src, str(cf.path), Config()))
    problems = _compare_runs(cf, path, out.source, "argscope_cli_201")
    assert not problems, "\n".join(problems)


def _compare_runs(cf, path, source, module_prefix):
    """What every op call receives, case by case, in the case file and in ``source``."""
    problems = []
    for case in cf.cases:
        exc1, calls1 = run_traced(cf.path, cf.src, f"argscope_cli_oracle.{cf.path.stem}",
                                  case.name)
        exc2, calls2 = run_traced(path, source, f"{module_prefix}.{cf.path.stem}", case.name)
        if type(exc1) is not type(exc2):
            problems.append(f"{case.name}: {exc1!r} before, {exc2!r} after")
        if len(calls1) != len(calls2):
            problems.append(f"{case.name}: {len(calls1)} op calls before, {len(calls2)} after")
            continue
        for (_p1, op, got1), (_p2, _op, got2) in zip(calls1, calls2):
            if set(got1) != set(got2):
                problems.append(f"{case.name}: {op} received {sorted(got1)} before, "
                                f"{sorted(got2)} after")
                continue
            for name in got1:
                if not oracle.equivalent(got1[name][1], got2[name][1]):
                    problems.append(f"{case.name}: {op} {name}: {got1[name][1]!r} before, "
                                    f"{got2[name][1]!r} after")
    return problems


_ABSORBED: dict[str, tuple[int, int]] = {}


@pytest.mark.parametrize("cf", oracle.CASE_FILES, ids=lambda cf: cf.path.stem)
def test_absorb_keeps_what_calls_receive(cf, tmp_path):
    """ASC101's fix (absorb, unsafe): every op call of every case receives the same keyword
    names and values before and after; a second run changes nothing; no finding appears."""
    out = fix_text(cf.src, str(cf.path), Config(), ("ASC101",), unsafe=True)
    fixed = sum(1 for (_f, what) in out.fixed if what.startswith("absorbed"))
    _ABSORBED[cf.path.stem] = (fixed, len(out.refused))
    for (_line, _col, msg), why in out.refused:
        assert why, f"a refusal without a reason: {msg}"
    if out.source == cf.src:
        pytest.skip("nothing absorbed in this file")
    path = tmp_path / cf.path.name
    path.write_text(out.source, encoding="utf-8")
    again = fix_text(out.source, str(path), Config(), ("ASC101",), unsafe=True)
    assert again.source == out.source, "a second run changed the file"

    before, after = finding_codes(cf.src, str(cf.path)), finding_codes(out.source, str(path))
    assert after - before == collections.Counter(), f"new findings: {after - before}"
    assert before["ASC101"] - after["ASC101"] == fixed
    problems = _compare_runs(cf, path, out.source, "argscope_cli_absorb")
    assert not problems, "\n".join(problems)


def test_absorb_summary():
    if len(_ABSORBED) != len(oracle.CASE_FILES):
        pytest.skip("the per-file tests did not all run")
    fixed = sum(f for f, _r in _ABSORBED.values())
    refused = sum(r for _f, r in _ABSORBED.values())
    print(f"\nabsorb on the oracle cases: {fixed} ASC101 groups absorbed, {refused} refused")
    assert fixed >= 4 and _ABSORBED["absorb_shapes"] == (4, 1), _ABSORBED


_INLINED: dict[str, tuple[int, int]] = {}


@pytest.mark.parametrize("cf", oracle.CASE_FILES, ids=lambda cf: cf.path.stem)
def test_inline_keeps_what_calls_receive(cf, tmp_path):
    """inline: every op call of every case receives the same keyword names and values
    before and after; refusals carry reasons; a second run changes nothing; no finding
    appears but ASC101."""
    from flake8_argscope.cli.inline import inline_project

    path = tmp_path / cf.path.name
    path.write_text(cf.src, encoding="utf-8")
    result = inline_project([str(path)], Config())
    [(_p, out)] = result.outcomes
    _INLINED[cf.path.stem] = (len(out.inlined), len(out.refused))
    assert all(why for _line, why in out.refused)
    if out.source == cf.src:
        pytest.skip("nothing inlined in this file")
    path.write_text(out.source, encoding="utf-8")
    assert inline_project([str(path)], Config()).changed == {}, "a second run changed it"
    grown = finding_codes(out.source, str(path)) - finding_codes(cf.src, str(cf.path))
    grown.pop("ASC101", None)  # the repetition inlining writes on purpose
    assert not grown, f"new findings: {grown}"
    problems = _compare_runs(cf, path, out.source, "argscope_cli_inline")
    assert not problems, "\n".join(problems)


def test_inline_summary():
    if len(_INLINED) != len(oracle.CASE_FILES):
        pytest.skip("the per-file tests did not all run")
    inlined = sum(i for i, _r in _INLINED.values())
    refused = sum(r for _i, r in _INLINED.values())
    print(f"\ninline on the oracle cases: {inlined} scopes inlined, {refused} refused")
    assert inlined >= 10, _INLINED
