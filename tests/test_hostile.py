"""Hostile input files, generated at test time into a temporary directory.

Every file of :data:`hostile.files.HOSTILE` (20,000-line model, 200-deep
``with``/call nesting, 1 MB string, 100k-element first argument, non-UTF-8,
NUL bytes, coding cookies, Python 2, CRLF/CR/form feeds, empty, comments
only, ...) is checked two ways:

* in-process, read and parsed exactly the way flake8 does it
  (``FileProcessor`` + ``ast.parse``): the checker must not raise (nor
  swallow an internal error, see ``hostile.harness.STRICT``), results must be
  well formed, and the checker alone must finish within ``PLUGIN_BOUND``;
* through the real executable, ``python -m flake8 --select ASC,E999,E902``:
  no traceback, no plugin failure, exit code 0/1, well-formed output lines,
  E999/E902 only where CPython itself refuses the file, and wall time within
  ``FLAKE8_BOUND`` (that includes flake8's own pycodestyle/pyflakes work).

The flake8 subprocesses run in a 2-worker background pool while the
in-process tests run.  A timing table (worst case per file) is printed at the
end of the module, also without ``-s``.
"""
from __future__ import annotations

import ast
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hostile import harness  # noqa: E402
from hostile.files import HOSTILE  # noqa: E402


def _env_float(name, default):
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


PLUGIN_BOUND = _env_float("ARGSCOPE_HOSTILE_BOUND", 30.0)
FLAKE8_BOUND = _env_float("ARGSCOPE_HOSTILE_FLAKE8_BOUND", 60.0)
#: Files up to this size are linted by one shared flake8 invocation (saves
#: ~0.5 s of start-up per file); bigger ones get their own, timed, run.
BATCH_MAX_BYTES = 100_000
SELECT = ("--select", "ASC,E999,E902")
NAMES = sorted(HOSTILE)

TIMINGS: dict = {}  # name -> {"bytes", "lines", "plugin", "flake8", "note"}


class _PluginTimeout(BaseException):
    """Raised by SIGALRM inside the checker; BaseException so it is not swallowed."""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    for name, spec in HOSTILE.items():
        data = spec.build()
        (root / name).write_bytes(data)
        TIMINGS[name] = {"bytes": len(data), "lines": data.count(b"\n"),
                         "plugin": None, "flake8": None, "note": "",
                         "nul": b"\0" in data}
    return root


@pytest.fixture(scope="module")
def flake8_futures(hostile_dir, request):
    wanted = _selected_names(request)
    big = sorted((n for n in wanted if not _batched(n)),
                 key=lambda n: -TIMINGS[n]["bytes"])
    small = [n for n in wanted if n not in big]
    env = harness.subprocess_env()
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="flake8-hostile")

    def run(names):
        try:
            return harness.run_flake8(names, *SELECT, cwd=hostile_dir, env=env,
                                      timeout=FLAKE8_BOUND + 5)
        except Exception as exc:  # TimeoutExpired etc.: reported by the test
            return exc

    futures = {}
    for name in big:
        futures[name] = pool.submit(run, [name])
    batch = pool.submit(run, small)
    for name in small:
        futures[name] = batch
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)
    _print_table(request)


def _selected_names(request):
    """Hostile files whose executable test is selected (``-k`` friendly)."""
    names = []
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if (callspec is not None and item.module is sys.modules[__name__]
                and item.originalname == "test_hostile_flake8_executable"):
            names.append(callspec.params["name"])
    return sorted(set(names))


def _batched(name):
    # NUL bytes crash flake8's own tokenizing on some Pythons (3.13.0 with flake8 7.5: a
    # SystemError in a pool worker), and a crashed worker can hang the whole shared run: those
    # files run alone, where flake8 uses no pool
    return (TIMINGS[name]["bytes"] <= BATCH_MAX_BYTES and not HOSTILE[name].foreign_crash_ok
            and not TIMINGS[name]["nul"])


def _print_table(request):
    rows = sorted(TIMINGS.items(),
                  key=lambda kv: -max(kv[1]["flake8"] or 0, kv[1]["plugin"] or 0))
    out = ["", "flake8-argscope hostile inputs: worst-case time per file "
           f"(plugin in-process bound {PLUGIN_BOUND:.0f}s, flake8 wall bound {FLAKE8_BOUND:.0f}s)",
           f"{'file':32s} {'bytes':>9s} {'lines':>7s} {'plugin s':>9s} {'flake8 s':>9s}  note"]
    for name, t in rows:
        if t["plugin"] is None and t["flake8"] is None and not t["note"]:
            continue  # deselected
        plugin = "-" if t["plugin"] is None else f"{t['plugin']:.2f}"
        flake8 = "-" if t["flake8"] is None else f"{t['flake8']:.2f}"
        out.append(f"{name:32s} {t['bytes']:>9d} {t['lines']:>7d} {plugin:>9s} {flake8:>9s}  "
                   f"{t['note']}")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capman = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capman is None:  # pragma: no cover
        print("\n".join(out))
        return
    with capman.global_and_fixture_disabled():
        for line in out:
            reporter.write_line(line)


