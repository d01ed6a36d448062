"""``inline`` across calls (cli/across.py): a scope whose keywords reach op calls in project
functions, edited there when every context gives them the same values; refused, with the
reason, when a function may run where the scope is not in force, when the contexts differ,
or when a value's names do not mean the same in the callee. (The runtime proof of the same
shapes: tests/oracle/cases/inline_across.py.)"""

from __future__ import annotations

import textwrap

import pytest

from flake8_argscope.api import Config
from flake8_argscope.cli.inline import inline_project
from test_cli import run_cli

HEAD = "import tensorflow as tf\nimport tf_slim as slim\n\n\n"


def _package(tmp_path, files):
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "__init__.py").write_text("")
    for name, text in files.items():
        (root / name).write_text(HEAD + textwrap.dedent(text))
    return root


def _run(root, *names):
    result = inline_project([str(root / n) for n in names], Config())
    outcomes = {p: out for p, out in result.outcomes}
    assert not any(isinstance(o, Exception) for o in outcomes.values()), outcomes
    return result, outcomes


def _new(result, path):
    return result.changed[str(path)][1][len(HEAD):]


def test_a_helper_only_called_under_the_scope(tmp_path):
    """facenet's squeezenet: fire_module's scope reaches squeeze()'s and expand()'s
    conv2d calls, which nothing else calls; tf.squeeze is the library's, not squeeze()."""
    root = _package(tmp_path, {"net.py": '''\
        def fire(x):
            with slim.arg_scope([slim.conv2d, slim.max_pool2d], outputs_collections=None):
                x = squeeze(x)
                return expand(x)


        def squeeze(x):
            return slim.conv2d(x, 8, [1, 1], scope='squeeze')


        def expand(x):
            e1 = slim.conv2d(x, 8, [1, 1], scope='1x1')
            return tf.squeeze(e1)


        def model(x):
            return fire(fire(x))
        '''})
    result, outcomes = _run(root, "net.py")
    out = outcomes[str(root / "net.py")]
    assert out.inlined == [(6, "inlined outputs_collections into 2 call(s) in expand(), "
                               "squeeze() (each gets the same values in every context)")]
    assert _new(result, root / "net.py") == textwrap.dedent('''\
        def fire(x):
            x = squeeze(x)
            return expand(x)


        def squeeze(x):
            return slim.conv2d(x, 8, [1, 1], scope='squeeze', outputs_collections=None)


        def expand(x):
            e1 = slim.conv2d(x, 8, [1, 1], scope='1x1', outputs_collections=None)
            return tf.squeeze(e1)


        def model(x):
            return fire(fire(x))
        ''')
    (root / "net.py").write_text(result.changed[str(root / "net.py")][1])
    again, _ = _run(root, "net.py")
    assert again.changed == {}


def test_a_helper_of_another_module(tmp_path):
    """The op call is in another module of the package: both files change."""
    root = _package(tmp_path, {
        "blocks.py": '''\
            def block(x):
                return slim.conv2d(x, 8, 3)
            ''',
        "model.py": '''\
            from pkg.blocks import block


            def model(x):
                with slim.arg_scope([slim.conv2d], padding='VALID'):
                    x = slim.conv2d(x, 8, 3)
                    return block(x)
            '''})
    result, outcomes = _run(root, "model.py")
    assert [what for _l, what in outcomes[str(root / "model.py")].inlined] == [
        "inlined padding into 1 call(s) and 1 call(s) in block() (each gets the same values "
        "in every context)"]
    assert _new(result, root / "blocks.py") == textwrap.dedent('''\
        def block(x):
            return slim.conv2d(x, 8, 3, padding='VALID')
        ''')
    assert "with" not in _new(result, root / "model.py").split("from pkg.blocks")[1]


