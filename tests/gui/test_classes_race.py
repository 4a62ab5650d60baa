"""The classes window's Race tab: runs from the weights now raced in the race's worker
process, their cross-entropy curves drawn, the table filled, a blow-up marked, and
Levenberg–Marquardt not offered."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from uat_explorer.core.teaching.class_race import ClassRaceTrainer
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.gui.classes.race_tab import COLUMNS
from uat_explorer.gui.classes.window import ClassesWindow


def raced(qtbot, steps: int = 300) -> ClassesWindow:
    window = ClassesWindow()
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.race)
    race = window.race
    race.steps.setValue(steps)
    race.enabled[2].setChecked(False)
    race.optimizers[3].setCurrentIndex(race.optimizers[3].findData("sgd"))
    race.rates[3].setValue(300.0)
    assert race.start()
    assert race.runner.running and race.run.text() == "Stop"
    qtbot.waitUntil(lambda: not race.runner.running, timeout=30_000)
    return window


def cell(window: ClassesWindow, row: int, name: str) -> str:
    item = window.race.table.item(row, COLUMNS.index(name))
    return "" if item is None else item.text()


def test_a_race_draws_each_runs_curve_and_fills_its_row(qtbot):
    window = raced(qtbot)
    race = window.race
    assert race.run.text() == "Race" and race.status.text() == "Done."
    runs = race.runner.runs
    assert [run.label for run in runs] == ["Adam, lr 0.001", "Adam, lr 0.01", "SGD, lr 300"]
    for run, curve in zip(runs, race.plot.curves, strict=True):
        assert run.done and len(curve.getData()[0]) > 0
    # The worker's run is the headless one from the same weights.
    trainer = window.trainer
    problem = trainer.problem
    fresh = partial(
        ClassTrainer, trainer.network, problem.x, problem.labels, OptimizerSpec("adam", 0.01)
    )
    plain = ClassRaceTrainer(fresh, 300).run(10**9)
    assert np.array_equal(runs[1].history.arrays()[1], plain.losses)
    assert float(cell(window, 1, "Cross-entropy")) == pytest.approx(plain.loss, rel=1e-3)
    assert cell(window, 1, "Accuracy") == f"{plain.accuracy:.3f}"
    assert cell(window, 1, "Diverged") == "" and cell(window, 2, "Cross-entropy") == ""
    assert cell(window, 3, "Diverged").startswith("at step ")
    assert runs[2].diverged_step is not None
    assert len(race.plot.crosses.data) == 1  # the blow-up marked where it ended


def test_the_race_starts_from_the_windows_weights_and_leaves_them(qtbot):
    window = ClassesWindow()
    qtbot.addWidget(window)
    window.show()
    window.step_once()
    before = window.trainer.theta.copy()
    window.race.steps.setValue(50)
    window.race.start()
    qtbot.waitUntil(lambda: not window.race.runner.running, timeout=30_000)
    first = window.race.runner.runs[0].history.arrays()[1][0]
    assert first == pytest.approx(window.trainer.problem.loss(before), rel=1e-12)
    assert np.array_equal(window.trainer.theta, before)


def test_levenberg_marquardt_is_not_offered_and_the_tip_says_why(qtbot):
    window = ClassesWindow()
    qtbot.addWidget(window)
    combo = window.race.optimizers[0]
    assert combo.findData("lm") == -1 and combo.findData("adam") >= 0
    assert "cross-entropy is not" in combo.toolTip()


def test_no_run_ticked_is_said(qtbot):
    window = ClassesWindow()
    qtbot.addWidget(window)
    for check in window.race.enabled:
        check.setChecked(False)
    assert not window.race.start()
    assert window.race.status.text() == "Tick at least one run."
    assert not window.race.runner.running


def test_closing_the_window_ends_the_races_process(qtbot):
    window = ClassesWindow()
    qtbot.addWidget(window)
    window.show()
    window.race.steps.setValue(1_000_000)
    window.race.start()
    qtbot.waitUntil(lambda: len(window.race.runner.runs[0].history) > 0, timeout=30_000)
    window.close()
    assert not window.race.runner.running
