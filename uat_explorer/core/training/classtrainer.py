"""Training a classifier: the curve optimizers on the cross-entropy, full batch or in
mini-batches, a chunk of steps at a time."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.classifier import ClassNetwork, accuracy
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.classproblem import ClassProblem
from uat_explorer.core.training.optimizers import SGD, Adam, Momentum, OptimizerSpec
from uat_explorer.core.training.timeline import StepRecorder, TimelineRows
from uat_explorer.core.training.trainer import MAX_STEPS

LM_REFUSAL = (
    "Levenberg–Marquardt minimises a sum of squared residuals, and a cross-entropy is not"
    " one: train classes with sgd, momentum or adam"
)


def check_class_optimizer(spec: OptimizerSpec) -> OptimizerSpec:
    """The spec, or an InputError saying why Levenberg–Marquardt cannot train classes."""
    if not spec.uses_learning_rate:
        raise InputError(LM_REFUSAL)
    return spec


@dataclass(frozen=True)
class ClassReport:
    """Where training stands after ``ClassTrainer.run``: the cross-entropy and accuracy
    on every training point at the final weights."""

    step: int
    loss: float
    accuracy: float
    steps_run: int
    seconds: float
    losses: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    """The loss each step of this run saw (its batch's, with mini-batches)."""
    diverged: str | None = None
    timeline: TimelineRows | None = None
    """With ``record`` on: W, G and A of every step of this run (card order)."""


class ClassTrainer:
    """A working copy of the network, advanced a chunk at a time. A step whose loss is
    not finite never sticks: the weights of the lowest loss come back and training
    stops with the reason. With ``record``, each step's θ, gradient and mean |a| go
    into a timeline recorder's rows as the curve trainer's do."""

    def __init__(
        self,
        network: ClassNetwork,
        x: ArrayLike,
        labels: ArrayLike,
        optimizer: OptimizerSpec | None = None,
        batch_size: int | None = None,
        seed: int = 0,
        step: int = 0,
        record: bool = False,
    ) -> None:
        self.spec = check_class_optimizer(optimizer or OptimizerSpec())
        self.record = record
        self._network = network.copy()
        self.problem = ClassProblem(network, x, labels)
        self.step = step
        n = self.problem.x.size
        self.schedule = (
            BatchSchedule(n, batch_size, seed)
            if batch_size is not None and batch_size < n
            else None
        )
        self.batch = self.problem
        if self.schedule is not None:
            size = self.schedule.size
            self.batch = ClassProblem(network, self.problem.x[:size], self.problem.labels[:size])
            self.batch.spacing = self.problem.spacing
        self.theta = self.problem.pack(self._network)
        self.optimizer = self._build()

    def _build(self) -> SGD | Momentum | Adam:
        built = self.spec.build(self.problem.n_params, np.float64)
        assert isinstance(built, SGD | Momentum | Adam)  # check_class_optimizer refused LM
        return built

    @property
    def network(self) -> ClassNetwork:
        """A copy of the network with the current weights."""
        self.problem.unpack(self.theta, self._network)
        return self._network.copy()

    def run(self, steps: int, seconds: float | None = None) -> ClassReport:
        """Advance ``steps`` steps (at most to MAX_STEPS), or until ``seconds`` passed."""
        started = time.perf_counter()
        deadline = started + seconds if seconds is not None else math.inf
        steps = max(0, min(steps, MAX_STEPS - self.step))
        losses: list[float] = []
        best, best_loss = self.theta.copy(), math.inf
        before = np.empty_like(self.theta)  # each step's starting weights, in one buffer
        recorder = StepRecorder.of(self.batch, self.step) if self.record else None
        diverged = None
        done = 0
        with np.errstate(all="ignore"):
            while done < steps and (done == 0 or time.perf_counter() < deadline):
                if self.schedule is not None:
                    chosen = self.schedule.indices(self.step)
                    np.take(self.problem.x, chosen, out=self.batch.x)
                    np.take(self.problem.labels, chosen, out=self.batch.labels)
                if recorder is not None:  # the step writes θ and ∇L into the recorder's rows
                    before, self.optimizer.grad = recorder.lend()
                np.copyto(before, self.theta)
                loss = self.optimizer.step(self.batch, self.theta)
                if not (math.isfinite(loss) and np.isfinite(self.theta).all()):
                    self.theta[:] = best if math.isfinite(best_loss) else before
                    self.optimizer = self._build()
                    diverged = (
                        f"Training diverged at step {self.step}: the learning rate"
                        f" {self.spec.learning_rate:g} is too high for {self.spec.label}."
                        " The weights of the lowest loss of this run were restored."
                    )
                    break
                if loss < best_loss:
                    np.copyto(best, before)
                    best_loss = loss
                losses.append(loss)
                done += 1
                self.step += 1
        rows = None
        if recorder is not None:
            size = self.schedule.size if self.schedule is not None else 0
            rows = recorder.rows(self._network, below=self.step, batch=size)
        return self.report(time.perf_counter() - started, np.array(losses), diverged, rows)

    def report(
        self,
        seconds: float = 0.0,
        losses: NDArray[np.float64] | None = None,
        diverged: str | None = None,
        timeline: TimelineRows | None = None,
    ) -> ClassReport:
        """The cross-entropy and accuracy on all training points at the current weights."""
        network = self.network
        p = network.probabilities(self.problem.x)
        ran = np.zeros(0) if losses is None else losses
        return ClassReport(
            self.step,
            self.problem.loss(self.theta),
            accuracy(p, self.problem.labels),
            ran.size,
            seconds,
            ran,
            diverged,
            timeline,
        )
