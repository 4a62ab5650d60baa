"""Optimizers over the flat parameter vector θ of a FitProblem.

Each ``step(problem, theta)`` updates θ in place and returns the loss at θ before the
update. ``grad`` is each optimizer's working vector: ∇L for the first-order methods,
JᵀWr for Levenberg–Marquardt (not the gradient: the trainer reports the true one). It
holds nothing from one step to the next, so a trainer recording the timeline swaps in
its recorder's vector and the gradient lands where it is recorded.

With a ``penalty`` (weight decay) each method minimises L + penalty; ``step`` still
returns the data loss L, the number that is recorded and plotted. Without one (None, the
default) not a single operation is added.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import DTypeLike, NDArray

from uat_explorer.core.errors import InputError, known
from uat_explorer.core.training.fitproblem import FitProblem
from uat_explorer.core.training.penalty import Penalty

Array = NDArray[np.floating]


class Differentiable(Protocol):
    """What a first-order method needs: the loss at θ, its gradient into ``grad``. A
    FitProblem (curves) and a ClassProblem (classes) both are."""

    def loss_and_grad(self, theta: Array, grad: Array) -> float: ...


class Optimizer:
    """Base: owns the gradient buffer; subclasses own their running state."""

    name = ""
    uses_learning_rate = True
    precision: type[np.floating] = np.float32
    """The working dtype: float32 for first-order methods (as many steps, 1.1–2.7×
    faster each); float64 where the normal equations need it."""
    converged = False
    """Set by optimizers that can tell no further step will lower the loss."""
    penalty: Penalty | None = None
    """Weight decay, when λ > 0 (the trainer sets it)."""

    def __init__(
        self, n_params: int, dtype: DTypeLike = np.float64, learning_rate: float = 0.01
    ) -> None:
        self.grad: Array = np.zeros(n_params, dtype)
        self.learning_rate = learning_rate

    def step(self, problem: FitProblem, theta: Array) -> float:
        raise NotImplementedError


class SGD(Optimizer):
    """θ ← θ − η·∇L."""

    name = "sgd"

    def step(self, problem: Differentiable, theta: Array) -> float:
        loss = problem.loss_and_grad(theta, self.grad)
        if self.penalty is not None:  # inline: a call would cost ~1 % of a small step
            self.penalty.add_gradient(theta, self.grad)
        theta -= self.learning_rate * self.grad
        return loss


class Momentum(Optimizer):
    """Heavy ball: u ← μu − η∇L; θ ← θ + u."""

    name = "momentum"
    momentum = 0.9

    def __init__(
        self, n_params: int, dtype: DTypeLike = np.float64, learning_rate: float = 0.01
    ) -> None:
        super().__init__(n_params, dtype, learning_rate)
        self.velocity = np.zeros(n_params, dtype)

    def step(self, problem: Differentiable, theta: Array) -> float:
        loss = problem.loss_and_grad(theta, self.grad)
        if self.penalty is not None:
            self.penalty.add_gradient(theta, self.grad)
        self.velocity *= self.momentum
        self.velocity -= self.learning_rate * self.grad
        theta += self.velocity
        return loss


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction folded into the step size.

    The two moments are the rows of one array, updated together (ten numpy calls a step,
    not twelve: at H = 8 each call is ~2 % of a step), in the same order of operations, so
    the same numbers as one moment at a time."""

    name = "adam"
    beta1, beta2, eps = 0.9, 0.999, 1e-8

    def __init__(
        self, n_params: int, dtype: DTypeLike = np.float64, learning_rate: float = 0.01
    ) -> None:
        super().__init__(n_params, dtype, learning_rate)
        self._moments = np.zeros((2, n_params), dtype)
        self.m, self.s = self._moments
        self._gains = np.empty((2, n_params), dtype)  # [(1 − β1)·g; (1 − β2)·g²]
        self._decay = np.array([[self.beta1], [self.beta2]], dtype)
        self._weight = np.array([[1.0 - self.beta1], [1.0 - self.beta2]], dtype)
        self._tmp = np.zeros(n_params, dtype)
        self.t = 0

    def step(self, problem: Differentiable, theta: Array) -> float:
        loss = problem.loss_and_grad(theta, self.grad)
        if self.penalty is not None:
            self.penalty.add_gradient(theta, self.grad)
        g, gains, tmp = self.grad, self._gains, self._tmp
        self.t += 1
        np.copyto(gains[0], g)
        np.multiply(g, g, out=gains[1])
        gains *= self._weight
        self._moments *= self._decay
        self._moments += gains
        correction = math.sqrt(1.0 - self.beta2**self.t)
        np.sqrt(self.s, out=tmp)
        tmp += self.eps * correction
        np.divide(self.m, tmp, out=tmp)
        tmp *= self.learning_rate * correction / (1.0 - self.beta1**self.t)
        theta -= tmp
        return loss


