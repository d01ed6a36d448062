"""Shapes for the refactorings. ASC101's fix (absorb): the tutorial's repetition, a majority
value with an override, project helpers called between the calls (one passes the keyword, one
does not: refused), a nested with, a value bound before the calls. inline: the tutorial's
nested scopes. test_cli_oracle.py runs each case before and after each rewrite and compares
what every op call receives."""
import tensorflow as tf
import tf_slim as slim


def case_tutorial_snippet_1(inputs):
    # TF-Slim README, "Scopes" (examples/snippet1_repeated.py)
    net = slim.conv2d(inputs, 64, [11, 11], 4, padding='SAME',
                      weights_initializer=tf.compat.v1.truncated_normal_initializer(stddev=0.01),
                      weights_regularizer=slim.l2_regularizer(0.0005), scope='conv1')
    net = slim.conv2d(net, 128, [11, 11], padding='VALID',
                      weights_initializer=tf.compat.v1.truncated_normal_initializer(stddev=0.01),
                      weights_regularizer=slim.l2_regularizer(0.0005), scope='conv2')
    net = slim.conv2d(net, 256, [11, 11], padding='SAME',
                      weights_initializer=tf.compat.v1.truncated_normal_initializer(stddev=0.01),
                      weights_regularizer=slim.l2_regularizer(0.0005), scope='conv3')
    return net


case_tutorial_snippet_1.shape = [1, 64, 64, 3]


def explicit_helper(net):
    return slim.fully_connected(net, 4, activation_fn=None, scope='helper_fc')


def case_majority_with_override_and_helper(x):
    net = slim.flatten(x)
    net = slim.fully_connected(net, 8, activation_fn=tf.nn.relu, scope='fc1')
    net = slim.fully_connected(net, 8, activation_fn=tf.nn.relu, scope='fc2')
    net = explicit_helper(net)  # passes activation_fn itself: unchanged under the scope
    net = slim.fully_connected(net, 8, activation_fn=None, scope='fc3')
    return slim.fully_connected(net, 8, activation_fn=tf.nn.relu, scope='fc4')


def bare_helper(net):
    return slim.fully_connected(net, 4, scope='bare_fc')


def case_helper_without_the_keyword_is_refused(x):
    net = slim.flatten(x)
    net = slim.fully_connected(net, 8, activation_fn=tf.nn.relu, scope='fc1')
    net = slim.fully_connected(net, 8, activation_fn=tf.nn.relu, scope='fc2')
    net = bare_helper(net)  # would receive activation_fn from the new scope: refused
    return slim.fully_connected(net, 8, activation_fn=tf.nn.relu, scope='fc3')


def case_value_bound_before_and_nested_with(x):
    pad = 'VALID'
    net = slim.conv2d(x, 4, [3, 3], padding=pad, scope='c1')
    with slim.arg_scope([slim.max_pool2d], stride=1):
        net = slim.max_pool2d(net, [2, 2])
    net = slim.conv2d(net, 4, [3, 3], padding=pad, scope='c2')
    return slim.conv2d(net, 4, [3, 3], padding=pad, scope='c3')


def case_tensorflow_calls_between(x):
    net = slim.conv2d(x, 4, [1, 1], activation_fn=None, scope='t1')
    net = tf.nn.relu(net)
    shape = net.get_shape().as_list()
    net = slim.conv2d(net, shape[-1], [1, 1], activation_fn=None, scope='t2')
    net = tf.concat([net, net], axis=3)
    return slim.conv2d(net, 4, [1, 1], activation_fn=None, scope='t3')


def case_tutorial_snippet_3_fixed(inputs):
    # TF-Slim README, "Scopes": nested arg_scopes (examples/snippet3_nested.py, its ASC401
    # fixed): inline writes every keyword the scopes supply into the calls
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_initializer=tf.compat.v1.truncated_normal_initializer(stddev=0.01),
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
            net = slim.conv2d(inputs, 64, [11, 11], stride=4, padding='VALID', scope='conv1')
            net = slim.conv2d(net, 256, [5, 5],
                              weights_initializer=tf.compat.v1.truncated_normal_initializer(
                                  stddev=0.03),
                              scope='conv2')
            net = slim.flatten(net)
            net = slim.fully_connected(net, 10, activation_fn=None, scope='fc')
    return net


case_tutorial_snippet_3_fixed.shape = [1, 64, 64, 3]
