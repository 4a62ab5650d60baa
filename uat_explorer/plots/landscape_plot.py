"""The loss landscape: a heat map with contours over two parameters, or the loss along
one, with where the weights are, where the next step goes, and the path of training."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from uat_explorer.plots.contours import contour_segments
from uat_explorer.plots.theme import ThemedPlot, plot_colors, scaled_font

CONTOURS = 9
COLORMAP = "viridis"
DIVERGED_ON_MAP = "#ff3df2"
"""Magenta: seen on every colour of viridis (the path of training is red)."""
MAX_DOTS = 150
"""A path of more points is a line: dots at every step would make it a thick rope."""
MIN_ARROW = 18
"""Pixels: a shorter step is drawn this long (dashed), so its direction shows."""
FLOOR = 1e-12
"""log₁₀ of a loss below this is drawn as this: a perfect fit has loss 0."""


class PickableImage(pg.ImageItem):
    """An image that hands left clicks and drags to ``picked(x, y, phase)`` in data
    coordinates (phase "click", "start", "move" or "finish"); other buttons pan and zoom."""

    def __init__(self, picked: Callable[[float, float, str], None]) -> None:
        super().__init__(axisOrder="row-major")
        self.picked = picked

    def _emit(self, position: QPointF, phase: str) -> None:
        point = self.mapToParent(position)
        self.picked(point.x(), point.y(), phase)

    def mouseClickEvent(self, ev: Any) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        self._emit(ev.pos(), "click")

    def mouseDragEvent(self, ev: Any) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        ev.accept()
        phase = "start" if ev.isStart() else "finish" if ev.isFinish() else "move"
        self._emit(ev.pos(), phase)


def log_loss(grid: np.ndarray) -> np.ndarray:
    """log₁₀ L for colours: the loss spans decades, and the valley floor is what matters."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        values: np.ndarray = np.log10(np.maximum(grid, FLOOR))
    finite = np.isfinite(values)
    values[~finite] = values[finite].max() if finite.any() else 0.0  # overflowed: the top
    return values


