"""Bounds that stay put while the data under them change every frame.

A curve redrawn at every training frame had its bounds recomputed each time: pyqtgraph
takes the data's extent and pads it by the pen's width in pixels, which maps vectors
through the view (~0.1 ms a frame for the output curve, ~0.14 ms for the neuron curves,
measured in the window training 32 neurons). Such a curve spans its view anyway, so
its bounds can be the view's visible rectangle: they change with the view, not the data,
and what the curve draws outside that rectangle the view clips away.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF


class ViewBounds:
    """Mixin for a pyqtgraph item in a ViewBox: ``boundingRect`` is the visible part of
    the view in the item's coordinates (the item's own bounds when it is in none)."""

    _view_bounds: QRectF | None = None

    def view_bounds(self) -> QRectF | None:
        """The view's visible rectangle in this item's coordinates; None out of a view."""
        if self._view_bounds is None:
            view = self.getViewBox()  # type: ignore[attr-defined]
            if view is None:
                return None
            rect: QRectF = self.mapRectFromView(view.viewRect())  # type: ignore[attr-defined]
            self._view_bounds = rect.normalized()
        return self._view_bounds

    def boundingRect(self) -> QRectF:
        bounds = self.view_bounds()
        return bounds if bounds is not None else super().boundingRect()  # type: ignore[misc]

    def viewTransformChanged(self, *_signal: Any) -> None:
        """A new range or size of the view: new bounds, announced before they change
        (a view's signal may pass itself: pyqtgraph's own handlers take nothing)."""
        self.prepareGeometryChange()  # type: ignore[attr-defined]
        self._view_bounds = None
        super().viewTransformChanged()  # type: ignore[misc]
