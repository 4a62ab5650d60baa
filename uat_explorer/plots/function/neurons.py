"""Every neuron's contribution in one graphics item: a line per neuron in its own pen.

One item, not one pyqtgraph curve per neuron: 32 curves cost ~6 ms a training frame in
pyqtgraph's per-item bookkeeping and repaints (bounds, paths, one paint call each), one
item painting 32 polylines ~1.7 ms (measured). Each line is a ``QPolygonF`` made once per
structure and refilled in place through a numpy view, so a frame copies numbers, not
objects.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from uat_explorer.plots.lines.view_bounds import ViewBounds

CLICK_PIXELS = 4.0
"""A click this close to a line (in screen pixels) picks its neuron."""


class NeuronCurves(ViewBounds, pg.GraphicsObject):
    """Rows of ``y`` (neurons × points) over one rising grid ``x``, each drawn with its
    pen when shown; thick rows are drawn last, over the others. In a view its bounds are
    the view's (``plots/lines/view_bounds.py``): new rows every frame move no bounds."""

    clicked = Signal(int)  # the row's index

    def __init__(self) -> None:
        super().__init__()
        self.x = np.zeros(0)
        self.y = np.zeros((0, 0))
        self._lines: list[QPolygonF] = []
        self._points: list[np.ndarray] = []  # views of the lines' (x, y)
        self._broken: dict[int, QPainterPath] = {}  # rows with values that are not finite
        self._pens: list[QPen] = []
        self._shown = np.zeros(0, dtype=bool)
        self._thick = np.zeros(0, dtype=bool)
        self._lows = self._highs = np.zeros(0)
        self._rect: QRectF | None = None

    # -- data ------------------------------------------------------------------------------
    def set_rows(self, x: np.ndarray, y: np.ndarray) -> None:
        """All rows at once: ``y`` has one row per neuron over ``x``."""
        rows, points = y.shape
        if rows != len(self._lines) or points != self.x.size or not np.array_equal(x, self.x):
            self._make_lines(x, rows)
        self.y = np.array(y, dtype=float)
        for points, row in zip(self._points, self.y, strict=True):
            points[:, 1] = row
        self._lows, self._highs = self.y.min(axis=1), self.y.max(axis=1)
        self._broken = {}
        for index in np.flatnonzero(~np.isfinite(self._lows + self._highs)).tolist():
            self._break(index)
        self._changed()

    def set_row(self, index: int, y: np.ndarray) -> None:
        self.y[index] = y
        self._points[index][:, 1] = y
        self._lows[index], self._highs[index] = y.min(), y.max()
        self._broken.pop(index, None)
        if not math.isfinite(self._lows[index] + self._highs[index]):
            self._break(index)
        self._changed()

    def _make_lines(self, x: np.ndarray, rows: int) -> None:
        self.x = np.array(x, dtype=float)
        self._lines = [pg.functions.create_qpolygonf(x.size) for _ in range(rows)]
        # Each polygon's points as a numpy view, made once: its memory stays put, as the
        # polygon is never resized (making the 128 views anew cost ~0.4 ms a frame).
        self._points = [pg.functions.ndarray_from_qpolygonf(line) for line in self._lines]
        for points in self._points:
            points[:, 0] = self.x
        if rows != len(self._pens):  # new neurons: the owner styles them
            self._pens = [QPen() for _ in range(rows)]
            self._shown = np.ones(rows, dtype=bool)
            self._thick = np.zeros(rows, dtype=bool)

    def _break(self, index: int) -> None:
        """A row with NaN or infinity is drawn in pieces, between the values that are."""
        self._broken[index] = pg.functions.arrayToQPath(self.x, self.y[index], connect="finite")
        finite = self.y[index][np.isfinite(self.y[index])]
        self._lows[index], self._highs[index] = (
            (finite.min(), finite.max()) if finite.size else (np.nan, np.nan)
        )

    # -- style -----------------------------------------------------------------------------
    def set_style(self, index: int, pen: QPen, shown: bool, thick: bool) -> None:
        self._pens[index] = pen
        self._thick[index] = thick
        if shown != self._shown[index]:
            self._shown[index] = shown
            self._changed()
        else:
            self.update()

    def pen(self, index: int) -> QPen:
        return self._pens[index]

    def shown(self, index: int) -> bool:
        """Whether row ``index`` is on screen."""
        return self.isVisible() and bool(self._shown[index])

    # -- painting --------------------------------------------------------------------------
    def _changed(self) -> None:
        if self.getViewBox() is None:
            self.prepareGeometryChange()
            self._rect = None
        self.update()

    def viewTransformChanged(self) -> None:
        self._rect = None  # the pens' width in data units changed with the zoom
        super().viewTransformChanged()

    def boundingRect(self) -> QRectF:
        """The view's rectangle; out of a view, the rows' extent padded by the pens."""
        bounds = self.view_bounds()
        if bounds is not None:
            return bounds
        if self._rect is None:
            self._rect = self._bounds()
        return self._rect

    def _bounds(self) -> QRectF:
        shown = self._shown & np.isfinite(self._lows)
        if self.x.size == 0 or not shown.any():
            return QRectF()
        low, high = float(self._lows[shown].min()), float(self._highs[shown].max())
        pad = max(pen.widthF() for pen in self._pens) / 2 + 1  # pixels
        px, py = self.pixelVectors()
        pad_x = pad * (px.length() if px is not None else 0.0)
        pad_y = pad * (py.length() if py is not None else 0.0)
        left, right = float(self.x[0]), float(self.x[-1])
        return QRectF(left - pad_x, low - pad_y, right - left + 2 * pad_x, high - low + 2 * pad_y)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        # Smooth as every other curve of the app (pyqtgraph's antialias option, on), which
        # pyqtgraph's view leaves to each item: thin lines came out jagged without it.
        painter.setRenderHint(
            QPainter.RenderHint.Antialiasing, bool(pg.getConfigOption("antialias"))
        )
        for thick in (False, True):
            for index in np.flatnonzero(self._shown & (self._thick == thick)).tolist():
                painter.setPen(self._pens[index])
                broken = self._broken.get(index)
                if broken is None:
                    painter.drawPolyline(self._lines[index])
                else:
                    painter.drawPath(broken)

    # -- clicks ----------------------------------------------------------------------------
    def mouseClickEvent(self, ev: object) -> None:
        """A left click near a shown line picks the nearest; elsewhere it passes on."""
        if ev.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        index = self.row_near(ev.scenePos())  # type: ignore[attr-defined]
        if index is not None:
            ev.accept()  # type: ignore[attr-defined]
            self.clicked.emit(index)

    def row_near(self, pos: QPointF) -> int | None:
        """The shown row whose line passes within CLICK_PIXELS of ``pos`` (scene
        coordinates: a graphics view's pixels), the nearest if several do."""
        rows = np.flatnonzero(self._shown)
        if rows.size == 0 or self.x.size < 2:
            return None
        m = self.sceneTransform()
        x, y = self.x[None, :], self.y[rows]
        points = np.stack(
            (m.m11() * x + m.m21() * y + m.dx(), m.m12() * x + m.m22() * y + m.dy()), axis=-1
        )
        q = np.array([pos.x(), pos.y()])
        start, step = points[:, :-1], np.diff(points, axis=1)
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            along = np.clip(((q - start) * step).sum(axis=-1) / (step**2).sum(axis=-1), 0, 1)
            gap = np.hypot(*np.moveaxis(start + np.nan_to_num(along)[..., None] * step - q, -1, 0))
        nearest = np.where(np.isfinite(gap), gap, np.inf).min(axis=1)
        best = int(np.argmin(nearest))
        return int(rows[best]) if nearest[best] <= CLICK_PIXELS else None
