"""Learning rates raced on a classifier: the curve race's runs (RaceRun, the worker's
loop) with a ClassTrainer inside, so the cross-entropy curves are drawn and tabled the
same way, each with its accuracy.

A cross-entropy's gradient is bounded (|p − onehot(k)| ≤ 1), so too big a rate seldom
makes the loss infinite: it throws the logits about and the loss climbs. A run whose
loss goes above BLOWN_UP times where it began has diverged, as one whose loss is not
finite.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.teaching.race import check_race_steps
from uat_explorer.core.training.classtrainer import ClassTrainer
from uat_explorer.core.training.optimizers import OptimizerSpec

BLOWN_UP = 10.0
"""Ten times the starting cross-entropy (log K at a fresh start): on average the true
class's probability e⁻¹⁰ times what a guess gives it."""


@dataclass(frozen=True)
class ClassRaceReport:
    """What the race's loop reads of a step of training (as of a curve TrainReport),
    and the accuracy at the weights now."""

    loss: float
    accuracy: float
    steps_run: int
    losses: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    stopped: str | None = None
    diverged: str | None = None
    diverged_step: int | None = None
    diverged_run: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
    test_loss: float | None = None
    """Class sessions hold no test points: always None."""


class ClassRaceTrainer:
    """One run: a ClassTrainer from the same weights, counting from step 0, for the
    race's budget of ``steps``."""

    def __init__(
        self,
        network: ClassNetwork,
        x: ArrayLike,
        labels: ArrayLike,
        spec: OptimizerSpec,
        steps: int,
        batch_size: int | None = None,
        seed: int = 0,
    ) -> None:
        self.budget = check_race_steps(steps)
        self._start = (network, x, labels, spec, batch_size, seed)
        self.trainer = self._fresh()
        self.limit = BLOWN_UP * self.trainer.problem.loss(self.trainer.theta)

    def _fresh(self) -> ClassTrainer:
        network, x, labels, spec, batch_size, seed = self._start
        return ClassTrainer(network, x, labels, spec, batch_size, seed, 0)

    @property
    def step(self) -> int:
        return self.trainer.step

    @property
    def network(self) -> ClassNetwork:
        return self.trainer.network

    def run(self, steps: int, seconds: float | None = None) -> ClassRaceReport:
        """Up to ``steps`` more steps within the budget (or ``seconds``); stopped at the
        budget, diverged at the first loss not finite or above the limit. A climb stops
        at the step that went above (trained again to it: the same steps, so the weights
        in the table are the ones whose loss ends the curve)."""
        first = self.trainer.step
        report = self.trainer.run(min(steps, self.budget - first), seconds)
        losses = report.losses
        diverged, diverged_step = report.diverged, None
        high = np.flatnonzero(losses > self.limit)
        if diverged is not None:
            diverged_step = report.step
        elif high.size:
            diverged_step = first + int(high[0])
            losses = losses[: high[0] + 1]
            diverged = (
                f"Diverged at step {diverged_step}: the cross-entropy rose to"
                f" {losses[-1]:.3g}, more than {BLOWN_UP:g} times where it began."
            )
            self.trainer = self._fresh()
            self.trainer.run(diverged_step)
            report = self.trainer.report()
        stopped = "the step budget" if self.trainer.step >= self.budget else None
        return ClassRaceReport(
            report.loss,
            report.accuracy,
            losses.size,
            losses,
            stopped,
            diverged,
            diverged_step,
        )
