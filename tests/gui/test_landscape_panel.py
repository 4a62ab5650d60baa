"""The loss landscape: the numbers (core), the panel (window) and the command line."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import rows_of
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QPushButton

from uat_explorer.core import Target
from uat_explorer.core.nn.parameters import parameter_names
from uat_explorer.core.teaching.landscape import Landscape, default_range
from uat_explorer.plots.in_view import in_view


def open_landscape(qtbot, window):
    action = next(a for a in window.findChildren(QAction) if a.text() == "Landscape")
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    action.trigger()
    panel = window.landscape
    qtbot.waitUntil(lambda: panel.isVisible() and panel.losses.size > 0 and panel._job is None)
    return panel


def test_the_panel_opens_on_v1_v2_over_the_default_range(qtbot, window):
    panel = open_landscape(qtbot, window)
    combos = [window.findChild(QComboBox, n) for n in ("landscapeXCombo", "landscapeYCombo")]
    assert [c.currentText() for c in combos] == ["v1", "v2"]
    names = parameter_names(window.state.document.network.size)
    assert [combos[0].itemText(i) for i in range(combos[0].count())] == names
    net = window.state.document.network
    assert panel.losses.shape == (100, 100)
    low, high = default_range(net.v[0])
    assert panel.xs[0] == pytest.approx(low) and panel.xs[-1] == pytest.approx(high)
    x, t = window.state.document.training_data()
    expected = Landscape(net, x, t, window.state.document.session.loss, ["v1", "v2"]).grid(
        panel.xs, panel.ys
    )
    np.testing.assert_allclose(panel.losses, expected, rtol=1e-12)
    assert "the surface moves" in window.findChild(QLabel, "landscapeNoteLabel").text()


def test_one_parameter_mode_draws_the_tangent_with_the_cached_gradient(qtbot, window):
    panel = open_landscape(qtbot, window)
    panel.mode.setCurrentText("One parameter")
    panel.x_combo.setCurrentText("w1")
    qtbot.waitUntil(lambda: panel._job is None and panel.losses.ndim == 1)
    xs, ys = panel.plot.tangent.getData()
    slope = (ys[1] - ys[0]) / (xs[1] - xs[0])
    assert slope == pytest.approx(window.state.document.derived().gradients.w[0], rel=1e-9)
    rate = window.state.document.session.optimizer.learning_rate
    landed_x = panel.plot.next_point.data["x"][0]
    assert landed_x == pytest.approx(window.state.document.network.w[0] - rate * slope)


def test_step_moves_only_the_shown_parameter_and_undoes(qtbot, window):
    panel = open_landscape(qtbot, window)
    panel.mode.setCurrentText("One parameter")
    before = window.state.document.network.copy()
    grad = window.state.document.derived().gradients.v[0]
    rate = window.state.document.session.optimizer.learning_rate
    window.findChild(QPushButton, "landscapeStepButton").click()
    after = window.state.document.network
    assert after.v[0] == pytest.approx(before.v[0] - rate * grad)
    np.testing.assert_array_equal(after.w, before.w)
    np.testing.assert_array_equal(after.v[1:], before.v[1:])
    window.state.editor.undo_stack.undo()
    assert window.state.document.network == before


def test_a_click_sets_both_parameters_and_a_drag_is_one_undo_step(qtbot, window):
    panel = open_landscape(qtbot, window)
    stack = window.state.editor.undo_stack
    count = stack.count()
    panel._picked(0.5, -0.25, "click")
    assert (window.state.document.network.v[0], window.state.document.network.v[1]) == (0.5, -0.25)
    assert stack.count() == count + 1
    for phase, (x, y) in zip(
        ["start", "move", "move", "finish"],
        [(1, 1), (1.2, 1), (1.4, 0.9), (1.5, 0.8)],
        strict=True,
    ):
        panel._picked(x, y, phase)
    assert stack.count() == count + 2
    assert (window.state.document.network.v[0], window.state.document.network.v[1]) == (1.5, 0.8)
    stack.undo()
    assert (window.state.document.network.v[0], window.state.document.network.v[1]) == (0.5, -0.25)
    # moving the shown parameters moves the point, not the surface: nothing recomputed
    assert panel._job is None


def test_training_draws_a_path_and_reset_clears_it(qtbot, sine_window):
    window = sine_window
    panel = open_landscape(qtbot, window)
    window.training.start()
    qtbot.waitUntil(lambda: len(panel._path) > 5, timeout=10_000)
    window.training.pause()

    def drawn():  # the path is drawn with the point, a few times a second
        xs = panel.plot.path.getData()[0]
        return xs is not None and xs.size == len(panel._path)

    qtbot.waitUntil(drawn)
    xs, ys = panel.plot.path.getData()
    assert (xs[-1], ys[-1]) == (
        window.state.document.network.v[0],
        window.state.document.network.v[1],
    )
    window.findChild(QPushButton, "resetButton").click()
    qtbot.waitUntil(lambda: panel._path == [])
    shown = panel.plot.path.getData()[0]
    assert shown is None or shown.size == 0


def test_the_landscape_exports_png_svg_and_csv(qtbot, window, tmp_path):
    panel = open_landscape(qtbot, window)
    for kind in ("png", "svg", "csv"):
        assert panel.export.export(kind, str(tmp_path / f"l.{kind}"))
    rows = rows_of(tmp_path / "l.csv")
    assert rows[0] == ["v1", "v2", "loss"] and len(rows) == 1 + 100 * 100
    assert (tmp_path / "l.png").read_bytes()[:4] == b"\x89PNG"
    assert not panel.export.export("csv", str(tmp_path / "no" / "such" / "l.csv"))
    assert "Could not write" in window.findChild(QLabel, "landscapeMessageLabel").text()


def test_a_data_target_and_a_muted_network_show_without_trouble(qtbot, window):
    panel = open_landscape(qtbot, window)
    window.state.editor.set_target(
        Target.from_points(np.linspace(0, 1, 30), np.linspace(0, 1, 30) ** 2)
    )
    for j in range(window.state.document.network.size):
        window.state.editor.edit_neuron(j, muted=True)
    qtbot.waitUntil(lambda: panel._job is None)
    panel.refresh()
    qtbot.waitUntil(lambda: panel._job is None)
    assert np.ptp(panel.losses) == 0
    assert "muted" in window.findChild(QLabel, "landscapeNoteLabel").text()


def test_the_panel_runs_in_bands(qtbot, window):
    """The surface arrives between events: no single band is the whole 200 × 200 grid."""
    panel = open_landscape(qtbot, window)
    window.state.editor.set_samples(2000)
    panel.grid_combo.setCurrentText("200 × 200")
    QApplication.processEvents()
    bands = list(
        Landscape(
            window.state.document.network,
            *window.state.document.training_data(),
            "mse",
            ["v1", "v2"],
        ).bands(np.zeros(200), np.zeros(200))
    )
    assert len(bands) > 1
    qtbot.waitUntil(lambda: panel._job is None and panel.losses.shape == (200, 200))


def test_the_same_parameter_twice_or_no_neurons_is_said_not_drawn(qtbot, window):
    panel = open_landscape(qtbot, window)
    panel.y_combo.setCurrentText("v1")
    note = window.findChild(QLabel, "landscapeNoteLabel")
    assert "two different parameters" in note.text() and panel._job is None
    window.state.editor.set_neuron_count(0, "sigmoid")
    assert [panel.x_combo.itemText(i) for i in range(panel.x_combo.count())] == ["c"]
    assert "only c" in note.text()
    panel.mode.setCurrentText("One parameter")
    qtbot.waitUntil(lambda: panel._job is None and panel.losses.size == 400)
    window.docks["timeline"].toggleViewAction().trigger()  # the timeline copes too
    window.timeline.refresh()
    assert window.timeline.view.weights.images[0].image.shape[0] == 1  # c alone


def test_real_mouse_drags_on_the_map_set_the_two_weights_in_one_undo_step(qtbot, window):
    from gui_helpers import drag
    from PySide6.QtCore import QPointF

    panel = open_landscape(qtbot, window)
    plot = panel.plot
    view = plot.getViewBox()

    def widget_point(x: float, y: float) -> tuple[float, float]:
        point = plot.mapFromScene(view.mapViewToScene(QPointF(x, y)))
        return point.x(), point.y()

    (x0, x1), (y0, y1) = view.viewRange()
    start = ((x0 + x1) / 2, (y0 + y1) / 2)
    end = (x0 + 0.7 * (x1 - x0), y0 + 0.3 * (y1 - y0))
    count = window.state.editor.undo_stack.count()
    path = [widget_point(*start)]
    path += [
        widget_point(start[0] + k * (end[0] - start[0]) / 5, start[1] + k * (end[1] - start[1]) / 5)
        for k in range(1, 6)
    ]
    drag(plot.viewport(), path)
    net = window.state.document.network
    cell = (x1 - x0) / plot.width() * 3
    assert net.v[0] == pytest.approx(end[0], abs=cell) and net.v[1] == pytest.approx(
        end[1], abs=cell * 2
    )
    assert window.state.editor.undo_stack.count() == count + 1


def test_a_real_click_on_the_map_sets_the_two_weights(qtbot, window):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtTest import QTest

    panel = open_landscape(qtbot, window)
    plot, view = panel.plot, panel.plot.getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    target = (x0 + 0.25 * (x1 - x0), y0 + 0.75 * (y1 - y0))
    point = plot.mapFromScene(view.mapViewToScene(QPointF(*target)))
    QTest.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    net = window.state.document.network
    tolerance = 2 * (x1 - x0) / plot.width()
    assert net.v[0] == pytest.approx(target[0], abs=tolerance)
    assert net.v[1] == pytest.approx(target[1], abs=2 * (y1 - y0) / plot.height())


def test_the_path_has_a_point_for_every_step_trained(qtbot, window):
    panel = open_landscape(qtbot, window)
    for _ in range(3):
        window.training.step()  # ten steps each, several frames' worth or one
        assert window.training.wait_until_idle()
    qtbot.waitUntil(lambda: panel._path and panel._path[-1][2] == 30, timeout=3000)
    steps = [step for _x, _y, step in panel._path]
    assert set(range(31)) <= set(steps)  # steps 0 … 29 from the rows, and now (30)
    net = window.state.document.network
    x, y, _ = panel._path[-1]
    assert (x, y) == (net.v[0], net.v[1])


def test_hand_steps_leave_a_trail(qtbot, window):
    panel = open_landscape(qtbot, window)
    start = (window.state.document.network.v[0], window.state.document.network.v[1])
    panel.step.click()
    panel.step.click()
    window.docks["backprop"].show()
    window.findChild(QPushButton, "applyUpdateButton").click()
    assert len(panel._path) == 4 and panel._path[0][:2] == start
    moved = {p[:2] for p in panel._path}
    assert len(moved) == 4  # every step went somewhere


def test_a_diverged_run_keeps_its_path_marked(qtbot, window):
    from uat_explorer.core import OptimizerSpec

    panel = open_landscape(qtbot, window)
    window.state.editor.update_settings(optimizer=OptimizerSpec("sgd", 400.0))
    window.training.start()
    qtbot.waitUntil(lambda: window.state.document.diverged_run is not None, timeout=10_000)
    qtbot.waitUntil(lambda: bool(panel._diverged), timeout=3000)
    restored = window.state.document.diverged_run.restored_step
    assert all(step <= restored for _x, _y, step in panel._path)
    assert panel._diverged[0][2] == restored
    qtbot.waitUntil(lambda: panel.plot.diverged_end.data.size == 1, timeout=2000)


def test_train_only_the_shown_parameters(qtbot, window):
    from uat_explorer.core import OptimizerSpec
    from uat_explorer.core.nn.parameters import parameter_values

    panel = open_landscape(qtbot, window)
    panel.shown_only.setChecked(True)
    assert window.state.view.trained_only == ("v1", "v2")
    before = parameter_values(window.state.document.network)
    window.training.step()
    assert window.training.wait_until_idle()
    after = parameter_values(window.state.document.network)
    size = window.state.document.network.size
    names = parameter_names(size)
    moved = {names[i] for i in np.flatnonzero(np.abs(after - before) > 1e-6)}
    assert moved == {"v1", "v2"}
    window.state.editor.update_settings(optimizer=OptimizerSpec("lm", 0.01))
    assert not panel.shown_only.isEnabled() and window.state.view.trained_only is None
    assert "solves for every parameter together" in panel.shown_only.toolTip()


def test_the_colour_bar_numbers_grow_with_the_presentation_scale(qtbot):
    """Seen in presentation mode: the map's axes grew, its colour bar's numbers and
    label stayed small."""
    from uat_explorer.plots.landscape_plot import LandscapePlot

    plot = LandscapePlot()
    qtbot.addWidget(plot)
    axis = plot.bar.axis
    normal = axis.style["tickFont"].pointSizeF() if axis.style["tickFont"] else None
    plot.set_scale(2.0)
    grown = axis.style["tickFont"]
    assert (
        grown is not None
        and grown.pointSizeF() == plot.getAxis("left").style["tickFont"].pointSizeF()
    )
    assert normal is None or grown.pointSizeF() == 2 * normal
    assert axis.label.font().pointSizeF() == grown.pointSizeF()


def test_opened_after_training_the_map_draws_the_path_already_trained(qtbot, sine_window):
    """Seen in a slide: 500 steps trained in the Train workspace, then the Landscape
    workspace showed only the dot, though the document's timeline holds every step's
    weights; choosing other parameters drew nothing of the run either."""
    window = sine_window
    window.training.advance(200)
    assert window.training.wait_until_idle(30)
    panel = open_landscape(qtbot, window)
    steps = [k for _, _, k in panel._path]
    assert len(steps) > 100 and steps[-1] == window.state.document.step
    panel.x_combo.setCurrentText("w1")
    xs = [a for a, _, _ in panel._path]
    assert len(xs) > 100 and xs[-1] == pytest.approx(window.state.document.network.w[0])


def test_trained_behind_a_tab_the_path_is_read_from_the_timeline_when_it_comes_to_the_front(
    qtbot, sine_window
):
    """Issue 23: out of view it records nothing each frame, and loses nothing."""
    window = sine_window
    panel = open_landscape(qtbot, window)
    window.docks["loss"].raise_()  # the Loss tab in front of the landscape's
    qtbot.waitUntil(lambda: not in_view(panel))
    window.training.advance(300)
    assert window.training.wait_until_idle(30)
    assert len(panel._path) <= 1  # nothing recorded while nobody saw it
    window.docks["landscape"].raise_()
    qtbot.waitUntil(lambda: len(panel._path) > 100)
    steps = [k for _, _, k in panel._path]
    assert steps == sorted(steps) and steps[-1] == window.state.document.step
    net = window.state.document.network
    assert panel._path[-1][:2] == (net.v[0], net.v[1])
