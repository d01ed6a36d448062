"""ASC401: a parameter passed positionally that the effective arg_scope also supplies."""
import tensorflow as tf
import tf_slim as slim


@slim.add_arg_scope
def my_op(inputs, scale=1.0, name=None):
    return inputs * scale


def stride_arg_scope():
    with slim.arg_scope([slim.conv2d], stride=2) as sc:
        return sc


def case_positional_stride(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        return slim.conv2d(x, 4, [3, 3], 2)  # ASC401


def case_positional_multiline(x):
    with slim.arg_scope([slim.conv2d], padding='VALID'):
        return slim.conv2d(x, 4, [3, 3],
                           1,
                           'SAME')  # ASC401


def case_alias_scope(x):
    with slim.arg_scope([slim.convolution2d], kernel_size=[3, 3]):
        return slim.conv2d(x, 4, [3, 3])  # ASC401


def case_outer_scope_supplies(x):
    with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu):
        with slim.arg_scope([slim.conv2d], padding='SAME'):
            net = slim.conv2d(x, 4, [3, 3])
            net = slim.flatten(net)
            return slim.fully_connected(net, 10, tf.nn.relu)  # ASC401


def case_num_outputs_in_scope(x):
    with slim.arg_scope([slim.fully_connected], num_outputs=10):
        net = slim.flatten(x)
        return slim.fully_connected(net, 10)  # ASC401


def case_partial_goes_through_fully_connected(x):
    with slim.arg_scope([slim.fully_connected], num_outputs=10):
        net = slim.flatten(x)
        return slim.relu(net, 10)  # ASC401


def case_user_op(x):
    with slim.arg_scope([my_op], scale=2.0):
        return my_op(x, 2.0)  # ASC401


def case_reused_dict(x):
    with slim.arg_scope([slim.conv2d], stride=2) as sc:
        pass
    with slim.arg_scope(sc):
        return slim.conv2d(x, 4, [3, 3], 1)  # ASC401


def case_factory(x):
    with slim.arg_scope(stride_arg_scope()):
        return slim.conv2d(x, 4, 3, 2)  # ASC401


def case_readme_nested(x):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_initializer=tf.compat.v1.truncated_normal_initializer(stddev=0.01),
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with slim.arg_scope([slim.conv2d], stride=1, padding='SAME'):
            net = slim.conv2d(x, 64, [11, 11], 4, padding='VALID', scope='conv1')  # ASC401
            net = slim.conv2d(net, 256, [5, 5],
                              weights_initializer=tf.compat.v1.truncated_normal_initializer(
                                  stddev=0.03),
                              scope='conv2')
            return slim.fully_connected(net, 1000, activation_fn=None, scope='fc')


# large enough for the 11x11 VALID conv once the stride is passed by keyword (fix test)
case_readme_nested.shape = [1, 32, 32, 3]


def case_ok_required_param_from_scope(x):
    with slim.arg_scope([slim.conv2d], kernel_size=[3, 3]):
        return slim.conv2d(x, 4)


def case_ok_keyword_overrides(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        return slim.conv2d(x, 4, [3, 3], stride=1)


def case_ok_dict_reuse_drops_outer(x):
    with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
        pass
    with slim.arg_scope([slim.conv2d], stride=2):
        with slim.arg_scope(sc):
            return slim.conv2d(x, 4, [3, 3], 1)


def case_ok_scope_for_other_op(x):
    with slim.arg_scope([slim.max_pool2d], stride=2):
        return slim.conv2d(x, 4, [3, 3], 1)


def case_ok_after_exit(x):
    with slim.arg_scope([slim.conv2d], stride=2):
        net = slim.conv2d(x, 4, [3, 3])
    return slim.conv2d(net, 4, [3, 3], 1)
