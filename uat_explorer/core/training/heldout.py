"""How the network does where it was not trained: the loss on held-out test points at
every step, the lowest of it (early stopping watches it, and can restore its weights),
and the true error, the distance to the noise-free target over the whole domain.

A falling training loss says the network fits its samples; only points it never trained
on say whether it fits the function, and only the function itself, where we have it,
says how well.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from uat_explorer.core.nn.metrics import FitMetrics
from uat_explorer.core.nn.network import Network
from uat_explorer.core.training.fitproblem import FitProblem

Array = NDArray[np.floating]

TRUE_ERROR_POINTS = 1001
"""The fine grid of the true error: as fine as the plot's output curve."""


def true_error(
    network: Network,
    target: Callable[[np.ndarray], np.ndarray],
    domain: tuple[float, float],
    points: int = TRUE_ERROR_POINTS,
) -> float:
    """mean (y(x) − f(x))² over an even grid of the domain, f the target without noise
    (for data targets, the points joined by straight lines): what the theorem is about."""
    x = np.linspace(*domain, points)
    with np.errstate(all="ignore"):
        r = network(x) - np.asarray(target(x), dtype=np.float64)
        error = float(np.mean(r * r))
    return error if math.isfinite(error) else math.inf


def held_out_fit(
    network: Network, x: np.ndarray, t: np.ndarray, loss: Callable[[np.ndarray], np.ndarray]
) -> tuple[float, FitMetrics] | None:
    """(the loss, the metrics) on the test points (x, t), ``loss`` each sample's ℓ(r);
    None without test points."""
    if x.size == 0:
        return None
    with np.errstate(all="ignore"):
        y = network(x)
        value = float(np.mean(loss(y - t)))
    return value, FitMetrics.of(y, t)


class HeldOut:
    """The test points of a trainer: their loss at each step it runs (``losses[i]`` at
    the weights of the i-th step of a run, as the training loss is), the lowest so far,
    the weights that had it (a copy of θ), and the step patience counts from."""

    def __init__(
        self,
        network: Network,
        x: ArrayLike,
        t: ArrayLike,
        loss: str,
        dtype: DTypeLike,
        before: HeldOut | None = None,
    ) -> None:
        """``before``: the same points under an earlier build of the trainer (another
        optimizer or batch size): its lowest loss and weights carry over."""
        self.problem = FitProblem(network, x, t, loss, dtype)
        self.losses = np.empty(0, self.problem.dtype)
        if before is None:
            self.best = self.problem.pack(network)
            self.best_loss = math.inf
            self.best_step: int | None = None
            self.since = 0
            self.restored: tuple[int, int] | None = None
        else:
            self.best = before.best.astype(self.problem.dtype)
            self.best_loss, self.best_step, self.since, self.restored = (
                before.best_loss,
                before.best_step,
                before.since,
                before.restored,
            )

    def room(self, steps: int) -> Array:
        """The buffer a run records into, at least ``steps`` long (the trainer's losses
        grow by doubling, and this follows, keeping what it holds)."""
        if self.losses.size < steps:
            grown = np.empty(steps, self.problem.dtype)
            grown[: self.losses.size] = self.losses
            self.losses = grown
        return self.losses

    def evaluate(self, theta: Array) -> float:
        return self.problem.forward(theta)

    def improve(self, loss: float, theta: Array, step: int) -> None:
        """Keep θ of ``step`` if its test loss is the lowest so far."""
        if loss < self.best_loss:
            np.copyto(self.best, theta)
            self.best_loss, self.best_step, self.since = loss, step, step

    def restore(self, theta: Array, step: int) -> int | None:
        """Put the lowest-loss weights into θ (now at ``step``): the step they are from,
        or None if θ already has them. Patience starts again from ``step``."""
        best = self.best_step
        self.since = step
        if best is None or best == step or self.restored == (best, step):
            return None
        theta[:] = self.best
        self.restored = (best, step)
        return best

    def forget_after(self, step: int) -> None:
        """Training went back to ``step``: a lowest loss found later is no longer there."""
        if self.best_step is not None and self.best_step > step:
            self.best_loss, self.best_step = math.inf, None
        self.since = min(self.since, step)

    def fit(self, theta: Array) -> tuple[float, FitMetrics]:
        """The test loss and metrics at θ."""
        loss = self.problem.forward(theta)
        return loss, FitMetrics.of(self.problem.y, self.problem.t)
