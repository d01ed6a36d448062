"""Edge cases across codes: captured scopes, rebinding, partials, unusual elements."""
import tensorflow as tf
import tf_slim as slim


def _plain(inputs, factor=1.0, name=None):
    return inputs * factor


scaled = slim.add_arg_scope(_plain)


def case_sc_carries_enclosing_scopes(x):
    with slim.arg_scope([slim.conv2d], activation_fn=None):
        with slim.arg_scope([slim.conv2d], padding='VALID') as sc:
            pass
    with slim.arg_scope(sc):
        return slim.conv2d(x, 4, [3, 3], activation_fn=None)  # ASC201


def case_rebound_name_not_redundant(x):
    act = tf.nn.relu
    with slim.arg_scope([slim.conv2d], activation_fn=act):
        act = tf.nn.elu
        return slim.conv2d(x, 4, [3, 3], activation_fn=act)


def case_quote_style_same_ast(x):
    with slim.arg_scope([slim.conv2d], padding="SAME"):
        return slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201


def case_partial_call_redundant(x):
    with slim.arg_scope([slim.fully_connected], trainable=False):
        net = slim.flatten(x)
        return slim.relu(net, 10, trainable=False)  # ASC201


def case_partial_activation_not_from_scope(x):
    with slim.arg_scope([slim.fully_connected], activation_fn=None):
        net = slim.flatten(x)
        return slim.relu(net, 10)


def case_add_arg_scope_call_positional(x):
    with slim.arg_scope([scaled], factor=2.0):
        return scaled(x, 2.0)  # ASC401


def case_none_first_arg(x):
    with slim.arg_scope(None):  # ASC403
        return x


def case_number_first_arg(x):
    with slim.arg_scope(3, padding='SAME'):  # ASC403
        return x


def case_ok_comprehension_and_list_call(x):
    ops = (slim.conv2d, slim.max_pool2d)
    with slim.arg_scope([op for op in ops], padding='SAME'):
        with slim.arg_scope(list(ops), stride=1):
            return slim.max_pool2d(slim.conv2d(x, 4, [3, 3]), [2, 2])


def case_dict_unpack_literal(x):
    with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
        pass
    with slim.arg_scope({**sc}, stride=2):  # ASC404
        return x


def case_lambda_element(x):
    with slim.arg_scope([lambda t: t]):  # ASC301
        return x


def case_keras_layer_class(x):
    with slim.arg_scope([tf.keras.layers.Conv2D], padding='same'):  # ASC301
        return x


def case_slim_stack_not_scoped(x):
    with slim.arg_scope([slim.stack]):  # ASC301
        return x


def case_elu_partial(x):
    with slim.arg_scope([slim.conv2d, slim.elu], trainable=True):  # ASC301
        return x


def case_ok_wrapped_raw_function(x):
    with slim.arg_scope([slim.conv2d.__wrapped__], padding='VALID'):
        return slim.conv2d(x, 4, [3, 3])


def case_convolution_scope_with_conv_dims_and_more(x):
    with slim.arg_scope([slim.convolution], conv_dims=2, padding='SAME'):
        return slim.conv2d(x, 4, [3, 3])  # ASC405


def case_ok_transpose_and_separable_under_convolution_scope(x):
    with slim.arg_scope([slim.convolution], padding='VALID'):
        net = slim.conv2d_transpose(x, 4, [3, 3])
        return slim.separable_conv2d(net, 4, [3, 3], 1)


def case_branches(x):
    with slim.arg_scope([slim.conv2d], padding='SAME'):
        if x.shape[1] == 8:
            net = slim.conv2d(x, 4, [3, 3], padding='SAME')  # ASC201
        else:
            net = slim.conv2d(x, 4, [3, 3], padding='VALID')
    return net


def case_scope_keyword_applies_to_second_op_only(x):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=None):
        with slim.arg_scope([slim.fully_connected], activation_fn=tf.nn.relu):
            net = slim.conv2d(x, 4, [3, 3], activation_fn=tf.nn.relu)
            net = slim.flatten(net)
            return slim.fully_connected(net, 10, activation_fn=tf.nn.relu)  # ASC201
