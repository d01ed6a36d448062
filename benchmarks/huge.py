#!/usr/bin/env python
"""The huge-file budget: one generated 50,000-line Slim model, flake8 with and without the
plugin. Budget: run time (CPU) <= 1.15x and peak RSS <= 1.15x of plain flake8.

Whole runs (default): ``flake8 --isolated --exit-zero -j1 FILE`` in bench.py's two venvs
(identical but for the plugin), interleaved ABBA, medians of the per-pair ratios of child
CPU time (user+sys) and of peak RSS. Files (benchmarks/generate_huge.py, deterministic):
``plain`` (``import tf_slim as slim``) and ``either`` (``slim`` bound in a try/except, so
the plugin walks the file once per world).

``--split`` (in this interpreter, in-process, no venvs) shows where the difference goes:
flake8 with the plugin deselected; with a stub analysis that finds one finding and does no
work; and with the plugin (its analysis timed). The stub isolates what flake8 itself spends
on a file's first finding: it tokenizes the whole file into a list for its ``noqa`` map. The
plugin hands its findings over after flake8's tree checks (flake8_argscope/handover.py), so
that list is no longer built while the tree is alive. The default line length gives the
generated file E501 findings, so plain flake8 builds that map too; ``--flake8-arg
--max-line-length=100`` makes the file clean for flake8 alone. Usage::

    python benchmarks/huge.py [--repeats 3] [--lines 50000] [--split] [--with-venv DIR]
                              [--flake8-arg ARG ...]
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import CACHE, prepare_sides, run_once  # noqa: E402
from generate_huge import generate  # noqa: E402

BUDGET_TIME = 1.15
BUDGET_RSS = 1.15
VARIANTS = ("plain", "either")


def write_files(lines: int) -> dict[str, Path]:
    out = CACHE / "huge"
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for variant in VARIANTS:
        path = out / f"{variant}_{lines}.py"
        text = generate(lines, variant)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        files[variant] = path
    return files


def whole_runs(files: dict[str, Path], repeats: int, with_venv: str | None,
               extra: list[str]) -> int:
    cwd = Path(tempfile.mkdtemp(prefix="huge-"))
    with_, without = prepare_sides("venv", cwd)
    if with_venv:  # another build of the plugin (e.g. a release) in a copy of the venv
        with_.flake8 = [str(Path(with_venv).resolve() / "bin" / "python"), "-m", "flake8"]
    runs: dict[tuple[str, str], list] = {}
    for variant, path in files.items():
        for side in (with_, without):  # warm-up: .pyc files, page cache
            run_once([*side.flake8, "--isolated", "--exit-zero", "-j1", *extra, str(path)], cwd)
    for i in range(repeats):
        for variant, path in files.items():
            order = (with_, without) if i % 2 == 0 else (without, with_)
            for side in order:
                cmd = [*side.flake8, "--isolated", "--exit-zero", "-j1", *extra, str(path)]
                r = run_once(cmd, cwd)
                runs.setdefault((variant, side.label), []).append(r)
    failed = 0
    print("| file | flake8 CPU | with plugin | time ratio | flake8 peak RSS | with plugin "
          "| RSS ratio | budget | pass |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|:---:|")
    for variant, path in files.items():
        w, wo = runs[(variant, "with")], runs[(variant, "without")]
        t = statistics.median(a.cpu / b.cpu for a, b in zip(w, wo))
        m = statistics.median(a.maxrss_kb / b.maxrss_kb for a, b in zip(w, wo))
        ok = t <= BUDGET_TIME and m <= BUDGET_RSS
        failed += not ok
        lines = path.read_text(encoding="utf-8").count("\n")
        print(f"| {variant} ({lines:,} lines) | {statistics.median(r.cpu for r in wo):.2f} s "
              f"| {statistics.median(r.cpu for r in w):.2f} s | {t:.3f} "
              f"| {statistics.median(r.maxrss_kb for r in wo) / 1024:.0f} MB "
              f"| {statistics.median(r.maxrss_kb for r in w) / 1024:.0f} MB | {m:.3f} "
              f"| <= {BUDGET_TIME} | {'yes' if ok else '**NO**'} |")
    print(f"\n{repeats} interleaved pairs per file; medians of per-pair ratios.")
    return failed


_SPLIT = r'''
import resource, sys, time
from flake8.main import application
from flake8_argscope import walk
mode, path, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
# the analysis is replaced or timed, not run(): flake8 must still be the one consuming run()
# for the findings to be handed over after its tree checks (flake8_argscope/handover.py)
if mode == "stub":
    walk.analyse = lambda *args: [(1, 0, "ASC101 a stub finding")]
args = ["--isolated", "--exit-zero", "-j1", "--output-file", "/dev/null", *extra, path]
if mode == "off":
    args[:0] = ["--extend-ignore", "ASC"]
spent = [0.0]
if mode == "plugin":
    original = walk.analyse
    def timed(*args):
        start = time.process_time()
        try:
            return original(*args)
        finally:
            spent[0] += time.process_time() - start
    walk.analyse = timed
start = time.process_time()
application.Application().run(args)
print(time.process_time() - start, spent[0],
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
'''


def split(files: dict[str, Path], repeats: int, extra: list[str]) -> None:
    """In-process: plugin deselected / a one-finding stub / the plugin."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="")
    print("| file | deselected | one-finding stub | plugin | its analysis | "
          "stub / deselected | plugin / stub |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for variant, path in files.items():
        got: dict[str, list[tuple[float, float, float]]] = {}
        for _ in range(repeats):
            for mode in ("off", "stub", "plugin"):
                out = subprocess.run([sys.executable, "-c", _SPLIT, mode, str(path), *extra],
                                     capture_output=True, text=True, env=env, check=True)
                cpu, own, rss = map(float, out.stdout.split())
                got.setdefault(mode, []).append((cpu, own, rss))
        med = {m: statistics.median(r[0] for r in v) for m, v in got.items()}
        own = statistics.median(r[1] for r in got["plugin"])
        rss = {m: statistics.median(r[2] for r in v) for m, v in got.items()}
        print(f"| {variant} | {med['off']:.2f} s, {rss['off']:.0f} MB "
              f"| {med['stub']:.2f} s, {rss['stub']:.0f} MB "
              f"| {med['plugin']:.2f} s, {rss['plugin']:.0f} MB | {own:.2f} s "
              f"| {med['stub'] / med['off']:.3f} | {med['plugin'] / med['stub']:.3f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--split", action="store_true",
                        help="in-process decomposition instead of whole runs")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over budget")
    parser.add_argument("--with-venv", help="venv whose flake8 is the 'with' side "
                        "(default: bench.py's plugin venv)")
    parser.add_argument("--flake8-arg", action="append", default=[], metavar="ARG",
                        help="one more flake8 argument for both sides, e.g. "
                             "--flake8-arg=--max-line-length=100")
    args = parser.parse_args(argv)
    started = time.monotonic()
    files = write_files(args.lines)
    if args.split:
        split(files, args.repeats, args.flake8_arg)
        failed = 0
    else:
        failed = whole_runs(files, args.repeats, args.with_venv, args.flake8_arg)
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
