"""What every overlay of the function plot shares: its items, the model signals it
follows, whether it shows, and how it empties and leaves (napari's overlay classes are
the model: each binds its own events to its own drawn items)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pyqtgraph as pg
from PySide6.QtCore import SignalInstance

from uat_explorer.model.view import ModelView
from uat_explorer.plots.theme import PlotColors

Item = TypeVar("Item")


class Overlay:
    """Subclasses make their items with ``add``, follow signals with ``follow``, draw in
    ``refresh`` (only while visible) and style in ``apply_theme``."""

    def __init__(self, plot: pg.PlotWidget, state: ModelView, visible: bool = False) -> None:
        self.plot, self.state = plot, state
        self.visible = visible
        self.items: list[Any] = []
        self._followed: list[tuple[SignalInstance, Callable[..., None]]] = []

    def add(self, item: Item, z: float) -> Item:
        self.plot.addItem(item, ignoreBounds=True)
        item.setZValue(z)  # type: ignore[attr-defined]
        item.setVisible(self.visible)  # type: ignore[attr-defined]
        self.items.append(item)
        return item

    def follow(self, signal: SignalInstance, slot: Callable[..., None]) -> None:
        """Redraw on ``signal``; undone by ``close``."""
        signal.connect(slot)
        self._followed.append((signal, slot))

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        for item in self.items:
            item.setVisible(visible)
        if visible:
            self.refresh()

    def legend_entry(self, item: Any, name: str, on: bool) -> None:
        """``item`` named in the plot's legend while ``on``."""
        legend = self.plot.getPlotItem().legend
        if legend is None:
            return
        listed = any(sample.item is item for sample, _label in legend.items)
        if on and not listed:
            legend.addItem(item, name)
        elif listed and not on:
            legend.removeItem(item)

    def refresh(self) -> None:
        """Draw from the model (called while visible)."""

    def reset(self) -> None:
        """Empty the items (a new session, a cleared mark)."""
        for item in self.items:
            if hasattr(item, "setData"):
                item.setData([], [])

    def apply_theme(self, colors: PlotColors, scale: float) -> None:
        """Pens and brushes for the palette, lines ``scale`` times as wide."""

    def close(self) -> None:
        """Stop following the model and leave the plot."""
        for signal, slot in self._followed:
            signal.disconnect(slot)
        self._followed.clear()
        for item in self.items:
            self.plot.removeItem(item)
        self.items.clear()
