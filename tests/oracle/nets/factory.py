"""A nets factory in research/slim's shape over the nets tf-slim 1.1.0 ships: two module-level
dicts read with the same key, the scope entered by the factory, the ops called in the net
functions (issue "Scopes that callers bring"). Only the oracle runs it."""

import functools

import tf_slim as slim
from slimnets import alexnet, inception, overfeat, resnet_utils, resnet_v1, resnet_v2, vgg

networks_map = {
    'alexnet_v2': alexnet.alexnet_v2,
    'overfeat': overfeat.overfeat,
    'vgg_a': vgg.vgg_a,
    'vgg_16': vgg.vgg_16,
    'vgg_19': vgg.vgg_19,
    'inception_v1': inception.inception_v1,
    'inception_v2': inception.inception_v2,
    'inception_v3': inception.inception_v3,
    'resnet_v1_50': resnet_v1.resnet_v1_50,
    'resnet_v2_50': resnet_v2.resnet_v2_50,
}

arg_scopes_map = {
    'alexnet_v2': alexnet.alexnet_v2_arg_scope,
    'overfeat': overfeat.overfeat_arg_scope,
    'vgg_a': vgg.vgg_arg_scope,
    'vgg_16': vgg.vgg_arg_scope,
    'vgg_19': vgg.vgg_arg_scope,
    'inception_v1': inception.inception_v1_arg_scope,
    'inception_v2': inception.inception_v2_arg_scope,
    'inception_v3': inception.inception_v3_arg_scope,
    'resnet_v1_50': resnet_utils.resnet_arg_scope,
    'resnet_v2_50': resnet_utils.resnet_arg_scope,
}


# overfeat sets no default_image_size; its docstring asks for 231x231 inputs
image_sizes = {'overfeat': 231}


def get_network_fn(name, num_classes, weight_decay=0.0, is_training=False):
    func = networks_map[name]

    @functools.wraps(func)
    def network_fn(images, **kwargs):
        arg_scope = arg_scopes_map[name](weight_decay=weight_decay)
        with slim.arg_scope(arg_scope):
            return func(images, num_classes=num_classes, is_training=is_training, **kwargs)

    network_fn.default_image_size = image_sizes.get(
        name, getattr(func, 'default_image_size', 224))
    return network_fn
