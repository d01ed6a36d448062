"""CONTRIBUTING.md's "Adding a rule" walkthrough works as written: its rule class, pasted
into a copy of the package, is registered, selected and reported by the real flake8."""

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNIPPET = """\
import tf_slim as slim


def net(x):
    with slim.arg_scope([slim.conv2d], scope='conv'):
        return slim.conv2d(x, 8, [3, 3])
"""


def test_walkthrough_rule_is_reported(tmp_path):
    text = (ROOT / "CONTRIBUTING.md").read_text()
    block = re.search(r"```python\n(.*?)```", text, re.S)
    assert block, "CONTRIBUTING.md has the rule class in a python block"
    shutil.copytree(ROOT / "flake8_argscope", tmp_path / "flake8_argscope")
    runtime = tmp_path / "flake8_argscope" / "rules" / "runtime.py"
    runtime.write_text(runtime.read_text() + "\n\n" + textwrap.dedent(block.group(1)))
    (tmp_path / "model.py").write_text(SNIPPET)
    script = textwrap.dedent("""
        import sys
        from flake8.main.cli import main
        sys.argv = ["flake8", "--select", "ASC406", "--argscope-debug", "model.py"]
        main()
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(tmp_path), "PATH": ""})
    assert proc.stderr == ""
    assert proc.stdout == (
        "model.py:5:40: ASC406 arg_scope sets scope='conv' for every call of slim.conv2d: "
        "they share one variable scope\n")
