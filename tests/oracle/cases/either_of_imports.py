"""Either-of bindings: `try: import tf_slim as slim / except ImportError: slim =
tf.contrib.slim`. Here tf_slim imports, so the try world runs; the linter reports only what
holds in the except world too (TF 1.15 contrib has the same ops and signatures for these)."""
import tensorflow as tf

try:
    import tf_slim as slim
except ImportError:
    slim = tf.contrib.slim

arg_scope = slim.arg_scope


def case_positional_stride(x):
    with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
        return slim.conv2d(x, 4, [3, 3], 2)  # ASC401


def case_redundant_padding(x):
    with arg_scope([slim.conv2d], padding='SAME'):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_unexpected_keyword(x):
    with arg_scope([slim.conv2d, slim.max_pool2d], activation_fn=None):  # ASC402
        return slim.max_pool2d(x, [2, 2])


def case_not_scoped(x):
    with slim.arg_scope([slim.conv2d, tf.compat.v1.layers.conv2d], padding='SAME'):  # ASC301
        return x
