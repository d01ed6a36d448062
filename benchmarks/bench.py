#!/usr/bin/env python
"""Measure what flake8-argscope costs a flake8 run.

Performance budget (the numbers this script checks)
----------------------------------------------------
* Run time of a default ``flake8 -j1`` run **with** the plugin divided by one
  **without** it: **<= 1.05** on each slim corpus (tf_slim, tensorpack,
  object_detection) and **<= 1.01** on the standard library.
* Extra time of one stdin run (``flake8 - --stdin-display-name x.py < file``)
  on a ~1,000-line slim file: **<= 30 ms** (median difference).
* Peak RSS of the with-plugin run on the largest slim corpus: **<= flake8's own
  + 30 MB**.

How it measures
---------------
* "without" = flake8 in a separate venv ``.cache/bench-venv-noplugin`` (created
  once with ``python -m venv`` from this interpreter and ``pip install`` of the
  *same* versions of flake8, pycodestyle, pyflakes, mccabe and of any other
  installed flake8 plugin -- everything but flake8-argscope).
* "with" (default, ``--with-env venv``) = a twin venv ``.cache/bench-venv-plugin``
  made the same way, plus the installed versions of the plugin's own
  requirements (e.g. astroid), plus the repo's working-tree ``flake8_argscope``
  symlinked into its site-packages, and a generated dist-info carrying the same
  ``flake8.extension`` entry point -- so nothing but the plugin differs between
  the two sides.  ``--with-env current`` uses this environment's ``flake8``
  instead (the editable install); note that this environment's interpreter
  startup is slower than a clean venv's (its site-packages has ~120
  distributions and .pth hooks: the editable-install finder, a certifi hook),
  some 10-30 ms per run that would then be charged to the plugin.
* Every run: default selection (no ``--select``), ``--isolated`` (no config
  file, so the repo's own ``[flake8]`` section never applies), ``--exit-zero``,
  ``-j1``, stdout to /dev/null, an empty temporary cwd, the corpus's ``.py``
  files passed explicitly (sorted).  flake8 has no result cache; one untimed
  warm-up run per side compiles ``.pyc`` files, and all corpus files are read
  once beforehand so the page cache is warm for both sides.
* Interleaved: each round does one with/without pair per measure, alternating
  which side goes first (ABBA), round-robin over the measures so slow drift of
  machine load hits both sides alike.
* Each child is reaped with ``os.wait4`` so its own rusage is known: the judged
  time is the child's **CPU time (user+sys)**, which a shared 2-core machine
  disturbs far less than wall-clock time (``--metric wall`` judges wall time;
  both are in ``--json``).  Ratio = median of the per-pair ratios; delta =
  median of the per-pair differences; with/without columns are medians.
* Peak RSS = ``ru_maxrss`` of each child, median over the runs on the largest
  slim corpus (by bytes).

Default run time on the 2-core machine is aimed at ~10 minutes: rounds stop
once the next one would not fit in ``--max-minutes`` (default 8; at least
``--min-repeats`` = 2 rounds are always done) and the output says how many were
done.  One round (one pair per corpus) costs ~170 s of CPU here, so on an idle
machine ~3 of the 5 rounds fit; when other jobs load the machine it can be 2
rounds and still more than 10 minutes.  The stdlib is 1,790 files (~150 s per
flake8 run here), so by default a deterministic sample of 150 of its files is
used (every k-th file by sorted path; ``--stdlib-files N`` to change,
``--full-stdlib`` for all of it, far more than 10 minutes).  ``--quick`` is a
smoke run: 3 repeats but at least 1, a 100-file stdlib sample, 9 stdin pairs,
a 4-minute cap.

Usage::

    python benchmarks/bench.py [--repeats N] [--quick] [--json PATH] [--strict]

Exit status is 0 unless ``--strict`` is given and a measure is over budget (1),
or the benchmark itself could not run (2).
"""

from __future__ import annotations

import argparse
import ast
import importlib.metadata as md
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from fetch_corpora import REPO_ROOT, corpus_files, corpus_path  # noqa: E402

