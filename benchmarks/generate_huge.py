#!/usr/bin/env python
"""Write a huge generated TF-Slim model file: the stress input of the huge-file budget.

The file repeats, with varied names, depths and keywords, the shapes real Slim model code
has: scope factories (``def x_arg_scope(...): with slim.arg_scope(...) as sc: return sc``),
network functions with nested ``arg_scope`` blocks around ``slim.conv2d`` /
``max_pool2d`` / ``avg_pool2d`` / ``fully_connected`` / ``batch_norm`` / ``dropout`` calls,
inception-style branches under ``tf.variable_scope``, ``slim.repeat`` and ``slim.stack``,
scope dicts and context managers held in names, op lists in module constants, a
``functools.partial`` of an op, and training functions entering a factory's scope. A few
units carry real findings (a positional stride the scope also sets, a keyword repeated
three times, an explicit keyword equal to the scope's), so the rules have work to do.

The output is deterministic: the same arguments give the same bytes. ``--imports either``
binds ``slim`` in a ``try``/``except`` (tf_slim or tf.contrib.slim), which makes the
plugin walk the file once per world. Usage::

    python benchmarks/generate_huge.py [--lines 50000] [--imports plain|either] [OUT]
"""

from __future__ import annotations

import argparse
import random
import sys

HEADER = {
    "plain": '''\
"""A generated TF-Slim model zoo (benchmarks/generate_huge.py): stress input, not a model."""
import functools

import tensorflow as tf
import tf_slim as slim
''',
    "either": '''\
"""A generated TF-Slim model zoo (benchmarks/generate_huge.py): stress input, not a model."""
import functools

import tensorflow as tf

try:
    import tf_slim as slim
except ImportError:
    slim = tf.contrib.slim
''',
}

COMMON = '''
CONV_OPS = [slim.conv2d, slim.separable_conv2d]
POOL_OPS = (slim.max_pool2d, slim.avg_pool2d)
trunc_normal = lambda stddev: tf.truncated_normal_initializer(0.0, stddev)  # noqa: E731
conv_same = functools.partial(slim.conv2d, padding='SAME')
'''

FACTORY = '''

def {name}_arg_scope(weight_decay={wd}, stddev={sd}, batch_norm_decay={bnd},
{pad}batch_norm_epsilon=0.001, is_training=True):
    """The default scope of {name}."""
    batch_norm_params = {{
        'decay': batch_norm_decay,
        'epsilon': batch_norm_epsilon,
        'updates_collections': tf.GraphKeys.UPDATE_OPS,
        'is_training': is_training,
    }}
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(weight_decay)):
        with slim.arg_scope(
                [slim.conv2d],
                weights_initializer=trunc_normal(stddev),
                activation_fn={act},
                normalizer_fn=slim.batch_norm,
                normalizer_params=batch_norm_params) as sc:
            return sc
'''

BRANCH = '''\
            with tf.variable_scope('Branch_{b}'):
                branch_{b} = slim.conv2d(net, {d0}, [1, 1], scope='Conv2d_0a_1x1')
                branch_{b} = slim.conv2d(branch_{b}, {d1}, [{k}, {k}],
                                       scope='Conv2d_0b_{k}x{k}')
'''

POOL_BRANCH = '''\
            with tf.variable_scope('Branch_{b}'):
                branch_{b} = slim.{pool}(net, [3, 3], scope='Pool_0a_3x3')
                branch_{b} = slim.conv2d(branch_{b}, {d0}, [1, 1], scope='Conv2d_0b_1x1')
'''

BLOCK = '''

def {name}_block_{j}(net, scope=None, reuse=None):
    """An inception-style block: parallel branches, concatenated."""
    with tf.variable_scope(scope, 'Block{j}', [net], reuse=reuse):
        with slim.arg_scope([slim.conv2d, slim.max_pool2d, slim.avg_pool2d],
                            stride=1, padding='SAME'):
{branches}            net = tf.concat(axis=3, values=[{names}])
    return net
'''

NET = '''

def {name}(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
{pad}spatial_squeeze=True, scope='{title}'):
    """A {title} network."""
    with tf.variable_scope(scope, '{title}', [inputs]) as sc:
        end_points_collection = sc.original_name_scope + '_end_points'
        with slim.arg_scope([slim.conv2d, slim.fully_connected, slim.max_pool2d],
                            outputs_collections=[end_points_collection]):
            net = slim.repeat(inputs, {r}, slim.conv2d, {d}, [3, 3], scope='conv1')
            net = slim.max_pool2d(net, [2, 2], scope='pool1')
            net = slim.stack(net, slim.conv2d, [({d}, [3, 3]), ({d2}, [1, 1])], scope='conv2')
            with slim.arg_scope(POOL_OPS, stride=2, padding='VALID'):
                net = slim.max_pool2d(net, [3, 3], scope='pool2')
{blocks}{extra}            with slim.arg_scope([slim.batch_norm, slim.dropout],
                                is_training=is_training):
                net = slim.conv2d(net, {fc}, [7, 7], padding='VALID', scope='fc6')
                net = slim.dropout(net, dropout_keep_prob, scope='dropout6')
                net = slim.conv2d(net, {fc}, [1, 1], scope='fc7')
                net = slim.dropout(net, dropout_keep_prob, scope='dropout7')
                net = slim.conv2d(net, num_classes, [1, 1], activation_fn=None,
                                  normalizer_fn=None, scope='fc8')
            end_points = slim.utils.convert_collection_to_dict(end_points_collection)
            if spatial_squeeze:
                net = tf.squeeze(net, [1, 2], name='fc8/squeezed')
                end_points[sc.name + '/fc8'] = net
    return net, end_points


{name}.default_image_size = {size}
'''

