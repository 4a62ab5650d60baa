"""Panels out of view draw nothing: a tab behind another (Qt keeps it "visible", moved
outside the window) waits, and catches up when its tab comes to the front."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication

from uat_explorer.plots.in_view import hidden_in_window, in_view


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def trained_steps(window) -> int:
    data = window.loss_plot.curve.xData
    return 0 if data is None or data.size == 0 else int(np.max(data))


def test_a_tab_behind_another_is_out_of_view_and_the_front_one_in(window):
    window.docks["timeline"].toggleViewAction().trigger()  # opens in front of the loss
    settle()
    timeline = window.docks["timeline"].widget()
    assert window.docks["loss"].isVisible()  # Qt's "visible": behind a tab, moved away
    assert not in_view(window.loss_plot) and hidden_in_window(window.loss_plot)
    assert in_view(timeline) and not hidden_in_window(timeline)


def test_a_plot_behind_a_tab_is_not_redrawn_until_its_tab_comes_to_the_front(qtbot, window):
    window.training.step()
    assert window.training.wait_until_idle()
    qtbot.waitUntil(lambda: trained_steps(window) == 9, timeout=2000)
    window.docks["timeline"].toggleViewAction().trigger()
    settle()
    window.training.step()
    assert window.training.wait_until_idle()
    qtbot.wait(300)  # three times the loss plot's refresh interval
    assert trained_steps(window) == 9  # behind the Timeline's tab: not redrawn
    window.docks["loss"].raise_()
    qtbot.waitUntil(lambda: trained_steps(window) == 19, timeout=2000)
    assert in_view(window.loss_plot)


def test_a_plot_drawn_on_its_own_is_never_hidden(qtbot):
    """An export or a test draws a plot that is not in a shown window: it always draws."""
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    assert not hidden_in_window(widget)
