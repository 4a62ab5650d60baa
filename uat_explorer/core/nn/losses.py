"""Losses over the residuals r = y − t: value, gradient dL/dy, and IRLS weights for LM."""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.errors import known

Array = NDArray[np.floating]

HUBER_DELTA = 0.1
"""Residuals larger than this count linearly: targets here are of order 1."""


def _mse(r: Array, g: Array) -> float:
    """mean(r²); g = 2r/N."""
    np.multiply(r, 2.0 / r.size, out=g)
    return float(np.dot(r, r)) / r.size


def _mae(r: Array, g: Array) -> float:
    """mean|r|; g = sign(r)/N (a subgradient at 0)."""
    np.sign(r, out=g)
    g *= 1.0 / r.size
    return float(np.abs(r).sum()) / r.size


def _huber(r: Array, g: Array) -> float:
    """mean of ½r² near 0 and δ(|r| − ½δ) beyond δ; g = clip(r, −δ, δ)/N."""
    d = HUBER_DELTA
    np.clip(r, -d, d, out=g)
    loss = float(np.sum(g * (r - 0.5 * g))) / r.size
    g *= 1.0 / r.size
    return loss


def _mse_each(r: Array) -> Array:
    """ℓ(r) = r² for each sample: the mean of these is the MSE."""
    return r * r


def _mae_each(r: Array) -> Array:
    return np.abs(r)


def _huber_each(r: Array) -> Array:
    d = HUBER_DELTA
    clipped = np.clip(r, -d, d)
    return clipped * (r - 0.5 * clipped)


def _irls_unit(r: Array) -> Array | None:
    return None


def _irls_mae(r: Array) -> Array:
    return 1.0 / np.maximum(np.abs(r), 1e-6)


def _irls_huber(r: Array) -> Array:
    return np.minimum(1.0, HUBER_DELTA / np.maximum(np.abs(r), 1e-12))


@dataclass(frozen=True)
class Loss:
    """``value_and_grad(r, g_out) -> loss`` writes dL/dy into g_out.

    ``each(r)`` is every sample's own loss ℓ(rᵢ); the loss is their mean.
    ``irls_weights(r)`` lets Levenberg–Marquardt (a least-squares method) minimise the
    other losses too, by iteratively reweighted least squares; None means all ones.
    ``formula`` writes ℓ for people. ``scale``: dL/dy = scale·W·r/N (W the IRLS
    weights), so (scale/N)·JᵀWJ is Levenberg–Marquardt's model of L's curvature, the
    units in which a penalty's own curvature is added.
    """

    name: str
    label: str
    formula: str
    value_and_grad: Callable[[Array, Array], float]
    each: Callable[[Array], Array]
    irls_weights: Callable[[Array], Array | None]
    scale: float = 1.0

    @property
    def short(self) -> str:
        """The name on an axis: MSE, MAE, Huber."""
        return self.name.upper() if len(self.name) <= 3 else self.name.capitalize()


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", "Mean squared error", "L = mean(r²)", _mse, _mse_each, _irls_unit, 2.0),
        Loss("mae", "Mean absolute error", "L = mean|r|", _mae, _mae_each, _irls_mae),
        Loss(
            "huber",
            f"Huber (δ = {HUBER_DELTA})",
            f"L = mean(½r² if |r| ≤ δ, else δ·(|r| − ½δ)), δ = {HUBER_DELTA:g}",
            _huber,
            _huber_each,
            _irls_huber,
        ),
    )
}


def loss_by_name(name: str) -> Loss:
    return known("loss", name, LOSSES)
