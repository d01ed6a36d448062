"""Op lists held in names and functools.partial objects among the ops."""
import functools

import tf_slim as slim

CONV_OPS = (slim.conv2d, slim.separable_conv2d)
conv_no_bn = functools.partial(slim.conv2d, normalizer_fn=None)


def case_named_tuple(x):
    with slim.arg_scope(CONV_OPS, padding='VALID'):
        return slim.conv2d(x, 4, [3, 3], 1, 'VALID')  # ASC401


def case_sum_of_tuples(x):
    with slim.arg_scope(CONV_OPS + (slim.max_pool2d,), activation_fn=None):  # ASC402
        return slim.max_pool2d(x, [2, 2])


def case_inline_partial(x):
    with slim.arg_scope([functools.partial(slim.conv2d, padding='VALID')], stride=1):  # ASC301
        return x


def case_named_partial(x):
    with slim.arg_scope([slim.conv2d, conv_no_bn], stride=1):  # ASC301
        return x
