"""Kept wrappers of tf.layers functions (``dense = add_arg_scope(tf.layers.dense)``, as in
tensor2tensor-style translation models): their calls read the scope, with the signature of
the wrapped function (TF 1.15 tensorflow_core/python/layers/core.py:116 dense,
convolutional.py:1188 conv2d_transpose; the same parameters in tf.compat.v1.layers here).
add_arg_scope registers the wrapped function's key for the whole process, so arg_scope([f])
of the plain f stops raising everywhere: this file wraps functions no other case lists."""
import tensorflow as tf
import tf_slim as slim

dense = slim.add_arg_scope(tf.compat.v1.layers.dense)
conv = slim.add_arg_scope(tf.compat.v1.layers.conv2d_transpose)
pool = slim.add_arg_scope(tf.compat.v1.layers.average_pooling2d)


def case_wrapped_positional(x):
    with slim.arg_scope([dense], activation=tf.nn.relu):
        return dense(x, 4, tf.nn.relu)  # ASC401


def case_wrapped_conv_positional(x):
    with slim.arg_scope([conv], padding='same'):
        return conv(x, 4, 3, 1, 'valid')  # ASC401


def case_wrapped_redundant(x):
    with slim.arg_scope([conv], padding='same'):
        return conv(x, 4, 3, padding='same')  # ASC201


def case_wrapped_not_accepted(x):
    with slim.arg_scope([conv, pool], activation=tf.nn.relu):  # ASC402
        return pool(x, 2, 2)


def case_wrapped_differs(x):
    with slim.arg_scope([dense], activation=tf.nn.relu):
        return dense(x, 4, activation=None)

# kept wrappers unpacked from a list comprehension (a translation model's module-level code)
sep, pool1d = [slim.add_arg_scope(f) for f in (tf.compat.v1.layers.separable_conv2d,
                                               tf.compat.v1.layers.max_pooling1d)]
dense_alias, conv_alias = dense, conv


def case_unpacked_wrapper_positional(x):
    with slim.arg_scope([sep], padding='same'):
        return sep(x, 4, 3, (1, 1), 'valid')  # ASC401


def case_unpacked_wrapper_redundant(x):
    with slim.arg_scope([sep], padding='same'):
        return sep(x, 4, 3, padding='same')  # ASC201


def case_unpacked_alias(x):
    with slim.arg_scope([dense_alias], activation=tf.nn.relu):
        return dense_alias(x, 4, tf.nn.relu)  # ASC401
