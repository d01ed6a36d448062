"""Hypothesis strategies producing arg_scope-shaped Python sources and mutants.

* :func:`arg_scope_modules` -- random but syntactically valid modules built
  from TF-Slim / tf.contrib / tensorpack idioms: nested ``with
  slim.arg_scope(...)``, lists/tuples/dicts/sets/lambdas/names/calls/starred
  first arguments, ``**kw`` / ``*args``, factories returning ``sc``,
  ``@slim.add_arg_scope`` decorated layers, ``enable_argscope_for_module``...
* :func:`mutants` -- deletes / duplicates / swaps tokens, lines and brackets of
  a base source (seed files, fixtures, examples, or generated modules).
* :func:`seed_sources` -- every ``.py`` under ``tests/fixtures`` and
  ``examples`` (read at call time, they are written by others) plus built-in
  seed strings, so the suite works before any fixture exists.
"""
from __future__ import annotations

import ast
import os
import random
import re
from pathlib import Path

from hypothesis import strategies as st

REPO_ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------
# Seeds
# --------------------------------------------------------------------------

BUILTIN_SEEDS = (
    '''\
import tensorflow as tf
import tf_slim as slim


def model(inputs):
    with slim.arg_scope([slim.conv2d], padding='SAME',
                        weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        net = slim.conv2d(inputs, 64, [11, 11], scope='conv1')
        net = slim.conv2d(net, 128, [11, 11], padding='VALID', scope='conv2')
        net = slim.conv2d(net, 256, [11, 11], scope='conv3')
    return net
''',
    '''\
import tensorflow as tf
slim = tf.contrib.slim


def vgg_arg_scope(weight_decay=0.0005):
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        activation_fn=tf.nn.relu,
                        weights_regularizer=slim.l2_regularizer(weight_decay),
                        biases_initializer=tf.zeros_initializer()):
        with slim.arg_scope([slim.conv2d], padding='SAME') as arg_sc:
            return arg_sc


def vgg_a(inputs, num_classes=1000, is_training=True, scope='vgg_a'):
    with tf.variable_scope(scope, 'vgg_a', [inputs]) as sc:
        with slim.arg_scope(vgg_arg_scope()):
            net = slim.repeat(inputs, 1, slim.conv2d, 64, [3, 3], scope='conv1')
            net = slim.max_pool2d(net, [2, 2], scope='pool1')
            net = slim.conv2d(net, 4096, [7, 7], padding='VALID', scope='fc6')
            net = slim.dropout(net, 0.5, is_training=is_training, scope='dropout6')
    return net
''',
    '''\
import tensorflow as tf
from tensorflow.contrib.framework import arg_scope, add_arg_scope


@add_arg_scope
def my_layer(inputs, num_outputs, stride=1, padding='SAME', scope=None, **kwargs):
    return inputs


def net(x, sc=None):
    with arg_scope([my_layer], stride=2):
        x = my_layer(x, 32, 2)
    with arg_scope(sc):
        x = my_layer(x, 64, padding='VALID')
    with tf.contrib.framework.arg_scope([my_layer, tf.nn.relu], bogus=1):
        x = my_layer(x, 64, stride=1, stride2=3)
    return x
''',
    '''\
import tensorflow as tf
from tensorpack import *
from tensorpack.tfutils.argscope import argscope, enable_argscope_for_module

enable_argscope_for_module(tf.layers)


def get_logits(image):
    with argscope(Conv2D, kernel_size=3, activation=tf.nn.relu), \\
            argscope([Conv2D, MaxPooling], data_format='channels_first'), \\
            argscope(tf.layers.conv2d, use_bias=False):
        logits = (LinearWrap(image)
                  .Conv2D('conv0', 64)
                  .MaxPooling('pool0', 2)
                  .FullyConnected('fc', 10)())
        l = tf.layers.conv2d(image, 32, 3, use_bias=True)
    return logits
''',
    '''\
import tf_slim as slim
ops = [slim.conv2d, slim.separable_conv2d]
kw = dict(padding='SAME', stride=1)


def f(net, *args, **kwargs):
    with slim.arg_scope(ops, **kw):
        with slim.arg_scope({slim.conv2d: 1}, *args, **kwargs):
            with slim.arg_scope((slim.batch_norm,), is_training=True), \\
                    slim.arg_scope([lambda x: x]):
                net = slim.conv2d(net, 32, [3, 3], *args, **kwargs)
    return net
''',
)