PLUGIN_DIST = "flake8-argscope"
PLUGIN_PKG = "flake8_argscope"
CACHE = REPO_ROOT / ".cache"
NOPLUGIN_VENV = CACHE / "bench-venv-noplugin"
PLUGIN_VENV = CACHE / "bench-venv-plugin"
WORK = CACHE / "bench"

SLIM_CORPORA = ("tf_slim", "tensorpack", "object_detection")
BUDGET_RATIO_SLIM = 1.05
BUDGET_RATIO_STDLIB = 1.01
BUDGET_STDIN_MS = 30.0
BUDGET_RSS_MB = 30.0
STDIN_TARGET_LINES = 1000


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- #
# environments


def _flake8_plugin_pins() -> list[str]:
    """name==version for flake8, its checkers and every installed flake8 plugin
    except flake8-argscope."""
    pins = {}
    for dist in md.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        if any(ep.group in ("flake8.extension", "flake8.report") for ep in dist.entry_points):
            if name.lower().replace("_", "-") != PLUGIN_DIST:
                pins[name.lower()] = f"{name}=={dist.version}"
    for core in ("flake8", "pycodestyle", "pyflakes", "mccabe"):
        try:
            pins.setdefault(core, f"{core}=={md.version(core)}")
        except md.PackageNotFoundError:
            pass
    return sorted(pins.values())


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _ensure_venv(venv: Path, pins: list[str], extra_stamp: str = "") -> None:
    stamp_file = venv / ".bench-stamp"
    stamp = json.dumps({"python": sys.version, "executable": sys.executable,
                        "pins": pins, "extra": extra_stamp}, sort_keys=True)
    if stamp_file.is_file() and stamp_file.read_text() == stamp and _venv_python(venv).exists():
        return
    if venv.exists():
        log(f"re-creating {venv} (pins or interpreter changed)")
        shutil.rmtree(venv)
    log(f"creating {venv} with {' '.join(pins)}")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(_venv_python(venv)), "-m", "pip", "install", "-q",
                    "--disable-pip-version-check", *pins], check=True)
    stamp_file.write_text(stamp)


def _plugin_runtime_pins() -> list[str]:
    """Installed versions of flake8-argscope's own (non-extra) requirements."""
    import re
    pins = []
    for req in md.requires(PLUGIN_DIST) or []:
        if "extra ==" in req.replace("extra==", "extra =="):
            continue
        name = re.match(r"[A-Za-z0-9._-]+", req).group(0)
        try:
            pins.append(f"{name}=={md.version(name)}")
        except md.PackageNotFoundError:
            pass
    return pins


def _plugin_venv_extra() -> str:
    dist = md.distribution(PLUGIN_DIST)
    eps = [(ep.group, ep.name, ep.value) for ep in dist.entry_points]
    return json.dumps({"version": dist.version, "eps": eps, "root": str(REPO_ROOT)})


def _install_plugin_shim(venv: Path) -> None:
    """Make the repo's flake8_argscope visible in ``venv`` without building it:
    a .pth with the repo root plus a minimal dist-info with the entry points."""
    dist = md.distribution(PLUGIN_DIST)
    site = Path(subprocess.run(
        [str(_venv_python(venv)), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    # a symlink to the package, not a .pth with the repo root: the repo root also
    # holds flake8_argscope.egg-info and other top-level folders
    link = site / PLUGIN_PKG
    target = REPO_ROOT / PLUGIN_PKG
    if not (link.is_symlink() and os.readlink(link) == str(target)):
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target, target_is_directory=True)
    info = site / f"flake8_argscope-{dist.version}.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {PLUGIN_DIST}\nVersion: {dist.version}\n")
    lines = []
    for group, eps in itertools.groupby(sorted(dist.entry_points, key=lambda e: (e.group, e.name)),
                                        key=lambda e: e.group):
        lines.append(f"[{group}]")
        lines.extend(f"{ep.name} = {ep.value}" for ep in eps)
        lines.append("")
    (info / "entry_points.txt").write_text("\n".join(lines))
    (info / "INSTALLER").write_text("bench.py\n")
    (info / "RECORD").write_text("")


@dataclass
class Side:
    label: str
    flake8: list[str]
    version: str = ""


def _flake8_version(cmd: list[str], cwd: Path) -> str:
    out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, cwd=cwd)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} --version failed:\n{out.stderr}")
    return " ".join(out.stdout.split())


