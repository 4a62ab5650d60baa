"""The chosen point's probabilities now, a bar per class in its colour with its value on
top: the post's [0.75, 0.25] at a glance, beside the lines of how they got there."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from numpy.typing import NDArray
from PySide6.QtWidgets import QWidget

from uat_explorer.plots.classes.class_plot import class_color
from uat_explorer.plots.theme import ThemedPlot, plot_colors


class SampleBars(ThemedPlot):
    """``show_now(names, p, label)``: a bar per class, p[k] high, the true class's
    outlined."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classesSampleBars")
        self.setTitle("p now")
        self.setYRange(0, 1.15, padding=0)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.addItem(self.bars)
        self.values: list[pg.TextItem] = []

    def show_now(self, names: tuple[str, ...], p: NDArray[np.floating], label: int) -> None:
        """``p`` (K,) the point's probabilities at the weights now; ``label`` its class."""
        colors = plot_colors(self.palette())
        brushes = [class_color(k, colors.background) for k in range(len(names))]
        outline = pg.mkPen(colors.foreground, width=2)
        pens = [outline if k == label else pg.mkPen(None) for k in range(len(names))]
        self.bars.setOpts(x=np.arange(len(names)), height=p, brushes=brushes, pens=pens)
        self.getAxis("bottom").setTicks([list(enumerate(names))])
        self.setXRange(-0.6, len(names) - 0.4, padding=0)
        while len(self.values) < len(names):
            text = pg.TextItem(anchor=(0.5, 1.0))
            self.addItem(text)
            self.values.append(text)
        for k, text in enumerate(self.values):
            text.setVisible(k < len(names))
            if k < len(names):
                text.setColor(colors.foreground)
                text.setText(f"{p[k]:.2f}")
                text.setPos(k, float(p[k]) + 0.02)
