"""flake8 glue (work in progress stub; the real checker replaces this)."""


class ArgScopeChecker:
    name = "flake8-argscope"
    version = "0.1.0"

    def __init__(self, tree, lines=None, filename="stdin"):
        self.tree = tree
        self.lines = lines or []
        self.filename = filename

    def run(self):
        return iter(())
