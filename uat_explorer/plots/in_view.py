"""Whether a widget can be seen, for views that redraw only then.

Qt leaves the docks of a tab group behind the front one "visible": it moves them outside
the window and sends them no hide or show event, only their dock's ``visibilityChanged``.
``isVisible()`` alone would have them redraw every frame where nobody sees it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget


def in_view(widget: QWidget) -> bool:
    """Shown, and inside its window (not a tab behind another)."""
    if not widget.isVisible():
        return False
    window = widget.window()
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).intersects(window.rect())


def hidden_in_window(widget: QWidget) -> bool:
    """Out of view in a window that is shown: a widget drawn on its own (an export, a
    test) or before the window shows is never hidden."""
    return widget.window().isVisible() and not in_view(widget)
