"""Generators of hostile input files (bytes), written at test time.

``HOSTILE`` maps a file name to a :class:`Hostile` describing how to build the
bytes and what is expected of CPython's parser.  Nothing here is big until it
is generated.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

MODEL_BLOCK = '''\
def inception_block_{i}(net, is_training=True, scope='block_{i}'):
    """A real-looking slim model fragment (copy {i})."""
    with tf.variable_scope(scope, 'Block', [net]):
        with slim.arg_scope([slim.conv2d, slim.fully_connected],
                            activation_fn=tf.nn.relu,
                            weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                            weights_regularizer=slim.l2_regularizer(0.0005)):
            with slim.arg_scope([slim.conv2d, slim.max_pool2d], stride=1, padding='SAME'):
                with slim.arg_scope([slim.batch_norm], is_training=is_training):
                    branch_0 = slim.conv2d(net, 64, [1, 1], scope='Conv2d_0a_1x1')
                    branch_1 = slim.conv2d(net, 48, [1, 1], scope='Conv2d_0a_1x1')
                    branch_1 = slim.conv2d(branch_1, 64, [5, 5], 2, scope='Conv2d_0b_5x5')
                    branch_2 = slim.conv2d(net, 64, [1, 1], padding='SAME', scope='Conv2d_0a')
                    branch_2 = slim.conv2d(branch_2, 96, [3, 3], padding='SAME', scope='b')
                    branch_3 = slim.avg_pool2d(net, [3, 3], scope='AvgPool_0a_3x3')
                    branch_3 = slim.conv2d(branch_3, 32, [1, 1], scope='Conv2d_0b_1x1')
                    net = tf.concat(axis=3, values=[branch_0, branch_1, branch_2, branch_3])
        net = slim.conv2d(net, 128, [3, 3], padding='VALID', weights_regularizer=reg,
                          weights_initializer=tf.truncated_normal_initializer(stddev=0.01))
        net = slim.conv2d(net, 128, [3, 3], padding='VALID', weights_regularizer=reg,
                          weights_initializer=tf.truncated_normal_initializer(stddev=0.01))
        net = slim.conv2d(net, 128, [3, 3], padding='VALID', weights_regularizer=reg,
                          weights_initializer=tf.truncated_normal_initializer(stddev=0.01))
    return net


def block_arg_scope_{i}(weight_decay=0.00004):
    with slim.arg_scope([slim.conv2d], weights_regularizer=slim.l2_regularizer(weight_decay)):
        with slim.arg_scope([slim.conv2d], padding='SAME') as sc:
            return sc


'''

HEADER = '''\
"""Generated hostile input for flake8-argscope."""
import tensorflow as tf
import tf_slim as slim

reg = slim.l2_regularizer(0.0005)


'''

SMALL_MODEL = '''\
import tensorflow as tf
import tf_slim as slim


def model(inputs):
    with slim.arg_scope([slim.conv2d], stride=2, padding='SAME'):
        net = slim.conv2d(inputs, 64, [3, 3], 2, scope='c1')
        net = slim.conv2d(net, 64, [3, 3], padding='SAME', scope='c2')
    net = slim.conv2d(net, 128, [3, 3], weights_regularizer=slim.l2_regularizer(0.1))
    net = slim.conv2d(net, 128, [3, 3], weights_regularizer=slim.l2_regularizer(0.1))
    net = slim.conv2d(net, 128, [3, 3], weights_regularizer=slim.l2_regularizer(0.1))
    return net
'''


def big_model(target_lines: int = 20_000) -> bytes:
    parts = [HEADER]
    n = HEADER.count("\n")
    i = 0
    while n < target_lines:
        block = MODEL_BLOCK.format(i=i)
        parts.append(block)
        n += block.count("\n")
        i += 1
    text = "".join(parts)
    lines = text.splitlines(keepends=True)[:target_lines]
    # Keep it valid: cut at a block boundary if the cut fell mid-block.
    while lines and lines[-1].startswith((" ", "\t")):
        lines.pop()
    lines += ["\n"] * (target_lines - len(lines))
    return "".join(lines).encode()


def deep_indented_with(depth: int) -> bytes:
    lines = ["import tf_slim as slim\n", "\n", "\n", "def model(net):\n"]
    for i in range(depth):
        ind = "    " * (i + 1)
        lines.append(f"{ind}with slim.arg_scope([slim.conv2d], stride={i % 3 + 1}, "
                     f"scope='s{i}'):\n")
    ind = "    " * (depth + 1)
    lines.append(f"{ind}net = slim.conv2d(net, 64, [3, 3], 2, stride=1, scope='s')\n")
    lines.append("    return net\n")
    return "".join(lines).encode()


def wide_with(items: int) -> bytes:
    heads = [f"slim.arg_scope([slim.conv2d], stride={i % 4}, padding='SAME')"
             for i in range(items)]
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            "    with " + ", \\\n            ".join(heads) + ":\n"
            "        net = slim.conv2d(net, 64, [3, 3], 2, padding='SAME')\n"
            "    with (" + ",\n          ".join(h + f" as sc{i}" for i, h in enumerate(heads)) + "):\n"
            "        net = slim.conv2d(net, 64, [3, 3], 2, padding='SAME')\n"
            "    return net\n").encode()


def deep_parens(total_depth: int) -> bytes:
    """``total_depth`` nested brackets (CPython's tokenizer allows 200)."""
    inner = total_depth - 1  # the arg_scope( call itself is one level
    call = "f(" * inner + "1" + ")" * inner
    lst = "[" * inner + "slim.conv2d" + "]" * inner
    return ("import tf_slim as slim\n\n\ndef model(net, f):\n"
            f"    with slim.arg_scope({lst}, stride=2):\n"
            f"        with slim.arg_scope([slim.conv2d], stride={call}):\n"
            f"            net = slim.conv2d(net, {call}, [3, 3], 2, scope={call})\n"
            f"    sc = slim.arg_scope({lst})\n"
            "    return net\n").encode()


def deep_binop(terms: int) -> bytes:
    chain = "+".join(["1"] * terms)
    attr = "slim" + ".conv2d" * terms
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            f"    with slim.arg_scope([slim.conv2d], stride={chain}):\n"
            f"        net = slim.conv2d(net, 64, [3, 3], {chain}, padding={chain})\n"
            f"    with slim.arg_scope([{attr}]):\n"
            f"        net = {attr}(net, 1)\n"
            "    return net\n").encode()


