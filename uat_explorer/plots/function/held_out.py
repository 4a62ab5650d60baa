"""The held-out test points, drawn hollow: training never sees them, so how far the
curve passes from them is how well it does between its samples."""

from __future__ import annotations

import pyqtgraph as pg

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors


class HeldOutOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView) -> None:
        super().__init__(plot, state)
        self.item = self.add(pg.ScatterPlotItem(size=9, symbol="o", hoverable=False), 7)
        self.follow(state.document.targetChanged, self._update)
        self._update()

    def _update(self) -> None:
        shown = self.state.document.sample_set().has_test
        if shown != self.visible:
            self.set_visible(shown)
        elif shown:
            self.refresh()
        self.legend_entry(self.item, "test points (held out)", shown)

    def refresh(self) -> None:
        self.item.setData(*self.state.document.test_data())

    def reset(self) -> None:
        self.item.setData([], [])

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        self.item.setPen(pg.mkPen(colors.test, width=2.0 * scale))
        self.item.setBrush(pg.mkBrush(colors.background))
        self.item.setSize(9 * scale)
