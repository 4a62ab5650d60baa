"""Colours that stay readable on the system's light or dark palette."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ViewBox.ViewBoxMenu import ViewBoxMenu
from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QGraphicsView

from uat_explorer.plots.cached_text import add_cached_legend, cache_plot_text
from uat_explorer.plots.lines.grid import grid_axes, hidden_sides, redraw_axes
from uat_explorer.plots.lines.wide import SweptLine

# Okabe & Ito's colour-blind-safe hues (their blue is the output's, their black the
# target's), plus Paul Tol's wine and teal for more neurons; each is darkened on light
# backgrounds and lightened on dark ones until it stands out from the background by a
# contrast ratio of at least MIN_CONTRAST (WCAG's ratio for lines and graphics is 3).
_NEURON_HUES = [
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#882255",  # wine
    "#44AA99",  # teal
]
MIN_CONTRAST = 3.0


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio, 1 (none) to 21 (black on white)."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(hex_color: str, background: QColor) -> QColor:
    """The same hue, darker or lighter until it reaches MIN_CONTRAST on ``background``."""
    color = QColor(hex_color)
    dark_background = background.lightness() < 128
    hue, saturation, lightness = color.hslHueF(), color.hslSaturationF(), color.lightnessF()
    while contrast(color, background) < MIN_CONTRAST and 0.02 < lightness < 0.98:
        lightness += 0.02 if dark_background else -0.02
        color = QColor.fromHslF(max(hue, 0.0), saturation, lightness)
    return color


def neuron_color(neuron_id: int, background: QColor | None = None) -> QColor:
    """A neuron keeps its hue for life: it follows its id, not its position; the shade
    suits the background (white if none is given)."""
    base = background.rgb() if background is not None else 0xFFFFFFFF
    return QColor(_shade(neuron_id % len(_NEURON_HUES), base))


@functools.lru_cache(maxsize=256)
def _shade(hue_index: int, background_rgb: int) -> int:
    return readable(_NEURON_HUES[hue_index], QColor.fromRgb(background_rgb)).rgb()


@dataclass(frozen=True)
class PlotColors:
    background: QColor
    foreground: QColor
    target: QColor
    output: QColor
    error: QColor
    stroke: QColor
    diverged: QColor
    data: QColor
    """D, the samples a step learns from: lemon yellow, as in the D/W/A/G diagram, and
    far lighter than neuron 1's ochre (the orange hue made readable on white)."""
    test: QColor
    """The held-out points and their loss: Paul Tol's purple, no neuron's hue."""


def plot_colors(palette: QPalette) -> PlotColors:
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = base.lightness() < 128
    return PlotColors(
        background=base,
        foreground=text,
        target=QColor("#d0d0d0" if dark else "#303030"),
        output=QColor("#6fa8ff" if dark else "#1f57b4"),
        error=QColor(255, 80, 80, 70 if dark else 55),
        stroke=QColor("#ffd54f" if dark else "#c2185b"),
        diverged=QColor("#ff6e6e" if dark else "#c62828"),
        data=QColor("#ffff8d" if dark else "#ffe100"),
        test=QColor("#ee88cc" if dark else "#aa3377"),
    )


def style_plot(plot: pg.PlotWidget, colors: PlotColors) -> None:
    """Background, axes and legend text in the palette's colours."""
    plot.setBackground(colors.background)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(colors.foreground)
        axis.setTextPen(colors.foreground)
    legend = plot.getPlotItem().legend
    if legend is not None:
        # Opaque: on a slide the curves behind a legend must not show through its text.
        legend.setBrush(pg.mkBrush(colors.background))
        edge = QColor(colors.foreground)
        edge.setAlpha(90)
        legend.setPen(pg.mkPen(edge))
        legend.setLabelTextColor(colors.foreground)
        for _sample, label in legend.items:
            label.setText(label.text)  # setLabelTextColor alone does not re-render


