"""The core must never depend on Qt: it is what the CLI, tests and benchmarks run on; the
model may hold Qt objects but no widgets. (import-linter checks the layers in `make test`.)"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import uat_explorer.core

CORE = Path(uat_explorer.core.__file__).parent
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6", "uat_explorer.gui")
QT = ("PySide6", "pyqtgraph", "shiboken")


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_core_module_imports_qt():
    offenders = [
        f"{path.relative_to(CORE)} imports {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def loaded_by_importing(modules: str, prefixes: tuple[str, ...]) -> list[str]:
    """The modules starting with ``prefixes`` that a fresh interpreter has loaded after
    ``import modules``."""
    code = (
        f"import json, sys, {modules}; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_importing_the_core_loads_no_qt():
    assert loaded_by_importing("uat_explorer.core, uat_explorer.cli", QT) == []


def test_importing_the_model_loads_no_widgets():
    """import-linter cannot name PySide6.QtWidgets (a subpackage of an external package)."""
    assert loaded_by_importing("uat_explorer.model", ("PySide6.QtWidgets", "pyqtgraph")) == []
