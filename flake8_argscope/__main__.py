"""``python -m flake8_argscope``: the command line (explain, fix)."""

from flake8_argscope.cli import main

raise SystemExit(main())