BLOCK_CALL = "                net = {name}_block_{j}(net, scope='Mixed_{j}')\n"

# the findings a few units carry (real ones: the plugin reports each)
EXTRA_POSITIONAL = '''\
            with slim.arg_scope([slim.conv2d], stride=1):
                net = slim.conv2d(net, {d}, [3, 3], 2, scope='reduce')
'''
EXTRA_REPEATED = '''\
            reg = slim.l2_regularizer(0.0005)
            net = slim.fully_connected(slim.flatten(net), {d}, weights_regularizer=reg)
            net = slim.fully_connected(net, {d}, weights_regularizer=reg)
            net = slim.fully_connected(net, {d}, weights_regularizer=reg)
'''
EXTRA_REDUNDANT = '''\
            with slim.arg_scope(CONV_OPS, padding='SAME'):
                net = slim.conv2d(net, {d}, [3, 3], padding='SAME', scope='same')
                net = conv_same(net, {d}, [1, 1], scope='partial')
'''
EXTRA_HELD = '''\
            held = slim.arg_scope([slim.conv2d], activation_fn=tf.nn.relu6)
            with held:
                net = slim.conv2d(net, {d}, [1, 1], scope='held')
'''

TRAIN = '''

def train_{name}(images, labels, reg=None):
    """Build {name} for training and return its loss."""
    sc = {name}_arg_scope(weight_decay={wd})
    with slim.arg_scope(sc):
        logits, end_points = {name}(images, is_training=True)
    with slim.arg_scope({name}_arg_scope()):
        with slim.arg_scope([slim.batch_norm], decay=0.99):
            aux = slim.conv2d(end_points['{title}/pool1'], 128, [1, 1], scope='aux')
            aux = slim.flatten(aux)
    loss = tf.losses.softmax_cross_entropy(labels, logits)
    loss += 0.4 * tf.losses.softmax_cross_entropy(labels, slim.fully_connected(aux, 10))
    return loss
'''


def unit(rng: random.Random, i: int) -> str:
    name = f"net{i:04d}"
    title = f"Net{i:04d}"
    pad = " " * 12
    parts = [FACTORY.format(
        name=name, wd=rng.choice(["0.0005", "0.00004", "4e-5"]),
        sd=rng.choice(["0.1", "0.01", "0.09"]), bnd=rng.choice(["0.9997", "0.997", "0.99"]),
        pad=" " * (len(name) + 15), act=rng.choice(["tf.nn.relu", "tf.nn.relu6"]))]
    n_blocks = rng.randint(2, 4)
    for j in range(n_blocks):
        n_branches = rng.randint(2, 4)
        branches = []
        for b in range(n_branches):
            d0, d1 = rng.choice([32, 48, 64, 96]), rng.choice([64, 96, 128, 192])
            if b == n_branches - 1 and rng.random() < 0.5:
                branches.append(POOL_BRANCH.format(
                    b=b, d0=d0, pool=rng.choice(["max_pool2d", "avg_pool2d"])))
            else:
                branches.append(BRANCH.format(b=b, d0=d0, d1=d1, k=rng.choice([3, 5, 7])))
        parts.append(BLOCK.format(name=name, j=j, branches="".join(branches),
                                  names=", ".join(f"branch_{b}" for b in range(n_branches))))
    d = rng.choice([32, 64, 96])
    extra = ""
    for template, share in ((EXTRA_POSITIONAL, 0.2), (EXTRA_REPEATED, 0.2),
                            (EXTRA_REDUNDANT, 0.3), (EXTRA_HELD, 0.3)):
        if rng.random() < share:
            extra += template.format(d=d)
    blocks = "".join(BLOCK_CALL.format(name=name, j=j) for j in range(n_blocks))
    blocks = "            with slim.arg_scope([slim.conv2d], stride=1):\n" + blocks
    parts.append(NET.format(name=name, title=title, pad=" " * (len(name) + 5),
                            r=rng.randint(2, 4), d=d, d2=2 * d, blocks=blocks, extra=extra,
                            fc=rng.choice([1024, 2048, 4096]), size=rng.choice([224, 299])))
    parts.append(TRAIN.format(name=name, title=title, wd=rng.choice(["0.0005", "1e-4"])))
    del pad
    return "".join(parts)


def generate(lines: int = 50_000, imports: str = "plain", seed: int = 11) -> str:
    """The text of a generated model file of about ``lines`` lines (never fewer)."""
    rng = random.Random(seed)
    out = [HEADER[imports], COMMON]
    count = sum(p.count("\n") for p in out)
    i = 0
    while count < lines:
        text = unit(rng, i)
        out.append(text)
        count += text.count("\n")
        i += 1
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", help="output file (default: stdout)")
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--imports", choices=sorted(HEADER), default="plain")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    text = generate(args.lines, args.imports, args.seed)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
