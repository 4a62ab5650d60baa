"""The classes window's Race tab: learning rates (and optimizers) raced from the weights
now on the class points, in the race's worker process; their cross-entropy curves on the
race plot, and a table of each run's settings and how it ended.

Levenberg–Marquardt is not offered: a cross-entropy is not a sum of squares.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from uat_explorer.core.teaching.race import DEFAULT_RATES
from uat_explorer.core.training.classtrainer import LM_REFUSAL
from uat_explorer.core.training.optimizers import OPTIMIZER_LABELS
from uat_explorer.core.workers.race import ClassRaceJob
from uat_explorer.gui.panels.race_window import race_budget, ticked_specs
from uat_explorer.gui.widgets.scientific_spin import ScientificSpinBox
from uat_explorer.gui.workers.race_runner import RaceRunner
from uat_explorer.plots.race_plot import RaceLossPlot
from uat_explorer.qt import choice_box, props, row, throttled

if TYPE_CHECKING:
    from uat_explorer.gui.classes.window import ClassesWindow

COLUMNS = ["", "Optimizer", "Rate", "Cross-entropy", "Accuracy", "Target at", "Diverged"]
SETTING_WIDTHS = (26, 96, 92)
"""Pixels of the tick, optimizer and rate columns (their widgets' own hints are wider)."""
RESULTS = COLUMNS.index("Cross-entropy")
"""The first column the race fills (the ones before it are the run's settings)."""
DEFAULT_TARGET = 0.05
OPTIMIZERS = {name: label for name, label in OPTIMIZER_LABELS.items() if name != "lm"}
OPTIMIZER_TIP = (
    "The optimizer of this run (every run starts from the weights now). Not offered here:"
    f" {LM_REFUSAL}."
)


class ClassRaceTab(QWidget):
    """One table row per run: tick, optimizer and rate, then its final cross-entropy and
    accuracy, the step it first reached the target and where it diverged."""

    def __init__(self, host: ClassesWindow) -> None:
        super().__init__()
        self.setObjectName("classesRace")
        self.host = host
        self.runner = RaceRunner(self)
        self.steps, self.target = race_budget("classesRaceSteps", "classesRaceTarget")
        self.target.setValue(DEFAULT_TARGET)
        self.run = props(
            QPushButton("Race"),
            objectName="classesRaceButton",
            toolTip="Train a copy of the weights now under each ticked setting, side by side",
        )
        self.status = props(QLabel(), objectName="classesRaceStatus", wordWrap=True)
        self.plot = RaceLossPlot()
        self.plot.setLabel("left", "cross-entropy")
        self.table = props(
            QTableWidget(len(DEFAULT_RATES), len(COLUMNS)), objectName="classesRaceTable"
        )
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column, width in enumerate(SETTING_WIDTHS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        # Size hints would count as the page's height and take the class plot's room.
        for view in (self.plot, self.table):
            view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.enabled: list[QCheckBox] = []
        self.optimizers: list[QComboBox] = []
        self.rates: list[ScientificSpinBox] = []
        self._rows: list[int] = []
        """The table rows of the runs raced (the ticked ones when Race was pressed)."""
        for k in range(len(DEFAULT_RATES)):
            check = props(QCheckBox(), objectName=f"classesRaceEnabled{k}", checked=True)
            combo = choice_box(
                OPTIMIZERS, objectName=f"classesRaceOptimizer{k}", toolTip=OPTIMIZER_TIP
            )
            rate = ScientificSpinBox(1e-6, 1000.0)
            rate.setObjectName(f"classesRaceRate{k}")
            for column, cell in enumerate((check, combo, rate)):
                self.table.setCellWidget(k, column, cell)
            self.enabled.append(check)
            self.optimizers.append(combo)
            self.rates.append(rate)

        settings = row(QLabel("Steps"), self.steps, QLabel("Target"), self.target, self.run)
        settings.addStretch(1)
        side = QVBoxLayout()
        side.addLayout(settings)
        side.addWidget(self.table, 1)
        side.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 3)
        layout.addLayout(side, 5)

        self._redraw_soon = throttled(self.redraw, 33, self)
        self.run.clicked.connect(self.toggle)
        self.runner.updated.connect(self._redraw_soon)
        self.runner.finished.connect(lambda: self._ended("Done."))
        self.runner.failed.connect(lambda why: self._ended(f"{why} The runs so far are kept."))
        self.reset_runs()
        self.status.setText(
            "Tick up to four settings and press Race: each trains a copy of the weights now"
            " for the same number of steps, in a process of its own."
        )

    def reset_runs(self) -> None:
        """The window's optimizer at 0.001, 0.01, 0.1 and 1."""
        current = self.host.optimizer.currentData()
        for combo, rate, value in zip(self.optimizers, self.rates, DEFAULT_RATES, strict=True):
            combo.setCurrentIndex(max(0, combo.findData(current)))
            rate.setValue(value)

    def toggle(self) -> None:
        if self.runner.running:
            self.runner.stop()
            self._ended("Stopped: the runs so far are kept.")
        else:
            self.start()

    def start(self) -> bool:
        """The race from the window's weights, points, batch size and seed (its training
        paused first: two cores, and the race gets one)."""
        specs = ticked_specs(self.enabled, self.optimizers, self.rates)
        self._rows = [k for k, check in enumerate(self.enabled) if check.isChecked()]
        if not specs:
            self.status.setText("Tick at least one run.")
            return False
        self.host.pause()
        trainer = self.host.trainer
        assert trainer is not None
        size = trainer.schedule.size if trainer.schedule is not None else None
        problem = trainer.problem
        job = ClassRaceJob(
            trainer.network,
            problem.x,
            problem.labels,
            specs,
            self.steps.value(),
            size,
            self.host.seed.value(),
        )
        self.runner.start_job(job, self.target.value())
        self.run.setText("Stop")
        self.status.setText(f"Racing {len(specs)} runs of {self.steps.value():,} steps…")
        return True

    def _ended(self, text: str) -> None:
        self.run.setText("Race")
        self.redraw()
        self.status.setText(text)

    def redraw(self) -> None:
        """The curves, and each raced run's outcome in the row of its settings."""
        runs = self.runner.runs
        self.plot.show_runs(runs, growing=self.runner.running)
        for k in range(self.table.rowCount()):
            for column in range(RESULTS, len(COLUMNS)):
                self.table.setItem(k, column, QTableWidgetItem(""))
        for k, run in zip(self._rows, runs, strict=False):
            loss = "" if math.isnan(run.final_loss) else f"{run.final_loss:.4g}"
            accuracy = "" if run.accuracy is None else f"{run.accuracy:.3f}"
            reached = (
                ""
                if not run.done and run.reached_step is None
                else ("never" if run.reached_step is None else f"step {run.reached_step:,}")
            )
            diverged = "" if run.diverged_step is None else f"at step {run.diverged_step:,}"
            for column, text in enumerate((loss, accuracy, reached, diverged), RESULTS):
                self.table.setItem(k, column, QTableWidgetItem(text))
