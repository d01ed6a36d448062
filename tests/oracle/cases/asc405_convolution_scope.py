"""ASC405: conv1d/2d/3d called under a scope that sets a `convolution` keyword (not conv_dims)."""
import tensorflow as tf
import tf_slim as slim


def case_conv2d(x):
    with slim.arg_scope([slim.convolution], padding='VALID'):
        return slim.conv2d(x, 4, [3, 3])  # ASC405


def case_convolution2d_alias(x):
    with slim.arg_scope([slim.convolution, slim.fully_connected], activation_fn=None):
        return slim.convolution2d(x, 4, [3, 3])  # ASC405


def case_conv1d(x):
    with slim.arg_scope([slim.convolution], stride=1):
        return slim.conv1d(x, 4, 3)  # ASC405


case_conv1d.shape = [1, 8, 3]


def case_conv3d(x):
    with slim.arg_scope([slim.convolution], trainable=True):
        return slim.conv3d(x, 4, [3, 3, 3])  # ASC405


case_conv3d.shape = [1, 4, 4, 4, 3]


def case_outer_scope_multiline_call(x):
    with slim.arg_scope([slim.convolution], weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], padding='SAME'):
            return slim.conv2d(  # ASC405
                x, 4, [3, 3])


def case_reused_dict(x):
    with slim.arg_scope([slim.convolution], rate=1) as sc:
        pass
    with slim.arg_scope(sc):
        return slim.conv2d(x, 4, [3, 3])  # ASC405


def case_ok_conv_dims_only(x):
    with slim.arg_scope([slim.convolution], conv_dims=3):
        return slim.conv2d(x, 4, [3, 3])


def case_ok_convolution_direct(x):
    with slim.arg_scope([slim.convolution], padding='VALID'):
        return slim.convolution(x, 4, [3, 3])


def case_ok_conv2d_scope_does_not_reach_convolution(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        return slim.convolution(x, 4, [3, 3])


def case_ok_after_exit(x):
    with slim.arg_scope([slim.convolution], padding='VALID'):
        net = slim.convolution(x, 4, [3, 3])
    return slim.conv2d(net, 4, [3, 3])


def case_ok_dict_reuse_drops_convolution(x):
    with slim.arg_scope([slim.conv2d], padding='VALID') as sc:
        pass
    with slim.arg_scope([slim.convolution], padding='VALID'):
        with slim.arg_scope(sc):
            return slim.conv2d(x, 4, [3, 3])