class LevenbergMarquardt(Optimizer):
    """Damped Gauss–Newton on the N × (3H+1) Jacobian.

    One step solves (JᵀWJ + λ·m·I) δ = −JᵀWr, m the mean of diag(JᵀWJ), and keeps δ only
    if the loss falls, raising λ and retrying otherwise. W is the loss's IRLS weighting
    (identity for MSE). Uniform damping, not Marquardt's diag(JᵀJ): measured here, the
    diagonal version let saturated neurons (tiny curvature, tiny damping) jump to huge w
    and stay dead, failing 8 of 8 starts at H = 8 where this one reached 1e-4 on all.

    A penalty joins the normal equations in their units (N/scale times L's): its
    curvature on the diagonal, its gradient beside JᵀWr; a step is kept only if L plus
    the penalty falls.
    """

    name = "lm"
    uses_learning_rate = False
    precision = np.float64
    max_tries = 12

    def __init__(
        self, n_params: int, dtype: DTypeLike = np.float64, learning_rate: float = 0.01
    ) -> None:
        super().__init__(n_params, dtype, learning_rate)
        self.damping = 1e-3
        self._trial = np.zeros(n_params, dtype)

    def step(self, problem: FitProblem, theta: Array) -> float:
        loss = problem.forward(theta)
        jt = problem.jacobian_t(theta)
        r = problem.r
        weights = problem.loss_fn.irls_weights(r)
        jtw = jt if weights is None else jt * weights
        hess = jtw @ jt.T
        np.dot(jtw, r, out=self.grad)
        penalty = self.penalty
        objective = loss
        if penalty is not None:
            units = r.size / problem.loss_fn.scale
            penalised = np.arange(theta.size - 1)
            hess[penalised, penalised] += units * penalty.curvature(theta)
            self.grad[:-1] += units * penalty.gradient(theta)
            objective += penalty.value(theta)
        scale = max(float(np.trace(hess)) / hess.shape[0], 1e-300)
        diagonal = np.diag_indices_from(hess)
        rhs = -self.grad
        for _ in range(self.max_tries):
            damped = hess.copy()
            damped[diagonal] += self.damping * scale
            try:
                delta = np.linalg.solve(damped, rhs)
            except np.linalg.LinAlgError:
                self.damping *= 10.0
                continue
            np.add(theta, delta, out=self._trial)
            trial = problem.loss(self._trial)
            if penalty is not None:
                trial += penalty.value(self._trial)
            if trial < objective:
                theta[:] = self._trial
                self.damping = max(self.damping / 3.0, 1e-12)
                return loss
            self.damping = min(self.damping * 4.0, 1e12)
        self.converged = True
        return loss


OPTIMIZERS: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Adam, LevenbergMarquardt)
}

OPTIMIZER_LABELS = {
    "sgd": "SGD",
    "momentum": "SGD + momentum",
    "adam": "Adam",
    "lm": "Levenberg–Marquardt",
}


MAX_LEARNING_RATE = 1000.0
"""Far past divergence already; anything larger is a typo."""
MIN_LEARNING_RATE = 1e-10
"""Below this a float32 step rounds to nothing: training would run and learn nothing."""


@dataclass(frozen=True)
class OptimizerSpec:
    """What a session stores: which optimizer and its learning rate."""

    name: str = "adam"
    learning_rate: float = 0.01

    def __post_init__(self) -> None:
        known("optimizer", self.name, OPTIMIZERS)
        rate = self.learning_rate
        if not (np.isfinite(rate) and MIN_LEARNING_RATE <= rate <= MAX_LEARNING_RATE):
            raise InputError(
                f"learning rate must be a number in [{MIN_LEARNING_RATE:g}, {MAX_LEARNING_RATE:g}],"
                f" got {self.learning_rate!r}"
            )

    def build(self, n_params: int, dtype: DTypeLike = np.float64) -> Optimizer:
        return OPTIMIZERS[self.name](n_params, dtype, self.learning_rate)

    @property
    def uses_learning_rate(self) -> bool:
        return OPTIMIZERS[self.name].uses_learning_rate

    @property
    def label(self) -> str:
        return OPTIMIZER_LABELS[self.name]

    def working_dtype(self) -> np.dtype[np.floating]:
        return np.dtype(OPTIMIZERS[self.name].precision)
