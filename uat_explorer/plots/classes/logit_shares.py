"""Each neuron's share of one logit, v_jm·a_j(x), drawn over a class plot.

Logits are not probabilities: the shares get a view box and a right-hand axis of their
own, linked in x to the plot's. Their sum plus c is the logit that σ or softmax turns
into the probabilities drawn beneath.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.plots.theme import neuron_color, plot_colors

SHARE_POINTS = 501


class LogitShares:
    """One curve per neuron (in its colour) on a right-hand axis; hidden until shown."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.plot = plot
        self.box = pg.ViewBox(enableMenu=False)
        self.box.setMouseEnabled(False, False)
        plot.scene().addItem(self.box)
        self.axis = plot.getAxis("right")
        self.axis.linkToView(self.box)
        self.box.setXLink(plot.getViewBox())
        plot.getViewBox().sigResized.connect(self._fit)
        self.curves: list[pg.PlotDataItem] = []
        self.shown = False
        self.hide()

    def _fit(self) -> None:
        self.box.setGeometry(self.plot.getViewBox().sceneBoundingRect())

    def show(self, network: ClassNetwork, m: int, domain: tuple[float, float], logit: str) -> None:
        """Neuron j's v_jm·a_j(x) over ``domain`` for logit ``m`` (called ``logit``)."""
        if len(self.curves) != network.size:
            for curve in self.curves:
                self.box.removeItem(curve)
            background = plot_colors(self.plot.palette()).background
            self.curves = [
                pg.PlotDataItem(pen=pg.mkPen(neuron_color(j, background), width=1.4))
                for j in range(network.size)
            ]
            for curve in self.curves:
                self.box.addItem(curve)
        grid = np.linspace(*domain, SHARE_POINTS)
        shares = network.hidden(grid) * network.v[:, m : m + 1]
        for curve, share in zip(self.curves, shares, strict=True):
            curve.setData(grid, share)
        self.plot.showAxis("right")
        self.axis.setLabel(f"vⱼaⱼ, shares of {logit}")
        self.box.enableAutoRange(axis=pg.ViewBox.YAxis)
        self._fit()
        self.shown = True

    def hide(self) -> None:
        for curve in self.curves:
            curve.setData([], [])
        self.plot.hideAxis("right")
        self.shown = False
