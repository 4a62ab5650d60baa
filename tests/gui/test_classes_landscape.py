"""The classes window's Loss landscape tab: the cross-entropy map computed off the
window's thread, the weights now and training's path on it, and a click that sets two
parameters as one undo step."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from uat_explorer.core.teaching.landscape import default_range
from uat_explorer.gui.classes import landscape_tab
from uat_explorer.gui.classes.window import ClassesWindow


def shown(qtbot) -> ClassesWindow:
    window = ClassesWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.tabs.setCurrentWidget(window.landscape)
    tab = window.landscape
    qtbot.waitUntil(lambda: tab.losses.size > 0 and not tab.grids.busy, timeout=10_000)
    return window


def test_the_map_is_the_cross_entropy_with_the_point_and_path_drawn(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    assert (tab.across.currentText(), tab.up.currentText()) == ("v1→A", "v2→A")
    for _ in range(3):
        window.step_once()
    qtbot.waitUntil(lambda: not tab.grids.busy, timeout=10_000)
    tab.refresh()
    qtbot.waitUntil(lambda: not tab.grids.busy, timeout=10_000)
    theta = window.trainer.theta
    first, second = tab.axes
    assert tab.losses.shape == (41, 41) and tab.plot.image.image is not None
    # The map's value at the point now is the window's cross-entropy.
    column = int(np.argmin(np.abs(tab.xs - theta[first])))
    row = int(np.argmin(np.abs(tab.ys - theta[second])))
    moved = theta.copy()
    moved[first], moved[second] = tab.xs[column], tab.ys[row]
    assert tab.losses[row, column] == pytest.approx(window.trainer.problem.loss(moved), abs=1e-12)
    px, py = tab.plot.point.getData()
    assert (px[0], py[0]) == (theta[first], theta[second])
    path_x, path_y = tab.plot.path.getData()
    assert len(path_x) == len(window.history) == 4  # step 0 and three steps
    assert path_x[-1] == theta[first] and path_y[0] == window.history.thetas[0][second]
    assert len(tab.plot.contours.getData()[0]) > 0
    assert "Cross-entropy over v1→A and v2→A" in tab.note.text()


def test_the_grid_is_computed_off_the_windows_thread(qtbot, monkeypatch):
    threads = []
    real = landscape_tab.ClassLandscape.grid

    def grid(self, xs, ys):
        threads.append(threading.current_thread())
        return real(self, xs, ys)

    monkeypatch.setattr(landscape_tab.ClassLandscape, "grid", grid)
    shown(qtbot)
    assert threads and threading.main_thread() not in threads


def test_a_hidden_tab_computes_nothing(qtbot, monkeypatch):
    window = ClassesWindow()
    qtbot.addWidget(window)
    window.show()
    submitted = []
    monkeypatch.setattr(window.landscape.grids, "submit", submitted.append)
    window.step_once()
    window.landscape.refresh()
    assert submitted == []
    window.tabs.setCurrentWidget(window.landscape)
    qtbot.waitUntil(lambda: len(submitted) == 1, timeout=5000)


def test_a_click_sets_the_two_parameters_and_undo_takes_them_back(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    first, second = tab.axes
    before = window.trainer.theta.copy()
    tab.set_at(1.25, -0.5, "click")
    after = window.trainer.theta
    assert (after[first], after[second]) == (1.25, -0.5)
    assert np.array_equal(np.delete(after, [first, second]), np.delete(before, [first, second]))
    assert window.file.undo_stack.undoText() == "Set v1→A and v2→A on the landscape"
    window.file.undo_action.trigger()
    assert np.array_equal(window.trainer.theta, before)


def test_a_drag_is_one_undo_step(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    first = tab.axes[0]
    before = window.trainer.theta.copy()
    count = window.file.undo_stack.count()
    for x, phase in ((0.5, "start"), (0.7, "move"), (0.9, "finish")):
        tab.set_at(x, 0.25, phase)
    assert window.trainer.theta[first] == 0.9 and window.file.undo_stack.count() == count + 1
    window.file.undo_action.trigger()
    assert np.array_equal(window.trainer.theta, before)


def test_a_mouse_click_on_the_map_reaches_the_weights(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    tab._picked(0.75, 0.5, "click")  # what the image's mouse event calls
    first, second = tab.axes
    qtbot.waitUntil(lambda: window.trainer.theta[first] == 0.75, timeout=2000)
    assert window.trainer.theta[second] == 0.5


@pytest.mark.parametrize(
    ("across", "up", "says"),
    [((1.0, -1.0), (0.0, 1.0), "the first smaller"), ((np.nan, 1.0), (0.0, 1.0), "finite")],
)
def test_a_bad_range_is_said_and_the_map_stays(qtbot, across, up, says):
    window = shown(qtbot)
    tab = window.landscape
    losses = tab.losses
    tab.show_ranges(across, up)
    assert says in tab.message.text() and tab.message.isVisible()
    assert tab.losses is losses and not tab.grids.busy


def test_a_grid_too_large_is_said(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    tab.points.setValue(landscape_tab.MAX_POINTS + 1)
    assert "2 to 301 points" in tab.message.text()
    assert tab.losses.shape == (41, 41)


def test_the_same_parameter_twice_is_said(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    tab.up.setCurrentIndex(tab.across.currentIndex())
    assert "two different parameters" in tab.note.text()


def test_while_training_the_map_is_computed_a_few_times_a_second(qtbot, monkeypatch):
    window = shown(qtbot)
    computed = []
    real = landscape_tab.ClassLandscape.grid

    def grid(self, xs, ys):
        computed.append(1)
        return real(self, xs, ys)

    monkeypatch.setattr(landscape_tab.ClassLandscape, "grid", grid)
    window.landscape.points.setValue(5)  # quick: the throttle, not the work, sets the pace
    window.train.setChecked(True)
    qtbot.waitUntil(lambda: window.trainer.step > 0, timeout=10_000)
    qtbot.wait(2000)
    window.train.setChecked(False)
    assert 1 <= len(computed) <= 10  # four a second, and the first


def test_two_quick_choices_show_the_second_ones_map_in_its_view(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    tab.across.setCurrentText("w1")
    tab.up.setCurrentText("b1")  # while w1 and v2→A's grid is still being computed
    qtbot.waitUntil(lambda: not tab.grids.busy, timeout=10_000)
    first, second = tab.axes
    theta = window.trainer.theta
    assert tab.xs[0] == default_range(theta[first])[0]
    assert tab.ys[-1] == default_range(theta[second])[1]
    (x0, x1), (y0, y1) = tab.plot.viewRange()
    assert (x0, x1) == pytest.approx((tab.xs[0], tab.xs[-1]))
    assert (y0, y1) == pytest.approx((tab.ys[0], tab.ys[-1]))


def test_another_network_renames_the_choices(qtbot):
    window = shown(qtbot)
    tab = window.landscape
    window.neurons.setValue(1)
    tab.refresh()
    items = [tab.across.itemText(k) for k in range(tab.across.count())]
    assert items == ["w1", "b1", "v1→A", "v1→B", "v1→C", "c→A", "c→B", "c→C"]
    assert (tab.across.currentText(), tab.up.currentText()) == ("v1→A", "c→A")
    qtbot.waitUntil(lambda: not tab.grids.busy and tab.losses.size > 0, timeout=10_000)
    assert tab.axes == (2, 5)
