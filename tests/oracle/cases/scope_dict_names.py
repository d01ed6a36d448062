"""A project factory's scope dict held in a name: `sc = factory(...)`, `with arg_scope(sc):`."""
import tf_slim as slim


def my_arg_scope(weight_decay=0.0005):
    with slim.arg_scope([slim.conv2d], padding='SAME',
                        weights_regularizer=slim.l2_regularizer(weight_decay)) as sc:
        return sc


def case_dict_in_a_name_positional(x):
    sc = my_arg_scope(weight_decay=0.001)
    with slim.arg_scope([slim.conv2d], stride=2):
        with slim.arg_scope(sc):
            return slim.conv2d(x, 4, [3, 3], 1, 'SAME')  # ASC401


def case_dict_in_a_name_redundant(x):
    sc = my_arg_scope()
    with slim.arg_scope(sc):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_dict_in_a_name_replaces(x):
    sc = my_arg_scope()
    with slim.arg_scope([slim.conv2d], stride=2):
        with slim.arg_scope(sc):
            return slim.conv2d(x, 4, [3, 3], 2)


def _pad_dict(padding='SAME'):
    with slim.arg_scope([slim.conv2d, slim.max_pool2d], padding=padding) as sc:
        return sc


class _Net(object):
    # SSD-Tensorflow's SSDNet.arg_scope(...) returns its module's factory dict
    def arg_scope(self, padding='VALID'):
        return _pad_dict(padding=padding)


class _Shadowed(object):
    def __init__(self):
        self.arg_scope = _pad_dict

    def arg_scope(self, padding='VALID'):
        return _pad_dict(padding=padding)


def case_method_dict_positional(x):
    net = _Net()
    sc = net.arg_scope()
    with slim.arg_scope(sc):
        return slim.max_pool2d(x, [2, 2], 2, 'VALID')  # ASC401


def case_method_dict_redundant(x):
    net = _Net()
    with slim.arg_scope(net.arg_scope(padding='SAME')):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_method_dict_with_keywords(x):
    net = _Net()
    sc = net.arg_scope()
    with slim.arg_scope(sc, stride=1):  # ASC404
        return x


def case_method_shadowed_by_attribute(x):
    net = _Shadowed()
    with slim.arg_scope(net.arg_scope()):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # oracle: redundant-ok (the instance attribute shadows the method; the linter makes no claim)
