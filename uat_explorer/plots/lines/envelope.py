"""A thinned envelope's wide line swept along one axis per segment.

A peak-thinned curve (``lines/thinning.py``) goes down and up between the lowest and
the highest point of every two pixel columns: after 10⁶ noisy steps nearly all of it is
vertical strokes as tall as the noise. The disc sweep of ``lines/wide.py`` draws each
stroke four times for a line two pixels wide, but a vertical stroke only needs its width
across, and a flat one only up and down: swept along one axis, each segment takes half
the strokes (a race of four runs of 10⁶ steps painted in 2.97 ms instead of 3.12,
``bench_gui.py``'s race frame), and a segment is never thinner than 0.85 of its width
(at 45°, between the two).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPainterPath

Offsets = tuple[tuple[float, float], ...]


def axis_offsets(width: float) -> tuple[Offsets, Offsets]:
    """Device-pixel shifts of the one-pixel strokes for a line ``width`` wide: across
    (for steep segments) and up and down (for flat ones), a pixel apart at most."""
    radius = (width - 1) / 2
    if radius <= 0:
        return ((0.0, 0.0),), ((0.0, 0.0),)
    count = math.ceil(2 * radius) + 1
    ticks = [-radius + 2 * radius * k / (count - 1) for k in range(count)]
    return tuple((t, 0.0) for t in ticks), tuple((0.0, t) for t in ticks)


def steep_and_flat(
    x: np.ndarray, y: np.ndarray, x_scale: float, y_scale: float
) -> tuple[QPainterPath, QPainterPath]:
    """The polyline's segments that rise or fall more pixels than they run, and the
    rest, as two paths in data coordinates (the scales: pixels a data unit)."""
    steep = np.abs(np.diff(y) * y_scale) > np.abs(np.diff(x) * x_scale)
    paths = []
    for chosen in (steep, ~steep):
        joined = np.append(chosen, False)  # point i joins point i + 1 where chosen[i]
        path: QPainterPath = pg.arrayToQPath(x, y, connect=joined)
        paths.append(path)
    return paths[0], paths[1]
