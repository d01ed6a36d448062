"""A module name bound twice before the first def (``tf = tf.compat.v1`` under a version
test) holds its final value in every function: values written with it are compared."""
import tensorflow as tf
import tf_slim as slim

if tf.__version__ >= '2.0':
    tf = tf.compat.v1


def _scope_dict():
    with slim.arg_scope([slim.conv2d], activation_fn=tf.nn.relu6) as sc:
        return sc


def case_settled_name_redundant(x):
    with slim.arg_scope(_scope_dict()):
        return slim.conv2d(x, 4, [3, 3], activation_fn=tf.nn.relu6)  # ASC201
