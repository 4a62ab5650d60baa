"""Installed like a desktop app: one version, an icon drawn from one SVG."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
from install_helpers import require

from uat_explorer import __version__

SCRIPT = str(Path(sys.executable).with_name("uat-explorer"))
ICONS = resources.files("uat_explorer") / "resources" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def test_the_version_is_written_in_one_place():
    done = subprocess.run([SCRIPT, "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == f"uat-explorer {__version__}\n"
    assert importlib.metadata.version("uat-explorer") == __version__


def test_the_icon_comes_in_every_size_a_desktop_asks_for():
    from PySide6.QtCore import QSize

    from uat_explorer.gui.app import app_icon

    names = sorted(entry.name for entry in ICONS.iterdir())
    assert names == sorted(["uat-explorer.svg", *(f"uat-explorer-{n}.png" for n in SIZES)])
    assert sorted(s.width() for s in app_icon().availableSizes()) == list(SIZES)
    assert all(QSize(n, n) in app_icon().availableSizes() for n in SIZES)


def _pixels(path: Path | bytes) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = QImage.fromData(path) if isinstance(path, bytes) else QImage(str(path))
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(bytes(image.constBits()), np.uint8).astype(float)


def test_the_pngs_are_rendered_from_the_svg(tmp_path):
    """`make icons` made them: each PNG is the SVG at its size (to within antialiasing,
    which another librsvg may do a little differently)."""
    rsvg = require("rsvg-convert")
    for n in SIZES:
        fresh = tmp_path / f"{n}.png"
        svg = str(ICONS / "uat-explorer.svg")
        subprocess.run([rsvg, "-w", str(n), "-h", str(n), svg, "-o", str(fresh)], check=True)
        committed = (ICONS / f"uat-explorer-{n}.png").read_bytes()
        difference = np.abs(_pixels(fresh) - _pixels(committed))
        assert difference.size == n * n * 4 and difference.mean() < 2, f"{n} px: make icons"
