"""A project function that returns arg_scope(...) itself, used as `with f([ops], ...):`
(object_detection's faster_rcnn feature extractors, `_batch_norm_arg_scope(list_ops, ...)`).
normalizer_fn depends on a branch inside the factory: its key is known, its value is not."""
import tensorflow as tf
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


class _NoOpScope(object):
    def __enter__(self):
        return None

    def __exit__(self, *unused_exc_info):
        return False


def _nonnull_arg_scope(ops, **params):
    # research/slim mobilenet's safe_arg_scope: only the keywords that are not None, and no
    # scope at all when every one is None
    kept = {k: v for k, v in params.items() if v is not None}
    if kept:
        return slim.arg_scope(ops, **kept)
    return _NoOpScope()


def case_nonnull_literal_reaches(x):
    with _nonnull_arg_scope([slim.dropout], keep_prob=0.7):
        return slim.dropout(x, 0.4)  # ASC401


def case_nonnull_literal_redundant(x):
    with _nonnull_arg_scope([slim.dropout], keep_prob=0.7, noise_shape=None):
        return slim.dropout(x, keep_prob=0.7)  # ASC201


def case_nonnull_dropped_value(x):
    with _nonnull_arg_scope([slim.dropout], keep_prob=None, is_training=True):
        return slim.dropout(x, 0.4)


def case_nonnull_all_none_enters_nothing(x):
    with _nonnull_arg_scope([slim.dropout, tf.nn.relu], keep_prob=None):
        return slim.dropout(x, 0.4)


def case_nonnull_not_scoped(x):
    with _nonnull_arg_scope([slim.dropout, tf.nn.relu], keep_prob=0.5):  # ASC301
        return x


def _head(x, keep):
    with _nonnull_arg_scope([slim.dropout], keep_prob=keep):
        return slim.dropout(x, 0.4)  # keep may be None: no claim


def case_nonnull_parameter(x):
    return _head(x, None)


def _train_scope(training=True, keep_prob=0.8):
    drop_params = {'is_training': training, 'keep_prob': keep_prob}
    with _nonnull_arg_scope([slim.dropout], **drop_params), \
            slim.arg_scope([slim.conv2d], padding='VALID') as sc:
        return sc


def case_train_scope_keep_none(x):
    with slim.arg_scope(_train_scope(keep_prob=None)):
        return slim.dropout(x, 0.4)


def case_train_scope_keep_set(x):
    with slim.arg_scope(_train_scope(keep_prob=0.5)):
        return slim.dropout(x, 0.4)  # ASC401


def case_train_scope_redundant(x):
    with slim.arg_scope(_train_scope()):
        return slim.conv2d(x, 4, [3, 3], padding='VALID')  # ASC201
