"""Scopes that callers bring: a project function called under an arg_scope runs its body under
that scope (the stack is global). The error happens at the op call inside the function; the
finding is at the call that brings the scope, naming the functions it goes through."""
import functools

import tf_slim as slim


def block(net, depth):
    net = slim.conv2d(net, depth, [3, 3], 1, scope='conv')
    return slim.conv2d(net, depth, [1, 1], padding='SAME', scope='proj')


def clean_block(net, depth):
    return slim.conv2d(net, depth, [3, 3], stride=1, scope='clean')  # oracle: redundant-ok (a caller's scope; ASC201 stays lexical)


def stem(net):
    return block(net, 4)


def conv2d_block(net):
    return slim.conv2d(net, 4, [3, 3], scope='c2d')


def gen_block(net):
    yield slim.conv2d(net, 4, [3, 3], 1, scope='gen')


with slim.arg_scope([slim.fully_connected], activation_fn=None) as IMPORT_TIME_SC:
    pass


def factory_scope():
    with slim.arg_scope([slim.fully_connected], activation_fn=None) as sc:
        return sc


def block_with_factory_scope(net):
    # the factory runs under the caller's scope: its dict keeps the caller's stride
    with slim.arg_scope(factory_scope()):
        return slim.conv2d(net, 4, [3, 3], 1, scope='fac')


def block_with_import_time_scope(net):
    # a dict built at import replaces the caller's scope
    with slim.arg_scope(IMPORT_TIME_SC):
        return slim.conv2d(net, 4, [3, 3], 1, scope='imp')


def case_block_under_stride_scope(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return block(x, 4)  # ASC401


def case_through_two_functions(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return stem(x)  # ASC401


def case_keyword_stride_is_fine(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return clean_block(x, 4)  # ok: stride passed by keyword


def case_unrelated_scope(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        return block(x, 4)  # ok: the scope does not set stride


def case_convolution_scope(x):
    with slim.arg_scope([slim.convolution], padding='VALID'):
        return conv2d_block(x)  # ASC405


def case_generator_runs_later(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        blocks = gen_block(x)  # ok: the body runs at next(), outside the scope
    return next(blocks)


def case_factory_scope_keeps_callers(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return block_with_factory_scope(x)  # ASC401


def case_import_time_scope_replaces(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return block_with_import_time_scope(x)  # ok: the reused dict replaces the scope


def repeated_block(net, scope=None):
    return slim.conv2d(net, 4, [3, 3], 1, scope=scope)


def case_repeat_runs_the_block_under_the_scope(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return slim.repeat(x, 2, repeated_block, scope='rep')  # ASC401


def optional_stride(net, stride=None):
    if stride:
        return slim.conv2d(net, 4, [3, 3], stride, scope='opt_s')
    return slim.conv2d(net, 4, [3, 3], scope='opt')


def case_branch_not_taken(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return optional_stride(x)  # ok: only a branch passes stride positionally


narrow_block = functools.partial(block, depth=4)
narrow_clean_block = functools.partial(clean_block, depth=4)


def case_partial_runs_the_block_under_the_scope(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return narrow_block(x)  # ASC401


def case_partial_of_a_clean_block(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        return narrow_clean_block(x)  # ok: stride passed by keyword
