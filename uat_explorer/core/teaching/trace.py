"""One forward and one backward pass with every intermediate value kept: what backprop is.

For sample i (of N) and neuron j (of H), in network order, forward:

    z_ij = w_j·x_i + b_j          a_ij = act_j(z_ij)          p_ij = v_j·a_ij (0 if muted)
    y_i  = c + Σ_j p_ij           r_i  = y_i − t_i            L = (1/N) Σ_i ℓ(r_i)

and backward, by the chain rule, each gradient the incoming one times a local derivative:

    ∂ℓ_i/∂y_i  = ℓ′(r_i)                            (the error signal sent back)
    ∂ℓ_i/∂c    = ∂ℓ_i/∂y_i · 1
    ∂ℓ_i/∂v_j  = ∂ℓ_i/∂y_i · a_ij
    ∂ℓ_i/∂z_ij = ∂ℓ_i/∂y_i · v_j · act′_j(z_ij)
    ∂ℓ_i/∂b_j  = ∂ℓ_i/∂z_ij · 1
    ∂ℓ_i/∂w_j  = ∂ℓ_i/∂z_ij · x_i

The batch loss L is the mean of the ℓ_i, so its gradient is the mean of theirs. A step
neuron's act′ is the surrogate training uses (``surrogate_temperature``); a muted neuron
adds nothing and gets no gradient. Unlike ``FitProblem`` (activation-sorted rows, reused
buffers, float32 for speed), this keeps network order and float64: it is for showing.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.nn.activations import (
    ACTIVATIONS,
    sample_spacing,
    surrogate_temperature,
)
from uat_explorer.core.nn.gradients import Gradients
from uat_explorer.core.nn.losses import loss_by_name
from uat_explorer.core.nn.network import Network

Array = NDArray[np.float64]


class Trace:
    """Every value of one pass over samples (x, t); arrays are (H, N) or (N,).

    x, t: the samples. z, a: pre-activation and activation. slope: act′(z).
    live: (H,) 1.0 for neurons in the sum, 0.0 for muted ones. y, residual: output, y − t.
    sample_loss: ℓ(r_i). loss: their mean. dl_dy: ℓ′(r_i), the per-sample error signal.
    """

    def __init__(self, network: Network, x: ArrayLike, t: ArrayLike, loss: str = "mse") -> None:
        self.loss_name = loss_by_name(loss).name
        self.x = np.asarray(x, dtype=np.float64).reshape(-1)
        self.t = np.asarray(t, dtype=np.float64).reshape(-1)
        if self.x.size != self.t.size or self.x.size == 0:
            raise ValueError("x and t must be non-empty and of equal length")
        self.network = network.copy()
        net = self.network
        self.live = np.where(net.muted, 0.0, 1.0)
        with np.errstate(all="ignore"):
            self.z = np.multiply.outer(net.w, self.x) + net.b[:, None]
            self.a = np.empty_like(self.z)
            self.slope = np.empty_like(self.z)
            spacing = sample_spacing(self.x)
            kinds = np.array(net.activations)
            for name in set(net.activations):  # one block of rows per activation
                act = ACTIVATIONS[name]
                rows = np.flatnonzero(kinds == name)
                z = self.z[rows]
                a = act.value(z, np.empty_like(z))
                self.a[rows] = a
                if act.surrogate:
                    temp = surrogate_temperature(net.w[rows], spacing)[:, None]
                    self.slope[rows] = act.slope(z / temp, a, np.empty_like(z)) / temp
                else:
                    self.slope[rows] = act.slope(z, a, np.empty_like(z))
            self.v_live = net.v * self.live
            self.y = net.c + self.v_live @ self.a
            self.residual = self.y - self.t
            loss_fn = loss_by_name(self.loss_name)
            self.sample_loss = loss_fn.each(self.residual)
            signal = np.empty_like(self.residual)
            self.loss = float(loss_fn.value_and_grad(self.residual, signal))
            self.dl_dy = signal * self.x.size  # ℓ′(r_i): undo the 1/N of the mean

    @property
    def size(self) -> int:
        """N, the number of samples."""
        return self.x.size

    @cached_property
    def contribution(self) -> Array:
        """p_ij = v_j·a_ij, 0 for muted neurons: each neuron's share of y."""
        return self.v_live[:, None] * self.a

    @cached_property
    def dl_dz(self) -> Array:
        """∂ℓ_i/∂z_ij = ℓ′(r_i) · v_j · act′(z_ij), per sample."""
        return self.v_live[:, None] * self.slope * self.dl_dy

    def sample_gradients(self, i: int) -> Gradients:
        """The gradient of sample i's own loss ℓ(r_i)."""
        signal = self.dl_dy[i]
        dz = self.v_live * self.slope[:, i] * signal
        dv = self.a[:, i] * signal * self.live
        return Gradients(dz * self.x[i], dz, dv, float(signal))

    @cached_property
    def gradients(self) -> Gradients:
        """The gradient of the batch loss L: the mean of the per-sample gradients."""
        mean_signal = self.dl_dy / self.size
        with np.errstate(all="ignore"):
            dz = (self.v_live[:, None] * self.slope) @ mean_signal
            dzx = (self.v_live[:, None] * self.slope) @ (mean_signal * self.x)
            dv = (self.a @ mean_signal) * self.live
        return Gradients(dzx, dz, dv, float(mean_signal.sum()))


def trace(network: Network, x: ArrayLike, t: ArrayLike, loss: str = "mse") -> Trace:
    """One forward and backward pass of ``network`` on samples (x, t) under ``loss``."""
    return Trace(network, x, t, loss)
