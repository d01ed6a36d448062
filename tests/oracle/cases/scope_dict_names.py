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
