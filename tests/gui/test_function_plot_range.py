"""The function plot's range holds what it draws, and a figure keeps the range on screen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from uat_explorer.export.figures import function_figure
from uat_explorer.plots.function.plot import COMPONENT_STRIDE


def fit_action(window) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == "&Fit Plot to Curves")


def test_fit_includes_every_visible_neuron_curve(window):
    window.load_example("mixed-steps")
    fit_action(window).trigger()
    low, high = window.plot.view_box.viewRange()[1]
    parts = window.state.document.network.forward(window.plot.x_fine)[1]
    assert parts.min() == pytest.approx(-0.5, abs=0.01)  # the −0.5 neuron's curve
    assert low < parts.min() and high > parts.max()


def test_a_hidden_or_muted_curve_does_not_stretch_the_range(window):
    window.load_example("mixed-steps")
    window.state.editor.edit_neuron(1, muted=True)
    fit_action(window).trigger()
    low = window.plot.view_box.viewRange()[1][0]
    assert low > -0.4  # the muted −0.5 step is not drawn, so not held in view


def test_a_figure_keeps_the_range_on_screen(window):
    window.load_example("mixed-steps")
    window.plot.view_box.setRange(xRange=(-0.5, 0.5), yRange=(0.2, 0.4), padding=0)
    window.plot.follow_output = False  # as after the person zooms
    QApplication.processEvents()
    options = window.files.exporter.on_screen()
    with function_figure(window.state, options) as figure:
        QApplication.processEvents()
        for got, wanted in zip(figure.view_box.viewRange(), [(-0.5, 0.5), (0.2, 0.4)], strict=True):
            assert np.allclose(got, wanted, atol=1e-9), (got, wanted)


def test_each_neuron_curve_knows_its_bounds_as_pyqtgraph_would_find_them(window):
    """The plot tells every curve its lowest and highest point (one numpy call for all);
    a curve with a value that is not finite is left to pyqtgraph."""
    plot = window.plot
    for item in plot.components.values():
        _, y = item.getData()
        assert item.dataBounds(1) == (float(y.min()), float(y.max()))
        assert item.dataBounds(0) == (float(plot.x_coarse[0]), float(plot.x_coarse[-1]))
    item = next(iter(plot.components.values()))
    y = plot.parts_fine[0, ::COMPONENT_STRIDE].copy()
    y[3] = np.nan
    item.setData(plot.x_coarse, y)
    assert item.dataBounds(1) == (float(np.nanmin(y)), float(np.nanmax(y)))
