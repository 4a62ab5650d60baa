"""The core must never depend on Qt: it is what the CLI, tests and benchmarks run on."""

import ast
import subprocess
import sys
from pathlib import Path

import uat_explorer.core

CORE = Path(uat_explorer.core.__file__).parent
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6", "uat_explorer.gui")


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
        f"{path.name} imports {name}"
        for path in sorted(CORE.glob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)
    ]
    assert offenders == []


def test_importing_the_core_loads_no_qt():
    code = (
        "import sys, uat_explorer.core, uat_explorer.cli; "
        "print([m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
