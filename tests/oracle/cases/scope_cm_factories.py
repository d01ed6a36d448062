"""A project function that returns arg_scope(...) itself, used as `with f([ops], ...):`
(object_detection's faster_rcnn feature extractors, `_batch_norm_arg_scope(list_ops, ...)`).
normalizer_fn depends on a branch inside the factory: its key is known, its value is not."""
import tf_slim as slim


def _norm_arg_scope(list_ops, use_batch_norm=False, padding='SAME'):
    if use_batch_norm:
        normalizer_fn = slim.batch_norm
    else:
        normalizer_fn = None
    return slim.arg_scope(list_ops, normalizer_fn=normalizer_fn, padding=padding)


def case_outer_scope_reaches_through(x):
    with slim.arg_scope([slim.conv2d], stride=1):
        with _norm_arg_scope([slim.conv2d]):
            return slim.conv2d(x, 4, [3, 3], 2)  # ASC401


def case_factory_keyword_positional(x):
    with _norm_arg_scope([slim.conv2d], padding='VALID'):
        return slim.conv2d(x, 4, [3, 3], 1, 'VALID')  # ASC401


def case_factory_keyword_redundant(x):
    with _norm_arg_scope([slim.conv2d], padding='VALID'):
        return slim.conv2d(x, 4, [3, 3], padding='VALID')  # ASC201


def case_factory_keyword_for_a_pool(x):
    with _norm_arg_scope([slim.conv2d, slim.max_pool2d]):  # ASC402
        return slim.max_pool2d(x, [2, 2])


def case_branch_value_not_claimed(x):
    with _norm_arg_scope([slim.conv2d]):
        return slim.conv2d(x, 4, [3, 3], normalizer_fn=None)  # oracle: redundant-ok (use_batch_norm=False here; the linter makes no claim on a value set in a branch)
