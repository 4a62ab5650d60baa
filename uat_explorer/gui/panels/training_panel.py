"""Train, pause, step, reset; and every training setting, all live while training runs."""

from __future__ import annotations

import math
from dataclasses import replace

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core import (
    ACTIVATIONS,
    LOSSES,
    MAX_NEURONS,
    MAX_SAMPLES,
    OPTIMIZER_LABELS,
    InputError,
)
from uat_explorer.core.io.session import MAX_SEED
from uat_explorer.core.nn.initialize import new_seed
from uat_explorer.core.training.trainer import PLATEAU_GAIN, PLATEAU_STEPS
from uat_explorer.gui.controls.regularization import RegularizationControls
from uat_explorer.gui.panels.context import DockPanel, PanelContext
from uat_explorer.gui.widgets.scientific_spin import ScientificSpinBox, log_position, log_value
from uat_explorer.gui.workers.training_controller import STEP_CHUNK
from uat_explorer.qt import choice_box, connect, props, row

LR_LOW, LR_DECADES, LR_POSITIONS = 1e-5, 6.0, 600  # 1e-5 … 10
SPEED_PER_DECADE, SPEED_DECADES = 8, 4  # 1 … 10,000 steps a frame on a log scale
SPEED_MAX = SPEED_PER_DECADE * SPEED_DECADES + 1
"""The slider's last position: Max, as many steps as fit in each frame."""
FRAMES_PER_SECOND = 60


def speed_steps(position: int) -> int:
    """Steps per frame at a slider position; 0 (Max) at the end."""
    if position >= SPEED_MAX:
        return 0
    return round(10 ** (position / SPEED_PER_DECADE))


def speed_position(steps: int) -> int:
    """The slider position nearest to ``steps`` per frame (0 steps: Max)."""
    if steps <= 0:
        return SPEED_MAX
    return min(SPEED_MAX - 1, round(math.log10(steps) * SPEED_PER_DECADE))


def speed_text(steps: int) -> str:
    if steps == 0:
        return "Max: as fast as the machine goes"
    rate = steps * FRAMES_PER_SECOND
    return f"{steps:,} step{'s' * (steps != 1)} a frame (about {rate:,} a second)"


STEP_NOTE = (
    "Step neurons have no slope, so backprop borrows a sigmoid's (a surrogate, at least"
    " one sample spacing wide); their output weights train exactly."
)


