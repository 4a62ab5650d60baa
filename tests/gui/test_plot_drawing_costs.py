"""Wide lines swept from one-pixel strokes (issue 23): the same pixels as Qt's wide pen,
at a fraction of its cost, and the true pen in exports."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsView

from uat_explorer.core.teaching.race import RaceRun
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.plots.cached_text import CACHED
from uat_explorer.plots.lines.wide import MAX_STROKES, SweptCurve, SweptLine, sweep_offsets
from uat_explorer.plots.race_plot import RaceLossPlot
from uat_explorer.plots.theme import ThemedPlot


def test_the_offsets_cover_the_pen_and_stay_few():
    assert sweep_offsets(1.0) == () and sweep_offsets(0.5) == ()
    assert sorted(sweep_offsets(2.0)) == [(-0.5, -0.5), (-0.5, 0.5), (0.5, -0.5), (0.5, 0.5)]
    wide = sweep_offsets(3.5)
    assert len(wide) == 12  # a 4 × 4 grid, corners cut
    ticks = sorted({dx for dx, _ in wide})
    assert ticks[0] == -1.25 and ticks[-1] == 1.25 and np.all(np.diff(ticks) <= 1.0)
    assert sweep_offsets(8.0) == ()  # more than MAX_STROKES: Qt's own wide stroker
    assert all(len(sweep_offsets(w / 4)) <= MAX_STROKES for w in range(40))


class CountingPainter(QPainter):
    def __init__(self, image: QImage) -> None:
        super().__init__(image)
        self.paths = 0

    def drawPath(self, path: QPainterPath) -> None:
        self.paths += 1
        super().drawPath(path)


def _painted(item: pg.PlotCurveItem) -> tuple[QImage, int]:
    image = QImage(400, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = CountingPainter(image)
    item.paint(painter, None, None)
    painter.end()
    return image, painter.paths


def _ink(image: QImage) -> np.ndarray:
    """How dark each pixel is, 0 (white) … 1 (black), from the red channel."""
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1, 4)
    return 1.0 - pixels[..., 2] / 255.0


@pytest.mark.parametrize("width", [2.0, 3.5])
def test_a_swept_line_inks_the_pixels_the_wide_pen_does(qapp, width):
    x = np.linspace(10, 390, 700)
    y = 100 + 60 * np.sin(x / 40) + 15 * np.sin(x / 3)  # smooth, with steep stretches
    pen = pg.mkPen(QColor("black"), width=width)
    swept, plain = SweptCurve(), pg.PlotCurveItem()
    for item in (swept, plain):
        item.setData(x, y, pen=pen, antialias=True)
    fast, strokes = _painted(swept)
    slow, wide_strokes = _painted(plain)
    assert strokes == len(sweep_offsets(width)) and wide_strokes == 1
    fast_ink, slow_ink = _ink(fast), _ink(slow)
    assert fast_ink.sum() == pytest.approx(slow_ink.sum(), rel=0.15)  # as thick
    solid = slow_ink > 0.9  # the wide pen's core is inked by the sweep too
    assert np.mean(fast_ink[solid] > 0.5) > 0.97
    assert np.mean(slow_ink[fast_ink > 0.9] > 0.5) > 0.97  # and nothing far outside


def test_an_envelope_swept_along_one_axis_inks_what_the_wide_pen_does_in_half_the_strokes(
    qapp,
):
    """A peak-thinned zigzag (``lines/envelope.py``): the steep strokes swept across,
    the flat ones up and down."""
    from uat_explorer.plots.lines.envelope import steep_and_flat
    from uat_explorer.plots.lines.wide import axis_offsets

    rng = np.random.default_rng(3)
    x = np.repeat(np.arange(20.0, 380.0, 2.0), 2) + np.tile([0.0, 1.0], 180)
    y = 100 + rng.uniform(-40, 40, x.size) * np.tile([1, -1], 180)
    pen = pg.mkPen(QColor("black"), width=2.0)
    envelope, plain = SweptCurve(), pg.PlotCurveItem()
    envelope.envelope = True
    for item in (envelope, plain):
        item.setData(x, y, pen=pen, antialias=True)
    fast, strokes = _painted(envelope)
    slow, _ = _painted(plain)
    across, up_down = axis_offsets(2.0)
    assert strokes == len(across) + len(up_down) == len(sweep_offsets(2.0))
    fast_ink, slow_ink = _ink(fast), _ink(slow)
    assert fast_ink.sum() == pytest.approx(slow_ink.sum(), rel=0.15)
    assert np.mean(fast_ink[slow_ink > 0.9] > 0.5) > 0.95
    steep, flat = steep_and_flat(np.array([0.0, 1.0, 5.0]), np.array([0.0, 9.0, 9.5]), 1, 1)
    lines = [
        [
            (p.elementAt(i).x, p.elementAt(i).y)
            for i in range(p.elementCount())
            if p.elementAt(i).isLineTo()
        ]
        for p in (steep, flat)
    ]
    assert lines == [[(1.0, 9.0)], [(5.0, 9.5)]]  # the rise, then the run


def test_exports_dashes_and_see_through_pens_take_the_true_pen(qapp):
    curve = SweptCurve()
    x = np.linspace(10, 390, 50)
    curve.setData(x, 100 + 0 * x, pen=pg.mkPen("k", width=3), antialias=True)
    assert _painted(curve)[1] > 1
    curve.setExportMode(True, {"antialias": True})
    assert _painted(curve)[1] == 1
    curve.setExportMode(False)
    for pen in (
        pg.mkPen("k", width=3, style=Qt.PenStyle.DashLine),
        pg.mkPen((0, 0, 0, 100), width=3),
    ):
        curve.setPen(pen)
        assert _painted(curve)[1] == 1


def test_themed_plots_draw_their_lines_swept_with_legend_and_clicks(qapp):
    plot = ThemedPlot()
    plot.addLegend()
    line = plot.plot([0, 1, 2], [0, 1, 0], pen=pg.mkPen("b", width=2), name="output")
    assert isinstance(line, SweptLine) and isinstance(line.curve, SweptCurve)
    assert line.curve.parentItem() is line and len(line.childItems()) == 2  # no stray curve
    assert [label.text for _sample, label in plot.getPlotItem().legend.items] == ["output"]
    clicked = []
    line.sigClicked.connect(lambda item, event: clicked.append(item))
    line.curve.sigClicked.emit(line.curve, None)
    assert clicked == [line.curve]  # as pyqtgraph forwards its own curve's clicks
    plot.close()


def _grab_legend(plot: ThemedPlot) -> np.ndarray:
    QApplication.processEvents()
    image = plot.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    ink = _ink(image)[:60, :220]
    return np.abs(ink - ink[0, 0])  # how far from the background


def test_a_plots_words_are_painted_from_pixmaps_and_follow_a_rename(qapp):
    """Laying out the legend's and axes' text at every training frame cost ~0.4 ms of
    the function plot's ~4 ms paint (issue 23)."""
    plot = ThemedPlot()
    plot.resize(400, 300)
    plot.setLabel("bottom", "x")
    plot.addLegend(offset=(10, 10))
    plot.plot([0, 1, 2], [0, 1, 0], pen="b", name="output")
    plot.show()
    item = plot.getPlotItem()
    label = item.legend.items[0][1]
    assert label.item.cacheMode() == CACHED
    assert item.getAxis("bottom").label.cacheMode() == CACHED
    assert plot.cacheMode() == QGraphicsView.CacheModeFlag.CacheNone
    before = _grab_legend(plot)
    assert before.sum() > 20  # the name is drawn
    label.setText("a much longer name")
    after = _grab_legend(plot)
    assert after.sum() > 1.5 * before.sum()  # the new, longer name, not the old pixmap
    label.item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    assert np.abs(_grab_legend(plot) - after).max() < 0.02  # as Qt draws it uncached
    plot.close()


