"""A polyline with the points a screen cannot tell apart from their neighbours left out.

The output curve has 1001 points over a plot ~900 pixels wide, and sweeping a wide line
costs per segment: a dozen one-pixel strokes of 1001 points took 1.1 ms, of 126 points
0.3 ms (``benchmarks/bench_gui.py``'s training frame). A point goes only when every
point it stands for lies within ``tolerance`` pixels of the straight segment that
replaces them, so the line drawn is the same line to a quarter of a pixel.

The segments tried are aligned runs of RUNS intervals, longest first, each piece as
long as it can be and still be straight enough: two whole-array numpy passes, where a
Ramer–Douglas–Peucker recursion would be a Python loop per piece.
"""

from __future__ import annotations

import numpy as np

TOLERANCE = 0.25
"""Pixels a left-out point may lie from the segment drawn in its place."""
RUNS = (32, 8)
"""The runs tried, in intervals, longest first (each divides the one before, so runs
nest): a straight stretch of 32 points is drawn as one segment, a gentle bend as a few
of 8, a sharp one point by point. Runs of 2 as well kept fewer points of a tight wave
but doubled the cost (~110 µs instead of ~55 for 1001 points)."""


def kept_points(x: np.ndarray, y: np.ndarray, tolerance: float = TOLERANCE) -> np.ndarray:
    """Indices of the points of the polyline (``x`` strictly rising, ``y``: finite, in
    pixels) to draw: the ends, and the ends of the longest aligned runs whose inner
    points all lie within ``tolerance`` of the segment joining the run's ends."""
    n = x.size
    if n <= 2:
        return np.arange(n)
    intervals = n - 1
    covered = np.zeros(intervals, bool)  # interval i → i + 1 drawn as part of a longer run
    keep = np.zeros(n, bool)
    for run in RUNS:
        count = intervals // run
        if count == 0:
            continue
        end = count * run
        runs = covered[:end].reshape(count, run)
        free = ~runs[:, 0]  # runs nest: a run is inside an accepted longer one or apart
        if free.any():
            accepted = free & (_deviation(x, y, run, count) <= tolerance)
            runs[accepted] = True
            keep[:end:run] |= accepted
            keep[run : end + 1 : run] |= accepted
    keep[:-1] |= ~covered  # intervals no run took keep both their points
    keep[1:] |= ~covered
    keep[0] = keep[-1] = True
    return np.flatnonzero(keep)


def _deviation(x: np.ndarray, y: np.ndarray, run: int, count: int) -> np.ndarray:
    """For each of ``count`` aligned runs of ``run`` intervals: the largest vertical
    distance of a point from the segment joining the run's ends. With x rising that is
    never less than the true distance, so a run it passes is straight enough."""
    end = count * run
    ax, ay = x[:end:run], y[:end:run]
    slope = (y[run : end + 1 : run] - ay) / (x[run : end + 1 : run] - ax)
    px, py = x[:end].reshape(count, run), y[:end].reshape(count, run)
    gaps = np.abs(py - ay[:, None] - (px - ax[:, None]) * slope[:, None])
    result: np.ndarray = gaps.max(axis=1)
    return result