def _repo_py_files():
    found = []
    for sub in ("tests/fixtures", "examples"):
        base = REPO_ROOT / sub
        if base.is_dir():
            for path in sorted(base.rglob("*.py")):
                if path.is_file():
                    found.append(path)
    return found


def seed_sources():
    """Fixture/example sources (decoded leniently) followed by the built-ins."""
    seeds = []
    for path in _repo_py_files():
        try:
            data = path.read_bytes()
        except OSError:
            continue
        if len(data) > 200_000:
            continue
        seeds.append(data.decode("utf-8", "replace"))
    seeds.extend(BUILTIN_SEEDS)
    return seeds


def seed_names():
    names = [str(p.relative_to(REPO_ROOT)) for p in _repo_py_files()]
    return names + [f"<builtin seed {i}>" for i in range(len(BUILTIN_SEEDS))]


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------

SCOPE_FUNCS = (
    "slim.arg_scope", "arg_scope", "tf.contrib.framework.arg_scope",
    "tf.contrib.slim.arg_scope", "framework.arg_scope", "scopes.arg_scope",
    "argscope", "tensorpack.argscope", "tp.argscope", "slim.arg_scope_func_key",
    "contrib_framework.arg_scope", "self.arg_scope", "A",
)

OPS = (
    "slim.conv2d", "slim.fully_connected", "slim.batch_norm", "slim.max_pool2d",
    "slim.avg_pool2d", "slim.separable_conv2d", "slim.conv2d_transpose",
    "slim.dropout", "slim.flatten", "slim.repeat", "slim.stack", "layers.conv2d",
    "tf.layers.conv2d", "tf.layers.dense", "tf.nn.relu", "Conv2D", "BatchNorm",
    "MaxPooling", "FullyConnected", "my_layer", "ops.conv2d", "self.conv",
    "tf.contrib.layers.conv2d", "slim.layers.conv2d", "conv2d", "x",
)

KWARG_NAMES = (
    "padding", "stride", "activation_fn", "weights_initializer", "normalizer_fn",
    "normalizer_params", "data_format", "is_training", "scope", "reuse",
    "kernel_size", "num_outputs", "weights_regularizer", "trainable", "rate",
    "biases_initializer", "activation", "use_bias", "decay", "epsilon",
    "inputs", "outputs_collections", "bogus", "__class__", "kw", "sc",
    "list_ops_or_scope", "keep_prob",
)

ATOMS = (
    "'SAME'", "'VALID'", "1", "2", "0", "None", "True", "False", "0.0005",
    "tf.nn.relu", "slim.batch_norm", "tf.zeros_initializer()",
    "tf.truncated_normal_initializer(stddev=0.01)", "slim.l2_regularizer(wd)",
    "[3, 3]", "(2, 2)", "{'decay': 0.997, 'epsilon': 1e-5}", "is_training",
    "wd", "x", "-1", "1e300", "b'\\xff'", "f'{x}'", "...", "lambda: 0",
    "\"NCHW\"", "[]", "{}", "()", "net", "[*ops]", "{**kw}",
)

NAMES = ("sc", "arg_sc", "scope", "ops", "kw", "x", "net", "slim", "tf", "args")

IMPORTS = (
    "import tensorflow as tf",
    "import tf_slim as slim",
    "slim = tf.contrib.slim",
    "from tensorflow.contrib import slim",
    "import tensorflow.contrib.slim as slim",
    "from tensorflow.contrib.framework import arg_scope, add_arg_scope",
    "from tensorflow.contrib.framework.python.ops import arg_scope as scopes",
    "from tf_slim import arg_scope as A",
    "from tf_slim.layers import layers",
    "from tensorpack import *",
    "import tensorpack as tp",
    "from tensorpack.tfutils.argscope import argscope, enable_argscope_for_module",
    "from tensorpack.tfutils import argscope as argscope",
    "from tensorflow.contrib import framework as contrib_framework",
    "from . import ops",
    "from .. import slim",
    "import slim",
    "slim = None",
    "del slim",
    "tf = __import__('tensorflow')",
)

