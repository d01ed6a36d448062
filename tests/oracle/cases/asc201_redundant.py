"""ASC201: explicit keyword equal (same AST) to what the effective arg_scope supplies."""
import tensorflow as tf
import tf_slim as slim


@slim.add_arg_scope
def my_op(inputs, scale=1.0, name=None):
    return inputs * scale


def _plain(inputs, factor=1.0):
    return inputs * factor


scaled = slim.add_arg_scope(_plain)


def my_arg_scope():
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu):
        with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
            return sc


def case_simple_padding(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_scope_on_alias_call_on_other(x):
    with slim.arg_scope([slim.convolution2d], stride=1):
        return slim.conv2d(x, 4, 3, stride=1)  # ASC201


def case_outer_scope_supplies(x):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu):
        with slim.arg_scope([slim.conv2d], padding='VALID'):
            net = slim.conv2d(x, 4, [3, 3],
                              activation_fn=tf.nn.relu)  # ASC201
    return net


def case_inner_overrides_outer(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        with slim.arg_scope([slim.conv2d], padding='SAME'):
            net = slim.conv2d(x, 4, [3, 3], padding='VALID')
            return slim.conv2d(net, 4, [3, 3], padding='SAME')  # ASC201


def case_after_scope_exit(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        net = slim.conv2d(x, 4, [3, 3])
    return slim.conv2d(net, 4, [3, 3], padding='VALID')


def case_other_op_not_scoped(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return slim.max_pool2d(x, [2, 2], padding='SAME')


def case_multi_op_list(x):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        net = slim.conv2d(x, 4, [3, 3])
        net = slim.flatten(net)
        return slim.fully_connected(net, 10,
                                    weights_regularizer=slim.l2_regularizer(0.0005))  # ASC201


def case_regularizer_different_scale(x):
    with slim.arg_scope([slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        net = slim.flatten(x)
        return slim.fully_connected(net, 10, weights_regularizer=slim.l2_regularizer(0.001))


def case_initializer_same_config(x):
    with slim.arg_scope([slim.fully_connected],
                        weights_initializer=tf.compat.v1.truncated_normal_initializer(stddev=0.01)):
        net = slim.flatten(x)
        return slim.fully_connected(
            net, 10,
            weights_initializer=tf.compat.v1.truncated_normal_initializer(stddev=0.01))  # ASC201


def case_decorated_user_op(x):
    with slim.arg_scope([my_op], scale=2.0):
        return my_op(x, scale=2.0)  # ASC201


def case_add_arg_scope_call_form(x):
    with slim.arg_scope([scaled], factor=3.0):
        return scaled(x, factor=3.0)  # ASC201


def case_reused_dict_supplies(x):
    with slim.arg_scope([slim.conv2d], padding='VALID') as sc:
        pass
    with slim.arg_scope(sc):
        return slim.conv2d(x, 4, [3, 3], padding='VALID')  # ASC201


def case_reused_dict_replaces_outer(x):
    with slim.arg_scope([slim.conv2d], padding='VALID') as sc:
        pass
    with slim.arg_scope([slim.conv2d], stride=2):
        with slim.arg_scope(sc):
            return slim.conv2d(x, 4, [3, 3], stride=2)


def case_factory_scope(x):
    with slim.arg_scope(my_arg_scope()):
        net = slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201
        net = slim.flatten(net)
        return slim.fully_connected(net, 10, activation_fn=tf.nn.relu)  # ASC201


def case_explicit_none_overrides(x):
    with slim.arg_scope([slim.conv2d], activation_fn=tf.nn.relu):
        return slim.conv2d(x, 4, [3, 3], activation_fn=None)


def case_is_training_exempt(x):
    with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=True):
        net = slim.batch_norm(x, is_training=True)  # oracle: redundant-ok (is_training exempt)
        return slim.dropout(net, is_training=True)  # oracle: redundant-ok (is_training exempt)


def case_nested_def_not_carried(x):
    def block(net):
        return slim.conv2d(net, 4, [3, 3], padding='SAME')  # oracle: redundant-ok (nested def)

    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return block(x)


def case_loop(x):
    net = x
    with slim.arg_scope([slim.conv2d], padding='SAME', stride=1):
        for i in range(2):
            net = slim.conv2d(net, 4, [3, 3], stride=1, scope='c%d' % i)  # ASC201
    return net


def case_rebound_after_the_call(x):
    pad = 'SAME'
    with slim.arg_scope([slim.conv2d], padding=pad):
        x = slim.conv2d(x, 4, [3, 3], padding=pad)  # ASC201
        pad = 'VALID'
        return slim.conv2d(x, 4, [3, 3], padding=pad)


def _rebound_in_a_loop(x, depths):
    pad = 'SAME'
    with slim.arg_scope([slim.conv2d], padding=pad):
        for depth in depths:
            x = slim.conv2d(x, depth, [3, 3], padding=pad)
            pad = 'VALID'
    return x


def case_rebound_in_a_loop(x):
    return _rebound_in_a_loop(x, [4, 4])


def _loop_around_the_with(x, depths):
    pad = 'SAME'
    for depth in depths:
        with slim.arg_scope([slim.conv2d], padding=pad):
            x = slim.conv2d(x, depth, [3, 3], padding=pad)  # ASC201
        pad = 'VALID'
    return x


def case_loop_around_the_with(x):
    return _loop_around_the_with(x, [4, 4])
