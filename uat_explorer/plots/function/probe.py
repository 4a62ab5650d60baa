"""The sample backprop looks at: a line at x_i with t_i and y_i marked."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors


class ProbeOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView) -> None:
        super().__init__(plot, state)
        self.line = self.add(pg.InfiniteLine(angle=90, movable=False), 12)
        self.points = self.add(pg.ScatterPlotItem(size=11), 12)
        self.label = self.add(pg.TextItem(anchor=(0, 1)), 12)
        self.follow(state.view.probeChanged, self._probed)
        self.follow(state.document.derivedChanged, self._probed)

    def _probed(self) -> None:
        shown = self.state.view.probe_sample is not None
        if shown != self.visible:
            self.set_visible(shown)
        elif shown:
            self.refresh()

    def refresh(self) -> None:
        index = self.state.view.probe_sample
        x, t = self.state.document.training_data()
        if index is None or index >= x.size:
            return
        xi, ti = float(x[index]), float(t[index])
        yi = float(self.state.document.network(np.array([xi]))[0])
        self.line.setValue(xi)
        self.points.setData([xi, xi], [ti, yi])
        self.label.setText(f"sample {index}: t = {ti:.4g}, y = {yi:.4g}")
        self.label.setPos(xi, max(ti, yi))

    def reset(self) -> None:
        self.points.setData([], [])

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        dash = Qt.PenStyle.DashLine
        self.line.setPen(pg.mkPen(colors.foreground, width=1.2 * scale, style=dash))
        self.points.setPen(pg.mkPen(colors.foreground, width=1.5 * scale))
        self.points.setBrush(pg.mkBrush(colors.background))
        self.label.setColor(colors.foreground)
