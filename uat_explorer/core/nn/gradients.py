"""A gradient in the network's own terms: one number per dial."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Gradients:
    """∂L/∂w, ∂L/∂b, ∂L/∂v per neuron (network order; 0 for muted ones) and ∂L/∂c."""

    w: Array
    b: Array
    v: Array
    c: float

    def flat(self) -> Array:
        """[w1, b1, v1, w2, b2, v2, …, c]: the order of the cards."""
        return np.append(np.column_stack([self.w, self.b, self.v]).reshape(-1), self.c)

    @classmethod
    def zeros(cls, size: int) -> Gradients:
        return cls(np.zeros(size), np.zeros(size), np.zeros(size), 0.0)
