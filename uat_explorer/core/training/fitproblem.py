"""The training hot path: loss, gradient and Jacobian of a network on fixed samples.

Parameters travel as one flat vector θ = [w (H), b (H), v (H), c] so every optimizer is
a few vector operations. Buffers are allocated once and every step writes into them.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from uat_explorer.core.nn.activations import (
    ACTIVATIONS,
    sample_spacing,
    surrogate_temperature,
)
from uat_explorer.core.nn.kernels import Kernel, kernel
from uat_explorer.core.nn.losses import Loss, loss_by_name
from uat_explorer.core.nn.network import Network

Array = NDArray[np.floating]


class _Group:
    """One activation's contiguous rows, with views of every buffer they use."""

    def __init__(self, kernel: Kernel, rows: slice, problem: FitProblem) -> None:
        self.kernel, self.rows = kernel, rows
        self.wb = problem._wb[:, rows].T  # (count, 2): a BLAS operand as it is, no copy
        self.z, self.s, self.d = problem._z[rows], problem._s[rows], problem._d[rows]
        count = rows.stop - rows.start
        self.scratch = np.empty_like(self.z) if kernel.slope is None else self.z[:0]
        self.temperature = np.empty(count, problem.dtype)
        self.gamma = problem._gamma[rows]


class FitProblem:
    """Samples (x, t) plus a neuron layout, ready for repeated forward and backward passes.

    Rows are the unmuted neurons, grouped by activation so each kind is one contiguous
    block (contiguous buffers are twice as fast as strided ones here). Muted neurons are
    left out: they add nothing, so this is exact, and it keeps them frozen.

    Each kind runs this machine's fastest kernel (``kernels``): the buffer ``_s`` holds
    s = value(k·z) with act = α·s + β, the scale k folded into [w, b] and α, β into the
    output weights, so neither costs a pass over the H × N buffer. The gradient is two
    small matrix products, each reading an H × N buffer once: [g·x; g]·(slopes)ᵀ for w
    and b, and [g; 1/N]·sᵀ for v and c, whose second row is every row's mean activity,
    for the timeline (``record_activity``), at no extra pass.

    A step neuron's slope is the surrogate σ'(z/T)/T (``surrogate_temperature``).
    """

    def __init__(
        self,
        network: Network,
        x: ArrayLike,
        t: ArrayLike,
        loss: str | Loss = "mse",
        dtype: DTypeLike = np.float64,
        forms: Mapping[str, str] | None = None,
    ) -> None:
        """``forms`` picks a kernel per activation by name (tests); default: the fastest."""
        self.dtype = np.dtype(dtype)
        samples = np.asarray(x, dtype=self.dtype).reshape(-1)
        self.t = np.ascontiguousarray(t, dtype=self.dtype).reshape(-1)
        if samples.size != self.t.size or samples.size == 0:
            raise ValueError("x and t must be non-empty and of equal length")
        self.loss_fn = loss_by_name(loss) if isinstance(loss, str) else loss
        kinds = list(ACTIVATIONS)
        active = [j for j in range(network.size) if not network.muted[j]]
        self.index = np.array(
            sorted(active, key=lambda j: kinds.index(network.activations[j])), dtype=np.intp
        )
        layout: list[tuple[Kernel, slice]] = []
        start = 0
        for name in kinds:
            count = sum(1 for j in self.index if network.activations[j] == name)
            if count:
                chosen = kernel(name, (forms or {}).get(name))
                layout.append((chosen, slice(start, start + count)))
                start += count
        self.hidden = h = self.index.size
        self._size = network.size
        self._in_order = bool(np.array_equal(self.index, np.arange(network.size)))
        n = samples.size
        # [x; 1], so z = [w, b]ᵀ·[x; 1] is one matrix product (an outer product and a
        # broadcast add are two passes, the second a slow one); x is a view of it, which
        # the trainer overwrites with each mini-batch
        self._x1 = np.ones((2, n), self.dtype)
        self._x1[0] = samples
        self.x = self._x1[0]
        self.spacing = sample_spacing(self.x)

        def per_row(field: str) -> Array:
            values = [getattr(k, field) for k, rows in layout for _ in range(*rows.indices(h))]
            return np.array(values, self.dtype)

        self._scale = per_row("scale")
        self._alpha = np.append(per_row("alpha"), 1.0).astype(self.dtype)  # and c's 1
        self._alpha_v = self._alpha[:h]
        self._beta = per_row("beta")
        self._has_beta = bool(np.any(self._beta))
        self._gamma = per_row("gamma")  # a step's rows: rewritten every step (1/T)
        self._wb = np.empty((2, h), self.dtype)
        self._z = np.empty((h, n), self.dtype)
        self._s = np.empty((h + 1, n), self.dtype)
        self._s[h] = 1.0  # y = [α·v, c + β·v]·s, and s·g ends with Σg = dL/dc
        self._d = np.empty((h, n), self.dtype)
        self._va = np.empty(h + 1, self.dtype)
        self._vg = np.empty(h, self.dtype)
        self._bg = np.empty(h, self.dtype)
        self._sums = np.empty((2, h + 1), self.dtype)  # [s·g, Σg; mean s, 1]
        self._record_into: Array | None = None
        self._gq = np.empty((3, n), self.dtype)  # [g·x; g; 1/N]
        self._gq[2] = 1.0 / n
        self.g = self._gq[1]
        # the views every step uses, made once (together ~2 % of a step at H = 8)
        self._gx, self._gxg, self._gmean = self._gq[0], self._gq[:2], self._gq[1:]
        self._sT, self._dT = self._s.T, self._d.T
        self.y = np.empty(n, self.dtype)
        self.r = np.empty(n, self.dtype)
        self._jt: Array | None = None
        self.groups = [_Group(k, rows, self) for k, rows in layout]
        self._sigmoid = (
            kernel("sigmoid", (forms or {}).get("sigmoid"))
            if any(k.slope is None for k, _ in layout)
            else None
        )

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
        """Fill z, s, y, the residual r = y − t and g = dL/dy; return the loss."""
        h = self.hidden
        np.multiply(theta[: 2 * h].reshape(2, h), self._scale, out=self._wb)
        for group in self.groups:
            np.dot(group.wb, self._x1, out=group.z)
            group.kernel.value(group.z, group.s)
        v, va = theta[2 * h : 3 * h], self._va
        np.multiply(v, self._alpha_v, out=va[:h])
        va[h] = theta[3 * h] + np.dot(v, self._beta) if self._has_beta else theta[3 * h]
        np.dot(va, self._s, out=self.y)
        np.subtract(self.y, self.t, out=self.r)
        return self.loss_fn.value_and_grad(self.r, self.g)

    def loss(self, theta: Array) -> float:
        return self.forward(theta)

    def record_activity(self, sums: Array) -> None:
        """The next gradient also leaves each row's activity in ``sums`` (2, H + 1,
        contiguous; a recorder's row): row 1 starts with mean s (mean |s| for signed
        kernels), which ``mean_activity`` maps to mean |act|."""
        self._record_into = sums

    def mean_activity(self, raw: Array, out: Array) -> None:
        """mean |act| of every neuron, network order (muted: 0), into ``out`` (steps ×
        neurons), from blocks of the raw activity ``record_activity`` leaves."""
        if self._in_order:
            np.multiply(raw, self._alpha_v, out=out)
            out += self._beta
        else:
            out.fill(0.0)
            out[:, self.index] = raw * self._alpha_v + self._beta

    @functools.cached_property
    def parameter_columns(self) -> NDArray[np.intp]:
        """Where each entry of θ goes in the network's [w1, b1, v1, w2, …, c]
        (``parameter_values``) order."""
        h = self.hidden
        columns = np.empty(3 * h + 1, np.intp)
        np.add(3 * self.index, np.arange(3)[:, None], out=columns[:-1].reshape(3, h))
        columns[-1] = 3 * self._size
        return columns

    def _slopes(self, theta: Array) -> Array:
        """act′(z)/γ for every row into ``_d`` (γ into ``_gamma``), from the buffers the
        last forward pass filled."""
        for group in self.groups:
            slope = group.kernel.slope
            if slope is not None:
                slope(group.s, group.d)
                continue
            sigmoid = self._sigmoid
            assert sigmoid is not None and sigmoid.slope is not None
            temperature = surrogate_temperature(theta[group.rows], self.spacing, group.temperature)
            np.divide(sigmoid.scale, temperature, out=group.gamma)
            np.multiply(group.z, group.gamma[:, None], out=group.d)
            sigmoid.value(group.d, group.scratch)
            sigmoid.slope(group.scratch, group.d)
            np.divide(sigmoid.gamma, temperature, out=group.gamma)
        return self._d

    def loss_and_grad(self, theta: Array, grad: Array) -> float:
        """Loss at θ; dL/dθ written into ``grad`` (contiguous). Two small matrix products,
        no H×N temporaries."""
        loss = self.forward(theta)
        h = self.hidden
        sums, self._record_into = self._record_into, None
        recording = sums is not None
        if sums is None:
            sums = self._sums
        np.multiply(self.g, self.x, out=self._gx)
        wb_grad = grad[: 2 * h].reshape(2, h)
        self._slopes(theta)
        np.dot(self._gxg, self._dT, out=wb_grad)
        np.multiply(theta[2 * h : 3 * h], self._gamma, out=self._vg)
        wb_grad *= self._vg
        np.dot(self._gmean, self._sT, out=sums)  # one pass for both rows, recorded or not
        if recording:
            for group in self.groups:
                if not group.kernel.nonnegative:  # mean |s|: its slopes are used, reuse d
                    np.abs(group.s, out=group.d)
                    np.dot(group.d, self._gq[2], out=sums[1, group.rows])
        v_grad = grad[2 * h :]
        np.multiply(sums[0], self._alpha, out=v_grad)
        if self._has_beta:
            np.multiply(self._beta, v_grad[h], out=self._bg)
            v_grad[:h] += self._bg
        return loss

    def jacobian_t(self, theta: Array) -> Array:
        """Jᵀ (P, N) of the outputs y with respect to θ, at the θ of the last forward pass."""
        h = self.hidden
        if self._jt is None:
            self._jt = np.empty((self.n_params, self.x.size), self.dtype)
        jt = self._jt
        d = self._slopes(theta)
        np.multiply(theta[2 * h : 3 * h], self._gamma, out=self._vg)
        np.multiply(d, self._vg[:, None], out=jt[h : 2 * h])
        np.multiply(jt[h : 2 * h], self.x, out=jt[:h])
        np.multiply(self._s[:h], self._alpha_v[:, None], out=jt[2 * h : 3 * h])
        jt[2 * h : 3 * h] += self._beta[:, None]
        jt[3 * h] = 1.0
        return jt