def prepare_sides(with_env: str, cwd: Path) -> tuple[Side, Side]:
    try:
        md.distribution(PLUGIN_DIST)
    except md.PackageNotFoundError:
        raise SystemExit(f"{PLUGIN_DIST} is not installed in {sys.executable}; "
                         "`pip install -e .` it first") from None
    pins = _flake8_plugin_pins()
    _ensure_venv(NOPLUGIN_VENV, pins)
    without = Side("without", [str(NOPLUGIN_VENV / "bin" / "flake8")])
    if with_env == "venv":
        extra = _plugin_venv_extra()
        plugin_pins = sorted(set(pins) | set(_plugin_runtime_pins()))
        _ensure_venv(PLUGIN_VENV, plugin_pins, extra)
        _install_plugin_shim(PLUGIN_VENV)
        with_ = Side("with", [str(PLUGIN_VENV / "bin" / "flake8")])
    else:
        script = Path(sysconfig.get_path("scripts")) / "flake8"
        # the console script, not a pyenv/asdf shim and not `python -m flake8`
        # (which would put the cwd on sys.path)
        fallback = [sys.executable, "-c",
                    "import sys; from flake8.main.cli import main; sys.exit(main())"]
        with_ = Side("with", [str(script)] if script.exists() else fallback)
    for side in (with_, without):
        side.version = _flake8_version(side.flake8, cwd)
    if "flake8-argscope" not in with_.version:
        raise SystemExit(f"'with' flake8 does not load the plugin: {with_.version}")
    if "flake8-argscope" in without.version:
        raise SystemExit(f"'without' flake8 loads the plugin: {without.version}")
    return with_, without


# --------------------------------------------------------------------------- #
# running


@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_kb: int


def run_once(cmd: list[str], cwd: Path, stdin_path: Path | None = None) -> Run:
    env = dict(os.environ)
    for var in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "PYTHONPROFILEIMPORTTIME"):
        env.pop(var, None)
    with tempfile.TemporaryFile() as err, \
            open(stdin_path if stdin_path else os.devnull, "rb") as fin:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=fin, stdout=subprocess.DEVNULL, stderr=err,
                                cwd=cwd, env=env)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            tail = err.read()[-3000:].decode(errors="replace")
            raise RuntimeError(f"exit {proc.returncode}: {' '.join(cmd[:6])} ...\n{tail}")
    return Run(wall=wall, cpu=ru.ru_utime + ru.ru_stime, maxrss_kb=ru.ru_maxrss)


@dataclass
class Measure:
    key: str
    title: str
    kind: str  # "ratio" | "stdin"
    args: list[str]
    stdin: Path | None = None
    budget: float = 0.0
    files: int = 0
    nbytes: int = 0
    runs: dict = field(default_factory=lambda: {"with": [], "without": []})


def flake8_args(files: list[Path]) -> list[str]:
    return ["--isolated", "--exit-zero", "-j1", *map(str, files)]


def stdin_args() -> list[str]:
    return ["--isolated", "--exit-zero", "-j1", "-", "--stdin-display-name", "x.py"]


def pick_stdin_file(out: Path) -> tuple[Path, str]:
    """A real ~1,000-line slim file: a single tf_slim module of 900-1,100 lines
    that uses arg_scope, else the two tf_slim/nets modules using arg_scope
    whose line counts add up closest to 1,000, concatenated."""
    root = corpus_path("tf_slim")
    mods = []
    for f in sorted(root.rglob("*.py")):
        text = f.read_text(encoding="utf-8")
        if "arg_scope" in text and not f.name.endswith("_test.py"):
            mods.append((f, text, text.count("\n")))
    single = [m for m in mods if 900 <= m[2] <= 1100]
    if single:
        f, text, n = min(single, key=lambda m: abs(m[2] - STDIN_TARGET_LINES))
        chosen, body = [f], text
    else:
        nets = [m for m in mods if m[0].parent.name == "nets"]
        a, b = min(itertools.combinations(nets, 2),
                   key=lambda p: (abs(p[0][2] + p[1][2] - STDIN_TARGET_LINES), p[0][0], p[1][0]))
        chosen, body = [a[0], b[0]], a[1].rstrip("\n") + "\n\n\n" + b[1]
    ast.parse(body)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    desc = " + ".join(str(p.relative_to(root)) for p in chosen)
    return out, f"{desc} ({body.count(chr(10))} lines)"


