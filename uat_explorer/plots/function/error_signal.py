"""The error signal: ∂ℓ/∂y_i at every sample, an arrow the way descent pushes y_i."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors


class ErrorSignalOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView) -> None:
        super().__init__(plot, state)
        self.shafts = self.add(pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True), 11)
        self.heads = self.add(pg.ScatterPlotItem(size=8), 11)
        self.follow(state.document.derivedChanged, self._changed)

    def _changed(self) -> None:
        if self.visible:
            self.refresh()

    def refresh(self) -> None:
        """At every sample, an arrow from y_i the way gradient descent pushes it (−∂ℓ/∂y),
        its length proportional to |∂ℓ/∂y|: the signal backprop sends back."""
        trace = self.state.document.derived().trace
        signal = -trace.dl_dy
        biggest = float(np.max(np.abs(signal))) if signal.size else 0.0
        low, high = self.plot.getViewBox().viewRange()[1]
        scale = 0.12 * (high - low) / biggest if biggest > 0 else 0.0
        tips = trace.y + scale * signal
        xs = np.repeat(trace.x, 2)
        ys = np.column_stack([trace.y, tips]).reshape(-1)
        self.shafts.setData(xs, ys)
        symbols = ["t1" if s > 0 else "t" for s in signal]
        self.heads.setData(trace.x, tips, symbol=symbols)

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        self.shafts.setPen(pg.mkPen(colors.diverged, width=1.4 * scale))
        self.heads.setPen(None)
        self.heads.setBrush(pg.mkBrush(colors.diverged))
