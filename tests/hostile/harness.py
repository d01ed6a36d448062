"""Run ``flake8_argscope.ArgScopeChecker`` in-process and ``flake8`` as a subprocess.

In-process runs construct the checker exactly the way flake8 does: the options
come from flake8's own ``parse_args`` (so ``add_options``/``parse_options`` of
the plugin, if it grows them, are honoured), and the constructor arguments are
taken from a ``flake8.processor.FileProcessor`` by parameter name (so the
checker may ask for ``tree``, ``lines``, ``filename``, ``file_tokens``, ...).
"""
from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass

RESULT_MESSAGE_RE = re.compile(r"^ASC\d{3} ")

#: One line of flake8's default output format.
OUTPUT_LINE_RE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+[0-9]+) (?P<text>.*)$"
)

#: Codes flake8 itself may emit for files it cannot read/parse.
FLAKE8_OWN_CODES = frozenset({"E902", "E999"})

#: Things that must never show up in flake8's output.
FAILURE_MARKERS = (
    "Traceback (most recent call last)",
    "failed during execution",
    "raised an unexpected exception",
    "There was a critical error",
    "Flake8 failed to load plugin",
    "PluginRequestedUnknownParameters",
)

BASE_FLAKE8_ARGS = ("--isolated", "--select", "ASC")


#: The checker swallows its own internal errors (so a user's flake8 run never
#: breaks) unless ``--argscope-debug`` is given, in which case it prints them to
#: stderr.  The fuzz/hostile suites run it in debug mode and treat any such
#: report as a failure: a silently swallowed crash is still a crash.  Set
#: ``ARGSCOPE_FUZZ_STRICT=0`` to accept swallowed internal errors.
STRICT = os.environ.get("ARGSCOPE_FUZZ_STRICT", "1") != "0"
DEBUG_FLAG = "--argscope-debug"
INTERNAL_ERROR_MARKERS = ("flake8-argscope: internal error", "flake8_argscope")


@functools.lru_cache(maxsize=None)
def _flake8_setup():
    """(options, LoadedPlugin for ASC or None, class attrs set by parse_options).

    flake8's ``parse_args`` calls the plugin's ``parse_options``, which may
    store state on the class.  That state is captured here and the class is
    put back the way it was, so other test modules are not affected; it is
    re-applied only while this harness runs the checker (:func:`_configured`).
    """
    from flake8.options.parse_args import parse_args

    cls = checker_class()
    before = dict(vars(cls))
    argv = list(BASE_FLAKE8_ARGS)
    if STRICT and plugin_has_debug_flag():
        argv.append(DEBUG_FLAG)
    plugins, opts = parse_args(argv)
    after = dict(vars(cls))
    state = {k: v for k, v in after.items() if k not in before or before[k] is not v}
    for key in state:
        if key in before:
            setattr(cls, key, before[key])
        else:
            delattr(cls, key)
    loaded = None
    for plugin in plugins.checkers.tree:
        if plugin.entry_name.startswith("ASC"):
            loaded = plugin
            break
    return opts, loaded, state


@functools.lru_cache(maxsize=None)
def plugin_has_debug_flag() -> bool:
    cls = checker_class()
    if not hasattr(cls, "add_options"):
        return False

    class _Recorder:
        def __init__(self):
            self.flags = []

        def add_option(self, *args, **kwargs):
            self.flags.extend(a for a in args if isinstance(a, str))

    rec = _Recorder()
    try:
        cls.add_options(rec)
    except Exception:
        return False
    return DEBUG_FLAG in rec.flags


def flake8_extra_args() -> list:
    """Extra CLI args for subprocess runs (debug mode when strict)."""
    return [DEBUG_FLAG] if STRICT and plugin_has_debug_flag() else []


