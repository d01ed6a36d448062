"""``**params`` of a literal dict in arg_scope: its keys are scoped like explicit keywords."""
import tensorflow as tf
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


POOL_PARAMS = {'padding': 'VALID', 'stride': 2}


def case_module_dict_in_a_function(x):
    with slim.arg_scope([slim.max_pool2d], **POOL_PARAMS):
        return slim.max_pool2d(x, [2, 2], 1)  # ASC401


def _drop_scope(noise_shape=None):
    # object_detection's hyperparams_builder adds is_training to its batch_norm params only
    # when it is given: the other keys stay certain
    params = {'keep_prob': 0.8}
    if noise_shape is not None:
        params['noise_shape'] = noise_shape
    with slim.arg_scope([slim.dropout], **params) as sc:
        return sc


def case_key_set_later_others_stay(x):
    with slim.arg_scope(_drop_scope()):
        return slim.dropout(x, 0.5)  # ASC401


def case_key_set_later_is_not_claimed(x):
    with slim.arg_scope(_drop_scope()):
        return slim.dropout(x, keep_prob=0.5, noise_shape=None)


def _conv_kwargs(pad):
    # google-research's scope_utils: a function returns the keyword dict, another enters it
    kw = {'padding': pad, 'activation_fn': tf.nn.relu6, 'stride': 1}
    return kw


def _conv_scope_gen(pad='VALID'):
    gen = slim.arg_scope([slim.conv2d], **_conv_kwargs(pad))
    return gen


def case_returned_dict_redundant(x):
    with slim.arg_scope([slim.conv2d], **_conv_kwargs('SAME')):
        return slim.conv2d(x, 4, [3, 3], activation_fn=tf.nn.relu6)  # ASC201


def case_returned_dict_parameter(x):
    with slim.arg_scope([slim.conv2d], **_conv_kwargs('SAME')):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_returned_dict_for_a_pool(x):
    with slim.arg_scope([slim.max_pool2d], **_conv_kwargs('SAME')):  # ASC402 ASC402
        return slim.max_pool2d(x, [2, 2])


def case_held_generator_returned(x):
    gen = _conv_scope_gen()
    with gen:
        return slim.conv2d(x, 4, [3, 3], 1)  # ASC401


def case_generator_factory_in_with(x):
    with _conv_scope_gen('SAME'):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201
