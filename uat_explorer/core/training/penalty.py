"""Weight decay: a penalty on large weights, added to what the optimizer minimises.

With L2 the optimizer minimises L + λ/2·‖θ‖², so every step also pulls each w, b, v
towards 0 by λ·p; with L1, L + λ·‖θ‖₁, a pull of λ·sign(p) that sets weak weights to
exactly nothing. The output bias c is not penalised (as is usual: it only lifts the
curve). The loss that is recorded and plotted stays the data term L.

θ is the trainer's flat vector [w, b, v, c]: the penalty reads every entry but the last.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.errors import InputError, known

Array = NDArray[np.floating]

PENALTIES = {"l2": "L2 (λ/2·‖θ‖²)", "l1": "L1 (λ·‖θ‖₁)"}
MAX_WEIGHT_DECAY = 1e3
L1_FLOOR = 1e-6
"""|p| below this counts as this in L1's curvature for Levenberg–Marquardt (as MAE's
weights are floored): λ/|p| would be infinite at 0."""


@dataclass(frozen=True)
class Penalty:
    """``kind`` l2 or l1, ``strength`` λ ≥ 0 (0: no penalty)."""

    kind: str = "l2"
    strength: float = 0.0

    def __post_init__(self) -> None:
        known("penalty", self.kind, PENALTIES)
        value = self.strength
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (math.isfinite(value) and 0 <= value <= MAX_WEIGHT_DECAY)
        ):
            raise InputError(
                f"the weight decay λ must be a number from 0 to {MAX_WEIGHT_DECAY:g}, got {value!r}"
            )

    @property
    def active(self) -> bool:
        return self.strength > 0

    @property
    def formula(self) -> str:
        return "λ/2·‖θ‖²" if self.kind == "l2" else "λ·‖θ‖₁"

    def value(self, theta: Array) -> float:
        """λ/2·Σp² or λ·Σ|p| over w, b, v."""
        p = theta[:-1]
        if self.kind == "l2":
            return 0.5 * self.strength * float(np.dot(p, p))
        return self.strength * float(np.abs(p).sum())

    def gradient(self, theta: Array) -> Array:
        """∂penalty/∂p for w, b, v: λ·p, or λ·sign(p)."""
        p = theta[:-1]
        return self.strength * (p if self.kind == "l2" else np.sign(p))

    def add_gradient(self, theta: Array, grad: Array) -> None:
        """∇L in ``grad`` becomes ∇(L + penalty); c's entry stays ∂L/∂c."""
        grad[:-1] += self.gradient(theta)

    def curvature(self, theta: Array) -> Array:
        """The penalty's second derivative per w, b, v for Levenberg–Marquardt: λ for L2;
        for L1, λ/|p|, the curvature of the quadratic that touches λ|p| at p (iteratively
        reweighted, as MAE is)."""
        p = theta[:-1]
        if self.kind == "l2":
            return np.full(p.size, self.strength, dtype=p.dtype)
        return self.strength / np.maximum(np.abs(p), L1_FLOOR)

    def share(self, values: NDArray[np.float64], muted: NDArray[np.bool_]) -> NDArray[np.float64]:
        """Each parameter's part of a step's gradient that comes from the penalty, for
        ``values`` in the cards' order (w1, b1, v1, …, c): 0 for c, and for a muted
        neuron, which is out of training."""
        live = np.append(np.repeat(~muted, 3), False)
        share: NDArray[np.float64] = np.append(self.gradient(values), 0.0) * live
        return share


NO_PENALTY = Penalty()