def _flake8_parses(path):
    """(processor, tree or None, error) -- the file read/parsed as flake8 does."""
    processor = harness.make_processor(str(path))
    try:
        return processor, ast.parse("".join(processor.lines)), None
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return processor, None, exc


def _flake8_itself_crashes(run, path) -> bool:
    """flake8's own file processing raised, not this plugin: on a file CPython refuses, some
    Python/flake8 pairs crash inside flake8/processor.py (3.9-3.11: ast.parse raises ValueError
    for NUL bytes, which flake8 does not catch; 3.13 with flake8 7.5: its tokenizer re-raises
    while flake8 reports E999)."""
    _, _tree, error = _flake8_parses(path)
    return (error is not None and os.path.join("flake8", "processor.py") in run.stderr
            and "flake8_argscope" not in run.stderr)


def _run_with_alarm(fn, seconds):
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        return fn()

    def on_alarm(signum, frame):
        raise _PluginTimeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return fn()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------
# in-process
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_hostile_in_process(name, hostile_dir, flake8_futures):
    spec = HOSTILE[name]
    path = hostile_dir / name
    processor, tree, error = _flake8_parses(path)
    if spec.parses is not None:
        assert (tree is not None) == spec.parses, (
            f"generator assumption: CPython {'refused' if tree is None else 'accepted'} "
            f"{name} ({error!r})")
    if tree is None:
        TIMINGS[name]["note"] = f"not parsed by CPython: {type(error).__name__}"
        return
    start = time.perf_counter()
    try:
        results = _run_with_alarm(
            lambda: harness.run_checker_on_tree(tree, processor.lines, str(path),
                                                processor=processor),
            PLUGIN_BOUND)
    except _PluginTimeout:
        TIMINGS[name]["plugin"] = time.perf_counter() - start
        TIMINGS[name]["note"] = "PLUGIN TIMEOUT"
        pytest.fail(f"checker did not finish {name} within {PLUGIN_BOUND:.0f}s")
    except harness.InternalError as exc:
        TIMINGS[name]["plugin"] = time.perf_counter() - start
        TIMINGS[name]["note"] = "internal error swallowed"
        pytest.fail(f"checker swallowed an internal error on {name}:\n{str(exc)[-3000:]}")
    elapsed = time.perf_counter() - start
    TIMINGS[name]["plugin"] = elapsed
    TIMINGS[name]["note"] = f"{len(results)} findings"
    harness.check_results(results, processor.lines, context=name)
    assert elapsed <= PLUGIN_BOUND


# --------------------------------------------------------------------------
# the flake8 executable
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_hostile_flake8_executable(name, hostile_dir, flake8_futures):
    spec = HOSTILE[name]
    future = flake8_futures.get(name)
    if future is None:
        run = harness.run_flake8([name], *SELECT, cwd=hostile_dir, env=harness.subprocess_env(),
                                 timeout=FLAKE8_BOUND + 5)
    else:
        run = future.result()
    batched = _batched(name) and future is not None
    if not isinstance(run, Exception) and batched:
        # The shared run is only attributable per file when it is clean;
        # otherwise re-run this one file alone for a precise verdict.
        if harness.output_problems(run, tolerate_foreign_plugin_failure=False):
            run = harness.run_flake8([name], *SELECT, cwd=hostile_dir,
                                     env=harness.subprocess_env(), timeout=FLAKE8_BOUND + 5)
            batched = False
    if isinstance(run, Exception):
        TIMINGS[name]["flake8"] = FLAKE8_BOUND + 5
        TIMINGS[name]["note"] += " FLAKE8 TIMEOUT"
        pytest.fail(f"flake8 on {name}: {type(run).__name__}: {run}")
    if not batched:
        TIMINGS[name]["flake8"] = run.elapsed
    elif TIMINGS[name]["flake8"] is None:
        TIMINGS[name]["flake8"] = run.elapsed  # the whole batch: an upper bound
        TIMINGS[name]["note"] += " (flake8 time: shared run of all small files)"

    problems = harness.output_problems(run, tolerate_foreign_plugin_failure=spec.foreign_crash_ok)
    if problems and _flake8_itself_crashes(run, hostile_dir / name):
        pytest.xfail(f"flake8 itself crashes on {name} on Python "
                     f"{'.'.join(map(str, sys.version_info[:2]))}, in its own processor.py")
    assert not problems, f"{name}: {problems}\n{harness.describe(run)}"

    mine = [ln for ln in run.stdout.splitlines()
            if ln.startswith(name + ":") or ln.startswith("./" + name + ":")]
    codes = {harness.OUTPUT_LINE_RE.match(ln).group("code") for ln in mine
             if harness.OUTPUT_LINE_RE.match(ln)}
    _, tree, error = _flake8_parses(hostile_dir / name)
    if tree is not None:
        assert not codes & harness.FLAKE8_OWN_CODES, (
            f"flake8 reported {sorted(codes & harness.FLAKE8_OWN_CODES)} on {name} although "
            "CPython parses it: a SyntaxError/TokenError escaped from the plugin?\n"
            + harness.describe(run))
    assert run.elapsed <= FLAKE8_BOUND, f"flake8 took {run.elapsed:.1f}s on {name}"
