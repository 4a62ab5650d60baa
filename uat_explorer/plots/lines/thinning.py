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
    falls on PIXELS_PER_BUCKET columns the lowest and the highest, with the first and
    the last point. A curve of 10⁶ steps then costs a frame what one of 10³ does, where
    pyqtgraph would map, check and bound every stored point first. Every second run is
    taken highest first, so the line goes down one column and up the next instead of
    down and back up each: half the vertical strokes, which are what Qt's raster engine
    is slow at (a race of four noisy runs painted 15 % faster, ``bench_gui.py``). The
    buckets span the columns the points cover: a growing view leaves a third of itself
    empty ahead of the data. A plot not laid out yet (under two buckets wide) gets every
    point."""
    if pixels // PIXELS_PER_BUCKET < 2:
        return x, y
    start = max(int(np.searchsorted(x, view[0])) - 1, 0)
    stop = min(int(np.searchsorted(x, view[1], side="right")) + 1, x.size)
    x, y = x[start:stop], y[start:stop]
    span = view[1] - view[0]
    covered = min(float(x[-1] - x[0]) / span, 1.0) if x.size > 1 and span > 0 else 1.0
    buckets = max(int(pixels * covered) // PIXELS_PER_BUCKET, 2)
    if x.size <= 2 * buckets:
        return x, y
    per = x.size // buckets
    runs = y[: buckets * per].reshape(buckets, per)
    first = np.arange(buckets) * per
    lowest, highest = first + runs.argmin(axis=1), first + runs.argmax(axis=1)
    down = np.arange(buckets) % 2 == 1
    pairs = np.stack([np.where(down, highest, lowest), np.where(down, lowest, highest)], 1)
    rest = np.arange(buckets * per, x.size)  # the few left over, or the last point again
    kept = np.concatenate([[0], pairs.ravel(), rest if rest.size else [x.size - 1]])
    return x[kept], y[kept]
