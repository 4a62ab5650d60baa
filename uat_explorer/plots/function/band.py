"""The shaded error between the output and the target.

It fills between copies of the two curves, updated only while it shows: a
FillBetweenItem rebuilds its polygon on every change of its curves (2 ms a dial tick,
measured), hidden or not.
"""

from __future__ import annotations

import pyqtgraph as pg

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors


class BandOverlay(Overlay):
    def __init__(
        self,
        plot: pg.PlotWidget,
        state: ModelView,
        output: pg.PlotCurveItem,
        target: pg.PlotDataItem,
    ) -> None:
        super().__init__(plot, state)
        self.output, self.target = output, target
        self._output_copy = pg.PlotCurveItem()
        self._target_copy = pg.PlotCurveItem()
        self.fill = self.add(pg.FillBetweenItem(self._output_copy, self._target_copy), -10)

    def refresh(self) -> None:
        self._target_copy.setData(self.target.xData, self.target.yData)
        self.follow_output()

    def follow_output(self) -> None:
        if self.visible:
            self._output_copy.setData(self.output.xData, self.output.yData)

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        self.fill.setBrush(pg.mkBrush(colors.error))
