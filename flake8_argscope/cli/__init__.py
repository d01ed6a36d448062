"""The ``flake8-argscope`` command: ``explain`` and ``fix``, on the lint model.

Never imported by the flake8 plugin (tests/test_cli.py checks it): the lint path pays
nothing for it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from flake8_argscope import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

    from flake8_argscope.api import Config


def load_config() -> Config:
    """The argscope-* options of the project's flake8 configuration (setup.cfg, tox.ini,
    .flake8 in the working directory), every ASC code enabled."""
    from flake8_argscope.api import build_config
    from flake8_argscope.rules import CODES

    try:
        from flake8.options.parse_args import parse_args

        _plugins, options = parse_args(["--select=ASC"])
        config = build_config(options)
    except (Exception, SystemExit):  # no usable flake8 configuration: the defaults
        config = build_config(None)
    config.enabled = frozenset(CODES)
    return config


def read_source(path: str) -> str:
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        with open(path, "rb") as fh:
            data = fh.read()
    import io
    import tokenize

    try:  # the file's declared encoding (PEP 263), as Python reads it
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    return data.decode(encoding)


def _split_line(target: str) -> tuple[str, int | None]:
    """``path:LINE`` (when ``path`` itself is not a file) -> (path, LINE)."""
    if not os.path.exists(target):
        path, sep, line = target.rpartition(":")
        if sep and line.isdigit():
            return path, int(line)
    return target, None


def _explain(args: argparse.Namespace) -> int:
    from flake8_argscope.cli.contexts import Index
    from flake8_argscope.cli.explain import explain_source, render_text
    from flake8_argscope.cli.fix import expand

    config = load_config()
    everything = []
    status = 0
    targets = expand(args.targets)
    index = Index(config)  # the scopes callers bring: the explained files' projects
    index.add_paths([_split_line(t)[0] for t in targets])
    for where, failure in dict.fromkeys(index.failures):
        sys.stderr.write(f"flake8-argscope: contexts through {where} not read "
                         f"(please report): {failure}\n")
    for target in targets:
        path, line = _split_line(target)
        try:
            source = read_source(path)
            reports = explain_source(source, "stdin" if path == "-" else path, config, index)
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"flake8-argscope: {path}: {exc}\n")
            status = 2
            continue
        except SyntaxError as exc:
            sys.stderr.write(f"flake8-argscope: {path}:{exc.lineno}: syntax error: "
                             f"{exc.msg}\n")
            status = 2
            continue
        if line is not None:
            reports = [r for r in reports if r["line"] == line]
        everything.extend(reports)
    if args.format == "json":
        sys.stdout.write(json.dumps(everything, indent=2) + "\n")
    else:
        sys.stdout.write(render_text(everything))
    return status


def _fix(args: argparse.Namespace) -> int:
    from flake8_argscope.cli.fix import run_fix

    return run_fix(args, load_config())


def _inline(args: argparse.Namespace) -> int:
    from flake8_argscope.cli.inline import run_inline

    return run_inline(args, load_config())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="flake8-argscope",
        description="Show what TF-Slim / tensorpack arg_scopes pass to each call, and fix "
                    "the ASC findings that can be fixed.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("explain", help="the keyword arguments each scoped call receives")
    ex.add_argument("targets", nargs="+", metavar="PATH[:LINE]",
                    help="a file (- for stdin), optionally :LINE for the calls starting there")
    ex.add_argument("--format", choices=("text", "json"), default="text")
    ex.set_defaults(run=_explain)
    fx = sub.add_parser("fix", help="apply the safe fixes (ASC201, ASC401, ASC403); "
                                    "--unsafe-fixes also ASC101 (absorb) and ASC303")
    fx.add_argument("paths", nargs="+", metavar="PATH", help="files (- : stdin to stdout)")
    fx.add_argument("--diff", action="store_true",
                    help="print a unified diff instead of writing; exit 1 if it would change")
    fx.add_argument("--unsafe-fixes", action="store_true",
                    help="also apply the fixes that can change behaviour (ASC201 on calls, "
                         "ASC101's absorb, ASC303)")
    fx.add_argument("--select", default="",
                    help="comma-separated codes or prefixes to fix (default: all)")
    fx.set_defaults(run=_fix)
    il = sub.add_parser("inline", help="write the keywords arg_scopes supply into the calls "
                                       "and remove the scopes (proven by the model)")
    il.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    il.add_argument("--diff", action="store_true",
                    help="print a unified diff instead of writing; exit 1 if it would change")
    il.set_defaults(run=_inline)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:  # `| head`
        return 0
    except KeyboardInterrupt:
        return 130