REAL_HEADER = ("import tensorflow as tf", "import tf_slim as slim", "")

REAL_OPS = ("slim.conv2d", "slim.conv2d", "slim.fully_connected", "slim.batch_norm",
            "slim.max_pool2d", "slim.separable_conv2d", "slim.dropout", "slim.conv2d_transpose",
            "slim.avg_pool2d", "slim.flatten")

REAL_KWARGS = ("padding", "stride", "activation_fn", "weights_initializer", "normalizer_fn",
               "normalizer_params", "is_training", "scope", "weights_regularizer",
               "data_format", "rate", "decay", "keep_prob", "biases_initializer",
               "kernel_size", "num_outputs", "trainable", "reuse", "depth_multiplier")

REAL_ATOMS = ("'SAME'", "'VALID'", "1", "2", "None", "True", "False", "tf.nn.relu",
              "slim.batch_norm", "tf.zeros_initializer()", "[3, 3]", "0.5",
              "tf.truncated_normal_initializer(stddev=0.01)", "slim.l2_regularizer(0.0005)",
              "{'decay': 0.997}", "is_training", "'NHWC'", "'conv1'")

STAR_TAILS = ("", "", "", "*args", "**kw", "**{'padding': 'SAME'}", "**dict(stride=2)",
              "*args, **kw", "*[slim.conv2d], **{}")

WITH_TARGETS = ("", "", " as sc", " as arg_sc", " as (a, b)", " as self.sc", " as sc[0]")

BLOCK_KINDS = ("with", "with", "with", "with", "factory", "decorated", "add_arg_scope",
               "tp_layer", "class", "lambda", "if", "try", "for", "def", "def", "async")

SIMPLE_STATEMENTS = (
    "pass", "return sc", "return", "yield net",
    "net = slim.repeat(net, 2, slim.conv2d, 64, [3, 3])",
    "enable_argscope_for_module(tf.layers)", "enable_argscope_for_module(tf.layers, log_shape=False)",
    "enable_argscope_for_function(my_layer)", "slim.add_arg_scope(my_layer)",
    "my_layer = slim.add_arg_scope(my_layer)", "x = slim.arg_scope", "del sc",
    "global slim", "sc = {}", "ops = [slim.conv2d]", "sc = slim.current_arg_scope()",
    "kw = dict(padding='SAME')", "raise ValueError(sc)", "print(sc)",
    "net = tf.layers.conv2d(net, 32, 3, use_bias=False)",
    "net = LinearWrap(net).Conv2D('c', 3).BatchNorm('bn')()",
    "with tf.variable_scope('s'):\n    pass",
    "sc = vgg_arg_scope()\nwith slim.arg_scope(sc):\n    net = slim.conv2d(net, 1, 1)",
    "return slim.arg_scope([slim.conv2d], padding='SAME')",
    "sc[slim.arg_scope_func_key(slim.conv2d)] = {}",
)


