"""The theorem, measured: the construction's error against N, for every ε an N (issue 12)."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSlider, QSpinBox

from uat_explorer.core import PRESETS, Target
from uat_explorer.core.teaching.construct import smallest_count, sweep


def samples(name: str, count: int = 200):
    target = Target.preset(name)
    domain = PRESETS[name].domain
    x, t = target.samples(domain, count)
    return target, domain, x, t


def open_panel(window):
    window.docks["construct"].toggleViewAction().trigger()
    return window.construct


def test_panel_items_and_find_n(window):
    panel = open_panel(window)
    combo = window.findChild(QComboBox, "constructModeCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Staircase (steps)",
        "Bumps (pairs of steps)",
        "Steep sigmoids",
    ]
    assert panel.plot.objectName() == "errorVsNeuronsPlot"
    panel.epsilon.setValue(0.05)
    window.findChild(QPushButton, "findNButton").click()
    text = window.findChild(QLabel, "constructResultLabel").text()
    x, t = window.state.document.training_data()
    expected = smallest_count(
        sweep(window.state.document.target, window.state.document.domain, x, t, range(1, 257)), 0.05
    )
    assert text == (
        f"N = {expected.neurons} neurons reach max |error| "
        f"{text.split('max |error| ')[1].split(' ≤')[0]} ≤ ε = 0.05"
    )
    assert window.state.document.network.size == expected.neurons
    assert "N^−1.0" in panel.plot.slope_text.toPlainText()


def test_a_jump_in_the_target_is_explained(window):
    window.state.editor.set_target(Target.from_text("step(x - 0.3137) + x"), (-1.0, 1.0))
    panel = open_panel(window)
    panel.epsilon.setValue(0.001)
    panel.find_n()
    text = window.findChild(QLabel, "constructResultLabel").text()
    assert text.startswith("No construction with at most 256 neurons reaches ε = 0.001")
    assert "continuous" in text


def test_dragging_the_count_is_one_undo_step_and_leaves_no_stale_cards(window):
    open_panel(window)
    slider = window.findChild(QSlider, "constructCountSlider")
    before = window.state.document.network.copy()
    depth = window.state.editor.undo_stack.count()
    slider.setSliderDown(True)
    for count in [*range(1, 257, 15), 256, *range(256, 0, -25), 3]:
        slider.setValue(count)
    slider.setSliderDown(False)
    assert window.state.editor.undo_stack.count() == depth + 1
    assert window.state.document.network.size == 3 == len(window.stack.cards)
    assert window.findChild(QSpinBox, "constructCountSpin").value() == 3
    window.state.editor.undo_stack.undo()
    assert window.state.document.network == before


def test_compare_with_training_plots_what_few_trained_neurons_reach(qtbot, window):
    """Real worker process: LM at N = 2 … 64 from 3 seeds, best kept, with progress."""
    panel = open_panel(window)
    button = window.findChild(QPushButton, "compareTrainingButton")
    button.click()
    qtbot.waitUntil(lambda: not button.isChecked(), timeout=60_000)
    xs, ys = panel.plot.trained.getData()
    assert len(xs) == 6 and panel.plot.trained.isVisible()
    errors = dict(zip(np.round(10**xs).astype(int), 10**ys, strict=True))
    x, t = window.state.document.training_data()
    construction = sweep(
        window.state.document.target, window.state.document.domain, x, t, range(8, 9)
    )[0]
    assert errors[8] < construction.max_abs_error / 10  # far fewer neurons for the error
    assert not panel.comparison.running


def test_compare_with_training_can_be_cancelled(qtbot, window):
    panel = open_panel(window)
    button = window.findChild(QPushButton, "compareTrainingButton")
    button.click()
    assert panel.comparison.running
    qtbot.waitUntil(lambda: panel.comparison.client.connected, timeout=10_000)
    process = panel.comparison.client.process
    button.click()
    assert not panel.comparison.running
    qtbot.waitUntil(lambda: not process.alive(), timeout=3_000)
    assert "cancelled" in window.findChild(QLabel, "constructResultLabel").text()


def test_neuron_curves_wait_for_the_release_and_then_catch_up(window):
    """While the count is dragged only the output follows (256 curves cost ~40 ms a tick);
    on release every neuron curve shows the network it belongs to."""
    open_panel(window)
    slider = window.findChild(QSlider, "constructCountSlider")
    plot = window.plot
    slider.setSliderDown(True)
    assert not plot.components_visible
    for count in (40, 80, 120):
        slider.setValue(count)
    slider.setSliderDown(False)
    assert plot.components_visible
    network = window.state.document.network
    last = plot.components[window.state.document.ids[-1]]
    expected = network.contribution(network.size - 1, plot.x_fine)[::5]
    np.testing.assert_allclose(last.yData, expected)


def test_cards_catch_up_once_at_the_end_of_a_drag(window):
    """Cards are rebuilt once when the drag ends, not at every tick of it."""
    open_panel(window)
    slider = window.findChild(QSlider, "constructCountSlider")
    built = []
    window.stack.sync_cards = lambda original=window.stack.sync_cards: (built.append(1), original())
    slider.setSliderDown(True)
    for count in range(20, 60, 5):
        slider.setValue(count)
    assert built == [] and window.state.document.network.size == 55
    slider.setSliderDown(False)
    assert built == [1] and len(window.stack.cards) == 55
