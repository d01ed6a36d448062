#!/usr/bin/env python
"""Big fuzzing campaign for flake8-argscope (the CI suite runs a bounded slice).

Runs the properties of ``tests/test_fuzz.py`` -- for every generated or
mutated source that ``ast.parse`` accepts, ``ArgScopeChecker`` must not raise
(nor swallow an internal error: it runs with ``--argscope-debug``) and every
yielded item must be a well-formed ``(line >= 1, col >= 0, "ASCnnn ...", type)``
-- with many more examples and real randomness::

    python scripts/fuzz.py --examples 100000            # the big campaign
    python scripts/fuzz.py --examples 2000 --only generated,mutated-seeds
    python scripts/fuzz.py --examples 500 --seed 7      # reproducible
    python scripts/fuzz.py --hostile                    # also the hostile files, full size

Campaigns (``--only``, comma separated; default: all):

* ``generated``        arg_scope-shaped modules (nested ``with slim.arg_scope``,
                       lists/tuples/dicts/sets/lambdas/names, ``**kw``/``*args``,
                       factories, ``@slim.add_arg_scope``, tf.contrib, tensorpack
                       ``argscope``, ``enable_argscope_for_module``)
* ``generated-large``  the same, bigger
* ``mutated-seeds``    every ``.py`` under ``tests/fixtures`` and ``examples`` plus
                       built-in seeds, with tokens/lines/brackets deleted,
                       duplicated, swapped
* ``mutated-generated`` mutations of generated modules
* ``hypothesmith``     ``hypothesmith.from_grammar()`` (arbitrary valid Python)
* ``hypothesmith-node`` ``hypothesmith.from_node()`` (libcst; slow, ~1 s/example)
* ``spliced``          hypothesmith output glued to arg_scope code

``--examples`` is per campaign; hypothesmith campaigns are capped by
``--hypothesmith-examples`` (default: a tenth of ``--examples``) because each of
their examples costs 50-1000x more.  Failing examples are shrunk by hypothesis
and printed (and written to ``--out``, default ``fuzz-failures/``); the exit
status is the number of failing campaigns.

``--hostile`` also generates the hostile files of ``tests/hostile/files.py`` at
``ARGSCOPE_HOSTILE_SCALE`` (default 5 here: 5x the CI size of the extra stress
files) into a temporary directory and runs ``python -m flake8 --select ASC`` on
each, printing the wall time per file.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from hostile import harness  # noqa: E402
from hostile import strategies as S  # noqa: E402


def _campaigns():
    camps = {
        "generated": lambda: S.arg_scope_modules(),
        "generated-large": lambda: S.arg_scope_modules(max_size=60),
        "mutated-seeds": lambda: S.mutants(S.seeds_strategy(), max_mutations=6),
        "mutated-generated": lambda: S.mutants(S.arg_scope_modules(max_size=12),
                                               max_mutations=5),
    }
    try:
        import hypothesmith
    except ImportError:
        print("hypothesmith is not installed: skipping hypothesmith campaigns "
              "(pip install hypothesmith)", file=sys.stderr)
        return camps, set()
    from hypothesis import strategies as st

    camps["hypothesmith"] = hypothesmith.from_grammar
    camps["hypothesmith-node"] = hypothesmith.from_node
    camps["spliced"] = lambda: st.tuples(hypothesmith.from_grammar(),
                                         S.arg_scope_modules(max_size=6)).map(
        lambda t: t[0].rstrip("\n") + "\n" + t[1])
    return camps, {"hypothesmith", "hypothesmith-node", "spliced"}


def run_campaign(name, strategy, examples, seed, out_dir):
    counter = {"n": 0, "parsed": 0, "findings": 0}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=False,
              print_blob=True, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(source):
        counter["n"] += 1
        results = harness.assert_checker_ok(source)
        if results is not None:
            counter["parsed"] += 1
            counter["findings"] += len(results)

    if seed is not None:
        from hypothesis import seed as hseed

        prop = hseed(seed)(prop)
    start = time.perf_counter()
    try:
        prop()
    except Exception as exc:  # the shrunk failing example
        elapsed = time.perf_counter() - start
        out_dir.mkdir(parents=True, exist_ok=True)
        report = out_dir / f"{name}.txt"
        report.write_text(f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()}")
        print(f"FAIL {name}: {type(exc).__name__} after {counter['n']} examples "
              f"({elapsed:.0f}s); details in {report}")
        print(str(exc)[:4000])
        return False
    elapsed = time.perf_counter() - start
    print(f"ok   {name}: {counter['n']} examples, {counter['parsed']} parsed, "
          f"{counter['findings']} findings, {elapsed:.0f}s")
    return True


def run_hostile(scale: str) -> int:
    os.environ.setdefault("ARGSCOPE_HOSTILE_SCALE", scale)
    from hostile.files import HOSTILE

    failures = 0
    with tempfile.TemporaryDirectory(prefix="argscope-hostile-") as tmp:
        for name, spec in HOSTILE.items():
            (Path(tmp) / name).write_bytes(spec.build())
        env = harness.subprocess_env()
        for name, spec in sorted(HOSTILE.items()):
            try:
                run = harness.run_flake8([name], "--select", "ASC,E999,E902", cwd=tmp,
                                         env=env, timeout=1800)
            except Exception as exc:
                print(f"FAIL hostile {name}: {exc!r}")
                failures += 1
                continue
            problems = harness.output_problems(
                run, tolerate_foreign_plugin_failure=spec.foreign_crash_ok)
            status = "FAIL" if problems else "ok  "
            failures += bool(problems)
            print(f"{status} hostile {name:32s} {run.elapsed:7.2f}s "
                  f"{len(run.stdout.splitlines()):6d} lines {problems or ''}")
    return failures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=10_000,
                        help="examples per campaign (default 10000)")
    parser.add_argument("--hypothesmith-examples", type=int, default=None,
                        help="examples per hypothesmith campaign (default: examples // 10)")
    parser.add_argument("--only", default="", help="comma-separated campaign names")
    parser.add_argument("--seed", type=int, default=None,
                        help="derandomize with this seed (default: random)")
    parser.add_argument("--out", default="fuzz-failures", help="where failure reports go")
    parser.add_argument("--hostile", action="store_true",
                        help="also run flake8 on the hostile files (full size)")
    parser.add_argument("--hostile-scale", default="5")
    args = parser.parse_args(argv)

    camps, slow = _campaigns()
    wanted = [c for c in args.only.split(",") if c] or list(camps)
    unknown = [c for c in wanted if c not in camps]
    if unknown:
        parser.error(f"unknown campaign(s) {unknown}; known: {sorted(camps)}")
    hm_examples = args.hypothesmith_examples or max(1, args.examples // 10)
    out_dir = Path(args.out)
    failed = 0
    for name in wanted:
        n = hm_examples if name in slow else args.examples
        if name == "hypothesmith-node":
            n = max(1, n // 10)
        failed += not run_campaign(name, camps[name](), n, args.seed, out_dir)
    if args.hostile:
        failed += run_hostile(args.hostile_scale)
    print("all campaigns passed" if not failed else f"{failed} campaign(s) failed")
    return failed


if __name__ == "__main__":
    sys.exit(main())
