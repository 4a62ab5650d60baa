"""The race's loss curves on one log scale: which learning rate crawls, which bounces,
which blows up (a cross where it diverged), and the target loss as a dashed line."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsItem, QWidget

from uat_explorer.core.teaching.race import RaceRun
from uat_explorer.plots.lines.grid import grid_under_curves
from uat_explorer.plots.lines.thinning import peak_thinned
from uat_explorer.plots.log_axis import DecadeAxis, GrowingRange
from uat_explorer.plots.loss_plot import LARGEST, SMALLEST
from uat_explorer.plots.theme import ThemedPlot, neuron_color, plot_colors


def run_color(index: int, plot: pg.PlotWidget) -> QColor:
    """The k-th run's colour: the neuron palette, shaded for this background."""
    return neuron_color(index, plot_colors(plot.palette()).background)


class RaceLossPlot(ThemedPlot):
    def __init__(self, parent: QWidget | None = None, line_scale: float = 1.0) -> None:
        super().__init__(parent, axisItems={"left": DecadeAxis("left")})
        self.setObjectName("compareLossPlot")
        self.line_scale = line_scale
        self.setLogMode(x=False, y=True)
        grid_under_curves(self.getPlotItem(), 0.15)
        self.setLabel("bottom", "step")
        self.setLabel("left", "loss")
        self.getAxis("left").enableAutoSIPrefix(False)
        self.addLegend(offset=(-10, 10))
        for name in ("bottom", "left"):  # a grid regenerated costs ~10 ms: see GrowingRange
            self.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.growth = GrowingRange()
        self.curves: list[pg.PlotDataItem] = []
        self.crosses = pg.ScatterPlotItem(symbol="x")
        self.crosses.setZValue(5)
        self.addItem(self.crosses)
        self.target = pg.InfiniteLine(angle=0, movable=False)
        self.addItem(self.target)
        self.runs: list[RaceRun] = []
        self._series: list[tuple[np.ndarray, np.ndarray]] = []  # each run's (step, loss)
        self.getViewBox().sigRangeChangedManually.connect(self._draw_curves)
        self.getViewBox().sigResized.connect(self._draw_curves)
        self.themed = True
        self.apply_theme()

    def show_runs(self, runs: list[RaceRun], growing: bool = False) -> None:
        """The runs' curves in a view that ends at the data, or (``growing``: while the
        race goes on) one that grows in jumps, so the axes repaint from their pixmap."""
        if len(runs) != len(self.curves) or [r.label for r in runs] != [r.label for r in self.runs]:
            self._rebuild(runs)
        if runs is not self.runs or not growing:
            self.growth.reset()
        self.runs = runs
        spots = []
        low, high, last_step, kept = math.inf, -math.inf, 10, -math.inf
        arrays = [run.history.arrays() for run in runs]
        for run, (steps, losses) in zip(runs, arrays, strict=True):
            if steps.size:
                low = min(low, float(np.log10(np.clip(losses.min(), SMALLEST, LARGEST))))
                high = max(high, float(np.log10(np.clip(losses[0], SMALLEST, LARGEST))))
                last_step = max(last_step, int(steps[-1]))
                if run.diverged_step is None:
                    kept = max(kept, float(np.log10(np.clip(losses.max(), SMALLEST, LARGEST))))
        # Up to 1000 × the starting loss: a run that blows up leaves through the top
        # (a cross marks where) instead of squashing the others into a line; one that
        # rose that far without diverging (from weights already trained) stays in view.
        top = max(high + 3, kept)
        self._series = [(steps, np.clip(losses, SMALLEST, LARGEST)) for steps, losses in arrays]
        for k, (run, (steps, losses)) in enumerate(zip(runs, arrays, strict=True)):
            if run.diverged_step is not None and steps.size:
                last = min(float(np.log10(np.clip(losses[-1], SMALLEST, LARGEST))), top)
                spots.append({"pos": (steps[-1], last), "pen": self._pen(k, 2.5)})
        self.crosses.setData(spots)
        if runs:
            level = runs[0].target_loss
            self.target.setValue(math.log10(level))
            low = min(low, math.log10(level))
        if math.isfinite(low) and math.isfinite(high):
            if not growing:
                self.setRange(
                    xRange=(0, last_step), yRange=(math.floor(low), math.ceil(top)), padding=0.02
                )
            elif self.growth.grow(last_step, low, top):
                assert self.growth.decades is not None
                self.setRange(
                    xRange=(0, self.growth.x_end), yRange=self.growth.decades, padding=0.02
                )
        self._draw_curves()

    def _draw_curves(self, *_args: object) -> None:
        """Each run's loss thinned to what the plot shows of the x range in view (again
        whenever the view is moved by hand)."""
        box = self.getViewBox()
        view, pixels = box.viewRange()[0], round(box.width())
        for curve, series in zip(self.curves, self._series, strict=True):
            x, y = peak_thinned(*series, view, pixels)
            curve.curve.envelope = x.size < series[0].size  # thinned: an envelope
            curve.setData(x, y)

    def _rebuild(self, runs: list[RaceRun]) -> None:
        for curve in self.curves:
            self.removeItem(curve)
        self.curves = []
        for k, run in enumerate(runs):
            curve = self.plot(name=run.label, pen=self._pen(k, 2), antialias=True)
            self.curves.append(curve)

    def _pen(self, index: int, width: float) -> QPen:
        pen: QPen = pg.mkPen(run_color(index, self), width=width * self.line_scale)
        return pen

    def apply_theme(self) -> None:
        super().apply_theme()
        colors = plot_colors(self.palette())
        dash = Qt.PenStyle.DashLine
        self.target.setPen(pg.mkPen(colors.target, width=1.2 * self.line_scale, style=dash))
        for k, curve in enumerate(self.curves):
            curve.setPen(self._pen(k, 2))
        self.crosses.setSize(14 * self.line_scale)
        legend = self.getPlotItem().legend
        if legend is not None:
            legend.setBrush(pg.mkBrush(colors.background))  # opaque over the curves


class RunFitPlot(ThemedPlot):
    """One run's network against the target: what its loss means as a curve."""

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"compareFunctionPlot{index}")
        self.index = index
        self.setMinimumSize(140, 110)
        self.hideAxis("left")
        self.getPlotItem().setMenuEnabled(False)
        self.target = self.plot(antialias=True)
        self.fit = self.plot(antialias=True)
        self.themed = True
        self.apply_theme()

    def show_fit(self, x: np.ndarray, t: np.ndarray, y: np.ndarray | None, title: str) -> None:
        self.setTitle(title, size=f"{8 * self.text_scale:.1f}pt")
        self.target.setData(x, t)
        if y is None:
            self.fit.setData([], [])
        else:
            self.fit.setData(x, np.clip(y, -LARGEST, LARGEST))
        low, high = float(np.min(t)), float(np.max(t))
        pad = 0.25 * (high - low or 1.0)
        self.setYRange(low - pad, high + pad, padding=0)
        self.setXRange(float(x[0]), float(x[-1]), padding=0.02)

    def apply_theme(self) -> None:
        super().apply_theme()
        colors = plot_colors(self.palette())
        scale = self.line_scale
        self.target.setPen(pg.mkPen(colors.target, width=scale, style=Qt.PenStyle.DotLine))
        self.fit.setPen(pg.mkPen(run_color(self.index, self), width=2 * scale))