class TrainingPanel(DockPanel):
    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, "trainingPanel", parent)
        state, controller = self.state, self.training

        self.train = props(QPushButton("Train"), objectName="trainButton", checkable=True)
        self.train.setToolTip("Start or pause backpropagation (Space)")
        self.step = props(QPushButton("Step"), objectName="stepButton")
        self.step.setToolTip(
            f"Advance one chunk while paused: one frame's steps at the chosen speed,"
            f" or {STEP_CHUNK} at Max"
        )
        self.reset = props(QPushButton("Reset"), objectName="resetButton")
        self.reset.setToolTip(
            "Start again from the initial weights of this seed (step 0):"
            " the same seed always gives the same weights. The target and the settings"
            " stay; File → Revert to Saved brings back the saved file"
        )
        self.new_seed = props(QPushButton("New seed"), objectName="newSeedButton")
        self.new_seed.setToolTip("Pick a new seed and start from its initial weights")
        self.message = props(QLabel(), objectName="trainingMessageLabel", wordWrap=True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.count = props(QSpinBox(), objectName="neuronCountSpin", keyboardTracking=False)
        self.count.setRange(0, MAX_NEURONS)
        self.count.setToolTip(
            "Number of hidden neurons: more are added (of the kind on the"
            " right), or the last ones removed"
        )
        self.kind = choice_box(
            {kind.name: kind.label for kind in ACTIVATIONS.values()},
            objectName="newNeuronActivationCombo",
            toolTip="The kind of neuron that raising the count adds",
        )
        self.kind.setCurrentIndex(self.kind.findData("sigmoid"))
        self.step_note = props(QLabel(STEP_NOTE), objectName="stepSurrogateNote", wordWrap=True)
        self.step_note.setEnabled(False)

        self.optimizer = choice_box(
            OPTIMIZER_LABELS,
            objectName="optimizerCombo",
            toolTip="Adam: robust, nice to watch. Levenberg–Marquardt: fits"
            " small networks in a few dozen steps. SGD: the plain rule.",
        )
        self.rate_slider = props(
            QSlider(Qt.Orientation.Horizontal), objectName="learningRateSlider"
        )
        self.rate_slider.setRange(0, LR_POSITIONS)
        self.rate = ScientificSpinBox(LR_LOW, 10.0)
        self.rate.setObjectName("learningRateSpin")
        widget: QWidget  # the tooltip loops below go over pairs of different kinds
        for widget in (self.rate_slider, self.rate):
            widget.setToolTip(
                "Learning rate, 1e-5 … 10 on a log scale. Too high and training"
                " diverges (it stops and says so)."
            )
        self.loss = choice_box(
            {name: loss.label for name, loss in LOSSES.items()},
            objectName="lossCombo",
            toolTip="What training minimises",
        )
        self.batch = props(QSpinBox(), objectName="batchSizeSpin", keyboardTracking=False)
        self.batch.setSpecialValueText("Full batch")
        self.batch.setRange(0, MAX_SAMPLES)
        self.batch.setGroupSeparatorShown(True)
        self.samples = props(QSpinBox(), objectName="samplesSpin", keyboardTracking=False)
        self.samples.setRange(2, MAX_SAMPLES)
        self.samples.setToolTip(
            "Evenly spaced points of a formula target that training fits"
            " (data targets use their own points)"
        )
        self.stop_loss_on = props(QCheckBox("Stop at loss ≤"), objectName="stopLossCheck")
        self.stop_loss = ScientificSpinBox(1e-12, 1e3)
        self.stop_loss.setObjectName("stopLossSpin")
        self.stop_loss.setValue(1e-4)
        self.stop_steps_on = props(QCheckBox("Stop at step"), objectName="stopStepsCheck")
        self.stop_steps = props(QSpinBox(), objectName="stopStepsSpin", keyboardTracking=False)
        self.stop_steps.setRange(1, 2_000_000_000)
        self.stop_steps.setValue(10_000)
        for widget in (self.stop_loss_on, self.stop_loss):
            widget.setToolTip("Pause by itself once the loss is this low")
        for widget in (self.stop_steps_on, self.stop_steps):
            widget.setToolTip("Pause by itself at this step count")
        self.stop_plateau = props(
            QCheckBox("Stop when the loss stops improving"), objectName="stopPlateauCheck"
        )
        self.stop_plateau.setToolTip(
            f"Pause by itself once the loss fell by less than {PLATEAU_GAIN:.0%}"
            f" over the last {PLATEAU_STEPS:,} steps, so an idle window does not train on"
        )
        self.speed = props(QSlider(Qt.Orientation.Horizontal), objectName="speedSlider")
        self.speed.setRange(0, SPEED_MAX)
        self.speed.setPageStep(SPEED_PER_DECADE)
        self.speed_max = props(QToolButton(), objectName="maxSpeedButton", text="Max")
        self.speed_max.setToolTip("Train as fast as the machine goes (the fit then looks instant)")
        self.speed_label = props(QLabel(), objectName="speedLabel")
        self.speed_label.setEnabled(False)
        for widget in (self.speed, self.speed_label):
            widget.setToolTip(
                "How fast training runs, on a log scale: from one step a frame (each step"
                " visible) to Max (as fast as the machine goes)"
            )
        self.seed = props(QSpinBox(), objectName="seedSpin", keyboardTracking=False)
        self.seed.setRange(0, min(MAX_SEED, 2**31 - 1))
        self.seed.setToolTip("The seed of the initial weights: Reset uses it")
        self.compare = props(QPushButton("Compare learning rates…"), objectName="compareButton")
        self.compare.setToolTip(
            "Race copies of this network from the same weights under several learning"
            " rates or optimizers, side by side (Ctrl+Shift+O)"
        )

        buttons = QGridLayout()
        buttons.addWidget(self.train, 0, 0, 1, 2)
        buttons.addWidget(self.step, 0, 2)
        buttons.addWidget(self.reset, 1, 0)
        buttons.addWidget(self.new_seed, 1, 1, 1, 2)
        buttons.addWidget(self.compare, 2, 0, 1, 3)
        neurons = row(self.count, self.kind, stretch=self.kind)
        rate = row(self.rate_slider, self.rate, stretch=self.rate_slider)
        speed = row(self.speed, self.speed_max, stretch=self.speed)
        form = QFormLayout()
        form.addRow("Speed", speed)
        form.addRow(self.speed_label)
        form.addRow("Neurons", neurons)
        form.addRow(self.step_note)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", rate)
        form.addRow("Loss", self.loss)
        form.addRow("Samples", self.samples)
        form.addRow("Batch size", self.batch)
        form.addRow(self.stop_loss_on, self.stop_loss)
        form.addRow(self.stop_steps_on, self.stop_steps)
        form.addRow(self.stop_plateau)
        form.addRow("Seed", self.seed)
        self.regularization = RegularizationControls(state)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addLayout(form)
        layout.addWidget(self.regularization)
        layout.addStretch(1)

        self.train.clicked.connect(lambda _=False: controller.toggle())
        self.step.clicked.connect(controller.step)
        self.reset.clicked.connect(lambda: state.editor.reinitialize())
        self.new_seed.clicked.connect(lambda: state.editor.reinitialize(new_seed()))
        self.count.valueChanged.connect(
            lambda n: state.editor.set_neuron_count(n, self.kind.currentData())
        )
        self.kind.currentIndexChanged.connect(self._show_step_note)
        self.optimizer.activated.connect(lambda _: self._set_optimizer())
        self.rate_slider.valueChanged.connect(self._rate_slid)
        self.rate.valueChanged.connect(lambda _: self._set_optimizer())
        self.loss.activated.connect(
            lambda _: state.editor.update_settings(loss=self.loss.currentData())
        )
        self.samples.valueChanged.connect(self._set_samples)
        self.batch.valueChanged.connect(self._set_batch)
        for check in (self.stop_loss_on, self.stop_steps_on, self.stop_plateau):
            check.toggled.connect(lambda _: self._set_stop())
        self.stop_loss.valueChanged.connect(lambda _: self._set_stop())
        self.stop_steps.valueChanged.connect(lambda _: self._set_stop())
        self.speed.valueChanged.connect(lambda p: state.view.set_steps_per_frame(speed_steps(p)))
        self.speed_max.clicked.connect(lambda: self.speed.setValue(SPEED_MAX))
        self.seed.valueChanged.connect(lambda seed: state.editor.update_settings(seed=seed))
        controller.runningChanged.connect(self._show_running)
        controller.notice.connect(self.show_message)
        document = state.document
        connect(
            self.show_settings,
            document.settingsChanged,
            document.structureChanged,
            document.targetChanged,
            state.view.paceChanged,
        )
        self.show_settings()
        self._show_step_note()

    # -- intents --------------------------------------------------------------------------
    def _set_optimizer(self) -> None:
        spec = replace(
            self.state.document.session.optimizer,
            name=self.optimizer.currentData(),
            learning_rate=self.rate.value(),
        )
        self.state.editor.update_settings(optimizer=spec)

    def _rate_slid(self, position: int) -> None:
        self.rate.setValue(log_value(position, LR_LOW, LR_POSITIONS, LR_DECADES))

    def _set_batch(self, size: int) -> None:
        try:
            self.state.editor.set_batch_size(size or None)
        except InputError as error:
            self.show_message(str(error))

    def _set_samples(self, count: int) -> None:
        try:
            self.state.editor.set_samples(count)
        except InputError as error:
            self.show_message(str(error))
            self.show_settings()

    def _set_stop(self) -> None:
        self.state.editor.update_settings(
            stop=replace(  # early stopping is the regularization controls'
                self.state.document.session.stop,
                max_steps=self.stop_steps.value() if self.stop_steps_on.isChecked() else None,
                loss_below=self.stop_loss.value() if self.stop_loss_on.isChecked() else None,
                plateau_steps=PLATEAU_STEPS if self.stop_plateau.isChecked() else None,
            )
        )

    # -- showing the model ------------------------------------------------------------------
    def show_message(self, text: str, problem: bool = True) -> None:
        """Why training stopped (plain) or what went wrong (in red)."""
        self.message.setText(text)
        self.message.setStyleSheet("color: #d32f2f;" if problem else "")
        self.message.setVisible(bool(text))

    def _show_running(self, running: bool) -> None:
        with QSignalBlocker(self.train):
            self.train.setChecked(running)
        self.train.setText("Pause" if running else "Train")
        self.step.setEnabled(not running)
        if running:
            self.show_message("")

    def _show_step_note(self) -> None:
        uses_steps = "step" in self.state.document.network.activations
        self.step_note.setVisible(uses_steps or self.kind.currentData() == "step")

    def show_settings(self) -> None:
        session = self.state.document.session
        spec = session.optimizer
        widgets = (
            self.count,
            self.optimizer,
            self.rate,
            self.rate_slider,
            self.loss,
            self.samples,
            self.batch,
            self.stop_loss_on,
            self.stop_loss,
            self.stop_steps_on,
            self.stop_steps,
            self.stop_plateau,
            self.speed,
            self.seed,
        )
        blockers = [QSignalBlocker(w) for w in widgets]
        self.count.setValue(self.state.document.network.size)
        self.optimizer.setCurrentIndex(self.optimizer.findData(spec.name))
        self.rate.setValue(spec.learning_rate)
        self.rate_slider.setValue(
            log_position(max(spec.learning_rate, LR_LOW), LR_LOW, LR_POSITIONS, LR_DECADES)
        )
        uses_rate = spec.uses_learning_rate
        for widget in (self.rate, self.rate_slider):
            widget.setEnabled(uses_rate)
        self.loss.setCurrentIndex(self.loss.findData(session.loss))
        self.samples.setValue(session.samples)
        self.samples.setEnabled(not session.target.is_data)
        count = self.state.document.training_data()[0].size
        self.batch.setMaximum(count)
        self.batch.setValue(session.batch_size or 0)
        self.batch.setEnabled(uses_rate)
        self.batch.setToolTip(
            "Samples per step of stochastic gradient descent: each epoch shuffles the"
            " samples (from the seed) and walks through them a batch a step. Full batch:"
            " every step uses every sample."
            if uses_rate
            else "Levenberg–Marquardt solves with every sample at once: it is full batch only."
        )
        stop = session.stop
        self.stop_loss_on.setChecked(stop.loss_below is not None)
        if stop.loss_below is not None:
            self.stop_loss.setValue(stop.loss_below)
        self.stop_steps_on.setChecked(stop.max_steps is not None)
        if stop.max_steps is not None:
            self.stop_steps.setValue(stop.max_steps)
        self.stop_plateau.setChecked(stop.plateau_steps is not None)
        self.speed.setValue(speed_position(self.state.view.steps_per_frame))
        self.speed_label.setText(speed_text(self.state.view.steps_per_frame))
        self.seed.setValue(session.seed)
        del blockers
        self._show_step_note()