def huge_string(size: int = 1_000_000) -> bytes:
    s = "x" * size
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            f"    with slim.arg_scope([slim.conv2d], scope='{s}', padding='SAME'):\n"
            f"        net = slim.conv2d(net, 64, [3, 3], scope='{s}', padding='SAME')\n"
            f"    doc = '''{s[: size // 10]}\n{s[: size // 10]}'''\n"
            "    return net\n").encode()


def huge_list(n: int = 100_000) -> bytes:
    ops = ("slim.conv2d", "slim.fully_connected", "slim.batch_norm", "slim.max_pool2d")
    items = [ops[i % 4] if i % 2 == 0 else f"layer_{i}" for i in range(n)]
    rows = [", ".join(items[k:k + 8]) for k in range(0, n, 8)]
    body = ",\n         ".join(rows)
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            f"    with slim.arg_scope([{body}], padding='SAME', stride=1):\n"
            "        net = slim.conv2d(net, 64, [3, 3], 1, padding='SAME')\n"
            "    return net\n").encode()


def huge_dict(n: int = 100_000) -> bytes:
    # Unique keys: pyflakes' duplicate-key check is quadratic in the duplicates.
    entries = ["slim.conv2d: {'stride': 2}"] + [f"'k{i}': {i % 3}" for i in range(1, n)]
    rows = [", ".join(entries[k:k + 6]) for k in range(0, n, 6)]
    body = ",\n         ".join(rows)
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            "    sc = {'x': 1}\n"
            f"    with slim.arg_scope({{{body}}}):\n"
            "        with slim.arg_scope(sc):\n"
            "            net = slim.conv2d(net, 64, [3, 3], 1, padding='SAME')\n"
            "    return net\n").encode()


def many_kwargs(n: int = 10_000) -> bytes:
    kws = ", ".join(f"kw_{i}={i}" for i in range(n))
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            f"    with slim.arg_scope([slim.conv2d], {kws}):\n"
            + f"        net = slim.conv2d(net, 64, [3, 3], 1, {kws})\n" * 3
            + "    return net\n").encode()


def many_calls(n: int = 10_000) -> bytes:
    call = ("        net = slim.conv2d(net, 64, [3, 3], 2, padding='SAME', "
            "weights_regularizer=slim.l2_regularizer(0.1))\n")
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            "    with slim.arg_scope([slim.conv2d], padding='SAME', stride=2):\n"
            + call * n + "    return net\n").encode()


def many_scopes(n: int = 5_000) -> bytes:
    block = ("    with slim.arg_scope([slim.conv2d, slim.fully_connected], stride={i}) as sc{i}:\n"
             "        net = slim.conv2d(net, 64, [3, 3], {i}, stride={i})\n")
    return ("import tf_slim as slim\n\n\ndef model(net):\n"
            + "".join(block.format(i=i) for i in range(n)) + "    return net\n").encode()


