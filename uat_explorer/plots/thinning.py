"""A long curve thinned to what a plot can show, before pyqtgraph sees it."""

from __future__ import annotations

import numpy as np

PIXELS_PER_BUCKET = 2
"""A highest and a lowest point every two pixel columns: a line one or two pixels wide
covers both, and the envelope keeps every spike."""


def peak_thinned(
    x: np.ndarray, y: np.ndarray, view: tuple[float, float], pixels: int
) -> tuple[np.ndarray, np.ndarray]:
    """The points of (x, y) in ``view`` (x rising), and one more each side so the line
    leaves the view, thinned for a plot ``pixels`` wide: of each run of points that
    falls on PIXELS_PER_BUCKET columns the highest and the lowest, in order, with the
    first and the last point. A curve of 10⁶ steps then costs a frame what one of 10³
    does, where pyqtgraph would map, check and bound every stored point first. A plot
    not laid out yet (under two buckets wide) gets every point."""
    buckets = pixels // PIXELS_PER_BUCKET
    if buckets < 2:
        return x, y
    start = max(int(np.searchsorted(x, view[0])) - 1, 0)
    stop = min(int(np.searchsorted(x, view[1], side="right")) + 1, x.size)
    x, y = x[start:stop], y[start:stop]
    if x.size <= 2 * buckets:
        return x, y
    per = x.size // buckets
    runs = y[: buckets * per].reshape(buckets, per)
    first = np.arange(buckets) * per
    kept = np.zeros(x.size, dtype=bool)
    kept[first + runs.argmax(axis=1)] = kept[first + runs.argmin(axis=1)] = True
    kept[buckets * per :] = True  # the few left over, the last point among them
    kept[0] = True
    return x[kept], y[kept]
