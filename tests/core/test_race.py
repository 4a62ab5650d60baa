"""Learning rates raced: the runs (core), the window, and `uat-explorer compare`."""

from __future__ import annotations

import numpy as np
import pytest

from uat_explorer.core import OptimizerSpec, StopRule, Trainer, random_network
from uat_explorer.core.teaching.race import race, race_specs, race_table

X = np.linspace(-3, 3, 100)


T = np.sin(X)


def net():
    return random_network(["sigmoid"] * 6, (-3, 3), 5)


@pytest.mark.parametrize("spec", [OptimizerSpec("adam", 0.02), OptimizerSpec("lm")])
def test_a_race_of_one_is_exactly_a_plain_training_run(spec):
    [run] = race(net(), X, T, "mse", [spec], 300)
    trainer = Trainer(net(), X, T, "mse", spec, StopRule(max_steps=300))
    report = trainer.run(300)
    assert run.final_loss == report.loss and run.network == trainer.network
    _, losses = run.history.arrays()
    np.testing.assert_array_equal(losses[: report.losses.size], report.losses)


def test_too_big_a_rate_diverges_and_the_blow_up_stays_on_its_curve():
    small, big = race(net(), X, T, "mse", race_specs(["sgd"], [0.05, 30.0]), 500, 0.05)
    assert small.diverged_step is None and small.reached_step is not None
    assert big.diverged_step is not None and big.reached_step is None
    steps, losses = big.history.arrays()
    assert steps[-1] == big.diverged_step - 1 and losses[-1] > 1e6 * losses[0]


def test_reached_step_is_the_first_step_at_or_below_the_target():
    [run] = race(net(), X, T, "mse", [OptimizerSpec("adam", 0.05)], 400, 0.05)
    steps, losses = run.history.arrays()
    assert run.reached_step == steps[np.flatnonzero(losses <= 0.05)[0]]


def test_the_table_has_a_column_per_run_and_blanks_after_a_divergence():
    runs = race(net(), X, T, "mse", race_specs(["sgd"], [0.05, 30.0]), 50)
    header, rows = race_table(runs)
    assert header == ["step", "SGD, lr 0.05", "SGD, lr 30"]
    assert len(rows) == 50 and rows[-1][2] == ""


@pytest.mark.parametrize(
    "optimizers, rates, says",
    [
        (["sgd"], [], "at least one"),
        (["sgd"], [0.1] * 9, "at most 8"),
        (["sgd", "adam"], [0.1, 0.2, 0.3], "one per learning rate"),
        (["nope"], [0.1], "unknown optimizer"),
        (["sgd"], [-1.0], "learning rate"),
    ],
)
def test_bad_race_settings_are_refused(optimizers, rates, says):
    with pytest.raises(Exception, match=says):
        race_specs(optimizers, rates)
