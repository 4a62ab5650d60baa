"""Draw mode: a left-button drag becomes a stroke (the new target), drawn as it goes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal

from uat_explorer.model.view import ModelView
from uat_explorer.plots.function.overlay import Overlay
from uat_explorer.plots.theme import MenuLaterViewBox, PlotColors


class DrawingViewBox(MenuLaterViewBox):
    """A ViewBox that, in drawing mode, turns a left-button drag into a stroke."""

    strokeChanged = Signal(object, object)
    strokeFinished = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.drawing = False
        self._xs: list[float] = []
        self._ys: list[float] = []

    def mouseDragEvent(self, ev: Any, axis: Any = None) -> None:
        if not (self.drawing and ev.button() == Qt.MouseButton.LeftButton):
            super().mouseDragEvent(ev, axis)
            return
        ev.accept()
        if ev.isStart():
            start = self.mapSceneToView(ev.buttonDownScenePos())
            self._xs, self._ys = [start.x()], [start.y()]
        point = self.mapSceneToView(ev.scenePos())
        self._xs.append(point.x())
        self._ys.append(point.y())
        xs, ys = np.array(self._xs), np.array(self._ys)
        self.strokeChanged.emit(xs, ys)
        if ev.isFinish():
            self.strokeFinished.emit(xs, ys)


class StrokeOverlay(Overlay):
    def __init__(self, plot: pg.PlotWidget, state: ModelView, view_box: DrawingViewBox) -> None:
        super().__init__(plot, state, visible=True)
        self.view_box = view_box
        self.curve = self.add(pg.PlotCurveItem(), 13)
        view_box.strokeChanged.connect(lambda xs, ys: self.curve.setData(xs, ys))

    def set_drawing(self, on: bool) -> None:
        self.view_box.drawing = on
        self.plot.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        if not on:
            self.reset()

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        self.curve.setPen(pg.mkPen(colors.stroke, width=2.5 * scale))
