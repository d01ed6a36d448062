"""Under flake8 the tree plugin's findings are reported after flake8 dropped the syntax tree
(flake8_argscope/handover.py), and exactly the findings a direct run() gives; anyone else
consuming run() gets them directly, also after flake8 ran in the same process."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flake8 import checker as flake8_checker
from flake8 import processor as flake8_processor
from flake8.main import application

from flake8_argscope import handover
from flake8_argscope.api import build_config
from flake8_argscope.checker import ArgScopeChecker

# clean for flake8's own checkers at --max-line-length 100; three kinds of ASC finding
SOURCE = '''\
import tf_slim as slim


def net(inputs):
    with slim.arg_scope([slim.conv2d], stride=2, padding='SAME'):
        a = slim.conv2d(inputs, 8, [3, 3], 2)
        return slim.conv2d(a, 8, [3, 3], padding='SAME')


def head(net):
    net = slim.conv2d(net, 8, [3, 3], rate=2)
    net = slim.conv2d(net, 8, [3, 3], rate=2)
    return slim.conv2d(net, 8, [3, 3], rate=2)
'''


def direct(source: str) -> list[tuple[int, int, str]]:
    checker = ArgScopeChecker(ast.parse(source), source.splitlines(True), "model.py")
    checker.config = build_config()
    return [(line, col, msg) for line, col, msg, _t in checker.run()]


@pytest.fixture
def phases(monkeypatch):
    """Where flake8 first asks for a line's noqa text: inside the tree checks or after."""
    seen: list[str] = []
    phase = ["tokens"]
    run_ast_checks = flake8_checker.FileChecker.run_ast_checks
    noqa_line_for = flake8_processor.FileProcessor.noqa_line_for

    def tree_phase(self):
        phase[0] = "tree"
        try:
            run_ast_checks(self)
        finally:
            phase[0] = "tokens"

    def noqa(self, line_number):
        seen.append(phase[0])
        return noqa_line_for(self, line_number)

    monkeypatch.setattr(flake8_checker.FileChecker, "run_ast_checks", tree_phase)
    monkeypatch.setattr(flake8_processor.FileProcessor, "noqa_line_for", noqa)
    return seen


def flake8_run(*paths) -> list[tuple[str, int, int, str]]:
    """flake8 in this process, serially: (file name, line, column, message) it reports."""
    out = paths[0].parent / "flake8.out"
    application.Application().run(["--isolated", "-j1", "--max-line-length", "100",
                                   "--output-file", str(out), *map(str, paths)])
    found = []
    for row in out.read_text().splitlines():
        name, line, col, msg = row.split(":", 3)
        found.append((Path(name).name, int(line), int(col), msg.strip()))
    return sorted(found)


def test_flake8_reports_after_the_tree_checks(tmp_path, phases):
    path = tmp_path / "model.py"
    path.write_text(SOURCE)
    found = flake8_run(path)
    expected = sorted(("model.py", line, col + 1, msg) for line, col, msg in direct(SOURCE))
    assert {m[:6] for *_p, m in expected} == {"ASC101", "ASC201", "ASC401"}
    assert found == expected  # the same findings, positions included, and nothing else
    # flake8 built its noqa map only once the tree was gone
    assert phases and set(phases) == {"tokens"}, phases


def test_noqa_still_applies_to_held_findings(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(SOURCE.replace("[3, 3], 2)", "[3, 3], 2)  # noqa: ASC401"))
    codes = [m[:6] for *_p, m in flake8_run(path)]
    assert "ASC401" not in codes and "ASC201" in codes


def test_direct_consumers_get_findings_after_flake8_ran_in_process(tmp_path):
    path = tmp_path / "model.py"
    path.write_text(SOURCE)
    assert flake8_run(path)  # arms the hand-over for flake8's run_ast_checks
    assert len(direct(SOURCE)) == 3
    assert handover._held == []  # nothing held for a consumer that is not flake8


def test_each_file_reports_its_own_findings(tmp_path):
    first = tmp_path / "a.py"
    first.write_text(SOURCE)
    second = tmp_path / "b.py"  # a trigger word, no finding
    second.write_text("import tf_slim as slim\n\nx = slim.conv2d(1, 2, 3)\n")
    third = tmp_path / "c.py"
    third.write_text(SOURCE)
    found = flake8_run(first, second, third)
    assert {name for name, *_r in found} == {"a.py", "c.py"}
    assert len(found) == 6
    assert handover._held == []
