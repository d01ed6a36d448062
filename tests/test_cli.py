"""The ``flake8-argscope`` command: ``explain`` read against inline expectations, and the
real console script run end to end.

Explain fixtures carry their expectation on the call line:
``# receives: padding@call stride@6 weights_initializer@4/2`` — each keyword the op receives
and its origin: ``call``, ``partial``, ``meta-op``, or the line of the ``with`` that supplies
it (``/N``: the arg_scope(...) call that sets it is on line N, a factory or a held scope);
``# may: names`` (or ``*``) for what the model knows may be supplied too;
``# collides: stride`` for positional arguments that collide.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from flake8_argscope.api import Config
from flake8_argscope.cli.explain import explain_source

HERE = Path(__file__).parent
REPO = HERE.parent
SLIMPROJ = HERE / "fixtures" / "projects" / "slimproj"
TIMEOUT = 120


def console_script():
    """The installed ``flake8-argscope`` of this interpreter's environment."""
    path = Path(sys.executable).parent / "flake8-argscope"
    if not path.exists():
        pytest.skip("flake8-argscope is not installed in this environment")
    return str(path)


def run_cli(*args, cwd=REPO, stdin=None):
    return subprocess.run([console_script(), *map(str, args)], cwd=str(cwd), input=stdin,
                          capture_output=True, text=True, timeout=TIMEOUT)


EXPLAIN_FIXTURE = '''\
import functools
import tensorflow as tf
import tf_slim as slim


def nested(x, c, params, mystery):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
            x = slim.conv2d(x, 64, [11, 11], 4, padding='VALID')  # receives: activation_fn@7 weights_regularizer@7 stride@10 padding@call # collides: stride
            x = slim.fully_connected(x, 10, activation_fn=None)  # receives: activation_fn@call weights_regularizer@7
            x = slim.repeat(x, 2, slim.conv2d, 64, [3, 3], scope='c')  # receives: activation_fn@7 weights_regularizer@7 stride@10 padding@10 scope@meta-op
        x = slim.conv2d(x, 8, 3, **params)  # receives: activation_fn@7 weights_regularizer@7 # may: *
    x = slim.conv2d(x, 8, 3, padding='SAME')  # receives: padding@call
    x = slim.conv2d(x, 8, 3)  # receives:
    with (slim.arg_scope([slim.conv2d], padding='SAME', stride=2) if c
          else slim.arg_scope([slim.conv2d], padding='SAME')):
        x = slim.conv2d(x, 8, 3)  # receives: padding@17 # may: stride
    with mystery():
        x = slim.conv2d(x, 8, 3, stride=1)  # receives: stride@call # may: *
    held = slim.arg_scope([slim.conv2d], rate=2)
    with held:
        x = slim.conv2d(x, 8, 3)  # receives: rate@23/22
    with slim.arg_scope([slim.fully_connected], weights_regularizer=None):
        x = slim.stack(x, slim.fully_connected, [32, 64])  # receives: weights_regularizer@25 scope@meta-op
    return x


def not_inherited(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        def inner(y):
            return slim.conv2d(y, 8, 3)  # receives:
        return inner(x)
'''

_RECEIVES = re.compile(r"# receives:([^#]*)")
_MAY = re.compile(r"# may:([^#]*)")
_COLLIDES = re.compile(r"# collides:([^#]*)")


def _origin(info):
    if info["from"] != "scope":
        return info["from"]
    origin = str(info["scope_line"])
    if "factory_line" in info:
        origin += f"/{info['factory_line']}"
    return origin


def _expected(source):
    """line -> (received {name: origin}, may-set or None, collisions) for each marked call."""
    out = {}
    for n, text in enumerate(source.splitlines(), 1):
        m = _RECEIVES.search(text)
        if m is None:
            continue
        received = dict(item.split("@") for item in m[1].split())
        may = _MAY.search(text)
        collides = _COLLIDES.search(text)
        out[n] = (received, set(may[1].split()) if may else None,
                  set(collides[1].split()) if collides else set())
    return out


def _got(reports):
    out = {}
    for r in reports:
        received = {name: _origin(info) for name, info in r["keywords"].items()}
        may = None
        for inc in r["incomplete"]:
            if "names" in inc:
                names = {"*"} if inc["names"] == "*" else set(inc["names"])
                may = names if may is None else may | names
        got = (received, may, {c["keyword"] for c in r["collisions"]})
        assert out.get(r["line"], got) == got, f"line {r['line']}: layer calls differ"
        out[r["line"]] = got
    return out