class LandscapePlot(ThemedPlot):
    """``show_surface`` / ``show_curve`` draw; ``set_point``, ``set_path`` mark. The
    picker (two-parameter mode) is called with data coordinates and a phase."""

    def __init__(
        self,
        parent: QWidget | None = None,
        picked: Callable[[float, float, str], None] | None = None,
        line_scale: float = 1.0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("landscapePlot")
        self.line_scale = line_scale
        self.showGrid(x=True, y=True, alpha=0.12)
        self.setMinimumHeight(160)
        self.image = PickableImage(picked or (lambda x, y, phase: None))
        self.image.setZValue(0)
        self.addItem(self.image)
        self.colormap = pg.colormap.get(COLORMAP)
        self.image.setColorMap(self.colormap)
        self.bar = pg.ColorBarItem(
            colorMap=self.colormap, interactive=False, label="log₁₀ L", width=14
        )
        self.bar.setImageItem(self.image, insert_in=self.getPlotItem())
        self.contours = pg.PlotDataItem(connect="pairs", antialias=True)
        self.contours.setZValue(1)
        self.addItem(self.contours)
        self.curve = self.plot(antialias=True)
        self.tangent = self.plot(antialias=True)
        self.path = self.plot(antialias=True, symbol="o", symbolSize=4)
        # A run that blew up keeps its path, dashed, with a cross where it was rolled back
        # from: a too-large learning rate is seen leaving the valley.
        self.diverged_path = self.plot(antialias=True)
        self.diverged_end = pg.ScatterPlotItem(size=13 * line_scale, symbol="x")
        self.diverged_end.setZValue(9)
        self.addItem(self.diverged_end)
        self.step_line = self.plot(antialias=True)
        self.arrow = pg.ArrowItem(headLen=12 * line_scale, tailLen=0, brush="w")
        self.addItem(self.arrow)
        self.point = pg.ScatterPlotItem(size=11 * line_scale, symbol="o")
        self.next_point = pg.ScatterPlotItem(size=10 * line_scale, symbol="x")
        for item in (self.point, self.next_point):
            item.setZValue(10)
            self.addItem(item)
        self.mode = 2
        self.themed = True
        self.apply_theme()

    def set_scale(self, text: float, pixels: float = 1.0) -> None:
        """The colour bar's numbers and label grow with the map's axes (the bar is an
        item of its own, which the plot's axes do not reach)."""
        super().set_scale(text, pixels)
        font = scaled_font(text)
        self.bar.axis.setStyle(tickFont=font, tickTextOffset=int(3 * text))
        self.bar.axis.label.setFont(font)

    def apply_theme(self) -> None:
        super().apply_theme()
        colors = plot_colors(self.palette())
        scale = self.line_scale
        self.curve.setPen(pg.mkPen(colors.output, width=2 * scale))
        self.tangent.setPen(pg.mkPen(colors.stroke, width=1.5 * scale, style=Qt.PenStyle.DashLine))
        path_color = colors.diverged if self.mode == 2 else colors.stroke
        self.path.setPen(pg.mkPen(path_color, width=1.5 * scale))
        self.path.setSymbolBrush(path_color)
        self.path.setSymbolPen(None)
        gone = QColor(DIVERGED_ON_MAP) if self.mode == 2 else colors.diverged
        dash = Qt.PenStyle.DashLine
        self.diverged_path.setPen(pg.mkPen(gone, width=1.8 * scale, style=dash))
        self.diverged_end.setPen(pg.mkPen(gone, width=2.5 * scale))
        self.diverged_end.setBrush(pg.mkBrush(gone))
        step_color = "w" if self.mode == 2 else colors.foreground
        self.step_line.setPen(pg.mkPen(step_color, width=2 * scale))
        self.arrow.setBrush(pg.mkBrush(step_color))
        self.arrow.setPen(pg.mkPen(step_color))
        self.point.setBrush(pg.mkBrush(colors.diverged))
        self.point.setPen(pg.mkPen(step_color, width=1.5))
        self.next_point.setPen(pg.mkPen(step_color, width=2.5 * scale))
        self.next_point.setBrush(pg.mkBrush(step_color))
        self.contours.setPen(pg.mkPen(255, 255, 255, 110, width=1 * scale))

    def set_mode(self, dimensions: int, names: list[str]) -> None:
        """2: heat map over names[0] (across) and names[1] (up); 1: loss along names[0]."""
        self.mode = dimensions
        two = dimensions == 2
        self.image.setVisible(two)
        self.contours.setVisible(two)
        self.bar.setVisible(two)
        self.curve.setVisible(not two)
        self.tangent.setVisible(not two)
        self.arrow.setVisible(two)
        self.setLabel("bottom", names[0])
        self.setLabel("left", names[1] if two else "loss L")
        self.apply_theme()

    def show_surface(self, xs: np.ndarray, ys: np.ndarray, grid: np.ndarray) -> None:
        """The loss on the grid (rows along ys), each value centred on its grid point."""
        levels = log_loss(grid)
        low, high = float(levels.min()), float(levels.max())
        if high - low < 1e-9:
            high = low + 1e-9  # a flat landscape (a muted neuron): one colour, no contours
        self.image.setImage(levels, autoLevels=False, levels=(low, high))
        self.bar.setLevels((low, high))
        dx = (xs[-1] - xs[0]) / max(1, xs.size - 1)
        dy = (ys[-1] - ys[0]) / max(1, ys.size - 1)
        self.image.setRect(QRectF(xs[0] - dx / 2, ys[0] - dy / 2, dx * xs.size, dy * ys.size))
        flat = high - low <= 1e-9
        self.contours.setVisible(not flat)
        if flat:
            self.contours.setData([], [])
            return
        pieces = [
            contour_segments(xs, ys, levels, low + (high - low) * (k + 1) / (CONTOURS + 1))
            for k in range(CONTOURS)
        ]
        self.contours.setData(
            np.concatenate([x for x, _ in pieces]), np.concatenate([y for _, y in pieces])
        )

    def show_curve(self, xs: np.ndarray, losses: np.ndarray) -> None:
        finite = np.isfinite(losses)
        self.curve.setData(xs[finite], losses[finite])

    def set_point(
        self, point: tuple[float, ...], following: tuple[float, ...], slope: float | None = None
    ) -> None:
        """The current point and where one step of −lr·∇ goes (an arrow over the map; on
        the curve, the tangent with slope ∂L/∂p and the point landed on)."""
        if not all(math.isfinite(v) for v in (*point, *following)):
            return
        self.point.setData([point[0]], [point[1]])
        self.next_point.setData([following[0]], [following[1]])
        self.step_line.setData([point[0], following[0]], [point[1], following[1]])
        if self.mode == 2:
            self.next_point.setData([], [])
            self._aim_arrow(point, following)
        if slope is not None and math.isfinite(slope):
            span = self.viewRange()[0]
            half = (span[1] - span[0]) / 6
            px = np.array([point[0] - half, point[0] + half])
            self.tangent.setData(px, point[1] + slope * (px - point[0]))

    def _aim_arrow(self, point: tuple[float, ...], following: tuple[float, ...]) -> None:
        """The step −lr·∇ as an arrow. A step shorter than MIN_ARROW pixels is drawn that
        long, dashed: the direction still shows, and the dash says it is not to scale."""
        view = self.getViewBox()
        start = view.mapViewToScene(QPointF(*point))
        end = view.mapViewToScene(QPointF(*following))
        moved = end - start
        length = math.hypot(moved.x(), moved.y())
        self.arrow.setVisible(length > 0)
        if length == 0:
            return
        short = length < MIN_ARROW * self.line_scale
        if short:
            tip = view.mapSceneToView(start + moved * (MIN_ARROW * self.line_scale / length))
            following = (tip.x(), tip.y())
            self.step_line.setData([point[0], following[0]], [point[1], following[1]])
        pen = self.step_line.opts["pen"]
        pen = pg.mkPen(
            pen.color(),
            width=pen.widthF(),
            style=Qt.PenStyle.DashLine if short else Qt.PenStyle.SolidLine,
        )
        self.step_line.setPen(pen)
        # ArrowItem's angle 0 points left; angles turn clockwise on screen (y down).
        self.arrow.setStyle(angle=math.degrees(math.atan2(-moved.y(), -moved.x())))
        self.arrow.setPos(*following)

    def set_path(self, points: np.ndarray, diverged: np.ndarray | None = None) -> None:
        """The values training (and hand steps) went through ((k, 2): across, up), oldest
        first, a dot at each while there are few; ``diverged``: a run that blew up."""
        if points.size:
            self.path.setData(points[:, 0], points[:, 1])
            dots = len(points) <= MAX_DOTS
            self.path.setSymbol("o" if dots else None)
        else:
            self.path.setData([], [])
        if diverged is not None and diverged.size:
            self.diverged_path.setData(diverged[:, 0], diverged[:, 1])
            self.diverged_end.setData([diverged[-1, 0]], [diverged[-1, 1]])
        else:
            self.diverged_path.setData([], [])
            self.diverged_end.setData([], [])