class SourceGenerator:
    """Random arg_scope-shaped module text from a ``random.Random``.

    Hypothesis draws only (seed, size): generating the text with plain
    ``random`` is ~100x cheaper than composing fine-grained strategies, which
    matters for both the CI budget and ``scripts/fuzz.py --examples 100000``.
    """

    def __init__(self, rng, size, realistic=False):
        self.rng = rng
        self.budget = size
        self.realistic = realistic
        if realistic:
            # Coherent imports, real slim ops and keywords: exercises the rules
            # themselves (findings), not just the resolver's bail-outs.
            self.ops = REAL_OPS
            self.kwarg_names = REAL_KWARGS
            self.scope_funcs = ("slim.arg_scope", "slim.arg_scope", "arg_scope")
            self.atoms = REAL_ATOMS
        else:
            self.ops = OPS
            self.kwarg_names = KWARG_NAMES
            self.scope_funcs = SCOPE_FUNCS
            self.atoms = ATOMS

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def chance(self, p):
        return self.rng.random() < p

    def expr(self, depth=2):
        r = self.rng.random()
        if depth <= 0 or r < 0.55:
            kind = self.rng.randrange(4)
            if kind == 0:
                return self.pick(self.atoms)
            if kind == 1:
                return self.pick(self.ops)
            if kind == 2:
                return self.pick(NAMES)
            return str(self.rng.choice([-1, 0, 1, 2, 3, 64, 2 ** 70]))
        sub = lambda: self.expr(depth - 1)  # noqa: E731
        kind = self.rng.randrange(6)
        if kind == 0:
            return "[" + ", ".join(sub() for _ in range(self.rng.randrange(4))) + "]"
        if kind == 1:
            args = ", ".join(sub() for _ in range(self.rng.randrange(4)))
            return f"{self.pick(self.ops + self.scope_funcs)}({args})"
        if kind == 2:
            return f"({sub()} if {sub()} else None)"
        if kind == 3:
            return f"{{{sub()}: {sub()}}}"
        if kind == 4:
            return f"{sub()} + {sub()}"
        return f"lambda *a, **k: {sub()}"

    def op_item(self):
        kind = self.rng.randrange(8)
        if kind <= 3:
            return self.pick(self.ops)
        if kind == 4:
            op = self.pick(self.ops)
            return f"getattr({op.rsplit('.', 1)[0]}, 'conv2d')" if "." in op else f"{op}()"
        if kind == 5:
            return "lambda x, **k: x"
        if kind == 6:
            return "*ops"
        return self.pick(NAMES)

    def first_arg(self):
        if self.realistic and self.chance(0.8):
            return "[" + ", ".join(self.rng.sample(REAL_OPS, self.rng.randint(1, 3))) + "]"
        kind = self.rng.randrange(22)
        items = lambda lo=0: [self.op_item() for _ in range(self.rng.randint(lo, 4))]  # noqa: E731
        if kind <= 5:
            return "[" + ", ".join(items()) + "]"
        if kind <= 7:
            xs = items()
            return "(" + ", ".join(xs) + ("," if len(xs) == 1 else "") + ")"
        if kind == 8:
            return "{" + ", ".join(self.pick(self.ops) for _ in range(self.rng.randint(1, 3))) + "}"
        if kind == 9:
            return "{" + ", ".join(f"{self.pick(self.ops)}: {self.expr(1)}"
                                   for _ in range(self.rng.randrange(3))) + "}"
        if kind == 10:
            return self.pick(self.ops)
        if kind == 11:
            return self.pick(NAMES)
        return self.pick((
            "lambda: sc", "vgg_arg_scope()", "factory(weight_decay=0.1)", "[op for op in ops]",
            "ops + [slim.conv2d]", "*args", "[[slim.conv2d], slim.fully_connected]", "[]",
            "{}", "None", "'slim.conv2d'", self.expr(2),
        ))

    def call_args(self, first=None):
        args = []
        if first is not None:
            args.append(first)
        if self.chance(0.1):
            args.append(self.expr(1))  # stray extra positional
        names = self.rng.sample(self.kwarg_names, self.rng.randrange(5))
        kws = [f"{k}={self.expr(1)}" for k in names]
        if kws and self.chance(0.05):
            kws.append(kws[0])  # repeated keyword: a SyntaxError -> E999
        args.extend(kws)
        tail = self.pick(STAR_TAILS) if not self.realistic or self.chance(0.1) else ""
        if tail:
            args.append(tail)
        return ", ".join(args)

    def scope_call(self):
        first = self.first_arg() if self.chance(0.9) else None
        if self.chance(0.03):
            first = "list_ops_or_scope=[slim.conv2d]"
            return f"{self.pick(self.scope_funcs)}({first})"
        return f"{self.pick(self.scope_funcs)}({self.call_args(first)})"

    def layer_call(self):
        pos = [self.pick(("net", "inputs", "x")) if i == 0 else self.expr(1)
               for i in range(self.rng.randrange(5))]
        names = self.rng.sample(self.kwarg_names, self.rng.randrange(4))
        parts = pos + [f"{k}={self.expr(1)}" for k in names]
        tail = self.pick(("", "", "*args", "**kw", "*args, **kw")) if (
            not self.realistic or self.chance(0.1)) else ""
        if tail:
            parts.append(tail)
        target = self.pick(("net = ", "net = ", "", "net, end_points = ", "return "))
        return f"{target}{self.pick(self.ops)}({', '.join(parts)})"

    def simple(self):
        if self.realistic and self.chance(0.5):
            call = self.layer_call()
            return [call] * self.rng.choice((1, 2, 3, 3, 4))
        kind = self.rng.randrange(10)
        if kind <= 4:
            return self.layer_call().split("\n")
        if kind == 5:
            return [self.scope_call()]
        if kind == 6:
            return [f"sc = {self.scope_call()}"]
        return self.pick(SIMPLE_STATEMENTS).split("\n")

    def body(self, depth):
        out = []
        for _ in range(self.rng.randint(1, 5 if self.realistic else 3)):
            self.budget -= 1
            if depth < 6 and self.budget > 0 and self.chance(0.45):
                out.extend(self.block(depth + 1))
            else:
                out.extend(self.simple())
        return out

    def block(self, depth):
        kind = self.pick(BLOCK_KINDS)
        body = self.body(depth)
        ind = _block(body)
        if kind == "with":
            heads = [self.scope_call() + self.pick(WITH_TARGETS)
                     for _ in range(self.rng.choice((1, 1, 1, 2, 3)))]
            if self.chance(0.15):
                return ["with (" + ", ".join(heads) + "):"] + ind
            if len(heads) > 1 and self.chance(0.3):
                return ["with " + ", \\\n        ".join(heads) + ":"] + ind
            return ["with " + ", ".join(heads) + ":"] + ind
        if kind == "factory":
            return ["def factory(weight_decay=0.00004, *args, is_training=True, **kwargs):"] + ind
        if kind == "decorated":
            return ["@slim.add_arg_scope",
                    "def my_layer(inputs, num_outputs=1, stride=1, *a, scope=None, **kw):"] + ind
        if kind == "add_arg_scope":
            return ["@add_arg_scope", "@functools.wraps(f)",
                    "def conv(inputs, /, padding='SAME', stride=(1, 1)):"] + ind
        if kind == "tp_layer":
            return ["@layer_register(log_shape=True)",
                    "@convert_to_tflayer_args(args_names=['filters'], name_mapping={})",
                    "def Conv2D(inputs, filters, kernel_size, strides=(1, 1), **kw):"] + ind
        if kind == "async":
            heads = self.scope_call()
            return ["async def amodel(net):", f"    async with {heads}:"] + _indent(ind)
        if kind == "class":
            return ["class Model(object):", "    @slim.add_arg_scope",
                    "    def conv(self, x, stride=1):"] + _indent(ind)
        if kind == "lambda":
            return [f"model = lambda net: {self.scope_call()}"] + body
        if kind == "if":
            return ["if is_training:"] + ind + ["else:", "    pass"]
        if kind == "try":
            return ["try:"] + ind + ["except (ValueError, TypeError) as e:", "    raise",
                                     "finally:", "    pass"]
        if kind == "for":
            return ["for i, op in enumerate(ops):"] + ind
        return ["def model(net, is_training=True, sc=None):"] + ind

    def module(self):
        if self.realistic:
            lines = list(REAL_HEADER)
            # Repeated calls (ASC101) and keyword/positional overlaps with the
            # enclosing scope (ASC201/ASC401): see simple() and body().
        else:
            lines = [self.pick(IMPORTS) for _ in range(self.rng.randrange(5))]
        while True:
            lines.extend(self.block(0) if self.chance(0.8) else self.simple())
            if self.budget <= 0 or self.chance(0.3):
                break
        # Top-level 'return'/'yield' is rejected by the compiler, not by
        # ast.parse -- and ast.parse is what flake8 hands to plugins.
        return "\n".join(lines) + "\n"


