"""Test-tree code that builds the nets tf-slim 1.1.0 ships (see factory.py)."""
