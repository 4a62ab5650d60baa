"""Cross-entropy and its gradient over a flat θ, so the curve optimizers train classifiers.

θ = [w (H), b (H), v (H·M, neuron by neuron), c (M)]. Backprop in four lines of algebra:
∂ℓ/∂l = (p − onehot(k))/N, ∂/∂v = a·∂l, ∂/∂c = Σ ∂l, ∂/∂z = (∂l·vᵀ)ᵀ ⊙ act′(z), and
∂/∂w, ∂/∂b are those times x and 1. Float64 and plain numpy: clarity over speed here.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.nn.activations import ACTIVATIONS, sample_spacing, surrogate_temperature
from uat_explorer.core.nn.classifier import ClassNetwork, probabilities, sample_losses

Array = NDArray[np.floating]


class ClassProblem:
    """Points x (N,) with labels (N,) and a network's layout, for repeated passes.

    ``x`` and ``labels`` may be overwritten in place by a trainer (a mini-batch). A step
    neuron trains through the surrogate slope σ′(z/T)/T, as curve fits do.
    """

    dtype = np.dtype(np.float64)

    def __init__(self, network: ClassNetwork, x: ArrayLike, labels: ArrayLike) -> None:
        self.x = np.array(x, dtype=np.float64).reshape(-1)
        self.labels = np.array(labels, dtype=np.intp).reshape(-1)
        if self.x.size != self.labels.size or self.x.size == 0:
            raise ValueError("x and labels must be non-empty and of equal length")
        self.size, self.outputs = network.size, network.c.size
        self.activations = list(network.activations)
        self.live = ~network.muted
        self.spacing = sample_spacing(self.x)
        self._record_into: Array | None = None
        self._ones = np.ones(self.x.size)

    @property
    def n_params(self) -> int:
        return self.size * (2 + self.outputs) + self.outputs

    @property
    def hidden(self) -> int:
        """Neurons in θ: all of them (a muted one's entries stay, its gradient 0)."""
        return self.size

    @functools.cached_property
    def parameter_columns(self) -> NDArray[np.intp]:
        """Where each entry of θ goes in card order [w1, b1, v1 (M), w2, …, c (M)]."""
        h, m = self.size, self.outputs
        first = np.arange(h) * (2 + m)  # each neuron's w
        v = (first[:, None] + 2 + np.arange(m)).reshape(-1)
        return np.concatenate([first, first + 1, v, h * (2 + m) + np.arange(m)])

    def record_activity(self, sums: Array) -> None:
        """The next gradient also leaves each neuron's Σ|a| over the points in
        ``sums[1, :H]`` (a timeline recorder's row; the shape is the curve problem's)."""
        self._record_into = sums

    def mean_activity(self, raw: Array, out: Array) -> None:
        """mean |a| of every neuron (muted: 0) from the sums ``record_activity`` left:
        divided once per chunk, not every step."""
        np.divide(raw, self.x.size, out=out)

    def pack(self, network: ClassNetwork) -> Array:
        return np.concatenate([network.w, network.b, network.v.reshape(-1), network.c])

    def unpack(self, theta: Array, network: ClassNetwork) -> None:
        """Write θ into the network's arrays."""
        w, b, v, c = self._split(theta)
        network.w[:], network.b[:], network.v[:], network.c[:] = w, b, v, c

    def _split(self, theta: Array) -> tuple[Array, Array, Array, Array]:
        h, m = self.size, self.outputs
        return (
            theta[:h],
            theta[h : 2 * h],
            theta[2 * h : 2 * h + h * m].reshape(h, m),
            theta[2 * h + h * m :],
        )

    def _hidden(self, w: Array, b: Array) -> tuple[Array, Array]:
        """z and a (H, N); muted rows of a are 0."""
        z = np.multiply.outer(w, self.x) + b[:, None]
        a = np.zeros_like(z)
        for j, name in enumerate(self.activations):
            if self.live[j]:
                a[j] = ACTIVATIONS[name](z[j])
        return z, a

    def history_at(self, thetas: Array, x: float) -> Array:
        """p (T, K) at one point x for each of T parameter vectors (rows of ``thetas``):
        how one sample's probabilities moved through training."""
        h, m = self.size, self.outputs
        z = thetas[:, :h] * x + thetas[:, h : 2 * h]
        a = np.zeros_like(z)
        for j, name in enumerate(self.activations):
            if self.live[j]:
                a[:, j] = ACTIVATIONS[name](z[:, j])
        v = thetas[:, 2 * h : 2 * h + h * m].reshape(-1, h, m)
        logits = np.einsum("th,thm->tm", a, v) + thetas[:, 2 * h + h * m :]
        return probabilities(logits)

    def point(self, theta: Array, x: float) -> tuple[Array, Array, Array]:
        """z, a and act′(z), each (H,), at one point x (muted rows: a and slope 0): the
        hidden layer's numbers a backprop graph is written with."""
        w, b, _, _ = self._split(theta)
        z = w * x + b
        a, slope = np.zeros_like(z), np.zeros_like(z)
        for j, name in enumerate(self.activations):
            if self.live[j]:
                a[j] = ACTIVATIONS[name](z[j : j + 1])[0]
                slope[j] = self._slope(name, z[j : j + 1], a[j : j + 1], float(w[j]))[0]
        return z, a, slope

    def loss(self, theta: Array) -> float:
        w, b, v, c = self._split(theta)
        _, a = self._hidden(w, b)
        return float(np.mean(sample_losses(a.T @ v + c, self.labels)))

    def loss_and_grad(self, theta: Array, grad: Array) -> float:
        """Cross-entropy at θ; ∂L/∂θ written into ``grad``."""
        w, b, v, c = self._split(theta)
        z, a = self._hidden(w, b)
        if self._record_into is not None:
            np.dot(np.abs(a), self._ones, out=self._record_into[1, : self.size])
            self._record_into = None
        logits = a.T @ v + c
        loss = float(np.mean(sample_losses(logits, self.labels)))
        n = self.x.size
        p = probabilities(logits)
        dl = p[:, 1:] if self.outputs == 1 else p.copy()  # (N, M): p − onehot(k)
        if self.outputs == 1:
            dl[:, 0] -= self.labels == 1
        else:
            dl[np.arange(n), self.labels] -= 1.0
        dl /= n
        dz = (dl @ v.T).T  # ∂L/∂a, (H, N)
        for j, name in enumerate(self.activations):
            dz[j] = dz[j] * self._slope(name, z[j], a[j], w[j]) if self.live[j] else 0.0
        h, m = self.size, self.outputs
        grad[:h] = dz @ self.x
        grad[h : 2 * h] = dz.sum(axis=1)
        grad[2 * h : 2 * h + h * m] = (a @ dl).reshape(-1)
        grad[2 * h + h * m :] = dl.sum(axis=0)
        return loss

    def _slope(self, name: str, z: Array, a: Array, w: float) -> Array:
        """act′(z); for a step the surrogate σ′(z/T)/T, T no narrower than the spacing."""
        kind = ACTIVATIONS[name]
        if not kind.surrogate:
            return kind.slope(z, a, np.empty_like(z))
        temperature = float(surrogate_temperature(np.array([w]), self.spacing)[0])
        slope: Array = ACTIVATIONS["sigmoid"].derivative(z / temperature) / temperature
        return slope
