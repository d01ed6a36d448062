"""The plugin's options, declared once (OPTIONS) for flake8 and pylint, checked once when parsed.

A value that is not valid stops flake8 with one line that names the option, the value and what
is accepted (``OptionError``, a ``SystemExit``: exit status 2, no traceback). flake8 itself
stops the same way for codes that cannot exist in ``--select``/``--ignore`` (since 6.0), and a
warning would be lost where flake8 is run by another program (pylsp, pre-commit, CI logs): the
option would just do nothing, which is what the user is trying to find out.

``argscope-min-repeats`` is declared without ``type=int``: flake8 reads ``type=int`` options from
a configuration file with ``ConfigParser.getint``, whose ``ValueError`` is a traceback that never
names the option. Here it arrives as text from both the file and the command line.
"""

from __future__ import annotations

import keyword
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flake8.options.manager import OptionManager

MIN_REPEATS_DEFAULT = 3
# ASC101 reports calls that *repeat* a keyword: that takes two calls at least
MIN_REPEATS_LOWEST = 2
_WHOLE = re.compile(r"[+-]?[0-9]+")


class OptionError(SystemExit):
    """A bad option value: the one-line message is on stderr, flake8 stops with status 2 (as
    for a bad command-line flag; 1 means "findings")."""

    def __init__(self, option: str, value: object, accepted: str) -> None:
        self.message = (f"flake8-argscope: bad value for {option}: {value!r} "
                        f"(accepted: {accepted})")
        sys.stderr.write(self.message + "\n")
        super().__init__(2)


# Each option once, for both front ends: name, kind ("int", "csv": a comma-separated list,
# "flag"), default, help. flake8 declares them in add_options, pylint in pylint.py.
OPTIONS: tuple[tuple[str, str, Any, str], ...] = (
    ("argscope-min-repeats", "int", MIN_REPEATS_DEFAULT,
     f"ASC101: how many calls of one op must repeat a keyword, a whole number "
     f">= {MIN_REPEATS_LOWEST} (default: {MIN_REPEATS_DEFAULT})"),
    ("argscope-exempt-kwargs", "csv", ("is_training",),
     "ASC201: keywords never reported as redundant (default: is_training)"),
    ("argscope-scoped-ops", "csv", (),
     "dotted paths (module.function) of extra functions to treat as scope-enabled"),
    ("argscope-arg-scope-modules", "csv", (),
     "dotted modules providing a slim-compatible arg_scope/add_arg_scope (vendored copies)"),
    ("argscope-import-roots", "csv", (),
     "extra directories to resolve the project's own imports from"),
    ("argscope-debug", "flag", False,
     "print flake8-argscope's internal errors to stderr instead of staying silent"),
)


def add_options(parser: OptionManager) -> None:
    for name, kind, default, text in OPTIONS:
        if kind == "flag":
            parser.add_option(f"--{name}", action="store_true", default=default,
                              parse_from_config=True, help=text)
        elif kind == "csv":
            parser.add_option(f"--{name}", default=",".join(default), parse_from_config=True,
                              comma_separated_list=True, help=text)
        else:  # no type=int: see the module's docstring
            parser.add_option(f"--{name}", default=str(default), parse_from_config=True,
                              help=text)


def min_repeats(value: object) -> int:
    """``argscope-min-repeats`` as a number: a whole number from 2 up, no silent clamping."""
    if value is None:
        return MIN_REPEATS_DEFAULT
    accepted = f"a whole number >= {MIN_REPEATS_LOWEST}; the default is {MIN_REPEATS_DEFAULT}"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise OptionError("argscope-min-repeats", value, accepted)
    if isinstance(value, str):
        if not _WHOLE.fullmatch(value.strip()):
            raise OptionError("argscope-min-repeats", value, accepted)
        number = int(value.strip())
    else:
        number = value
    if number < MIN_REPEATS_LOWEST:
        raise OptionError("argscope-min-repeats", value, accepted)
    return number


def _dotted(name: str) -> bool:
    parts = name.split(".")
    return all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)


def keyword_names(option: str, names: list[str]) -> list[str]:
    for name in names:
        if not name.isidentifier() or keyword.iskeyword(name):
            raise OptionError(option, name, "keyword argument names, separated by commas")
    return names


def scoped_op_paths(names: list[str]) -> list[str]:
    """Every name must be able to match a call: the plugin compares it with the full import
    path of the called function (``mynet.layers.conv_bn``), so a bare ``conv_bn`` never does."""
    accepted = ("dotted paths module.function as the code imports them, "
                "e.g. mynet.layers.conv_bn; separated by commas")
    for name in names:
        if "." not in name or not _dotted(name):
            raise OptionError("argscope-scoped-ops", name, accepted)
    return names


def module_paths(names: list[str]) -> list[str]:
    for name in names:
        if not _dotted(name):
            raise OptionError("argscope-arg-scope-modules", name,
                              "dotted module names, e.g. third_party.slim.arg_scope; "
                              "separated by commas")
    return names
