"""A classifier drawn over x: each class's probability, the labelled points, the
decision regions (where each class is the most probable) and the points it gets wrong.

Items are made once per class count and updated with ``setData``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QWidget

from uat_explorer.core.nn.classifier import ClassNetwork, accuracy, cross_entropy
from uat_explorer.core.targets.classes import CLASS_PRESETS, MAX_CLASSES, ClassTarget
from uat_explorer.plots.classes.logit_shares import LogitShares
from uat_explorer.plots.lines.wide import SweptLine
from uat_explorer.plots.theme import ThemedPlot, plot_colors, readable, style_plot

CLASS_HUES = ["#332288", "#CC6677", "#117733", "#AA4499", "#999933", "#DDCC77"]
"""Paul Tol's indigo, rose, green, purple, olive and sand: one per class, none of them
a neuron's hue (Okabe & Ito's eight and Tol's wine and teal)."""
CURVE_POINTS = 1001
REGION_ALPHA = 38


def class_color(k: int, background: QColor) -> QColor:
    """Class k's colour, made readable on ``background``."""
    return readable(CLASS_HUES[k % MAX_CLASSES], background)


class ClassPlot(ThemedPlot):
    """p(class | x) curves (two classes: p of the second), points at their label's level
    (two classes: 0 or 1; more: 1, where their own curve should be), decision regions
    shaded, misclassified points ringed; where the classes come from known probabilities
    (a preset that overlaps), the true p dashed. A click says where, the window decides
    what it does (follow, add or remove a point)."""

    clicked = Signal(float, bool)
    """The x clicked, and whether Shift was held."""

    def __init__(self, parent: QWidget | None = None, line_scale: float = 1.0) -> None:
        super().__init__(parent)
        self.line_scale = line_scale
        self.setLabel("bottom", "x")
        self.setLabel("left", "probability")
        self.addLegend(offset=(-10, 30))
        self.regions: list[pg.PlotDataItem] = []
        self.curves: list[pg.PlotDataItem] = []
        self.points: list[pg.ScatterPlotItem] = []
        self.wrong = pg.ScatterPlotItem()
        self.caption = pg.TextItem(anchor=(1, 1))
        self.truth = pg.PlotDataItem()
        self.chosen = pg.ScatterPlotItem()
        self.names: tuple[str, ...] = ()
        self.shares = LogitShares(self)
        self.scene().sigMouseClicked.connect(self._clicked)

    def _clicked(self, event: object) -> None:
        position = event.scenePos()  # type: ignore[attr-defined]
        if not self.names or not self.getViewBox().sceneBoundingRect().contains(position):
            return
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)  # type: ignore[attr-defined]
        self.clicked.emit(self.getViewBox().mapSceneToView(position).x(), shift)

    def _build(self, names: tuple[str, ...]) -> None:
        """One region, curve and point set per class (again only if the classes change)."""
        old = [*self.regions, *self.curves, *self.points, self.wrong, self.caption]
        for item in [*old, self.truth, self.chosen]:
            self.removeItem(item)
        legend = self.getPlotItem().legend
        legend.clear()
        background = plot_colors(self.palette()).background
        width = 2.5 * self.line_scale
        self.regions, self.curves, self.points = [], [], []
        drawn = names[1:] if len(names) == 2 else names
        for k, name in enumerate(names):
            color = class_color(k, background)
            fill = QColor(color)
            fill.setAlpha(REGION_ALPHA)
            region = pg.PlotDataItem(pen=None, fillLevel=0.0, brush=fill)
            self.addItem(region)
            self.regions.append(region)
            if name in drawn:
                curve = SweptLine(pen=pg.mkPen(color, width=width), name=f"p({name})")
                self.addItem(curve)
                self.curves.append(curve)
            points = pg.ScatterPlotItem(size=6 * self.line_scale, brush=color, pen=None)
            self.addItem(points)
            legend.addItem(points, f"class {name}")
            self.points.append(points)
        foreground = plot_colors(self.palette()).foreground
        # Translucent, so a crowd of wrong points (a random start) reads grey, not a black bar.
        faint = pg.mkColor(foreground)
        faint.setAlpha(150)
        self.wrong = self._marker("o", 11, pg.mkPen(faint, width=1.2 * self.line_scale))
        legend.addItem(self.wrong, "misclassified")
        self.truth = pg.PlotDataItem(
            pen=pg.mkPen(foreground, width=1.5 * self.line_scale, style=Qt.PenStyle.DashLine)
        )
        self.addItem(self.truth)
        self.chosen = self._marker("s", 16, pg.mkPen(foreground, width=2.5 * self.line_scale))
        self.caption = pg.TextItem(color=foreground, anchor=(0, 0))
        self.addItem(self.caption)
        self.names = names
        style_plot(self, plot_colors(self.palette()))

    def _marker(self, symbol: str, size: float, pen: QPen) -> pg.ScatterPlotItem:
        """A hollow marker drawn over points: the wrong ones, the chosen one."""
        marker = pg.ScatterPlotItem(size=size * self.line_scale, symbol=symbol, brush=None, pen=pen)
        self.addItem(marker)
        return marker

    def show_fit(
        self, network: ClassNetwork, target: ClassTarget, domain: tuple[float, float]
    ) -> None:
        """Draw ``network``'s probabilities and ``target``'s points inside ``domain``."""
        if target.names != self.names:
            self._build(target.names)
        self._show_truth(target, domain)
        grid = np.linspace(*domain, CURVE_POINTS)
        p = network.probabilities(grid)
        winner = p.argmax(axis=1)
        two = len(self.names) == 2
        for k, region in enumerate(self.regions):
            region.setData(grid, np.where(winner == k, 1.0, 0.0))
        for curve, k in zip(self.curves, range(1 if two else 0, len(self.names)), strict=True):
            curve.setData(grid, p[:, k])
        x, labels = target.samples(domain)
        for k, points in enumerate(self.points):
            own = x[labels == k]
            level = float(k) if two else 1.0
            points.setData(own, np.full(own.size, level))
        at_points = network.probabilities(x)
        missed = at_points.argmax(axis=1) != labels
        levels = labels.astype(float) if two else np.ones(x.size)
        self.wrong.setData(x[missed], levels[missed])
        self.caption.setText(
            f"accuracy {accuracy(at_points, labels):.3f}   cross-entropy"
            f" {cross_entropy(network.logits(x), labels):.4g}"
        )
        self.caption.setPos(domain[0], 1.14)
        self.setXRange(*domain, padding=0.02)
        self.setYRange(-0.08, 1.15, padding=0)

    def _show_truth(self, target: ClassTarget, domain: tuple[float, float]) -> None:
        """The preset's true p of the first class drawn (the second of two), dashed,
        when the labels were drawn from it."""
        preset = CLASS_PRESETS.get(target.name)
        legend = self.getPlotItem().legend
        legend.removeItem(self.truth)
        if preset is None or preset.probability is None or preset.names != target.names:
            self.truth.setData([], [])
            return
        grid = np.linspace(*domain, CURVE_POINTS)
        k = 1 if len(self.names) == 2 else 0
        self.truth.setData(grid, preset.probability(grid)[:, k])
        legend.addItem(self.truth, f"true p({self.names[k]})")

    def mark_sample(self, x: float, level: float) -> None:
        """Square the chosen point (the one whose probabilities are followed)."""
        self.chosen.setData([x], [level])


class SampleHistoryPlot(ThemedPlot):
    """One point's probabilities over training steps, one line per class in its colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLabel("bottom", "step")
        self.setLabel("left", "p of the chosen point")
        self.addLegend(offset=(-10, 10))
        self.lines: list[pg.PlotDataItem] = []
        self.names: tuple[str, ...] = ()
        self.setYRange(0, 1, padding=0.05)

    def show_history(
        self, names: tuple[str, ...], steps: list[int], p: NDArray[np.floating]
    ) -> None:
        """``p`` (T, K): the point's probabilities at each of the T ``steps``."""
        if names != self.names:
            for line in self.lines:
                self.removeItem(line)
            self.names = names
            background = plot_colors(self.palette()).background
            self.lines = [
                self.plot(pen=pg.mkPen(class_color(k, background), width=2), name=f"p({name})")
                for k, name in enumerate(names)
            ]
        for k, line in enumerate(self.lines):
            line.setData(steps, p[:, k])
