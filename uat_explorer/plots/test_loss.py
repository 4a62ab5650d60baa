"""The test loss on the loss plot: the same loss on the held-out points, dashed beside the
training loss, with the step of its lowest value marked. Training loss falling while
this one turns up is overfitting, seen."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from uat_explorer.model.view import ModelView
from uat_explorer.plots.theme import PlotColors

SMALLEST, LARGEST = 1e-300, 1e300
"""The loss plot's clip for its log axis (a perfect fit has loss 0)."""
NAME = "test loss (held-out points)"


class TestLossSeries:
    """Its items live on ``plot`` (a LossPlot); ``refresh`` draws them and returns the
    test losses drawn, so the plot's range can hold them."""

    def __init__(self, plot: pg.PlotWidget, state: ModelView) -> None:
        self.state = state
        self.curve = plot.plot(name=NAME, antialias=False)
        self.curve.setDownsampling(auto=True, method="peak")
        self.curve.setClipToView(True)
        self.best = pg.ScatterPlotItem(size=12, symbol="o")
        self.best.setZValue(6)
        plot.addItem(self.best)
        # to the right of the mark: the lowest test loss often comes in the first steps
        self.label = pg.TextItem("lowest test loss", anchor=(-0.04, 1.1))
        plot.addItem(self.label, ignoreBounds=True)

    @property
    def shown(self) -> bool:
        return bool(self.curve.isVisible())

    def refresh(self, to_x: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        """Draw the test losses (steps mapped to the x axis by ``to_x``)."""
        steps, losses = self.state.document.test_history.arrays()
        shown = steps.size > 0
        for item in (self.curve, self.best, self.label):
            item.setVisible(shown)
        if not shown:
            self.curve.setData([], [])
            self.best.setData([], [])
            return losses
        clipped: np.ndarray = np.clip(losses, SMALLEST, LARGEST)
        self.curve.setData(to_x(steps), clipped)
        k = int(np.argmin(clipped))
        at, level = float(to_x(steps[k : k + 1])[0]), math.log10(float(clipped[k]))
        self.best.setData([at], [level])  # the items hold log10(loss), as the axis does
        self.label.setPos(at, level)
        self.label.setText(f"lowest test loss, step {int(steps[k]):,}")
        return clipped

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        dash = Qt.PenStyle.DashLine
        self.curve.setPen(pg.mkPen(colors.test, width=2 * scale, style=dash))
        self.best.setPen(pg.mkPen(colors.test, width=2 * scale))
        self.best.setBrush(pg.mkBrush(colors.background))
        self.best.setSize(12 * scale)
        self.label.setColor(colors.test)