def _indent(lines):
    return ["    " + ln if ln else ln for ln in lines]


def _block(body_lines):
    return _indent(body_lines or ["pass"])


def generate_module(seed: int, size: int, realistic: bool = False) -> str:
    return SourceGenerator(random.Random(seed), size, realistic).module()


def arg_scope_modules(max_size: int = 12):
    """Strategy: arg_scope-shaped module source (about 95% of them parse).

    Half of them are "realistic" (coherent imports, real slim ops/keywords),
    half are chaotic (aliases, rebinding, unknown ops, odd first arguments)."""
    return st.builds(generate_module, st.integers(0, 2 ** 64 - 1), st.integers(1, max_size),
                     st.booleans())


# --------------------------------------------------------------------------
# Mutations
# --------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\w+|\s+|'[^'\n]*'|\"[^\"\n]*\"|.", re.S)
BRACKETS = "()[]{}"
SWAP_WORDS = ("arg_scope", "argscope", "slim", "tf", "conv2d", "with", "as", "sc", "def",
              "return", "lambda", "add_arg_scope", "stride", "padding", "None", "*", "**",
              "async", "await", "yield", "global", "enable_argscope_for_module")


def _mutate_once(draw, source):
    op = draw(st.sampled_from([
        "del_token", "dup_token", "swap_tokens", "del_line", "dup_line", "swap_lines",
        "move_line", "indent_line", "dedent_line", "del_bracket", "ins_bracket",
        "swap_bracket", "replace_word", "insert_word", "del_char", "truncate",
    ]))
    if op in ("del_token", "dup_token", "swap_tokens", "replace_word", "insert_word"):
        toks = _TOKEN_RE.findall(source)
        if not toks:
            return source + draw(st.sampled_from(SWAP_WORDS))
        i = draw(st.integers(0, len(toks) - 1))
        if op == "del_token":
            del toks[i]
        elif op == "dup_token":
            toks.insert(i, toks[i])
        elif op == "swap_tokens":
            j = draw(st.integers(0, len(toks) - 1))
            toks[i], toks[j] = toks[j], toks[i]
        elif op == "replace_word":
            if re.fullmatch(r"\w+", toks[i]):
                toks[i] = draw(st.sampled_from(SWAP_WORDS))
        else:
            toks.insert(i, draw(st.sampled_from(SWAP_WORDS)) + " ")
        return "".join(toks)
    if op in ("del_line", "dup_line", "swap_lines", "move_line", "indent_line", "dedent_line"):
        lines = source.splitlines(keepends=True)
        if not lines:
            return source
        i = draw(st.integers(0, len(lines) - 1))
        if op == "del_line":
            del lines[i]
        elif op == "dup_line":
            lines.insert(i, lines[i])
        elif op == "swap_lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "move_line":
            line = lines.pop(i)
            lines.insert(draw(st.integers(0, len(lines))), line)
        elif op == "indent_line":
            lines[i] = "    " + lines[i]
        else:
            lines[i] = lines[i][4:] if lines[i].startswith("    ") else lines[i].lstrip()
        return "".join(lines)
    if op in ("del_bracket", "swap_bracket"):
        positions = [k for k, c in enumerate(source) if c in BRACKETS]
        if not positions:
            return source
        k = draw(st.sampled_from(positions))
        if op == "del_bracket":
            return source[:k] + source[k + 1:]
        return source[:k] + draw(st.sampled_from(BRACKETS)) + source[k + 1:]
    if op == "ins_bracket":
        k = draw(st.integers(0, len(source)))
        return source[:k] + draw(st.sampled_from(BRACKETS + ",:=*")) + source[k:]
    if op == "del_char":
        if not source:
            return source
        k = draw(st.integers(0, len(source) - 1))
        return source[:k] + source[k + 1:]
    # truncate
    k = draw(st.integers(0, len(source)))
    return source[:k]


@st.composite
def mutants(draw, base, max_mutations=4, attempts=3):
    """Apply 1..max_mutations random mutations to a source drawn from ``base``.

    Most random mutations break the syntax, and only sources that parse reach
    the checker; so up to ``attempts`` mutation sequences are tried and the
    first that still parses is kept (else the last broken one)."""
    original = draw(base)
    source = original
    for _ in range(attempts):
        source = original
        for _ in range(draw(st.integers(1, max_mutations))):
            source = _mutate_once(draw, source)
        try:
            ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        break
    return source


def seeds_strategy():
    return st.sampled_from(seed_sources())


def fuzz_environment_examples(default: int) -> int:
    """Per-test example count; ``ARGSCOPE_FUZZ_EXAMPLES`` overrides (tox passes ARGSCOPE_*)."""
    try:
        return int(os.environ.get("ARGSCOPE_FUZZ_EXAMPLES", default))
    except ValueError:
        return default