def test_explain_inline_expectations():
    reports = explain_source(EXPLAIN_FIXTURE, "fixture.py", Config())
    assert _got(reports) == _expected(EXPLAIN_FIXTURE)


def test_explain_values_and_overrides():
    reports = explain_source(EXPLAIN_FIXTURE, "fixture.py", Config())
    first = next(r for r in reports if r["line"] == 11)
    assert first["op"] == "slim.conv2d" and first["col"] == 17
    assert first["keywords"]["weights_regularizer"]["value"] == "slim.l2_regularizer(0.0005)"
    assert first["keywords"]["padding"] == {"value": "'VALID'", "from": "call", "line": 11}
    assert first["overridden"]["padding"]["value"] == "'SAME'"
    assert first["overridden"]["padding"]["scope_line"] == 10
    assert first["collisions"] == [{"position": 4, "keyword": "stride", "value": "4",
                                    "line": 11, "scope_line": 10}]
    assert first["incomplete"] == [{"reason": "callers", "line": 6, "function": "nested"}]
    stacked = [r for r in reports if r["line"] == 26]
    assert len(stacked) == 2 and {r["via"] for r in stacked} == {"slim.stack"}


def test_explain_factory_in_another_module(monkeypatch):
    """A project factory's value: the with of this file, and the arg_scope in the factory's
    module (with the value the factory's parameter takes)."""
    monkeypatch.chdir(SLIMPROJ)
    source = (SLIMPROJ / "train.py").read_text()
    reports = explain_source(source, "train.py", Config())
    line = next(n for n, t in enumerate(source.splitlines(), 1)
                if "slim.l2_regularizer(0.1))  # ASC201" in t)
    report = next(r for r in reports if r["line"] == line)
    reg = report["overridden"]["weights_regularizer"]
    assert reg["value"] == "slim.l2_regularizer(0.1)" and reg["same"] is True
    assert reg["scope_line"] == line - 1
    assert reg["factory_path"] == os.path.join("nets", "scopes.py")
    assert reg["factory_line"] == 5
    padding = report["keywords"]["padding"]
    assert (padding["value"], padding["from"], padding["scope_line"]) == ("'SAME'", "scope",
                                                                          line - 1)


def test_explain_either_of_imports():
    source = textwrap.dedent('''\
        try:
            import tf_slim as slim
        except ImportError:
            slim = __import__('tensorflow').contrib.slim


        def f(x):
            with slim.arg_scope([slim.conv2d], padding='SAME'):
                return slim.conv2d(x, 8, 3)
        ''')
    reports = explain_source(source, "f.py", Config())
    assert [(r["line"], sorted(r["keywords"])) for r in reports] == [(9, ["padding"])]


DISPATCH = HERE / "fixtures" / "projects" / "dispatch"


def _line_of(path, text):
    return next(n for n, t in enumerate(path.read_text().splitlines(), 1) if text in t)


