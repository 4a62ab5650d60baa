"""The theorem, measured: the construction's error against N, for every ε an N (issue 12)."""

from __future__ import annotations

import csv
import json
import math
import time

import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
)

from uat_explorer.core import PRESETS, Target
from uat_explorer.core.teaching.construct import smallest_count, sweep_points
from uat_explorer.gui.panels.context import KeepsChoices, Scales
from uat_explorer.plots.error_plot import TRAINED, ErrorVsNeuronsPlot


def samples(name: str, count: int = 200):
    target = Target.preset(name)
    domain = PRESETS[name].domain
    x, t = target.samples(domain, count)
    return target, domain, x, t


def open_panel(window):
    window.docks["construct"].toggleViewAction().trigger()
    return measured(window.construct)


def measured(panel):
    """The panel once its measurement (made in slices between frames) is done."""
    deadline = time.monotonic() + 20
    while panel.sweeping and time.monotonic() < deadline:
        QApplication.processEvents()
    assert not panel.sweeping
    return panel


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
    measured(panel)
    text = window.findChild(QLabel, "constructResultLabel").text()
    x, t = window.state.document.training_data()
    expected = smallest_count(
        list(
            sweep_points(
                window.state.document.target, window.state.document.domain, x, t, range(1, 257)
            )
        ),
        0.05,
    )
    assert text == (
        f"N = {expected.neurons} neurons reach max |error| "
        f"{text.split('max |error| ')[1].split(' ≤')[0]} ≤ ε = 0.05 over the domain"
        f" (a staircase of {expected.neurons} steps)"
    )
    assert window.state.document.network.size == expected.neurons
    assert "N^−1.0" in panel.plot.slope_text
    assert any("N^−1.0" in name for name in panel.plot.legend_names())


def test_a_jump_in_the_target_is_explained(window):
    window.state.editor.set_target(Target.from_text("step(x - 0.3137) + x"), (-1.0, 1.0))
    panel = open_panel(window)
    panel.epsilon.setValue(0.001)
    panel.find_n()
    measured(panel)
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
    document = window.state.document
    construction = next(sweep_points(document.target, document.domain, x, t, range(8, 9)))
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
    assert plot.neurons.y.shape[0] == network.size
    expected = network.contribution(network.size - 1, plot.x_fine)[::5]
    np.testing.assert_allclose(plot.neurons.y[-1], expected)


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


# -- issue 19: the construct panel on the projector ----------------------------------------
NIELSEN_TRAINED = [(2, 0.21), (4, 0.051), (8, 0.0102), (16, 1.3e-4), (32, 4.1e-5), (64, 1.4e-5)]


def test_find_n_on_a_square_wave_says_no_n_reaches_epsilon(window):
    """Issue 19: it said "N = 3 neurons reach max |error| 0 ≤ ε" beside a sweep at 2: the
    samples never met the jump the three steps' edges fall on (see test_construct)."""
    window.state.editor.set_target(Target.preset("square"), PRESETS["square"].domain)
    panel = open_panel(window)
    panel.epsilon.setValue(0.05)
    panel.find_n()
    measured(panel)
    text = window.findChild(QLabel, "constructResultLabel").text()
    assert text.startswith("No construction with at most 256 neurons reaches ε = 0.05")
    assert min(p.max_abs_error for p in panel.points) >= 1.0


def test_the_window_finds_the_n_the_command_line_finds(window, run_cli):
    """Same target, same ε, same mode: the same N, though the window has 200 samples and
    the command line 256 (Nielsen's wiggle gave 60 and 57, both short of ε between the
    samples)."""
    window.state.editor.set_target(Target.preset("nielsen"), PRESETS["nielsen"].domain)
    panel = open_panel(window)
    panel.epsilon.setValue(0.05)
    panel.find_n()
    measured(panel)
    code, out, _ = run_cli("construct --target nielsen --epsilon 0.05 --mode staircase --json")
    assert code == 0
    assert window.state.document.network.size == json.loads(out)["neurons"] == 69


def test_an_export_button_writes_the_plot_and_its_numbers(window, tmp_path):
    panel = open_panel(window)
    panel.refresh_sweep()
    measured(panel)
    panel._compare_finished(NIELSEN_TRAINED[:3])
    button = window.findChild(QToolButton, "constructExportButton")
    assert button is panel.export
    assert [a.text() for a in button.menu().actions()][:3] == [
        "PNG image…",
        "SVG image…",
        "CSV table…",
    ]
    png, table = tmp_path / "error.png", tmp_path / "error.csv"
    assert button.export("png", str(png)) and button.export("csv", str(table))
    assert not QImage(str(png)).isNull()
    rows = list(csv.reader(table.open()))
    assert rows[0] == ["neurons", "max_abs_error", "rmse", "trained_max_abs_error"]
    assert len(rows) == 257 and rows[2][3] == "0.21" and rows[3][3] == ""


def test_the_view_holds_every_diamond_and_epsilon(window):
    """Issue 19: on Nielsen's wiggle the diamonds at N = 16, 32, 64 (1.3e−4 … 1.4e−5) were
    below the plot; ε too when small."""
    window.state.editor.set_target(Target.preset("nielsen"), PRESETS["nielsen"].domain)
    panel = open_panel(window)
    panel.refresh_sweep()
    measured(panel)
    panel._compare_finished(NIELSEN_TRAINED)
    (left, right), (bottom, top) = panel.plot.getViewBox().viewRange()
    assert bottom < math.log10(1.4e-5) and top > math.log10(
        max(p.max_abs_error for p in panel.points)
    )
    assert left < 0 and right > math.log10(256)
    panel.epsilon.setValue(1e-6)
    assert panel.plot.getViewBox().viewRange()[1][0] < -6


