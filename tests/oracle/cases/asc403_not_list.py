"""ASC403: first argument of arg_scope provably not a list/tuple/dict."""
import tensorflow as tf
import tf_slim as slim


def case_single_function(x):
    with slim.arg_scope(slim.conv2d, padding='SAME'):  # ASC403
        return slim.conv2d(x, 4, [3, 3])


def case_set_literal(x):
    with slim.arg_scope({slim.conv2d, slim.max_pool2d}, padding='SAME'):  # ASC403
        return x


def case_generator(x):
    with slim.arg_scope((op for op in [slim.conv2d]), padding='SAME'):  # ASC403
        return x


def case_multiline(x):
    with slim.arg_scope(
            slim.fully_connected,  # ASC403
            activation_fn=None):
        return x


def case_string(x):
    with slim.arg_scope('conv2d', padding='SAME'):  # ASC403
        return x


def case_compat_v1_nested(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        with slim.arg_scope(tf.compat.v1.layers.conv2d):  # ASC403
            return slim.conv2d(x, 4, [3, 3])


def case_ok_tuple(x):
    with slim.arg_scope((slim.conv2d,), padding='SAME'):
        return slim.conv2d(x, 4, [3, 3])


def case_ok_list_variable(x):
    ops = [slim.conv2d, slim.max_pool2d]
    with slim.arg_scope(ops, padding='SAME'):
        return slim.max_pool2d(slim.conv2d(x, 4, [3, 3]), [2, 2])


def case_ok_empty_dict_clears(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        with slim.arg_scope({}):
            return slim.conv2d(x, 4, [3, 3], 1)
