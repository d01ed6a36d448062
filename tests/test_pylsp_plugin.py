"""The pylsp plugin in a real python-lsp-server session over stdio: fixes as code actions
(verified and applied through workspace/applyEdit), a call's keywords on hover, and the time
a code-action request takes on a 1,000-line Slim file (median <= 50 ms)."""

from __future__ import annotations

import os
import statistics
import sys
import time

import pytest

from flake8_argscope.api import Config
from flake8_argscope.cli.fix import Lint
from flake8_argscope.cli.edits import Text
from test_editor import LSP_TIMEOUT, LspClient

pytest.importorskip("pylsp", reason="python-lsp-server is not installed")

BUFFER = '''\
import tensorflow as tf
import tf_slim as slim


def model(inputs):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        net = slim.conv2d(inputs, 64, [11, 11], 4, scope='conv1')
        net = slim.conv2d(net, 128, [3, 3], padding='SAME', scope='conv2')
    return net
'''
COLLIDING, REDUNDANT = 7, 8  # lines (1-based)

BLOCK = '''\
def block_{i}(x, is_training):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
            x = slim.conv2d(x, 64, [3, 3], padding='SAME', scope='c1')
            x = slim.conv2d(x, 64, [3, 3], 2, scope='c2')
            x = slim.conv2d(x, 128, [3, 3], scope='c3')
            x = slim.max_pool2d(x, [2, 2])
            x = slim.batch_norm(x, is_training=is_training)
        x = slim.flatten(x)
        x = slim.fully_connected(x, 10, activation_fn=None, scope='fc')
    return x


'''


def big_file():
    """~1,000 lines of Slim code, every block with an ASC201 and an ASC401."""
    out = "import tensorflow as tf\nimport tf_slim as slim\n\n\n"
    i = 0
    while out.count("\n") < 1000:
        out += BLOCK.format(i=i)
        i += 1
    return out


class Client(LspClient):
    """Also answers workspace/applyEdit, keeping what the server asked to apply."""

    def __init__(self, *args):
        super().__init__(*args)
        self.applied = []
        self.shown = []

    def handle_server_request(self, msg):
        if msg.get("method") == "workspace/applyEdit":
            self.applied.append(msg["params"]["edit"])
            self._send({"jsonrpc": "2.0", "id": msg["id"], "result": {"applied": True}})
            return
        if msg.get("method") == "window/showMessage":
            self.shown.append(msg["params"]["message"])
        super().handle_server_request(msg)


@pytest.fixture
def server(tmp_path):
    settings = {"pylsp": {"plugins": {name: {"enabled": False} for name in (
        "flake8", "pycodestyle", "pyflakes", "mccabe", "pydocstyle", "pylint", "autopep8",
        "yapf", "rope_autoimport", "rope_completion", "jedi_completion", "jedi_symbols")}}}
    env = dict(os.environ)
    client = Client([sys.executable, "-m", "pylsp"], tmp_path, env)
    root = tmp_path.as_uri()
    client.request("initialize", {
        "processId": os.getpid(), "rootUri": root, "rootPath": str(tmp_path),
        "capabilities": {"textDocument": {"hover": {"contentFormat": ["markdown"]}},
                         "workspace": {"applyEdit": True}},
        "initializationOptions": settings,
        "workspaceFolders": [{"uri": root, "name": "t"}]})
    client.notify("initialized")
    client.notify("workspace/didChangeConfiguration", {"settings": settings})
    yield client, tmp_path
    client.close()


def open_document(client, path, text):
    """didOpen, then wait for pylsp's lint pass (it warms the plugin's cache)."""
    path.write_text(text)
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "python", "version": 1, "text": text}})
    deadline = time.monotonic() + LSP_TIMEOUT
    while True:
        msg = client.next(deadline)
        client.handle_server_request(msg)
        if msg.get("method") == "textDocument/publishDiagnostics" and (
                msg["params"]["uri"] == uri):
            return uri


