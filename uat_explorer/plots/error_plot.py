"""The theorem, measured: the construction's error against its neuron count, log–log."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from uat_explorer.core.teaching.construct import SweepPoint, fitted_slope
from uat_explorer.plots.log_axis import DecadeAxis
from uat_explorer.plots.theme import ThemedPlot, plot_colors, style_plot


class ErrorVsNeuronsPlot(ThemedPlot):
    """max |error| and RMSE for every N, the current N marked, and the fitted slope."""

    def __init__(self, parent: QWidget | None = None, line_scale: float = 1.0) -> None:
        self.line_scale = line_scale
        super().__init__(
            parent, axisItems={"left": DecadeAxis("left"), "bottom": DecadeAxis("bottom")}
        )
        self.setObjectName("errorVsNeuronsPlot")
        self.setLogMode(x=True, y=True)
        self.showGrid(x=True, y=True, alpha=0.15)
        self.setLabel("bottom", "neurons N")
        self.setLabel("left", "error on the samples")
        for name in ("left", "bottom"):
            self.getAxis(name).enableAutoSIPrefix(False)
        self.legend = self.addLegend(offset=(-10, 10))
        self.max_curve = self.plot(name="max |error|")
        self.rmse_curve = self.plot(name="RMSE")
        self.marker = pg.InfiniteLine(angle=90, movable=False)
        self.addItem(self.marker)
        self.slope_text = pg.TextItem(anchor=(0, 0))
        self.addItem(self.slope_text, ignoreBounds=True)
        self.trained = pg.ScatterPlotItem(size=10, symbol="d", name="trained (LM, best of 3)")
        self.addItem(self.trained)  # named: the legend lists it
        self.trained.setVisible(False)
        self.epsilon_line = pg.InfiniteLine(angle=0, movable=False)
        self.epsilon_line.setVisible(False)
        self.addItem(self.epsilon_line)
        self.points: list[SweepPoint] = []
        self.themed = True
        self.apply_theme()

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
        self.slope_text.setText(
            f"max error ∝ N^{slope:.1f}".replace("-", "−") if math.isfinite(slope) else ""
        )
        self.enableAutoRange()
        self.autoRange(padding=0.05)
        low_x, _ = self.getViewBox().viewRange()[0]
        _, high_y = self.getViewBox().viewRange()[1]
        self.slope_text.setPos(low_x, high_y)
        self.show_current(current)

    def show_training(self, results: list[tuple[int, float]]) -> None:
        """The error training reaches with N neurons, beside the construction's."""
        kept = [(n, e) for n, e in results if e > 0 and math.isfinite(e)]
        self.trained.setVisible(bool(kept))
        if kept:
            self.trained.setData([math.log10(n) for n, _ in kept], [math.log10(e) for _, e in kept])

    def show_current(self, current: int | None) -> None:
        self.marker.setVisible(current is not None and current > 0)
        if current:
            self.marker.setValue(math.log10(current))

    def show_epsilon(self, epsilon: float | None) -> None:
        self.epsilon_line.setVisible(epsilon is not None and epsilon > 0)
        if epsilon:
            self.epsilon_line.setValue(math.log10(epsilon))

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
            pg.mkPen(colors.foreground, width=1 * scale, style=Qt.PenStyle.DotLine)
        )
        self.slope_text.setColor(colors.foreground)
        self.trained.setPen(pg.mkPen(colors.foreground, width=1 * scale))
        self.trained.setBrush(pg.mkBrush(colors.diverged))
