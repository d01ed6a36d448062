#!/usr/bin/env python
"""What the pylint front end costs a pylint run (budget: <= 1.03x on Slim code).

Two measures, on the same files (default: tf-slim 1.1.0, fetched by fetch_corpora.py):

* ``whole`` -- whole ``pylint`` runs with pylint's default checkers, with and without
  ``--load-plugins=flake8_argscope.pylint``; nothing else differs (same interpreter, same
  pylint, an empty rcfile, ``-j1 --persistent=n --exit-zero``, stdout to /dev/null).
  Interleaved pairs, alternating which side goes first; the judged figure is the median
  of the per-pair ratios of the children's CPU time (user+sys).
* ``attribution`` -- one in-process pylint run with the plugin, timing with the process
  CPU clock the plugin's import and registration and every ``process_module`` call
  (reading the text, the gate, the ``ast`` parse, the analysis, the messages); implied
  ratio = total / (total - plugin). Whole-run ratios on a shared machine swing by a few
  percent; this one does not.

    python benchmarks/bench_pylint.py [--pairs 5] [--only whole|attribution] [NAME ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fetch_corpora import corpus_files  # noqa: E402

BUDGET = 1.03
PLUGIN = "--load-plugins=flake8_argscope.pylint"
# the console script's code, not ``python -m pylint`` (which would put the cwd on sys.path)
PYLINT = [sys.executable, "-c", "import sys; from pylint import run_pylint; run_pylint()"]


def base_args(rcfile: Path, files: list[Path]) -> list[str]:
    return [f"--rcfile={rcfile}", "--persistent=n", "--exit-zero", "-j1", "--score=n",
            *map(str, files)]


def cpu_of(cmd: list[str], cwd: Path) -> float:
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(cmd, stdout=null, stderr=subprocess.PIPE, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        assert proc.stderr is not None
        err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0 or "Traceback" in err:
        raise SystemExit(f"pylint failed: {' '.join(cmd[:8])} ...\n{err[-2000:]}")
    return usage.ru_utime + usage.ru_stime


def whole(files: list[Path], pairs: int, cwd: Path, rcfile: Path) -> dict:
    without = [*PYLINT, *base_args(rcfile, files)]
    with_ = [*PYLINT, PLUGIN, *base_args(rcfile, files)]
    cpu_of(with_, cwd)  # warm-up: .pyc files, page cache
    cpu_of(without, cwd)
    runs: dict[str, list[float]] = {"with": [], "without": []}
    for i in range(pairs):
        order = [("with", with_), ("without", without)]
        for label, cmd in (order if i % 2 == 0 else order[::-1]):
            runs[label].append(cpu_of(cmd, cwd))
        print(f"[bench_pylint] pair {i + 1}/{pairs}: with {runs['with'][-1]:.2f} s, "
              f"without {runs['without'][-1]:.2f} s", file=sys.stderr, flush=True)
    ratios = [a / b for a, b in zip(runs["with"], runs["without"])]
    return {"with": statistics.median(runs["with"]),
            "without": statistics.median(runs["without"]),
            "ratio": statistics.median(ratios), "ratios": ratios}


ATTRIBUTION = '''\
import sys, time
from pylint.checkers import BaseRawFileChecker
from pylint.lint import Run
start = time.process_time()
import flake8_argscope.pylint as front
spent = [time.process_time() - start]
original = front.ArgScopePylintChecker.process_module

def timed(self, node):
    t = time.process_time()
    try:
        return original(self, node)
    finally:
        spent[0] += time.process_time() - t

front.ArgScopePylintChecker.process_module = timed
original_register = front.register

def register(linter):
    t = time.process_time()
    original_register(linter)
    spent[0] += time.process_time() - t

front.register = register
Run(sys.argv[1:], exit=False)
total = time.process_time()
print(f"{total} {spent[0]}", file=sys.stderr)
'''


def attribution(files: list[Path], repeats: int, cwd: Path, rcfile: Path) -> dict:
    ratios, shares = [], []
    for _ in range(repeats):
        proc = subprocess.run([sys.executable, "-c", ATTRIBUTION, PLUGIN,
                               *base_args(rcfile, files)], cwd=cwd, capture_output=True,
                              text=True)
        total, plugin = map(float, proc.stderr.strip().splitlines()[-1].split())
        shares.append(plugin / total)
        ratios.append(total / (total - plugin))
    return {"share": statistics.median(shares), "ratio": statistics.median(ratios),
            "ratios": ratios}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", default=["tf_slim"])
    parser.add_argument("--pairs", type=int, default=5, help="whole-run pairs (default 5)")
    parser.add_argument("--repeats", type=int, default=3, help="attribution runs (default 3)")
    parser.add_argument("--only", choices=("whole", "attribution"))
    args = parser.parse_args(argv)
    cwd = Path(tempfile.mkdtemp(prefix="argscope-bench-pylint-"))
    rcfile = cwd / "empty-pylintrc"
    rcfile.write_text("")
    print("| corpus | files | measure | with | without | ratio | budget | pass |")
    print("|---|---:|---|---:|---:|---:|---:|:---:|")
    for name in args.names:
        files = corpus_files(name)
        t0 = time.perf_counter()
        if args.only != "attribution":
            w = whole(files, args.pairs, cwd, rcfile)
            print(f"| {name} | {len(files)} | whole runs, CPU, median of {args.pairs} pairs "
                  f"(each: {', '.join(f'{r:.3f}' for r in w['ratios'])}) | {w['with']:.2f} s "
                  f"| {w['without']:.2f} s | {w['ratio']:.3f} | <= {BUDGET} | "
                  f"{'yes' if w['ratio'] <= BUDGET else '**NO**'} |", flush=True)
        if args.only != "whole":
            a = attribution(files, args.repeats, cwd, rcfile)
            print(f"| {name} | {len(files)} | attribution, plugin share "
                  f"{100 * a['share']:.2f} %, median of {args.repeats} "
                  f"(each: {', '.join(f'{r:.4f}' for r in a['ratios'])}) | | | "
                  f"{a['ratio']:.4f} | <= {BUDGET} | "
                  f"{'yes' if a['ratio'] <= BUDGET else '**NO**'} |", flush=True)
        print(f"[bench_pylint] {name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
