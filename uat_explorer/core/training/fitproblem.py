"""The training hot path: loss, gradient and Jacobian of a network on fixed samples.

Parameters travel as one flat vector θ = [w (H), b (H), v (H), c] so every optimizer is
a few vector operations. Buffers are allocated once and every step writes into them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from uat_explorer.core.nn.activations import (
    ACTIVATIONS,
    Activation,
    sample_spacing,
    surrogate_temperature,
)
from uat_explorer.core.nn.losses import Loss, loss_by_name
from uat_explorer.core.nn.network import Network

Array = NDArray[np.floating]


class FitProblem:
    """Samples (x, t) plus a neuron layout, ready for repeated forward and backward passes.

    Rows are the unmuted neurons, grouped by activation so each kind is one contiguous
    block (contiguous buffers are twice as fast as strided ones here). Muted neurons are
    left out: they add nothing, so this is exact, and it keeps them frozen.

    A step neuron's slope is the surrogate σ'(z/T)/T (``surrogate_temperature``).
    """

    def __init__(
        self,
        network: Network,
        x: ArrayLike,
        t: ArrayLike,
        loss: str | Loss = "mse",
        dtype: DTypeLike = np.float64,
    ) -> None:
        self.dtype = np.dtype(dtype)
        self.x = np.ascontiguousarray(x, dtype=self.dtype).reshape(-1)
        self.t = np.ascontiguousarray(t, dtype=self.dtype).reshape(-1)
        if self.x.size != self.t.size or self.x.size == 0:
            raise ValueError("x and t must be non-empty and of equal length")
        self.loss_fn = loss_by_name(loss) if isinstance(loss, str) else loss
        kinds = list(ACTIVATIONS)
        active = [j for j in range(network.size) if not network.muted[j]]
        self.index = np.array(
            sorted(active, key=lambda j: kinds.index(network.activations[j])), dtype=np.intp
        )
        self.groups: list[tuple[Activation, slice]] = []
        start = 0
        for name in kinds:
            count = sum(1 for j in self.index if network.activations[j] == name)
            if count:
                self.groups.append((ACTIVATIONS[name], slice(start, start + count)))
                start += count
        self.hidden = self.index.size
        self.spacing = sample_spacing(self.x)
        h, n = self.hidden, self.x.size
        self._z = np.empty((h, n), self.dtype)
        self._a = np.empty((h, n), self.dtype)
        self._d = np.empty((h, n), self.dtype)
        self._jt: Array | None = None
        self.y = np.empty(n, self.dtype)
        self.r = np.empty(n, self.dtype)
        self.g = np.empty(n, self.dtype)
        self._gx = np.empty(n, self.dtype)

    @property
    def n_params(self) -> int:
        return 3 * self.hidden + 1

    def pack(self, network: Network) -> Array:
        """θ for this problem's rows, read from a network with the same layout."""
        i = self.index
        return np.concatenate([network.w[i], network.b[i], network.v[i], [network.c]]).astype(
            self.dtype
        )

    def unpack(self, theta: Array, network: Network) -> None:
        """Write θ back into the network's arrays (muted neurons stay as they were)."""
        h, i = self.hidden, self.index
        network.w[i] = theta[:h]
        network.b[i] = theta[h : 2 * h]
        network.v[i] = theta[2 * h : 3 * h]
        network.c = float(theta[3 * h])

    def unpack_gradient(
        self, grad: Array, size: int
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
        """(dL/dw, dL/db, dL/dv, dL/dc) in network order; muted neurons get 0."""
        h, i = self.hidden, self.index
        parts = [np.zeros(size) for _ in range(3)]
        for k, part in enumerate(parts):
            part[i] = grad[k * h : (k + 1) * h]
        return parts[0], parts[1], parts[2], float(grad[3 * h])

    def forward(self, theta: Array) -> float:
        """Fill z, a, y, the residual r = y − t and g = dL/dy; return the loss."""
        h = self.hidden
        w, b, v = theta[:h], theta[h : 2 * h], theta[2 * h : 3 * h]
        z, a = self._z, self._a
        np.multiply.outer(w, self.x, out=z)
        z += b[:, None]
        for act, rows in self.groups:
            act.value(z[rows], a[rows])
        np.dot(v, a, out=self.y)
        self.y += theta[3 * h]
        np.subtract(self.y, self.t, out=self.r)
        return self.loss_fn.value_and_grad(self.r, self.g)

    def loss(self, theta: Array) -> float:
        return self.forward(theta)

    @property
    def activations(self) -> Array:
        """act(z) of every row on every sample, from the last forward pass."""
        return self._a

    def _slopes(self, theta: Array) -> Array:
        """d act/dz for every row, from the buffers the last forward pass filled."""
        z, a, d = self._z, self._a, self._d
        for act, rows in self.groups:
            if act.surrogate:
                temp = surrogate_temperature(theta[rows], self.spacing)[:, None]
                np.divide(z[rows], temp, out=d[rows])
                act.slope(d[rows], a[rows], d[rows])
                d[rows] /= temp
            else:
                act.slope(z[rows], a[rows], d[rows])
        return d

    def loss_and_grad(self, theta: Array, grad: Array) -> float:
        """Loss at θ; dL/dθ written into ``grad``. Two mat-vecs, no H×N temporaries."""
        loss = self.forward(theta)
        h = self.hidden
        v = theta[2 * h : 3 * h]
        d = self._slopes(theta)
        g = self.g
        np.multiply(g, self.x, out=self._gx)
        np.dot(d, self._gx, out=grad[:h])
        np.dot(d, g, out=grad[h : 2 * h])
        grad[:h] *= v
        grad[h : 2 * h] *= v
        np.dot(self._a, g, out=grad[2 * h : 3 * h])
        grad[3 * h] = g.sum()
        return loss

    def jacobian_t(self, theta: Array) -> Array:
        """Jᵀ (P, N) of the outputs y with respect to θ, at the θ of the last forward pass."""
        h = self.hidden
        if self._jt is None:
            self._jt = np.empty((self.n_params, self.x.size), self.dtype)
        jt = self._jt
        v = theta[2 * h : 3 * h, None]
        d = self._slopes(theta)
        np.multiply(d, v, out=jt[h : 2 * h])
        np.multiply(jt[h : 2 * h], self.x, out=jt[:h])
        jt[2 * h : 3 * h] = self._a
        jt[3 * h] = 1.0
        return jt
