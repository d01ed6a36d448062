"""``**params`` of a literal dict in arg_scope: its keys are scoped like explicit keywords."""
import tf_slim as slim


def bn_arg_scope(is_training=True):
    bn = {'decay': 0.9, 'epsilon': 1e-3, 'is_training': is_training}
    with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm, normalizer_params=bn):
        with slim.arg_scope([slim.batch_norm], **bn) as sc:
            return sc


def case_unpacked_redundant(x):
    params = {'decay': 0.97, 'epsilon': 1e-5}
    with slim.arg_scope([slim.batch_norm], **params):
        return slim.batch_norm(x, decay=0.97)  # ASC201


def case_unpacked_positional(x):
    params = {'stride': 2, 'padding': 'SAME'}
    with slim.arg_scope([slim.conv2d], **params):
        return slim.conv2d(x, 4, [3, 3], 1)  # ASC401


def case_unpacked_from_factory(x):
    with slim.arg_scope(bn_arg_scope()):
        return slim.batch_norm(x, epsilon=1e-3)  # ASC201


def case_ok_unpacked_other_value(x):
    params = {'decay': 0.97}
    with slim.arg_scope([slim.batch_norm], **params):
        return slim.batch_norm(x, decay=0.9)
