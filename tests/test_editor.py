"""Editor diagnostics, run the way each editor runs flake8 (docs/integrations.md).

python-lsp-server lints the unsaved buffer: a new ``flake8 - --stdin-display-name <path
relative to the root>`` process per lint, working directory the root. The plugin must report
the buffer's findings under that name and resolve the buffer's imports of other project
modules from disk. VS Code's flake8 extension lints on open and save with the file's absolute
path (stdin only for notebooks) and maps codes to severities by the longest matching prefix of
its ``flake8.severity`` setting.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROJECT = HERE / "fixtures" / "projects" / "e2e_editor"
FLAKE8 = [sys.executable, "-m", "flake8"]
LINE_RE = re.compile(r"^(.+?):(\d+):(\d+): ([A-Z]+[0-9]+) (.*)$")
LSP_TIMEOUT = 60.0

# The unsaved buffer of pkg/model.py (the saved file is clean).
BUFFER = '''\
"""The unsaved buffer: conv1 now passes its stride positionally."""
import tf_slim as slim


def model(inputs):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        net = slim.conv2d(inputs, 64, [11, 11], 4, scope='conv1')
        net = slim.conv2d(net, 128, [3, 3], scope='conv2')
    return net
'''
BUFFER_LINE = 7  # the conv1 line

# A buffer using ops of the sibling module pkg/ops.py (only on disk, never in the buffer).
CROSS_MODULE_BUFFER = '''\
import tf_slim as slim

from pkg.ops import plain_block
from .ops import conv_bn


def model(inputs):
    with slim.arg_scope([conv_bn], stride=2):
        net = conv_bn(inputs, 64, 1)
    with slim.arg_scope([plain_block], stride=2):
        net = plain_block(net, 128)
    return net
'''


@pytest.fixture
def project(tmp_path):
    dest = tmp_path / "e2e_editor"
    shutil.copytree(PROJECT, dest)
    return dest.resolve()


def flake8_stdin(cwd, display_name, source, *extra):
    proc = subprocess.run(
        [*FLAKE8, "-", "--stdin-display-name", str(display_name), *extra],
        cwd=str(cwd), input=source, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def findings(stdout):
    out = []
    for raw in stdout.splitlines():
        m = LINE_RE.match(raw)
        assert m, f"unparseable flake8 output: {raw!r}"
        out.append((m[1], int(m[2]), m[4]))
    return out


def asc(stdout):
    return [f for f in findings(stdout) if f[2].startswith("ASC")]


# ----------------------------------------------------------------------------- flake8 stdin
def test_buffer_not_disk(project):
    disk = subprocess.run([*FLAKE8, "pkg/model.py"], cwd=str(project), capture_output=True,
                          text=True, timeout=120)
    assert disk.returncode == 0 and disk.stdout == "", disk.stdout + disk.stderr
    proc = flake8_stdin(project, "pkg/model.py", BUFFER)
    assert asc(proc.stdout) == [("pkg/model.py", BUFFER_LINE, "ASC401")], proc.stdout
    assert proc.returncode == 1


def test_clean_buffer_over_dirty_disk(project):
    """The reverse: the file on disk has the finding, the buffer fixed it."""
    model = project / "pkg" / "model.py"
    clean = model.read_text()
    model.write_text(BUFFER)
    proc = flake8_stdin(project, "pkg/model.py", clean)
    assert asc(proc.stdout) == [] and proc.returncode == 0, proc.stdout


def test_absolute_display_name(project):
    """An absolute display name (VS Code's extension passes one for notebooks)."""
    path = project / "pkg" / "model.py"
    proc = flake8_stdin(project, path, BUFFER)
    assert asc(proc.stdout) == [(str(path), BUFFER_LINE, "ASC401")], proc.stdout


@pytest.mark.parametrize("where", ["root", "parent", "package"])
def test_cross_module_buffer(project, where):
    """Imports of the buffer (absolute and relative) resolve against the project on disk,
    wherever the editor starts flake8 from."""
    cwd, name = {
        "root": (project, "pkg/model.py"),
        "parent": (project.parent, f"{project.name}/pkg/model.py"),
        "package": (project / "pkg", "model.py"),
    }[where]
    proc = flake8_stdin(cwd, name, CROSS_MODULE_BUFFER, "--select", "ASC")
    lines = CROSS_MODULE_BUFFER.splitlines()
    conv_bn_call = next(i for i, s in enumerate(lines, 1) if "conv_bn(inputs" in s)
    plain_scope = next(i for i, s in enumerate(lines, 1) if "[plain_block]" in s)
    got = {(line, code) for _p, line, code in asc(proc.stdout)}
    assert got == {(conv_bn_call, "ASC401"), (plain_scope, "ASC301")}, proc.stdout + proc.stderr


# ----------------------------------------------------------------------------- VS Code
# microsoft/vscode-flake8, bundled/tool/lsp_server.py (c5911606): the --format it passes, the
# pattern it parses the output with, and how _get_severity picks a severity.
VSCODE_FORMAT = "--format=%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s"
VSCODE_RE = re.compile(
    r"(?P<line>\d+),(?P<column>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):(?P<message>[^\r\n]*)")


def vscode_severity(code, code_type, severity):
    value = None
    while code and value is None:
        value = severity.get(code, None)
        code = code[:-1]
    if value is None:
        value = severity.get(code_type, "Error")
    return value


def documented_vscode_settings():
    text = (HERE.parent / "docs" / "integrations.md").read_text()
    block = re.search(r"<!-- vscode-severity:start -->\n```json\n(.*?)```", text, re.S)
    return json.loads(block.group(1))["flake8.severity"]


def test_vscode_extension_run(project):
    """flake8 run as the extension runs it on a saved file: its format, the absolute path,
    the workspace as working directory; each ASC code gets the registry's severity through
    the documented settings, and none without them would (the default makes them all Error)."""
    from flake8_argscope.rules import RULES

    model = project / "pkg" / "model.py"
    model.write_text(BUFFER)
    proc = subprocess.run([*FLAKE8, VSCODE_FORMAT, str(model)], cwd=str(project),
                          capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    found = [VSCODE_RE.match(line).groupdict() for line in proc.stdout.splitlines()]
    asc401 = [d for d in found if d["code"] == "ASC401"]
    assert len(asc401) == 1 and int(asc401[0]["line"]) == BUFFER_LINE, proc.stdout
    settings = documented_vscode_settings()
    level = {"ERROR": "Error", "WARNING": "Warning", "INFO": "Information"}
    for code, rule in RULES.items():
        assert vscode_severity(code, code[0], settings) == level[rule.severity.name], code
    default = {"E": "Error", "F": "Error", "I": "Information", "W": "Warning"}
    assert {vscode_severity(code, code[0], default) for code in RULES} == {"Error"}


# ----------------------------------------------------------------------------- python-lsp-server
class LspClient:
    """A minimal LSP client over stdio: Content-Length framing, requests, notifications."""

    def __init__(self, cmd, cwd, env):
        self.proc = subprocess.Popen(cmd, cwd=str(cwd), env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: queue.Queue = queue.Queue()
        self.stderr: list[bytes] = []
        self._id = 0
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _drain_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line)

    def _read(self):
        stream = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                key, _, value = line.decode("ascii").partition(":")
                headers[key.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def _send(self, payload):
        body = json.dumps(payload).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method, params=None):
        self._send({"jsonrpc": "2.0", "method": method, "params": params or {}})

    def request(self, method, params=None, timeout=LSP_TIMEOUT):
        self._id += 1
        rid = self._id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params or {}})
        deadline = time.monotonic() + timeout
        while True:
            msg = self.next(deadline)
            if msg.get("id") == rid and "method" not in msg:
                assert "error" not in msg, msg
                return msg.get("result")
            self.handle_server_request(msg)

    def next(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(self.describe())
        try:
            msg = self.messages.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError(self.describe()) from None
        if msg is None:
            raise EOFError(f"pylsp exited ({self.proc.poll()})\n{self.describe()}")
        return msg

    def handle_server_request(self, msg):
        """Answer requests the server sends us (progress tokens, configuration)."""
        if "id" in msg and "method" in msg:
            result = [None] * len(msg.get("params", {}).get("items", [])) if (
                msg["method"] == "workspace/configuration") else None
            self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def describe(self):
        tail = b"".join(self.stderr[-40:]).decode("utf-8", "replace")
        return f"--- pylsp stderr (tail):\n{tail}"

    def close(self):
        try:
            if self.proc.poll() is None:
                self.request("shutdown", timeout=10)
                self.notify("exit")
                self.proc.wait(timeout=10)
        except Exception:
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _flake8_executable():
    scripts = Path(sys.executable).parent
    for name in ("flake8", "flake8.exe"):
        if (scripts / name).is_file():
            return str(scripts / name)
    return None


def test_pylsp_publishes_asc_diagnostics(project):
    pytest.importorskip("pylsp", reason="python-lsp-server is not installed "
                                        "(pip install python-lsp-server)")
    flake8_settings = {"enabled": True}
    executable = _flake8_executable()
    if executable:  # the flake8 of this interpreter, not whatever is first on PATH
        flake8_settings["executable"] = executable
    settings = {"pylsp": {"plugins": {
        "flake8": flake8_settings,
        "pycodestyle": {"enabled": False},
        "pyflakes": {"enabled": False},
        "mccabe": {"enabled": False},
        "pydocstyle": {"enabled": False},
        "pylint": {"enabled": False},
        "autopep8": {"enabled": False},
        "yapf": {"enabled": False},
        "rope_autoimport": {"enabled": False},
    }}}
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    client = LspClient([sys.executable, "-m", "pylsp"], project, env)
    seen: list = []
    try:
        root_uri = project.as_uri()
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": root_uri, "rootPath": str(project),
            "capabilities": {"textDocument": {"publishDiagnostics": {}}},
            "initializationOptions": settings,
            "workspaceFolders": [{"uri": root_uri, "name": project.name}],
        })
        client.notify("initialized")
        client.notify("workspace/didChangeConfiguration", {"settings": settings})
        uri = (project / "pkg" / "model.py").as_uri()  # clean on disk
        client.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": BUFFER}})
        deadline = time.monotonic() + LSP_TIMEOUT
        saved = False
        while True:
            msg = client.next(deadline)
            client.handle_server_request(msg)
            if msg.get("method") != "textDocument/publishDiagnostics":
                continue
            params = msg["params"]
            if params["uri"] != uri:
                continue
            seen.append(params["diagnostics"])
            hits = [d for d in params["diagnostics"]
                    if "ASC401" in str(d.get("code", "")) or "ASC401" in d.get("message", "")]
            if hits:
                break
            if not saved:  # some servers lint on save only: nudge once
                saved = True
                client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
        assert len(hits) == 1, hits
        diag = hits[0]
        assert diag["range"]["start"]["line"] == BUFFER_LINE - 1, diag
        assert diag.get("source") == "flake8", diag
        assert diag.get("severity") == 2, diag  # pylsp: Warning for every non-pyflakes code
    except TimeoutError as exc:
        pytest.fail(f"no ASC401 diagnostic within {LSP_TIMEOUT:.0f}s; diagnostics seen: "
                    f"{seen}\n{exc}")
    finally:
        client.close()
