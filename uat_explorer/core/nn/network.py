"""The model: y(x) = c + Σ_j v_j · act_j(w_j · x + b_j), one hidden layer, one input."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.nn.activations import ACTIVATIONS, activation
from uat_explorer.core.nn.kernels import kernel

Array = NDArray[np.float64]
Float32 = NDArray[np.float32]

MAX_NEURONS = 256
"""One limit for every front end: enough to trace any curve here, small enough to stay live."""


@dataclass(frozen=True)
class Neuron:
    """One hidden neuron: it adds v · act(w·x + b) to the output unless muted."""

    activation: str = "sigmoid"
    w: float = 1.0
    b: float = 0.0
    v: float = 1.0
    muted: bool = False

    @property
    def step_position(self) -> float:
        """s = −b/w, where the neuron switches on (Nielsen's parametrisation); nan if w = 0."""
        return -self.b / self.w if self.w != 0 else float("nan")


class HiddenLayer:
    """What a curve network and a class network share: the hidden neurons' arrays
    ``w``, ``b``, ``activations`` and ``muted``, output weights ``v`` and bias ``c`` of
    whatever shape their output has. Two are equal when every one of those is equal to
    the bit (so neither is hashable)."""

    activations: list[str]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, HiddenLayer)
        return self.activations == other.activations and all(
            np.array_equal(getattr(self, name), getattr(other, name))
            for name in ("w", "b", "v", "c", "muted")
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def kinds(self) -> str:
        """The activations used, for a repr: "sigmoid, tanh" (or "no")."""
        return ", ".join(sorted(set(self.activations))) or "no"


class Network(HiddenLayer):
    """The whole network as arrays, so the forward pass is a few numpy calls.

    w, b, v: (H,) float64 — input weight, bias, output weight of each neuron.
    c: the output bias. activations: H names. muted: (H,) bool; a muted neuron adds nothing.
    """

    def __init__(
        self,
        w: ArrayLike,
        b: ArrayLike,
        v: ArrayLike,
        c: float = 0.0,
        activations: list[str] | None = None,
        muted: ArrayLike | None = None,
    ) -> None:
        self.w = np.array(w, dtype=np.float64).reshape(-1)
        self.b = np.array(b, dtype=np.float64).reshape(-1)
        self.v = np.array(v, dtype=np.float64).reshape(-1)
        self.c = float(c)
        size = self.w.size
        self.activations = list(activations) if activations is not None else ["sigmoid"] * size
        self.muted = (
            np.zeros(size, dtype=bool) if muted is None else np.array(muted, dtype=bool).reshape(-1)
        )
        lengths = {self.b.size, self.v.size, len(self.activations), self.muted.size}
        if lengths != {size}:
            raise ValueError("w, b, v, activations and muted must have one entry per neuron")
        for name in self.activations:
            activation(name)

    @classmethod
    def from_neurons(cls, neurons: list[Neuron], c: float = 0.0) -> Network:
        return cls(
            w=[n.w for n in neurons],
            b=[n.b for n in neurons],
            v=[n.v for n in neurons],
            c=c,
            activations=[n.activation for n in neurons],
            muted=[n.muted for n in neurons],
        )

    @property
    def size(self) -> int:
        return self.w.size

    def neuron(self, j: int) -> Neuron:
        return Neuron(
            self.activations[j],
            float(self.w[j]),
            float(self.b[j]),
            float(self.v[j]),
            bool(self.muted[j]),
        )

    def neurons(self) -> list[Neuron]:
        return [self.neuron(j) for j in range(self.size)]

    def copy(self) -> Network:
        return Network(self.w, self.b, self.v, self.c, self.activations, self.muted)

    def set_neuron(self, j: int, neuron: Neuron) -> None:
        activation(neuron.activation)
        self.w[j], self.b[j], self.v[j] = neuron.w, neuron.b, neuron.v
        self.activations[j] = neuron.activation
        self.muted[j] = neuron.muted

    def insert(self, index: int, neurons: list[Neuron]) -> None:
        """Insert neurons before position ``index`` (``size`` appends)."""
        for name in (n.activation for n in neurons):
            activation(name)
        self.w = np.insert(self.w, index, [n.w for n in neurons])
        self.b = np.insert(self.b, index, [n.b for n in neurons])
        self.v = np.insert(self.v, index, [n.v for n in neurons])
        self.muted = np.insert(self.muted, index, [n.muted for n in neurons])
        self.activations[index:index] = [n.activation for n in neurons]

    def remove(self, index: int, count: int = 1) -> None:
        rows = np.arange(index, index + count)
        self.w, self.b, self.v = (np.delete(a, rows) for a in (self.w, self.b, self.v))
        self.muted = np.delete(self.muted, rows)
        del self.activations[index : index + count]

    def contribution(self, j: int, x: ArrayLike) -> Array:
        """Neuron j's term v_j·act_j(w_j x + b_j) on x, 0 if muted: one row of ``forward``."""
        xs = np.asarray(x, dtype=np.float64)
        if self.muted[j]:
            return np.zeros_like(xs)
        values: Array = self.v[j] * ACTIVATIONS[self.activations[j]](self.w[j] * xs + self.b[j])
        return values

    def step_positions(self) -> Array:
        """s_j = −b_j / w_j; nan where w_j = 0 (a flat neuron has no position)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.w != 0, -self.b / np.where(self.w != 0, self.w, 1.0), np.nan)

    def forward(self, x: ArrayLike) -> tuple[Array, Array]:
        """Output y (N,) and each neuron's contribution v_j·act_j(w_j x + b_j) as rows (H, N)."""
        xs = np.asarray(x, dtype=np.float64).reshape(-1)
        z = np.multiply.outer(self.w, xs)
        z += self.b[:, None]
        parts = np.empty_like(z)
        names = np.array(self.activations)
        for name in set(self.activations):
            rows = np.flatnonzero(names == name)
            parts[rows] = ACTIVATIONS[name](z[rows])
        parts *= np.where(self.muted, 0.0, self.v)[:, None]
        return self.c + parts.sum(axis=0), parts

    def drawn(self, x: ArrayLike) -> tuple[Float32, Float32]:
        """``forward`` in float32, for drawing (the plot's curves, every training frame),
        through this machine's fastest kernels with their scales folded into w, b and v:
        128 neurons on 1001 points in ~0.3 ms where ``forward`` takes ~1.6 (measured).
        z = w x + b is formed in float64, so a step switches at exactly the same x; the
        values are within float32 rounding of ``forward``'s (a test pins it)."""
        xs = np.asarray(x, dtype=np.float64).reshape(-1)
        v = np.where(self.muted, 0.0, self.v)
        names = np.array(self.activations)
        groups = set(self.activations)
        parts: Float32 | None = (
            None if len(groups) == 1 else np.empty((self.size, xs.size), np.float32)
        )
        for name in groups:
            rows = slice(None) if parts is None else np.flatnonzero(names == name)
            form = kernel(name)
            z = np.multiply.outer(form.scale * self.w[rows], xs)
            z += form.scale * self.b[rows, None]
            q = z.astype(np.float32)
            s = np.empty_like(q)
            form.value(q, s)
            s *= (form.alpha * v[rows]).astype(np.float32)[:, None]
            if form.beta:
                s += (form.beta * v[rows]).astype(np.float32)[:, None]
            if parts is None:
                parts = s
            else:
                parts[rows] = s
        assert parts is not None  # one group filled it, or there are no neurons
        return np.float32(self.c) + parts.sum(axis=0, dtype=np.float32), parts

    def __call__(self, x: ArrayLike) -> Array:
        return self.forward(x)[0]

    def __repr__(self) -> str:
        return f"Network({self.size} neurons: {self.kinds}; c={self.c:g})"
