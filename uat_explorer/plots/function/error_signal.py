"""The error signal: ∂ℓ/∂y_i at the samples, an arrow the way descent pushes y_i.

With many samples the arrows would touch and read as a solid band: at most one every
ARROW_PIXELS across the plot is drawn (every k-th sample, its heads a little smaller)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors

ARROW_PIXELS = 14.0
"""The least room between two arrows on screen."""
HEAD = 8.0


class ErrorSignalOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView) -> None:
        super().__init__(plot, state)
        self.shafts = self.add(pg.PlotCurveItem(connect="pairs", skipFiniteCheck=True), 11)
        self.heads = self.add(pg.ScatterPlotItem(size=8), 11)
        self.every = 1  # one sample in this many has its arrow drawn
        self.follow(state.document.derivedChanged, self._changed)
        self.follow(plot.getViewBox().sigXRangeChanged, lambda *_: self._changed())
        self.follow(plot.getViewBox().sigResized, lambda *_: self._changed())

    def _changed(self) -> None:
        if self.visible:
            self.refresh()

    def refresh(self) -> None:
        """At every sample, an arrow from y_i the way gradient descent pushes it (−∂ℓ/∂y),
        its length proportional to |∂ℓ/∂y|: the signal backprop sends back."""
        trace = self.state.document.derived().trace
        view = self.plot.getViewBox()
        (left, right), (low, high) = view.viewRange()
        seen = int(np.count_nonzero((trace.x >= left) & (trace.x <= right)))
        room = view.width() / max(seen, 1)
        self.every = max(1, math.ceil(ARROW_PIXELS / room)) if room > 0 else 1
        x, y = trace.x[:: self.every], trace.y[:: self.every]
        signal = -trace.dl_dy[:: self.every]
        biggest = float(np.max(np.abs(signal))) if signal.size else 0.0
        scale = 0.12 * (high - low) / biggest if biggest > 0 else 0.0
        tips = y + scale * signal
        self.shafts.setData(np.repeat(x, 2), np.column_stack([y, tips]).reshape(-1))
        symbols = ["t1" if s > 0 else "t" for s in signal]
        size = HEAD * min(1.0, room * self.every / (1.5 * HEAD)) if room > 0 else HEAD
        self.heads.setData(x, tips, symbol=symbols, size=max(size, 5.0))

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        self.shafts.setPen(pg.mkPen(colors.diverged, width=1.4 * scale))
        self.heads.setPen(None)
        self.heads.setBrush(pg.mkBrush(colors.diverged))
