"""Layers point one way: core ← model ← plots ← export ← gui, cli (import-linter checks the
arrows in `make test`; these check what it cannot name)."""

import ast
from pathlib import Path

import uat_explorer

PACKAGE = Path(uat_explorer.__file__).parent


def test_no_package_hides_a_cycle_behind_a_lazy_getattr():
    for init in PACKAGE.rglob("__init__.py"):
        tree = ast.parse(init.read_text())
        names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert "__getattr__" not in names, init
