"""Grid lines drawn opaque, under the curves.

pyqtgraph draws a plot's grid as its axes' tick lines, stretched across the view and
made faint by their alpha, above the curves. Qt's raster engine blends a translucent
line 20–30× slower than it draws an opaque one: a race plot's grid took ~40 ms to
regenerate, a stall whenever its view grew (``benchmarks/bench_gui.py``). Over a plain
background a faint line looks exactly like an opaque one of the colour it blends to, so
the axes of a plot with ``grid_under_curves`` draw that colour, behind the view's items
(a curve then crosses a grid line rather than the line crossing the curve).
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen

ORIENTATIONS = ("left", "bottom")
"""The sides a plot shows (pyqtgraph shows every side it is given an axis for)."""
SIDES = ("left", "bottom", "right", "top")
BEHIND = -101.0
"""The axes' z, under the view box's -100 (pyqtgraph puts them at 0.5, over the curves):
on screen, below zero stacks them behind their plot item; the SVG exporter, which only
sorts siblings by z, writes them before the view box too."""


class GridAxis(pg.AxisItem):
    """pyqtgraph's axis; with ``opaque`` set, its faint lines on screen in the colour they
    blend to over the view's background (when that is an opaque colour). An export keeps
    them faint: its background may be another, or none."""

    opaque = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._title = ""
        super().__init__(*args, **kwargs)
        self._pens: dict[tuple[object, ...], QPen] = {}

    def _updateLabel(self) -> None:  # pyqtgraph's own name
        """pyqtgraph's, without Qt parsing the title's HTML again when it is unchanged:
        every change of the range sets it (a hundred times while the window is built,
        8 ms of launch)."""
        title = self.labelString()
        if title != self._title:
            self._title = title
            self.label.setHtml(title)
        self._adjustSize()
        self.picture = None
        self.update()

    def generateDrawSpecs(self, p: Any) -> Any:  # pyqtgraph's own signature
        specs = super().generateDrawSpecs(p)
        exporting = bool(getattr(self, "_exportOpts", False))
        paper = self._paper() if self.opaque and specs is not None and not exporting else None
        if paper is None:
            return specs
        axis_spec, tick_specs, text_specs = specs
        return (
            axis_spec,
            [(self._blended(pen, paper), a, b) for pen, a, b in tick_specs],
            text_specs,
        )

    def setExportMode(self, export: bool, opts: dict[str, Any] | None = None) -> None:
        """Drawn again for the export and again after it: the picture cached on screen
        has the opaque lines."""
        super().setExportMode(export, opts)
        self.picture = None

    def _paper(self) -> QColor | None:
        view = self.getViewWidget()
        brush = view.backgroundBrush() if view is not None else None
        if brush is None or brush.style() != Qt.BrushStyle.SolidPattern:
            return None
        color = brush.color()
        return color if color.alpha() == 255 else None

    def _blended(self, pen: QPen, paper: QColor) -> QPen:
        color = pen.color()
        if color.alpha() == 255 or pen.brush().style() != Qt.BrushStyle.SolidPattern:
            return pen
        key = (color.rgba(), paper.rgba(), pen.widthF(), pen.style(), pen.isCosmetic())
        if key not in self._pens:
            self._pens[key] = opaque_pen(pen, paper)
        return self._pens[key]


def opaque_pen(pen: QPen, paper: QColor) -> QPen:
    """``pen`` in the opaque colour its translucent one shows over ``paper``."""
    color, a = pen.color(), pen.color().alphaF()
    opaque = QPen(pen)
    opaque.setColor(
        QColor.fromRgbF(
            a * color.redF() + (1 - a) * paper.redF(),
            a * color.greenF() + (1 - a) * paper.greenF(),
            a * color.blueF() + (1 - a) * paper.blueF(),
        )
    )
    return opaque


def grid_axes(given: dict[str, pg.AxisItem] | None) -> dict[str, pg.AxisItem]:
    """A plot's axes: those ``given``, and a GridAxis for each other side (the plot
    hides the sides ``hidden_sides`` names)."""
    given = given or {}
    return {side: GridAxis(side) for side in SIDES if side not in given} | given


def hidden_sides(given: dict[str, pg.AxisItem] | None) -> list[str]:
    """The sides pyqtgraph would not show for ``given``: all but the left, the bottom
    and those given."""
    return [side for side in SIDES if side not in ORIENTATIONS and side not in (given or {})]


def grid_under_curves(plot: pg.PlotItem, alpha: float) -> None:
    """``plot``'s grid at ``alpha``, opaque and behind its view's items."""
    plot.showGrid(x=True, y=True, alpha=alpha)
    for side in ORIENTATIONS:
        axis = plot.getAxis(side)
        if isinstance(axis, GridAxis):
            axis.opaque = True
            axis.setZValue(BEHIND)
    redraw_axes(plot)


def redraw_axes(plot: pg.PlotItem) -> None:
    """``plot``'s axes drawn again at the next paint (their picture is cached)."""
    for side in ORIENTATIONS:
        axis = plot.getAxis(side)
        axis.picture = None
        axis.update()
