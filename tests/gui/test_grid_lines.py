"""Grid lines drawn opaque in the colour their faint one showed, under the curves (issue
23: Qt blends a translucent line 20–30× slower, and a race plot's grid took ~40 ms)."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
from pyqtgraph.exporters import SVGExporter
from PySide6.QtGui import QColor, QImage, QPainter, QPen

from uat_explorer.plots.error_plot import ErrorVsNeuronsPlot
from uat_explorer.plots.lines.grid import GridAxis, grid_under_curves, opaque_pen
from uat_explorer.plots.race_plot import RaceLossPlot
from uat_explorer.plots.theme import ThemedPlot


def test_the_opaque_colour_is_what_the_faint_one_blends_to():
    faint = QColor(0, 0, 0, 64)
    paper = QColor(255, 255, 255)
    pen = opaque_pen(QPen(faint, 1.0), paper)
    assert pen.color().alpha() == 255
    assert abs(pen.color().red() - round(255 * (1 - 64 / 255))) <= 1
    assert pen.widthF() == 1.0


def _drawn(plot: ThemedPlot) -> np.ndarray:
    image = plot.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height = image.width(), image.height()
    rows = np.frombuffer(bytes(image.constBits()), np.uint8)
    return rows.reshape(height, image.bytesPerLine())[:, : 3 * width].reshape(height, width, 3)


def _pens(plot: ThemedPlot) -> list[QPen]:
    image = QImage(plot.width(), plot.height(), QImage.Format.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    specs = plot.getAxis("left").generateDrawSpecs(painter)
    painter.end()
    assert specs is not None
    return [pen for pen, _, _ in specs[1]]


def _gridded(qtbot, background: str | None, red_line: bool = False) -> ThemedPlot:
    """A shown plot with a grid under the curves over ``background``, and a red line
    across it at y = 5 if asked."""
    plot = ThemedPlot()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.setBackground(background)
    grid_under_curves(plot.getPlotItem(), 0.5)
    if red_line:
        x = np.linspace(0, 10, 200)
        plot.plot(x, np.full_like(x, 5.0), pen=pg.mkPen("r", width=3))
        plot.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def test_a_grid_under_the_curves_is_opaque_and_behind_them(qtbot):
    plot = _gridded(qtbot, "w", red_line=True)
    assert isinstance(plot.getAxis("left"), GridAxis)
    assert all(pen.color().alpha() == 255 for pen in _pens(plot))
    pixels = _drawn(plot)
    reds = (pixels[..., 0] > 200) & (pixels[..., 1] < 60) & (pixels[..., 2] < 60)
    # The red line runs unbroken across every vertical grid line.
    columns = np.nonzero(reds.any(axis=0))[0]
    assert columns.size and np.all(np.diff(columns) == 1)


def test_over_a_see_through_background_the_grid_keeps_its_alpha(qtbot):
    plot = _gridded(qtbot, None)
    assert any(pen.color().alpha() < 255 for pen in _pens(plot))


def test_the_function_loss_and_race_plots_draw_their_grids_opaque(qtbot, window):
    race, errors = RaceLossPlot(), ErrorVsNeuronsPlot()
    qtbot.addWidget(race)
    qtbot.addWidget(errors)
    for plot in (window.plot, window.loss_plot, race, errors):
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            assert isinstance(axis, GridAxis) and axis.opaque
        assert all(pen.color().alpha() == 255 for pen in _pens(plot))


def test_an_svg_export_keeps_the_grid_faint_and_under_the_curve(qtbot):
    """The exporter orders siblings by z alone and may draw on another background."""
    plot = _gridded(qtbot, "w", red_line=True)
    svg = SVGExporter(plot.getPlotItem()).export(toBytes=True).decode()
    faint = [m.start() for m in re.finditer(r'stroke-opacity="0\.\d+"', svg)]
    assert faint and max(faint) < svg.index('stroke="#ff0000"')
    assert all(pen.color().alpha() == 255 for pen in _pens(plot))  # opaque on screen again


def test_a_new_background_redraws_the_grid_in_its_colour(qtbot):
    plot = _gridded(qtbot, "w")
    on_white = {pen.color().rgb() for pen in _pens(plot)}
    plot.getAxis("left").picture = "stale"
    plot.setBackground("k")
    assert plot.getAxis("left").picture is None
    assert {pen.color().rgb() for pen in _pens(plot)}.isdisjoint(on_white)


def test_an_axis_title_is_parsed_again_only_when_it_changes(qtbot):
    plot = ThemedPlot()
    qtbot.addWidget(plot)
    axis = plot.getAxis("bottom")
    parsed: list[str] = []
    original = axis.label.setHtml
    axis.label.setHtml = lambda html: (parsed.append(html), original(html))
    plot.setLabel("bottom", "step")
    for end in (10, 100, 1000):
        plot.setXRange(0, end)
    assert len(parsed) == 1 and "step" in axis.label.toHtml()
    plot.setLabel("bottom", "epoch")
    assert len(parsed) == 2 and "epoch" in axis.label.toHtml()


def test_a_plot_shows_the_left_and_bottom_axes_and_those_it_is_given(qtbot):
    plain, given = ThemedPlot(), ThemedPlot(axisItems={"right": GridAxis("right")})
    for plot in (plain, given):
        qtbot.addWidget(plot)
        assert all(isinstance(plot.getAxis(side), GridAxis) for side in ("left", "top"))
    assert [plain.getAxis(s).isVisibleTo(plain.getPlotItem()) for s in ("left", "bottom")] == [
        True,
        True,
    ]
    assert not plain.getAxis("top").isVisibleTo(plain.getPlotItem())
    assert not plain.getAxis("right").isVisibleTo(plain.getPlotItem())
    assert given.getAxis("right").isVisibleTo(given.getPlotItem())
