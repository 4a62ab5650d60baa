"""A step of the past (scrubbed on the timeline), as a ghost of the output."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from uat_explorer.core.nn.network import Network
from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import PlotColors


class GhostOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView) -> None:
        super().__init__(plot, state, visible=True)
        self.curve = self.add(pg.PlotCurveItem(), 7)

    def show(self, network: Network | None, grid: np.ndarray) -> None:
        """A past network's output on ``grid``, dotted (None: hide it)."""
        if network is None:
            self.reset()
            return
        self.curve.setData(grid, network(grid))

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        ghost = QColor(colors.output)
        ghost.setAlpha(140)
        self.curve.setPen(pg.mkPen(ghost, width=2.5 * scale, style=Qt.PenStyle.DotLine))
