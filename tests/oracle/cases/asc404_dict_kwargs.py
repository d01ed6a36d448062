"""ASC404: a reused scope dict passed together with keyword arguments."""
import tensorflow as tf
import tf_slim as slim


def base_arg_scope():
    with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
        return sc


def case_sc_with_kwargs(x):
    with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
        pass
    with slim.arg_scope(sc, stride=2):  # ASC404
        return slim.conv2d(x, 4, [3, 3])


def case_factory_with_kwargs(x):
    with slim.arg_scope(base_arg_scope(), activation_fn=None):  # ASC404
        return slim.conv2d(x, 4, [3, 3])


def case_dict_literal(x):
    with slim.arg_scope({}, padding='SAME'):  # ASC404
        return x


def case_multiline(x):
    with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
        pass
    with slim.arg_scope([slim.fully_connected], activation_fn=tf.nn.relu):
        with slim.arg_scope(  # ASC404
                sc,
                padding='VALID'):
            return x


def case_current_arg_scope(x):
    with slim.arg_scope(slim.current_arg_scope(), padding='SAME'):  # ASC404
        return x


def case_ok_reuse(x):
    with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
        pass
    with slim.arg_scope(sc):
        with slim.arg_scope([slim.conv2d], stride=2):
            return slim.conv2d(x, 4, [3, 3])


def case_ok_factory(x):
    with slim.arg_scope(base_arg_scope()):
        return slim.conv2d(x, 4, [3, 3])
