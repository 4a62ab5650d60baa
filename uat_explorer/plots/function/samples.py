"""The training samples as points: shown when asked for, while the backprop panel needs
them, and always for data targets (the points are the target) and when they are not
simply the function (noise, or some held out): they are what training sees."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import SignalInstance

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors


class SamplesOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView, clicked: SignalInstance) -> None:
        super().__init__(plot, state)
        self.scale = 1.0
        self.asked = False  # the View menu's Sample Points
        self.forced = False  # the backprop panel shows them while open
        self.item = self.add(pg.ScatterPlotItem(size=5, hoverable=False), 5)
        self.item.sigClicked.connect(
            lambda _item, points, _event=None: (
                clicked.emit(int(points[0].data())) if len(points) else None
            )
        )
        self.follow(state.document.targetChanged, self.refresh)

    def ask(self, on: bool) -> None:
        self.asked = on
        self._update()

    def force(self, on: bool) -> None:
        """Show the samples whatever the View menu says (while backprop needs them)."""
        self.forced = on
        self._update()

    def _update(self) -> None:
        document = self.state.document
        altered = document.sample_set().altered
        shown = self.asked or self.forced or document.target.is_data or altered
        if shown != self.visible:
            self.set_visible(shown)
        self.legend_entry(self.item, "samples (what training sees)", shown and altered)

    def refresh(self) -> None:
        x, t = self.state.document.training_data()
        self.item.setData(x, t, data=list(range(x.size)))
        self.item.setSize(self._size())
        self._update()

    def _size(self) -> float:
        """Noisy or held-out samples are few and the point of the figure: drawn larger."""
        return (8.0 if self.state.document.sample_set().altered else 5.0) * self.scale

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        self.item.setBrush(pg.mkBrush(colors.target))
        self.item.setPen(None)
        self.scale = max(scale, 1.0)  # an export at 2× draws them 2× too
        self.item.setSize(self._size())
