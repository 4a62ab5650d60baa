"""The Backprop panel driven through its objectNames, as a learner would."""

from __future__ import annotations

import numpy as np
import pytest
from gui_helpers import cards
from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
)

from uat_explorer.core import Network, Neuron, Session, Target, trace
from uat_explorer.gui import MainWindow


def open_panel(window) -> None:
    action = next(a for a in window.findChildren(QAction) if a.text() == "Backprop")
    assert action.shortcut().toString() == "Ctrl+Shift+B"
    action.trigger()
    QApplication.processEvents()
    assert window.findChild(QLabel, "backpropSampleLabel").isVisible()


def test_panel_shows_the_chosen_sample_and_its_numbers(window):
    open_panel(window)
    spin = window.findChild(QSpinBox, "backpropSampleSpin")
    spin.setValue(17)
    x, t = window.state.document.training_data()
    y = window.state.document.network(x)
    label = window.findChild(QLabel, "backpropSampleLabel").text()
    assert label == f"sample 17: x = {x[17]:.4f}, t = {t[17]:.4f}, y = {y[17]:.4f}"
    combo = window.findChild(QComboBox, "backpropScopeCombo")
    assert [combo.itemText(i) for i in range(combo.count())] == ["This sample", "Whole batch"]
    assert window.plot.probe.line.isVisible() and window.plot.probe.line.value() == x[17]


def test_table_columns_rows_and_numbers_equal_the_trace(window):
    open_panel(window)
    table = window.findChild(QTableWidget, "gradientTable")
    assert not table.isVisibleTo(window)
    window.findChild(QPushButton, "gradientTableButton").click()
    assert table.isVisibleTo(window)
    headers = [
        table.horizontalHeaderItem(c).text()
        for c in range(table.columnCount())
        if not table.isColumnHidden(c)  # weight decay's column: only while it is on
    ]
    assert headers == ["parameter", "value", "∂L/∂p (sample)", "∂L/∂p (batch)", "update"]
    size = window.state.document.network.size
    names = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert names == [f"{p}{j}" for j in range(1, size + 1) for p in "wbv"] + ["c"]
    x, t = window.state.document.training_data()
    done = trace(window.state.document.network, x, t, "mse")
    sample = window.state.view.probe_sample
    batch = done.gradients.flat()
    per_sample = done.sample_gradients(sample).flat()
    for r in range(table.rowCount()):
        assert float(table.item(r, 2).text()) == pytest.approx(per_sample[r], rel=1e-3, abs=1e-12)
        assert float(table.item(r, 3).text()) == pytest.approx(batch[r], rel=1e-3, abs=1e-12)


def test_walking_forward_then_backward_writes_the_chain_rule(window):
    open_panel(window)
    forward = window.findChild(QPushButton, "forwardStepButton")
    backward = window.findChild(QPushButton, "backwardStepButton")
    chain = window.findChild(QLabel, "chainRuleLabel")
    forward.click()
    assert chain.text().startswith("x: ")
    graph_view = window.backprop.view
    assert graph_view.values_shown == {"x"} and graph_view.grads_shown == set()
    backward.click()
    assert chain.text() == "∂L/∂L = 1"
    assert graph_view.grads_shown == {"L"} and len(graph_view.values_shown) > 1
    for _ in range(3):
        backward.click()
    assert chain.text().startswith("∂L/∂")


def test_play_animates_the_whole_pass(qtbot, window):
    open_panel(window)
    window.findChild(QComboBox, "playSpeedCombo").setCurrentIndex(2)  # fast: 1.5 s
    play = window.findChild(QPushButton, "playPassButton")
    play.click()
    nodes = len(window.backprop.graph.nodes)
    qtbot.waitUntil(lambda: not play.isChecked(), timeout=10_000)
    assert len(window.backprop.view.grads_shown) == nodes


@pytest.mark.parametrize("scope", [0, 1])
def test_apply_update_moves_every_parameter_by_minus_lr_times_gradient(window, scope):
    open_panel(window)
    window.findChild(QDoubleSpinBox, "learningRateSpin").setValue(0.1)
    window.findChild(QComboBox, "backpropScopeCombo").setCurrentIndex(scope)
    state = window.state
    before = state.document.network.copy()
    x, t = state.document.training_data()
    done = trace(before, x, t, "mse")
    grads = done.sample_gradients(state.view.probe_sample) if scope == 0 else done.gradients
    window.findChild(QPushButton, "applyUpdateButton").click()
    after = state.document.network
    np.testing.assert_array_equal(after.w, before.w - 0.1 * grads.w)
    np.testing.assert_array_equal(after.b, before.b - 0.1 * grads.b)
    np.testing.assert_array_equal(after.v, before.v - 0.1 * grads.v)
    assert after.c == before.c - 0.1 * grads.c
    state.editor.undo_stack.undo()
    assert state.document.network == before  # bit-exact