def build_measures(args) -> tuple[list[Measure], Measure, str]:
    measures = []
    for name in SLIM_CORPORA:
        files = corpus_files(name)
        measures.append(Measure(name, f"run time ratio, {name} ({len(files)} files)", "ratio",
                                flake8_args(files), budget=BUDGET_RATIO_SLIM))
    std = corpus_files("stdlib")
    total = len(std)
    if args.full_stdlib or args.stdlib_files >= total:
        sel, how = std, f"all {total} files"
    else:
        step = math.ceil(total / args.stdlib_files)
        sel = std[::step][: args.stdlib_files]
        how = f"sample: {len(sel)} of {total} files (every {step}th by sorted path)"
    measures.append(Measure("stdlib", f"run time ratio, stdlib ({how})", "ratio",
                            flake8_args(sel), budget=BUDGET_RATIO_STDLIB))
    for m in measures:
        paths = [Path(a) for a in m.args if a.endswith(".py")]
        m.files = len(paths)
        m.nbytes = sum(p.stat().st_size for p in paths)
    if args.stdin_file:
        sfile, sdesc = Path(args.stdin_file).resolve(), str(args.stdin_file)
    else:
        sfile, sdesc = pick_stdin_file(WORK / "stdin_1000.py")
    stdin = Measure("stdin", f"stdin run extra time ({sdesc})", "stdin", stdin_args(),
                    stdin=sfile, budget=BUDGET_STDIN_MS)
    stdin.files, stdin.nbytes = 1, sfile.stat().st_size
    return measures, stdin, sdesc


def warm_page_cache(measures: list[Measure]) -> None:
    for m in measures:
        for a in m.args:
            if a.endswith(".py"):
                with open(a, "rb") as fh:
                    fh.read()


def pair(m: Measure, sides: tuple[Side, Side], first_with: bool, cwd: Path) -> None:
    order = sides if first_with else sides[::-1]
    for side in order:
        m.runs[side.label].append(run_once([*side.flake8, *m.args], cwd, m.stdin))


def metric(r: Run, which: str) -> float:
    return r.cpu if which == "cpu" else r.wall


def summarize(m: Measure, which: str) -> dict:
    w = [metric(r, which) for r in m.runs["with"]]
    wo = [metric(r, which) for r in m.runs["without"]]
    out = {"n": len(w), "with_median_s": statistics.median(w),
           "without_median_s": statistics.median(wo)}
    # contention only ever adds time: min/min is a second, one-sided estimate
    out["min_with_s"], out["min_without_s"] = min(w), min(wo)
    if m.kind == "ratio":
        out["ratio"] = statistics.median(a / b for a, b in zip(w, wo))
        out["ratio_of_mins"] = min(w) / min(wo)
        out["ok"] = out["ratio"] <= m.budget
    else:
        out["delta_ms"] = statistics.median((a - b) * 1000 for a, b in zip(w, wo))
        out["delta_of_mins_ms"] = (min(w) - min(wo)) * 1000
        out["ok"] = out["delta_ms"] <= m.budget
    return out


