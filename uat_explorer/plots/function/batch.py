"""D: the samples the last step learnt from, while training in mini-batches."""

from __future__ import annotations

import pyqtgraph as pg

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors


class BatchOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView) -> None:
        super().__init__(plot, state, visible=True)
        self.points = self.add(pg.ScatterPlotItem(size=10, symbol="o"), 9)
        self.follow(state.document.stepChanged, self.refresh)
        self.follow(state.document.settingsChanged, self.refresh)

    def refresh(self) -> None:
        """Where SGD looked this time (nothing with full batches, or before a step). With
        nothing to show the item is hidden, not emptied every frame: an empty scatter
        still cost ~0.5 ms of each training frame to set and paint (measured)."""
        document = self.state.document
        schedule = document.batch_schedule()
        if schedule is None or document.step == 0:
            if self.points.isVisible():
                self.points.setData([], [])
                self.points.setVisible(False)
            return
        x, t = document.training_data()
        chosen = schedule.indices(document.step - 1)
        self.points.setData(x[chosen], t[chosen])
        self.points.setVisible(self.visible)

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        self.points.setPen(pg.mkPen(colors.foreground, width=1.4 * scale))
        self.points.setBrush(pg.mkBrush(colors.data))
