"""Training → Classify Points…: the same one-hidden-layer network learning classes of
points on a line, its probabilities drawn over x and its cross-entropy falling.

A window of its own, beside the curve document: a class session has K outputs, so the
curve views (cards, landscape, Construct) do not apply to it; it has its own weights
table and the chosen point's backprop graph down to −log p[k]. Training runs in a worker
process; the window records each reply and redraws at most thirty times a second.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

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
from uat_explorer.core.teaching.class_graph import build_class_graph
from uat_explorer.core.training.batches import check_batch_size
from uat_explorer.core.training.class_history import ClassHistory
from uat_explorer.core.training.classtrainer import LM_REFUSAL, ClassTrainer
from uat_explorer.core.training.optimizers import (
    MAX_LEARNING_RATE,
    MIN_LEARNING_RATE,
    OPTIMIZER_LABELS,
    OptimizerSpec,
)
from uat_explorer.core.workers.classes import ClassJob, ClassProgress
from uat_explorer.gui.classes.cards import ClassCards
from uat_explorer.gui.classes.class_file import ClassFile
from uat_explorer.gui.classes.landscape_tab import ClassLandscapeTab
from uat_explorer.gui.classes.race_tab import ClassRaceTab
from uat_explorer.gui.classes.runner import ClassRunner
from uat_explorer.gui.classes.timeline_tab import ClassTimelineTab
from uat_explorer.gui.classes.weights_table import WeightsTable
from uat_explorer.gui.widgets.scientific_spin import ScientificSpinBox
from uat_explorer.plots.backprop_graph import BackpropGraphView
from uat_explorer.plots.classes.class_plot import ClassPlot, SampleHistoryPlot
from uat_explorer.plots.classes.sample_bars import SampleBars
from uat_explorer.plots.theme import ThemedPlot
from uat_explorer.qt import debounced, props, throttled

REDRAW_MS = 33
"""Replies arrive twice a frame; the newest weights are recorded (loss, accuracy, the
history) and drawn at most thirty times a second, so a large data set cannot choke the
window."""
MAX_WINDOW_NEURONS = 64
SESSION_FILTER = "UAT Explorer sessions (*.json)"
RESUME_MS = 400
"""An edit while training pauses it; training goes on from the edited weights once the
dial has rested this long (one drag is one undo step, not one per tick)."""


class ClassesWindow(QWidget):
    """``changed()`` whenever what it shows changes (a lesson's check follows it).

    Target, network and training settings on the left; the class plot and the
    cross-entropy and accuracy over steps on the right. A bad file or setting is said in
    the message line, and nothing changes. Every edit is one step on the window's own
    undo stack (a training run one step, as in the main window); work not saved is asked
    about before it is closed or replaced."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("classesWindow")
        self.resize(1200, 760)
        self.target: ClassTarget = class_preset("bands3")
        self.trainer: ClassTrainer | None = None
        self.history = ClassHistory()
        self.sample = 0
        """The followed point: an index among the training points."""
        self._seed = 0
        """The seed the weights and batches were made from (the box may be ahead of it)."""
        self._run_from: ClassSession | None = None
        """The session when Train was pressed: a run is one undo step."""
        self.file = ClassFile(self, self._restore, self.pause)
        self.runner = ClassRunner(self)
        self.runner.progressed.connect(self._progressed)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self.pause)
        self._until: int | None = None
        self._running_until: int | None = None  # the step the run going on stops at
        self._resume_until: int | None = None  # that of a run an edit paused
        """The step a run stops at (a lesson's Show me); None: it runs until paused."""
        self._show_soon = throttled(self._record_and_redraw, REDRAW_MS, self)
        self._resuming = False
        self._resume_soon = debounced(self._resume, RESUME_MS, self)

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
        self.click = props(
            QComboBox(),
            objectName="classesClick",
            toolTip="What a click on the plot does; Shift+click removes the nearest point",
        )
        self._click_names: tuple[str, ...] = ()
        self.shares = props(
            QCheckBox("Neurons' shares of the logit"),
            objectName="classesShares",
            toolTip="Each neuron's vⱼaⱼ(x) on an axis of its own: with c they sum to the logit"
            " (with three or more classes, the chosen point's class's)",
        )
        self.shares.toggled.connect(self._show_shares)
        for box, what in ((self.neurons, "Neurons"), (self.activation, "Activation")):
            signal = box.valueChanged if isinstance(box, QSpinBox) else box.activated
            signal.connect(self._renewer(f"{what} changed"))
        self.seed.valueChanged.connect(self._renewer("Seed changed"))
        for changed in (self.optimizer.activated, self.rate.valueChanged, self.batch.valueChanged):
            changed.connect(self._settings_changed)

        self.train = props(QPushButton("Train"), checkable=True, objectName="classesTrain")
        self.train.toggled.connect(self._train_toggled)
        step = props(QPushButton("Step"), toolTip="One step of training, to watch it closely")
        step.clicked.connect(self.step_once)
        reset = QPushButton("Reset weights")
        reset.clicked.connect(self._renewer("Reset weights"))
        undo_buttons: list[QWidget] = []
        for action in (self.file.undo_action, self.file.redo_action):
            tool = QToolButton()
            tool.setDefaultAction(action)
            undo_buttons.append(tool)
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
        form.addRow("A click", self.click)
        form.addRow("", self.shares)
        buttons = QHBoxLayout()
        for button in (self.train, step, reset):
            buttons.addWidget(button)
        files = QHBoxLayout()
        for widget in (save, open_session, *undo_buttons):
            files.addWidget(widget)
        self.lesson = props(QLabel(), objectName="classesLessonLabel", wordWrap=True)
        self.lesson.setTextFormat(Qt.TextFormat.RichText)
        self.lesson.hide()
        side = QVBoxLayout()
        side.addWidget(self.lesson)
        side.addLayout(form)
        side.addLayout(buttons)
        side.addLayout(files)
        side.addWidget(self.status)
        side.addWidget(self.message)
        side.addWidget(self.chain)
        self.weights = WeightsTable()
        self.cards = ClassCards()
        for editor in (self.weights, self.cards):
            editor.edited.connect(self._weights_edited)
            editor.refused.connect(self.say)
        self.cards.focused.connect(self._focus)
        self.editors = props(QTabWidget(), objectName="classesEditors")
        self.editors.addTab(self.cards, "Cards")
        self.editors.addTab(self.weights, "Table (double-click to type)")
        side.addWidget(self.editors, 1)

        self.plot = ClassPlot()
        self.plot.themed = True
        self.plot.clicked.connect(self._plot_clicked)
        self.history_plot = SampleHistoryPlot()
        self.history_plot.themed = True
        self.history_plot.apply_theme()
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
        self.graph_view = BackpropGraphView()
        self.graph_view.loss_symbol = "ℓ"
        self.graph_view.neuronClicked.connect(self.cards.select)
        self.focus = 0
        """The neuron drawn in full in the graph of a network too wide to draw whole."""
        training = QWidget()
        below = QHBoxLayout(training)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.loss_plot)
        below.addWidget(self.history_plot)
        self.bars = SampleBars()
        self.bars.themed = True
        self.bars.apply_theme()
        self.bars.setFixedWidth(150)
        below.addWidget(self.bars)
        self.tabs = props(QTabWidget(), objectName="classesTabs")
        self.tabs.addTab(training, "Loss and the point's p")
        self.tabs.addTab(self.graph_view, "Backprop of the point")
        self.timeline_tab = ClassTimelineTab()
        self.tabs.addTab(self.timeline_tab, "Timeline")
        self.landscape = ClassLandscapeTab(self)
        self.tabs.addTab(self.landscape, "Loss landscape")
        self.race = ClassRaceTab(self)
        self.tabs.addTab(self.race, "Race")
        self.tabs.currentChanged.connect(self._show_graph)
        # A splitter, not a layout: its division stays where it is when another tab (the
        # landscape's map, the race's table) asks for more room; the person may drag it.
        plots = props(QSplitter(Qt.Orientation.Vertical), objectName="classesSplitter")
        plots.addWidget(self.plot)
        plots.addWidget(self.tabs)
        plots.setChildrenCollapsible(False)
        plots.setStretchFactor(0, 3)
        plots.setStretchFactor(1, 2)
        layout = QHBoxLayout(self)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(380)
        layout.addWidget(side_widget)
        layout.addWidget(plots, 1)
        self.reset()
        self.file.show_title()

    def _disable_lm(self) -> None:
        """Levenberg–Marquardt stays in the list, greyed, its reason on hover."""
        model = self.optimizer.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(list(OPTIMIZER_LABELS).index("lm"))
        item.setEnabled(False)
        item.setToolTip(LM_REFUSAL[0].upper() + LM_REFUSAL[1:] + ".")

    # -- the session -----------------------------------------------------------------
    def session(self) -> ClassSession:
        """What the window holds now, as a session (the trainer's weights and step, the
        history so far and the followed point)."""
        assert self.trainer is not None
        spec = OptimizerSpec(self.optimizer.currentData(), self.rate.value())
        return ClassSession(
            self.trainer.network,
            self.target,
            self.target.natural_domain(),
            spec,
            self._seed,
            self.trainer.step,
            self.trainer.schedule.size if self.trainer.schedule is not None else None,
            self.history.copy(),
            self.sample,
            self.timeline_tab.timeline,
        )

    def _paused_session(self) -> ClassSession:
        """Training paused (its run pushed as an undo step), then the session: the
        "before" of an edit."""
        self.train.setChecked(False)
        return self.session()

    def _push(self, before: ClassSession, text: str, gesture: object = None) -> None:
        """The edit since ``before`` (already shown) as one undo step."""
        self.file.push(before, self.session(), text, gesture)

    def reset(self) -> None:
        """Fresh weights from the seed for the current target and settings, step 0."""
        kinds = [self.activation.currentData()] * self.neurons.value()
        network = random_classifier(
            kinds, self.target.natural_domain(), self.target.classes, self.seed.value()
        )
        self._start(network, 0)

    def _renewer(self, text: str) -> Callable[..., None]:
        """A slot for any signal (its arguments ignored) that renews the weights."""
        return lambda *_: self._renew(text)

    def pause(self) -> None:
        """Training stops (its run becomes an undo step), and stays stopped."""
        self._resuming = False
        self.train.setChecked(False)

    def _renew(self, text: str) -> None:
        """Reset weights (or new neurons, activation or seed) as one undo step."""
        before = self._paused_session()
        self.reset()
        self._push(before, text)

    def _start(
        self,
        network: ClassNetwork,
        step: int,
        history: ClassHistory | None = None,
        sample: int | None = None,
    ) -> None:
        """A trainer from ``network`` at ``step`` with the settings shown, continuing
        ``history`` (None: a fresh one, the middle point followed); training, if it ran,
        pauses (every change is made to paused weights)."""
        self.train.setChecked(False)
        spec = OptimizerSpec(self.optimizer.currentData(), self.rate.value())
        x, labels = self.target.samples(self.target.natural_domain())
        self.batch.blockSignals(True)
        self.batch.setMaximum(x.size)  # a batch is at most every point
        self.batch.blockSignals(False)
        size = check_batch_size(self.batch.value() or None, x.size)
        self._seed = self.seed.value()
        self.trainer = ClassTrainer(network, x, labels, spec, size, self._seed, step, record=True)
        self.history = history if history is not None else ClassHistory()
        self.timeline_tab.restart(step, fresh=history is None)
        self._offer_classes()
        self.sample = x.size // 2 if sample is None else min(sample, x.size - 1)
        self._record()
        self._redraw()

    def _continue(self, network: ClassNetwork) -> None:
        """``network`` (or new points) at the same step, the history and point kept."""
        assert self.trainer is not None
        self._start(network, self.trainer.step, self.history, self.sample)

    def _settings_changed(self) -> None:
        """Another optimizer, rate or batch size: the weights and the curve stay, the
        optimizer starts afresh."""
        if self.trainer is not None:
            self._continue(self.trainer.network)
            self.file.settings_changed()

    def set_target(self, target: ClassTarget) -> None:
        self.target = target
        self.reset()

    def _preset_chosen(self) -> None:
        before = self._paused_session()
        self.set_target(class_preset(self.preset.currentData(), self.seed.value()))
        self._push(before, f"Classes: {self.target.name}")
        self.say("")

    def choose_preset(self, name: str) -> bool:
        """Start afresh on the preset ``name`` (the Examples menu), as a new file: after
        asking about unsaved work, which Cancel keeps."""
        if not self.maybe_save():
            return False
        self.preset.setCurrentIndex(list(CLASS_PRESETS).index(name))
        self.set_target(class_preset(name, self.seed.value()))
        self.file.begin(None)
        self.say("")
        return True

    def open_csv(self, path: str) -> bool:
        """Points from a CSV of x,label rows (an undo step); a bad file is said and
        nothing changes."""
        try:
            target = load_class_csv(path)
        except InputError as error:
            self.say(str(error))
            return False
        before = self._paused_session()
        self.set_target(target)
        self._push(before, f"Open {Path(path).name}")
        self.say(f"{target.text} from {Path(path).name}.")
        return True

    def save(self, path: str) -> bool:
        try:
            self.session().save(path)
        except (InputError, OSError) as error:
            self.say(f"Cannot save {Path(path).name}: {error}")
            return False
        self.file.saved(Path(path))
        self.say(f"Saved {Path(path).name}.")
        return True

    def open(self, path: str) -> bool:
        """A class session from a file, after asking about unsaved work; anything else
        is said and nothing changes."""
        try:
            opened = load_session(path)
            if not isinstance(opened, ClassSession):
                raise InputError(
                    f"{Path(path).name} is a curve session: open it in the main window"
                )
        except InputError as error:
            self.say(str(error))
            return False
        if not self.maybe_save():
            return False
        self.show_session(opened)
        self.file.begin(Path(path))
        self.say(f"Opened {Path(path).name}.")
        return True

    def maybe_save(self) -> bool:
        """True if the work may be replaced: saved, discarded, or nothing to save."""
        return self.file.maybe_save(self._ask_save)

    def show_session(self, session: ClassSession, settings: bool = True) -> None:
        """Take a session's target, weights, history and followed point, and (with
        ``settings``) its optimizer, rate and batch size."""
        widgets = (self.neurons, self.activation, self.optimizer, self.rate, self.batch, self.seed)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.neurons.setValue(session.network.size)
            kinds = set(session.network.activations)
            if len(kinds) == 1:
                self.activation.setCurrentIndex(list(ACTIVATIONS).index(kinds.pop()))
            if settings:
                self.optimizer.setCurrentIndex(list(OPTIMIZER_LABELS).index(session.optimizer.name))
                self.rate.setValue(session.optimizer.learning_rate)
                self.batch.setValue(session.batch_size or 0)
            self.seed.setValue(session.seed)
            if session.target.name in CLASS_PRESETS:
                self.preset.setCurrentIndex(list(CLASS_PRESETS).index(session.target.name))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.target = session.target
        self.timeline_tab.timeline = session.timeline
        self._start(session.network, session.step, session.history.copy(), session.sample)

    def _restore(self, session: ClassSession) -> None:
        """Undo or redo: the session as it was, but the training settings as they are
        (changing those is not an undo step, as in the main window)."""
        self.show_session(session, settings=False)

    # -- training --------------------------------------------------------------------
    def _train_toggled(self, on: bool) -> None:
        """Training runs in the worker process from the weights shown; pausing stops it
        (the optimizer's running averages start afresh on the next Train)."""
        self.train.setText("Pause" if on else "Train")
        if not on:
            self.runner.stop()
            if self.trainer is not None:
                self._record_and_redraw()  # the weights it paused at, shown at once
            before, self._run_from = self._run_from, None
            if before is not None and self.trainer is not None:
                steps = self.trainer.step - before.step
                if steps:
                    self._push(before, f"Train {steps:,} steps")
            return
        trainer = self.trainer
        assert trainer is not None
        self._run_from = self.session()
        size = trainer.schedule.size if trainer.schedule is not None else None
        job = ClassJob(
            trainer.network,
            trainer.problem.x,
            trainer.problem.labels,
            trainer.spec,
            size,
            self.seed.value(),
            trainer.step,
            self._until,
        )
        self._running_until, self._until = self._until, None
        self.runner.start(job)

    def _progressed(self, progress: ClassProgress) -> None:
        """The worker's newest weights, recorded and drawn at most REDRAW_MS apart."""
        if not self.train.isChecked():
            return  # a reply that was on its way when training paused
        assert self.trainer is not None
        self.trainer.theta[:] = progress.theta
        self.trainer.step = progress.step
        self.timeline_tab.extend(progress.timeline)
        self._show_soon()
        if progress.diverged is not None:
            self.train.setChecked(False)
            self.say(progress.diverged)

    def _failed(self, why: str) -> None:
        self.train.setChecked(False)
        self.say(why)

    def step_once(self) -> None:
        """One step here, paused: the chosen point's numbers move by a single update."""
        before = self._paused_session()
        assert self.trainer is not None
        report = self.trainer.run(1)
        self.timeline_tab.extend(report.timeline)
        self._record()
        self._redraw()
        self._push(before, "Step")
        if report.diverged is not None:
            self.say(report.diverged)

    def _record_and_redraw(self) -> None:
        history = self.history
        if history.steps and self.trainer is not None and history.steps[-1] == self.trainer.step:
            return  # nothing new since the last record
        self._record()
        self._redraw()

    def _record(self) -> None:
        """The weights now, unless the last record holds them already (a session shown
        again by undo, or opened)."""
        assert self.trainer is not None
        history, theta = self.history, self.trainer.theta
        last = history.steps[-1] if history.steps else None
        if last == self.trainer.step and np.array_equal(history.thetas[-1], theta):
            return
        report = self.trainer.report()
        history.record(report.step, report.loss, report.accuracy, theta.astype(np.float64))

    def _redraw(self) -> None:
        assert self.trainer is not None
        self.changed.emit()
        self.plot.show_fit(self.trainer.network, self.target, self.target.natural_domain())
        history = self.history
        self.loss_curve.setData(history.steps, history.losses)
        self.accuracy_curve.setData(history.steps, history.accuracies)
        self._show_sample()
        self.landscape.refresh_soon()
        self.weights.show_network(self.trainer.network, self.target.names)
        self.cards.show_network(self.trainer.network, self.target.names)
        self.timeline_tab.show_training(self.trainer, self.target.names, self._seed)
        names = ", ".join(self.target.names)
        self.status.setText(
            f"{self.target.text}: {names}<br>step {history.steps[-1]:,} · cross-entropy"
            f" {history.losses[-1]:.4g} · accuracy {history.accuracies[-1]:.3f}"
        )

    def train_steps(self, steps: int) -> None:
        """Train exactly ``steps`` more steps in the worker, live, then pause (one undo
        step): a lesson's Show me, watched as it learns."""
        assert self.trainer is not None
        self.pause()
        self._until = self.trainer.step + steps
        self.train.setChecked(True)

    def load_state(self, session: ClassSession, text: str) -> None:
        """``session`` shown, settings and all, as one undo step ``text`` (a lesson's
        start or Show me: Undo gives the student's own work back)."""
        before = self._paused_session()
        self.show_session(session)
        self._push(before, text)

    def show_lesson(self, html: str | None) -> None:
        """The lesson step taken here, its task and how it stands (None: no lesson)."""
        self.lesson.setVisible(html is not None)
        self.lesson.setText(html or "")

    def _weights_edited(self, network: ClassNetwork, gesture: object = None) -> None:
        """A typed or turned weight: the network changes once (one undo step; a drag of
        one dial, ``gesture``, one in all), its curve and step stay. Training that was
        running goes on from the edited weights once the dial rests."""
        if self.train.isChecked():
            self._resuming, self._resume_until = True, self._running_until
        before = self._paused_session()
        self._continue(network)
        self._push(before, "Edit weight", gesture)
        if self._resuming:
            self._resume_soon()

    def _resume(self) -> None:
        if self._resuming:
            self._resuming = False
            self._until, self._resume_until = self._resume_until, None  # a Show me's end
            self.train.setChecked(True)

    def _offer_classes(self) -> None:
        """The click's choices: follow a point, or add one of each class (again only
        when the classes change)."""
        names = self.target.names
        if names == self._click_names:
            return
        self._click_names = names
        self.click.clear()
        self.click.addItem("follows the nearest point", None)
        for k, name in enumerate(names):
            self.click.addItem(f"adds a point of class {name}", k)

    def _plot_clicked(self, x: float, shift: bool) -> None:
        """Shift: remove the nearest point; else add a point of the chosen class, or
        follow the nearest point."""
        assert self.trainer is not None
        if shift:
            index = int(np.argmin(np.abs(self.target.x - x)))
            text = f"Remove the point at x = {self.target.x[index]:.3g}"
            self._change_points(lambda: self.target.without_point(index), text)
        elif self.click.currentData() is not None:
            k = int(self.click.currentData())
            text = f"Add a point of class {self.target.names[k]}"
            self._change_points(lambda: self.target.with_point(x, k), text)
        else:
            self.follow(int(np.argmin(np.abs(self.trainer.problem.x - x))))

    def _change_points(self, change: Callable[[], ClassTarget], text: str) -> None:
        """New points for the same network (one undo step), the followed point kept; a
        change the classes cannot take (a class left empty) is said and nothing changes."""
        assert self.trainer is not None
        try:
            target = change()
        except InputError as error:
            self.say(f"{error}: that point stays.")
            return
        before = self._paused_session()
        followed = float(self.trainer.problem.x[self.sample])
        self.target = target
        sample = int(np.argmin(np.abs(target.x - followed)))
        self._start(self.trainer.network, self.trainer.step, self.history, sample)
        self._push(before, text)
        self.say("")

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
        p = problem.history_at(np.array(self.history.thetas), x)
        self.history_plot.show_history(names, self.history.steps, p)
        self.history_plot.setTitle(f"x = {x:.3g}, class {names[label]}")
        self.bars.show_now(names, self.trainer.network.probabilities(np.array([x]))[0], label)
        self.plot.mark_sample(x, float(label) if len(names) == 2 else 1.0)
        self.chain.setText(chain_text(read_sample(self.trainer.network, x, label), names))
        self._show_graph()
        self._show_shares()

    def _show_shares(self) -> None:
        """The neurons' shares of the logit: the only one for two classes, else the
        chosen point's class's."""
        if self.trainer is None or not self.shares.isChecked():
            self.plot.shares.hide()
            return
        names = self.target.names
        label = int(self.trainer.problem.labels[self.sample])
        m, logit = (0, f"l (of {names[1]})") if len(names) == 2 else (label, f"l[{names[label]}]")
        self.plot.shares.show(self.trainer.network, m, self.target.natural_domain(), logit)

    def _show_graph(self) -> None:
        """The chosen point's backprop graph, when its tab is shown (built afresh: a
        hundred nodes, well within a frame)."""
        if self.trainer is None or self.tabs.currentWidget() is not self.graph_view:
            return
        network = self.trainer.network
        graph = build_class_graph(
            network, self.trainer.problem, self.sample, self.target.names, self.focus
        )
        self.graph_view.show_graph(graph, list(range(network.size)), self.focus)

    def _focus(self, neuron: int) -> None:
        """A card hovered or clicked, or a neuron clicked in the graph: its nodes are
        shaded in its colour, and it is the one drawn in full in a wide network."""
        self.focus = neuron
        self._show_graph()

    def say(self, text: str) -> None:
        self.message.setText(text)

    # -- dialogs ---------------------------------------------------------------------
    def _ask_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open class points", "", "CSV (*.csv *.txt)")
        if path:
            self.open_csv(path)

    def _ask_save(self) -> bool:
        start = str(self.file.path) if self.file.path is not None else ""
        path, _ = QFileDialog.getSaveFileName(self, "Save class session", start, SESSION_FILTER)
        return bool(path) and self.save(path)

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open class session", "", SESSION_FILTER)
        if path:
            self.open(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Unsaved work is asked about first (Cancel keeps the window open)."""
        if not self.maybe_save():
            event.ignore()
            return
        self.runner.stop(wait=True)  # no process outlives the window
        self.race.runner.stop(wait=True)
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