def test_explain_contexts_through_the_factory_and_block_values():
    """The scopes callers bring: the factory's key picks the net and its scope together;
    the stacked net's blocks are namedtuples whose unit function is followed."""
    proc = run_cli("explain", "nets/blocks.py", "--format", "json", cwd=DISPATCH)
    assert proc.returncode == 0, proc.stderr
    reports = json.loads(proc.stdout)
    blocks, factory = DISPATCH / "nets" / "blocks.py", DISPATCH / "nets" / "factory.py"
    call = _line_of(factory, "return func(images")
    with_line = _line_of(factory, "with slim.arg_scope(arg_scope)")
    stack_call = _line_of(blocks, "net = stack(images, blocks)")
    unit_call = _line_of(blocks, "block.unit_fn(net, **args)")
    reduce = next(r for r in reports if r["line"] == _line_of(blocks, "scope='reduce'"))
    keyed = [c for c in reduce["contexts"] if c.get("keys")]
    assert [c["keys"] for c in keyed] == [{"name": "stacked"}]  # never plain's scope
    (context,) = keyed
    assert context["chain"] == [{"path": os.path.join("nets", "factory.py"), "line": call},
                                {"path": os.path.join("nets", "blocks.py"), "line": stack_call},
                                {"path": os.path.join("nets", "blocks.py"), "line": unit_call}]
    padding = context["keywords"]["padding"]
    assert (padding["value"], padding["scope_path"], padding["scope_line"],
            padding["factory_path"]) == ("'SAME'", os.path.join("nets", "factory.py"),
                                         with_line, os.path.join("nets", "blocks.py"))
    assert context["keywords"]["stride"]["from"] == "call" and context["maybe"] is False
    callers = next(i for i in reduce["incomplete"] if i["reason"] == "callers")
    assert callers["seen"] == 2  # the net's own call of stack(), and the factory's
    plain = next(r for r in reports if r["line"] == _line_of(blocks, "scope='conv1'"))
    assert [(c["keys"], c["keywords"]["padding"]["value"]) for c in plain["contexts"]] == [
        ({"name": "plain"}, "'VALID'")]
    # the unit function is known only where the blocks are: a report of its own
    through = next(r for r in reports if r["line"] == unit_call)
    assert through["incomplete"] == [{"reason": "callee-in-context", "line": unit_call,
                                      "names": "*"}]
    assert {name: info["value"] for name, info in through["contexts"][0]["keywords"].items()} \
        == {"depth": None, "stride": None, "outputs_collections": "'ends'"}
    text = run_cli("explain", f"nets/blocks.py:{_line_of(blocks, 'scope=' + chr(39) + 'conv1')}",
                   cwd=DISPATCH).stdout
    assert f"called from nets/factory.py:{call} (name='plain'):" in text
    assert "padding='VALID'" in text and f"from scope nets/factory.py:{with_line}" in text


def test_readme_contexts_example_is_what_the_command_prints():
    readme = (REPO / "README.md").read_text()
    start = readme.index("```text\nnets/blocks.py:39:11:") + len("```text\n")
    shown = readme[start:readme.index("```", start)]
    proc = run_cli("explain", "nets/blocks.py:39", cwd=DISPATCH)
    assert proc.returncode == 0 and proc.stdout == shown, proc.stdout


def test_explain_says_where_a_context_walk_stopped(tmp_path):
    path = tmp_path / "stops.py"
    path.write_text(textwrap.dedent('''\
        import tf_slim as slim


        def deep(x, n):
            return slim.conv2d(deep(x, n - 1), 8, [3, 3])


        def gen(x):
            yield slim.conv2d(x, 8, [3, 3])


        def model(x):
            with slim.arg_scope([slim.conv2d], padding='SAME'):
                return deep(x, 3), gen(x)
        '''))
    proc = run_cli("explain", "stops.py", "--format", "json", cwd=tmp_path)
    reports = {r["line"]: r for r in json.loads(proc.stdout)}
    (deep,) = [i for i in reports[5]["incomplete"] if i["reason"] == "callers"]
    assert deep["seen"] == 1 and deep["stopped"] == [
        {"chain": [{"path": "stops.py", "line": 14}, {"path": "stops.py", "line": 5}],
         "reason": "recursion"}]
    assert reports[5]["contexts"][0]["keywords"]["padding"]["value"] == "'SAME'"
    (gen,) = [i for i in reports[9]["incomplete"] if i["reason"] == "callers"]
    assert gen["seen"] == 0 and [s["reason"] for s in gen["stopped"]] == ["generator"]
    assert reports[9]["contexts"] == []
    text = run_cli("explain", "stops.py", cwd=tmp_path).stdout
    assert "not followed from stops.py:14 -> stops.py:5: recursion" in text


def test_a_failing_context_walk_loses_only_its_contexts(monkeypatch):
    from flake8_argscope.cli.contexts import Index

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in a context walk")

    monkeypatch.chdir(DISPATCH)
    monkeypatch.setattr(Index, "_walk_body", broken)
    index = Index(Config())
    index.add_paths(["nets/blocks.py"])
    source = (DISPATCH / "nets" / "blocks.py").read_text()
    reports = explain_source(source, "nets/blocks.py", Config(), index)
    reduce = next(r for r in reports if "scope='reduce'" in source.splitlines()[r["line"] - 1])
    assert reduce["contexts"] == [] and reduce["keywords"]["stride"]["from"] == "call"
    assert {reason for _path, reason in index.failures} == {"RuntimeError: a bug in a context walk"}
    stops = index.stops(os.path.join("nets", "blocks.py"), _line_of(
        DISPATCH / "nets" / "blocks.py", "def stacked_net"))
    assert [(s["reason"], s.get("keys")) for s in stops] == [("error", {"name": "stacked"})]
    assert stops[0]["chain"] == [{"path": str(DISPATCH / "nets" / "factory.py"),
                                  "line": _line_of(DISPATCH / "nets" / "factory.py",
                                                   "return func(images")}]


