"""ASC301: element of an arg_scope op list that is not decorated with add_arg_scope."""
import tensorflow as tf
import tf_slim as slim


def plain_layer(inputs, scale=1.0):
    return inputs * scale


def plain_pool(inputs, kernel_size=2, padding='SAME'):
    return inputs


@slim.add_arg_scope
def my_op(inputs, scale=1.0):
    return inputs * scale


def _raw(inputs, factor=1.0):
    return inputs * factor


scaled = slim.add_arg_scope(_raw)


def bad_arg_scope():
    with slim.arg_scope([slim.conv2d,
                         plain_pool],  # ASC301
                        padding='SAME') as sc:
        return sc


def case_plain_def(x):
    with slim.arg_scope([plain_layer], scale=2.0):  # ASC301
        return plain_layer(x)


def case_multiline_list_tf_nn(x):
    with slim.arg_scope([slim.conv2d,
                         tf.nn.relu]):  # ASC301
        return slim.conv2d(x, 4, [3, 3])


def case_compat_v1_layers(x):
    with slim.arg_scope([tf.compat.v1.layers.conv2d], padding='same'):  # ASC301
        return tf.compat.v1.layers.conv2d(x, 4, 3)


def case_partial_relu(x):
    with slim.arg_scope([slim.fully_connected,
                         slim.relu],  # ASC301
                        weights_regularizer=None):
        return slim.flatten(x)


def case_tuple_with_partial(x):
    with slim.arg_scope((slim.linear,), trainable=True):  # ASC301
        return x


def case_string_op(x):
    with slim.arg_scope(['conv2d'], padding='SAME'):  # ASC301
        return x


def case_inside_outer_scope(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        with slim.arg_scope([slim.max_pool2d, plain_pool], padding='SAME'):  # ASC301
            return slim.conv2d(x, 4, [3, 3])


def case_factory_with_plain(x):
    with slim.arg_scope(bad_arg_scope()):
        return slim.conv2d(x, 4, [3, 3])


def case_ok_decorated(x):
    with slim.arg_scope([slim.conv2d, slim.max_pool2d], padding='SAME'):
        with slim.arg_scope([my_op], scale=2.0):
            with slim.arg_scope([scaled], factor=2.0):
                return my_op(scaled(slim.conv2d(x, 4, [3, 3])))


def case_ok_aliases_and_tuple(x):
    with slim.arg_scope((slim.convolution2d, slim.conv2d, slim.separable_conv2d), stride=1):
        return slim.conv2d(x, 4, [3, 3])


def case_ok_raw_function_of_add_arg_scope(x):
    # add_arg_scope(_raw) registered str(_raw): the raw function is scope-enabled too (§1.6).
    with slim.arg_scope([_raw], factor=2.0):
        return scaled(x)


def case_ok_empty_list(x):
    with slim.arg_scope([]):
        return slim.conv2d(x, 4, [3, 3])


def case_ok_registered_library_function(x):
    # a bare add_arg_scope(f) registers str(f) at once (docs/semantics.md §1.6): the with is
    # entered without error, though calls of f never read the scope
    slim.add_arg_scope(tf.compat.v1.layers.average_pooling1d)
    with slim.arg_scope([tf.compat.v1.layers.average_pooling1d], padding='same'):
        return x


def case_ok_registered_in_a_loop(x):
    for op in (tf.compat.v1.layers.average_pooling3d, tf.compat.v1.layers.max_pooling3d):
        slim.add_arg_scope(op)
    with slim.arg_scope([tf.compat.v1.layers.average_pooling3d,
                         tf.compat.v1.layers.max_pooling3d], padding='same'):
        return x
