"""The D/W/A/G timeline: storage, sessions that keep it, the panel, the command line."""

from __future__ import annotations

import itertools
import json

import numpy as np
from helpers import rows_of
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSpinBox

from uat_explorer.core import OptimizerSpec, Session
from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.plots.timeline_plot import _signed_log


def open_timeline(qtbot, window):
    action = next(a for a in window.findChildren(QAction) if a.text() == "Timeline")
    assert action.shortcut().toString() == "Ctrl+Shift+T"
    action.trigger()
    QApplication.processEvents()
    return window.timeline


def test_batch_size_spin_status_and_highlight(qtbot, sine_window):
    window = sine_window
    spin = window.findChild(QSpinBox, "batchSizeSpin")
    assert spin.specialValueText() == "Full batch" and spin.value() == 0 and spin.isEnabled()
    spin.setValue(10)
    assert window.state.document.session.batch_size == 10
    window.training.step()
    assert window.training.wait_until_idle()
    status = window.findChild(QLabel, "statusEpochLabel")
    window.status.show()
    step = window.state.document.session.step
    epoch, batch = step * 10 // 200 + 1, (step * 10 % 200) // 10 + 1
    assert status.text() == f"epoch {epoch} · batch {batch} of 20"
    xs, _ = window.plot.batch.points.getData()
    assert xs.size == 10 and window.plot.batch.points.isVisible()
    window.state.editor.update_settings(optimizer=OptimizerSpec("lm"))
    window.status.show()
    assert not spin.isEnabled() and "full batch only" in spin.toolTip()
    assert window.state.document.batch_schedule() is None and not status.isVisible()
    assert not window.plot.batch.points.isVisible()  # nothing to mark: not painted either
    window.state.editor.update_settings(optimizer=OptimizerSpec("adam", 0.01))
    assert window.plot.batch.points.isVisible()  # mini-batches again


def test_the_lanes_end_with_now_and_follow_the_network(qtbot, sine_window):
    window = sine_window
    window.findChild(QSpinBox, "batchSizeSpin").setValue(20)
    panel = open_timeline(qtbot, window)
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.timeline.rows > 300, timeout=10_000)
    window.training.pause()
    panel.refresh()
    h = window.state.document.network.size
    weights = panel.view.weights.images[0].image
    assert weights.shape[0] == 3 * h + 1
    np.testing.assert_allclose(
        weights[:, -1], parameter_values(window.state.document.network), rtol=1e-6
    )
    gradients = panel.view.gradients.images[0].image
    cache = window.state.document.derived().gradients.flat()
    top = max(float(np.abs(s.gradients).max()) for s in window.state.document.timeline.segments)
    top = max(top, float(np.abs(cache).max()))
    np.testing.assert_allclose(gradients[:, -1], _signed_log(cache[:, None], top)[:, 0], atol=1e-5)
    # a new neuron: a new segment, one more row triple, and a break
    window.stack.add("tanh")
    window.training.start()
    qtbot.waitUntil(lambda: len(window.state.document.timeline.segments) == 2, timeout=10_000)
    window.training.pause()
    panel.refresh()
    shown = [image.image.shape[0] for image in panel.view.weights.images if image.isVisible()]
    assert shown == [3 * h + 1, 3 * h + 4] and len(panel.view.weights.breaks) == 1


