"""The loss over one or two parameters, every other parameter held where it is.

This is the surface gradient descent walks on. Moving one parameter changes one term of
y = c + Σ v_j·act(w_j x + b_j), so the output on a grid is the rest of the sum plus a
term per axis: an (rows × columns × samples) broadcast, computed a band of rows at a
time so a caller can keep its event loop turning between bands.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.losses import loss_by_name
from uat_explorer.core.nn.network import Network
from uat_explorer.core.nn.parameters import parameter_value, parse_parameter

Array = NDArray[np.float64]

MAX_GRID = 1000
"""Points per axis: 1000² is already a second of work; more is a typo."""
BAND_ELEMENTS = 500_000
"""Grid points × samples per band: 4 MB of float64, a few ms of work between events."""


def default_range(value: float) -> tuple[float, float]:
    """value ± max(2, 2·|value|): wide enough to see the valley around any current value."""
    half = max(2.0, 2.0 * abs(value))
    return value - half, value + half


def check_grid(points: int) -> int:
    if not 2 <= points <= MAX_GRID:
        raise InputError(f"the grid must have 2 to {MAX_GRID} points per axis, got {points}")
    return points


MAX_VALUE = 1e30
"""The largest |parameter| a session holds: a landscape beyond it shows no network."""


def check_range(low: float, high: float) -> tuple[float, float]:
    """Two finite numbers, the first smaller, within ±MAX_VALUE (so the width is finite)."""
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise InputError(f"a range needs two finite numbers, the first smaller: {low:g} {high:g}")
    if max(abs(low), abs(high)) > MAX_VALUE:
        raise InputError(
            f"a range must lie within ±{MAX_VALUE:g}, the largest a parameter can be:"
            f" {low:g} {high:g}"
        )
    return float(low), float(high)


class Landscape:
    """L(p1, p2) (or L(p1)) of ``network`` on the samples (x, t).

    ``grid(xs, ys)`` is (len(ys), len(xs)): rows follow p2, columns p1, as an image.
    """

    def __init__(
        self, network: Network, x: ArrayLike, t: ArrayLike, loss: str, names: list[str]
    ) -> None:
        if not 1 <= len(names) <= 2:
            raise InputError("a landscape is over one or two parameters")
        self.network = network.copy()
        self.x = np.asarray(x, dtype=np.float64).reshape(-1)
        self.t = np.asarray(t, dtype=np.float64).reshape(-1)
        self.loss = loss_by_name(loss)
        self.names = list(names)
        self.where = [parse_parameter(name, network.size) for name in names]
        if len(names) == 2 and names[0] == names[1]:
            raise InputError(f"choose two different parameters, not {names[0]} twice")
        self.current = [parameter_value(network, name) for name in names]
        y = network(self.x)
        self.rest = y - self.t  # residual with the varied terms taken out below
        for j in {j for _, j in self.where}:
            self.rest -= self._term(j, {}) if j >= 0 else network.c
        self.same_neuron = len(names) == 2 and self.where[0][1] == self.where[1][1] >= 0

    def _term(self, j: int, values: dict[str, Array]) -> Array:
        """Neuron j's term v·act(w·x + b) with some of w, b, v replaced by arrays (they
        broadcast against each other; a trailing axis is added for the samples)."""
        net = self.network
        if net.muted[j]:
            return np.zeros(1)
        w = values.get("w", np.float64(net.w[j]))
        b = values.get("b", np.float64(net.b[j]))
        v = values.get("v", np.float64(net.v[j]))
        z = np.multiply.outer(w, self.x) + np.asarray(b)[..., None]
        return np.asarray(v)[..., None] * ACTIVATIONS[net.activations[j]](z)

    def _axis_terms(self, k: int, values: Array) -> Array:
        """(len(values), N): the varied term along axis k alone."""
        kind, j = self.where[k]
        if kind == "c":
            return np.broadcast_to(values[:, None], (values.size, self.x.size))
        term = self._term(j, {kind: values})
        return np.broadcast_to(term, (values.size, self.x.size))

    def _mean_loss(self, residual: Array) -> Array:
        means: Array = np.asarray(self.loss.each(residual).mean(axis=-1), dtype=np.float64)
        return means

    def curve(self, values: ArrayLike) -> Array:
        """L along the first parameter at ``values`` (the second, if any, held)."""
        ps = np.asarray(values, dtype=np.float64).reshape(-1)
        if len(self.names) == 2:
            row: Array = self.grid(ps, np.array([self.current[1]]))[0]
            return row
        out = np.empty(ps.size)
        step = max(1, BAND_ELEMENTS // max(1, self.x.size))
        for start in range(0, ps.size, step):
            part = ps[start : start + step]
            out[start : start + step] = self._mean_loss(self.rest + self._axis_terms(0, part))
        return out

    def bands(self, xs: ArrayLike, ys: ArrayLike) -> Iterator[tuple[slice, Array]]:
        """The grid a band of rows at a time: (rows, their losses (rows, len(xs)))."""
        if len(self.names) != 2:
            raise InputError("a grid needs two parameters")
        px = np.asarray(xs, dtype=np.float64).reshape(-1)
        py = np.asarray(ys, dtype=np.float64).reshape(-1)
        rows = max(1, BAND_ELEMENTS // max(1, px.size * self.x.size))
        across = None if self.same_neuron else self._axis_terms(0, px)
        for start in range(0, py.size, rows):
            band = slice(start, min(py.size, start + rows))
            yield band, self._band(px, py[band], across)

    def _band(self, px: Array, py: Array, across: Array | None) -> Array:
        if across is None:  # both parameters of one neuron: its term over the whole band
            (k1, j), (k2, _) = self.where
            if "v" in (k1, k2) and not self.network.muted[j]:
                return self._output_weight_band(px, py)
            first, second = np.meshgrid(px, py)
            term = self._term(j, {k1: first, k2: second})
            return self._mean_loss(self.rest + term)
        down = self.rest + self._axis_terms(1, py)
        with np.errstate(over="ignore", invalid="ignore"):
            if self.loss.name == "mse":
                # mean((d + a)²) = mean(d²) + 2·d·a/N + mean(a²): one matrix product
                # instead of a rows × columns × samples array.
                n = self.x.size
                cross = down @ across.T
                cross *= 2.0 / n
                cross += np.einsum("ij,ij->i", down, down)[:, None] / n
                cross += np.einsum("ij,ij->i", across, across)[None, :] / n
                return np.maximum(cross, 0.0)
            return self._mean_loss(down[:, None, :] + across[None, :, :])

    def _output_weight_band(self, px: Array, py: Array) -> Array:
        """v and w (or b) of one neuron: the term is v·act(…), so the activation is
        computed once per value of the other parameter, not once per grid point."""
        (k1, j), (k2, _) = self.where
        vs, others, other = (px, py, k2) if k1 == "v" else (py, px, k1)
        a = self._term(j, {"v": np.ones(1), other: others})  # (len(others), N)
        with np.errstate(over="ignore", invalid="ignore"):
            if self.loss.name == "mse":
                # mean((r + v·a)²) = mean(r²) + 2v·r·a/N + v²·mean(a²)
                n = self.x.size
                ra = a @ self.rest * (2.0 / n)
                aa = np.einsum("ij,ij->i", a, a) / n
                table = float(self.rest @ self.rest) / n + np.multiply.outer(vs, ra)
                table += np.multiply.outer(vs * vs, aa)  # (len(vs), len(others))
                table = np.maximum(table, 0.0)
            else:
                table = self._mean_loss(self.rest + vs[:, None, None] * a[None, :, :])
        return table if k1 != "v" else table.T

    def grid(self, xs: ArrayLike, ys: ArrayLike) -> Array:
        """(len(ys), len(xs)) losses, rows along the second parameter."""
        return np.vstack([values for _, values in self.bands(xs, ys)])
