"""Learning rates raced on a classifier: the curve race's runs (RaceRun, the worker's
loop) with a ClassTrainer inside, so the cross-entropy curves are drawn and tabled the
same way, each with its accuracy.

A cross-entropy's gradient is bounded (|p − onehot(k)| ≤ 1), so too big a rate seldom
makes the loss infinite: it throws the logits about and the loss climbs. A run whose
loss goes above BLOWN_UP times where it began has diverged, as one whose loss is not
finite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.teaching.race import check_race_steps
from uat_explorer.core.training.classtrainer import ClassReport, ClassTrainer

BLOWN_UP = 10.0
"""Ten times the starting cross-entropy (log K at a fresh start): on average the true
class's probability e⁻¹⁰ times what a guess gives it."""


@dataclass(frozen=True)
class ClassRaceReport(ClassReport):
    """A class trainer's report with what the race's loop reads of a curve TrainReport:
    why the run stopped, and where it diverged."""

    stopped: str | None = None
    diverged_step: int | None = None
    diverged_run: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
    test_loss: float | None = None
    """Class sessions hold no test points: always None."""


class ClassRaceTrainer:
    """One run for the race's budget of ``steps``: a ClassTrainer from ``fresh()``, the
    same weights at step 0 each time it is called (a climb is trained again from it)."""

    def __init__(self, fresh: Callable[[], ClassTrainer], steps: int) -> None:
        self.budget = check_race_steps(steps)
        self._fresh = fresh
        self.trainer = fresh()
        self.limit = BLOWN_UP * self.trainer.problem.loss(self.trainer.theta)

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
            report.step,
            report.loss,
            report.accuracy,
            losses.size,
            report.seconds,
            losses,
            diverged,
            stopped=stopped,
            diverged_step=diverged_step,
        )
