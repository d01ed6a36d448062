"""ASC402: scope keyword that one of the listed ops does not accept (fails at the op's call)."""
import tensorflow as tf
import tf_slim as slim


@slim.add_arg_scope
def my_op(inputs, scale=1.0):
    return inputs * scale


def fc_arg_scope():
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        padding='SAME') as sc:  # ASC402
        return sc


def case_pool_has_no_activation(x):
    with slim.arg_scope([slim.conv2d, slim.max_pool2d],
                        activation_fn=tf.nn.relu):  # ASC402
        net = slim.conv2d(x, 4, [3, 3])
        return slim.max_pool2d(net, [2, 2])


def case_typo(x):
    with slim.arg_scope([slim.conv2d], paddding='SAME'):  # ASC402
        return slim.conv2d(x, 4, [3, 3])


def case_user_op(x):
    with slim.arg_scope([my_op], stride=2):  # ASC402
        return my_op(x)


def case_alias(x):
    with slim.arg_scope([slim.convolution2d], depth_multiplier=2):  # ASC402
        return slim.conv2d(x, 4, [3, 3])


def case_fully_connected_stride(x):
    with slim.arg_scope([slim.fully_connected], stride=1):  # ASC402
        net = slim.flatten(x)
        return slim.fully_connected(net, 10)


def case_factory(x):
    with slim.arg_scope(fc_arg_scope()):
        net = slim.conv2d(x, 4, [3, 3])
        net = slim.flatten(net)
        return slim.fully_connected(net, 10)


def case_batch_norm_nested(x):
    with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm):
        with slim.arg_scope([slim.batch_norm], is_training=True, center=True,
                            padding='SAME'):  # ASC402
            return slim.batch_norm(x)


def case_ok_shared_keyword(x):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        net = slim.conv2d(x, 4, [3, 3])
        net = slim.flatten(net)
        return slim.fully_connected(net, 10)


def case_ok_pools_padding(x):
    with slim.arg_scope([slim.max_pool2d, slim.avg_pool2d], padding='SAME', stride=1):
        net = slim.max_pool2d(x, [2, 2])
        return slim.avg_pool2d(net, [2, 2])


def case_ok_batch_norm_dropout(x):
    with slim.arg_scope([slim.batch_norm, slim.dropout], is_training=False):
        net = slim.batch_norm(x)
        return slim.dropout(net)
