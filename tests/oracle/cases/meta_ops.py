"""slim.repeat and slim.stack call their layer with the arguments they are given, under the
current scope (tf_slim/layers/layers.py:2606-2648, 3027-3079)."""
import tf_slim as slim


def case_repeat_positional_stride(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return slim.repeat(x, 2, slim.conv2d, 4, [3, 3], 1, scope='conv')  # ASC401


def case_repeat_redundant_keyword(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return slim.repeat(x, 2, slim.conv2d, 4, [3, 3], padding='SAME', scope='conv')  # ASC201


def case_stack_positional_stride(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return slim.stack(x, slim.conv2d, [(4, [3, 3]), (4, [3, 3], 2)], scope='conv')  # ASC401


def case_stack_redundant_keyword(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        return slim.stack(x, slim.conv2d, [(4, [1, 1]), (4, [1, 1])], padding='VALID', scope='c')  # ASC201


def case_stack_single_values(x):
    with slim.arg_scope([slim.fully_connected], activation_fn=None):
        return slim.stack(x, slim.fully_connected, [8, 4], activation_fn=None, scope='fc')  # ASC201


def case_ok_repeat_override(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return slim.repeat(x, 2, slim.conv2d, 4, [3, 3], padding='VALID', scope='conv')


def _scaled_residual(x, factor, *args, **kwargs):
    # facenet's conv2d_block: the positionals after factor go straight to slim.conv2d
    return x + factor * slim.conv2d(x, *args, **kwargs)


def _residual_no_kwargs(x, *args):
    return slim.conv2d(x, *args)


def case_forwarder_positional(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return _scaled_residual(x, 0.1, 3, [3, 3], 1)  # ASC401


def case_forwarder_redundant(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        return _scaled_residual(x, 0.1, 3, [3, 3], padding='SAME')  # ASC201


def case_forwarder_under_repeat(x):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        return slim.repeat(x, 2, _scaled_residual, 0.1, 3, [3, 3], 1)  # ASC401


def case_forwarder_without_kwargs(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return _residual_no_kwargs(x, 4, [3, 3], 1)  # ASC401


def case_forwarder_fine(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return _scaled_residual(x, 0.1, 3, [3, 3], padding='SAME')
