"""The theorem, measured: build Nielsen's construction in the window, see its error fall
as neurons are added, and find, for a tolerance ε, the N that reaches it. The error is
the construction's over the whole domain (``core.teaching.construct.sweep``), so the
window and ``uat-explorer construct --epsilon`` find the same N whatever their samples."""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core import MAX_NEURONS, InputError, Network
from uat_explorer.core.io.export_data import write_table
from uat_explorer.core.nn.formula import number
from uat_explorer.core.teaching.construct import (
    FINE,
    MEASURED_ON,
    SweepPoint,
    built_of,
    construct,
    smallest_count,
    sweep_points,
)
from uat_explorer.gui.widgets.notice import NoticeLabel
from uat_explorer.gui.widgets.plot_export import ExportButton, plot_exports
from uat_explorer.gui.widgets.scientific_spin import ScientificSpinBox
from uat_explorer.gui.workers.construct_training import ConstructTraining
from uat_explorer.model.state import AppState
from uat_explorer.plots.error_plot import ErrorVsNeuronsPlot
from uat_explorer.plots.in_view import in_view
from uat_explorer.qt import connect, props, row, throttled, when_shown

MODES = {
    "Staircase (steps)": "staircase",
    "Bumps (pairs of steps)": "bumps",
    "Steep sigmoids": "sigmoids",
}
PROMISE = (
    "The theorem's promise: for a continuous target the error over the domain falls"
    " towards 0 as neurons are added (here about as 1/N). A jump in the target (a square"
    " wave) keeps a plateau: the slice that holds a jump misses by half of it at best, and"
    " by all of it where the slice's level is the value on the other side."
)
CSV_HEADER = ["neurons", "max_abs_error", "rmse", "trained_max_abs_error"]
SLICE_SECONDS = 0.010
"""The measurement runs between frames in slices this long: 20,000 samples of steep
sigmoids take ~0.2 s in all, and the window keeps drawing meanwhile."""


