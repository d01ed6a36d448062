"""From-imports, multi-item `with`, tf.compat.v1 scopes and variables."""
import tensorflow as tf
import tf_slim as slim
from tf_slim import arg_scope, conv2d, max_pool2d
from tf_slim import conv2d as c2d
from tf_slim.layers.layers import convolution


def case_from_imports_redundant(x):
    with arg_scope([conv2d, max_pool2d], padding='SAME'):
        net = conv2d(x, 4, [3, 3], padding='SAME')  # ASC201
        return max_pool2d(net, [2, 2], padding='VALID')


def case_renamed_import_positional(x):
    with arg_scope([conv2d], stride=1):
        return c2d(x, 4, [3, 3], 1)  # ASC401


def case_multi_item_with_variable_scope(x):
    with tf.compat.v1.variable_scope('block'), arg_scope([c2d], padding='VALID'):
        return conv2d(x, 4, [3, 3], padding='VALID')  # ASC201


def case_multi_item_with_not_a_list(x):
    with tf.compat.v1.name_scope('n'), arg_scope(conv2d):  # ASC403
        return x


def case_deep_import_convolution(x):
    with arg_scope([convolution], biases_initializer=None):
        return c2d(x, 4, [3, 3])  # ASC405


def case_model_variable_device(x):
    with slim.arg_scope([slim.model_variable], device='/cpu:0'):
        w = slim.model_variable('w', shape=[3], device='/cpu:0')  # ASC201
        return x * w


def case_variable_scope_inside(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        with tf.compat.v1.variable_scope('inner'):
            return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_ok_compat_initializer_differs(x):
    with slim.arg_scope([slim.conv2d],
                        weights_initializer=tf.compat.v1.glorot_uniform_initializer()):
        return slim.conv2d(x, 4, [3, 3],
                           weights_initializer=tf.compat.v1.zeros_initializer())


def case_ok_compat_layers_not_affected(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        return tf.compat.v1.layers.conv2d(x, 4, 3, padding='valid')
