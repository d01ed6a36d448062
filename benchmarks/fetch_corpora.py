#!/usr/bin/env python
"""Fetch the real-world corpora that flake8-argscope is benchmarked / tested on.

Usage::

    python benchmarks/fetch_corpora.py [--dest DIR] [NAME ...]

Every corpus is fetched with pip only (``pip download --no-deps``), unpacked, and
left as ``DIR/<name>/`` holding only the ``.py`` files of the distribution
(archive-relative paths kept, ``*.dist-info`` / ``*.egg-info`` dropped).  The
default DIR is ``<repo>/.cache/corpora`` (gitignored via ``.cache/``); the
environment variable ``ARGSCOPE_CORPORA_DIR`` overrides it.

Corpora:

``tf_slim``           ``tf-slim==1.1.0`` (wheel, includes ``tf_slim/nets``)
``tensorpack``        ``tensorpack==0.11``
``object_detection``  ``object-detection==0.0.3`` (wheel or sdist, both handled)
``tf_contrib``        the ``.py`` files under ``tensorflow_core/contrib/`` of the
                      ``tensorflow==1.15.5`` cp37 manylinux2010 wheel (kept as
                      ``DIR/tf_contrib/<path below tensorflow_core/contrib/>``)
``stdlib``            not fetched: the running interpreter's standard library,
                      ``sysconfig.get_paths()["stdlib"]`` (its ``site-packages``
                      is *not* part of the corpus; see :func:`corpus_files`).

Idempotent: a corpus whose ``DIR/<name>/.complete`` marker exists is skipped, and a
downloaded archive kept in ``DIR/_downloads/<name>/`` is reused.  Extraction goes to
a temporary sibling directory that is renamed into place, and a per-corpus lock
file makes concurrent callers (e.g. parallel test workers) safe.

Nothing fetched is ever imported or executed: archives are read with
:mod:`zipfile` / :mod:`tarfile` and only ``.py`` members with safe relative paths
are written.

For other scripts and tests::

    sys.path.insert(0, str(REPO / "benchmarks"))
    from fetch_corpora import corpus_path, corpus_files
    root = corpus_path("tf_slim")          # fetches if needed -> Path
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import posixpath
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DEST = REPO_ROOT / ".cache" / "corpora"
DOWNLOADS = "_downloads"
MARKER = ".complete"


@dataclass(frozen=True)
class Corpus:
    name: str
    requirement: str
    # archive-internal prefix to keep (and strip); "" keeps everything
    prefix: str = ""
    pip_args: tuple = ()
    description: str = ""
    archive_kinds: tuple = field(default=(".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2"))


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus("tf_slim", "tf-slim==1.1.0", description="TF-Slim 1.1.0 incl. nets"),
        Corpus("tensorpack", "tensorpack==0.11", description="tensorpack 0.11"),
        Corpus(
            "object_detection",
            "object-detection==0.0.3",
            description="object-detection 0.0.3 (PyPI copy of the TF OD API)",
        ),
        Corpus(
            "tf_contrib",
            "tensorflow==1.15.5",
            prefix="tensorflow_core/contrib/",
            pip_args=(
                "--only-binary=:all:",
                "--python-version", "3.7",
                "--platform", "manylinux2010_x86_64",
            ),
            description="tensorflow 1.15.5 cp37 wheel: tensorflow_core/contrib/**.py",
            archive_kinds=(".whl",),
        ),
    )
}
STDLIB = "stdlib"
ALL_NAMES = (*CORPORA, STDLIB)


def _log(msg: str) -> None:
    print(f"[fetch_corpora] {msg}", flush=True)


def default_dest() -> Path:
    env = os.environ.get("ARGSCOPE_CORPORA_DIR")
    return Path(env).expanduser().resolve() if env else DEFAULT_DEST


def stdlib_path() -> Path:
    """The running interpreter's standard library directory."""
    return Path(sysconfig.get_paths()["stdlib"])


# --------------------------------------------------------------------------- #
# archive handling