# --------------------------------------------------------------------------- #


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", "-n", type=int, default=None,
                    help="with/without pairs per corpus measure (default 5; 3 with --quick)")
    ap.add_argument("--min-repeats", type=int, default=None,
                    help="pairs always done even past --max-minutes (default 2; 1 with --quick)")
    ap.add_argument("--max-minutes", type=float, default=None,
                    help="stop adding rounds once the next would end later than this "
                         "(default 8; 4 with --quick; 0 = no cap)")
    ap.add_argument("--stdin-repeats", type=int, default=None,
                    help="stdin pairs (default 15; 9 with --quick)")
    ap.add_argument("--stdlib-files", type=int, default=None,
                    help="stdlib sample size (default 150; 100 with --quick)")
    ap.add_argument("--full-stdlib", action="store_true",
                    help="use all stdlib files (slow: ~150 s per run)")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: 3 repeats (at least 1), 100 stdlib files, 9 stdin pairs, "
                         "4-minute cap")
    ap.add_argument("--metric", choices=("cpu", "wall"), default="cpu",
                    help="time judged against the budget: child CPU user+sys (default) "
                         "or wall clock")
    ap.add_argument("--with-env", choices=("venv", "current"), default="venv",
                    help="'with' side: a twin venv of the 'without' one plus the repo's plugin "
                         "(default), or this environment's flake8 (its extra startup cost is "
                         "counted against the plugin)")
    ap.add_argument("--stdin-file",
                    help="file for the stdin measure (default: picked from tf_slim)")
    ap.add_argument("--only", nargs="+", metavar="MEASURE",
                    help="only these measures: tf_slim tensorpack object_detection stdlib stdin")
    ap.add_argument("--json", type=Path, metavar="PATH", help="write the raw numbers here")
    ap.add_argument("--strict", action="store_true", help="exit 1 if any measure is over budget")
    args = ap.parse_args(argv)
    args.repeats = args.repeats or (3 if args.quick else 5)
    args.stdin_repeats = args.stdin_repeats or (9 if args.quick else 15)
    args.stdlib_files = args.stdlib_files or (100 if args.quick else 150)
    if args.max_minutes is None:
        args.max_minutes = 4.0 if args.quick else 8.0
    if args.min_repeats is None:
        args.min_repeats = 1 if args.quick else 2
    args.min_repeats = max(1, min(args.min_repeats, args.repeats))

    t_start = time.perf_counter()
    cwd = Path(tempfile.mkdtemp(prefix="argscope-bench-"))
    try:
        sides = prepare_sides(args.with_env, cwd)
        measures, stdin, _ = build_measures(args)
        if args.only:
            measures = [m for m in measures if m.key in args.only]
            if "stdin" not in args.only:
                stdin = None
        for s in sides:
            log(f"{s.label:7s}: {' '.join(s.flake8)}  [{s.version}]")
        warm_page_cache(measures)
        # untimed warm-up: .pyc files, plugin import, page cache of the venvs
        if stdin is not None:
            for side in sides:
                run_once([*side.flake8, *stdin.args], cwd, stdin.stdin)
        for m in measures[:1]:
            for side in sides:
                run_once([*side.flake8, *m.args[:4]], cwd)

        if stdin is not None:
            log(f"stdin: {args.stdin_repeats} pairs on {stdin.stdin}")
            for i in range(args.stdin_repeats):
                pair(stdin, sides, i % 2 == 0, cwd)

        deadline = t_start + args.max_minutes * 60 if args.max_minutes > 0 else math.inf
        rounds_done, capped = 0, False
        round_times = []
        for r in range(args.repeats):
            if r >= args.min_repeats and round_times:
                est = max(round_times)
                if time.perf_counter() + est > deadline:
                    capped = True
                    log(f"time cap: stopping after {r} rounds (next round ~{est:.0f} s)")
                    break
            t0 = time.perf_counter()
            for j, m in enumerate(measures):
                pair(m, sides, (r + j) % 2 == 0, cwd)
                last = m.runs["with"][-1], m.runs["without"][-1]
                log(f"round {r + 1}/{args.repeats} {m.key}: "
                    f"with {last[0].cpu:.2f}s cpu/{last[0].wall:.2f}s wall, "
                    f"without {last[1].cpu:.2f}s cpu/{last[1].wall:.2f}s wall")
            round_times.append(time.perf_counter() - t0)
            rounds_done = r + 1
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"benchmark could not run: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(cwd, ignore_errors=True)
    wall_total = time.perf_counter() - t_start

    # ---- report ---------------------------------------------------------- #
    rows, results = [], {}
    for m in measures:
        s = summarize(m, args.metric)
        results[m.key] = s
        rows.append((f"{m.title}, {args.metric} time",
                     f"{s['with_median_s']:.2f} s", f"{s['without_median_s']:.2f} s",
                     f"{s['ratio']:.3f}", f"<= {m.budget:.2f}", "yes" if s["ok"] else "**NO**"))
    if stdin is not None:
        s = summarize(stdin, args.metric)
        results["stdin"] = s
        rows.append((f"{stdin.title}, {args.metric} time",
                     f"{s['with_median_s'] * 1000:.0f} ms",
                     f"{s['without_median_s'] * 1000:.0f} ms",
                     f"{s['delta_ms']:+.1f} ms", f"<= {stdin.budget:.0f} ms",
                     "yes" if s["ok"] else "**NO**"))
    slim = [m for m in measures if m.key in SLIM_CORPORA]
    if slim:
        big = max(slim, key=lambda m: m.nbytes)
        w = statistics.median(r.maxrss_kb for r in big.runs["with"]) / 1024
        wo = statistics.median(r.maxrss_kb for r in big.runs["without"]) / 1024
        ok = w - wo <= BUDGET_RSS_MB
        results["peak_rss"] = {"corpus": big.key, "with_mb": w, "without_mb": wo,
                               "delta_mb": w - wo, "ok": ok}
        rows.append((f"peak RSS, {big.key} (largest slim corpus)", f"{w:.1f} MB", f"{wo:.1f} MB",
                     f"{w - wo:+.1f} MB", f"<= +{BUDGET_RSS_MB:.0f} MB", "yes" if ok else "**NO**"))

    head = ("measure", "with", "without", "ratio/delta", "budget", "pass")
    print(f"\n## flake8-argscope cost ({args.metric} time; medians of interleaved pairs)\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * 4 + [":---:"]) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    other = "wall" if args.metric == "cpu" else "cpu"
    mins = "; ".join(
        (f"{m.key} {summarize(m, args.metric)['ratio_of_mins']:.3f}" if m.kind == "ratio"
         else f"{m.key} {summarize(m, args.metric)['delta_of_mins_ms']:+.1f} ms")
        for m in [*measures, *([stdin] if stdin else [])])
    print(f"\n{args.metric} time, fastest with / fastest without (for information): {mins}")
    print(f"{other} time, for information: " + "; ".join(
        (f"{m.key} {summarize(m, other)['ratio']:.3f}" if m.kind == "ratio"
         else f"{m.key} {summarize(m, other)['delta_ms']:+.1f} ms")
        for m in [*measures, *([stdin] if stdin else [])]))
    note = f" (stopped early by --max-minutes {args.max_minutes:g})" if capped else ""
    stdin_note = f", {len(stdin.runs['with'])} for stdin" if stdin else ""
    print(f"pairs: {rounds_done} of {args.repeats} per corpus{note}{stdin_note}; "
          f"'with' = {args.with_env} env; total wall {wall_total:.0f} s")
    print(f"with:    {sides[0].version}\nwithout: {sides[1].version}")
    all_ok = all(v["ok"] for v in results.values())
    print(f"overall: {'within budget' if all_ok else 'OVER BUDGET'}")

    if args.json:
        raw = {
            "budget": {"ratio_slim": BUDGET_RATIO_SLIM, "ratio_stdlib": BUDGET_RATIO_STDLIB,
                       "stdin_ms": BUDGET_STDIN_MS, "rss_mb": BUDGET_RSS_MB},
            "metric": args.metric, "with_env": args.with_env,
            "sides": {s.label: {"cmd": s.flake8, "version": s.version} for s in sides},
            "python": sys.version, "platform": platform.platform(), "cpus": os.cpu_count(),
            "rounds_done": rounds_done, "repeats": args.repeats, "capped": capped,
            "wall_total_s": wall_total, "summary": results, "ok": all_ok,
            "measures": {
                m.key: {"title": m.title, "kind": m.kind, "files": m.files, "bytes": m.nbytes,
                        "budget": m.budget,
                        "runs": {k: [vars(r) for r in v] for k, v in m.runs.items()}}
                for m in [*measures, *([stdin] if stdin else [])]
            },
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(raw, indent=1) + "\n")
        log(f"raw numbers written to {args.json}")
    return 1 if (args.strict and not all_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
