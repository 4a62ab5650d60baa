"""What the install tests share."""

from __future__ import annotations

import os
import shutil

import pytest


def require(tool: str) -> str:
    """The tool's path; a skip without it, or a failure when CI demands every tool."""
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("UAT_REQUIRE_TOOLS"):
            pytest.fail(f"{tool} is required here (UAT_REQUIRE_TOOLS is set) but not installed")
        pytest.skip(f"{tool} is not installed")
    return found
