"""Wide antialiased lines drawn as a few one-pixel strokes.

Qt's raster engine strokes a wide antialiased path with its general stroker at ~1.8 µs a
vertex: 1.8 ms a frame for the 1001-point output curve, ~20 ms for one noisy loss curve of
a race (140 ms a frame for four). Its one-pixel cosmetic stroker draws the same path in
~0.06 ms. A line ``w`` pixels wide is the one-pixel line swept over a disc of diameter
``w - 1``; drawn at the points of a grid under a pixel apart that cover that disc, it
fills the same pixels, and a dozen such strokes cost what one wide one does at best
(measured: ``benchmarks/bench_gui.py``, the race and training frames).

Exports (pyqtgraph's PNG, SVG and PDF exporters) draw the true wide pen.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from uat_explorer.plots.lines.envelope import steep_and_flat
from uat_explorer.plots.lines.simplify import kept_points

Offsets = tuple[tuple[float, float], ...]
"""Device-pixel shifts of the one-pixel strokes that make one wide line."""
MAX_STROKES = 16
"""Wider lines than this many strokes can sweep (about 4 px) take Qt's wide stroker."""


@functools.lru_cache(maxsize=64)
def sweep_offsets(width: float) -> Offsets:
    """Device-pixel offsets of the one-pixel strokes that draw a line ``width`` wide: a
    square grid over [-r, r]² (r = (width - 1) / 2) with neighbours at most a pixel
    apart, keeping the points within half a pixel of the disc of radius r. Empty for a
    line one pixel wide or less, or one that would take more than MAX_STROKES."""
    radius, ticks = _ticks(width)
    if not ticks:
        return ()
    offsets = tuple((dx, dy) for dx in ticks for dy in ticks if math.hypot(dx, dy) <= radius + 0.5)
    return offsets if len(offsets) <= MAX_STROKES else ()


def axis_offsets(width: float) -> tuple[Offsets, Offsets]:
    """The offsets of a line ``width`` wide swept along one axis (``lines/envelope.py``):
    across, for steep segments, and up and down, for flat ones."""
    _, ticks = _ticks(width)
    if not ticks:
        return ((0.0, 0.0),), ((0.0, 0.0),)
    return tuple((t, 0.0) for t in ticks), tuple((0.0, t) for t in ticks)


def _ticks(width: float) -> tuple[float, list[float]]:
    """r = (width - 1) / 2, and the points over [-r, r] at most a pixel apart (none for a
    line a pixel wide or less)."""
    radius = (width - 1) / 2
    if radius <= 0:
        return radius, []
    count = math.ceil(2 * radius) + 1
    return radius, [-radius + 2 * radius * k / (count - 1) for k in range(count)]


def swept_pen(pen: QPen | None) -> tuple[QPen, Offsets] | None:
    """The one-pixel pen and its offsets that draw ``pen``'s line, or None where the
    sweep would not look the same: a dashed, patterned or see-through pen (overlapping
    strokes would show), one sized in data units, or a thin one."""
    if (
        pen is None
        or pen.style() != Qt.PenStyle.SolidLine
        or not pen.isSolid()
        or not pen.isCosmetic()
        or pen.color().alphaF() < 1.0
    ):
        return None
    offsets = sweep_offsets(round(pen.widthF(), 3))
    if not offsets:
        return None
    thin = QPen(pen)
    thin.setWidthF(1.0)
    return thin, offsets


def draw_swept(painter: QPainter, thin: QPen, offsets: Offsets, path: QPainterPath) -> None:
    """``path`` in the one-pixel pen once per offset, shifted in device pixels."""
    base = painter.transform()
    painter.setPen(thin)
    for dx, dy in offsets:
        painter.setTransform(base * QTransform.fromTranslate(dx, dy))
        painter.drawPath(path)
    painter.setTransform(base)


class SweptCurve(pg.PlotCurveItem):
    """A PlotCurveItem whose wide solid antialiased line is swept (see the module); with
    ``envelope`` set (its points a peak-thinned envelope), swept along one axis per
    segment (``lines/envelope.py``)."""

    envelope = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._screen: tuple[tuple[float, ...], QPainterPath] | None = None
        self._oriented: tuple[tuple[float, ...], tuple[QPainterPath, QPainterPath]] | None = None
        super().__init__(*args, **kwargs)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        swept = None if self._plain() else swept_pen(self.opts["pen"])
        if swept is None:
            super().paint(painter, option, widget)
            return
        if self.xData is None or len(self.xData) == 0:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        transform = painter.transform()
        if self.envelope and self._plain_path(transform, rising=False):
            thin, _ = swept
            across, up_down = axis_offsets(self.opts["pen"].widthF())
            steep, flat = self._oriented_paths(transform)
            draw_swept(painter, thin, across, steep)
            draw_swept(painter, thin, up_down, flat)
            return
        draw_swept(painter, *swept, self._screen_path(transform))

    def updateData(self, *args: Any, **kwargs: Any) -> None:
        self._screen = self._oriented = None
        super().updateData(*args, **kwargs)

    def _oriented_paths(self, transform: QTransform) -> tuple[QPainterPath, QPainterPath]:
        key = (transform.m11(), transform.m22())
        if self._oriented is None or self._oriented[0] != key:
            paths = steep_and_flat(self.xData, self.yData, transform.m11(), transform.m22())
            self._oriented = (key, paths)
        return self._oriented[1]

    def _screen_path(self, transform: QTransform) -> QPainterPath:
        """The path without the points the screen cannot show (``lines/simplify.py``),
        made again for new data or a new scale; the full path where leaving points out
        is not plain (gaps in the line, steps, a line that turns back, a turned view)."""
        key = (transform.m11(), transform.m12(), transform.m21(), transform.m22())
        cached = self._screen
        if cached is not None and cached[0] == key:
            return cached[1]
        x, y = self.xData, self.yData
        if not self._plain_path(transform):
            full: QPainterPath = self.getPath()
            return full
        kept = kept_points(x * transform.m11(), y * transform.m22())
        path: QPainterPath = pg.arrayToQPath(x[kept], y[kept], connect="all")
        self._screen = (key, path)
        return path

    def _plain_path(self, transform: QTransform, rising: bool = True) -> bool:
        """One line through every finite point (``rising``: left to right), in an
        unturned view."""
        return bool(
            isinstance(self.opts["connect"], str)  # not an array of which points join
            and self.opts["connect"] in ("all", "finite")
            and self.opts["stepMode"] is None
            and transform.m12() == transform.m21() == 0.0
            and transform.m11() > 0
            and np.isfinite(self.yData).all()
            and (not rising or np.all(np.diff(self.xData) > 0))
        )

    def _plain(self) -> bool:
        """Exports, fills, shadows and aliased lines take pyqtgraph's own painting."""
        return (
            self._exportOpts is not False
            or not self.opts["antialias"]
            or self.opts["fillLevel"] is not None
            or self.opts["shadowPen"] is not None
        )


class SweptLine(pg.PlotDataItem):
    """A PlotDataItem (what ``PlotItem.plot`` makes) whose line is a SweptCurve."""

    curve: pg.PlotCurveItem

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain = self.curve
        plain.sigClicked.disconnect(self.sigClicked)
        plain.setParentItem(None)
        swept = SweptCurve()
        swept.setParentItem(self)
        swept.stackBefore(self.scatter)
        swept.sigClicked.connect(self.sigClicked)
        self.curve = swept
        self.updateItems(styleUpdate=True)
