"""A log axis that labels decades, and minor ticks only where they have room.

pyqtgraph labels every minor tick (2, 3, … 9) when fewer than a few decades show, and at
an ordinary dock height "0.9 0.8 0.6 0.5 0.4" overlap into a block nobody can read.
"""

from __future__ import annotations

import math

from uat_explorer.plots.lines.grid import GridAxis

MINOR_LABELS = (2, 5)
PIXELS_PER_LABELLED_DECADE = 110
"""Below this, a decade has room for its own label only."""
Ticks = tuple[float | None, list[float]]
"""One level of ticks: its spacing (None for pyqtgraph's minor log ticks) and values."""


class DecadeAxis(GridAxis):
    def logTickValues(
        self, minVal: float, maxVal: float, size: float, stdTicks: list[Ticks]
    ) -> list[Ticks]:
        """pyqtgraph's ticks, without repeating a whole decade among the minor ones (two
        labels in one place made it drop the decade's own)."""
        levels = super().logTickValues(minVal, maxVal, size, stdTicks)
        majors = {round(v) for spacing, values in levels if spacing for v in values}
        return [
            (spacing, [v for v in values if spacing or round(v, 9) not in majors])
            for spacing, values in levels
        ]

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings = super().logTickStrings(values, scale, spacing)
        low, high = self.range
        length = self.height() if self.orientation in ("left", "right") else self.width()
        room = length / max(abs(high - low), 1e-9) >= PIXELS_PER_LABELLED_DECADE
        pairs = zip(values, strings, strict=True)
        return [text if _labelled(value, room) else "" for value, text in pairs]


def _labelled(value: float, room: bool) -> bool:
    """Whole decades always; 2× and 5× a decade when there is room."""
    if abs(value - round(value)) < 1e-9:
        return True
    mantissa = round(10 ** (value - math.floor(value)), 6)
    return room and mantissa in MINOR_LABELS


class GrowingRange:
    """A loss plot's view while its curve grows: x from 0, y in whole decades, grown in
    jumps (x to 1.5 × the last step) and never shrunk, so the axes and their grid, which
    paint from a cached pixmap, are regenerated now and then rather than every frame (a
    grid regenerated costs ~10 ms of a frame: vertical lines are slow in Qt's raster
    engine, measured in ``benchmarks/bench_gui.py``'s race)."""

    def __init__(self, least_end: float = 10.0) -> None:
        self.least_end = least_end
        self.reset()

    def reset(self) -> None:
        """Start again from nothing (a new run, a new axis)."""
        self.x_end = 0.0
        self.decades: tuple[int, int] | None = None

    def grow(self, last_x: float, low: float, high: float) -> bool:
        """Hold ``last_x`` and log10 values from ``low`` to ``high``; True when the range
        had to grow (``x_end`` and ``decades`` are then the new one to show)."""
        decades = (math.floor(low), math.ceil(high) + (math.ceil(high) == high))
        if self.decades is not None:
            decades = (min(decades[0], self.decades[0]), max(decades[1], self.decades[1]))
        if last_x <= self.x_end and decades == self.decades:
            return False
        self.x_end = max(self.x_end, 1.5 * last_x, self.least_end)
        self.decades = decades
        return True