# (name, the module's text after HEAD, the reason; lines count HEAD's four)
REFUSALS = [
    ("also called where no scope is in force", '''\
        def block(x):
            return slim.conv2d(x, 8, 3)


        def model(x):
            with slim.arg_scope([slim.conv2d], padding='VALID'):
                x = block(x)
            return block(x)
        ''', "block() is also called at net.py:12, where this scope is not in force"),
    ("used as a value", '''\
        def block(x):
            return slim.conv2d(x, 8, 3)


        BLOCKS = {'b': block}


        def model(x):
            with slim.arg_scope([slim.conv2d], padding='VALID'):
                return block(x)
        ''', "block is used at net.py:9 other than in a call the scope reaches"),
    ("a value the callee cannot see", '''\
        def block(x):
            return slim.conv2d(x, 8, 3)


        def model(x, pad='VALID'):
            with slim.arg_scope([slim.conv2d], padding=pad):
                return block(x)
        ''', "padding=pad: pad does not mean the same there"),
    ("two scopes, two values", '''\
        def block(x):
            return slim.conv2d(x, 8, 3)


        def model(x):
            with slim.arg_scope([slim.conv2d], padding='VALID'):
                x = block(x)
            with slim.arg_scope([slim.conv2d], padding='SAME'):
                return block(x)
        ''', "gives padding 'SAME', not 'VALID'"),
    ("through a lambda", '''\
        def block(x):
            return slim.conv2d(x, 8, 3)


        run = lambda x: block(x)


        def model(x):
            with slim.arg_scope([slim.conv2d], padding='VALID'):
                return run(x)
        ''', "reached through a lambda"),
    ("a recursion", '''\
        def block(x, n):
            x = slim.conv2d(x, 8, 3)
            return block(x, n - 1) if n else x


        def model(x):
            with slim.arg_scope([slim.conv2d], padding='VALID'):
                return block(x, 2)
        ''', "too deep to follow"),
]


@pytest.mark.parametrize("name, source, reason", REFUSALS, ids=[c[0] for c in REFUSALS])
def test_refusals(tmp_path, name, source, reason):
    root = _package(tmp_path, {"net.py": source})
    result, outcomes = _run(root, "net.py")
    out = outcomes[str(root / "net.py")]
    assert result.changed == {} and out.inlined == []
    assert any(reason in why for _line, why in out.refused), out.refused


def test_a_module_constant_means_the_same_in_its_own_module_only(tmp_path):
    root = _package(tmp_path, {
        "blocks.py": '''\
            def block(x):
                return slim.conv2d(x, 8, 3)
            ''',
        "model.py": '''\
            from pkg.blocks import block

            PAD = 'VALID'


            def helper(x):
                return slim.conv2d(x, 8, 3)


            def model(x):
                with slim.arg_scope([slim.conv2d], padding=PAD):
                    return block(x)


            def other(x):
                with slim.arg_scope([slim.conv2d], padding=PAD):
                    return helper(x)
            '''})
    result, outcomes = _run(root, "model.py")
    out = outcomes[str(root / "model.py")]
    assert [line for line, _w in out.inlined] == [20]  # other(): helper() is in the module
    assert any("padding=PAD: PAD does not mean the same there" in why
               for _l, why in out.refused), out.refused
    assert "blocks.py" not in " ".join(result.changed)


def test_the_same_text_from_another_module_is_not_the_same_value(tmp_path):
    """Both scopes write ``padding=PAD``: each module's own PAD."""
    root = _package(tmp_path, {
        "blocks.py": '''\
            PAD = 'SAME'


            def block(x):
                return slim.conv2d(x, 8, 3)


            def net(x):
                with slim.arg_scope([slim.conv2d], padding=PAD):
                    return block(x)
            ''',
        "model.py": '''\
            from pkg.blocks import block

            PAD = 'VALID'


            def model(x):
                with slim.arg_scope([slim.conv2d], padding=PAD):
                    return block(x)
            '''})
    result, outcomes = _run(root, "blocks.py", "model.py")
    assert result.changed == {}
    why = [w for out in outcomes.values() for _l, w in out.refused]
    assert any("the context model.py:12: padding=PAD: PAD does not mean the same there" in w
               for w in why), why


def test_the_command_writes_every_changed_file(tmp_path):
    root = _package(tmp_path, {
        "blocks.py": '''\
            def block(x):
                return slim.conv2d(x, 8, 3)
            ''',
        "model.py": '''\
            from pkg.blocks import block


            def model(x):
                with slim.arg_scope([slim.conv2d], padding='VALID'):
                    return block(x)
            '''})
    diff = run_cli("inline", "--diff", "pkg/model.py", cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    assert "+++ b/pkg/blocks.py" in diff.stdout and "+++ b/pkg/model.py" in diff.stdout
    assert (root / "blocks.py").read_text().endswith("slim.conv2d(x, 8, 3)\n")
    done = run_cli("inline", "pkg/model.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "scopes inlined: 1; refused: 0"
    assert (root / "blocks.py").read_text().endswith(
        "slim.conv2d(x, 8, 3, padding='VALID')\n")