def code_actions(client, uri, line):
    return client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": line - 1, "character": 0},
                  "end": {"line": line - 1, "character": 0}},
        "context": {"diagnostics": []}})


def apply(text, edit):
    lines = text.splitlines(keepends=True)
    r = edit["range"]
    assert r["start"]["character"] == 0 and r["end"]["character"] == 0
    return "".join(lines[:r["start"]["line"]]) + edit["newText"] + "".join(
        lines[r["end"]["line"]:])


def codes(text):
    return sorted((line, msg[:6]) for line, _c, msg in
                  Lint(Text(text), "m.py", Config()).findings)


def test_code_action_fixes_and_hover(server):
    client, root = server
    uri = open_document(client, root / "m.py", BUFFER)
    assert codes(BUFFER) == [(COLLIDING, "ASC401"), (REDUNDANT, "ASC201")]
    actions = code_actions(client, uri, COLLIDING)
    assert [a["title"] for a in actions] == ["ASC401: 4 -> stride=4 (flake8-argscope)"]
    assert code_actions(client, uri, 3) == []
    command = actions[0]["command"]
    client.request("workspace/executeCommand", {"command": command["command"],
                                                "arguments": command["arguments"]})
    assert len(client.applied) == 1, client.shown
    (edit,) = client.applied[0]["changes"][uri]
    fixed = apply(BUFFER, edit)
    assert "slim.conv2d(inputs, 64, [11, 11], stride=4, scope='conv1')" in fixed
    assert codes(fixed) == [(REDUNDANT, "ASC201")]

    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": COLLIDING - 1, "character": 20}})
    text = hover["contents"]["value"]
    assert "slim.conv2d" in text and "stride=1" in text and "from scope line 6" in text
    assert "positional argument 4 (4) also binds 'stride'" in text
    other = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 4, "character": 11}})
    assert "from scope" not in str(other)  # not a call of an op: jedi's hover, not ours


def test_hover_shows_the_contexts_callers_bring(server):
    """The scope a caller brings (another module of the project) is shown on hover, once
    the buffer is what the file holds; while it differs, only what the file shows."""
    client, root = server
    (root / "nets").mkdir()
    (root / "nets" / "__init__.py").write_text("")
    (root / "nets" / "train.py").write_text(
        "import tf_slim as slim\n"
        "from nets import net\n\n\n"
        "def model(x):\n"
        "    with slim.arg_scope([slim.conv2d], padding='VALID'):\n"
        "        return net.tower(x)\n")
    text = ("import tf_slim as slim\n\n\n"
            "def tower(x):\n"
            "    return slim.conv2d(x, 8, [3, 3], scope='c')\n")
    uri = open_document(client, root / "nets" / "net.py", text)
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 4, "character": 17}})
    value = hover["contents"]["value"].replace(os.sep, "/")
    assert "nets/train.py:7:\n" in value and "called from " in value, value
    assert "padding='VALID'" in value and "nets/train.py:6\n" in value
    edited = text.replace("scope='c'", "scope='d'")
    client.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"text": edited}]})
    hover = client.request("textDocument/hover", {
        "textDocument": {"uri": uri}, "position": {"line": 4, "character": 17}})
    value = hover["contents"]["value"]
    assert "scope='d'" in value and "called from" not in value  # unsaved: no contexts


def test_code_action_median_on_a_1000_line_file(server):
    client, root = server
    text = big_file()
    assert text.count("\n") >= 1000
    uri = open_document(client, root / "big.py", text)
    lines = [n for n, s in enumerate(text.splitlines(), 1) if "[3, 3], 2, scope" in s]
    times = []
    for line in lines[:25]:
        start = time.perf_counter()
        actions = code_actions(client, uri, line)
        times.append(time.perf_counter() - start)
        assert [a["title"][:6] for a in actions] == ["ASC401"]
    median = statistics.median(times)
    print(f"codeAction on a {text.count(chr(10))}-line file: median {median * 1000:.1f} ms, "
          f"max {max(times) * 1000:.1f} ms over {len(times)} requests")
    assert median <= 0.050
