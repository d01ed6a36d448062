"""Shapes for ``inline`` of a scope function's use (cli/scope_dicts.py): ``with
slim.arg_scope(net_arg_scope(...)):`` around op calls (the parameter replaced by the
argument), around a call of a net function (across calls), nested in a scope of the caller
(the dict holds what it captured there); refused: a local of the scope function.
test_cli_oracle.py runs each case before and after and compares what every op call
receives."""
import tensorflow as tf
import tf_slim as slim

WD = 0.001


def _net_arg_scope(weight_decay=0.0005, pad='SAME'):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu6,
                        weights_regularizer=slim.l2_regularizer(weight_decay)):
        with slim.arg_scope([slim.conv2d], padding=pad) as sc:
            return sc


def case_scope_function_around_op_calls(x):
    with slim.arg_scope(_net_arg_scope(weight_decay=WD)):
        net = slim.conv2d(x, 4, [3, 3], scope='c1')
        net = slim.flatten(net)
        return slim.fully_connected(net, 4, activation_fn=None, scope='fc')


case_scope_function_around_op_calls.shape = [1, 8, 8, 3]


def _small_net(x):
    net = slim.conv2d(x, 4, [3, 3], scope='s1')
    # (the caller's scope dict gives the same padding: the lint does not judge across calls)
    return slim.conv2d(net, 4, [3, 3], padding='VALID', scope='s2')  # oracle: redundant-ok (caller's scope)


def case_scope_function_around_a_net(x):
    with slim.arg_scope(_net_arg_scope(pad='VALID')):
        return _small_net(x)


case_scope_function_around_a_net.shape = [1, 8, 8, 3]


def case_scope_function_inside_a_scope(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        with slim.arg_scope(_net_arg_scope()):
            return slim.conv2d(x, 4, [3, 3], scope='n1')


case_scope_function_inside_a_scope.shape = [1, 8, 8, 3]


def _init_arg_scope(value):
    init = tf.compat.v1.constant_initializer(value)
    with slim.arg_scope([slim.conv2d], biases_initializer=init) as sc:
        return sc


def case_a_local_of_the_scope_function(x):
    with slim.arg_scope(_init_arg_scope(0.1)):  # refused: init is the function's own
        return slim.conv2d(x, 4, [3, 3], scope='i1')


case_a_local_of_the_scope_function.shape = [1, 8, 8, 3]
