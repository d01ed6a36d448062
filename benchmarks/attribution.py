#!/usr/bin/env python
"""The plugin's share of a flake8 run, measured inside that run.

bench.py compares whole flake8 runs with and without the plugin; on a shared machine their
run-to-run noise (often +-10 %) is larger than the budgets (5 %, 1 %). This script runs
flake8 in-process on a corpus with the plugin and times, with the process CPU clock, every
call of the plugin's ``run()`` (the per-file work, including its lazy imports and the
project modules it parses). Garbage-collection pauses that the plugin's objects cause
elsewhere are not attributed; with the few project modules it keeps they are small (check
with bench.py on a quiet machine). Both numbers come from the same run, so noise cancels:

    implied ratio = total / (total - plugin)

which is what the with/without ratio would be on a quiet machine. Usage:

    python benchmarks/attribution.py [--repeats 3] [NAME ...]   # default: all corpora
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetch_corpora import corpus_files  # noqa: E402

BUDGET = {"tf_slim": 1.05, "tensorpack": 1.05, "object_detection": 1.05, "stdlib": 1.01}


def one_run(files):
    from flake8.main import application

    from flake8_argscope import checker

    spent = [0.0]
    original = checker.ArgScopeChecker.run

    def timed(self):
        start = time.process_time()
        found = list(original(self))
        spent[0] += time.process_time() - start
        return iter(found)

    checker.ArgScopeChecker.run = timed
    try:
        from flake8_argscope import project

        project.clear_cache()
        app = application.Application()
        start = time.process_time()
        app.run(["--isolated", "--exit-zero", "-j1", "--output-file", os.devnull,
                 *map(str, files)])
        total = time.process_time() - start
    finally:
        checker.ArgScopeChecker.run = original
    return total, spent[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=list(BUDGET))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--stdlib-files", type=int, default=300)
    args = parser.parse_args(argv)
    rows = []
    for name in args.names:
        files = corpus_files(name, limit=args.stdlib_files if name == "stdlib" else None)
        shares, ratios, totals = [], [], []
        for _ in range(args.repeats):
            total, plugin = one_run(files)
            totals.append(total)
            shares.append(plugin / total)
            ratios.append(total / (total - plugin))
        ratio = statistics.median(ratios)
        rows.append((name, len(files), statistics.median(totals),
                     statistics.median(shares), ratio, BUDGET[name]))
    print("| corpus | files | flake8 cpu (with) | plugin share | implied ratio | budget | pass |")
    print("|---|---:|---:|---:|---:|---:|:---:|")
    for name, n, total, share, ratio, budget in rows:
        print(f"| {name} | {n} | {total:.2f} s | {100 * share:.2f} % | {ratio:.3f} | "
              f"<= {budget} | {'yes' if ratio <= budget else '**NO**'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
