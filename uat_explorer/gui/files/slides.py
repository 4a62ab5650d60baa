"""A slide in one image: the current workspace as laid out, or the curves and the loss
side by side, at the image size chosen for every export (1280 × 720 by default here:
a slide)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtWidgets import QDockWidget, QMainWindow

from uat_explorer.core.errors import InputError
from uat_explorer.export.figures import SIZES, FigureOptions, function_figure, loss_figure, render
from uat_explorer.gui.widgets.plot_export import ChosenSize
from uat_explorer.model.state import AppState

SLIDE = SIZES[1]
"""The size of a slide when the image size chosen is "as shown"."""


def _blank(width: int, height: int, scale: float) -> QImage:
    image = QImage(round(width * scale), round(height * scale), QImage.Format.Format_RGB32)
    if image.isNull():
        raise InputError("there is not enough memory for that slide; choose a smaller size")
    image.setDevicePixelRatio(scale)
    return image


def workspace_area(window: QMainWindow) -> QRect:
    """The plot and the docks shown, without the menus, the tab row and the status bar."""
    area = QRect(window.centralWidget().geometry())
    inside = window.rect()
    for dock in window.findChildren(QDockWidget):
        # A dock tabbed behind another is "visible" but parked outside the window.
        if dock.isVisible() and not dock.isFloating() and inside.contains(dock.geometry()):
            area = area.united(dock.geometry())
    return area


def workspace_slide(window: QMainWindow) -> QImage:
    """The workspace painted as it is on screen, scaled to the chosen width (as shown:
    twice the pixels). Widgets paint themselves at the finer pixel ratio, so text and
    curves are sharp, not enlarged pixels."""
    area = workspace_area(window)
    size = ChosenSize.size
    scale = 2.0 if size.pixels is None else size.pixels[0] / max(area.width(), 1)
    image = _blank(area.width(), area.height(), scale)
    image.fill(window.palette().window().color())
    window.render(image, QPoint(0, 0), QRegion(area))
    return image


def curves_and_loss_slide(state: AppState, on_screen: FigureOptions) -> QImage:
    """The function plot (its range on screen) and the loss plot, side by side, laid out
    for the slide rather than scaled from the window."""
    size = ChosenSize.size if ChosenSize.size.pixels is not None else SLIDE
    whole = size.options((0, 0))
    half = replace(on_screen, width=whole.width // 2, height=whole.height, scale=whole.scale)
    with function_figure(state, half) as plot:
        left = render(plot, half)
    with loss_figure(state, replace(half, x_range=None, y_range=None)) as plot:
        right = render(plot, half)
    image = _blank(whole.width, whole.height, whole.scale)
    image.fill(left.pixelColor(0, 0))
    painter = QPainter(image)
    painter.drawImage(QPoint(0, 0), left)
    painter.drawImage(QPoint(half.width, 0), right)
    painter.end()
    return image
