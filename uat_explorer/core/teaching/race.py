"""Learning rates (and optimizers) raced: copies of one network trained from the same
weights for the same number of steps, so the loss curves differ only by the setting.

Too big a rate and the loss bounces or blows up; too small and it crawls. The record of
each run is built the same way whether the steps come from ``race`` here or from a
worker process streaming them to the window.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.nn.network import Network
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.optimizers import OptimizerSpec
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.training.trainer import StopRule, Trainer

MAX_RUNS = 8
"""More curves than this on one plot cannot be told apart."""
DEFAULT_RATES = (0.001, 0.01, 0.1, 1.0)
DEFAULT_TARGET_LOSS = 1e-3


def race_specs(optimizers: list[str], rates: list[float]) -> list[OptimizerSpec]:
    """One run per learning rate; one optimizer for all of them, or one each."""
    if not rates:
        raise InputError("give at least one learning rate")
    if len(rates) > MAX_RUNS:
        raise InputError(f"at most {MAX_RUNS} runs can be raced, got {len(rates)}")
    if len(optimizers) not in (1, len(rates)):
        raise InputError(
            f"give one optimizer for every run or one per learning rate"
            f" ({len(rates)}), got {len(optimizers)}"
        )
    names = optimizers * len(rates) if len(optimizers) == 1 else optimizers
    return [OptimizerSpec(name, rate) for name, rate in zip(names, rates, strict=True)]


MAX_RACE_STEPS = 10_000_000
"""A race's budget per run (and one `fit`'s): hours of work at 256 neurons."""


def check_race_steps(steps: int) -> int:
    if not 1 <= steps <= MAX_RACE_STEPS:
        raise InputError(f"the step budget must be between 1 and {MAX_RACE_STEPS:,}, got {steps}")
    return steps


@dataclass
class RaceRun:
    """One configuration's run: its loss curve, and when it reached the target loss or
    diverged."""

    spec: OptimizerSpec
    target_loss: float
    history: LossHistory = field(default_factory=LossHistory)
    reached_step: int | None = None
    diverged_step: int | None = None
    final_loss: float = math.nan
    network: Network | ClassNetwork | None = None
    done: bool = False
    test_loss: float | None = None
    """The loss on the held-out points at the run's weights (None: no test points)."""
    accuracy: float | None = None
    """A classifier's run: the share of points its weights classify right."""

    @property
    def label(self) -> str:
        if not self.spec.uses_learning_rate:
            return self.spec.label
        return f"{self.spec.label}, lr {self.spec.learning_rate:g}"

    def record(self, first_step: int, losses: NDArray[np.floating]) -> None:
        """The loss of every step from ``first_step`` on (straight from the trainer)."""
        if losses.size == 0:
            return
        if self.reached_step is None:
            below = np.flatnonzero(losses <= self.target_loss)
            if below.size:
                self.reached_step = first_step + int(below[0])
        self.history.extend(first_step, losses)

    def record_divergence(
        self, step: int, run: tuple[NDArray[np.int64], NDArray[np.float64]] | None
    ) -> None:
        """Keep the stretch that blew up on the curve: that is the lesson."""
        self.diverged_step = step
        if run is None:
            return
        steps, losses = run
        recorded = self.history.arrays()[0]
        later = steps > (recorded[-1] if recorded.size else -1)
        self.history.add(steps[later], losses[later])

    def update(
        self,
        first_step: int,
        losses: NDArray[np.floating],
        loss: float,
        network: Network | ClassNetwork,
        done: bool,
        diverged_step: int | None = None,
        diverged_run: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None,
        test_loss: float | None = None,
        accuracy: float | None = None,
    ) -> None:
        """New steps of this run, from a trainer's report or a worker's reply."""
        self.record(first_step, losses)
        if diverged_step is not None:
            self.record_divergence(diverged_step, diverged_run)
        self.final_loss, self.network, self.done = float(loss), network, done
        self.test_loss, self.accuracy = test_loss, accuracy

    def to_dict(self) -> dict[str, object]:
        """The run's numbers; ``final_test_loss`` only when there are test points."""
        held = {} if self.test_loss is None else {"final_test_loss": self.test_loss}
        return {
            "optimizer": self.spec.name,
            "lr": self.spec.learning_rate,
            "final_loss": self.final_loss,
            "reached_step": self.reached_step,
            "diverged_step": self.diverged_step,
        } | held


def race_stop(steps: int) -> StopRule:
    """Every run gets the whole budget: no plateau stop, no stop at the target loss."""
    return StopRule(max_steps=steps)


def race(
    network: Network,
    x: ArrayLike,
    t: ArrayLike,
    loss: str,
    specs: list[OptimizerSpec],
    steps: int,
    target_loss: float = DEFAULT_TARGET_LOSS,
    batch_size: int | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    test: tuple[ArrayLike, ArrayLike] | None = None,
    penalty: Penalty | None = None,
) -> list[RaceRun]:
    """Train a copy of ``network`` under each spec for ``steps`` steps, one after another
    (with ``batch_size`` samples a step, shuffled from ``seed``, and weight decay, as the
    session trains); every run counts its steps from 0, and with ``test`` points says
    its final test loss. ``progress(run, step)`` now and then."""
    check_race_steps(steps)
    runs = []
    for k, spec in enumerate(specs):
        trainer = race_trainer(network, x, t, loss, spec, steps, batch_size, seed, test, penalty)
        run = RaceRun(spec, target_loss)
        done = False
        while not done:
            first = trainer.step
            report = trainer.run(steps - first, seconds=0.25)
            done = bool(report.stopped or report.diverged or report.steps_run == 0)
            run.update(
                first,
                report.losses,
                report.loss,
                trainer.network,
                done,
                report.diverged_step,
                report.diverged_run,
                report.test_loss,
            )
            if progress is not None:
                progress(k, trainer.step)
        runs.append(run)
    return runs


def race_trainer(
    network: Network,
    x: ArrayLike,
    t: ArrayLike,
    loss: str,
    spec: OptimizerSpec,
    steps: int,
    batch_size: int | None = None,
    seed: int = 0,
    test: tuple[ArrayLike, ArrayLike] | None = None,
    penalty: Penalty | None = None,
) -> Trainer:
    """One run's trainer: from the same weights, the whole budget, the session's batches,
    test points and weight decay."""
    return Trainer(
        network,
        x,
        t,
        loss,
        spec,
        race_stop(steps),
        0,
        batch_size,
        seed,
        test=test,
        penalty=penalty,
    )


def race_table(runs: list[RaceRun]) -> tuple[list[str], list[list[object]]]:
    """step, then each run's loss at that step ("" where the run has none): for CSV."""
    curves = [dict(zip(*(a.tolist() for a in run.history.arrays()), strict=True)) for run in runs]
    steps = sorted(set().union(*curves)) if curves else []
    header = ["step"] + [run.label for run in runs]
    rows = [[step] + [curve.get(step, "") for curve in curves] for step in steps]
    return header, rows
