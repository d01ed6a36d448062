"""The arg_scope model: effective scopes, entering with items, scope factories."""