def python2() -> bytes:
    return b'''\
import tensorflow as tf
slim = tf.contrib.slim

print "building model"


def model(inputs):
    try:
        with slim.arg_scope([slim.conv2d], padding='SAME'):
            net = slim.conv2d(inputs, 64, [3, 3], 2, padding='SAME')
    except ValueError, e:
        print >>sys.stderr, "failed", e
        raise ValueError, "bad"
    exec "x = 1"
    y = `net`
    z = 0777L
    if net <> None:
        pass
    return ur"net"
'''


def crlf() -> bytes:
    return SMALL_MODEL.replace("\n", "\r\n").encode()


def cr_only() -> bytes:
    return SMALL_MODEL.replace("\n", "\r").encode()


def mixed_eol() -> bytes:
    out = []
    for i, line in enumerate(SMALL_MODEL.splitlines()):
        out.append(line + ("\r\n", "\n", "\r\n\r\n")[i % 3])
    return "".join(out).encode()


def form_feeds() -> bytes:
    text = SMALL_MODEL.replace("\n\n\ndef", "\n\f\n\fdef")
    text = text.replace("    with", "\f    with")
    text = text.replace("net = slim.conv2d(net, 128", "net = slim.conv2d(\fnet, 128")
    return ("\f# page\n" + text + "\f\n\f").encode()


def latin1_cookie() -> bytes:
    return ("# -*- coding: latin-1 -*-\n" + SMALL_MODEL.replace(
        "scope='c1'", "scope='caf\u00e9_\u00e0_\u00ff'") + "# r\u00e9sum\u00e9 \u00bf\n"
    ).encode("latin-1")


def non_utf8() -> bytes:
    return (SMALL_MODEL.replace("scope='c1'", "scope='caf\u00e9'") +
            "# \u00ff\u00fe comment\n").encode("latin-1")


def invalid_utf8_in_comment() -> bytes:
    return SMALL_MODEL.encode() + b"# broken \xff\xfe\xc3\x28 bytes\n" + b"x = '\xe2\x82'\n"


def bogus_cookie() -> bytes:
    return b"# -*- coding: bogus-encoding-42 -*-\n" + SMALL_MODEL.encode()


def cookie_mismatch() -> bytes:
    return b"# coding: utf-8\n" + SMALL_MODEL.encode() + b"s = '\xe9\xe8'\n"


def bom_and_latin1_cookie() -> bytes:
    return b"\xef\xbb\xbf# -*- coding: latin-1 -*-\n" + SMALL_MODEL.encode()


def utf8_bom() -> bytes:
    return b"\xef\xbb\xbf" + SMALL_MODEL.encode()


def utf16() -> bytes:
    return SMALL_MODEL.encode("utf-16")


def nul_bytes() -> bytes:
    data = SMALL_MODEL.encode()
    mid = data.index(b"with slim")
    return data[:mid] + b"\x00" + data[mid:] + b"\x00\x00\n"


def nul_in_string_and_comment() -> bytes:
    return SMALL_MODEL.encode() + b"s = 'a\x00b'  # \x00\n"


def unicode_identifiers() -> bytes:
    return '''\
import tf_slim as \u0441\u043b\u0438\u043c
import tf_slim as slim
\uff53\uff4c\uff49\uff4d = slim  # full-width letters (NFKC-normalised to 'slim')
caf\u00e9 = slim.conv2d
cafe\u0301 = slim.conv2d


def mod\u00e8le(\u5165\u529b):
    with \u0441\u043b\u0438\u043c.arg_scope([\u0441\u043b\u0438\u043c.conv2d], padding='SAME'):
        with \uff53\uff4c\uff49\uff4d.arg_scope([caf\u00e9], stride=2, scope='\u202e\u05d0\U0001f600'):
            net = caf\u00e9(\u5165\u529b, 64, [3, 3], 2, padding='SAME')
            net = \u0441\u043b\u0438\u043c.conv2d(net, 64, [3, 3], padding='SAME')
    return net
'''.encode()


def tabs_mixed() -> bytes:
    return (b"import tf_slim as slim\n\n\ndef model(net):\n"
            b"    with slim.arg_scope([slim.conv2d], padding='SAME'):\n"
            b"\tnet = slim.conv2d(net, 1, 1)\n"
            b"        net = slim.conv2d(net, 1, 1)\n")


def no_trailing_newline() -> bytes:
    return SMALL_MODEL.rstrip("\n").encode() + b"  # no newline at EOF"


def trailing_backslash() -> bytes:
    return SMALL_MODEL.encode() + b"x = 1 + \\\n"


def unterminated() -> bytes:
    return SMALL_MODEL.encode() + b"with slim.arg_scope([slim.conv2d], padding='SAME'\n"


def only_comments() -> bytes:
    return (b"# with slim.arg_scope([slim.conv2d], padding='SAME'):\n"
            b"#     net = slim.conv2d(net, 64, [3, 3], padding='SAME')\n"
            b"#\n# tensorpack argscope enable_argscope_for_module(tf.layers)\n" * 50)


