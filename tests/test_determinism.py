"""Output is deterministic: same bytes across runs, job counts and hash seeds.

A small project of fixture-like files (written into tmp_path) that produce
findings: the repeated keywords of three ``slim.conv2d`` calls (ASC101), a
positional stride under ``slim.arg_scope([slim.conv2d], stride=2)`` (ASC401),
redundant keywords, set-literal op lists (iteration order of sets depends on
``PYTHONHASHSEED``), cross-module factories and aliases.
"""
from __future__ import annotations

import os
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hostile import harness  # noqa: E402
from hostile import strategies as S  # noqa: E402

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/scopes.py": '''\
        import tensorflow as tf
        import tf_slim as slim


        def net_arg_scope(weight_decay=0.0005, is_training=True):
            with slim.arg_scope({slim.conv2d, slim.fully_connected, slim.separable_conv2d},
                                activation_fn=tf.nn.relu,
                                weights_regularizer=slim.l2_regularizer(weight_decay)):
                with slim.arg_scope([slim.conv2d], padding='SAME', stride=2) as sc:
                    return sc
        ''',
    "pkg/model.py": '''\
        import tensorflow as tf
        import tf_slim as slim

        from pkg.scopes import net_arg_scope


        def repeated(inputs):
            net = slim.conv2d(inputs, 64, [11, 11], 4, padding='SAME',
                              weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                              weights_regularizer=slim.l2_regularizer(0.0005), scope='conv1')
            net = slim.conv2d(net, 128, [11, 11], padding='VALID',
                              weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                              weights_regularizer=slim.l2_regularizer(0.0005), scope='conv2')
            net = slim.conv2d(net, 256, [11, 11], padding='SAME',
                              weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                              weights_regularizer=slim.l2_regularizer(0.0005), scope='conv3')
            return net


        def positional(inputs):
            with slim.arg_scope([slim.conv2d], stride=2):
                net = slim.conv2d(inputs, 64, [3, 3], 2, scope='c1')
                net = slim.conv2d(net, 64, [3, 3], 1, stride=2, scope='c2')
            return net


        def redundant(inputs):
            with slim.arg_scope(net_arg_scope()):
                net = slim.conv2d(inputs, 64, [3, 3], padding='SAME', stride=2)
                net = slim.fully_connected(net, 10, activation_fn=tf.nn.relu)
            with slim.arg_scope({slim.conv2d, slim.max_pool2d, slim.avg_pool2d,
                                 slim.separable_conv2d, slim.conv2d_transpose},
                                padding='VALID', data_format='NHWC'):
                net = slim.max_pool2d(net, [2, 2], padding='VALID', data_format='NHWC')
                net = slim.conv2d(net, 8, [1, 1], 1, padding='VALID', data_format='NHWC')
            return net
        ''',
    "pkg/tp.py": '''\
        import tensorflow as tf
        from tensorpack import *
        from tensorpack.tfutils.argscope import argscope, enable_argscope_for_module

        enable_argscope_for_module(tf.layers)


        def tower(image):
            with argscope(Conv2D, kernel_size=3, activation=tf.nn.relu), \\
                    argscope([Conv2D, MaxPooling, BatchNorm], data_format='channels_first'):
                l = Conv2D('conv0', image, 64, kernel_size=3)
                l = Conv2D('conv1', l, 64, kernel_size=3)
                l = Conv2D('conv2', l, 64, kernel_size=3)
                l = tf.layers.conv2d(l, 32, 3, use_bias=False)
            return l
        ''',
    "pkg/contrib.py": '''\
        import tensorflow as tf
        slim = tf.contrib.slim
        from tensorflow.contrib.framework import arg_scope, add_arg_scope


        @add_arg_scope
        def my_layer(inputs, num_outputs, stride=1, padding='SAME', scope=None):
            return inputs


        def body(x):
            with arg_scope([my_layer, slim.conv2d], stride=2, padding='VALID'):
                x = my_layer(x, 32, 2)
                x = my_layer(x, 32, padding='VALID')
                x = slim.conv2d(x, 1, 1, 2)
            with tf.contrib.framework.arg_scope([my_layer], bogus=1):
                x = my_layer(x, 3)
            return x
        ''',
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("determinism")
    for rel, text in PROJECT.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    # A few generated, realistic modules too (fixed seeds).
    for seed in range(4):
        (root / "pkg" / f"gen_{seed}.py").write_text(S.generate_module(seed, 10, True))
    return root


def _flake8(root, *args, hashseed="0"):
    env = harness.subprocess_env({"PYTHONHASHSEED": hashseed})
    run = harness.run_flake8(["pkg"], *args, cwd=root, env=env, timeout=120)
    assert not harness.output_problems(run), harness.describe(run)
    return run


@pytest.fixture(scope="module")
def reference(project):
    return _flake8(project, "-j1")


def test_project_has_findings(reference):
    # Guards the other tests against passing vacuously (e.g. the checker
    # silently finding nothing).
    lines = reference.stdout.splitlines()
    assert any(" ASC" in ln for ln in lines), harness.describe(reference)
    assert any("model.py" in ln for ln in lines), harness.describe(reference)


def test_two_runs_byte_identical(project, reference):
    again = _flake8(project, "-j1")
    assert again.stdout_bytes == reference.stdout_bytes


def test_j1_vs_j2_byte_identical(project, reference):
    parallel = _flake8(project, "-j2")
    assert parallel.stdout_bytes == reference.stdout_bytes


@pytest.mark.parametrize("hashseed", ["1", "12345"])
def test_hash_seed_does_not_change_output(project, reference, hashseed):
    other = _flake8(project, "-j2", hashseed=hashseed)
    assert other.stdout_bytes == reference.stdout_bytes


def test_in_process_repeatable(project):
    """Same findings, same order, when the checker runs twice in one process
    (no state leaking between files or runs)."""
    import ast

    files = sorted(project.rglob("*.py"))

    def lint_all():
        out = []
        for path in files:
            processor = harness.make_processor(str(path))
            tree = ast.parse("".join(processor.lines))
            results = harness.run_checker_on_tree(tree, processor.lines, str(path),
                                                  processor=processor)
            harness.check_results(results, processor.lines, context=str(path))
            out.append((path.name, [r[:3] for r in results]))
        return out

    first = lint_all()
    second = lint_all()
    assert first == second
    # Reverse order: a file's findings must not depend on what was linted before.
    files.reverse()
    third = lint_all()
    files.reverse()
    assert sorted(third) == sorted(first)
