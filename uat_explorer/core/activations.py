"""The shapes a neuron can take, each with the slope backprop needs.

Every function writes into ``out`` (same shape as ``z``) so training reuses its buffers.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from uat_explorer.core.errors import InputError

Array = np.ndarray


_EXP_LIMIT = {np.dtype(np.float32): 87.0, np.dtype(np.float64): 700.0}
"""Largest exponent whose exp stays finite, per dtype."""


def _sigmoid(z: Array, out: Array) -> Array:
    """σ(z) = 1 / (1 + exp(−z)), with −z capped so exp never overflows (or warns).

    On these machines (AVX2, no AVX-512) numpy's exp is 1.3–1.6× faster than the
    ½(1 + tanh(z/2)) form that PERF-NOTES measured elsewhere; NaN still propagates.
    """
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
    """An activation: ``value(z, out)``, ``slope(z, a, out)`` with a = value(z)."""

    name: str
    symbol: str
    value: Callable[[Array, Array], Array]
    slope: Callable[[Array, Array, Array], Array]
    surrogate: bool = False

    def __call__(self, z: Array) -> Array:
        z = np.asarray(z, dtype=float)
        return self.value(z, np.empty_like(z))

    def derivative(self, z: Array) -> Array:
        z = np.asarray(z, dtype=float)
        return self.slope(z, self(z), np.empty_like(z))


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation("step", "H", _step, _step_surrogate_slope, surrogate=True),
        Activation("sigmoid", "σ", _sigmoid, _sigmoid_slope),
        Activation("relu", "relu", _relu, _relu_slope),
        Activation("tanh", "tanh", _tanh, _tanh_slope),
    )
}


def activation(name: str) -> Activation:
    """Look up an activation by name; a wrong name is the caller's input error."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        known = ", ".join(ACTIVATIONS)
        raise InputError(f"unknown activation {name!r} (known: {known})") from None
