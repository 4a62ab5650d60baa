"""Helpers for driving the real window in tests."""

from __future__ import annotations

import csv
import time

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from uat_explorer.gui import MainWindow


def tabs_built(window: MainWindow) -> MainWindow:
    """``window`` with its panels that stand behind other tabs built, as bringing their
    tabs to the front would (they are built when first shown): tests find their widgets by
    name. ``test_lazy_panels`` checks the window without this."""
    for panel in (window.stack, window.target_panel, window.formula):
        assert panel is not None
    return window


def cards(window: MainWindow) -> list[QWidget]:
    """Neuron cards in network order, found by objectName as a user script would (in the
    Neurons panel, built by asking for it, as bringing its tab to the front would)."""
    stack = window.stack
    assert window.findChild(QWidget, "neuronStack") is stack
    started = time.monotonic()
    while not stack.complete and time.monotonic() - started < 10:
        QApplication.processEvents()  # its cards build a batch at a time
    found = [c for c in stack.findChildren(QWidget, "neuronCard") if not c.isHidden()]
    layout = stack.list_layout
    return sorted(found, key=layout.indexOf)


def curve(window: MainWindow, name: str):
    plot = window.findChild(QWidget, "functionPlot")
    return next(item for item in plot.listDataItems() if item.name() == name)


def click_curve(plot, index: int) -> None:
    """A real left click on the function plot, on a point of neuron ``index``'s curve
    where it stands apart from every other neuron's."""
    curves = plot.neurons
    others = np.delete(curves.y, index, axis=0)
    gaps = np.abs(others - curves.y[index]).min(axis=0) if others.size else curves.y[index]
    column = int(np.argmax(gaps))
    view = plot.getViewBox()
    point = plot.mapFromScene(
        view.mapViewToScene(QPointF(curves.x[column], curves.y[index, column]))
    )
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))


def drawn_output(window: MainWindow) -> tuple[np.ndarray, np.ndarray]:
    item = curve(window, "network output")
    return item.xData, item.yData


def drag(widget: QWidget, points: list[tuple[float, float]]) -> None:
    """A left-button drag through widget-local points, as real mouse events."""

    def send(kind: QEvent.Type, x: float, y: float, buttons) -> None:
        pos = QPointF(x, y)
        event = QMouseEvent(
            kind,
            pos,
            widget.mapToGlobal(pos),
            Qt.MouseButton.LeftButton,
            buttons,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(widget, event)

    held = Qt.MouseButton.LeftButton
    send(QEvent.Type.MouseButtonPress, *points[0], held)
    for x, y in points[1:]:
        send(QEvent.Type.MouseMove, x, y, held)
    send(QEvent.Type.MouseButtonRelease, *points[-1], Qt.MouseButton.NoButton)


def rows_of(path) -> list[list[str]]:
    """A CSV file's rows, the file closed again."""
    with open(path, newline="") as f:
        return list(csv.reader(f))
