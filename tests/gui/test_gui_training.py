"""Train from the window: the worker process trains, the window shows it live."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gui_helpers import cards
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
)

from uat_explorer.core import random_network
from uat_explorer.plots.in_view import in_view

DOMAIN = (-math.pi, math.pi)


@pytest.fixture
def window(sine_window):
    return sine_window


def button(window, name):
    return window.findChild(QPushButton, name)


def train_until(qtbot, window, condition, timeout=20_000):
    if not window.training.running:
        button(window, "trainButton").click()
    qtbot.waitUntil(condition, timeout=timeout)


def test_train_lowers_the_loss_tenfold_and_the_dials_follow(qtbot, window):
    window.docks["neurons"].raise_()  # the Train workspace tabs the cards behind Training
    start = window.state.document.derived().loss
    train_until(qtbot, window, lambda: window.state.document.derived().loss < start / 10)
    assert button(window, "trainButton").isChecked()
    assert button(window, "trainButton").text() == "Pause"
    button(window, "trainButton").click()
    assert not window.training.running and not button(window, "trainButton").isChecked()
    network = window.state.document.network
    for index, card in enumerate(cards(window)[:3]):
        assert card.findChild(QDoubleSpinBox, "weightSpin").value() == pytest.approx(
            network.w[index], abs=1e-4
        )
        assert card.findChild(QDoubleSpinBox, "outputWeightSpin").value() == pytest.approx(
            network.v[index], abs=1e-4
        )
    assert (
        window.findChild(QLabel, "statusStepLabel").text()
        == f"step {window.state.document.session.step}"
    )
    assert "loss" in window.findChild(QLabel, "statusLossLabel").text()
    steps, losses = window.state.document.history.arrays()
    assert steps[0] == 0 and losses[-1] < losses[0] / 10
    plot = window.loss_plot.curve
    assert plot.xData.size > 1


def test_cards_behind_a_tab_skip_training_frames_and_catch_up_when_brought_to_the_front(
    qtbot, window
):
    """Issue 23: a dock tabbed behind another redraws nothing; in front again its cards
    show the weights trained meanwhile."""
    window.docks["training"].raise_()
    qtbot.waitUntil(lambda: not in_view(window.stack.scroll_area))
    spin = cards(window)[0].findChild(QDoubleSpinBox, "weightSpin")
    bias = window.findChild(QDoubleSpinBox, "outputBiasSpin")
    shown, shown_c = spin.value(), bias.value()
    train_until(qtbot, window, lambda: window.state.document.session.step > 2000)
    button(window, "trainButton").click()
    trained, trained_c = window.state.document.network.w[0], window.state.document.network.c
    assert trained != pytest.approx(shown, abs=1e-4)
    assert trained_c != pytest.approx(shown_c, abs=1e-4)
    assert (spin.value(), bias.value()) == (shown, shown_c)  # nobody saw them: not redrawn
    window.docks["neurons"].raise_()
    qtbot.waitUntil(lambda: spin.value() == pytest.approx(trained, abs=1e-4))
    assert bias.value() == pytest.approx(trained_c, abs=1e-4)


def test_pause_stops_the_step_count(qtbot, window):
    train_until(qtbot, window, lambda: window.state.document.session.step > 300)
    button(window, "trainButton").click()
    step = window.state.document.session.step
    qtbot.wait(300)
    assert window.state.document.session.step == step


def test_step_advances_exactly_one_chunk(window):
    button(window, "stepButton").click()
    assert window.training.wait_until_idle()
    assert window.state.document.session.step == 10  # Auto: ten steps
    window.findChild(QSlider, "speedSlider").setValue(7)  # 10^(7/8) ≈ 7 steps a frame
    assert window.state.view.steps_per_frame == 7
    button(window, "stepButton").click()
    assert window.training.wait_until_idle()
    assert window.state.document.session.step == 17
    assert window.state.document.history.arrays()[0].tolist() == list(range(17))


def test_reset_gives_the_same_weights_twice(qtbot, window):
    button(window, "resetButton").click()
    first = window.state.document.network.copy()
    assert first == random_network(["sigmoid"] * 8, DOMAIN, seed=5)
    train_until(qtbot, window, lambda: window.state.document.session.step > 200)
    button(window, "resetButton").click()
    assert window.state.document.network == first
    assert window.state.document.session.step == 0 and len(window.state.document.history) == 0
    button(window, "newSeedButton").click()
    assert window.state.document.session.seed != 5
    assert window.state.document.network != first
    assert window.findChild(QSpinBox, "seedSpin").value() == window.state.document.session.seed


def test_divergence_restores_finite_weights_and_says_why(qtbot, window):
    window.findChild(QComboBox, "optimizerCombo").setCurrentIndex(0)  # SGD
    window.findChild(QComboBox, "optimizerCombo").activated.emit(0)
    window.findChild(QDoubleSpinBox, "learningRateSpin").setValue(10.0)
    assert window.state.document.session.optimizer.name == "sgd"
    assert window.state.document.session.optimizer.learning_rate == 10.0
    message = window.findChild(QLabel, "trainingMessageLabel")
    train_until(qtbot, window, lambda: "diverged" in message.text())
    assert "learning rate 10 is too high" in message.text() and message.isVisible()
    assert not window.training.running and not button(window, "trainButton").isChecked()
    net = window.state.document.network
    assert all(np.all(np.isfinite(a)) for a in (net.w, net.b, net.v)) and math.isfinite(net.c)


def test_changing_the_optimizer_mid_run_keeps_the_weights(qtbot, window):
    train_until(qtbot, window, lambda: window.state.document.session.step > 500)
    loss_before = window.state.document.derived().loss
    step_before = window.state.document.session.step
    combo = window.findChild(QComboBox, "optimizerCombo")
    combo.setCurrentIndex(combo.findData("lm"))
    combo.activated.emit(combo.currentIndex())
    assert window.training.running  # a setting, not an edit: training goes on
    qtbot.waitUntil(lambda: window.state.document.session.step > step_before + 20, timeout=10_000)
    assert window.state.document.derived().loss < loss_before  # continued, not restarted
    assert not window.findChild(QDoubleSpinBox, "learningRateSpin").isEnabled()


def test_undo_after_training_restores_the_weights_before_it(qtbot, window):
    before = window.state.document.network.copy()
    train_until(qtbot, window, lambda: window.state.document.session.step > 300)
    button(window, "trainButton").click()
    trained = window.state.document.network.copy()
    assert window.state.editor.undo_stack.undoText().startswith("Train")
    window.state.editor.undo_stack.undo()
    assert window.state.document.network == before and window.state.document.session.step == 0
    window.state.editor.undo_stack.redo()
    assert window.state.document.network == trained


def test_editing_a_dial_pauses_training_and_keeps_the_edit(qtbot, window):
    train_until(qtbot, window, lambda: window.state.document.session.step > 200)
    cards(window)[0].findChild(QDoubleSpinBox, "biasSpin").setValue(2.5)
    assert not window.training.running
    assert window.state.document.network.b[0] == 2.5
    qtbot.wait(200)
    assert window.state.document.network.b[0] == 2.5  # no late frame overwrote it
    stack = window.state.editor.undo_stack
    assert stack.text(stack.count() - 2).startswith("Train")


def test_the_trained_result_can_be_edited_and_trained_again(qtbot, window):
    train_until(qtbot, window, lambda: window.state.document.session.step > 200)
    button(window, "trainButton").click()
    cards(window)[1].findChild(QDoubleSpinBox, "outputWeightSpin").setValue(3.0)
    step = window.state.document.session.step
    train_until(qtbot, window, lambda: window.state.document.session.step > step + 100)
    button(window, "trainButton").click()
    assert window.state.document.network.v[1] != 3.0  # training started from the edit


def test_neuron_count_and_samples(qtbot, window):
    count = window.findChild(QSpinBox, "neuronCountSpin")
    count.setValue(12)
    assert window.state.document.network.size == 12 and len(cards(window)) == 12
    count.setValue(3)
    assert window.state.document.network.size == 3
    window.state.editor.undo_stack.undo()
    assert window.state.document.network.size == 12
    samples = window.findChild(QSpinBox, "samplesSpin")
    samples.setValue(500)
    assert window.state.document.training_data()[0].size == 500


def test_stop_at_a_loss_threshold(qtbot, window):
    window.findChild(QCheckBox, "stopLossCheck").setChecked(True)
    window.findChild(QDoubleSpinBox, "stopLossSpin").setValue(1e-3)
    message = window.findChild(QLabel, "trainingMessageLabel")
    train_until(qtbot, window, lambda: not window.training.running and bool(message.text()))
    assert (
        message.text()
        == f"Training stopped at step {window.state.document.session.step}: loss ≤ 0.001."
    )
    assert window.state.document.derived().loss <= 1e-3


def test_space_toggles_training(qtbot, window):
    action = window.train_action
    assert action.shortcut().toString() == "Space"
    action.trigger()
    assert window.training.running
    action.trigger()
    assert not window.training.running


def test_a_killed_worker_is_reported_not_fatal(qtbot, window):
    train_until(qtbot, window, lambda: window.state.document.session.step > 100)
    window.training.client.process.kill()
    message = window.findChild(QLabel, "trainingMessageLabel")
    qtbot.waitUntil(lambda: "ended unexpectedly" in message.text(), timeout=10_000)
    assert not window.training.running
    step = window.state.document.session.step
    train_until(
        qtbot, window, lambda: window.state.document.session.step > step + 100
    )  # a new worker


def test_cards_out_of_view_catch_up_when_revealed(qtbot, window):
    window.findChild(QSpinBox, "neuronCountSpin").setValue(20)
    train_until(qtbot, window, lambda: window.state.document.session.step > 300)
    button(window, "trainButton").click()
    window.docks["neurons"].setFloating(True)
    window.docks["neurons"].resize(420, 3000)  # tall enough to show every card
    qtbot.waitUntil(lambda: all(c.built and not c.stale for c in window.stack.cards.values()))
    last = cards(window)[-1]
    assert last.findChild(QDoubleSpinBox, "weightSpin").value() == pytest.approx(
        window.state.document.network.w[-1], abs=1e-4
    )


def test_a_setting_change_sends_only_that_setting(qtbot, window):
    """The worker rebuilds its trainer (resetting Adam's moments) for new data, loss or
    optimizer; changing the seed or the learning rate must not cause that."""
    train_until(qtbot, window, lambda: window.state.document.session.step > 100)
    sent = []
    client = window.training.client
    real_send = client.send
    client.send = lambda command: sent.append(command) or real_send(command)
    window.state.editor.update_settings(seed=99)
    window.findChild(QDoubleSpinBox, "learningRateSpin").setValue(0.02)
    window.findChild(QSpinBox, "samplesSpin").setValue(300)
    given = [{k for k, v in vars(c).items() if v is not None} for c in sent]
    assert given == [{"optimizer"}, {"data", "test"}]  # the test points go with the data
