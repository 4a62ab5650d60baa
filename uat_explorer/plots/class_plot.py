"""A classifier drawn over x: each class's probability, the labelled points, the
decision regions (where each class is the most probable) and the points it gets wrong.

Items are made once per class count and updated with ``setData``.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from uat_explorer.core.nn.classifier import ClassNetwork, accuracy, cross_entropy
from uat_explorer.core.targets.classes import MAX_CLASSES, ClassTarget
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
    shaded, misclassified points ringed."""

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
        self.names: tuple[str, ...] = ()

    def _build(self, names: tuple[str, ...]) -> None:
        """One region, curve and point set per class (again only if the classes change)."""
        for item in [*self.regions, *self.curves, *self.points, self.wrong, self.caption]:
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
                curve = pg.PlotDataItem(pen=pg.mkPen(color, width=width), name=f"p({name})")
                self.addItem(curve)
                self.curves.append(curve)
            points = pg.ScatterPlotItem(size=6 * self.line_scale, brush=color, pen=None)
            self.addItem(points)
            legend.addItem(points, f"class {name}")
            self.points.append(points)
        foreground = plot_colors(self.palette()).foreground
        self.wrong = pg.ScatterPlotItem(
            size=13 * self.line_scale,
            symbol="o",
            brush=None,
            pen=pg.mkPen(foreground, width=1.5 * self.line_scale),
        )
        self.addItem(self.wrong)
        legend.addItem(self.wrong, "misclassified")
        self.caption = pg.TextItem(color=foreground, anchor=(0, 0))
        self.addItem(self.caption)
        self.names = names
        style_plot(self, plot_colors(self.palette()))

    def show_fit(
        self, network: ClassNetwork, target: ClassTarget, domain: tuple[float, float]
    ) -> None:
        """Draw ``network``'s probabilities and ``target``'s points inside ``domain``."""
        if target.names != self.names:
            self._build(target.names)
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
