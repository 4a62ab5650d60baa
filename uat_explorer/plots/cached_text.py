"""Text in a plot painted from a pixmap, laid out again only when it changes.

Qt lays out and shapes a ``QGraphicsTextItem``'s text at every paint: the function
plot's legend and axis titles took ~0.5 ms of each training frame (4 % of the GUI
thread's time, sampled with py-spy), for words that never change while it trains. A
text item redraws its pixmap by itself whenever its text, font or colour is set.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject

CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache


def cache_text(label: pg.LabelItem) -> None:
    """Paint ``label``'s text from a pixmap."""
    label.item.setCacheMode(CACHED)


class CachedSample(ItemSample):
    """A legend entry's line painted from a pixmap: in the function plot, where every
    training frame repaints the view under the legend, its three samples took ~0.2 ms
    of a 4 ms frame (py-spy). It repaints when its item is shown or hidden, or clicked;
    whoever restyles the item calls ``update()`` after (``FunctionPlot.apply_theme``)."""

    def __init__(self, item: Any) -> None:
        super().__init__(item)
        self.setCacheMode(CACHED)
        if isinstance(item, QGraphicsObject):
            item.visibleChanged.connect(self.update)


class CachedTextLegend(pg.LegendItem):
    """A legend whose entries' names are painted from pixmaps."""

    def addItem(self, item: Any, name: str) -> None:
        super().addItem(item, name)
        cache_text(self.items[-1][1])


def cache_plot_text(plot: pg.PlotItem) -> None:
    """The axis titles and the plot title of ``plot`` from pixmaps."""
    for name in ("left", "bottom", "right", "top"):
        plot.getAxis(name).label.setCacheMode(CACHED)
    cache_text(plot.titleLabel)


def add_cached_legend(plot: pg.PlotItem, **options: Any) -> pg.LegendItem:
    """``PlotItem.addLegend`` with a CachedTextLegend: the one legend of ``plot``."""
    if plot.legend is None:
        plot.legend = CachedTextLegend(**options)
        plot.legend.setParentItem(plot.vb)
    legend: pg.LegendItem = plot.legend
    return legend