def test_clicking_a_step_shows_its_network_and_esc_returns(qtbot, sine_window, tmp_path):
    window = sine_window
    panel = open_timeline(qtbot, window)
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > 200, timeout=10_000)
    window.training.pause()
    segment = window.state.document.timeline.segments[0]
    at = int(segment.steps[len(segment.steps) // 2])
    panel.scrub_to(at + 0.3)
    assert panel.scrubbed == at
    x = panel.plot.x_fine
    row = segment.weights[len(segment.steps) // 2]
    from uat_explorer.gui.panels.timeline_panel import network_of

    np.testing.assert_allclose(
        panel.plot.ghost.curve.getData()[1], network_of(segment, len(segment.steps) // 2)(x)
    )
    assert (
        panel.scrub.text().startswith(f"step {at:,}") and f"w1 = {row[0]:.3g}" in panel.scrub.text()
    )
    live = window.findChild(QPushButton, "timelineLiveButton")
    assert live.isEnabled()
    live.click()
    assert panel.scrubbed is None and panel.plot.ghost.curve.getData()[0].size == 0
    for label, name in (
        ("png", "t.png"),
        ("svg", "t.svg"),
        ("Weights history (CSV)…", "w.csv"),
        ("Gradients history (CSV)…", "g.csv"),
    ):
        assert panel.export.export(label, str(tmp_path / name))
    rows = rows_of(tmp_path / "w.csv")
    assert (
        rows[0][:4] == ["step", "w1", "b1", "v1"]
        and len(rows) == 2 + window.state.document.timeline.rows  # the stored steps and now
    )
    assert (tmp_path / "t.svg").read_text().lstrip().startswith("<?xml")


def test_saving_and_opening_keeps_the_loss_curve_and_timeline(qtbot, sine_window, tmp_path):
    window = sine_window
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > 100, timeout=10_000)
    window.training.pause()
    path = tmp_path / "lesson.json"
    assert window.save_path(path)
    steps, losses = window.state.document.history.arrays()
    window.files.open(path)
    again_steps, again = window.state.document.history.arrays()
    np.testing.assert_array_equal(again_steps, steps)
    np.testing.assert_allclose(again, losses)
    assert window.state.document.timeline.rows > 100


def test_heavy_hidden_panels_are_built_when_first_shown(qtbot, window):
    """The window opens without building the landscape and the timeline (~190 ms)."""
    from uat_explorer.gui.panels.landscape_panel import LandscapePanel
    from uat_explorer.gui.panels.timeline_panel import TimelinePanel

    for name, kind in (("timeline", TimelinePanel), ("landscape", LandscapePanel)):
        dock = window.docks[name]
        assert not isinstance(dock.widget(), kind)
        dock.toggleViewAction().trigger()
        QApplication.processEvents()
        assert isinstance(dock.widget(), kind) and dock.widget() is getattr(window, name)


def test_a_new_batch_size_starts_a_segment_whose_d_lane_shows_its_batches(qtbot, sine_window):
    window = sine_window
    panel = open_timeline(qtbot, window)
    window.training.step()  # full batch
    assert window.training.wait_until_idle()
    window.findChild(QSpinBox, "batchSizeSpin").setValue(50)
    window.training.step()
    assert window.training.wait_until_idle()
    segments = window.state.document.timeline.segments
    assert [s.batch for s in segments] == [0, 50]
    panel.refresh()
    full, mini = (image.image for image in panel.view.data.images[:2])
    assert (full == 1).all()  # every sample, every step
    assert np.allclose(mini.mean(axis=0), 50 / 200, atol=0.05)  # a quarter of them
    again = Session.from_dict(json.loads(json.dumps(window.state.document.session.to_dict())))
    assert [s.batch for s in again.history.timeline.segments] == [0, 50]


def test_a_real_click_on_a_lane_scrubs_to_that_step(qtbot, sine_window):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    window = sine_window
    panel = open_timeline(qtbot, window)
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > 300, timeout=10_000)
    window.training.pause()
    panel.refresh()
    lane = panel.view.weights
    view = lane.getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    point = lane.mapFromScene(view.mapViewToScene(QPointF(x0 + 0.4 * (x1 - x0), (y0 + y1) / 2)))
    QTest.mouseClick(lane.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    assert panel.scrubbed is not None
    assert abs(panel.scrubbed - (x0 + 0.4 * (x1 - x0))) <= 2 + (x1 - x0) / lane.width() * 2
    QTest.keyClick(panel, Qt.Key.Key_Escape)
    assert panel.scrubbed is None


# -- issue 19: the timeline on the projector -----------------------------------------------
def trained_timeline(qtbot, window, steps=300):
    panel = open_timeline(qtbot, window)
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.session.step > steps, timeout=10_000)
    window.training.pause()
    panel.refresh()
    return panel


def test_w_and_g_have_a_colour_scale_with_numbers(qtbot, sine_window):
    from uat_explorer.core.nn.formula import number

    panel = trained_timeline(qtbot, sine_window)
    view = panel.view
    timeline = sine_window.state.document.timeline
    w_top = float(view.weights.bar.levels()[1])
    assert view.weights.bar.levels() == (-w_top, w_top) and w_top > 0
    texts = [text for _, text in view.weights.bar.axis._tickLevels[0]]
    assert number(w_top) in texts and number(-w_top) in texts
    g_top = max(float(np.abs(s.gradients).max()) for s in timeline.segments)
    g_top = max(g_top, float(np.abs(sine_window.state.document.derived().gradients.flat()).max()))
    texts = [text for _, text in view.gradients.bar.axis._tickLevels[0]]
    assert number(g_top) in texts  # the scale's end is the largest |g|, not 1
    assert all(lane.bar.isVisible() for lane in view.lanes)  # four scales: the x axes align
    left = {round(lane.getViewBox().sceneBoundingRect().right()) for lane in view.lanes}
    assert len(left) == 1


def _label_pixels(lane):
    """Each row label's centre, in pixels from the top of the lane's view."""
    height = lane.getViewBox().height()
    return [value / lane.rows * height for value, _ in lane.getAxis("left")._tickLevels[0]]


def test_row_labels_neither_overlap_nor_get_cut(qtbot):
    """Issue 19: the G lane's names overlapped (one every ceil(19/6) rows, whatever its
    height), and the D lane's last index sat on the lane's edge, half cut off."""
    from PySide6.QtGui import QFontMetricsF

    from uat_explorer.plots.theme import scaled_font
    from uat_explorer.plots.timeline_plot import LanePlot

    names = [f"p{k}" for k in range(19)]
    for scale in (1.0, 2.0):
        for height in (70, 110, 300):
            lane = LanePlot("G", "lane", "CET-D1")
            qtbot.addWidget(lane)
            lane.set_scale(scale)
            lane.resize(500, height)
            lane.show()
            qtbot.wait(20)
            lane.show_blocks([], (-1, 1), 19, names)
            line = QFontMetricsF(scaled_font(scale)).height()
            shown = _label_pixels(lane)
            assert shown and all(b - a >= line for a, b in itertools.pairwise(shown))
            data = LanePlot("D", "data", "viridis")
            qtbot.addWidget(data)
            data.set_scale(scale)
            data.resize(500, height)
            data.show()
            qtbot.wait(20)
            data.show_blocks([], (0, 1), 64, None, ("0", "199"))
            ends = _label_pixels(data)
            inside = data.getViewBox().height()
            assert all(line / 2 <= y <= inside - line / 2 for y in ends)
            if inside >= 3 * line:  # room for both ends: the last is shown, inside
                assert [t for _, t in data.getAxis("left")._tickLevels[0]] == ["0", "199"]


def test_the_diagram_says_the_letters_of_the_lanes(qtbot, window):
    """Issue 19: the diagram said D′ where the lanes and the text say D."""
    panel = open_timeline(qtbot, window)
    diagram = panel.view.diagram
    diagram.grab()
    letters = [panel.view.findChild(QLabel, f"timelineLegend{k}").text() for k in "DWAG"]
    assert sorted(diagram.painted) == sorted(t.split("</b>")[0][-1] for t in letters)
    assert "′" not in diagram.toolTip()


def test_the_export_honours_a_size(qtbot, sine_window, tmp_path):
    """Issue 19: the PNG was always the widget as shown (744 × 336)."""
    from PySide6.QtGui import QImage

    from uat_explorer.export.figures import FigureOptions

    panel = trained_timeline(qtbot, sine_window)
    for width, height, scale in ((1280, 720, 1.0), (1920, 1080, 1.0), (800, 450, 2.0)):
        path = tmp_path / f"t{width}.png"
        panel.export_png(str(path), FigureOptions(width, height, scale))
        image = QImage(str(path))
        assert (image.width(), image.height()) == (round(width * scale), round(height * scale))
    from uat_explorer.export.figures import SIZES
    from uat_explorer.gui.widgets.plot_export import ChosenSize

    chosen = ChosenSize.size
    try:
        ChosenSize.size = SIZES[0]  # the Export buttons' size: as shown, twice the pixels
        shown = tmp_path / "shown.png"
        size = (2 * panel.view.width(), 2 * panel.view.height())  # before "Exported …" shows
        assert panel.export.export("png", str(shown))
        image = QImage(str(shown))
        assert (image.width(), image.height()) == size
        ChosenSize.size = SIZES[2]  # a full HD slide: the PNG and the copied image
        slide = tmp_path / "slide.png"
        assert panel.export.export("png", str(slide))
        assert (QImage(str(slide)).width(), QImage(str(slide)).height()) == (1920, 1080)
        copied = panel.export.image()
        assert (copied.width(), copied.height()) == (1920, 1080)
    finally:
        ChosenSize.size = chosen
    tiny = tmp_path / "tiny.png"  # less than the captions need: still the size asked for
    panel.export_png(str(tiny), FigureOptions(300, 60, 2.0))
    assert (QImage(str(tiny)).width(), QImage(str(tiny)).height()) == (600, 120)


def test_the_csvs_end_with_now(qtbot, sine_window, tmp_path):
    """Issue 19: the W and G histories stopped at the last stored step; the lanes end
    with now, the weights and the gradient of the step about to be taken."""
    from uat_explorer.gui.panels.timeline_panel import history_table

    window = sine_window
    panel = trained_timeline(qtbot, window)
    document = window.state.document
    for label, name in (("Weights history (CSV)…", "w.csv"), ("Gradients history (CSV)…", "g.csv")):
        assert panel.export.export(label, str(tmp_path / name))
    weights, gradients = rows_of(tmp_path / "w.csv"), rows_of(tmp_path / "g.csv")
    step = document.session.step
    assert int(weights[-1][0]) == step == int(gradients[-1][0])
    assert int(weights[-2][0]) < step
    np.testing.assert_allclose(
        [float(v) for v in weights[-1][1:]], parameter_values(document.network), rtol=1e-6
    )
    np.testing.assert_allclose(
        [float(v) for v in gradients[-1][1:]], document.derived().gradients.flat(), rtol=1e-5
    )
    again = history_table(document.timeline, "weights", document.timeline.segments[-1])
    assert len(again[1]) == document.timeline.rows  # a stored step is not written twice


def test_presentation_scale_grows_the_lanes(qtbot, window):
    from uat_explorer.gui.panels.context import Scales

    panel = open_timeline(qtbot, window)
    assert isinstance(panel, Scales)
    panel.set_scale(1.5)
    view = panel.view
    assert all(lane.text_scale == 1.5 and lane.line_scale == 1.5 for lane in view.lanes)
    assert view.diagram.width() == 225 and view.matrix.text_scale == 1.5
    assert "19.5pt" in view.gradients.getAxis("left").labelText
    assert view.gradients.bar.axis.style["tickFont"].pointSizeF() == 13.5


def test_row_names_never_run_into_the_lane_letter(qtbot, sine_window):
    """Seen at 1920 × 1080 with 69 neurons: "w36" was drawn over the W lane's letter (the
    left axis kept 46 px); the four lanes keep one left edge, so their steps line up."""
    window = sine_window
    for _ in range(61):
        window.stack.add("sigmoid")
    panel = trained_timeline(qtbot, window, steps=20)
    for scale in (1.0, 2.0):
        panel.set_scale(scale)
        panel.refresh()
        qtbot.wait(30)  # the layout takes the new widths
        lanes = panel.view.lanes
        widths = {lane.getAxis("left").width() for lane in lanes}
        assert len(widths) == 1
        assert widths.pop() >= max(lane.label_width() for lane in lanes)
        left = {round(lane.getViewBox().sceneBoundingRect().left()) for lane in lanes}
        assert len(left) == 1
