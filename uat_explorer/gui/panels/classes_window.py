"""Training → Classify Points…: the same one-hidden-layer network learning classes of
points on a line, its probabilities drawn over x and its cross-entropy falling.

A window of its own, beside the curve document: a class session has K outputs, so the
curve views (cards, backprop graph, landscape, Construct) do not apply to it. Training
runs in a worker process; the window records each reply and redraws at most thirty
times a second.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from superqt.utils import qthrottled

from uat_explorer.core.errors import InputError
from uat_explorer.core.io.class_session import ClassSession, load_session
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.classifier import (
    ClassNetwork,
    SampleReadout,
    random_classifier,
    read_sample,
)
from uat_explorer.core.targets.classes import (
    CLASS_PRESETS,
    ClassTarget,
    class_preset,
    load_class_csv,
)
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.classtrainer import LM_REFUSAL, ClassTrainer
from uat_explorer.core.training.optimizers import (
    MAX_LEARNING_RATE,
    MIN_LEARNING_RATE,
    OPTIMIZER_LABELS,
    OptimizerSpec,
)
from uat_explorer.core.workers.classes import ClassJob, ClassProgress
from uat_explorer.gui.controls.class_weights import WeightsTable
from uat_explorer.gui.widgets.scientific_spin import ScientificSpinBox
from uat_explorer.gui.workers.class_runner import ClassRunner
from uat_explorer.plots.class_plot import ClassPlot, SampleHistoryPlot
from uat_explorer.plots.theme import ThemedPlot
from uat_explorer.qt import props

REDRAW_MS = 33
"""Replies arrive twice a frame; the newest weights are recorded (loss, accuracy, the
history) and drawn at most thirty times a second, so a large data set cannot choke the
window."""
MAX_WINDOW_NEURONS = 64
SESSION_FILTER = "UAT Explorer sessions (*.json)"


class ClassesWindow(QWidget):
    """Target, network and training settings on the left; the class plot and the
    cross-entropy and accuracy over steps on the right. A bad file or setting is said in
    the message line, and nothing changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("classesWindow")
        self.setWindowTitle("Classify points — UAT Explorer")
        self.resize(1200, 760)
        self.target: ClassTarget = class_preset("bands3")
        self.trainer: ClassTrainer | None = None
        self.steps: list[int] = []
        self.losses: list[float] = []
        self.accuracies: list[float] = []
        self.thetas: list[np.ndarray] = []
        self.sample = 0
        """The followed point: an index among the training points."""
        self.runner = ClassRunner(self)
        self.runner.progressed.connect(self._progressed)
        self.runner.failed.connect(self._failed)
        self._show_soon = qthrottled(self._record_and_redraw, REDRAW_MS, parent=self)

        self.preset = QComboBox()
        for name, preset in CLASS_PRESETS.items():
            self.preset.addItem(preset.label, name)
        self.preset.setCurrentIndex(list(CLASS_PRESETS).index("bands3"))
        self.preset.activated.connect(self._preset_chosen)
        open_csv = props(
            QPushButton("Open CSV…"), toolTip="Points as rows x,label (2 to 6 classes)"
        )
        open_csv.clicked.connect(self._ask_csv)
        self.neurons = props(QSpinBox(), minimum=1, maximum=MAX_WINDOW_NEURONS, value=8)
        self.activation = QComboBox()
        for name, kind in ACTIVATIONS.items():
            self.activation.addItem(kind.label, name)
        self.activation.setCurrentIndex(list(ACTIVATIONS).index("sigmoid"))
        self.optimizer = QComboBox()
        for name, label in OPTIMIZER_LABELS.items():
            self.optimizer.addItem(label, name)
        self.optimizer.setCurrentIndex(list(OPTIMIZER_LABELS).index("adam"))
        self._disable_lm()
        self.rate = ScientificSpinBox(MIN_LEARNING_RATE, MAX_LEARNING_RATE)
        self.rate.setValue(0.01)
        self.batch = props(
            QSpinBox(),
            minimum=0,
            maximum=20_000,
            toolTip="Samples per step (mini-batches, shuffled each epoch); 0: all of them",
        )
        self.batch.setSpecialValueText("all")
        self.seed = props(QSpinBox(), minimum=0, maximum=999_999, value=0)
        for box in (self.neurons, self.activation, self.seed):
            signal = box.valueChanged if isinstance(box, QSpinBox) else box.activated
            signal.connect(self.reset)
        for changed in (self.optimizer.activated, self.rate.valueChanged, self.batch.valueChanged):
            changed.connect(self._settings_changed)

        self.train = props(QPushButton("Train"), checkable=True, objectName="classesTrain")
        self.train.toggled.connect(self._train_toggled)
        step = props(QPushButton("Step"), toolTip="One step of training, to watch it closely")
        step.clicked.connect(self.step_once)
        reset = QPushButton("Reset weights")
        reset.clicked.connect(self.reset)
        save, open_session = QPushButton("Save…"), QPushButton("Open…")
        save.clicked.connect(self._ask_save)
        open_session.clicked.connect(self._ask_open)
        self.status = props(QLabel(), objectName="classesStatus", wordWrap=True)
        self.message = props(QLabel(), objectName="classesMessage", wordWrap=True)
        self.chain = props(QLabel(), objectName="classesChain", wordWrap=True)
        self.chain.setTextFormat(Qt.TextFormat.RichText)

        form = QFormLayout()
        form.addRow("Classes", self.preset)
        form.addRow("", open_csv)
        form.addRow("Neurons", self.neurons)
        form.addRow("Activation", self.activation)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.rate)
        form.addRow("Batch size", self.batch)
        form.addRow("Seed", self.seed)
        buttons = QHBoxLayout()
        for button in (self.train, step, reset):
            buttons.addWidget(button)
        files = QHBoxLayout()
        for button in (save, open_session):
            files.addWidget(button)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side.addLayout(files)
        side.addWidget(self.status)
        side.addWidget(self.message)
        side.addWidget(self.chain)
        self.weights = WeightsTable()
        self.weights.edited.connect(self._weights_edited)
        self.weights.refused.connect(self.say)
        side.addWidget(QLabel("Weights (double-click to edit)"))
        side.addWidget(self.weights, 1)
        side.addStretch(1)

        self.plot = ClassPlot()
        self.plot.themed = True
        self.plot.sampleClicked.connect(self.follow)
        self.history = SampleHistoryPlot()
        self.history.themed = True
        self.history.apply_theme()
        self.loss_plot = ThemedPlot()
        self.loss_plot.themed = True
        self.loss_plot.setLabel("bottom", "step")
        self.loss_plot.setLabel("left", "cross-entropy / accuracy")
        self.loss_plot.addLegend(offset=(-10, 10))
        self.loss_curve = self.loss_plot.plot(
            pen=pg.mkPen("#1f57b4", width=2), name="cross-entropy"
        )
        self.accuracy_curve = self.loss_plot.plot(
            pen=pg.mkPen("#117733", width=2, style=Qt.PenStyle.DashLine), name="accuracy"
        )
        self.loss_plot.apply_theme()
        below = QHBoxLayout()
        below.addWidget(self.loss_plot)
        below.addWidget(self.history)
        plots = QVBoxLayout()
        plots.addWidget(self.plot, 3)
        plots.addLayout(below, 2)
        layout = QHBoxLayout(self)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(380)
        layout.addWidget(side_widget)
        layout.addLayout(plots, 1)
        self.reset()

    def _disable_lm(self) -> None:
        """Levenberg–Marquardt stays in the list, greyed, its reason on hover."""
        model = self.optimizer.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(list(OPTIMIZER_LABELS).index("lm"))
        item.setEnabled(False)
        item.setToolTip(LM_REFUSAL[0].upper() + LM_REFUSAL[1:] + ".")

    # -- the session -----------------------------------------------------------------
    def session(self) -> ClassSession:
        """What the window holds now, as a session (the trainer's weights and step)."""
        assert self.trainer is not None
        spec = OptimizerSpec(self.optimizer.currentData(), self.rate.value())
        return ClassSession(
            self.trainer.network,
            self.target,
            self.target.natural_domain(),
            spec,
            self.seed.value(),
            self.trainer.step,
            self.trainer.schedule.size if self.trainer.schedule is not None else None,
        )

    def reset(self) -> None:
        """Fresh weights from the seed for the current target and settings, step 0."""
        kinds = [self.activation.currentData()] * self.neurons.value()
        network = random_classifier(
            kinds, self.target.natural_domain(), self.target.classes, self.seed.value()
        )
        self._start(network, 0)

    def _start(self, network: ClassNetwork, step: int, keep_history: bool = False) -> None:
        """A trainer from ``network`` at ``step`` with the settings shown; training, if
        it ran, pauses (every change is made to paused weights)."""
        self.train.setChecked(False)
        spec = OptimizerSpec(self.optimizer.currentData(), self.rate.value())
        x, labels = self.target.samples(self.target.natural_domain())
        self.batch.blockSignals(True)
        self.batch.setMaximum(x.size)  # a batch is at most every point
        self.batch.blockSignals(False)
        size = check_batch_size(self.batch.value() or None, x.size)
        self.trainer = ClassTrainer(network, x, labels, spec, size, self.seed.value(), step)
        if not keep_history:
            self.steps, self.losses, self.accuracies, self.thetas = [], [], [], []
            self.sample = x.size // 2
        self._record()
        self._redraw()

    def _settings_changed(self) -> None:
        """Another optimizer, rate or batch size: the weights and the curve stay, the
        optimizer starts afresh."""
        if self.trainer is not None:
            self._start(self.trainer.network, self.trainer.step, keep_history=True)

    def set_target(self, target: ClassTarget) -> None:
        self.target = target
        self.reset()

    def _preset_chosen(self) -> None:
        self.set_target(class_preset(self.preset.currentData(), self.seed.value()))
        self.say("")

    def choose_preset(self, name: str) -> None:
        """Start afresh on the preset ``name`` (the Examples menu)."""
        self.train.setChecked(False)
        self.preset.setCurrentIndex(list(CLASS_PRESETS).index(name))
        self._preset_chosen()

    def open_csv(self, path: str) -> bool:
        """Points from a CSV of x,label rows; a bad file is said and nothing changes."""
        try:
            target = load_class_csv(path)
        except InputError as error:
            self.say(str(error))
            return False
        self.set_target(target)
        self.say(f"{target.text} from {Path(path).name}.")
        return True

    def save(self, path: str) -> bool:
        try:
            self.session().save(path)
        except (InputError, OSError) as error:
            self.say(f"Cannot save {Path(path).name}: {error}")
            return False
        self.say(f"Saved {Path(path).name}.")
        return True

    def open(self, path: str) -> bool:
        """A class session from a file; anything else is said and nothing changes."""
        try:
            opened = load_session(path)
            if not isinstance(opened, ClassSession):
                raise InputError(
                    f"{Path(path).name} is a curve session: open it in the main window"
                )
            self.show_session(opened)
        except InputError as error:
            self.say(str(error))
            return False
        self.say(f"Opened {Path(path).name}.")
        return True

    def show_session(self, session: ClassSession) -> None:
        """Take a session's target, settings and weights."""
        widgets = (self.neurons, self.activation, self.optimizer, self.rate, self.batch, self.seed)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.neurons.setValue(session.network.size)
            kinds = set(session.network.activations)
            if len(kinds) == 1:
                self.activation.setCurrentIndex(list(ACTIVATIONS).index(kinds.pop()))
            self.optimizer.setCurrentIndex(list(OPTIMIZER_LABELS).index(session.optimizer.name))
            self.rate.setValue(session.optimizer.learning_rate)
            self.batch.setValue(session.batch_size or 0)
            self.seed.setValue(session.seed)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.target = session.target
        self._start(session.network, session.step)

    # -- training --------------------------------------------------------------------
    def _train_toggled(self, on: bool) -> None:
        """Training runs in the worker process from the weights shown; pausing stops it
        (the optimizer's running averages start afresh on the next Train)."""
        self.train.setText("Pause" if on else "Train")
        if not on:
            self.runner.stop()
            if self.trainer is not None:
                self._record_and_redraw()  # the weights it paused at, shown at once
            return
        trainer = self.trainer
        assert trainer is not None
        size = trainer.schedule.size if trainer.schedule is not None else None
        job = ClassJob(
            trainer.network,
            trainer.problem.x,
            trainer.problem.labels,
            trainer.spec,
            size,
            self.seed.value(),
            trainer.step,
        )
        self.runner.start(job)

    def _progressed(self, progress: ClassProgress) -> None:
        """The worker's newest weights, recorded and drawn at most REDRAW_MS apart."""
        if not self.train.isChecked():
            return  # a reply that was on its way when training paused
        assert self.trainer is not None
        self.trainer.theta[:] = progress.theta
        self.trainer.step = progress.step
        self._show_soon()
        if progress.diverged is not None:
            self.train.setChecked(False)
            self.say(progress.diverged)

    def _failed(self, why: str) -> None:
        self.train.setChecked(False)
        self.say(why)

    def step_once(self) -> None:
        """One step here, paused: the chosen point's numbers move by a single update."""
        self.train.setChecked(False)
        assert self.trainer is not None
        report = self.trainer.run(1)
        self._record()
        self._redraw()
        if report.diverged is not None:
            self.say(report.diverged)

    def _record_and_redraw(self) -> None:
        if self.steps and self.trainer is not None and self.steps[-1] == self.trainer.step:
            return  # nothing new since the last record
        self._record()
        self._redraw()

    def _record(self) -> None:
        assert self.trainer is not None
        report = self.trainer.report()
        self.steps.append(report.step)
        self.losses.append(report.loss)
        self.accuracies.append(report.accuracy)
        self.thetas.append(self.trainer.theta.copy())

    def _redraw(self) -> None:
        assert self.trainer is not None
        self.plot.show_fit(self.trainer.network, self.target, self.target.natural_domain())
        self.loss_curve.setData(self.steps, self.losses)
        self.accuracy_curve.setData(self.steps, self.accuracies)
        self._show_sample()
        self.weights.show_network(self.trainer.network, self.target.names)
        names = ", ".join(self.target.names)
        self.status.setText(
            f"{self.target.text}: {names}<br>step {self.steps[-1]:,} · cross-entropy"
            f" {self.losses[-1]:.4g} · accuracy {self.accuracies[-1]:.3f}"
        )

    def _weights_edited(self, network: ClassNetwork) -> None:
        """A typed weight: the network changes once, its curve and step stay."""
        assert self.trainer is not None
        self._start(network, self.trainer.step, keep_history=True)

    def follow(self, index: int) -> None:
        """Follow the training point ``index``: its probabilities at every step recorded
        so far, and the last links of its chain rule."""
        self.sample = index
        self._show_sample()

    def _show_sample(self) -> None:
        assert self.trainer is not None
        problem = self.trainer.problem
        x, label = float(problem.x[self.sample]), int(problem.labels[self.sample])
        names = self.target.names
        p = problem.history_at(np.array(self.thetas), x)
        self.history.show_history(names, self.steps, p)
        self.history.setTitle(f"x = {x:.3g}, class {names[label]}")
        self.plot.mark_sample(x, float(label) if len(names) == 2 else 1.0)
        self.chain.setText(chain_text(read_sample(self.trainer.network, x, label), names))

    def say(self, text: str) -> None:
        self.message.setText(text)

    # -- dialogs ---------------------------------------------------------------------
    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open class points", "", "CSV (*.csv *.txt)")
        if path:
            self.open_csv(path)

    def _ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save class session", "", SESSION_FILTER)
        if path:
            self.save(path)

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open class session", "", SESSION_FILTER)
        if path:
            self.open(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.train.setChecked(False)
        self.runner.stop(wait=True)  # no process outlives the window
        super().closeEvent(event)


def _numbers(values: np.ndarray, spec: str = ".3f") -> str:
    return "[" + ", ".join(f"{v:{spec}}" for v in values) + "]"


def chain_text(readout: SampleReadout, names: tuple[str, ...]) -> str:
    """The last links of the chain rule for one point, with its numbers: logits, σ or
    softmax, −log p[k], and ∂ℓ/∂l = p − onehot(k)."""
    k = readout.label
    if readout.logits.size == 1:
        squash = f"p({names[1]}) = σ(l) = {readout.p[1]:.3f}"
        grad = f"∂ℓ/∂l = p({names[1]}) − [k = {names[1]}] = {readout.dlogits[0]:.3g}"
        logits = f"l = c + Σ vⱼaⱼ = {readout.logits[0]:.3f}"
    else:
        squash = f"p = softmax(l) = {_numbers(readout.p)}"
        grad = f"∂ℓ/∂l = p − onehot({names[k]}) = {_numbers(readout.dlogits, '.3g')}"
        logits = f"l = c + Σ vⱼaⱼ = {_numbers(readout.logits)}"
    return (
        f"<b>The chosen point</b> (x = {readout.x:.3g}, class {names[k]}; click another)"
        f"<br>{logits}<br>{squash}<br>ℓ = −log p[{names[k]}] = {readout.loss:.4g}<br>{grad}"
    )
