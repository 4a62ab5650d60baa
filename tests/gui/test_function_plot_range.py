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


def test_the_neuron_curves_repaint_where_every_shown_curve_is(window):
    """The one item drawing every neuron says it covers each shown curve (what Qt
    repaints), and a curve with a value that is not finite still counts by the rest."""
    curves = window.plot.neurons
    rect = curves.boundingRect()
    assert rect.left() < curves.x[0] and rect.right() > curves.x[-1]
    assert rect.top() < curves.y.min() and rect.bottom() > curves.y.max()
    y = window.plot.parts_fine[0, ::COMPONENT_STRIDE].copy()
    y[3] = np.nan
    y[4] = top = curves.y.max() + 5
    curves.set_row(0, y)
    assert np.isfinite(curves.boundingRect().height())
    assert curves.boundingRect().bottom() > top


def test_the_neuron_curves_are_drawn_smooth_on_screen(window):
    """One item draws every neuron's curve (issue 23); it painted without the smoothing
    every other curve of the app has on screen (pyqtgraph's antialias option), so the thin
    neuron lines came out jagged beside the smooth output."""
    import pyqtgraph as pg
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    assert pg.getConfigOption("antialias")
    image = QImage(200, 100, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # as the view has it
        window.plot.neurons.paint(painter, QStyleOptionGraphicsItem())
        assert painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    finally:
        painter.end()
