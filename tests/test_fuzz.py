"""Property-based robustness tests for the ASC checker (in-process).

For every generated or mutated source that ``ast.parse`` accepts, the checker
must not raise and every yielded item must be a well-formed flake8 4-tuple
``(int line >= 1, int col >= 0, "ASCnnn message", type)``.

CI runs a bounded, derandomized number of examples (reproducible).  The big
campaign is ``python scripts/fuzz.py --examples 100000``; the example count
of this module can also be raised with ``ARGSCOPE_FUZZ_EXAMPLES=N``.
``hypothesmith.from_node`` (libcst-based) costs seconds per example, so it
only runs when ``ARGSCOPE_FUZZ_SLOW=1`` (and always in ``scripts/fuzz.py``).
"""
from __future__ import annotations

import os
import sys

import pytest
from hypothesis import HealthCheck, given, note, settings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hostile import harness  # noqa: E402
from hostile import strategies as S  # noqa: E402

try:
    import hypothesmith
except ImportError:  # pragma: no cover - depends on the environment
    hypothesmith = None

N = S.fuzz_environment_examples(200)
# hypothesmith.from_grammar costs ~0.1 s per example and grows with the run;
# 40 keeps the module well inside the CI budget.
N_GRAMMAR = S.fuzz_environment_examples(40)
N_NODE = S.fuzz_environment_examples(10)

CI = settings(
    max_examples=N,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much, HealthCheck.large_base_example],
)

needs_hypothesmith = pytest.mark.skipif(
    hypothesmith is None,
    reason="hypothesmith is not installed (pip install hypothesmith); "
           "grammar-based Python source generation skipped",
)


def _check(source: str, filename: str = "fuzz_case.py") -> None:
    note(f"source:\n{source}")
    harness.assert_checker_ok(source, filename)


# --------------------------------------------------------------------------
# Seeds (fixtures, examples, built-ins) -- deterministic, exhaustive
# --------------------------------------------------------------------------

SEED_IDS = S.seed_names()
SEEDS = S.seed_sources()


@pytest.mark.parametrize("source", SEEDS, ids=SEED_IDS)
def test_seed_sources_unmutated(source):
    harness.assert_checker_ok(source)


@pytest.mark.parametrize("source", SEEDS, ids=SEED_IDS)
def test_seed_single_line_deletions_and_duplications(source):
    lines = source.splitlines(keepends=True)
    # At most ~10 evenly spaced positions per seed keep CI fast; the
    # hypothesis mutation tests below cover the rest at random.
    for i in sorted(set(range(0, len(lines), max(1, len(lines) // 10)))):
        harness.assert_checker_ok("".join(lines[:i] + lines[i + 1:]))
        harness.assert_checker_ok("".join(lines[:i + 1] + lines[i:]))


# --------------------------------------------------------------------------
# Generated arg_scope shapes
# --------------------------------------------------------------------------

@CI
@given(S.arg_scope_modules())
def test_generated_arg_scope_modules(source):
    _check(source)


@settings(CI, max_examples=max(N // 2, 1))
@given(S.arg_scope_modules(max_size=40))
def test_generated_large_arg_scope_modules(source):
    _check(source)


# --------------------------------------------------------------------------
# Mutations: tokens, lines, brackets
# --------------------------------------------------------------------------

@CI
@given(S.mutants(S.seeds_strategy()))
def test_mutated_seed_sources(source):
    _check(source)


@CI
@given(S.mutants(S.arg_scope_modules(max_size=8), max_mutations=3))
def test_mutated_generated_modules(source):
    _check(source)


# --------------------------------------------------------------------------
# hypothesmith: arbitrary valid Python
# --------------------------------------------------------------------------

@needs_hypothesmith
@settings(CI, max_examples=N_GRAMMAR)
@given(hypothesmith.from_grammar() if hypothesmith else S.arg_scope_modules())
def test_hypothesmith_grammar_sources(source):
    _check(source)


@needs_hypothesmith
@pytest.mark.skipif(os.environ.get("ARGSCOPE_FUZZ_SLOW") != "1",
                    reason="hypothesmith.from_node costs seconds per example; "
                           "set ARGSCOPE_FUZZ_SLOW=1 or run scripts/fuzz.py")
@settings(CI, max_examples=N_NODE)
@given(hypothesmith.from_node() if hypothesmith else S.arg_scope_modules())
def test_hypothesmith_node_sources(source):
    _check(source)


@needs_hypothesmith
@settings(CI, max_examples=N_GRAMMAR)
@given(hypothesmith.from_grammar() if hypothesmith else S.arg_scope_modules(),
       S.arg_scope_modules(max_size=4))
def test_hypothesmith_spliced_with_arg_scope(generic, scoped):
    # Arbitrary valid Python around arg_scope code: names like `slim` may be
    # rebound, shadowed or deleted by the generic part.
    _check(generic.rstrip("\n") + "\n" + scoped)
    _check(scoped + generic)


# --------------------------------------------------------------------------
# The rewrites (absorb, inline) on generated scopes and on the seeds: no traceback, the
# result parses, and a second run changes nothing
# --------------------------------------------------------------------------

def _rewrites_ok(source: str, in_hypothesis: bool = True) -> None:
    import ast

    from flake8_argscope.api import Config
    from flake8_argscope.cli.fix import fix_text
    from flake8_argscope.cli.inline import inline_text

    if in_hypothesis:
        note(f"source:\n{source}")
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    absorbed = fix_text(source, "fuzz_case.py", Config(), ("ASC101",), unsafe=True).source
    ast.parse(absorbed)
    inlined = inline_text(source, "fuzz_case.py", Config()).source
    ast.parse(inlined)
    assert inline_text(inlined, "fuzz_case.py", Config()).source == inlined


@pytest.mark.parametrize("source", SEEDS, ids=SEED_IDS)
def test_rewrites_on_seed_sources(source):
    _rewrites_ok(source, in_hypothesis=False)


@pytest.mark.parametrize("source", SEEDS, ids=SEED_IDS)
def test_inline_across_calls_on_seed_sources(source, tmp_path):
    """The command's run (across calls, scope functions' uses) on each seed as a file of
    its own: no traceback, the result parses, a second run changes nothing."""
    import ast

    from flake8_argscope.api import Config
    from flake8_argscope.cli.inline import inline_project

    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    path = tmp_path / "fuzz_case.py"
    path.write_text(source, encoding="utf-8")
    result = inline_project([str(path)], Config())
    assert not [out for _p, out in result.outcomes if isinstance(out, Exception)]
    if not result.changed:
        return
    new = result.changed[str(path)][1]
    ast.parse(new)
    path.write_text(new, encoding="utf-8")
    assert inline_project([str(path)], Config()).changed == {}


@settings(CI, max_examples=max(N // 4, 1))
@given(S.arg_scope_modules())
def test_rewrites_on_generated_arg_scope_modules(source):
    _rewrites_ok(source)