class _configured:
    """Apply the harness's parse_options state to the checker class, then restore."""

    def __enter__(self):
        cls = checker_class()
        _, _, state = _flake8_setup()
        self.saved = {k: cls.__dict__[k] for k in state if k in cls.__dict__}
        self.missing = [k for k in state if k not in cls.__dict__]
        for k, v in state.items():
            setattr(cls, k, v)
        return self

    def __exit__(self, *exc):
        cls = checker_class()
        for k, v in self.saved.items():
            setattr(cls, k, v)
        for k in self.missing:
            try:
                delattr(cls, k)
            except AttributeError:
                pass
        return False


_HERMETIC_DIR = None


def hermetic_filename(name: str = "fuzz_case.py") -> str:
    """A path in an empty private directory: project-relative resolution finds nothing."""
    global _HERMETIC_DIR
    if _HERMETIC_DIR is None:
        import tempfile

        _HERMETIC_DIR = tempfile.mkdtemp(prefix="argscope-fuzz-")
    return os.path.join(_HERMETIC_DIR, name)


def checker_class():
    from flake8_argscope import ArgScopeChecker

    return ArgScopeChecker


def make_processor(filename: str, lines: list[str] | None = None):
    """A flake8 FileProcessor; reads ``filename`` like flake8 when ``lines`` is None."""
    from flake8.processor import FileProcessor

    opts = _flake8_setup()[0]
    return FileProcessor(filename, opts, lines=lines)


def make_checker(tree: ast.AST, lines: list[str], filename: str | None = None,
                 processor=None):
    """Construct ArgScopeChecker the way flake8 does (see module docstring).

    Use it through :func:`run_checker_on_tree`, which also applies the
    option state that ``parse_options`` computed."""
    if filename is None:
        filename = hermetic_filename()
    cls = checker_class()
    _, loaded, _ = _flake8_setup()
    if loaded is None or loaded.obj is not cls:
        # Entry point not visible (should not happen with the editable install):
        # fall back to the documented (tree, lines, filename) interface.
        return cls(tree, lines, filename)
    if processor is None:
        processor = make_processor(filename, lines=list(lines))
    params = processor.keyword_arguments_for(loaded.parameters, {"tree": tree})
    return cls(tree=tree, **params)


def source_lines(source: str) -> list[str]:
    return source.splitlines(keepends=True)


def parse_or_none(source: str):
    """``ast.parse`` like flake8 (``"".join(lines)``); None if CPython refuses it."""
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None


def run_checker_on_tree(tree, lines, filename=None, processor=None):
    """Run the checker; internal errors it reports (debug mode) raise AssertionError."""
    import contextlib
    import io

    err = io.StringIO()
    with _configured(), contextlib.redirect_stderr(err):
        checker = make_checker(tree, lines, filename, processor=processor)
        results = list(checker.run())
    text = err.getvalue()
    if STRICT and any(m in text for m in INTERNAL_ERROR_MARKERS):
        raise InternalError(text)
    return results


class InternalError(AssertionError):
    """The checker caught (and would have silently swallowed) its own exception."""


def check_results(results, lines, *, context: str = "") -> None:
    """Assert every yielded item is a well-formed flake8 4-tuple."""
    n_lines = len(lines)
    for item in results:
        where = f"{context}: bad item {item!r}"
        assert isinstance(item, tuple), where
        assert len(item) == 4, where
        line, col, msg, _type = item
        assert type(line) is int, where  # bool is not a line number
        assert type(col) is int, where
        assert line >= 1, where
        assert col >= 0, where
        # One past the end is tolerated (EOF-anchored findings).
        assert line <= max(n_lines, 1) + 1, f"{where} (file has {n_lines} lines)"
        assert isinstance(msg, str), where
        assert RESULT_MESSAGE_RE.match(msg), where
        assert "\n" not in msg, where


def assert_checker_ok(source: str, filename: str | None = None):
    """If ``source`` parses, run the checker; it must not raise and must yield
    well-formed results.  Returns the results (None if it did not parse)."""
    tree = parse_or_none(source)
    if tree is None:
        return None
    lines = source_lines(source)
    try:
        results = run_checker_on_tree(tree, lines, filename)
    except InternalError as exc:
        raise InternalError(
            f"ArgScopeChecker swallowed an internal error:\n{exc}\n--- source ---\n"
            f"{source[:4000]}"
        ) from None
    except Exception as exc:  # pragma: no cover - reported with the source
        raise AssertionError(
            f"ArgScopeChecker raised {type(exc).__name__}: {exc}\n--- source ---\n"
            f"{source[:4000]}"
        ) from exc
    check_results(results, lines, context=filename or "fuzz_case.py")
    return results