def _run(steps: int) -> RaceRun:
    run = RaceRun(OptimizerSpec("adam", 0.01), 1e-4)
    run.history = LossHistory()
    run.history.extend(0, 0.5 / (1 + np.arange(steps) / 100))
    return run


def test_a_race_going_on_grows_its_view_in_jumps_and_a_finished_one_ends_at_the_data(qapp):
    """The axes (and their grid) repaint from a pixmap while the range holds still."""
    plot = RaceLossPlot()
    plot.resize(600, 400)
    plot.show()
    QApplication.processEvents()
    runs = [_run(1000)]
    plot.show_runs(runs, growing=True)
    first = plot.viewRange()[0][1]
    assert first > 1.4 * 999
    runs[0].history.extend(1000, np.full(200, 0.01))
    plot.show_runs(runs, growing=True)
    assert plot.viewRange()[0][1] == first  # 1,199 steps: still inside, nothing regenerated
    runs[0].history.extend(1200, np.full(800, 0.01))
    plot.show_runs(runs, growing=True)
    assert plot.viewRange()[0][1] > 1.4 * 1999  # outgrown: one jump
    plot.show_runs(runs)
    assert plot.viewRange()[0][1] == pytest.approx(1999, rel=0.05)  # done: ends at the data
    plot.close()


def test_a_run_that_rose_far_without_diverging_stays_in_the_race_view(qapp):
    """Seen in a screenshot: raced from trained weights (loss 4e-7), lr 1 rose to 0.045,
    1000 × above the start, and its curve left the view with no mark."""
    plot = RaceLossPlot()
    calm, wild = _run(500), _run(500)
    calm.history, wild.history = LossHistory(), LossHistory()
    calm.history.extend(0, np.geomspace(4e-7, 1e-7, 500))
    wild.history.extend(0, np.geomspace(4e-7, 0.045, 500))
    plot.show_runs([calm, wild])
    assert plot.viewRange()[1][1] >= np.log10(0.045)
    wild.diverged_step = 499  # a run that diverged still leaves through the top
    plot.show_runs([calm, wild])
    assert plot.viewRange()[1][1] < np.log10(0.045)
    plot.close()


def test_a_plots_right_click_menu_is_made_when_first_asked_for(qapp):
    """Issue 23: made up front it cost ~8 ms a plot at the window's start."""
    plot = ThemedPlot()
    box = plot.getViewBox()
    assert box.menu is None and box.menuEnabled()
    menu = box.getMenu(None)
    assert menu is not None and "View All" in [a.text() for a in menu.actions()]
    assert box.getMenu(None) is menu and box.getContextMenus(None)
    plot.getPlotItem().setMenuEnabled(False)  # a plot that wants none gets none
    assert not box.menuEnabled() and box.getContextMenus(None) == []
    plot.close()