class ConstructPanel(QWidget):
    """Controls on the left (they scroll if the dock is short), the error against N on
    the right with the whole height: its axes and the N marker are always in view."""

    choice_key = "construct"

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        when_shown(self, self.refresh_sweep)
        self.setObjectName("constructPanel")
        self.state = state
        self.points: list[SweepPoint] = []
        """The last complete measurement (one being made replaces it when done)."""
        self._measuring: Iterator[SweepPoint] | None = None
        self._measured: list[SweepPoint] = []
        self._measuring_key: tuple[object, ...] | None = None
        self._find_when_measured = False
        self._slices = props(QTimer(self), interval=0)
        self._slices.timeout.connect(self._measure_slice)
        self.trained: list[tuple[int, float]] = []
        self._drags = itertools.count(1)
        self._drag: int | None = None

        self.mode = props(QComboBox(), objectName="constructModeCombo")
        self.mode.addItems(list(MODES))
        self.mode.setToolTip("How the neurons are laid out over the domain")
        self.steepness = props(QDoubleSpinBox(), objectName="constructSteepnessSpin")
        self.steepness.setRange(0.05, 50.0)
        self.steepness.setValue(1.0)
        self.steepness.setSingleStep(0.5)
        self.steepness.setSuffix(" sample spacings")
        self.steepness.setToolTip(
            "How wide each sigmoid's rise is: a few sample spacings is a soft ramp, a"
            " fraction of one is a step to the eye"
        )
        self.count = props(QSpinBox(), objectName="constructCountSpin")
        self.count.setRange(1, MAX_NEURONS)
        self.count.setValue(10)
        self.count.setToolTip("Neurons in the construction (bumps use them in pairs)")
        self.slider = props(QSlider(Qt.Orientation.Horizontal), objectName="constructCountSlider")
        self.slider.setRange(1, MAX_NEURONS)
        self.slider.setValue(10)
        self.slider.setToolTip(
            "Drag: the construction is rebuilt live (one drag, one undo step); the neuron"
            " curves come back when you let go"
        )
        self.build = props(QPushButton("Build"), objectName="constructButton")
        self.build.setToolTip("Replace the network by the construction for this target")
        self.epsilon = ScientificSpinBox(1e-6, 10.0)
        self.epsilon.setObjectName("epsilonSpin")
        self.epsilon.setValue(0.05)
        self.epsilon.setToolTip(
            "The tolerance ε on max |error| over the domain: on the samples, at every edge"
            f" of the construction and on {FINE:,} evenly spaced points"
        )
        self.find_button = props(QPushButton("Find N"), objectName="findNButton")
        self.find_button.setToolTip(
            "Build the smallest construction whose max |error| is at most ε"
        )
        self.compare = props(
            QPushButton("Compare with training"), objectName="compareTrainingButton"
        )
        self.compare.setCheckable(True)
        self.compare.setToolTip(
            "Train networks of 2, 4, … 64 sigmoid neurons (Levenberg–Marquardt, 3 seeds, best"
            " kept) in the background and plot the error they reach: training needs far fewer"
            " neurons than the construction for the same error. Click again to cancel."
        )
        self.compare_progress = props(QProgressBar(), objectName="compareTrainingProgress")
        self.compare_progress.setVisible(False)
        self.comparison = ConstructTraining(self)
        self.result = props(QLabel(), objectName="constructResultLabel", wordWrap=True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = NoticeLabel("constructMessageLabel")
        self.plot = ErrorVsNeuronsPlot()
        self.plot.setMinimumSize(260, 170)
        self.export = ExportButton(
            "construction's error against N",
            plot_exports("construct-error", lambda: self.plot, self._write_csv),
            self.message.say,
            object_name="constructExportButton",
        )
        note = props(QLabel(PROMISE), objectName="constructPromiseLabel", wordWrap=True)
        note.setEnabled(False)

        count = row(self.count, self.slider, self.build, stretch=self.slider)
        epsilon = row(self.epsilon, self.find_button, stretch=self.epsilon)
        form = QFormLayout()
        form.addRow("Construction", self.mode)
        form.addRow("Sigmoid rise", self.steepness)
        form.addRow("Neurons", count)
        form.addRow("For every ε", epsilon)
        compare = QHBoxLayout()
        compare.addWidget(self.compare)
        compare.addWidget(self.compare_progress, 1)
        compare.addWidget(self.export)
        controls = QWidget()
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 4, 0)
        column.addLayout(form)
        column.addWidget(self.result)
        column.addLayout(compare)
        column.addWidget(self.message)
        column.addWidget(note)
        column.addStretch(1)
        self.controls = props(QScrollArea(), widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.controls.setObjectName("constructControls")
        self.controls.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls.setWidget(controls)
        self.controls.setMinimumWidth(300)
        self.controls.setMaximumWidth(480)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.controls, 2)
        layout.addWidget(self.plot, 3)

        self._sweep_soon = throttled(self.refresh_sweep, 150, self)
        self._swept: tuple[object, ...] | None = None  # what the points shown were made from
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.steepness.valueChanged.connect(lambda _: self._sweep_soon())
        self.count.valueChanged.connect(self._count_typed)
        slider = self.slider
        slider.sliderPressed.connect(self._drag_started)
        slider.sliderReleased.connect(self._drag_ended)
        slider.valueChanged.connect(self._slid)
        self.build.clicked.connect(lambda: self.build_count(self.count.value()))
        self.find_button.clicked.connect(self.find_n)
        self.epsilon.valueChanged.connect(lambda value: self.plot.show_epsilon(value))
        self.compare.toggled.connect(self._compare_toggled)
        comparison = self.comparison
        comparison.progressed.connect(self._compare_progressed)
        comparison.finished.connect(self._compare_finished)
        comparison.failed.connect(self._compare_failed)
        connect(self._sweep_soon, state.document.targetChanged, state.document.settingsChanged)
        state.document.targetChanged.connect(self._target_changed)
        self._mode_changed()

    # -- what to build ---------------------------------------------------------------------
    @property
    def mode_name(self) -> str:
        return MODES[self.mode.currentText()]

    def transition(self) -> float:
        """The sigmoids' rise in x: the chosen number of sample spacings."""
        x, _ = self.state.document.training_data()
        spacing = float(x.max() - x.min()) / max(x.size - 1, 1)
        return self.steepness.value() * spacing

    def network_for(self, count: int) -> Network:
        state = self.state
        if self.mode_name == "bumps":
            count = max(2, count - count % 2)
        activation = "step"
        return construct(
            state.document.target,
            state.document.domain,
            count,
            self.mode_name,
            activation,
            self.transition() if self.mode_name == "sigmoids" else None,
        )

    def _mode_changed(self) -> None:
        self.steepness.setEnabled(self.mode_name == "sigmoids")
        bumps = self.mode_name == "bumps"
        for widget in (self.count, self.slider):
            widget.setSingleStep(2 if bumps else 1)
            widget.setMinimum(2 if bumps else 1)
        self._sweep_soon()

    # -- building --------------------------------------------------------------------------
    def build_count(self, count: int, gesture: object = None) -> bool:
        """Replace the network by the construction with ``count`` neurons (one undo step;
        the steps of one drag merge)."""
        try:
            network = self.network_for(count)
        except InputError as error:
            self.result.setText(str(error))
            return False
        text = f"Construct {self.mode.currentText().split(' (')[0].lower()} of {network.size}"
        self.state.editor.replace_network(network, text, gesture=gesture)
        self.plot.show_current(network.size)
        self._show_error(network.size)
        return True

    def _count_typed(self, count: int) -> None:
        if self.slider.value() != count:
            self.slider.blockSignals(True)
            self.slider.setValue(count)
            self.slider.blockSignals(False)
        self.plot.show_current(count)

    def _drag_started(self) -> None:
        """A drag rebuilds the network at every tick: the output follows, while the
        cards and neuron curves (up to 256) catch up at the release."""
        self._drag = next(self._drags)
        self.state.view.set_live_rebuild(True)

    def _drag_ended(self) -> None:
        self._drag = None
        self.state.view.set_live_rebuild(False)

    def _slid(self, count: int) -> None:
        self.count.blockSignals(True)
        self.count.setValue(count)
        self.count.blockSignals(False)
        gesture = ("construct-drag", self._drag) if self._drag is not None else None
        self.build_count(count, gesture)

    def find_n(self) -> None:
        """Build the smallest N whose max |error| ≤ ε, or the best there is, and say why
        (once the measurement being made is done)."""
        self.refresh_sweep()
        if self.sweeping or not self.points:
            self._find_when_measured = self.sweeping
            if self.sweeping:
                self.result.setText(f"Measuring the error for N = 1 … {MAX_NEURONS} first…")
            return
        epsilon = self.epsilon.value()
        try:
            found = smallest_count(self.points, epsilon)
        except InputError as error:
            self.result.setText(str(error))
            return
        if found is not None:
            self._set_count(found.neurons)
            self.build_count(found.neurons)
            self.result.setText(
                f"N = {found.neurons} neurons reach max |error| {number(found.max_abs_error)}"
                f" ≤ ε = {number(epsilon)} {MEASURED_ON} ({self._built_of(found.neurons)})"
            )
            return
        best = min(self.points, key=lambda p: p.max_abs_error)
        self._set_count(best.neurons)
        self.build_count(best.neurons)
        self.result.setText(
            f"No construction with at most {MAX_NEURONS} neurons reaches ε = {number(epsilon)}:"
            f" the best, N = {best.neurons} ({self._built_of(best.neurons)}), misses by max"
            f" |error| {number(best.max_abs_error)} {MEASURED_ON}."
            " Either ε is smaller than this many neurons allow, or the target jumps (the"
            " theorem needs a continuous target), so the error cannot fall below half a jump."
        )

    def _built_of(self, count: int) -> str:
        """What ``count`` neurons make in this mode: "a staircase of 62 steps"."""
        return built_of(self.mode_name, count)

    def _set_count(self, count: int) -> None:
        for widget in (self.count, self.slider):
            widget.blockSignals(True)
            widget.setValue(count)
            widget.blockSignals(False)

    def on_close(self) -> None:
        """The window closes: no training process outlives it, no measurement goes on."""
        self.comparison.stop(wait=True)
        self._stop_measuring()

    # -- training, for comparison ----------------------------------------------------------------
    def _compare_toggled(self, on: bool) -> None:
        if not on:
            if self.comparison.running:
                self.comparison.stop()
                self.result.setText("Comparison cancelled.")
            self.compare_progress.setVisible(False)
            return
        x, t = self.state.document.training_data()
        self.compare_progress.setRange(0, 1)
        self.compare_progress.setValue(0)
        self.compare_progress.setVisible(True)
        self.result.setText("Training networks of 2 … 64 neurons in the background…")
        document = self.state.document
        self.comparison.start(x, t, document.domain, document.target, document.test_data())

    def _compare_progressed(self, done: int, total: int) -> None:
        self.compare_progress.setRange(0, total)
        self.compare_progress.setValue(done)

    def _compare_finished(self, results: list[tuple[int, float]]) -> None:
        self.trained = list(results)
        self.plot.show_training(results)
        self.compare.setChecked(False)
        if results:
            fewest = min(results, key=lambda r: r[1])
            tested = self.comparison.test_errors.get(fewest[0])
            held = "" if tested is None else f" (on the test points: {number(tested)})"
            self.result.setText(
                f"Trained, {fewest[0]} neurons reach max |error| {number(fewest[1])}{held};"
                " the diamonds show each N. Training places its neurons; the construction"
                " spaces them evenly, so it needs many more."
            )

    def _compare_failed(self, why: str) -> None:
        self.compare.setChecked(False)
        self.result.setText(why)

    # -- the measurement -----------------------------------------------------------------------
    def refresh_sweep(self) -> None:
        """The error for every N from 1 to 256 on the current samples (≤ 200 ms)."""
        if not in_view(self):
            return
        state = self.state
        transition = self.transition() if self.mode_name == "sigmoids" else None
        key = (state.document.data_revision, id(state.document.target), self.mode_name, transition)
        if (key == self._swept and self.points) or key == self._measuring_key:
            return  # shown again (a workspace switch), or being measured: the same
        x, t = state.document.training_data()
        document = state.document
        counts = range(1, MAX_NEURONS + 1)
        self._measuring = sweep_points(
            document.target, document.domain, x, t, counts, self.mode_name, transition
        )
        self._measuring_key, self._measured = key, []
        self._slices.start()

    @property
    def sweeping(self) -> bool:
        """A measurement is being made (in slices between frames)."""
        return self._measuring is not None

    def _measure_slice(self) -> None:
        """Counts measured for SLICE_SECONDS, the curve drawn as far as it has come."""
        assert self._measuring is not None
        started = time.perf_counter()
        try:
            while time.perf_counter() - started < SLICE_SECONDS:
                self._measured.append(next(self._measuring))
        except StopIteration:
            self._measured_all()
            return
        except InputError as error:
            self._stop_measuring()
            self._find_when_measured = False
            self.result.setText(str(error))
            return
        self.plot.show_sweep(self._measured, self.count.value())

    def _measured_all(self) -> None:
        self.points, self._swept = self._measured, self._measuring_key
        self._stop_measuring()
        self.plot.show_sweep(self.points, self.count.value())
        self.plot.show_epsilon(self.epsilon.value())
        if self._find_when_measured:
            self._find_when_measured = False
            self.find_n()

    def _stop_measuring(self) -> None:
        self._slices.stop()
        self._measuring, self._measuring_key = None, None

    def _show_error(self, count: int) -> None:
        point = next((p for p in self.points if p.neurons == count), None)
        if point is not None:
            self.result.setText(
                f"{count} neurons: max |error| {number(point.max_abs_error)},"
                f" RMSE {number(point.rmse)}"
            )

    def _target_changed(self) -> None:
        """Trained errors belong to the target they were trained on: they go with it."""
        if self.trained:
            self.trained = []
            self.plot.show_training([])

    def came_into_view(self) -> None:
        """Its dock shown, or its tab brought to the front (the registry calls this)."""
        self.refresh_sweep()

    # -- exports, choices and scale ------------------------------------------------------
    def _write_csv(self, path: str) -> None:
        """The sweep (each N's max |error| and RMSE) and what training reached where."""
        trained = dict(self.trained)
        rows = [
            [p.neurons, p.max_abs_error, p.rmse, trained.get(p.neurons, "")] for p in self.points
        ]
        write_table(path, CSV_HEADER, rows)

    def choices(self) -> dict[str, Any]:
        return {
            "mode": self.mode_name,
            "neurons": self.count.value(),
            "epsilon": self.epsilon.value(),
            "steepness": self.steepness.value(),
        }

    def restore_choices(self, choices: dict[str, Any]) -> None:
        """What a saved session chose (each key optional); the network is the session's
        own, so nothing is rebuilt: the count and ε are shown, the sweep follows."""
        if "mode" in choices:
            labels = {name: label for label, name in MODES.items()}
            self.mode.setCurrentText(labels[choices["mode"]])
        if "steepness" in choices:
            self.steepness.setValue(float(choices["steepness"]))
        if "neurons" in choices:
            self._set_count(int(choices["neurons"]))
            self.plot.show_current(self.count.value())
        if "epsilon" in choices:
            self.epsilon.setValue(float(choices["epsilon"]))
        self._sweep_soon()

    def set_scale(self, scale: float) -> None:
        """Presentation mode: the plot's text and lines ``scale`` times their size (the
        controls' text follows the app's font)."""
        if math.isfinite(scale) and scale > 0:
            self.plot.set_scale(scale)
            self.plot.fit_view()
