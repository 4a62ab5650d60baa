"""A thinned envelope's wide line swept along one axis per segment.

A peak-thinned curve (``lines/thinning.py``) goes down and up between the lowest and
the highest point of every two pixel columns: after 10⁶ noisy steps nearly all of it is
vertical strokes as tall as the noise. The disc sweep of ``lines/wide.py`` draws each
stroke four times for a line two pixels wide, but a vertical stroke only needs its width
across, and a flat one only up and down: swept along one axis, each segment takes half
the strokes (a race of four runs of 10⁶ steps painted in 2.97 ms instead of 3.12,
``bench_gui.py``'s race frame), and a segment is never thinner than 0.85 of its width
(at 45°, between the two). The offsets are ``wide.axis_offsets``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPainterPath


def steep_and_flat(
    x: np.ndarray, y: np.ndarray, x_scale: float, y_scale: float
) -> tuple[QPainterPath, QPainterPath]:
    """The polyline's segments that rise or fall more pixels than they run, and the
    rest, as two paths in data coordinates (the scales: pixels a data unit)."""
    steep = np.abs(np.diff(y) * y_scale) > np.abs(np.diff(x) * x_scale)
    # point i joins point i + 1 where the array says so
    return (
        pg.arrayToQPath(x, y, connect=np.append(steep, False)),
        pg.arrayToQPath(x, y, connect=np.append(~steep, False)),
    )