def only_strings() -> bytes:
    return (b'"""with slim.arg_scope([slim.conv2d], padding=\'SAME\'):"""\n'
            b"'''arg_scope'''\n" * 20)


def fstrings() -> bytes:
    return (b"import tf_slim as slim\n\n\ndef model(net, n):\n"
            b"    with slim.arg_scope([slim.conv2d], scope=f'{n!r:>{n}}_{slim.arg_scope}'):\n"
            b"        net = slim.conv2d(net, 64, [3, 3], scope=f'{ {1: 2}[1] }' f\"{'x'}\")\n"
            b"    return net\n")


@dataclass
class Hostile:
    name: str
    build: Callable[[], bytes]
    #: True / False: whether CPython can build an AST of it the way flake8
    #: reads it; None: not asserted.
    parses: bool | None = None
    #: pyflakes/pycodestyle may crash on it (flake8's problem, not ours).
    foreign_crash_ok: bool = False
    #: run the checker in-process too (if it parses)
    in_process: bool = True
    tags: tuple = field(default_factory=tuple)


def _scale() -> float:
    """``ARGSCOPE_HOSTILE_SCALE`` (default 1) multiplies the sizes of the extra
    stress files below; the sizes named in the issue (20,000 lines, 1 MB
    string, 100k-element list, 200-deep nesting) are fixed."""
    import os

    try:
        return max(0.01, float(os.environ.get("ARGSCOPE_HOSTILE_SCALE", "1")))
    except ValueError:
        return 1.0


def _n(base: int) -> int:
    return max(1, int(base * _scale()))


HOSTILE = {h.name: h for h in (
    Hostile("big_model_20k_lines.py", big_model, parses=True),
    Hostile("deep_with_200_indented.py", lambda: deep_indented_with(200), parses=False),
    # 98 withs inside a def: 99 indentation levels, the most CPython's tokenizer accepts.
    Hostile("deep_with_98_indented.py", lambda: deep_indented_with(98), parses=True),
    Hostile("wide_with_200_items.py", lambda: wide_with(200), parses=True),
    Hostile("deep_parens_200.py", lambda: deep_parens(200), parses=True),
    Hostile("deep_parens_201.py", lambda: deep_parens(201), parses=False),
    Hostile("deep_binop_250.py", lambda: deep_binop(250), parses=True),
    Hostile("deep_binop_2000.py", lambda: deep_binop(2000), foreign_crash_ok=True),
    Hostile("huge_string_1mb.py", huge_string, parses=True),
    Hostile("huge_list_100k.py", huge_list, parses=True),
    # Extra stress shapes, sized for CI (see _scale):
    Hostile("huge_dict_first_arg.py", lambda: huge_dict(_n(20_000)), parses=True),
    Hostile("many_kwargs.py", lambda: many_kwargs(_n(2_000)), parses=True),
    Hostile("many_calls_one_scope.py", lambda: many_calls(_n(2_000)), parses=True),
    Hostile("many_scopes.py", lambda: many_scopes(_n(1_000)), parses=True),
    Hostile("python2_syntax.py", python2, parses=False),
    Hostile("crlf.py", crlf, parses=True),
    Hostile("cr_only.py", cr_only),
    Hostile("mixed_eol.py", mixed_eol, parses=True),
    Hostile("form_feeds.py", form_feeds, parses=True),
    Hostile("latin1_cookie.py", latin1_cookie, parses=True),
    Hostile("non_utf8_no_cookie.py", non_utf8),
    Hostile("invalid_utf8_in_comment.py", invalid_utf8_in_comment),
    Hostile("bogus_coding_cookie.py", bogus_cookie),
    Hostile("cookie_mismatch.py", cookie_mismatch),
    Hostile("bom_and_latin1_cookie.py", bom_and_latin1_cookie),
    Hostile("utf8_bom.py", utf8_bom, parses=True),
    Hostile("utf16.py", utf16),
    Hostile("nul_bytes.py", nul_bytes, parses=False),
    Hostile("nul_in_string_and_comment.py", nul_in_string_and_comment, parses=False),
    Hostile("unicode_identifiers.py", unicode_identifiers, parses=True),
    Hostile("tabs_mixed.py", tabs_mixed, parses=False),
    Hostile("no_trailing_newline.py", no_trailing_newline, parses=True),
    Hostile("trailing_backslash.py", trailing_backslash, parses=False),
    Hostile("unterminated_call.py", unterminated, parses=False),
    Hostile("empty.py", lambda: b"", parses=True),
    Hostile("only_newlines.py", lambda: b"\n\n  \n\t\n\n", parses=True),
    Hostile("only_comments.py", only_comments, parses=True),
    Hostile("only_strings.py", only_strings, parses=True),
    Hostile("fstrings.py", fstrings, parses=True),
)}
