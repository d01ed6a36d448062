"""Either-of bindings: a module name bound differently in the branches of one ``try`` or
``if`` (``try: import tf_slim as slim`` / ``except ImportError: slim = tf.contrib.slim``).

Each branch is a consistent *world*: ``slim.arg_scope`` and ``slim.conv2d`` come from the same
one, so the file is analysed in each world and only the findings every world has are kept
(``walk.analyse``). A world maps the id of an ``if``/``try`` node to the branch taken; it
applies only to names bound in more than one branch of that node, so ``import tensorflow as
tf`` at the top of a ``try`` still binds ``tf`` in the ``except`` world.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from flake8_argscope import known
from flake8_argscope.symbols import Path

if TYPE_CHECKING:
    from flake8_argscope.frames import Binding, Frame
    from flake8_argscope.resolve import Resolver

    World = dict[int, int]

MAX_WORLDS = 4  # more combinations than this: the names stay unknown, as without worlds


def _spans(bindings: list[Binding], frame: Frame) -> dict[int, set[int]]:
    """if/try node id -> the branches of it that bind the name, where more than one does."""
    spans: dict[int, set[int]] = {}
    for b in bindings:
        for choice, branch in frame.arm_of(b):
            spans.setdefault(choice, set()).add(branch)
    return {choice: branches for choice, branches in spans.items() if len(branches) > 1}


def _library(sym: object) -> bool:
    return isinstance(sym, Path) and known.is_library_path(known.normalise(sym.path))


def in_world(bindings: list[Binding], frame: Frame, world: World) -> list[Binding]:
    """The bindings of one name that hold in ``world``."""
    spans = _spans(bindings, frame)
    if not spans:
        return bindings
    return [b for b in bindings
            if all(choice not in spans or world.get(choice, branch) == branch
                   for choice, branch in frame.arm_of(b))]


def worlds_of(resolver: Resolver) -> list[World]:
    """The worlds a module's either-of names need (empty: none, or too many)."""
    frame = resolver.module_frame
    if not frame.arms:
        return []
    choices: dict[int, set[int]] = {}
    for name, bindings in frame.bindings.items():
        if len(bindings) < 2:
            continue
        spans = _spans(bindings, frame)
        if not spans or resolver.resolve_name(name, frame) is not None:
            continue  # one branch, or every branch binds the same thing
        if not any(_library(resolver.binding_symbol(b, frame)) for b in bindings):
            continue  # `mock`, HAS_SKLEARN...: no world would say more about arg_scope
        for choice, branches in spans.items():
            choices.setdefault(choice, set()).update(branches)
    if not choices:
        return []
    keys = sorted(choices)
    combos = list(itertools.islice(
        itertools.product(*(sorted(choices[k]) for k in keys)), MAX_WORLDS + 1))
    if len(combos) > MAX_WORLDS:
        return []
    return [dict(zip(keys, combo)) for combo in combos]