def _safe_member(name: str) -> str | None:
    """Normalised POSIX relative path, or None if the name is unsafe."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    norm = posixpath.normpath(name)
    if norm in ("", ".") or norm == ".." or norm.startswith("../"):
        return None
    return norm


def _relative_target(member: str, corpus: Corpus, strip_top: bool) -> str | None:
    """Where an archive member goes inside DIR/<name>/, or None to skip it."""
    rel = _safe_member(member)
    if rel is None or not rel.endswith(".py"):
        return None
    if strip_top:  # sdist: drop the "<pkg>-<version>/" directory
        if "/" not in rel:
            return None
        rel = rel.split("/", 1)[1]
    parts = rel.split("/")
    if any(p.endswith((".dist-info", ".egg-info")) for p in parts[:-1]):
        return None
    if corpus.prefix:
        if not rel.startswith(corpus.prefix):
            return None
        rel = rel[len(corpus.prefix):]
    return rel or None


def _sdist_has_common_top(names: list[str]) -> bool:
    tops = {n.replace("\\", "/").lstrip("./").split("/", 1)[0] for n in names if n.strip("./")}
    return len(tops) == 1


def _extract(archive: Path, corpus: Corpus, out: Path) -> int:
    """Write the selected .py members of ``archive`` below ``out``; return the count."""
    count = 0
    lower = archive.name.lower()
    if lower.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            names = [i.filename for i in infos]
            strip_top = lower.endswith(".zip") and _sdist_has_common_top(names)
            for info in infos:
                rel = _relative_target(info.filename, corpus, strip_top)
                if rel is None:
                    continue
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                count += 1
    elif lower.endswith((".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar")):
        with tarfile.open(archive) as tf:
            members = [m for m in tf.getmembers() if m.isfile()]
            strip_top = _sdist_has_common_top([m.name for m in members])
            for m in members:
                rel = _relative_target(m.name, corpus, strip_top)
                if rel is None:
                    continue
                src = tf.extractfile(m)
                if src is None:
                    continue
                target = out / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                count += 1
    else:
        raise RuntimeError(f"unsupported archive type: {archive}")
    return count


def _find_archive(folder: Path, corpus: Corpus) -> Path | None:
    if not folder.is_dir():
        return None
    candidates = sorted(
        p for p in folder.iterdir() if p.is_file() and p.name.lower().endswith(corpus.archive_kinds)
    )
    # prefer wheels over sdists
    candidates.sort(key=lambda p: (not p.name.endswith(".whl"), p.name))
    return candidates[0] if candidates else None


def _download(corpus: Corpus, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
        "--progress-bar", "off", "-d", str(folder), *corpus.pip_args, corpus.requirement,
    ]
    _log(f"{corpus.name}: $ {' '.join(cmd[1:])}")
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout)
        raise RuntimeError(f"pip download failed for {corpus.requirement} (exit {proc.returncode})")
    archive = _find_archive(folder, corpus)
    if archive is None:
        raise RuntimeError(f"pip download of {corpus.requirement} left no archive in {folder}")
    return archive


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def fetch(name: str, dest: Path | str | None = None, *, keep_archive: bool = True,
          verbose: bool = True) -> Path:
    """Make sure DIR/<name>/ is populated; return its path.

    Downloading and extracting are always reported on stdout; with ``verbose``
    a corpus that is already present is reported too."""
    if name == STDLIB:
        path = stdlib_path()
        if verbose:
            _log(f"stdlib: not fetched, using {path}")
        return path
    if name not in CORPORA:
        raise KeyError(f"unknown corpus {name!r}; known: {', '.join(ALL_NAMES)}")
    corpus = CORPORA[name]
    dest = Path(dest).resolve() if dest is not None else default_dest()
    out = dest / name
    if (out / MARKER).is_file():
        if verbose:
            _log(f"{name}: present in {out}, skipped")
        return out
    with _locked(dest / f".{name}.lock"):
        if (out / MARKER).is_file():  # someone else finished it meanwhile
            _log(f"{name}: present in {out}, skipped")
            return out
        dl = dest / DOWNLOADS / name
        archive = _find_archive(dl, corpus)
        if archive is not None:
            _log(f"{name}: reusing downloaded {archive.name}")
        else:
            archive = _download(corpus, dl)
            _log(f"{name}: downloaded {archive.name} ({archive.stat().st_size / 1e6:.1f} MB)")
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=dest))
        try:
            n = _extract(archive, corpus, tmp)
            if n == 0:
                raise RuntimeError(f"{archive.name}: no .py files matched for corpus {name}")
            (tmp / MARKER).write_text(
                json.dumps({"requirement": corpus.requirement, "archive": archive.name,
                            "prefix": corpus.prefix, "py_files": n}, indent=1) + "\n"
            )
            if out.exists():  # partial leftovers without a marker
                shutil.rmtree(out)
            os.replace(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _log(f"{name}: extracted {n} .py files from {archive.name} into {out}")
        if not keep_archive:
            shutil.rmtree(dl, ignore_errors=True)
        return out


def corpus_path(name: str, dest: Path | str | None = None, *, verbose: bool = False) -> Path:
    """Path of corpus ``name`` (fetching it first if needed). ``stdlib`` is never fetched.

    Quiet when the corpus is already there; a fetch is still reported."""
    return fetch(name, dest, verbose=verbose)


def corpus_files(name: str, dest: Path | str | None = None, limit: int | None = None) -> list[Path]:
    """Sorted ``.py`` files of a corpus; for ``stdlib`` the ``site-packages`` and
    ``dist-packages`` trees are left out.  ``limit`` keeps the first N (by path)."""
    root = corpus_path(name, dest, verbose=False)
    skip = {"site-packages", "dist-packages", "__pycache__"}
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in skip)
        files.extend(Path(dirpath, f) for f in filenames if f.endswith(".py"))
    files.sort()
    return files[:limit] if limit is not None else files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"corpora ({', '.join(ALL_NAMES)}); default all")
    ap.add_argument("--dest", type=Path, default=None,
                    help=f"target directory (default {DEFAULT_DEST.relative_to(REPO_ROOT)} "
                         "in the repo, or $ARGSCOPE_CORPORA_DIR)")
    ap.add_argument("--drop-archives", action="store_true",
                    help="delete the downloaded archive after extraction "
                         "(saves ~110 MB for tf_contrib)")
    args = ap.parse_args(argv)
    names = args.names or list(ALL_NAMES)
    bad = [n for n in names if n not in ALL_NAMES]
    if bad:
        ap.error(f"unknown corpus name(s): {', '.join(bad)}; known: {', '.join(ALL_NAMES)}")
    dest = args.dest.resolve() if args.dest else default_dest()
    rc = 0
    for name in names:
        try:
            if name == STDLIB:
                path = fetch(name)
            else:
                path = fetch(name, dest, keep_archive=not args.drop_archives)
            files = corpus_files(name, dest)
            size = sum(f.stat().st_size for f in files)
            print(f"{name}\t{path}\t{len(files)} .py files\t{size / 1e6:.1f} MB")
        except Exception as exc:  # keep going with the other corpora
            print(f"[fetch_corpora] {name}: FAILED: {exc}", file=sys.stderr)
            rc = 1
    return rc


if __name__ == "__main__":
    sys.exit(main())
