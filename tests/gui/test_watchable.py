"""Tried as a teacher would (issue 13): training you can watch, a diverged run that still
shows what happened, and labels that stay readable at 1280 × 800."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
)

from uat_explorer.core import Session
from uat_explorer.core.training.trainer import PLATEAU_STEPS
from uat_explorer.gui import MainWindow
from uat_explorer.plots.log_axis import DecadeAxis


@pytest.fixture
def fresh(qtbot):
    """The window as it opens for a teacher: default session, default pace."""
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    yield w
    w.files.document.mark_saved(None)
    w.close()


def test_the_first_fit_unfolds_at_a_watchable_pace(qtbot, fresh):
    assert fresh.state.view.steps_per_frame == 2
    label = fresh.findChild(QLabel, "speedLabel").text()
    assert label.startswith("2 steps a frame")
    fresh.training.start()
    qtbot.waitUntil(lambda: fresh.state.document.session.step >= 20, timeout=10_000)
    fresh.training.pause()
    assert fresh.state.document.session.step % 2 == 0  # two steps a frame, every frame


def test_the_pace_is_not_part_of_the_document(fresh):
    fresh.findChild(QSlider, "speedSlider").setValue(12)
    assert fresh.state.view.steps_per_frame == 32
    assert not fresh.files.document.modified  # how you watch, not what you save


def test_max_is_one_click_away(fresh):
    fresh.findChild(QToolButton, "maxSpeedButton").click()
    assert fresh.state.view.steps_per_frame == 0
    assert (
        fresh.findChild(QSlider, "speedSlider").value()
        == fresh.findChild(QSlider, "speedSlider").maximum()
    )
    assert fresh.findChild(QLabel, "speedLabel").text().startswith("Max")


def test_plateau_stops_training_and_the_panel_says_why(qtbot, fresh):
    check = fresh.findChild(QCheckBox, "stopPlateauCheck")
    assert check.isChecked() and fresh.state.document.session.stop.plateau_steps == PLATEAU_STEPS
    combo = fresh.findChild(QComboBox, "optimizerCombo")
    combo.setCurrentIndex(combo.findData("sgd"))
    combo.activated.emit(combo.currentIndex())
    rate = fresh.findChild(QDoubleSpinBox, "learningRateSpin")
    rate.setValue(1e-5)  # so slow that the loss cannot move by 1 %
    fresh.findChild(QToolButton, "maxSpeedButton").click()
    fresh.training.start()
    message = fresh.findChild(QLabel, "trainingMessageLabel")
    qtbot.waitUntil(lambda: not fresh.training.running, timeout=20_000)
    assert message.isVisible()
    assert message.text().startswith(
        f"Training stopped at step {fresh.state.document.session.step}:"
    )
    assert "stopped improving" in message.text()
    assert "d32f2f" not in message.styleSheet()  # a stop is news, not an error
    check.click()
    assert fresh.state.document.session.stop.plateau_steps is None


def test_a_diverged_run_stays_on_the_loss_plot(qtbot, fresh):
    combo = fresh.findChild(QComboBox, "optimizerCombo")
    combo.setCurrentIndex(combo.findData("sgd"))
    combo.activated.emit(combo.currentIndex())
    fresh.findChild(QDoubleSpinBox, "learningRateSpin").setValue(3.0)
    fresh.findChild(QToolButton, "maxSpeedButton").click()
    fresh.training.start()
    message = fresh.findChild(QLabel, "trainingMessageLabel")
    qtbot.waitUntil(lambda: "diverged" in message.text(), timeout=20_000)
    plot = fresh.loss_plot
    plot.refresh()
    xs, ys = plot.diverged_curve.getData()
    run = fresh.state.document.diverged_run
    assert run is not None and xs is not None and xs.size >= 5
    assert xs[0] == run.restored_step == fresh.state.document.session.step
    assert np.nanmax(ys) > 6  # the explosion itself: above 1e6 (the axis holds log10)
    assert not plot.hint.isVisible()
    mark = plot.restored_mark.getData()
    assert mark[0].tolist() == [run.restored_step]
    button = fresh.findChild(QPushButton, "trainButton")
    button.click()  # training again clears the old run
    qtbot.waitUntil(lambda: fresh.state.document.diverged_run is None, timeout=5_000)
    fresh.training.pause()


def test_log_axis_labels_decades_and_leaves_crowded_minor_ticks_blank(qtbot):
    axis = DecadeAxis("left")
    axis.setLogMode(False, True)
    axis.resize(60, 120)
    axis.setRange(-3, 0)  # three decades in 120 px: no room for minor labels
    values = [-2.0, math.log10(0.02), math.log10(0.05), math.log10(0.09), -1.0]
    strings = axis.logTickStrings(values, 1.0, 1.0)
    assert strings[0] and strings[-1]
    assert strings[1:4] == ["", "", ""]
    axis.setRange(-2, -1)  # one decade in 120 px: 2× and 5× fit
    strings = axis.logTickStrings(values, 1.0, 1.0)
    assert strings[1] and strings[2] and not strings[3]


def test_the_status_bar_fits_at_1280_or_drops_whole_fields(qtbot, fresh):
    bar = fresh.statusBar()
    fields = fresh.status.fields
    fresh.status.show()
    qtbot.wait(20)
    for label in fields:
        if label.isVisibleTo(bar) and label.text():
            assert label.width() >= label.sizeHint().width(), label.objectName()
    assert all(label.isVisibleTo(bar) for label in fields if label.text())
    font = bar.font()
    font.setPointSize(26)  # a projector-sized font: no longer room for every field
    for label in fields:
        label.setFont(font)
    fresh.status.show()
    qtbot.wait(50)
    shown = [label for label in fields if label.isVisibleTo(bar) and label.text()]
    assert not fresh.findChild(QLabel, "errorLabel").isVisibleTo(bar)  # least important first
    assert fresh.findChild(QLabel, "statusStepLabel") in shown
    assert fresh.findChild(QLabel, "statusLossLabel") in shown
    assert sum(label.sizeHint().width() for label in shown) <= bar.width()
    assert all(label.width() >= label.sizeHint().width() for label in shown)
    assert fresh.width() == 1280
    assert "max |error|" in fresh.findChild(QLabel, "statusLossLabel").toolTip()


class LayoutRequests(QObject):
    """Counts the layout requests that reach the watched widgets."""

    def __init__(self, *widgets: QObject) -> None:
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.count += event.type() == QEvent.Type.LayoutRequest
        return False


def test_the_status_fields_stand_still_while_training_runs(qtbot, fresh):
    """A new number in a field laid out the whole window again (every dock, animated by
    Qt) ten times a second while training ran (issue 23)."""
    status, bar = fresh.status, fresh.statusBar()
    fresh.training.running = True
    status.step.setText("step 1234567")
    status.fit_width()
    qtbot.wait(200)  # the window settles: its first layouts are done
    wide = status.step.width()
    assert wide >= status.step.sizeHint().width()
    requests = LayoutRequests(fresh, bar)
    for text in ("step 99", "step 1234568", "step 1000", "step 1234569"):
        status.step.setText(text)
        status.fit_width()
        qtbot.wait(5)
    assert requests.count == 0
    assert status.step.width() == wide  # the number does not jump left and right
    fresh.training.running = False
    status.step.setText("step 99")
    status.fit_width()
    qtbot.wait(20)
    assert status.step.width() == status.step.sizeHint().width() < wide


def test_the_status_fields_fit_a_new_font_by_themselves(qtbot, fresh):
    bar = fresh.statusBar()
    font = bar.font()
    font.setPointSize(22)
    bar.setFont(font)  # as the presentation mode's larger font reaches the bar
    qtbot.waitUntil(lambda: fresh.status.step.width() >= fresh.status.step.sizeHint().width())
    for label in fresh.status.fields:
        if label.isVisibleTo(bar) and label.text():
            assert label.width() >= label.sizeHint().width(), label.objectName()


def test_a_long_status_message_is_shortened_at_a_word(fresh):
    fresh.show_message("word " * 200)
    text = fresh.statusBar().currentMessage()
    assert text.endswith("word…") and len(text) < 1000


def test_neurons_keep_their_colours_through_save_and_rescue(qtbot, fresh):
    state = fresh.state
    state.editor.remove_neuron(0)
    fresh.stack.add("tanh")
    ids = list(state.document.ids)
    assert ids != list(range(len(ids)))
    rescued = Session.from_dict(state.document.session.to_dict())  # what an autosave holds
    other = MainWindow()
    qtbot.addWidget(other)
    other.files.document.restore(rescued, None)
    assert other.state.document.ids == ids
    other.stack.add("sigmoid")
    assert other.state.document.ids[-1] > max(ids)  # new neurons never take an old colour's id
    other.files.document.mark_saved(None)
    other.close()
