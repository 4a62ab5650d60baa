"""The theorem, measured: the construction's error against its neuron count, log–log."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from uat_explorer.core.nn.network import MAX_NEURONS
from uat_explorer.core.teaching.construct import SweepPoint, fitted_slope
from uat_explorer.plots.lines.grid import grid_under_curves
from uat_explorer.plots.log_axis import DecadeAxis
from uat_explorer.plots.theme import ThemedPlot, plot_colors, scaled_font, style_plot

MAX_ERROR = "max |error|"
TRAINED = "trained (LM, best of 3)"
PADDING = 0.06
"""Of each log range, on both sides: the end points, the marker and ε stay off the frame."""
LEGEND_GAP = 12
"""Pixels between the legend's band at the top and the highest error."""


class ErrorVsNeuronsPlot(ThemedPlot):
    """max |error| and RMSE for every N (the fitted slope in the legend), the current N
    marked, ε, and the error training reaches (diamonds, listed once there are some).

    The view is set from what it shows, never from pyqtgraph's auto range (which skipped
    the lines and left the diamonds below the frame): N = 1 … 256 across, so the N marker
    is always in view; up, every curve, diamond and ε, with a band at the top for the
    legend, so the legend never covers a point."""

    def __init__(self, parent: QWidget | None = None, line_scale: float = 1.0) -> None:
        self.line_scale = line_scale
        super().__init__(
            parent, axisItems={"left": DecadeAxis("left"), "bottom": DecadeAxis("bottom")}
        )
        self.setObjectName("errorVsNeuronsPlot")
        self.setLogMode(x=True, y=True)
        grid_under_curves(self.getPlotItem(), 0.15)
        self.setLabel("bottom", "neurons N")
        self.setLabel("left", "error over the domain")
        for name in ("left", "bottom"):
            self.getAxis(name).enableAutoSIPrefix(False)
        self.getViewBox().setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.legend = self.addLegend(offset=(8, 4), colCount=3)
        self.max_curve = self.plot(name=MAX_ERROR)
        self.rmse_curve = self.plot(name="RMSE")
        self.marker = pg.InfiniteLine(angle=90, movable=False)
        self.addItem(self.marker)
        self.trained = pg.ScatterPlotItem(symbol="d")
        self.addItem(self.trained)  # no name: the legend lists it once there are points
        self.trained.setVisible(False)
        self.epsilon_line = pg.InfiniteLine(angle=0, movable=False)
        self.epsilon_line.setVisible(False)
        self.addItem(self.epsilon_line)
        self.marker_text = pg.TextItem(anchor=(0, 1))
        self.epsilon_text = pg.TextItem(anchor=(1, 1))
        for label in (self.marker_text, self.epsilon_text):
            label.setVisible(False)
            self.addItem(label, ignoreBounds=True)
        self.points: list[SweepPoint] = []
        self.slope_text = ""
        self.epsilon: float | None = None
        self.themed = True
        self.apply_theme()
        # A new size needs a new band for the legend; set after the resize, not inside it.
        self.getViewBox().sigResized.connect(lambda *_: QTimer.singleShot(0, self.fit_view))
        self.fit_view()

    def show_sweep(self, points: list[SweepPoint], current: int | None = None) -> None:
        self.points = points
        n = np.array([p.neurons for p in points], dtype=float)
        worst = np.array([p.max_abs_error for p in points])
        rmse = np.array([p.rmse for p in points])
        keep = (worst > 0) & np.isfinite(worst)
        self.max_curve.setData(n[keep], worst[keep])
        keep = (rmse > 0) & np.isfinite(rmse)
        self.rmse_curve.setData(n[keep], rmse[keep])
        slope = fitted_slope(points)
        self.slope_text = (
            f"max error ∝ N^{slope:.1f}".replace("-", "−") if math.isfinite(slope) else ""
        )
        label = self.legend.getLabel(self.max_curve)
        if label is not None:
            label.setText(
                MAX_ERROR + (f" ∝ N^{slope:.1f}".replace("-", "−") if self.slope_text else "")
            )
        self.show_current(current)
        self.fit_view()

    def show_training(self, results: list[tuple[int, float]]) -> None:
        """The error training reaches with N neurons, beside the construction's."""
        kept = [(n, e) for n, e in results if e > 0 and math.isfinite(e)]
        self.trained.setVisible(bool(kept))
        listed = self.legend.getLabel(self.trained) is not None
        if kept and not listed:
            self.legend.addItem(self.trained, TRAINED)
        elif not kept and listed:
            self.legend.removeItem(self.trained)
        self.trained.setData([math.log10(n) for n, _ in kept], [math.log10(e) for _, e in kept])
        self.apply_theme()  # a new legend row takes the current size and colours
        self.fit_view()

    def legend_names(self) -> list[str]:
        return [label.text for _, label in self.legend.items]

    def show_current(self, current: int | None) -> None:
        shown = current is not None and current > 0
        self.marker.setVisible(shown)
        self.marker_text.setVisible(shown)
        if current:
            self.marker.setValue(math.log10(current))
            self.marker_text.setText(f"N = {current}")
            self._place_labels()

    def show_epsilon(self, epsilon: float | None) -> None:
        self.epsilon = epsilon if epsilon is not None and epsilon > 0 else None
        self.epsilon_line.setVisible(self.epsilon is not None)
        self.epsilon_text.setVisible(self.epsilon is not None)
        if self.epsilon is not None:
            self.epsilon_line.setValue(math.log10(self.epsilon))
            self.epsilon_text.setText(f"ε = {self.epsilon:g}")
        self.fit_view()

    def errors_shown(self) -> list[float]:
        """Every error the view must hold: the curves, the diamonds and ε (all > 0)."""
        values = [v for p in self.points for v in (p.max_abs_error, p.rmse)]
        if self.trained.isVisible():
            values += [10 ** float(y) for y in self.trained.getData()[1]]
        if self.epsilon is not None:
            values.append(self.epsilon)
        return [v for v in values if v > 0 and math.isfinite(v)]

    def fit_view(self) -> None:
        """N = 1 … 256 across; up, every error shown (a decade around them when they are
        few) and, above them, a band as tall as the legend."""
        values = self.errors_shown()
        low, high = (math.log10(min(values)), math.log10(max(values))) if values else (-3.0, 0.0)
        if high - low < 1:
            middle = (high + low) / 2
            low, high = middle - 0.5, middle + 0.5
        span_x, span_y = math.log10(MAX_NEURONS), high - low
        bottom, top = low - PADDING * span_y, high + PADDING * span_y
        self._fit_legend()
        pixels = self.getViewBox().height()
        band = self.legend.boundingRect().height() + LEGEND_GAP * self.text_scale
        if pixels > 0:
            share = min(band / pixels, 0.6)  # of the height, the legend's band
            top += (top - bottom) * share / (1 - share)
        self.setRange(
            xRange=(-PADDING * span_x, span_x * (1 + PADDING)), yRange=(bottom, top), padding=0
        )
        self._place_labels()

    def _fit_legend(self) -> None:
        """As many columns as the view's width holds (3 at most): one row when it can."""
        width = self.getViewBox().width()
        for columns in (3, 2, 1):
            if self.legend.columnCount != columns:
                self.legend.setColumnCount(columns)
            if columns == 1 or self.legend.boundingRect().width() <= width - 16:
                return

    def _place_labels(self) -> None:
        """ "N = …" beside the marker at the bottom, "ε = …" on its line at the right."""
        x_range, y_range = self.getViewBox().viewRange()
        self.marker_text.setPos(self.marker.value(), y_range[0])
        if self.epsilon is not None:
            self.epsilon_text.setPos(x_range[1], math.log10(self.epsilon))

    def apply_theme(self) -> None:
        colors = plot_colors(self.palette())
        style_plot(self, colors)
        scale = self.line_scale
        self.max_curve.setPen(pg.mkPen(colors.output, width=2.2 * scale))
        self.rmse_curve.setPen(
            pg.mkPen(colors.target, width=1.6 * scale, style=Qt.PenStyle.DashLine)
        )
        self.marker.setPen(pg.mkPen(colors.diverged, width=1.4 * scale))
        self.epsilon_line.setPen(
            pg.mkPen(colors.foreground, width=1.2 * scale, style=Qt.PenStyle.DotLine)
        )
        font = scaled_font(self.text_scale)
        for label, color in (
            (self.marker_text, colors.diverged),
            (self.epsilon_text, colors.foreground),
        ):
            label.setColor(color)
            label.setFont(font)
        self.trained.setSize(10 * scale)
        self.trained.setPen(pg.mkPen(colors.foreground, width=1 * scale))
        self.trained.setBrush(pg.mkBrush(colors.diverged))
        self.legend.setBrush(pg.mkBrush(colors.background))  # opaque over the grid
