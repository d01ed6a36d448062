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


# a package: the scope in model.py, the op call it reaches in blocks.py
TWO_MODULES = {
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
        '''}


def test_a_helper_of_another_module(tmp_path):
    """The op call is in another module of the package: both files change."""
    root = _package(tmp_path, TWO_MODULES)
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
    root = _package(tmp_path, TWO_MODULES)
    diff = run_cli("inline", "--diff", "pkg/model.py", cwd=tmp_path)
    assert diff.returncode == 1, diff.stderr
    assert "+++ b/pkg/blocks.py" in diff.stdout and "+++ b/pkg/model.py" in diff.stdout
    assert (root / "blocks.py").read_text().endswith("slim.conv2d(x, 8, 3)\n")
    done = run_cli("inline", "pkg/model.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "scopes inlined: 1; refused: 0"
    assert (root / "blocks.py").read_text().endswith(
        "slim.conv2d(x, 8, 3, padding='VALID')\n")


# ------------------------------------------------------------------ scope functions' dicts
SCOPE_FUNCTION = textwrap.dedent('''\
    def net_arg_scope(weight_decay=0.0005):
        with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                            weights_regularizer=slim.l2_regularizer(weight_decay)):
            with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
                return sc
    ''')


def test_a_scope_functions_dict_in_the_same_function(tmp_path):
    """The values come from the scope function's body; its parameter is replaced by the
    argument the with's call gives it."""
    root = _package(tmp_path, {"net.py": SCOPE_FUNCTION + textwrap.dedent('''

        WD = 0.001


        def model(x):
            with slim.arg_scope(net_arg_scope(weight_decay=WD)):
                x = slim.conv2d(x, 8, 3)
                return slim.fully_connected(x, 10, activation_fn=None)
        ''')})
    result, outcomes = _run(root, "net.py")
    out = outcomes[str(root / "net.py")]
    assert [(line, what) for line, what in out.inlined] == [
        (16, "inlined activation_fn, padding, weights_regularizer into 2 call(s)")]
    assert _new(result, root / "net.py").endswith(textwrap.dedent('''\
        def model(x):
            x = slim.conv2d(x, 8, 3,
                            activation_fn=tf.nn.relu,
                            padding='SAME',
                            weights_regularizer=slim.l2_regularizer(WD))
            return slim.fully_connected(x, 10, activation_fn=None,
                                        weights_regularizer=slim.l2_regularizer(WD))
        '''))


def test_a_scope_functions_dict_reaching_another_module(tmp_path):
    """research/slim's shape: the scope function's use in one module, the net in another;
    the default of the parameter is written in."""
    root = _package(tmp_path, {
        "nets.py": SCOPE_FUNCTION + textwrap.dedent('''

            def net(x):
                return slim.conv2d(x, 8, 3, scope='c1')
            '''),
        "train.py": '''\
            from pkg.nets import net, net_arg_scope


            def build(x):
                with slim.arg_scope(net_arg_scope()):
                    return net(x)
            '''})
    result, outcomes = _run(root, "train.py")
    assert [w for _l, w in outcomes[str(root / "train.py")].inlined] == [
        "inlined activation_fn, padding, weights_regularizer into 1 call(s) in net() (each "
        "gets the same values in every context)"]
    assert _new(result, root / "nets.py").endswith(textwrap.dedent('''\
        def net(x):
            return slim.conv2d(x, 8, 3, scope='c1',
                               activation_fn=tf.nn.relu,
                               padding='SAME',
                               weights_regularizer=slim.l2_regularizer(0.0005))
        '''))


DICT_REFUSALS = [
    ("a local of the scope function", '''\
        def bn_arg_scope(is_training):
            params = {'decay': 0.9, 'is_training': is_training}
            with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm,
                                normalizer_params=params) as sc:
                return sc


        def model(x):
            with slim.arg_scope(bn_arg_scope(True)):
                return slim.conv2d(x, 8, 3)
        ''', "normalizer_params=params: params is a name of bn_arg_scope()'s body or "
             "parameters, not visible at the call"),
    ("an argument that is an expression", SCOPE_FUNCTION + textwrap.dedent('''

        def model(x, wd):
            with slim.arg_scope(net_arg_scope(wd * 2)):
                return slim.conv2d(x, 8, 3)
        '''), "the argument for net_arg_scope()'s weight_decay is an expression: not copied"),
    ("a dict held in a name", SCOPE_FUNCTION + textwrap.dedent('''

        def model(x):
            sc = net_arg_scope()
            with slim.arg_scope(sc):
                return slim.conv2d(x, 8, 3)
        '''), "a scope dict held in a name"),
    ("a scope function with branches", '''\
        def cond_arg_scope(use_bn):
            if use_bn:
                with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm) as sc:
                    return sc
            with slim.arg_scope([slim.conv2d], normalizer_fn=None) as sc:
                return sc


        def model(x, flag):
            with slim.arg_scope(cond_arg_scope(flag)):
                return slim.conv2d(x, 8, 3)
        ''', "the scope dict may supply keywords the model does not know"),
]


@pytest.mark.parametrize("name, source, reason", DICT_REFUSALS,
                         ids=[c[0] for c in DICT_REFUSALS])
def test_scope_dict_refusals(tmp_path, name, source, reason):
    root = _package(tmp_path, {"net.py": source})
    _result, outcomes = _run(root, "net.py")
    out = outcomes[str(root / "net.py")]
    assert any(reason in why for _line, why in out.refused), out.refused


def test_stdin_gives_the_text_on_stdout(tmp_path):
    """``-``: as fix does, the inlined text on stdout, the report on stderr (a file of its
    own: nothing across calls)."""
    source = HEAD + textwrap.dedent('''\
        def f(x):
            with slim.arg_scope([slim.conv2d], padding='SAME'):
                return slim.conv2d(x, 8, 3)
        ''')
    proc = run_cli("inline", "-", cwd=tmp_path, stdin=source)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == HEAD + "def f(x):\n    return slim.conv2d(x, 8, 3, padding='SAME')\n"
    assert proc.stderr.splitlines() == ["stdin:6: inlined: inlined padding into 1 call(s)",
                                        "scopes inlined: 1; refused: 0"]
    diff = run_cli("inline", "--diff", "-", cwd=tmp_path, stdin=source)
    assert diff.returncode == 1 and "+    return slim.conv2d(x, 8, 3, padding='SAME')" in (
        diff.stdout)


def test_a_project_op_called_in_the_body_passes_what_is_written_into_it(tmp_path):
    """tf_slim's arg_scope_test: the call of the listed project op gets the keywords the
    scope supplies written in; its body runs under the scope no more, and reads none."""
    root = _package(tmp_path, {"net.py": '''\
        @slim.add_arg_scope
        def func1(*args, **kwargs):
            return (args, kwargs)


        def f():
            with slim.arg_scope([func1], a=1, b=None):
                return func1(0, b=2)
        '''})
    result, outcomes = _run(root, "net.py")
    assert outcomes[str(root / "net.py")].inlined == [(11, "inlined a into 1 call(s)")]
    assert _new(result, root / "net.py").endswith("def f():\n    return func1(0, b=2, a=1)\n")


def test_a_scope_dict_built_under_a_scope_of_the_same_function(tmp_path):
    """The dict holds the outer scope's ``stride=s`` (a parameter: the same frame); the
    outer scope goes next, and ``s`` is written where it is visible."""
    root = _package(tmp_path, {"net.py": SCOPE_FUNCTION + textwrap.dedent('''

        def model(x, s):
            with slim.arg_scope([slim.conv2d], stride=s):
                with slim.arg_scope(net_arg_scope()):
                    return slim.conv2d(x, 8, 3)
        ''')})
    result, outcomes = _run(root, "net.py")
    assert [line for line, _w in outcomes[str(root / "net.py")].inlined] == [13, 14]
    assert _new(result, root / "net.py").endswith(textwrap.dedent('''\
        def model(x, s):
            return slim.conv2d(x, 8, 3,
                               activation_fn=tf.nn.relu,
                               padding='SAME',
                               weights_regularizer=slim.l2_regularizer(0.0005),
                               stride=s)
        '''))


TENSOR_READ = '''\
    def f(net):
        with slim.arg_scope([slim.conv2d], padding='VALID'):
            shape = net.get_shape().as_list()
            return slim.conv2d(net, shape[-1], 3)
    '''


def test_a_tensors_accessors_run_no_op(tmp_path):
    """``net.get_shape().as_list()`` on a parameter: a tensor's accessors, when no function
    of the project has their names."""
    root = _package(tmp_path, {"net.py": TENSOR_READ})
    result, outcomes = _run(root, "net.py")
    assert [line for line, _w in outcomes[str(root / "net.py")].inlined] == [6]
    assert "padding='VALID')" in _new(result, root / "net.py")


def test_a_project_function_of_an_accessors_name_may_run_ops(tmp_path):
    root = _package(tmp_path, {"net.py": TENSOR_READ, "shapes.py": '''\
        class Block:
            def get_shape(self):
                return slim.conv2d(self.x, 8, 3)
        '''})
    result, outcomes = _run(root, "net.py")
    assert result.changed == {}
    assert any("get_shape() is a call the model cannot resolve" in why
               for _l, why in outcomes[str(root / "net.py")].refused)
