"""Noise, test points, weight decay and early stopping in the window: the controls change
the session, the plots show what training sees, and a run restores its best weights."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QWidget,
)

from uat_explorer.core.nn.parameters import parameter_values
from uat_explorer.gui import MainWindow


def find(window, kind, name):
    widget = window.findChild(kind, name)
    assert widget is not None, name
    return widget


def load_overfitting(window) -> None:
    window.load_example("overfitting")
    QApplication.processEvents()


def test_the_target_panel_adds_noise_and_holds_points_out(window):
    document = window.state.document
    find(window, QDoubleSpinBox, "noiseSpin").setValue(0.25)
    find(window, QSpinBox, "testFractionSpin").setValue(25)
    find(window, QComboBox, "testModeCombo").setCurrentIndex(1)
    find(window, QComboBox, "testModeCombo").activated.emit(1)
    session = document.session
    assert (session.noise, session.test_fraction, session.test_mode) == (0.25, 0.25, "between")
    plot = window.plot
    assert plot.samples.visible and plot.held_out.visible
    x, _ = document.test_data()
    assert len(plot.held_out.item.data) == x.size == 50
    assert len(plot.samples.item.data) == 150  # the filled ones are the training points
    summary = find(window, QLabel, "samplingSummaryLabel").text()
    assert summary == "150 training points (filled), 50 test points (hollow)"
    names = [label.text for _sample, label in plot.legend.items]
    assert "test points (held out)" in names and "samples (what training sees)" in names
    find(window, QDoubleSpinBox, "noiseSpin").setValue(3.0)  # far beyond the curves
    plot.fit_view()
    low, high = plot.view_box.viewRange()[1]
    t = document.sample_set().t
    assert low <= t.min() and t.max() <= high


def test_a_split_that_leaves_too_few_points_is_refused_in_the_panel(window):
    window.state.editor.set_samples(10)
    spin = find(window, QSpinBox, "testFractionSpin")
    spin.setValue(90)
    message = find(window, QLabel, "samplingMessageLabel")
    assert (
        message.isVisibleTo(window) and "at least 2 must train; nothing changed" in message.text()
    )
    assert window.state.document.session.test_fraction == 0.0 and spin.value() == 0


def test_training_draws_the_test_loss_and_a_reopened_session_shows_it(qtbot, window, tmp_path):
    load_overfitting(window)
    for _ in range(3):
        window.training.step()
        assert window.training.wait_until_idle()
    document = window.state.document
    steps, losses = document.test_history.arrays()
    assert steps.size == document.step > 0
    window.loss_plot.refresh()
    series = window.loss_plot.test_series
    assert series.shown and len(series.curve.xData) == steps.size
    assert "test loss (held-out points)" in [
        label.text for _s, label in window.loss_plot.legend.items
    ]
    assert series.label.toPlainText().startswith("lowest test loss, step")
    window.status.show()
    text = find(window, QLabel, "statusTestLabel").text()
    assert text.startswith("test ") and "true error" in text
    path = tmp_path / "overfit.json"
    assert window.save_path(str(path))
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.open_path(str(path))
    np.testing.assert_array_equal(again.state.document.test_history.arrays()[1], losses)
    again.loss_plot.refresh()
    assert again.loss_plot.test_series.shown and again.plot.held_out.visible


def test_weight_decay_reaches_the_training_and_the_gradient_table(qtbot, window):
    check, spin = (
        find(window, QCheckBox, "weightDecayCheck"),
        find(window, QDoubleSpinBox, "weightDecaySpin"),
    )
    spin.setValue(0.01)
    check.setChecked(True)
    document = window.state.document
    assert document.session.penalty.strength == 0.01 and document.session.penalty.kind == "l2"
    window.loss_plot.refresh()
    assert window.loss_plot.getAxis("left").labelText == "training loss (MSE, data term)"
    action = next(a for a in window.findChildren(QAction) if a.text() == "Backprop")
    action.trigger()
    QApplication.processEvents()
    find(window, QPushButton, "gradientTableButton").click()
    table = find(window, QTableWidget, "gradientTable")
    assert not table.isColumnHidden(5)
    values = parameter_values(document.network)
    lr = document.session.optimizer.learning_rate
    batch = document.derived().gradients.flat()
    scope = 2 if window.findChild(QWidget, "backpropPanel").scope_name == "sample" else 3
    for r in range(table.rowCount()):
        share = 0.0 if r == table.rowCount() - 1 else 0.01 * values[r]
        assert float(table.item(r, 5).text()) == pytest.approx(share, rel=1e-3, abs=1e-12)
        update = -lr * (float(table.item(r, scope).text()) + share)
        assert float(table.item(r, 4).text()) == pytest.approx(update, rel=2e-3, abs=1e-9)
    sent = []
    client = window.training.client
    window.training.step()
    assert window.training.wait_until_idle()
    real_send = client.send
    client.send = lambda command: sent.append(command) or real_send(command)
    check.setChecked(False)
    assert [c.penalty for c in sent if getattr(c, "penalty", None) is not None] == [
        document.session.penalty
    ]
    assert not document.session.penalty.active
    assert batch.size == table.rowCount()


def test_early_stopping_restores_the_best_weights_as_one_undo_step(qtbot, window):
    load_overfitting(window)
    assert find(window, QCheckBox, "earlyStopCheck").isEnabled()
    find(window, QSpinBox, "earlyStopSpin").setValue(100)
    find(window, QCheckBox, "earlyStopCheck").setChecked(True)
    find(window, QCheckBox, "restoreBestTestCheck").setChecked(True)
    stop = window.state.document.session.stop
    assert stop.test_patience == 100 and stop.restore_best_test
    assert stop.plateau_steps is not None  # the Training panel's own rules stay
    window.findChild(QToolButton, "maxSpeedButton").click()
    before = window.state.document.network.copy()
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: not window.training.running, timeout=20_000)
    message = find(window, QLabel, "trainingMessageLabel").text()
    assert "the test loss has not improved for 100 steps" in message and "were restored" in message
    document = window.state.document
    steps, losses = document.test_history.arrays()
    best = int(steps[np.argmin(losses)])
    assert f"the weights of step {best:,}" in message
    x, t = document.test_data()
    assert float(np.mean((document.network(x) - t) ** 2)) == pytest.approx(losses.min(), rel=1e-4)
    window.state.editor.undo_stack.undo()
    assert document.network == before and document.step == 0


def test_without_test_points_early_stopping_says_what_it_needs(window):
    note = find(window, QLabel, "heldOutNote")
    assert note.isVisibleTo(window) and not find(window, QCheckBox, "earlyStopCheck").isEnabled()
    window.state.editor.set_sampling(test_fraction=0.2)
    assert not note.isVisibleTo(window) and find(window, QCheckBox, "earlyStopCheck").isEnabled()


def test_the_race_reports_the_test_loss_of_each_run(qtbot, window):
    load_overfitting(window)
    window.findChild(QPushButton, "compareButton").click()
    compare = window.compare_window
    compare.steps.setValue(100)
    compare.findChild(QPushButton, "compareRunButton").click()
    qtbot.waitUntil(lambda: not compare.runner.running, timeout=20_000)
    table = compare.findChild(QTableWidget, "compareTable")
    assert not table.isColumnHidden(5)
    assert all(float(table.item(r, 5).text()) > 0 for r in range(table.rowCount()))
