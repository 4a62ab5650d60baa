"""The D/W/A/G timeline: storage, sessions that keep it, the panel, the command line."""

from __future__ import annotations

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
    assert xs.size == 10
    window.state.editor.update_settings(optimizer=OptimizerSpec("lm"))
    window.status.show()
    assert not spin.isEnabled() and "full batch only" in spin.toolTip()
    assert window.state.document.batch_schedule() is None and not status.isVisible()


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
        and len(rows) == 1 + window.state.document.timeline.rows
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
