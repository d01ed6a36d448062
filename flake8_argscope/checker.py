"""flake8 glue: the checker class flake8 instantiates per file; options, gates and error
isolation are api.py's, shared with the other front ends."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flake8_argscope import __version__ as _version
from flake8_argscope import handover
from flake8_argscope import options as _options
from flake8_argscope.api import Config, build_config, findings

if TYPE_CHECKING:
    import argparse
    import ast
    from collections.abc import Iterator

    from flake8.options.manager import OptionManager


class ArgScopeChecker:
    name = "flake8-argscope"
    version = _version
    config = Config()

    def __init__(self, tree: ast.Module, lines: list[str] | None = None,
                 filename: str = "stdin") -> None:
        self.tree = tree
        self.lines = lines
        self.filename = filename

    @classmethod
    def add_options(cls, parser: OptionManager) -> None:
        _options.add_options(parser)

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        cls.config = build_config(options)
        handover.disarm()

    def run(self) -> Iterator[tuple[int, int, str, type[ArgScopeChecker]]]:
        source = "".join(self.lines) if self.lines is not None else None
        found = findings(self.tree, self.config, self.filename, source)
        if handover.should_hold():  # flake8 reports them once its tree is gone
            handover.hold([((line, col), message) for line, col, message in found])
            return
        for line, col, message in found:
            yield line, col, message, type(self)
