"""Test-time generators and harness for the fuzz / hostile-input test suites.

Nothing big is committed here: every hostile file is generated at test time
(into ``tmp_path``) by :mod:`hostile.files`; the hypothesis strategies live in
:mod:`hostile.strategies`; :mod:`hostile.harness` runs the checker in-process
(the same way flake8 constructs it) and the real ``flake8`` executable.

Used by ``tests/test_fuzz.py``, ``tests/test_hostile.py``,
``tests/test_never_imports.py``, ``tests/test_determinism.py`` and
``scripts/fuzz.py``.
"""