def test_cards_show_which_way_descent_turns_each_dial(qtbot, window):
    window.docks["neurons"].raise_()  # behind a tab the cards skip redrawing
    card = cards(window)[0]
    qtbot.waitUntil(lambda: card.findChild(QLabel, "weightGradLabel").text() != "")
    x, t = window.state.document.training_data()
    grads = trace(window.state.document.network, x, t, "mse").gradients
    for name, g in (
        ("weightGradLabel", grads.w[0]),
        ("biasGradLabel", grads.b[0]),
        ("outputWeightGradLabel", grads.v[0]),
    ):
        label = card.findChild(QLabel, name)
        assert label.text().startswith("▲" if -g > 0 else "▼"), (name, label.text(), g)
        assert "−∂L/∂" in label.toolTip()


def test_error_signal_arrows_follow_dl_dy(window):
    window.state.editor.set_samples(40)
    action = window.findChild(QAction, "errorSignalAction")
    action.trigger()
    xs, ys = window.plot.error_signal.shafts.getData()
    x, t = window.state.document.training_data()
    assert window.plot.error_signal.every == 1 and xs.size == 2 * x.size
    y = window.state.document.network(x)
    np.testing.assert_allclose(ys[::2], y)
    pushes = np.sign(ys[1::2] - ys[::2])
    np.testing.assert_array_equal(pushes, -np.sign(y - t))  # descent pulls y towards t


def test_error_signal_arrows_stay_apart_with_many_samples(window):
    """200 samples made a solid red band: every k-th sample's arrow, 14 px apart at least."""
    window.state.editor.set_samples(200)
    window.findChild(QAction, "errorSignalAction").trigger()
    overlay = window.plot.error_signal
    xs, ys = overlay.shafts.getData()
    x, _t = window.state.document.training_data()
    assert overlay.every > 1 and xs.size == 2 * x[:: overlay.every].size
    on_screen = [window.plot.view_box.mapViewToScene(QPointF(v, 0)).x() for v in xs[::2]]
    assert np.min(np.diff(on_screen)) >= 13.5
    y = window.state.document.network(x)
    np.testing.assert_allclose(ys[::2], y[:: overlay.every])


def test_clicking_a_sample_point_chooses_it(window):
    open_panel(window)
    plot = window.plot
    points = plot.samples.item.points()
    plot.samples.item.sigClicked.emit(plot.samples.item, [points[42]], None)
    assert window.state.view.probe_sample == 42
    assert window.findChild(QSpinBox, "backpropSampleSpin").value() == 42


def test_selecting_a_row_selects_its_card(window):
    open_panel(window)
    window.backprop.view.neuronClicked.emit(2)
    assert window.state.view.selected_index == 2


def test_every_neuron_muted_is_said_not_crashed(qtbot):
    net = Network.from_neurons([Neuron("sigmoid", 1.0, 0.0, 1.0, muted=True)] * 3)
    w = MainWindow(Session(network=net, target=Target.preset("sin"), domain=(-1.0, 1.0)))
    qtbot.addWidget(w)
    w.show()
    open_panel(w)
    message = w.findChild(QLabel, "backpropMessageLabel")
    assert message.isVisible() and "muted" in message.text()
    grads = w.state.document.derived().gradients
    assert not grads.w.any() and not grads.v.any()


def test_two_data_points_and_many_neurons(qtbot):
    net = Network.from_neurons([Neuron("tanh", 1.0, 0.1 * j, 0.5) for j in range(12)])
    target = Target.from_points([0.0, 1.0], [0.0, 1.0], "two")
    w = MainWindow(Session(network=net, target=target, domain=(0.0, 1.0)))
    qtbot.addWidget(w)
    w.show()
    open_panel(w)
    spin = w.findChild(QSpinBox, "backpropSampleSpin")
    assert spin.maximum() == 1
    spin.setValue(5)  # past the last sample: the box holds it at 1
    assert w.state.view.probe_sample == 1
    assert w.backprop.graph.hidden == 11
    w.state.view.select_index(7)
    assert w.backprop.graph.rows == [7]
