"""The shapes a neuron can take, each with the slope backprop needs.

Every function writes into ``out`` (same shape as ``z``) so training reuses its buffers.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import by_name, known

Array = NDArray[np.floating]


_EXP_LIMIT = {np.dtype(np.float32): 87.0, np.dtype(np.float64): 700.0}
"""Largest exponent whose exp stays finite, per dtype."""


def _sigmoid(z: Array, out: Array) -> Array:
    """σ(z) = 1 / (1 + exp(−z)), with −z capped so exp never overflows (or warns);
    NaN still propagates. Training does not come here: it takes whichever formulation
    is fastest on the machine (``kernels``)."""
    np.negative(z, out=out)
    np.minimum(out, _EXP_LIMIT.get(out.dtype, 80.0), out=out)
    np.exp(out, out=out)
    out += 1.0
    np.reciprocal(out, out=out)
    return out


def _sigmoid_slope(z: Array, a: Array, out: Array) -> Array:
    """σ'(z) = σ(z)(1 − σ(z)), from the value already computed."""
    np.subtract(1.0, a, out=out)
    out *= a
    return out


def _tanh(z: Array, out: Array) -> Array:
    return np.tanh(z, out=out)


def _tanh_slope(z: Array, a: Array, out: Array) -> Array:
    np.multiply(a, a, out=out)
    np.subtract(1.0, out, out=out)
    return out


def _relu(z: Array, out: Array) -> Array:
    return np.maximum(z, 0.0, out=out)


def _relu_slope(z: Array, a: Array, out: Array) -> Array:
    return np.greater(z, 0.0, out=out, casting="unsafe")


def _step(z: Array, out: Array) -> Array:
    """Heaviside: 1 where z ≥ 0, so a neuron switches on at x = s = −b/w."""
    return np.greater_equal(z, 0.0, out=out, casting="unsafe")


def _step_surrogate_slope(z: Array, a: Array, out: Array) -> Array:
    """Surrogate for the step's slope (zero almost everywhere): σ'(z) = σ(z)(1 − σ(z)).

    The step is the limit of σ(k·z) as k → ∞; backprop pretends it is the sigmoid, so a
    step neuron's w and b still learn. ``FitProblem`` divides z by a temperature first,
    so the surrogate is never narrower than the spacing of the samples (see there).
    """
    _sigmoid(z, out)
    np.multiply(out, np.subtract(1.0, out), out=out)
    return out


@dataclass(frozen=True)
class Activation:
    """An activation: ``value(z, out)``, ``slope(z, a, out)`` with a = value(z).

    ``label`` and ``tip`` are what a person reads about it, in every front end.
    """

    name: str
    symbol: str
    label: str
    tip: str
    value: Callable[[Array, Array], Array]
    slope: Callable[[Array, Array, Array], Array]
    surrogate: bool = False

    def __call__(self, z: ArrayLike) -> Array:
        values = np.asarray(z, dtype=float)
        return self.value(values, np.empty_like(values))

    def derivative(self, z: ArrayLike) -> Array:
        values = np.asarray(z, dtype=float)
        return self.slope(values, self(values), np.empty_like(values))


ACTIVATIONS = by_name(
    Activation(
        "step",
        "H",
        "Step",
        "Unit step: 0 before s = −b/w, 1 after. Trains through a surrogate gradient"
        " (a sigmoid's slope); its output weight v trains exactly.",
        _step,
        _step_surrogate_slope,
        surrogate=True,
    ),
    Activation(
        "sigmoid",
        "σ",
        "Sigmoid",
        "σ(z) = 1 / (1 + e^−z): a soft step; large |w| makes it steep.",
        _sigmoid,
        _sigmoid_slope,
    ),
    Activation("relu", "relu", "ReLU", "max(0, z): a hinge at s = −b/w.", _relu, _relu_slope),
    Activation("tanh", "tanh", "tanh", "tanh(z): a soft step from −1 to 1.", _tanh, _tanh_slope),
)


def surrogate_temperature(w: Array, spacing: float, out: Array | None = None) -> Array:
    """T = max(1, |w|·h) for the step's surrogate slope σ'(z/T)/T, h the sample spacing:
    the surrogate then spans at least one sample spacing, so even a near-vertical step
    (w = 1000) still feels where it should move. Into ``out`` if given (training)."""
    out = np.abs(w, out=out)
    out *= spacing
    return np.maximum(out, 1.0, out=out)


def sample_spacing(x: Array) -> float:
    """The mean distance between neighbouring samples (1 for a single point)."""
    return float(np.ptp(x)) / max(x.size - 1, 1) or 1.0


def activation(name: str) -> Activation:
    """Look up an activation by name; a wrong name is the caller's input error."""
    return known("activation", name, ACTIVATIONS)