BASE_POINTS = 9.0
"""The size of a plot's tick labels, legend and axis titles at scale 1."""


def scaled_font(scale: float, points: float = BASE_POINTS, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(points * scale)
    font.setBold(bold)
    return font


def scale_text(plot: pg.PlotWidget, scale: float) -> None:
    """Tick labels, axis titles and the legend of ``plot`` at ``scale`` times their size."""
    font = scaled_font(scale)
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setStyle(tickFont=font, tickTextOffset=int(3 * scale))
        axis.label.setFont(font)
        axis.resizeEvent()
    legend = plot.getPlotItem().legend
    if legend is not None:
        legend.setLabelTextSize(f"{BASE_POINTS * scale:.1f}pt")
        for _sample, label in legend.items:
            label.setText(label.text)


class MenuLaterViewBox(pg.ViewBox):
    """A ViewBox whose right-click menu is made the first time it is asked for: every
    plot made its menu of axis controls up front, ~8 ms each, 16 of the ~80 ms the window
    took to build (measured)."""

    menu: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "enableMenu": False})
        self.state["enableMenu"] = True  # menuEnabled() says so; the menu waits

    def getMenu(self, ev: Any) -> Any:
        if self.menu is None and self.menuEnabled():
            self.menu = ViewBoxMenu(self)
            self.updateViewLists()
        return self.menu

    def getContextMenus(self, event: Any) -> list[Any]:
        menu = self.getMenu(event)
        return [] if menu is None else list(menu.actions())


class ThemedPlot(pg.PlotWidget):
    """A plot that restyles itself when the system palette changes (light ↔ dark) and
    grows its text and lines for a projector (``set_scale``)."""

    line_scale = 1.0
    """Line widths and markers: the export's pixel scale times the text scale."""
    text_scale = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if "viewBox" not in kwargs:
            kwargs["viewBox"] = MenuLaterViewBox()
        given = kwargs.get("axisItems")
        kwargs["axisItems"] = grid_axes(given)
        super().__init__(*args, **kwargs)
        for side in hidden_sides(given):
            self.getPlotItem().hideAxis(side)
        # pyqtgraph keeps the background in a pixmap the size of the view and blends it in
        # at every paint; filling with the plain colour is cheaper (~0.2 ms a frame of the
        # function plot, measured by alternating both in one process).
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        cache_plot_text(self.getPlotItem())

    def setBackground(self, *args: Any, **kwargs: Any) -> None:
        """pyqtgraph's, and the axes drawn again: an opaque grid's colour is mixed with
        the background (``plots/lines/grid.py``)."""
        super().setBackground(*args, **kwargs)
        item = self.__dict__.get("plotItem")
        if item is not None:  # None: pyqtgraph's own first call, before the plot exists
            redraw_axes(item)

    def addLegend(self, offset: tuple[float, float] = (30, 30), **options: Any) -> pg.LegendItem:
        """The plot's legend, its names painted from pixmaps (``plots/cached_text.py``)."""
        return add_cached_legend(self.getPlotItem(), offset=offset, **options)

    def plot(self, *args: Any, **kwargs: Any) -> SweptLine:
        """``PlotItem.plot`` with a swept line: a wide line costs a frame what a thin
        one does (``plots/lines/wide.py``)."""
        item = SweptLine(*args, **kwargs)
        self.getPlotItem().addItem(item)
        return item

    def set_scale(self, text: float, pixels: float = 1.0) -> None:
        """Text ``text`` times its size (presentation mode), lines ``text × pixels``
        times as wide (an export at ``pixels`` times the pixels)."""
        self.text_scale, self.line_scale = text, text * pixels
        scale_text(self, text)
        self.apply_theme()

    def apply_theme(self) -> None:
        style_plot(self, plot_colors(self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        palette_events = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in palette_events and getattr(self, "themed", False):
            self.apply_theme()
        super().changeEvent(event)
