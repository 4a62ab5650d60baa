"""The function plot's range holds what it draws, and a figure keeps the range on screen."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from uat_explorer.export.figures import function_figure
from uat_explorer.plots.function.neurons import NeuronCurves
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


def test_the_neuron_curves_repaint_the_view_and_out_of_one_every_shown_curve(window):
    """In the plot the one item drawing every neuron covers the view (what Qt repaints),
    whatever its rows: a frame's new rows move no bounds (issue 23). On its own it covers
    each shown curve, and a curve with a value that is not finite still counts by the rest."""
    curves = window.plot.neurons
    view = window.plot.view_box
    (left, right), (bottom, top) = view.viewRange()
    rect = curves.boundingRect()
    assert np.allclose([rect.left(), rect.right()], [left, right])
    assert np.allclose(sorted([rect.top(), rect.bottom()]), [bottom, top])
    y = window.plot.parts_fine[0, ::COMPONENT_STRIDE].copy()
    curves.set_row(0, y + 100)  # far above the view: nothing more to repaint
    assert curves.boundingRect() == rect
    view.setRange(xRange=(-0.5, 0.5), yRange=(0.2, 0.4), padding=0)
    QApplication.processEvents()
    zoomed = curves.boundingRect()
    assert np.allclose([zoomed.left(), zoomed.right(), zoomed.height()], [-0.5, 0.5, 0.2])

    alone = NeuronCurves()
    alone.set_rows(curves.x, curves.y)
    rect = alone.boundingRect()  # no view: no pixels to pad by
    assert rect.left() <= curves.x[0] and rect.right() >= curves.x[-1]
    assert rect.top() <= curves.y.min() and rect.bottom() >= curves.y.max()
    y[3] = np.nan
    y[4] = top = curves.y.max() + 5
    alone.set_row(0, y)
    assert np.isfinite(alone.boundingRect().height())
    assert alone.boundingRect().bottom() >= top - 1e-4


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


def test_the_output_curve_covers_the_view_whatever_its_values(window):
    """The output is new every frame: its bounds are the view's, not its data's padded
    by pixels, so a frame spends nothing on them (issue 23)."""
    output = window.plot.output_item
    (left, right), (bottom, top) = window.plot.view_box.viewRange()
    rect = output.boundingRect()
    assert np.allclose([rect.left(), rect.right()], [left, right])
    assert np.allclose(sorted([rect.top(), rect.bottom()]), [bottom, top])
    output.setData(output.xData, output.yData * 0.5)
    assert output.boundingRect() == rect