# --------------------------------------------------------------------------
# flake8 as a subprocess
# --------------------------------------------------------------------------

@dataclass
class Flake8Run:
    args: list
    returncode: int
    stdout: str
    stderr: str
    elapsed: float
    stdout_bytes: bytes


def subprocess_env(extra: dict | None = None, pythonpath: list | None = None) -> dict:
    env = dict(os.environ)
    env.pop("PYTHONSTARTUP", None)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    if extra:
        env.update(extra)
    return env


def run_flake8(paths, *extra_args, cwd, env=None, timeout: float = 300.0) -> Flake8Run:
    args = [sys.executable, "-m", "flake8", *BASE_FLAKE8_ARGS, *flake8_extra_args(),
            *extra_args,
            *[str(p) for p in paths]]
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=str(cwd), env=env, capture_output=True,
                          timeout=timeout)
    elapsed = time.perf_counter() - start
    return Flake8Run(
        args=args,
        returncode=proc.returncode,
        stdout=proc.stdout.decode("utf-8", "replace"),
        stderr=proc.stderr.decode("utf-8", "replace"),
        elapsed=elapsed,
        stdout_bytes=proc.stdout,
    )


def output_problems(run: Flake8Run, *, tolerate_foreign_plugin_failure: bool = False):
    """List of human-readable problems with a flake8 run (empty list == fine).

    ``tolerate_foreign_plugin_failure``: a crash of a *bundled* plugin (pyflakes,
    pycodestyle) on a pathological file is flake8's problem, not ours; it is
    tolerated when the failure message names that plugin and not flake8-argscope.
    """
    problems = []
    combined = run.stdout + "\n" + run.stderr
    foreign_failure = (
        tolerate_foreign_plugin_failure
        and re.search(r'"(pyflakes\[F\]|pycodestyle\[E\]|pycodestyle\[W\]|mccabe\[C90\])" '
                      r"failed during execution", combined)
        and "flake8-argscope" not in combined
        and "ASC" not in combined.replace("--select ASC", "")
        and "Traceback" not in combined
    )
    if run.returncode not in (0, 1):
        problems.append(f"exit code {run.returncode}")
    if not foreign_failure:
        for marker in FAILURE_MARKERS:
            if marker in combined:
                problems.append(f"output contains {marker!r}")
        if run.returncode == 1 and not run.stdout.strip():
            problems.append("exit code 1 without any reported finding")
    if "flake8-argscope" in run.stderr or "flake8_argscope" in run.stderr:
        problems.append("stderr mentions flake8-argscope (internal error swallowed "
                        "by the checker, shown by --argscope-debug)")
    for line in run.stdout.splitlines():
        if not line.strip():
            continue
        if foreign_failure and ("failed during execution" in line
                                or line.startswith("Run flake8 with greater verbosity")):
            continue
        m = OUTPUT_LINE_RE.match(line)
        if not m:
            problems.append(f"malformed output line {line!r}")
            continue
        code = m.group("code")
        if code in FLAKE8_OWN_CODES:
            continue
        if not re.fullmatch(r"ASC\d{3}", code):
            problems.append(f"unexpected code {code} in {line!r}")
        if int(m.group("line")) < 1 or int(m.group("col")) < 1:
            problems.append(f"bad position in {line!r}")
    return problems


def describe(run: Flake8Run, limit: int = 3000) -> str:
    return (f"$ {' '.join(run.args)}\nexit={run.returncode} elapsed={run.elapsed:.2f}s\n"
            f"--- stdout ---\n{run.stdout[:limit]}\n--- stderr ---\n{run.stderr[:limit]}")