def test_trained_is_in_the_legend_only_once_there_are_trained_points(window):
    plot = ErrorVsNeuronsPlot()  # as construct --sweep draws it
    target, domain, x, t = samples("nielsen")
    plot.show_sweep(list(sweep_points(target, domain, x, t, range(1, 257))))
    assert TRAINED not in plot.legend_names() and len(plot.legend_names()) == 2
    plot.show_training(NIELSEN_TRAINED)
    assert plot.legend_names()[-1] == TRAINED
    plot.show_training([])
    assert TRAINED not in plot.legend_names()


def test_diamonds_go_with_the_target_they_were_trained_on(window):
    panel = open_panel(window)
    panel._compare_finished(NIELSEN_TRAINED)
    assert panel.plot.trained.isVisible()
    window.state.editor.set_target(Target.preset("square"), PRESETS["square"].domain)
    assert not panel.plot.trained.isVisible() and TRAINED not in panel.plot.legend_names()


def test_the_axis_and_marker_stay_in_view_in_the_dock(qtbot, window):
    """Issue 19: at 1280 × 800 (and 1920 × 1080) the plot's x axis was cut off below the
    dock: the plot needed 220 pixels under the controls, and the dock scrolled."""
    for size in ((1280, 800), (1920, 1080)):
        window.resize(*size)
        panel = (
            open_panel(window) if not window.docks["construct"].isVisible() else window.construct
        )
        qtbot.wait(50)
        dock = window.docks["construct"]
        plot = panel.plot
        bottom = plot.mapTo(dock, QPoint(0, plot.height())).y()
        right = plot.mapTo(dock, QPoint(plot.width(), 0)).x()
        assert plot.height() >= 150 and bottom <= dock.height() and right <= dock.width()
        view = plot.getViewBox().viewRange()[0]
        assert view[0] < plot.marker.value() < view[1]


def test_the_choices_come_back(window):
    panel = open_panel(window)
    assert isinstance(panel, KeepsChoices) and panel.choice_key == "construct"
    panel.mode.setCurrentText("Bumps (pairs of steps)")
    panel.count.setValue(40)
    panel.epsilon.setValue(0.02)
    chosen = panel.choices()
    assert chosen == {"mode": "bumps", "neurons": 40, "epsilon": 0.02, "steepness": 1.0}
    panel.mode.setCurrentText("Steep sigmoids")
    panel.steepness.setValue(3.0)
    panel.count.setValue(7)
    panel.epsilon.setValue(0.3)
    before = window.state.document.network.copy()
    panel.restore_choices(chosen)
    assert panel.choices() == chosen and panel.slider.value() == 40
    assert window.state.document.network == before  # the session's network stays
    panel.restore_choices({"epsilon": 0.1})  # a key left out keeps what is shown
    assert panel.choices() == chosen | {"epsilon": 0.1}


def test_presentation_scale_grows_the_plot(window):
    panel = open_panel(window)
    assert isinstance(panel, Scales)
    before = panel.plot.getAxis("bottom").style["tickFont"]
    panel.set_scale(2.0)
    plot = panel.plot
    assert plot.text_scale == 2.0 and plot.line_scale == 2.0
    assert plot.max_curve.opts["pen"].widthF() == 2 * 2.2
    assert plot.marker_text.textItem.font().pointSizeF() == 18.0
    assert (
        before is None
        or before.pointSizeF() < plot.getAxis("bottom").style["tickFont"].pointSizeF()
    )


def test_showing_the_panel_again_does_not_measure_again(qtbot, window, monkeypatch):
    """A workspace switch shows the panel again: the same target and mode keep their
    measurement (it took ~50 ms of the GUI thread at every switch into Theorem)."""
    import uat_explorer.gui.panels.construct_panel as module

    calls = []
    real = module.sweep_points
    monkeypatch.setattr(module, "sweep_points", lambda *a, **k: calls.append(1) or real(*a, **k))
    window.workspaces.show("theorem")
    qtbot.waitUntil(lambda: len(calls) == 1)
    for name in ("train", "theorem", "compose", "theorem"):
        window.workspaces.show(name)
        qtbot.wait(20)
    assert len(calls) == 1
    window.state.editor.set_target(Target.preset("parabola"))
    qtbot.waitUntil(lambda: len(calls) == 2)


def test_the_measurement_runs_between_frames_and_find_n_waits_for_it(window):
    """20,000 samples of steep sigmoids took ~0.22 s of the GUI thread in one go: now it
    is measured in slices between frames, the curve growing, and Find N answers once the
    measurement is done."""
    window.state.editor.set_samples(20_000)
    panel = open_panel(window)
    panel.mode.setCurrentIndex(2)  # steep sigmoids
    panel.refresh_sweep()
    assert panel.sweeping and panel._measured == []  # nothing measured inside the call
    panel.epsilon.setValue(0.05)
    panel.find_n()
    result = window.findChild(QLabel, "constructResultLabel")
    assert result.text().startswith("Measuring the error")
    sizes = set()
    while panel.sweeping:
        QApplication.processEvents()
        sizes.add(len(panel._measured))
    assert len(sizes - {0, 256}) >= 2  # drawn as it grew, over several frames
    assert len(panel.points) == 256
    assert result.text().startswith("N = ")
    window.files.document.mark_saved(None)
