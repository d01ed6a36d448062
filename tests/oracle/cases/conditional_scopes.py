"""Conditional scopes (research/slim resnet_v1/v2): `with (arg_scope(...) if c else
NoOpScope()):`. A call-site finding holds in both branches; the case runs one of them."""
import contextlib

import tf_slim as slim


class NoOpScope(object):
    """No-op context manager."""

    def __enter__(self):
        return None

    def __exit__(self, *exc_info):
        return False


def case_outer_stride_either_branch(x):
    is_training = None
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        with (slim.arg_scope([slim.batch_norm], is_training=is_training)
              if is_training is not None else NoOpScope()):
            return slim.conv2d(x, 4, [3, 3], 2)  # ASC401


def case_outer_padding_either_branch(x):
    is_training = None
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        with (slim.arg_scope([slim.batch_norm], is_training=is_training)
              if is_training is not None else NoOpScope()):
            return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_stride_in_both_branches(x):
    c = False
    with (slim.arg_scope([slim.conv2d], stride=2) if c
          else slim.arg_scope([slim.conv2d], stride=1)):
        return slim.conv2d(x, 4, [3, 3], 1)  # ASC401


def case_scope_in_one_branch_not_taken(x):
    c = False
    with (slim.arg_scope([slim.conv2d], stride=2) if c else contextlib.nullcontext()):
        return slim.conv2d(x, 4, [3, 3], 1)


def case_value_in_one_branch(x):
    c = True
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        with (slim.arg_scope([slim.conv2d], padding='VALID') if c else NoOpScope()):
            return slim.conv2d(x, 4, [3, 3], padding='VALID')  # oracle: redundant-ok (VALID only in the branch taken here; the other branch has SAME)


def case_nullcontext_is_empty(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        with contextlib.nullcontext():
            return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201
