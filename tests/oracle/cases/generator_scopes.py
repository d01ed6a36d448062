"""``@contextmanager`` generators that enter scopes around their one ``yield`` (tensorpack's
FasterRCNN ``backbone_scope``): the scopes in force at the yield are in force in the
caller's block. ``ExitStack.enter_context`` before the yield enters a scope too: certainly
when written directly in the with body, maybe when under a condition."""
import contextlib

import tf_slim as slim


@contextlib.contextmanager
def _conv_scope(padding='VALID'):
    with slim.arg_scope([slim.conv2d, slim.max_pool2d], padding=padding):
        yield


@contextlib.contextmanager
def _stacked_scope(strided):
    with slim.arg_scope([slim.conv2d], padding='SAME'), contextlib.ExitStack() as es:
        es.enter_context(slim.arg_scope([slim.max_pool2d], stride=1))
        if strided:
            es.enter_context(slim.arg_scope([slim.conv2d], stride=2))
        yield


@contextlib.contextmanager
def _loops(n):
    for _ in range(n):
        yield


def case_generator_positional(x):
    with _conv_scope():
        return slim.conv2d(x, 4, [3, 3], 1, 'VALID')  # ASC401


def case_generator_redundant(x):
    with _conv_scope('SAME'):
        return slim.max_pool2d(x, [2, 2], padding='SAME')  # ASC201


def case_exit_stack_certain(x):
    with _stacked_scope(False):
        return slim.max_pool2d(x, [2, 2], 2)  # ASC401


def case_exit_stack_under_a_condition(x):
    with _stacked_scope(True):
        return slim.conv2d(x, 4, [3, 3], stride=2, padding='SAME')  # ASC201 oracle: redundant-ok (padding is certain; stride=2 is entered under a condition: no claim on it)


def case_generator_not_followed(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        with _loops(1):
            return slim.conv2d(x, 4, [3, 3], padding='SAME')  # oracle: redundant-ok (a yield in a loop: the generator is not followed)
