"""Shapes for ``inline`` across calls (cli/across.py): scopes whose keywords reach op calls
in project functions. Inlined: facenet's squeezenet fire modules (helpers called only under
the scope, two deep), a helper whose own scope overrides one keyword. Refused: a helper
called under two scopes with different values, a helper also called where no scope is in
force. test_cli_oracle.py runs each case before and after and compares what every op call
receives."""
import tensorflow as tf
import tf_slim as slim


def _squeeze(x):
    return slim.conv2d(x, 4, [1, 1], scope='squeeze')


def _expand(x):
    e1 = slim.conv2d(x, 4, [1, 1], scope='e1x1')
    e3 = slim.conv2d(x, 4, [3, 3], scope='e3x3')
    return tf.concat([e1, e3], 3)


def _fire(x, scope):
    with tf.compat.v1.variable_scope(scope):
        with slim.arg_scope([slim.conv2d, slim.max_pool2d], outputs_collections='fire_out'):
            return _expand(_squeeze(x))


def case_fire_modules(x):
    with slim.arg_scope([slim.conv2d], padding='SAME', activation_fn=tf.nn.relu6):
        net = _fire(x, 'fire1')
        net = slim.max_pool2d(net, [2, 2])
        return _fire(net, 'fire2')


case_fire_modules.shape = [1, 16, 16, 3]


def _strided(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        return slim.conv2d(x, 4, [3, 3], scope='strided')


def case_the_helpers_scope_wins(x):
    with slim.arg_scope([slim.conv2d], stride=1, padding='VALID'):
        return _strided(x)


case_the_helpers_scope_wins.shape = [1, 16, 16, 3]


def _two_scopes_block(x, scope):
    return slim.conv2d(x, 4, [3, 3], scope=scope)


def case_two_scopes_two_values(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):  # refused: the other gives SAME
        net = _two_scopes_block(x, 'b1')
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return _two_scopes_block(net, 'b2')


case_two_scopes_two_values.shape = [1, 16, 16, 3]


def _also_plain(x, scope):
    return slim.conv2d(x, 4, [3, 3], scope=scope)


def case_also_called_without_the_scope(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):  # refused: p2 has no scope
        net = _also_plain(x, 'p1')
    return _also_plain(net, 'p2')


case_also_called_without_the_scope.shape = [1, 16, 16, 3]
