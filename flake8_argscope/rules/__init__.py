"""The ASC rules, one module per family; each rule's message sits beside its check.

- ``repeated``     ASC101  repetition an arg_scope could absorb
- ``redundant``    ASC201  explicit keyword equal to what the scope supplies
- ``registration`` ASC301-ASC304  ops that are not (or not in this registry) scope-enabled
- ``runtime``      ASC401-ASC405  what the runtime raises at the ``with`` or the call

Docs: docs/rules/ASCnnn.md.
"""

from flake8_argscope.rules import redundant, registration, repeated, runtime

CODES = (
    "ASC101", "ASC201", "ASC301", "ASC302", "ASC303", "ASC304",
    "ASC401", "ASC402", "ASC403", "ASC404", "ASC405",
)

__all__ = ["CODES", "redundant", "registration", "repeated", "runtime"]
