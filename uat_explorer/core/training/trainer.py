"""Backpropagation in chunks: a front end asks for k steps (or a time slice) and redraws."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.losses import loss_by_name
from uat_explorer.core.nn.metrics import FitMetrics
from uat_explorer.core.nn.network import Network
from uat_explorer.core.training.batches import BatchSchedule
from uat_explorer.core.training.fitproblem import FitProblem
from uat_explorer.core.training.heldout import HeldOut
from uat_explorer.core.training.loss_history import LossHistory
from uat_explorer.core.training.optimizers import OPTIMIZER_LABELS, OptimizerSpec
from uat_explorer.core.training.penalty import Penalty
from uat_explorer.core.training.timeline import StepRecorder, TimelineRows

Array = NDArray[np.floating]


PLATEAU_GAIN = 0.01
"""A plateau: the lowest loss fell by less than this fraction over ``plateau_steps``."""
PLATEAU_STEPS = 2000
"""The window's default: long enough for Adam's slow tail, short enough to stop soon."""
MAX_STEPS = 10**12
"""The most steps a session counts: training stops there (a file holds at most this)."""
LOSS_BLOCK = 4096
"""Losses of a run are kept in a buffer that grows by doubling from this size, never
by the step budget asked for (a budget of 10¹² steps is a request, not an allocation)."""


@dataclass(frozen=True)
class StopRule:
    """Stop once the loss is at most ``loss_below``, the step count reaches ``max_steps``,
    or (``plateau_steps`` set) the loss stopped improving: its lowest value fell by less
    than 1 % over the last ``plateau_steps`` steps, so an idle window does not train on
    for ever.

    With test points: stop once the test loss has not improved for ``test_patience``
    steps (early stopping), and with ``restore_best_test``, whenever training stops by
    a rule, the weights with the lowest test loss come back."""

    max_steps: int | None = None
    loss_below: float | None = None
    plateau_steps: int | None = None
    test_patience: int | None = None
    restore_best_test: bool = False

    def __post_init__(self) -> None:
        if self.max_steps is not None and not 0 <= self.max_steps <= MAX_STEPS:
            raise InputError(f"the step budget must be 0 to {MAX_STEPS:,}, got {self.max_steps}")
        if self.plateau_steps is not None and not 1 <= self.plateau_steps <= MAX_STEPS:
            raise InputError(
                f"the plateau window must be 1 to {MAX_STEPS:,} steps, got {self.plateau_steps}"
            )
        if self.test_patience is not None and not 1 <= self.test_patience <= MAX_STEPS:
            raise InputError(
                f"early stopping waits 1 to {MAX_STEPS:,} steps, got {self.test_patience}"
            )
        if self.loss_below is not None and not (
            math.isfinite(self.loss_below) and self.loss_below >= 0
        ):
            raise InputError(f"loss threshold must be a number ≥ 0, got {self.loss_below!r}")


@dataclass(frozen=True)
class TrainReport:
    """Where training stands after a call to ``Trainer.run``."""

    step: int
    loss: float
    metrics: FitMetrics
    gradients: Gradients
    """The true dL/dθ at the final weights, whatever the optimizer (LM's step uses JᵀWr)."""
    steps_run: int
    seconds: float
    stopped: str | None = None
    diverged: str | None = None
    losses: Array = field(default_factory=lambda: np.zeros(0))
    """The loss at each step of this run (the loss curve's new points)."""
    diverged_run: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
    """After a divergence: (steps, losses) from the restored step to the last finite loss,
    the stretch in which the loss blew up (thinned like the loss history)."""
    diverged_step: int | None = None
    """The step whose loss was NaN or infinite, when the run diverged."""
    diverged_rows: TimelineRows | None = None
    """While recording, after a divergence: the weights of this run's steps from the
    restored step to the one that blew up (the landscape draws where they went)."""
    epoch_losses: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
    """Mini-batches: (step, full-batch loss) at the end of each epoch completed here."""
    timeline: TimelineRows | None = None
    """With ``record`` on: W, G and A of every step of this run (card order)."""
    test_losses: tuple[NDArray[np.int64], NDArray[np.float64]] | None = None
    """With test points: (step, test loss) at each step of this run (beside ``losses``)."""
    test_loss: float | None = None
    test_metrics: FitMetrics | None = None
    """The test loss and metrics at the final weights."""
    best_test: tuple[int, float] | None = None
    """(step, test loss) of the lowest test loss since training (re)started."""


class Trainer:
    """Owns a working copy of the network and advances it a chunk at a time.

    A step whose loss is NaN or infinite never sticks: the weights roll back to the finite
    weights with the lowest loss since training (re)started, the optimizer's state is
    reset, and the report says why. Not merely the last finite ones: just before the
    overflow those are already absurd (an output of 1e17 at learning rate 10).
    """

    def __init__(
        self,
        network: Network,
        x: ArrayLike,
        t: ArrayLike,
        loss: str = "mse",
        optimizer: OptimizerSpec | None = None,
        stop: StopRule | None = None,
        step: int = 0,
        batch_size: int | None = None,
        seed: int = 0,
        record: bool = False,
        test: tuple[ArrayLike, ArrayLike] | None = None,
        penalty: Penalty | None = None,
    ) -> None:
        """``test``: held-out points (x, t), evaluated at every step, never trained on;
        ``penalty``: weight decay."""
        self._network = network.copy()
        self.batch_size, self.seed, self.record = batch_size, seed, record
        self.x = np.asarray(x, dtype=np.float64)
        self.t = np.asarray(t, dtype=np.float64)
        self.test = _points(test)
        self.loss_name = loss_by_name(loss).name
        self.spec = optimizer or OptimizerSpec()
        self.stop = stop or StopRule()
        self.penalty = penalty if penalty is not None and penalty.active else None
        self.step = step
        self.history = LossHistory()
        self.held: HeldOut | None = None
        self.trained: tuple[int, ...] | None = None
        self._build()

    def _build(self) -> None:
        dtype = self.spec.working_dtype()
        self.problem = FitProblem(self._network, self.x, self.t, self.loss_name, dtype)
        self.schedule: BatchSchedule | None = None
        self.batch_problem = self.problem
        # A batch as large as the data is the full batch (the data may have shrunk under
        # a running worker before its batch size did); LM is full batch only.
        size = (
            self.batch_size
            if self.batch_size is not None and self.batch_size < self.x.size
            else None
        )
        if size is not None and self.spec.uses_learning_rate:
            self.schedule = BatchSchedule(self.x.size, size, self.seed)
            self.batch_problem = FitProblem(
                self._network, self.x[:size], self.t[:size], self.loss_name, dtype
            )
            self.batch_problem.spacing = self.problem.spacing  # the step surrogate's width
        self.theta = self.problem.pack(self._network)
        self.held = (
            HeldOut(self._network, *self.test, self.loss_name, dtype, self.held)
            if self.test[0].size
            else None
        )
        self.reset_optimizer()
        self._best = self.theta.copy()
        self._best_loss = math.inf
        self._best_step = self.step
        self._backup = self.theta.copy()
        self._losses = np.empty(LOSS_BLOCK)
        self._plateau_mark = (self.step, math.inf)  # (step, lowest loss then)
        self._freeze()

    def set_trained(self, columns: tuple[int, ...] | None) -> None:
        """Train only the parameters at these card-order columns ([w1, b1, v1, …, c],
        ``parameter_index``), the rest held where they are; None: all of them. Exact for
        the per-parameter optimizers (SGD, momentum, Adam): each step is taken, then the
        held parameters are put back."""
        self.trained = columns
        self.reset_optimizer()
        self._freeze()

    def _freeze(self) -> None:
        columns = self.problem.parameter_columns
        self._frozen = None if self.trained is None else ~np.isin(columns, self.trained)

    def _sync_network(self) -> None:
        self.problem.unpack(self.theta, self._network)

    @property
    def network(self) -> Network:
        """A copy of the network with the current weights."""
        self._sync_network()
        return self._network.copy()

    def set_optimizer(self, spec: OptimizerSpec) -> None:
        """Switch optimizer or learning rate without losing the weights."""
        if spec.name == self.spec.name:
            self.optimizer.learning_rate = spec.learning_rate
            self.spec = spec
            return
        self._sync_network()
        self.spec = spec
        self._build()

    def set_loss(self, loss: str) -> None:
        self._sync_network()
        self.loss_name = loss_by_name(loss).name
        self.held = None  # the lowest test loss of another loss means nothing now
        self._build()

    def set_penalty(self, penalty: Penalty) -> None:
        """Another weight decay: the optimizer's running state is kept."""
        self.penalty = penalty if penalty.active else None
        self.optimizer.penalty = self.penalty

    def set_batches(self, batch_size: int | None, seed: int) -> None:
        """Another batch size rebuilds the optimizer; another seed only reshuffles."""
        if batch_size == self.batch_size:
            self.seed = seed
            if self.schedule is not None:
                self.schedule = BatchSchedule(self.x.size, self.schedule.size, seed)
            return
        self._sync_network()
        self.batch_size, self.seed = batch_size, seed
        self._build()

    def set_data(
        self, x: ArrayLike, t: ArrayLike, test: tuple[ArrayLike, ArrayLike] | None = None
    ) -> None:
        """Other training points (and test points: none if not given)."""
        self._sync_network()
        self.x = np.asarray(x, dtype=np.float64)
        self.t = np.asarray(t, dtype=np.float64)
        self.test = _points(test)
        self.held = None
        self._build()

    def reset_optimizer(self) -> None:
        self.optimizer = self.spec.build(self.problem.n_params, self.problem.dtype)
        self.optimizer.penalty = self.penalty

    def run(self, steps: int, seconds: float | None = None) -> TrainReport:
        """Advance up to ``steps`` steps, or until ``seconds`` have passed, or a stop rule."""
        started = time.perf_counter()
        deadline = started + seconds if seconds is not None else math.inf
        budget = min(steps, MAX_STEPS - self.step)
        if self.stop.max_steps is not None:
            budget = min(budget, self.stop.max_steps - self.step)
        threshold = self.stop.loss_below if self.stop.loss_below is not None else -math.inf
        optimizer, problem, theta, losses = self.optimizer, self.problem, self.theta, self._losses
        schedule, batch, frozen = self.schedule, self.batch_problem, self._frozen
        recorder = StepRecorder.of(batch, self.step) if self.record else None
        lm = not optimizer.uses_learning_rate
        epoch_steps: list[int] = []
        epoch_losses: list[float] = []
        best, backup = self._best, self._backup
        best_loss, best_step = self._best_loss, self._best_step
        patience = self.stop.plateau_steps
        mark_step, mark_loss = self._plateau_mark
        held = self.held
        test_losses = held.room(losses.size) if held is not None else losses[:0]
        wait = self.stop.test_patience if held is not None else None
        first, step, n = self.step, self.step, 0
        stopped = diverged_loss = None
        with np.errstate(all="ignore"):
            while n < budget:
                if recorder is not None:  # the step writes θ and ∇L into the recorder's rows
                    backup, lent = recorder.lend()
                    if not lm:
                        optimizer.grad = lent
                np.copyto(backup, theta)
                if schedule is not None:
                    chosen = schedule.indices(step)
                    np.take(problem.x, chosen, out=batch.x)
                    np.take(problem.t, chosen, out=batch.t)
                loss = optimizer.step(batch, theta)
                if frozen is not None:
                    np.copyto(theta, backup, where=frozen)
                if not math.isfinite(loss):
                    diverged_loss = loss
                    break
                if n == losses.size:
                    losses = self._losses = np.concatenate([losses, np.empty(losses.size)])
                losses[n] = loss
                if held is not None:  # the test loss of the same weights θ_k
                    test_losses = held.room(losses.size)
                    test_losses[n] = test_loss = held.evaluate(backup)
                    held.improve(test_loss, backup, step)
                if recorder is not None and lm:  # LM's own vector is JᵀWr: record ∇L
                    batch.loss_and_grad(backup, lent)
                n += 1
                if schedule is not None and schedule.ends_epoch(step):
                    epoch_steps.append(step + 1)
                    epoch_losses.append(problem.loss(theta))
                if mark_loss == math.inf:
                    mark_loss = loss  # the plateau window starts at the first loss seen
                if loss < best_loss:
                    np.copyto(best, backup)
                    best_loss, best_step = loss, step
                if loss <= threshold:
                    theta[:] = backup
                    stopped = f"loss ≤ {threshold:g}"
                    break
                step += 1
                if optimizer.converged:
                    stopped = "converged: no step lowers the loss further"
                    break
                if wait is not None and held is not None and step - held.since > wait:
                    stopped = f"the test loss has not improved for {wait:,} steps" + (
                        ""  # the restore says which step and loss
                        if self.stop.restore_best_test
                        else f" (the lowest, {held.best_loss:.3g}, was at step {held.best_step:,})"
                    )
                    break
                if patience is not None and step - mark_step >= patience:
                    if best_loss > mark_loss * (1 - PLATEAU_GAIN):
                        stopped = (
                            f"the loss stopped improving (less than {PLATEAU_GAIN:.0%} lower"
                            f" over the last {patience:,} steps)"
                        )
                        mark_step, mark_loss = step, best_loss
                        break
                    mark_step, mark_loss = step, best_loss
                if time.perf_counter() >= deadline:
                    break
            grad = np.empty_like(theta)
            final_loss = problem.loss_and_grad(theta, grad) if diverged_loss is None else math.nan
            if not math.isfinite(final_loss):
                diverged_loss = final_loss
        self.history.extend(first, losses[:n])
        self._plateau_mark = (mark_step, mark_loss)
        diverged = diverged_run = diverged_step = diverged_rows = None
        if diverged_loss is not None:
            diverged_step = step
            if recorder is not None:
                lost = recorder.rows(self._network, below=step + 1, batch=0)
                diverged_rows = lost.take(lost.steps >= best_step)
            diverged = self._divergence_message(step, diverged_loss, best_step, best_loss)
            run_steps, run_losses = self.history.arrays()
            keep = run_steps >= best_step
            diverged_run = (run_steps[keep], run_losses[keep])
            theta[:] = best
            step = best_step
            self._plateau_mark = (step, best_loss)
            self.history.truncate(step)
            if held is not None:
                held.forget_after(step)
            self.reset_optimizer()
            final_loss = problem.loss_and_grad(theta, grad)
        elif stopped is None and step >= MAX_STEPS:
            stopped = f"the step count reached {MAX_STEPS:,}, the most a session holds"
        elif stopped is None and self.stop.max_steps is not None and step >= self.stop.max_steps:
            stopped = f"step budget of {self.stop.max_steps} reached"
        if stopped is not None and held is not None and self.stop.restore_best_test:
            restored = held.restore(theta, step)
            if restored is not None:
                stopped += (
                    f"; the weights of step {restored:,}, with the lowest test loss"
                    f" ({held.best_loss:.3g}), were restored"
                )
                with np.errstate(all="ignore"):
                    final_loss = problem.loss_and_grad(theta, grad)
        self._best_loss, self._best_step = best_loss, best_step
        self.step = step
        kept = max(0, min(n, step - first + 1))
        with np.errstate(all="ignore"):
            test = held.fit(theta) if held is not None else None
        return TrainReport(
            step=step,
            loss=float(final_loss),
            metrics=FitMetrics.of(problem.y, problem.t),
            gradients=Gradients(*problem.unpack_gradient(grad, self._network.size)),
            steps_run=n,
            seconds=time.perf_counter() - started,
            stopped=stopped,
            diverged=diverged,
            losses=losses[:kept].copy(),
            diverged_run=diverged_run,
            diverged_step=diverged_step,
            diverged_rows=diverged_rows,
            epoch_losses=self._epochs_until(epoch_steps, epoch_losses, step),
            timeline=None
            if recorder is None
            else recorder.rows(
                self._network,
                below=step,
                batch=self.schedule.size if self.schedule is not None else 0,
            ),
            test_losses=None
            if held is None
            else (np.arange(first, first + kept, dtype=np.int64), test_losses[:kept].astype(float)),
            test_loss=None if test is None else test[0],
            test_metrics=None if test is None else test[1],
            best_test=None
            if held is None or held.best_step is None
            else (held.best_step, held.best_loss),
        )

    def _epochs_until(
        self, steps: list[int], losses: list[float], step: int
    ) -> tuple[NDArray[np.int64], NDArray[np.float64]] | None:
        """The epoch-end losses up to ``step`` (a rollback forgets the later ones)."""
        if self.schedule is None:
            return None
        kept = [(s, v) for s, v in zip(steps, losses, strict=True) if s <= step]
        return (
            np.array([s for s, _ in kept], dtype=np.int64),
            np.array([v for _, v in kept], dtype=np.float64),
        )

    def _divergence_message(self, step: int, loss: float, best_step: int, best: float) -> str:
        what = "NaN" if math.isnan(loss) else "infinite"
        if not math.isfinite(best):  # never a finite loss: the weights themselves overflow
            net = self._network
            values = np.concatenate([net.w, net.b, net.v, [net.c]])
            largest = float(np.max(np.abs(values))) if values.size else 0.0
            return (
                f"Training stopped at step {step}: the loss is {what} at the starting"
                f" weights themselves (the largest is {largest:.3g}), so the numbers overflow"
                " whatever the learning rate. Reset the weights or make them smaller."
            )
        label = OPTIMIZER_LABELS[self.spec.name]
        advice = (
            f"the learning rate {self.spec.learning_rate:g} is too high for {label}"
            if self.optimizer.uses_learning_rate
            else "the weights are too large for the numbers to stay finite"
        )
        return (
            f"Training diverged at step {step}: the loss became {what}, so {advice}."
            f" The weights of step {best_step}, the lowest loss of this run ({best:.3g}),"
            " were restored."
        )


def _points(test: tuple[ArrayLike, ArrayLike] | None) -> tuple[np.ndarray, np.ndarray]:
    """Test points as float64 arrays; none: two empty ones."""
    if test is None:
        return np.zeros(0), np.zeros(0)
    return np.asarray(test[0], dtype=np.float64), np.asarray(test[1], dtype=np.float64)
