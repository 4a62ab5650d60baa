"""Training → Compare…: learning rates (and optimizers) raced from the same weights for
the same number of steps, their loss curves on one plot, a fit per run, a table, and
"Keep this run" to take the winner's weights into the document."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.errors import InputError
from uat_explorer.core.files import atomic_write_bytes
from uat_explorer.core.io.export_data import write_table
from uat_explorer.core.nn.network import Network
from uat_explorer.core.teaching.race import DEFAULT_RATES, DEFAULT_TARGET_LOSS, race_table
from uat_explorer.core.training.optimizers import OPTIMIZER_LABELS, OptimizerSpec
from uat_explorer.export.figures import FigureOptions
from uat_explorer.gui.widgets.plot_export import ChosenSize, ExportButton, plot_exports
from uat_explorer.gui.widgets.scientific_spin import ScientificSpinBox
from uat_explorer.gui.workers.race_runner import RaceRunner
from uat_explorer.gui.workers.training_controller import TrainingController
from uat_explorer.model.state import AppState
from uat_explorer.plots.race_plot import RaceLossPlot, RunFitPlot
from uat_explorer.qt import props, throttled

RUNS = 4
COLUMNS = [
    "Optimizer",
    "Learning rate",
    "Final loss",
    "Reached target at step",
    "Diverged",
    "Final test loss",
]
TEST_COLUMN = COLUMNS.index("Final test loss")
"""Shown only when the session holds test points out."""
GIF_FRAMES = 60
GIF_FPS = 15.0


def ticked_specs(
    enabled: list[QCheckBox], optimizers: list[QComboBox], rates: list[ScientificSpinBox]
) -> list[OptimizerSpec]:
    """The settings of each ticked run, in order (a curve race's or a classifier's)."""
    return [
        OptimizerSpec(combo.currentData(), rate.value())
        for check, combo, rate in zip(enabled, optimizers, rates, strict=True)
        if check.isChecked()
    ]


def race_budget(steps_name: str, target_name: str) -> tuple[QSpinBox, ScientificSpinBox]:
    """Every race's two numbers: steps per run, and the loss whose first step the table
    gives (a curve race's or a classifier's)."""
    steps = props(
        QSpinBox(),
        objectName=steps_name,
        keyboardTracking=False,
        minimum=1,
        maximum=1_000_000,
        value=2000,
        toolTip="Every run trains this many steps from the same weights",
    )
    steps.setGroupSeparatorShown(True)
    target = props(
        ScientificSpinBox(1e-12, 1e3),
        objectName=target_name,
        toolTip="The table says at which step each run first got this low",
    )
    return steps, target


class RaceWindow(QWidget):
    """The race's settings, its curves, a fit per run and the table. Its choices (the runs,
    the steps, the target loss) are kept with a session as "race"; presentation mode grows
    its plots' text and lines."""

    choice_key = "race"

    def __init__(
        self, state: AppState, training: TrainingController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("compareWindow")
        self.setWindowTitle("Compare learning rates — UAT Explorer")
        self.resize(1100, 760)
        self.state, self.training = state, training
        self.scale = 1.0
        self.runner = RaceRunner(self)

        configs = QGridLayout()
        configs.addWidget(QLabel("Optimizer"), 0, 1)
        configs.addWidget(QLabel("Learning rate"), 0, 2)
        self.enabled: list[QCheckBox] = []
        self.optimizers: list[QComboBox] = []
        self.rates: list[ScientificSpinBox] = []
        for k in range(RUNS):
            check = props(QCheckBox(f"Run {k + 1}"), objectName=f"compareEnabled{k}", checked=True)
            combo = props(
                QComboBox(),
                objectName=f"compareOptimizer{k}",
                toolTip="The optimizer of this run (each run starts from the same weights)",
            )
            for name, label in OPTIMIZER_LABELS.items():
                combo.addItem(label, name)
            rate = ScientificSpinBox(1e-6, 1000.0)
            rate.setObjectName(f"compareRate{k}")
            rate.setToolTip("Learning rate of this run (Levenberg–Marquardt uses none)")
            combo.currentIndexChanged.connect(self._rates_usable)
            configs.addWidget(check, k + 1, 0)
            configs.addWidget(combo, k + 1, 1)
            configs.addWidget(rate, k + 1, 2)
            self.enabled.append(check)
            self.optimizers.append(combo)
            self.rates.append(rate)
        self.steps, self.target = race_budget("compareStepsSpin", "compareTargetSpin")
        configs.addWidget(QLabel("Steps"), 1, 3)
        configs.addWidget(self.steps, 1, 4)
        configs.addWidget(QLabel("Target loss"), 2, 3)
        configs.addWidget(self.target, 2, 4)
        configs.setColumnStretch(5, 1)

        self.run = props(QPushButton("Run"), objectName="compareRunButton")
        self.run.setToolTip("Train a copy of the current network under each checked setting")
        self.keep = props(
            QPushButton("Keep this run"), objectName="compareKeepButton", enabled=False
        )
        self.keep.setToolTip("Put the selected run's weights into the document (one undo step)")
        self.status = props(QLabel(), objectName="compareStatusLabel", wordWrap=True)
        self.plot = RaceLossPlot()
        self.export = ExportButton(
            "comparison",
            plot_exports("comparison", lambda: self.plot, self._write_csv),
            self._say,
            object_name="compareExportButton",
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.run)
        buttons.addWidget(self.keep)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.export)
        self.export.menu().addAction("Animated GIF of the curves growing…", self.ask_gif)

        self.fits = [RunFitPlot(k) for k in range(RUNS)]
        fits = QHBoxLayout()
        for fit in self.fits:
            fits.addWidget(fit)
        self.table = props(QTableWidget(0, len(COLUMNS)), objectName="compareTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setColumnHidden(TEST_COLUMN, True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setMinimumHeight(150)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(fits, 2)
        lower_layout.addWidget(self.table, 3)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot)
        split.addWidget(lower)
        split.setSizes([380, 340])

        layout = QVBoxLayout(self)
        layout.addLayout(configs)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

        self._redraw_soon = throttled(self.redraw, 33, self)
        self.run.clicked.connect(self.toggle)
        self.keep.clicked.connect(self.keep_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        runner = self.runner
        runner.updated.connect(self._redraw_soon)
        runner.finished.connect(self._finished)
        runner.failed.connect(self._failed)
        self.reset_configs()
        self._say(
            "Choose up to four settings and press Run: each trains a copy of the current"
            " network from the same weights for the same number of steps.",
            False,
        )
        for fit in self.fits:
            fit.hide()  # until there is a run to show
        if state.view.text_scale != 1.0:  # opened in presentation mode: drawn at its scale
            self.set_scale(state.view.text_scale)

    # -- settings ------------------------------------------------------------------------
    def reset_configs(self) -> None:
        """The current optimizer at 0.001, 0.01, 0.1 and 1; the Training panel's stop loss
        (or 0.001) as the target."""
        current = self.state.document.session.optimizer.name
        for combo, rate, value in zip(self.optimizers, self.rates, DEFAULT_RATES, strict=True):
            combo.setCurrentIndex(combo.findData(current))
            rate.setValue(value)
        self.target.setValue(self.state.document.session.stop.loss_below or DEFAULT_TARGET_LOSS)
        self._rates_usable()

    def _rates_usable(self) -> None:
        for combo, rate in zip(self.optimizers, self.rates, strict=True):
            uses = OptimizerSpec(combo.currentData()).uses_learning_rate
            rate.setEnabled(uses)

    # -- running -------------------------------------------------------------------------
    def toggle(self) -> None:
        if self.runner.running:
            self.runner.stop()
            self._finished(stopped=True)
        else:
            self.start()

    def start(self) -> bool:
        try:
            specs = ticked_specs(self.enabled, self.optimizers, self.rates)
        except InputError as error:
            self._say(str(error), True)
            return False
        if not specs:
            self._say("Tick at least one run.", True)
            return False
        self.training.pause()  # two cores: the race gets one of them to itself
        x, t = self.state.document.training_data()
        batches = self.state.document.batch_schedule()
        self.runner.start(
            self.state.document.network,
            x,
            t,
            self.state.document.session.loss,
            specs,
            self.steps.value(),
            self.target.value(),
            batches.size if batches is not None else None,
            self.state.document.session.seed,
            self.state.document.test_data(),
            self.state.document.session.penalty,
        )
        self.run.setText("Stop")
        self.keep.setEnabled(False)
        self._say(f"Racing {len(specs)} runs of {self.steps.value():,} steps…", False)
        return True

    def _finished(self, stopped: bool = False) -> None:
        self.run.setText("Run")
        self.redraw()
        self._say("Stopped: the runs so far are kept." if stopped else "Done.", False)
        self._selection_changed()

    def _failed(self, why: str) -> None:
        """The race's process died, failed or stopped answering: say why, keep the runs
        so far (Keep works on them), and Run starts afresh."""
        self.run.setText("Run")
        self.redraw()
        self._say(f"{why} The runs so far are kept.", True)
        self._selection_changed()

    # -- showing -------------------------------------------------------------------------
    def redraw(self) -> None:
        runs = self.runner.runs
        self.plot.show_runs(runs, growing=self.runner.running)
        x, t = self.state.document.training_data()
        for k, fit in enumerate(self.fits):
            fit.setVisible(k < len(runs))
            if k < len(runs):
                net = runs[k].network
                curve = net(x) if isinstance(net, Network) else None  # a curve race's run
                fit.show_fit(x, t, curve, runs[k].label)
        selected = self.table.currentRow()
        self.table.setRowCount(len(runs))
        for row, run in enumerate(runs):
            loss = "" if math.isnan(run.final_loss) else f"{run.final_loss:.4g}"
            reached = (
                ""
                if not run.done and run.reached_step is None
                else ("never" if run.reached_step is None else f"{run.reached_step:,}")
            )
            diverged = (
                "" if run.diverged_step is None else f"diverged at step {run.diverged_step:,}"
            )
            rate = f"{run.spec.learning_rate:g}" if run.spec.uses_learning_rate else "—"
            test = "" if run.test_loss is None else f"{run.test_loss:.4g}"
            cells = (run.spec.label, rate, loss, reached, diverged, test)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if 0 <= selected < len(runs):
            self.table.selectRow(selected)
        self.table.setColumnHidden(TEST_COLUMN, all(run.test_loss is None for run in runs))

    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        runs = self.runner.runs
        self.keep.setEnabled(
            not self.runner.running and 0 <= row < len(runs) and runs[row].network is not None
        )

    def keep_selected(self) -> None:
        row = self.table.currentRow()
        runs = self.runner.runs
        if not 0 <= row < len(runs) or runs[row].network is None:
            return
        run = runs[row]
        assert isinstance(run.network, Network)  # the runner raced this curve session
        self.state.editor.replace_network(run.network, f"Keep the {run.label} run")
        self._say(
            f"The {run.label} run's weights are in the document (Undo takes them back).", False
        )

    def _say(self, text: str, problem: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #d32f2f;" if problem else "")

    def _write_csv(self, path: str) -> None:
        header, rows = race_table(self.runner.runs)
        write_table(path, header, rows)

    # -- the animation --------------------------------------------------------------------
    def ask_gif(self) -> None:
        default = str(Path.home() / "comparison.gif")
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export the race as an animation", default, "GIF animations (*.gif)"
        )
        if chosen:
            self.export_gif(chosen if chosen.lower().endswith(".gif") else chosen + ".gif")

    def export_gif(self, path: str, options: FigureOptions | None = None) -> bool:
        """The loss curves growing step by step, as an animated GIF of ``options``' size
        (None: the Export buttons' chosen size, or the plot as shown); the runs so far,
        finished or not."""
        from uat_explorer.export.animation import gif_bytes, record_race

        runs = [run for run in self.runner.runs if len(run.history)]
        if not runs:
            self._say("Run the race first: there are no curves to animate yet.", True)
            return False
        if options is None:  # the Export buttons' chosen size, at one pixel a point
            pixels = ChosenSize.size.pixels or (self.plot.width(), self.plot.height())
            options = FigureOptions(max(pixels[0], 16), max(pixels[1], 16))
        try:
            frames = record_race(runs, GIF_FRAMES, options, self.scale)
            atomic_write_bytes(path, gif_bytes(frames, GIF_FPS))
        except InputError as error:
            self._say(str(error), True)
            return False
        except OSError as error:
            self._say(f"Could not write {path}: {error.strerror or error}.", True)
            return False
        self._say(f"Exported the race's curves growing to {path}", False)
        return True

    # -- choices and scale ------------------------------------------------------------------
    def choices(self) -> dict[str, Any]:
        return {
            "runs": [
                {"enabled": check.isChecked(), "optimizer": combo.currentData(), "lr": rate.value()}
                for check, combo, rate in zip(
                    self.enabled, self.optimizers, self.rates, strict=True
                )
            ],
            "steps": self.steps.value(),
            "target_loss": self.target.value(),
        }

    def restore_choices(self, choices: dict[str, Any]) -> None:
        """What a saved session chose (each key optional; the runs given, in order)."""
        for run, check, combo, rate in zip(
            choices.get("runs", []), self.enabled, self.optimizers, self.rates, strict=False
        ):
            check.setChecked(bool(run["enabled"]))
            combo.setCurrentIndex(combo.findData(run["optimizer"]))
            rate.setValue(float(run["lr"]))
        if "steps" in choices:
            self.steps.setValue(int(choices["steps"]))
        if "target_loss" in choices:
            self.target.setValue(float(choices["target_loss"]))
        self._rates_usable()

    def set_scale(self, scale: float) -> None:
        """Presentation mode: the plots' text and lines ``scale`` times their size (the
        table and the controls follow the app's font)."""
        self.scale = scale
        for plot in (self.plot, *self.fits):
            plot.set_scale(scale)
        self.redraw()

    def on_close(self) -> None:
        """The main window closes: the race's process ends with it."""
        self.runner.stop(wait=True)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.stop()
        super().closeEvent(event)
