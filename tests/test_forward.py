"""forward.py's walkers of callee bodies: built like the file's walker, and a failure in
them costs only the findings they would have added."""

import ast

from flake8_argscope import forward
from flake8_argscope.api import build_config, findings
from flake8_argscope.walk import Walker

SOURCE = '''\
import tf_slim as slim


def block(net):
    return slim.conv2d(net, 8, [3, 3], 2)


def net_fn(images):
    with slim.arg_scope([slim.conv2d], stride=1):
        net = block(images)
        return slim.conv2d(net, 8, [3, 3], 1)
'''


def _codes(source=SOURCE):
    return [(line, msg[:6], " via " in msg)
            for line, _c, msg in findings(ast.parse(source), build_config(), "m.py", source)]


def test_a_callee_walker_has_what_a_file_walker_has():
    tree = ast.parse(SOURCE)
    walker = Walker(tree, build_config(), "m.py", SOURCE)
    walker.run()
    sym = walker.resolver.resolve_name("block", walker.resolver.module_frame)
    body = forward._body_walker(walker.forward, sym)
    missing = set(vars(Walker(tree, build_config(), "m.py", SOURCE))) - set(vars(body))
    assert missing <= {"forward"}  # set by the body walk itself


def test_a_failing_forward_analysis_keeps_the_lexical_findings(monkeypatch):
    assert _codes() == [(10, "ASC401", True), (11, "ASC401", False)]

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the forward analysis")

    monkeypatch.setattr(forward.Forward, "at_call", broken)
    assert _codes() == [(11, "ASC401", False)]


DISPATCH = SOURCE + '''

nets = {'a': block}


def get(name, images):
    func = nets[name]
    with slim.arg_scope([slim.conv2d], stride=1):
        slim.conv2d(images, 8, [3, 3], 2)
        return func(images)
'''


def test_a_failing_key_world_walk_keeps_the_files_findings(monkeypatch):
    """A bug in the walks of a dispatch's keys loses only what they would add."""
    from flake8_argscope import walk

    found = _codes(DISPATCH)
    assert (21, "ASC401", True) in found and (20, "ASC401", False) in found

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the key worlds")

    monkeypatch.setattr(walk, "_in_key_worlds", broken)
    assert _codes(DISPATCH) == [f for f in found if f != (21, "ASC401", True)]
