"""explain against the nets tf-slim 1.1.0 ships, built by a factory of research/slim's shape
(nets/factory.py) under the real runtime.

Every call of a scope-enabled op made from a file of ``tf_slim/nets`` is caught as tf-slim's
``func_with_args`` hands it to the undecorated function (the trace technique of
test_cli_oracle.py): the keyword dict it really receives. ``batch_norm`` and ``layer_norm``
do not run on TF 2.21, so their undecorated functions are replaced inside the decorator's
closure by one that returns its input (keeping the scope key): what they receive is still
recorded. Each net file is then explained, and for every recorded call explain's report at
that call must name only keywords the call received, each with the received value where
explain shows a literal. (The scope a caller brings — here the factory's — is what explain
cannot see yet: the share of received keywords it names is printed and kept from falling.)
"""

from __future__ import annotations

import ast
import functools
import os
import sys

import pytest

import test_oracle as oracle
from flake8_argscope.api import Config
from flake8_argscope.cli.explain import explain_source

NETS = ("alexnet_v2", "overfeat", "vgg_a", "vgg_16", "vgg_19", "inception_v1", "inception_v2",
        "inception_v3", "resnet_v1_50", "resnet_v2_50")
_NOT_RUN = ("batch_norm", "layer_norm")


class _Received:
    """Trace function: every op call made from a file under ``root``."""

    def __init__(self, root: str):
        self.root = root
        self.calls = []  # (file, positions, op name, {name: value})

    def __call__(self, frame, event, arg):
        found = oracle.op_call(frame, event)
        if found is None or not found[0].f_code.co_filename.startswith(self.root):
            return None
        caller, local = found
        self.calls.append((caller.f_code.co_filename,
                           oracle._positions(caller.f_code, caller.f_lasti),
                           frame.f_code.co_name, dict(local.get("current_args") or {})))
        return None


def _not_run(slim):
    """Replace the undecorated batch_norm/layer_norm in their decorators' closures."""
    from tf_slim.ops.arg_scope import arg_scope_func_key

    for name in _NOT_RUN:
        op = getattr(slim, name)
        for cell in op.__closure__ or ():
            original = cell.cell_contents
            if getattr(original, "__name__", None) == name and callable(original):
                def identity(inputs, *args, **kwargs):
                    return inputs
                identity.__name__ = name
                identity._key_op = arg_scope_func_key(original)  # the scope's key stays
                cell.cell_contents = identity
                break
        else:
            raise AssertionError(f"no undecorated {name} in the closure of slim.{name}")


_BUILT: dict[tuple[str, bool], list] = {}


def _build(name, factory_scope=True):
    """The op calls of one net, built by the factory (``factory_scope``) or by calling the
    net function alone, outside any scope."""
    if (name, factory_scope) not in _BUILT:
        tf, slim = oracle._tf()
        _not_run(slim)
        sys.path.insert(0, os.path.dirname(__file__))
        try:
            from nets import factory
        finally:
            sys.path.pop(0)
        import tf_slim.nets

        root = os.path.dirname(tf_slim.nets.__file__) + os.sep
        tracer = _Received(root)
        fn = factory.get_network_fn(name, num_classes=10, is_training=False)
        size = fn.default_image_size
        if not factory_scope:
            fn = functools.partial(factory.networks_map[name], num_classes=10,
                                   is_training=False)
        oracle._TF["asmod"]._ARGSTACK[:] = [{}]
        with tf.Graph().as_default():
            images = tf.compat.v1.placeholder(tf.float32, [1, size, size, 3])
            old = sys.gettrace()
            sys.settrace(tracer)
            try:
                fn(images)
            finally:
                sys.settrace(old)
        _BUILT[(name, factory_scope)] = tracer.calls
    return _BUILT[(name, factory_scope)]


_REPORTS: dict[str, dict] = {}


def _reports(path):
    """explain's reports of one net file, by (line, col) and the file's call index."""
    if path not in _REPORTS:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        at: dict = {}
        for r in explain_source(source, path, Config()):
            at.setdefault((r["line"], r["col"]), []).append(r)
        _REPORTS[path] = {"at": at, "index": oracle._AstIndex(ast.parse(source))}
    return _REPORTS[path]


def _literal(text):
    try:
        return True, ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def _wrong(report, received):
    """What explain says that the runtime contradicts (empty: nothing)."""
    wrong = []
    for kw, info in report["keywords"].items():
        if kw not in received:
            wrong.append(f"names {kw}, not received")
            continue
        value = info.get("value")
        known, literal = _literal(value) if isinstance(value, str) else (False, None)
        if known and not oracle.equivalent(literal, received[kw]) and not (
                isinstance(received[kw], (list, tuple)) and list(received[kw]) == literal):
            wrong.append(f"{kw}={value}, received {received[kw]!r}")
    return wrong


# net -> (calls, with a report, named exactly, received, named, unnamed, unnamed that only
# the factory's scope supplies)
_TALLY: dict[str, tuple[int, ...]] = {}


@pytest.mark.parametrize("name", NETS)
def test_explain_names_only_what_net_calls_receive(name):
    calls = _build(name)
    assert calls, f"{name}: no op call recorded"
    alone = _build(name, factory_scope=False)
    assert len(alone) == len(calls), f"{name}: the factory's scope changed the calls made"
    problems, named, received_total, exact, reported, unnamed, callers = [], 0, 0, 0, 0, 0, 0
    for (path, position, op, received), (_p, _pos, _op, without) in zip(calls, alone):
        info = _reports(path)
        call = info["index"].call_at(position)
        received_total += len(received)
        candidates = info["at"].get((call.lineno, call.col_offset + 1), []) if call else []
        names = set(candidates[0]["keywords"]) if len(candidates) == 1 else set()
        unnamed += len(set(received) - names)
        callers += len(set(received) - names - set(without))
        if not candidates:
            continue  # a call explain does not resolve (a parameter, a helper's argument)
        reported += 1
        verdicts = [_wrong(r, received) for r in candidates]
        best = min(verdicts, key=len)
        if best:
            where = f"{os.path.basename(path)}:{call.lineno}"
            problems.append(f"{name}: {op} at {where}: {'; '.join(best)}")
            continue
        report = candidates[verdicts.index(best)]
        named += len(report["keywords"])
        exact += set(report["keywords"]) == set(received)
    _TALLY[name] = (len(calls), reported, exact, received_total, named, unnamed, callers)
    assert not problems, "\n".join(problems)


def test_nets_summary():
    """The figures the README states; the floor keeps them from falling unnoticed."""
    if len(_TALLY) != len(NETS):
        pytest.skip("the per-net tests did not all run")
    calls = sum(t[0] for t in _TALLY.values())
    reported = sum(t[1] for t in _TALLY.values())
    exact = sum(t[2] for t in _TALLY.values())
    received = sum(t[3] for t in _TALLY.values())
    named = sum(t[4] for t in _TALLY.values())
    unnamed = sum(t[5] for t in _TALLY.values())
    callers = sum(t[6] for t in _TALLY.values())
    print(f"\ntf_slim nets: {calls} op calls, {reported} with a report, {exact} named exactly; "
          f"explain names {named} of {received} received keywords ({named / received:.1%}), "
          f"none wrong; of the {unnamed} it does not name, {callers} "
          f"({callers / unnamed:.1%}) are received only under the factory's scope")
    assert calls >= 500 and named >= 0.4 * received, _TALLY  # 536 calls, 42.0 % on 2026-12-06
