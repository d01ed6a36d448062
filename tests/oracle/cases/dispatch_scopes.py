"""Key-correlated dispatch (research/slim's nets_factory): the net and its scope function come
from two module-level dicts read with the same key, so each net runs under its own scope
only. A collision that one net's scope causes is reported at the factory's call, once."""
import tf_slim as slim


def vgg_like(net, num_classes=4):
    net = slim.conv2d(net, 4, [3, 3], scope='conv1')
    return slim.conv2d(net, num_classes, [1, 1], 1, 'SAME', scope='logits')


def plain_net(net, num_classes=4):
    # passes stride positionally: fine, no scope of this dict sets it
    return slim.conv2d(net, num_classes, [1, 1], 1, scope='plain')


def vgg_like_arg_scope(weight_decay=0.0):
    with slim.arg_scope([slim.conv2d], padding='VALID') as sc:
        return sc


def plain_arg_scope(weight_decay=0.0):
    with slim.arg_scope([slim.fully_connected], activation_fn=None) as sc:
        return sc


networks_map = {
    'vgg_like': vgg_like,
    'plain': plain_net,
}

arg_scopes_map = {
    'vgg_like': vgg_like_arg_scope,
    # 'plain' with vgg_like's scope would collide on padding; the keys keep them apart
    'plain': plain_arg_scope,
}


def get_network_fn(name, weight_decay=0.0):
    func = networks_map[name]

    def network_fn(images):
        arg_scope = arg_scopes_map[name](weight_decay=weight_decay)
        with slim.arg_scope(arg_scope):
            return func(images, num_classes=4)  # ASC401

    return network_fn


def case_dispatch_vgg_like(x):
    return get_network_fn('vgg_like')(x)


def case_dispatch_plain(x):
    return get_network_fn('plain')(x)  # ok: plain_net under its own scope


def keyed_scope_lexical(name, images):
    with slim.arg_scope(arg_scopes_map[name]()):
        return slim.conv2d(images, 4, [1, 1], 1, 'SAME', scope='lex')  # ASC401


def case_keyed_scope_lexical(x):
    return keyed_scope_lexical('vgg_like', x)