# ----------------------------------------------------------------------------- console script
def test_console_script_explain_json(tmp_path):
    path = tmp_path / "fixture.py"
    path.write_text(EXPLAIN_FIXTURE)
    proc = run_cli("explain", f"{path}:11", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    reports = json.loads(proc.stdout)
    assert [r["line"] for r in reports] == [11]
    assert reports[0]["path"] == str(path)
    assert _got(reports) == {11: _expected(EXPLAIN_FIXTURE)[11]}


def test_console_script_explain_text_and_module_entry():
    proc = run_cli("explain", "examples/snippet3_nested.py")
    assert proc.returncode == 0, proc.stderr
    assert "examples/snippet3_nested.py:12:19: slim.conv2d" in proc.stdout
    assert "stride=1" in proc.stdout and "from scope line 11" in proc.stdout
    same = subprocess.run([sys.executable, "-m", "flake8_argscope", "explain",
                           "examples/snippet3_nested.py"], cwd=str(REPO), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert same.returncode == 0 and same.stdout == proc.stdout, same.stderr


def test_console_script_explain_errors(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f(:\n")
    proc = run_cli("explain", bad)
    assert proc.returncode == 2 and "syntax error" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli("explain", tmp_path / "missing.py")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = run_cli("explain", "-", "--format", "json", stdin=EXPLAIN_FIXTURE)
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["path"] == "stdin"


def test_flake8_plugin_does_not_import_the_cli():
    """The lint path (the flake8 entry point, a run on Slim code) never loads the CLI."""
    code = textwrap.dedent('''\
        import sys
        from flake8.main.cli import main
        try:
            main(["--select=ASC", "examples/snippet3_nested.py"])
        except SystemExit:
            pass
        loaded = sorted(m for m in sys.modules if m.startswith("flake8_argscope"))
        assert "flake8_argscope.walk" in loaded, loaded
        bad = [m for m in loaded if m.startswith(("flake8_argscope.cli",
                                                  "flake8_argscope.pylsp"))]
        print(bad)
        ''')
    proc = subprocess.run([sys.executable, "-c", code], cwd=str(REPO), capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]", proc.stdout


# ----------------------------------------------------------------------------- fix
from flake8_argscope.cli.fix import fix_text  # noqa: E402

HEAD = "import tensorflow as tf\nimport tf_slim as slim\n\n\n"

# (name, before, after, unsafe): the text after `fix` (only the part after HEAD)
FIX_CASES = [
    ("asc201-inline", '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return slim.conv2d(x, 8, 3, padding='SAME', scope='a')
''', '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return slim.conv2d(x, 8, 3, scope='a')
''', False),
    ("asc201-own-lines-and-comments", '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME', activation_fn=tf.nn.relu):
        x = slim.conv2d(x, 8, 3,
                        padding='SAME',  # as the scope says
                        scope='a')
        x = slim.conv2d(
            x, 8, 3,
            activation_fn=tf.nn.relu,
        )
        return slim.conv2d(x, 8, 3,
                           padding='SAME')
''', '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME', activation_fn=tf.nn.relu):
        x = slim.conv2d(x, 8, 3,
                        # as the scope says
                        scope='a')
        x = slim.conv2d(
            x, 8, 3,
        )
        return slim.conv2d(x, 8, 3)
''', False),
    ("asc201-call-value-unsafe", '''\
def f(x):
    with slim.arg_scope([slim.conv2d], weights_regularizer=slim.l2_regularizer(0.1)):
        return slim.conv2d(x, 8, 3, weights_regularizer=slim.l2_regularizer(0.1))
''', '''\
def f(x):
    with slim.arg_scope([slim.conv2d], weights_regularizer=slim.l2_regularizer(0.1)):
        return slim.conv2d(x, 8, 3)
''', True),
    ("asc401-to-keywords", '''\
def f(x):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        x = slim.conv2d(x, 64, [11, 11], 4, 'VALID', scope='conv1')
        return slim.repeat(x, 2, slim.conv2d, 64, [3, 3], 2)
''', '''\
def f(x):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        x = slim.conv2d(x, 64, [11, 11], stride=4, padding='VALID', scope='conv1')
        return slim.repeat(x, 2, slim.conv2d, 64, [3, 3], stride=2)
''', False),
    ("asc401-same-as-scope-goes", '''\
def f(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        return slim.conv2d(x, 64, [3, 3], 2)
''', '''\
def f(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        return slim.conv2d(x, 64, [3, 3])
''', False),
    ("asc403-wrap", '''\
def f(x):
    with slim.arg_scope(slim.conv2d, padding='SAME'):
        return x
''', '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return x
''', False),
    ("asc303-rebind-unsafe", '''\
def op(x, stride=1):
    return x


slim.add_arg_scope(op)
''', '''\
def op(x, stride=1):
    return x


op = slim.add_arg_scope(op)
''', True),
]


@pytest.mark.parametrize("name,before,after,unsafe", FIX_CASES, ids=[c[0] for c in FIX_CASES])
def test_fix_cases(name, before, after, unsafe):
    out = fix_text(HEAD + before, "case.py", Config(), unsafe=unsafe)
    assert out.source == HEAD + after
    assert out.fixed and not out.refused, (out.fixed, out.refused)
    assert out.remaining == []
    again = fix_text(out.source, "case.py", Config(), unsafe=unsafe)  # idempotent
    assert again.source == out.source and again.fixed == []


# (name, source, unsafe, the reason's start)
REFUSALS = [
    ("asc201-call-needs-unsafe", FIX_CASES[2][1], False, "unsafe: the value is a call"),
    ("asc303-needs-unsafe", FIX_CASES[6][1], False, "unsafe: the function starts"),
    ("asc303-in-a-loop", '''\
def op(x):
    return x


for fn in [op]:
    slim.add_arg_scope(fn)
''', True, "in a loop"),
    ("asc401-in-stack", '''\
def f(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return slim.stack(x, slim.conv2d, [(32, [3, 3], 2), (64, [3, 3])])
''', False, "inside a slim.stack element"),
    ("asc401-through-a-forwarder", '''\
def block(x, scale, *args, **kwargs):
    return x + scale * slim.conv2d(x, *args, **kwargs)


def f(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return block(x, 0.1, 32, [3, 3], 2)
''', False, "passed on through a project function's *args"),
    ("asc403-not-a-name", '''\
def f(x):
    with slim.arg_scope({slim.conv2d}, padding='SAME'):
        return x
''', False, "only a single op written as a name"),
    ("asc403-fix-would-reveal-asc201", '''\
def f(x):
    with slim.arg_scope(slim.conv2d, padding='SAME'):
        return slim.conv2d(x, 8, 3, padding='SAME')
''', False, "it would introduce ASC201 on line 7"),
]


@pytest.mark.parametrize("name,source,unsafe,reason", REFUSALS, ids=[c[0] for c in REFUSALS])
def test_fix_refusals(name, source, unsafe, reason):
    out = fix_text(HEAD + source, "case.py", Config(), unsafe=unsafe)
    assert out.source == HEAD + source and out.fixed == []
    assert len(out.refused) == 1 and out.refused[0][1].startswith(reason), out.refused
    assert out.refused[0][0] in out.remaining


def test_absorb_the_tutorial_snippet():
    """ASC101's fix turns examples/snippet1_repeated.py into the README's second snippet
    (its comma restored, conv1's stride kept), and only with --unsafe-fixes."""
    source = (REPO / "examples" / "snippet1_repeated.py").read_text()
    assert fix_text(source, "s.py", Config(), ("ASC101",)).source == source
    out = fix_text(source, "s.py", Config(), ("ASC101",), unsafe=True)
    body = out.source[out.source.index("def model"):]
    assert body == textwrap.dedent('''\
        def model(inputs):
            with slim.arg_scope([slim.conv2d], padding='SAME',
                                weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                                weights_regularizer=slim.l2_regularizer(0.0005)):
                net = slim.conv2d(inputs, 64, [11, 11], 4, scope='conv1')
                net = slim.conv2d(net, 128, [11, 11], padding='VALID',
                                  scope='conv2')
                net = slim.conv2d(net, 256, [11, 11], scope='conv3')
            return net
        ''')
    assert out.remaining == [] and fix_text(out.source, "s.py", Config(), ("ASC101",),
                                            unsafe=True).source == out.source


def test_absorb_tensorpack_with_star_imported_library_calls():
    """tensorpack's examples: ``from tensorpack import *``; a library function of the star
    import called between the layers does not stop the rewrite (a project one would)."""
    source = textwrap.dedent('''\
        import tensorflow as tf
        from tensorpack import *


        def tower(image):
            l = Conv2D('conv1', image, filters=96, kernel_size=3)
            ctx = get_current_tower_context()
            l = Conv2D('conv2', l, filters=96, kernel_size=3)
            return Conv2D('conv3', l, filters=96, kernel_size=3)
        ''')
    out = fix_text(source, "t.py", Config(), ("ASC101",), unsafe=True)
    assert "    with argscope([Conv2D], filters=96, kernel_size=3):\n" in out.source, out.refused
    assert "        l = Conv2D('conv2', l)\n" in out.source


# (name, source, the reason: its lines count HEAD's four)
ABSORB_REFUSALS = [
    ("a call of the op without the keyword, in a helper", '''\
def helper(x):
    return slim.conv2d(x, 8, 3)


def f(x):
    x = slim.conv2d(x, 8, 3, padding='VALID')
    x = helper(x)
    x = slim.conv2d(x, 8, 3, padding='VALID')
    return slim.conv2d(x, 8, 3, padding='VALID')
''', "line 11, helper() line 6: a call of convolution2d that does not pass"),
    ("a project function passing **kwargs", '''\
def block(x, *args, **kwargs):
    return slim.conv2d(x, *args, **kwargs)


def f(x):
    x = slim.conv2d(x, 8, 3, padding='VALID')
    x = slim.repeat(x, 2, block, 8, 3, padding='VALID')
    x = slim.conv2d(x, 8, 3, padding='VALID')
    return slim.conv2d(x, 8, 3, padding='VALID')
''', "line 11, block() line 6: a call of convolution2d that passes **kwargs"),
    ("a call the model cannot resolve", '''\
def f(x, model):
    x = slim.conv2d(x, 8, 3, padding='VALID')
    x = model.build(x)
    x = slim.conv2d(x, 8, 3, padding='VALID')
    return slim.conv2d(x, 8, 3, padding='VALID')
''', "line 7: build() is a call the model cannot resolve"),
    ("a def between the calls", '''\
def f(x):
    x = slim.conv2d(x, 8, 3, padding='VALID')

    def g(y):
        return slim.conv2d(y, 8, 3)
    x = slim.conv2d(g(x), 8, 3, padding='VALID')
    return slim.conv2d(x, 8, 3, padding='VALID')
''', "line 8 defines a function"),
    ("a string over several lines", '''\
def f(x):
    x = slim.conv2d(x, 8, 3, padding='VALID', scope=\"\"\"a
b\"\"\")
    x = slim.conv2d(x, 8, 3, padding='VALID')
    return slim.conv2d(x, 8, 3, padding='VALID')
''', "the string on line 6 spans lines"),
    ("a value bound between the calls", '''\
def f(x):
    pad = 'VALID'
    x = slim.conv2d(x, 8, 3, padding=pad)
    x = slim.conv2d(x, 8, 3, padding=pad)
    return slim.conv2d(x, 8, 3, padding=pad)
''', None),
]


@pytest.mark.parametrize("name, source, reason", ABSORB_REFUSALS,
                         ids=[c[0] for c in ABSORB_REFUSALS])
def test_absorb_refusals(name, source, reason):
    out = fix_text(HEAD + source, "case.py", Config(), ("ASC101",), unsafe=True)
    if reason is None:  # (the control: the same shape, absorbed)
        assert out.fixed and "with slim.arg_scope([slim.conv2d], padding=pad):" in out.source
        return
    assert out.source == HEAD + source and out.fixed == []
    assert len(out.refused) == 1 and reason in out.refused[0][1], out.refused


def test_inline_the_tutorial_nested_scopes(tmp_path):
    """inline: the nested scopes of examples/snippet3_nested.py (its ASC401 fixed first)
    become explicit keywords, and the command says what it did."""
    path = tmp_path / "snippet3.py"
    source = fix_text((REPO / "examples" / "snippet3_nested.py").read_text(), "s.py",
                      Config()).source
    path.write_text(source)
    proc = run_cli("inline", "snippet3.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "snippet3.py:7: inlined: inlined activation_fn, weights_initializer, "
        "weights_regularizer into 3 call(s)",
        "snippet3.py:11: inlined: inlined padding, stride into 1 call(s)",
        "scopes inlined: 2; refused: 0"]
    body = path.read_text()[path.read_text().index("def model"):]
    assert body == textwrap.dedent('''\
        def model(inputs):
            net = slim.conv2d(inputs, 64, [11, 11], stride=4, padding='VALID', scope='conv1',
                              activation_fn=tf.nn.relu,
                              weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                              weights_regularizer=slim.l2_regularizer(0.0005))
            net = slim.conv2d(net, 256, [5, 5],
                              weights_initializer=tf.truncated_normal_initializer(stddev=0.03),
                              scope='conv2',
                              padding='SAME',
                              stride=1,
                              activation_fn=tf.nn.relu,
                              weights_regularizer=slim.l2_regularizer(0.0005))
            net = slim.fully_connected(net, 1000, activation_fn=None, scope='fc',
                                       weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                                       weights_regularizer=slim.l2_regularizer(0.0005))
            return net
        ''')
    again = run_cli("inline", "--diff", "snippet3.py", cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == ""  # nothing left to do


def test_inline_keeps_the_header_comments():
    from flake8_argscope.cli.inline import inline_text

    source = HEAD + textwrap.dedent('''\
        def f(x):
            with slim.arg_scope([slim.conv2d], padding='SAME'):  # keep the padding
                # the first layer
                x = slim.conv2d(x, 8, 3)
                return slim.conv2d(x, 8, 3)
        ''')
    out = inline_text(source, "case.py", Config())
    assert out.source == HEAD + textwrap.dedent('''\
        def f(x):
            # keep the padding
            # the first layer
            x = slim.conv2d(x, 8, 3, padding='SAME')
            return slim.conv2d(x, 8, 3, padding='SAME')
        ''')


# (name, source, the reason; lines count HEAD's four)
INLINE_REFUSALS = [
    ("a kept scope dict", '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
        return slim.conv2d(x, 8, 3)
''', "the scope is kept (as ...)"),
    ("a helper whose op would lose the keyword", '''\
def helper(x):
    return slim.conv2d(x, 8, 3)


def f(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        return helper(slim.conv2d(x, 8, 3))
''', "line 11, helper() line 6: a call of an op the scope lists that does not pass"),
    ("a scope dict taken inside", '''\
def f():
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        with slim.arg_scope([slim.fully_connected], activation_fn=None) as sc:
            return sc
''', "line 7: a scope dict taken there"),
    ("a value rebound", '''\
def f(x, pad):
    with slim.arg_scope([slim.conv2d], padding=pad):
        pad = 'SAME'
        return slim.conv2d(x, 8, 3)
''', "pad is bound again before the call"),
    ("a convolution scope", '''\
def f(x):
    with slim.arg_scope([slim.convolution], padding='VALID'):
        return slim.convolution(x, 8, 3)
''', "the scope lists convolution"),
]


@pytest.mark.parametrize("name, source, reason", INLINE_REFUSALS,
                         ids=[c[0] for c in INLINE_REFUSALS])
def test_inline_refusals(name, source, reason):
    from flake8_argscope.cli.inline import inline_text

    out = inline_text(HEAD + source, "case.py", Config())
    assert out.source == HEAD + source and out.inlined == []
    assert any(reason in why for _line, why in out.refused), out.refused


def test_fix_honours_noqa_and_select():
    source = HEAD + '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME', stride=1):
        x = slim.conv2d(x, 8, 3, padding='SAME')  # noqa: ASC201
        return slim.conv2d(x, 8, 3, 2)
'''
    assert fix_text(source, "case.py", Config(), ("ASC201",)).source == source
    out = fix_text(source, "case.py", Config(), ("ASC4",))
    assert out.source == source.replace("3, 2)", "3, stride=2)")


NON_ASCII = HEAD + '''\
def f(x):
    with slim.arg_scope([slim.conv2d], padding='SAME', stride=1):
        return slim.conv2d(x, 8, 3, 2, scope='ünïcødé'); y = slim.conv2d(x, 8, 3, padding='SAME')
'''


def test_console_script_fix_in_place_and_byte_columns(tmp_path):
    """Positions as flake8 prints them (UTF-8 byte columns), the file rewritten, exit 0 once
    nothing remains, and a second run changes nothing."""
    path = tmp_path / "model.py"
    path.write_text(NON_ASCII, encoding="utf-8")
    lint = subprocess.run([sys.executable, "-m", "flake8", "--isolated", "--select", "ASC",
                           str(path)], capture_output=True, text=True, timeout=TIMEOUT)
    positions = sorted(line.split(" ")[0] for line in lint.stdout.splitlines())
    assert len(positions) == 2, lint.stdout
    proc = run_cli("fix", path, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    reported = sorted(line.split(" ")[0] for line in proc.stdout.splitlines()
                      if line.startswith(str(path)))
    assert reported == positions
    fixed = path.read_text(encoding="utf-8")
    assert "slim.conv2d(x, 8, 3, stride=2, scope='ünïcødé'); y = slim.conv2d(x, 8, 3)" in fixed
    again = run_cli("fix", "--diff", path, cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == "", again.stdout


def test_console_script_fix_diff_and_stdin(tmp_path):
    path = tmp_path / "m.py"
    source = HEAD + FIX_CASES[3][1] + REFUSALS[3][1].replace("def f", "def g")
    path.write_text(source)
    diff = run_cli("fix", "--diff", "m.py", cwd=tmp_path)
    assert diff.returncode == 1
    assert "+        x = slim.conv2d(x, 64, [11, 11], stride=4" in diff.stdout
    assert "not fixed: inside a slim.stack element" in diff.stderr
    assert path.read_text() == source  # --diff writes nothing
    piped = run_cli("fix", "-", cwd=tmp_path, stdin=source)
    assert piped.returncode == 1  # the stack's ASC401 remains
    assert piped.stdout == HEAD + FIX_CASES[3][2] + REFUSALS[3][1].replace("def f", "def g")
    broken = run_cli("fix", "-", cwd=tmp_path, stdin="def f(:\n")
    assert broken.returncode == 1 and broken.stdout == "def f(:\n"
    assert "Traceback" not in broken.stderr


_README_EXAMPLE = re.compile(r"```sh\n(flake8-argscope [^\n]+)\n```\n\n```(?:text|diff)\n(.*?)```",
                             re.S)


def test_readme_examples_are_what_the_command_prints():
    examples = _README_EXAMPLE.findall((REPO / "README.md").read_text())
    assert [cmd.split()[1] for cmd, _out in examples] == ["explain", "fix"]
    for command, shown in examples:
        proc = run_cli(*command.split()[1:])
        assert "Traceback" not in proc.stderr
        assert proc.stdout == shown, command


def test_fix_many_redundant_keywords_in_several_calls():
    """The deletions of one call go together; each call keeps its own."""
    body = "def f(x):\n    with slim.arg_scope([slim.conv2d], padding='SAME', rate=1):\n"
    for i in range(3):
        body += f"        x = slim.conv2d(x, {i + 1}, 3, padding='SAME', rate=1)\n"
    body += "    return x\n"
    out = fix_text(HEAD + body, "case.py", Config())
    assert out.source == HEAD + body.replace(", 3, padding='SAME', rate=1)", ", 3)")
    assert len(out.fixed) == 6 and out.refused == [] and out.remaining == []


def test_fix_either_of_imports():
    """slim bound by a try/except: the findings every world has are fixed."""
    source = textwrap.dedent('''\
        try:
            import tf_slim as slim
        except ImportError:
            import tensorflow.contrib.slim as slim


        def f(x):
            with slim.arg_scope([slim.conv2d], padding='SAME', stride=1):
                return slim.conv2d(x, 8, 3, 2, padding='SAME')
        ''')
    out = fix_text(source, "w.py", Config())
    assert out.source == source.replace("3, 2, padding='SAME')", "3, stride=2)")
    assert sorted(f[2][:6] for f, _what in out.fixed) == ["ASC201", "ASC401"]
