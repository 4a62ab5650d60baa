"""What the install tests share: a command from an installed copy of the app (the
checkout's console script, a wheel's venv, the bundle) run the way a person or a desktop
runs it, and checked for what it should have made."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent


def require(tool: str) -> str:
    """The tool's path; a skip without it, or a failure when CI demands every tool."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("UAT_REQUIRE_TOOLS"):
            pytest.fail(f"{tool} is required here (UAT_REQUIRE_TOOLS is set) but not installed")
        pytest.skip(f"{tool} is not installed")
    return found


def outside_env(tmp_path: Path) -> dict[str, str]:
    """An environment in which nothing of the checkout can be imported, with a private
    home, data and settings: what a fresh user on this machine has."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / "config"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return env


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 120):
    """Run from ``cwd`` (outside the checkout); the finished process, text output."""
    assert CHECKOUT not in cwd.resolve().parents and cwd.resolve() != CHECKOUT
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
