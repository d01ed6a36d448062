"""Scope context managers held in names and entered later (`with sc_gen:`), and deeplab's
if/else-bound `arg_scope` entered once."""
import tf_slim as slim


def case_held_positional(x):
    sc_gen = slim.arg_scope([slim.conv2d], stride=1, padding='SAME')
    with sc_gen:
        return slim.conv2d(x, 4, [3, 3], 2)  # ASC401


def case_held_redundant(x):
    sc_gen = slim.arg_scope([slim.conv2d], padding='SAME')
    with sc_gen:
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_held_unexpected_keyword(x):
    bad_gen = slim.arg_scope([slim.conv2d, slim.max_pool2d], activation_fn=None)  # ASC402
    with bad_gen:
        return slim.max_pool2d(x, [2, 2])


def case_deeplab_either_branch(x):
    is_training = None
    with slim.arg_scope([slim.conv2d], stride=1):
        if is_training is not None:
            arg_scope = slim.arg_scope([slim.batch_norm], is_training=is_training)
        else:
            arg_scope = slim.arg_scope([])
        with arg_scope:
            return slim.conv2d(x, 4, [3, 3], 2)  # ASC401
