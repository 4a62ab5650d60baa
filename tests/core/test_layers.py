"""Layers point one way: core ← model ← plots ← export ← gui, cli (import-linter checks the
arrows in `make test`; these check what it cannot name)."""

import ast
from pathlib import Path

import pytest

import uat_explorer

PACKAGE = Path(uat_explorer.__file__).parent


def test_no_package_hides_a_cycle_behind_a_lazy_getattr():
    for init in PACKAGE.rglob("__init__.py"):
        tree = ast.parse(init.read_text())
        names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert "__getattr__" not in names, init


TESTS = Path(__file__).resolve().parent.parent
QT_FIXTURES = {"qtbot", "qapp", "window", "sine_window", "dialogs", "app_identity"}


@pytest.mark.parametrize("layer", ["core", "model"])
def test_the_core_and_model_tests_need_no_qt_application(layer):
    """Their tests run without a QApplication: none asks for a Qt fixture or imports a
    widget (the model's QObjects need no application)."""
    offenders = []
    for path in sorted((TESTS / layer).glob("test_*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                asked = {a.arg for a in node.args.args} & QT_FIXTURES
                offenders += [f"{path.name}:{node.name} asks for {a}" for a in asked]
            widgets = ("PySide6.QtWidgets", "uat_explorer.gui", "gui_helpers")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(widgets):
                offenders.append(f"{path.name} imports {node.module}")
    assert offenders == []


def test_no_package_folder_holds_more_than_twelve_modules():
    """Rooms a newcomer can find (issue 25): a folder past twelve modules is split by
    concern (gui/panels had 13 once the sampling and regularization controls joined it)."""
    crowded = {}
    for init in PACKAGE.rglob("__init__.py"):
        modules = [p for p in init.parent.glob("*.py") if p.name != "__init__.py"]
        if len(modules) > 12:
            crowded[str(init.parent.relative_to(PACKAGE))] = len(modules)
    assert crowded == {}
