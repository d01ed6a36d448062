"""Conditional scopes (research/slim resnet_v1/v2): `with (arg_scope(...) if c else
NoOpScope()):`. A call-site finding holds in both branches; the case runs one of them."""
import contextlib

import tensorflow as tf
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


def _backbone_scope():
    with slim.arg_scope([slim.conv2d, slim.separable_conv2d], activation_fn=tf.nn.relu6) as sc:
        return sc


def _head_scope():
    with slim.arg_scope([slim.conv2d], activation_fn=tf.nn.relu6, padding='VALID') as sc:
        return sc


def _both_write_the_value(x, use_head):
    # object_detection's ssd feature extractors: either dict is in force, and both write
    # activation_fn=tf.nn.relu6 (each evaluated where it stands, the same object)
    with slim.arg_scope(_backbone_scope()):
        with (slim.arg_scope(_head_scope()) if use_head else NoOpScope()):
            x = slim.conv2d(x, 4, [3, 3], activation_fn=tf.nn.relu6)  # ASC201
            return slim.conv2d(x, 4, [3, 3], padding='VALID')  # ok: VALID in one branch only


def case_same_value_in_both_head(x):
    return _both_write_the_value(x, True)


def case_same_value_in_both_backbone(x):
    return _both_write_the_value(x, False)
