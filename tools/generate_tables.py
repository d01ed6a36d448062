"""Generate ``flake8_argscope/known/_tables.py`` from the published wheels.

Usage, from the repository root::

    python tools/generate_tables.py [--cache DIR] [--output FILE] [--refresh] [-v]

What it does:

1. ``pip download --no-deps`` the wheels of tf-slim 1.1.0, tensorpack 0.11 and
   tensorflow-cpu 1.15.0 (for ``tensorflow_core/contrib``) into a cache dir
   (default ``.cache/wheels``); wheels already in the cache are reused.
2. Reads the ``.py`` sources straight out of the zip files and parses them with
   :mod:`ast`.  Nothing is ever imported or executed.
3. Finds every ``@add_arg_scope`` function, module-level aliases and
   ``functools.partial`` aliases of them, tensorpack ``@layer_register`` layers
   (with their ``convert_to_tflayer_args`` extras) and the ``*_arg_scope``
   factories of the nets modules.
4. Computes the user-facing import paths by *symbolically executing* the
   module-level statements of the packages (imports, star imports with and
   without ``__all__``, ``make_all`` / ``remove_undocumented`` with the ``@@``
   doc lists, ``del``, plain re-binding, submodule attributes that are set on
   the parent package after the first import, ...).  A couple of dynamic
   constructs are modelled by hand; each is marked ``HAND-MODELLED`` below.
5. Writes the tables as pure literals, deterministically.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import io
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CACHE = REPO / ".cache" / "wheels"
DEFAULT_OUTPUT = REPO / "flake8_argscope" / "known" / "_tables.py"

# (registry, pip requirement, wheel file-name prefix, extra pip args,
#  zip member prefix, module prefix replacement)
WHEELS = (
    ("tf_slim", "tf-slim==1.1.0", "tf_slim-1.1.0-", (), "tf_slim/", None),
    ("tensorpack", "tensorpack==0.11", "tensorpack-0.11-", (), "tensorpack/", None),
    (
        "tf_contrib",
        "tensorflow-cpu==1.15.0",
        "tensorflow_cpu-1.15.0-",
        (
            "--only-binary=:all:",
            "--python-version", "3.7",
            "--implementation", "cp",
            "--abi", "cp37m",
            "--platform", "manylinux2010_x86_64",
        ),
        "tensorflow_core/contrib/",
        # tensorflow 1.15 is a thin shim that forwards to tensorflow_core;
        # users write ``tensorflow.contrib...``.
        ("tensorflow_core", "tensorflow"),
    ),
)

ARG_SCOPE_API = {
    # canonical module -> (registry, names).  These are the public names of
    # the arg_scope modules (the functions the checker needs to recognise).
    "tf_slim.ops.arg_scope": ("tf_slim", (
        "arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope",
        "arg_scoped_arguments", "arg_scope_func_key")),
    "tensorflow.contrib.framework.python.ops.arg_scope": ("tf_contrib", (
        "arg_scope", "add_arg_scope", "current_arg_scope", "has_arg_scope",
        "arg_scoped_arguments", "arg_scope_func_key")),
    "tensorpack.tfutils.argscope": ("tensorpack", (
        "argscope", "get_arg_scope", "enable_argscope_for_function",
        "enable_argscope_for_module")),
    "tensorpack.models.registry": ("tensorpack", ("layer_register",)),
}

# Keyword names that tensorpack's ``map_common_tfargs`` (models/tflayer.py)
# renames for every ``convert_to_tflayer_args`` layer.  HAND-MODELLED: the
# function body does it with pops/lambdas, too irregular to pattern-match;
# ``_check_common_tfargs`` asserts the source still mentions every name.
# A legacy name is only listed for a layer that has the target parameter.
TP_COMMON_TFARGS = {"nl": "activation", "W_init": "kernel_initializer",
                    "b_init": "bias_initializer"}

_DOC_REF = re.compile(r"^@@(\w+)$", re.MULTILINE)


# --------------------------------------------------------------------------
# 1. wheels
# --------------------------------------------------------------------------

def fetch_wheels(cache: Path, refresh: bool = False) -> dict:
    cache.mkdir(parents=True, exist_ok=True)
    found = {}
    for registry, req, prefix, extra, _, _ in WHEELS:
        have = sorted(p for p in cache.glob(prefix + "*.whl"))
        if refresh or not have:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps",
                   "--disable-pip-version-check", "-q", "-d", str(cache),
                   *extra, req]
            print("+", " ".join(cmd), file=sys.stderr)
            subprocess.run(cmd, check=True)
            have = sorted(p for p in cache.glob(prefix + "*.whl"))
        if not have:
            raise SystemExit("no wheel %s*.whl in %s after pip download" % (prefix, cache))
        found[registry] = have[-1]
    return found


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Source:
    __slots__ = ("name", "path", "text", "_tree", "_lines", "is_pkg", "registry", "is_test")

    def __init__(self, name, path, text, is_pkg, registry):
        self.name = name
        self.path = path
        self.text = text
        self.is_pkg = is_pkg
        self.registry = registry
        base = path.rsplit("/", 1)[-1]
        self.is_test = (base.endswith("_test.py") or base.startswith("test_")
                        or "/tests/" in path)
        self._tree = False
        self._lines = None

    def segment(self, node) -> str:
        """ast.get_source_segment(), without re-splitting the file each call."""
        if self._lines is None:
            self._lines = [ln.encode("utf-8") for ln in self.text.splitlines(True)]
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return self._lines[first][node.col_offset:node.end_col_offset].decode("utf-8")
        parts = [self._lines[first][node.col_offset:]]
        parts += self._lines[first + 1:last]
        parts.append(self._lines[last][:node.end_col_offset])
        return b"".join(parts).decode("utf-8")

    @property
    def tree(self):
        """Parsed lazily: most of the ~1100 contrib files are never needed."""
        if self._tree is False:
            try:
                self._tree = ast.parse(self.text, filename=self.path)
            except SyntaxError as exc:  # pragma: no cover - none in these wheels
                print("warning: cannot parse %s: %s" % (self.path, exc), file=sys.stderr)
                self._tree = None
        return self._tree


def read_sources(wheels: dict) -> dict:
    sources = {}
    for registry, _, _, _, member_prefix, rename in WHEELS:
        with zipfile.ZipFile(wheels[registry]) as zf:
            for member in sorted(zf.namelist()):
                if not (member.startswith(member_prefix) and member.endswith(".py")):
                    continue
                parts = member[:-3].split("/")
                is_pkg = parts[-1] == "__init__"
                if is_pkg:
                    parts = parts[:-1]
                if rename and parts[0] == rename[0]:
                    parts[0] = rename[1]
                name = ".".join(parts)
                text = zf.read(member).decode("utf-8")
                sources[name] = Source(name, member, text, is_pkg, registry)
    return sources


# --------------------------------------------------------------------------
# 2. symbolic execution of module bodies (import semantics only)
# --------------------------------------------------------------------------
# Values are tuples:
#   ("mod", name)            a module we have the source of
#   ("ext", dotted)          something from a module we do not have
#   ("def", "mod.func")      a module-level function (canonical path)
#   ("partial", "mod.name")  a functools.partial object bound at module level
#   ("alias", "mod.name", "mod.func")  NAME = func in func's own module
#   ("opaque", "mod.name")   anything else (classes, constants, ...)

class Module:
    def __init__(self, src: Source):
        self.src = src
        self.name = src.name
        self.ns = {}
        self.all = None          # list of names, once __all__ is known
        self.literals = {}       # module-level NAME = <literal>
        self.reexport_only = _is_reexport_only(src.tree)
        self.doc = ast.get_docstring(src.tree, clean=False) if src.tree else None


def _is_reexport_only(tree) -> bool:
    """A plain module whose body only re-exports (e.g. contrib/slim/nets.py)."""
    if tree is None:
        return False
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Delete)):
            continue
        if isinstance(node, ast.Expr):
            continue  # docstring, remove_undocumented(...)
        if isinstance(node, ast.Assign) and all(
                isinstance(t, ast.Name) and t.id in ("__all__", "_allowed_symbols")
                for t in node.targets):
            continue
        return False
    return True


def _literal(node):
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in ("frozenset", "set", "list", "tuple")
            and len(node.args) == 1 and not node.keywords):
        inner = _literal(node.args[0])
        if inner is not None:
            return list(inner)
    return None


class Simulator:
    def __init__(self, sources: dict):
        self.sources = sources
        self.modules = {}
        self.loading = set()
        self.partials = {}   # "mod.name" -> (of_value, {kw: src}, module)
        self.notes = []

    # -- module loading ----------------------------------------------------
    def import_module(self, name: str):
        """Import ``name`` (and its parents); return the value bound."""
        if name in self.modules:
            return ("mod", name)
        src = self.sources.get(name)
        if src is None or src.tree is None:
            return ("ext", name)
        parent = name.rpartition(".")[0]
        if parent:
            self.import_module(parent)
            if name in self.modules:  # parent's __init__ imported us
                return ("mod", name)
        mod = Module(src)
        self.modules[name] = mod
        self.loading.add(name)
        self.exec_body(mod, src.tree.body)
        self.loading.discard(name)
        # importlib sets the attribute on the parent after the first load only
        if parent in self.modules:
            self.modules[parent].ns[name.rpartition(".")[2]] = ("mod", name)
        return ("mod", name)

    def resolve_relative(self, mod: Module, level: int, target: str | None) -> str:
        if not level:
            return _norm(target)
        pkg = mod.name if mod.src.is_pkg else mod.name.rpartition(".")[0]
        for _ in range(level - 1):
            pkg = pkg.rpartition(".")[0]
        return pkg + ("." + target if target else "")

    # -- evaluation ------------------------------------------------------------
    def getattr_(self, value, attr):
        kind, ref = value[0], value[1]
        if kind == "mod":
            m = self.modules[ref]
            if attr in m.ns:
                return m.ns[attr]
            return ("opaque", ref + "." + attr)
        if kind == "ext":
            dotted = ref + "." + attr
            norm = _norm(dotted)
            if norm in self.sources:
                # e.g. tf.contrib.slim reached through the (unavailable)
                # tensorflow package: it is importable.
                return self.import_module(norm)
            return ("ext", dotted)
        return ("opaque", ref + "." + attr)

    def eval(self, mod: Module, node):
        if isinstance(node, ast.Name):
            if node.id in mod.ns:
                return mod.ns[node.id]
            return ("ext", "builtins." + node.id)
        if isinstance(node, ast.Attribute):
            base = self.eval(mod, node.value)
            return None if base is None else self.getattr_(base, node.attr)
        return None

    # -- statements ------------------------------------------------------------
    def bind(self, mod, name, value):
        mod.ns[name] = value

    def exec_body(self, mod: Module, body):
        for node in body:
            self.exec_stmt(mod, node)

    def exec_stmt(self, mod: Module, node):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _norm(alias.name)
                self.import_all_levels(target)
                if alias.asname:
                    val = (self.import_module(target) if target in self.sources
                           else ("ext", target))
                    self.bind(mod, alias.asname, val)
                else:
                    head = target.split(".")[0]
                    top = alias.name.split(".")[0]
                    val = self.import_module(head) if head in self.sources else ("ext", top)
                    self.bind(mod, top, val)
        elif isinstance(node, ast.ImportFrom):
            base = self.resolve_relative(mod, node.level, node.module)
            if base == "__future__":
                return
            baseval = self.import_module(base)
            for alias in node.names:
                if alias.name == "*":
                    self.star_import(mod, baseval)
                    continue
                val = self.from_import(baseval, alias.name)
                self.bind(mod, alias.asname or alias.name, val)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.bind(mod, node.name, ("def", mod.name + "." + node.name))
        elif isinstance(node, ast.ClassDef):
            self.bind(mod, node.name, ("opaque", mod.name + "." + node.name))
        elif isinstance(node, ast.Assign):
            self.exec_assign(mod, node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            self.bind(mod, node.target.id, ("opaque", mod.name + "." + node.target.id))
        elif isinstance(node, ast.AugAssign):
            if (isinstance(node.target, ast.Name) and node.target.id == "__all__"
                    and mod.all is not None):
                extra = _literal(node.value)
                if extra is not None:
                    mod.all.extend(extra)
        elif isinstance(node, ast.Delete):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    mod.ns.pop(t.id, None)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            self.exec_call(mod, node.value)
        elif isinstance(node, ast.Try):
            # Assume the optimistic path (all imports available).
            self.exec_body(mod, node.body)
            self.exec_body(mod, node.orelse)
            self.exec_body(mod, node.finalbody)
        elif isinstance(node, ast.If):
            cond = self.eval_condition(mod, node.test)
            if cond is None:
                self.notes.append("%s:%d: undecidable `if`, took the body"
                                  % (mod.src.path, node.lineno))
                cond = True
            self.exec_body(mod, node.body if cond else node.orelse)
        elif isinstance(node, ast.For):
            self.exec_for(mod, node)
        # anything else (with, while, raise, ...) binds nothing we need

    def import_all_levels(self, dotted):
        parts = dotted.split(".")
        for i in range(1, len(parts) + 1):
            name = ".".join(parts[:i])
            if name in self.sources:
                self.import_module(name)

    def from_import(self, baseval, name):
        kind, ref = baseval[0], baseval[1]
        if kind != "mod":
            return ("ext", ref + "." + name)
        m = self.modules[ref]
        if name in m.ns:
            return m.ns[name]
        sub = ref + "." + name
        if sub in self.sources:
            return self.import_module(sub)
        return ("opaque", sub)

    def star_import(self, mod, baseval):
        kind, ref = baseval[0], baseval[1]
        if kind != "mod":
            return
        src = self.modules[ref]
        if src.all is not None:
            names = list(src.all)
        else:
            names = [n for n in src.ns if not n.startswith("_")]
        for n in names:
            self.bind(mod, n, self.from_import(baseval, n))

    def exec_assign(self, mod, node):
        value = node.value
        for target in node.targets:
            # HAND-MODELLED: tensorpack's "STATICA_HACK" idiom,
            #   globals()['kcah_acitats'[::-1].upper()] = X
            # i.e. STATICA_HACK = X.  X is False (models/, tfutils/) or
            # _HAS_TF (tensorpack/__init__.py, True whenever TF is installed).
            if (isinstance(target, ast.Subscript) and isinstance(target.value, ast.Call)
                    and isinstance(target.value.func, ast.Name)
                    and target.value.func.id == "globals"):
                try:
                    key = eval(compile(ast.Expression(target.slice), "<key>", "eval"),
                               {"__builtins__": {}}, {})
                except Exception:
                    key = None
                if isinstance(key, str):
                    lit = _literal(value)
                    mod.literals[key] = lit if lit is not None else True
                    self.bind(mod, key, ("opaque", mod.name + "." + key))
                continue
            if not isinstance(target, ast.Name):
                continue
            name = target.id
            lit = _literal(value)
            if lit is not None:
                mod.literals[name] = lit
            else:
                mod.literals.pop(name, None)
            if name == "__all__":
                mod.all = self.eval_all(mod, value)
                continue
            val = self.eval(mod, value)
            if val is None and isinstance(value, ast.Call):
                val = self.eval_partial(mod, name, value)
            if val is None:
                val = ("opaque", mod.name + "." + name)
            elif (val[0] == "def" and val[1].rpartition(".")[0] == mod.name
                  and val[1].rpartition(".")[2] != name):
                # module-level alias of a function of this module
                # (conv2d = convolution2d): same object, own spelling.
                val = ("alias", mod.name + "." + name, val[1])
            self.bind(mod, name, val)

    def eval_all(self, mod, value):
        lit = _literal(value)
        if isinstance(lit, (list, tuple)):
            return list(lit)
        if isinstance(value, ast.Call):
            fn = self.eval(mod, value.func)
            if fn and fn[1].endswith("make_all"):
                return self.make_all(mod, value.args[1:] if len(value.args) > 1 else [])
        return None

    def doc_names(self, modval):
        if modval and modval[0] == "mod":
            return _DOC_REF.findall(self.modules[modval[1]].doc or "")
        return []

    def make_all(self, mod, docmods_nodes):
        if docmods_nodes and isinstance(docmods_nodes[0], (ast.List, ast.Tuple)):
            names = []
            for elt in docmods_nodes[0].elts:
                names += self.doc_names(self.eval_module_ref(mod, elt))
            return names
        return _DOC_REF.findall(mod.doc or "")

    def eval_module_ref(self, mod, node):
        # sys.modules[__name__] / a module name
        if isinstance(node, ast.Subscript):
            sl = node.slice
            if isinstance(sl, ast.Name) and sl.id == "__name__":
                return ("mod", mod.name)
        return self.eval(mod, node)

    def eval_partial(self, mod, name, call):
        fn = self.eval(mod, call.func)
        if not fn or not (fn[1] in ("functools.partial", "builtins.partial")
                          or fn[1].endswith(".partial")):
            return None
        if not call.args:
            return None
        of = self.eval(mod, call.args[0])
        bound = {kw.arg: mod.src.segment(kw.value)
                 for kw in call.keywords if kw.arg}
        key = mod.name + "." + name
        self.partials[key] = (of, bound, mod.name, call.lineno)
        return ("partial", key)

    def exec_call(self, mod, call):
        fn = self.eval(mod, call.func)
        # __all__.append(x) / __all__.extend([...])
        if (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name)
                and call.func.value.id == "__all__" and mod.all is not None):
            arg = _literal(call.args[0]) if call.args else None
            if call.func.attr == "append" and isinstance(arg, str):
                mod.all.append(arg)
            elif call.func.attr == "extend" and arg is not None:
                mod.all.extend(arg)
            return
        if fn and fn[1].endswith("remove_undocumented"):
            self.remove_undocumented(mod, call)
            return
        if (isinstance(call.func, ast.Name) and call.func.id == "_global_import"
                and call.args):
            arg = _literal(call.args[0])
            if isinstance(arg, str):
                self.global_import(mod, arg)

    def remove_undocumented(self, mod, call):
        """tensorflow/python/util/all_util.py: remove_undocumented()."""
        args = list(call.args)
        kwargs = {kw.arg: kw.value for kw in call.keywords}
        target_node = args[0] if args else kwargs.get("module_name")
        allowed_node = args[1] if len(args) > 1 else kwargs.get("allowed_exception_list")
        docmods_node = args[2] if len(args) > 2 else kwargs.get("doc_string_modules")
        if isinstance(target_node, ast.Name) and target_node.id == "__name__":
            target = mod
        elif isinstance(target_node, ast.Attribute) and target_node.attr == "__name__":
            tv = self.eval(mod, target_node.value)
            if not tv or tv[0] != "mod":
                return
            target = self.modules[tv[1]]
        else:
            self.notes.append("%s: remove_undocumented on unknown module" % mod.name)
            return
        if docmods_node is not None:
            should = self.make_all(target, [docmods_node])
        else:
            should = _DOC_REF.findall(target.doc or "")
        allowed = []
        if allowed_node is not None:
            if isinstance(allowed_node, ast.Name) and allowed_node.id in mod.literals:
                allowed = list(mod.literals[allowed_node.id])
            else:
                allowed = list(_literal(allowed_node) or [])
        keep = set(should) | set(allowed)
        for name in list(target.ns):
            if not name.startswith("_") and name not in keep:
                del target.ns[name]

    def eval_condition(self, mod, test):
        if isinstance(test, ast.Name) and test.id in mod.literals:
            return bool(mod.literals[test.id])
        if isinstance(test, ast.Constant):
            return bool(test.value)
        if (isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
                and test.left.id == "__name__"):
            return False  # if __name__ == '__main__':
        return None

    # HAND-MODELLED: tensorpack/models/__init__.py and tfutils/__init__.py
    # import their submodules in a loop over ``iter_modules([_CURR_DIR])`` /
    # a literal set, calling a local ``_global_import(name)`` that copies
    # ``p.__all__`` (or ``dir(p)``) into the package and, in models/, also
    # ``del globals()[name]``.  We evaluate the loop over the real file list.
    def exec_for(self, mod, node):
        calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Name) and n.func.id == "_global_import"]
        if not calls or not isinstance(node.target, (ast.Name, ast.Tuple)):
            return
        it = node.iter
        if (isinstance(it, ast.Call) and isinstance(it.func, ast.Name)
                and it.func.id == "iter_modules"):
            prefix = mod.name + "."
            names = sorted(n[len(prefix):] for n, s in self.sources.items()
                           if n.startswith(prefix) and "." not in n[len(prefix):]
                           and not s.is_pkg)
            skip = set(mod.literals.get("_SKIP", ()))
            names = [n for n in names if not n.startswith("_") and "_test" not in n
                     and n not in skip]
        elif isinstance(it, ast.Name) and it.id in mod.literals:
            names = sorted(mod.literals[it.id])
        else:
            self.notes.append("%s: unmodelled _global_import loop" % mod.name)
            return
        for n in names:
            self.global_import(mod, n)

    def global_import(self, mod, name):
        fdef = next((n for n in mod.src.tree.body if isinstance(n, ast.FunctionDef)
                     and n.name == "_global_import"), None)
        deletes = fdef is not None and any(isinstance(n, ast.Delete) for n in ast.walk(fdef))
        sub = self.import_module(mod.name + "." + name)
        if sub[0] != "mod":
            return
        p = self.modules[sub[1]]
        lst = list(p.all) if p.all is not None else sorted(p.ns)
        if deletes:
            mod.ns.pop(name, None)
        if mod.all is None:
            mod.all = []
        for k in lst:
            if not k.startswith("__"):
                self.bind(mod, k, self.from_import(sub, k))
                mod.all.append(k)


def _norm(dotted):
    if dotted and (dotted == "tensorflow_core" or dotted.startswith("tensorflow_core.")):
        return "tensorflow" + dotted[len("tensorflow_core"):]
    return dotted


# --------------------------------------------------------------------------
# 3. facts about functions
# --------------------------------------------------------------------------

def _dec_name(dec):
    node = dec.func if isinstance(dec, ast.Call) else dec
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _signature(src: Source, fn: ast.FunctionDef):
    a = fn.args
    pos = list(a.posonlyargs) + list(a.args)
    defaults = {}
    for arg, d in zip(pos[len(pos) - len(a.defaults):], a.defaults):
        defaults[arg.arg] = src.segment(d)
    for arg, d in zip(a.kwonlyargs, a.kw_defaults):
        if d is not None:
            defaults[arg.arg] = src.segment(d)
    return {
        "params": tuple(x.arg for x in pos),
        "kwonly": tuple(x.arg for x in a.kwonlyargs),
        "defaults": defaults,
        "varargs": a.vararg is not None,
        "varkw": a.kwarg is not None,
    }


# tf.layers of TF 1.15 (tf.compat.v1.layers in TF 2): plain functions, never scope-enabled by
# the libraries, that projects wrap (``add_arg_scope(tf.layers.conv2d)``) or tensorpack patches
# (``enable_argscope_for_module(tf.layers)``): their signatures, for the rules that need one
TF_LAYERS_FILES = ("convolutional", "core", "pooling", "normalization")


def collect_tf_layers(wheels):
    out = {}
    with zipfile.ZipFile(wheels["tf_contrib"]) as zf:
        for base in TF_LAYERS_FILES:
            member = "tensorflow_core/python/layers/%s.py" % base
            src = Source("tensorflow.python.layers." + base, member,
                         zf.read(member).decode("utf-8"), False, "tf_contrib")
            for fn in src.tree.body:
                if isinstance(fn, ast.FunctionDef) and fn.name.islower() and (
                        not fn.name.startswith("_")):
                    sig = _signature(src, fn)
                    sig["name"] = fn.name
                    sig["source"] = "%s:%d" % (member, fn.lineno)
                    out["tensorflow.layers." + fn.name] = sig
    return out


def _layer_register_defaults(sources):
    src = sources["tensorpack.models.registry"]
    fn = next(n for n in src.tree.body if isinstance(n, ast.FunctionDef)
              and n.name == "layer_register")
    sig = _signature(src, fn)
    return {k: ast.literal_eval(v) for k, v in sig["defaults"].items()}


def _check_common_tfargs(sources):
    src = sources["tensorpack.models.tflayer"]
    fn = next(n for n in src.tree.body if isinstance(n, ast.FunctionDef)
              and n.name == "map_common_tfargs")
    text = src.segment(fn)
    for old, new in TP_COMMON_TFARGS.items():
        if "'%s'" % old not in text or "'%s'" % new not in text:
            raise SystemExit("map_common_tfargs changed: %s -> %s not found" % (old, new))


def _decorator_resolver(sim):
    """Spell-independent decorator names: resolve through the module namespace
    (``@contrib_add_arg_scope`` is ``from ... import add_arg_scope as ...``)."""
    api = {}
    for modname, (_reg, names) in ARG_SCOPE_API.items():
        for n in names:
            api[modname + "." + n] = n

    def resolve(modname, dec):
        node = dec.func if isinstance(dec, ast.Call) else dec
        mod = sim.modules.get(modname)
        if mod is not None:
            val = sim.eval(mod, node)
            if val and val[0] == "def" and val[1] in api:
                return api[val[1]]
        return _dec_name(dec)
    return resolve


def collect_ops(sources, resolve):
    ops = {}
    lr_defaults = _layer_register_defaults(sources)
    _check_common_tfargs(sources)
    nested = []
    for name, src in sorted(sources.items()):
        if src.is_test or not ("add_arg_scope" in src.text or "layer_register" in src.text):
            continue
        if src.tree is None:
            continue
        top = set()
        for fn in src.tree.body:
            if not isinstance(fn, ast.FunctionDef):
                continue
            top.add(id(fn))
            decs = {resolve(name, d): d for d in fn.decorator_list}
            key = name + "." + fn.name
            if src.registry in ("tf_slim", "tf_contrib") and "add_arg_scope" in decs:
                entry = {"registry": src.registry, "name": fn.name}
                entry.update(_signature(src, fn))
                ops[key] = entry
            elif src.registry == "tensorpack" and "layer_register" in decs:
                entry = {"registry": "tensorpack", "name": fn.name}
                entry.update(_signature(src, fn))
                reg = decs["layer_register"]
                opts = dict(lr_defaults)
                if isinstance(reg, ast.Call):
                    for kw in reg.keywords:
                        opts[kw.arg] = ast.literal_eval(kw.value)
                    for pname, arg in zip(("log_shape", "use_scope"), reg.args):
                        opts[pname] = ast.literal_eval(arg)
                conv = decs.get("convert_to_tflayer_args")
                args_names, mapping = (), {}
                if isinstance(conv, ast.Call):
                    cargs = {kw.arg: kw.value for kw in conv.keywords}
                    for pname, arg in zip(("args_names", "name_mapping"), conv.args):
                        cargs[pname] = arg
                    args_names = tuple(ast.literal_eval(cargs["args_names"]))
                    mapping = dict(ast.literal_eval(cargs["name_mapping"]))
                    accepted = set(entry["params"]) | set(entry["kwonly"])
                    for old, new in TP_COMMON_TFARGS.items():
                        if new in accepted:
                            mapping.setdefault(old, new)
                entry["argscope_key"] = fn.name
                entry["use_scope"] = opts["use_scope"]
                entry["positional_override"] = args_names
                entry["legacy_kwargs"] = mapping
                ops[key] = entry
        for node in ast.walk(src.tree):
            if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and id(node) not in top
                    and any(resolve(name, d) in ("add_arg_scope", "layer_register")
                            for d in node.decorator_list)):
                nested.append("%s:%d %s" % (src.path, node.lineno, node.name))
    return ops, nested


def collect_factories(sources, resolve):
    """Functions that ``return NAME`` where ``with arg_scope(...) as NAME``."""
    found = {}
    for name, src in sorted(sources.items()):
        if src.is_test or src.registry == "tensorpack" or "arg_scope" not in src.text:
            continue
        if src.tree is None:
            continue
        for fn in src.tree.body:
            if not isinstance(fn, ast.FunctionDef):
                continue
            bound = set()
            for node in ast.walk(fn):
                if isinstance(node, ast.With):
                    for item in node.items:
                        ce = item.context_expr
                        if (isinstance(ce, ast.Call) and resolve(name, ce) == "arg_scope"
                                and isinstance(item.optional_vars, ast.Name)):
                            bound.add(item.optional_vars.id)
            if not bound:
                continue
            if any(isinstance(n, ast.Return) and isinstance(n.value, ast.Name)
                   and n.value.id in bound for n in ast.walk(fn)):
                found[name + "." + fn.name] = src.registry
    return found


# --------------------------------------------------------------------------
# 4. user-facing paths
# --------------------------------------------------------------------------

MAX_HOPS = 6


def enumerate_paths(sim: Simulator, interesting):
    """Map every dotted path to an interesting value.

    (a) ``M.name`` for every module M and every name in its final namespace
        (``from M import name`` works);
    (b) attribute chains ``M.x.y...name`` through module-valued attributes,
        followed only out of packages and pure re-export modules (so that
        ``tf_slim.layers.conv2d`` / ``tensorflow.contrib.slim.layers.conv2d`` /
        ``tensorflow.contrib.slim.nets.resnet_v1.bottleneck`` are found, but
        not ``tf_slim.nets.vgg.layers_lib.conv2d``-style helper imports).
    """
    paths = {}
    conflicts = []

    def record(path, val, source):
        key = interesting(val)
        if key is None:
            return
        old = paths.get(path)
        if old is not None and old[0] != key:
            conflicts.append((path, old, (key, source)))
            if old[1] == "a":
                return
        paths[path] = (key, source)

    for name in sorted(sim.modules):
        mod = sim.modules[name]
        if mod.src.is_test:
            continue
        for attr, val in mod.ns.items():
            record(name + "." + attr, val, "a")

    def walk(prefix, mod, chain):
        if len(chain) > MAX_HOPS:
            return
        if not (mod.src.is_pkg or mod.reexport_only):
            return
        for attr, val in mod.ns.items():
            if val[0] == "mod":
                if attr.startswith("_") or val[1] in chain:
                    continue
                sub = sim.modules[val[1]]
                for a2, v2 in sub.ns.items():
                    record(prefix + "." + attr + "." + a2, v2, "b")
                walk(prefix + "." + attr, sub, chain + (val[1],))

    for name in sorted(sim.modules):
        mod = sim.modules[name]
        if not mod.src.is_test:
            walk(name, mod, (name,))
    return {p: k for p, (k, _) in paths.items()}, conflicts


# --------------------------------------------------------------------------
# 5. put it together
# --------------------------------------------------------------------------

def registry_of(dotted):
    if dotted.startswith("tf_slim."):
        return "tf_slim"
    if dotted.startswith("tensorflow.contrib."):
        return "tf_contrib"
    if dotted.startswith("tensorpack."):
        return "tensorpack"
    return None


def build(sources):
    sim = Simulator(sources)
    for name in sorted(sources):
        if not sources[name].is_test:
            sim.import_module(name)

    resolve = _decorator_resolver(sim)
    ops, nested = collect_ops(sources, resolve)
    factories_defs = collect_factories(sources, resolve)

    def deref(val):
        """canonical def path of a value (through module-level aliases)."""
        if val and val[0] == "def":
            return val[1]
        if val and val[0] == "alias":
            return val[2]
        return None

    aliases = {}
    for mod in sim.modules.values():
        for val in mod.ns.values():
            if val[0] == "alias" and val[2] in ops:
                aliases[val[1]] = val[2]

    partials = {}
    for key, (of, bound, modname, _line) in sorted(sim.partials.items()):
        if deref(of) in ops:
            partials[key] = {"registry": registry_of(key), "of": deref(of), "bound": bound}

    api_defs = {}
    for modname, (reg, names) in ARG_SCOPE_API.items():
        for n in names:
            api_defs[modname + "." + n] = (reg, n)

    def op_key(val):
        if val[0] in ("def", "partial") and (val[1] in ops or val[1] in partials):
            return val[1]
        if val[0] == "alias" and val[1] in aliases:
            return val[1]
        return None

    paths, conflicts = enumerate_paths(sim, op_key)

    api_paths, c2 = enumerate_paths(sim, lambda v: deref(v) if deref(v) in api_defs else None)
    conflicts += c2
    api = {p: api_defs[k] for p, k in api_paths.items()}

    fac_paths, c3 = enumerate_paths(
        sim, lambda v: deref(v) if deref(v) in factories_defs else None)
    conflicts += c3
    nets_factories = {k: r for k, r in factories_defs.items() if ".nets." in k}
    factories = {p: factories_defs[k] for p, k in fac_paths.items() if k in nets_factories}

    # keep only paths inside the three libraries
    paths = {p: k for p, k in paths.items() if registry_of(p)}
    api = {p: v for p, v in api.items() if registry_of(p)}
    factories = {p: v for p, v in factories.items() if registry_of(p)}

    report = {
        "nested_decorated": nested,
        "conflicts": conflicts,
        "non_nets_factories": sorted(k for k in factories_defs if k not in nets_factories),
        "notes": sim.notes,
    }
    return {"OPS": ops, "ALIASES": aliases, "PARTIALS": partials, "PATHS": paths,
            "API": api, "FACTORIES": factories}, report


def _fmt(obj, indent=0, width=100):
    """Deterministic, diff-friendly pretty printer (sorted keys, 4 spaces)."""
    pad = " " * (indent + 4)
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        one = "{" + ", ".join("%r: %s" % (k, _fmt(obj[k], 0, 10 ** 9)) for k in sorted(obj)) + "}"
        if indent + len(one) <= width and not any(isinstance(v, dict) and v for v in obj.values()):
            return one
        items = ["%s%r: %s,\n" % (pad, k, _fmt(obj[k], indent + 4, width)) for k in sorted(obj)]
        return "{\n" + "".join(items) + " " * indent + "}"
    if isinstance(obj, (tuple, list)):
        one = repr(tuple(obj))
        if indent + len(one) <= width:
            return one
        items = ["%s%s,\n" % (pad, _fmt(v, indent + 4, width)) for v in obj]
        return "(\n" + "".join(items) + " " * indent + ")"
    if obj is None or isinstance(obj, (bool, int, str)):
        return repr(obj)
    raise TypeError("not a plain literal: %r" % (obj,))


def render(tables, wheels) -> str:
    out = io.StringIO()
    out.write("# GENERATED by tools/generate_tables.py \u2014 do not edit.\n")
    out.write("# Regenerate with: python tools/generate_tables.py\n")
    out.write("# Read (AST only, never imported) from:\n")
    for registry, _, _, _, _, _ in WHEELS:
        p = wheels[registry]
        out.write("#   %s  sha256=%s\n" % (p.name, sha256(p)))
    out.write("# flake8: noqa\n")
    out.write("# fmt: off\n\n")
    doc = {
        "OPS": "canonical dotted path of the decorated def -> facts",
        "ALIASES": "module-level alias path -> OPS key (same function object)",
        "PARTIALS": "functools.partial of a scoped op (NOT itself arg_scope-able)",
        "PATHS": "user-facing dotted path -> key of OPS, ALIASES or PARTIALS",
        "API": "dotted path -> (registry, arg_scope API function name)",
        "FACTORIES": "dotted path of a library *_arg_scope() function -> registry",
        "SIGNATURES": "tf.layers function (TF 1.15; tf.compat.v1.layers alike) -> signature",
    }
    for name in ("OPS", "ALIASES", "PARTIALS", "PATHS", "API", "FACTORIES", "SIGNATURES"):
        out.write("# %s\n" % doc[name])
        out.write("%s = %s\n\n" % (name, _fmt(tables[name])))
    return out.getvalue().rstrip("\n") + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                    help="wheel cache directory (default: %(default)s)")
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    ap.add_argument("--refresh", action="store_true", help="re-run pip download")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)

    t0 = time.time()
    wheels = fetch_wheels(args.cache, args.refresh)
    sources = read_sources(wheels)
    tables, report = build(sources)
    tables["SIGNATURES"] = collect_tf_layers(wheels)
    text = render(tables, wheels)
    compile(text, str(args.output), "exec")
    args.output.write_text(text, encoding="utf-8")

    counts = {}
    for k, v in tables["OPS"].items():
        counts.setdefault(v["registry"], [0, 0, 0])[0] += 1
    for k in tables["ALIASES"]:
        counts.setdefault(registry_of(k), [0, 0, 0])[1] += 1
    for k in tables["PARTIALS"]:
        counts.setdefault(registry_of(k), [0, 0, 0])[2] += 1
    for reg in sorted(counts):
        o, a, p = counts[reg]
        print("%-10s ops=%d aliases=%d partials=%d" % (reg, o, a, p), file=sys.stderr)
    print("paths=%d api=%d factories=%d" % (len(tables["PATHS"]), len(tables["API"]),
                                            len(tables["FACTORIES"])), file=sys.stderr)
    for key in ("nested_decorated", "non_nets_factories", "conflicts"):
        if report[key]:
            print("%s: %s" % (key, report[key]), file=sys.stderr)
    if args.verbose:
        for n in report["notes"]:
            print("note:", n, file=sys.stderr)
    print("wrote %s in %.1fs" % (args.output, time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
