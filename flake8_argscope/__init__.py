"""flake8-argscope: lint TF-Slim ``arg_scope`` and tensorpack ``argscope`` code (ASC codes)."""

__version__ = "0.1.0"

from flake8_argscope.checker import ArgScopeChecker  # noqa: E402

__all__ = ["ArgScopeChecker", "__version__"]
