"""The cross-entropy over two of a classifier's parameters, every other one held.

Moving w_j, b_j or v_jk changes one neuron's term a_j·v_jᵀ of the logits l = c + Σ a_j·v_jᵀ,
moving c_k one column of c, so the logits on a grid are the untouched neurons' sum plus
at most two terms, each broadcast over the axes it depends on: (rows × columns × N × M)
a band of rows at a time, then −log p of the true class averaged over the N points.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.activations import ACTIVATIONS
from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.teaching.landscape import BAND_ELEMENTS, check_range
from uat_explorer.core.training.classproblem import ClassProblem

Array = NDArray[np.float64]

MAX_POINTS = 301
"""Per axis: 301² grid points × 300 points × 3 logits is already seconds of work."""


def class_parameters(size: int, outputs: int, names: tuple[str, ...]) -> list[tuple[str, int]]:
    """(label, index in θ) of every parameter, neuron by neuron as in the weights table:
    w1, b1, v1 (three or more classes: v1→A, v1→B, …), …, then c (or c→A, …)."""
    h, m = size, outputs
    heads = [""] if m == 1 else [f"→{name}" for name in names]
    labels = []
    for j in range(h):
        labels += [(f"w{j + 1}", j), (f"b{j + 1}", h + j)]
        labels += [(f"v{j + 1}{heads[k]}", 2 * h + j * m + k) for k in range(m)]
    return labels + [(f"c{heads[k]}", 2 * h + h * m + k) for k in range(m)]


def mean_cross_entropy(logits: Array, labels: NDArray[np.intp]) -> Array:
    """mean over the points of −log p[k] for logits (…, N, M): sample_losses, broadcast
    over leading axes (one logit: softplus(∓l); else log Σ exp l − l[k])."""
    if logits.shape[-1] == 1:
        signed = np.where(labels == 1, -logits[..., 0], logits[..., 0])
        losses: Array = np.logaddexp(0.0, signed)
    else:
        top = logits.max(axis=-1)
        lse = top + np.log(np.exp(logits - top[..., None]).sum(axis=-1))
        index = np.broadcast_to(labels[:, None], (*logits.shape[:-1], 1))
        picked = np.take_along_axis(logits, index, axis=-1)[..., 0]
        losses = lse - picked
    means: Array = losses.mean(axis=-1)
    return means


def grid_axes(
    across: tuple[float, float], up: tuple[float, float], points: int
) -> tuple[Array, Array]:
    """``points`` values evenly over each range; an InputError for a range that is not two
    finite numbers, the first smaller, or a grid of fewer than 2 or more than MAX_POINTS."""
    if not 2 <= points <= MAX_POINTS:
        raise InputError(f"the grid must have 2 to {MAX_POINTS} points per axis, got {points}")
    xs = np.linspace(*check_range(*across), points)
    ys = np.linspace(*check_range(*up), points)
    return xs, ys


class ClassLandscape:
    """L(θ[first], θ[second]) of a classifier at θ on the problem's points.

    ``grid(xs, ys)`` is (len(ys), len(xs)): rows follow the second parameter, columns
    the first, as an image.
    """

    def __init__(self, problem: ClassProblem, theta: ArrayLike, first: int, second: int) -> None:
        self.problem = problem
        self.theta = np.array(theta, dtype=np.float64).reshape(-1)
        if self.theta.size != problem.n_params:
            raise InputError(f"θ has {self.theta.size} numbers, the network {problem.n_params}")
        for index in (first, second):
            if not 0 <= index < problem.n_params:
                raise InputError(f"no parameter {index} (this network has {problem.n_params})")
        if first == second:
            raise InputError("choose two different parameters, not the same one twice")
        self.axes = (first, second)
        h, m = problem.size, problem.outputs
        self.network = ClassNetwork(np.zeros(h), np.zeros(h), np.zeros((h, m)), np.zeros(m))
        problem.unpack(self.theta, self.network)
        self.network.activations = list(problem.activations)
        self.network.muted = ~problem.live
        self.neurons = sorted({self._neuron(i) for i in self.axes} - {-1})
        """The neurons whose term moves on the grid (a c axis moves none)."""
        a = self.network.hidden(problem.x)  # (H, N)
        held = [j for j in range(h) if j not in self.neurons]
        self.rest = a[held].T @ self.network.v[held]  # (N, M): the untouched neurons

    def _neuron(self, index: int) -> int:
        """The neuron θ[index] belongs to; -1 for an output bias c_k."""
        h, m = self.problem.size, self.problem.outputs
        if index < 2 * h:
            return index % h
        return (index - 2 * h) // m if index < 2 * h + h * m else -1

    def _value(self, index: int, values: dict[int, Array]) -> Array:
        return values[index] if index in values else self.theta[index : index + 1]

    def _logits(self, values: dict[int, Array]) -> Array:
        """(…, N, M) logits with θ[i] replaced by values[i] (arrays that broadcast
        together; a trailing axis is added for the points)."""
        problem, net = self.problem, self.network
        h, m = problem.size, problem.outputs
        logits: Array = self.rest
        for j in self.neurons:
            if not problem.live[j]:
                continue
            w, b = self._value(j, values), self._value(h + j, values)
            a = ACTIVATIONS[net.activations[j]](np.multiply.outer(w, problem.x) + b[..., None])
            v = [self._value(2 * h + j * m + k, values) for k in range(m)]
            logits = (
                logits + a[..., None] * np.stack(np.broadcast_arrays(*v), axis=-1)[..., None, :]
            )
        c = [self._value(2 * h + h * m + k, values) for k in range(m)]
        shifted: Array = logits + np.stack(np.broadcast_arrays(*c), axis=-1)[..., None, :]
        return shifted

    def bands(self, xs: ArrayLike, ys: ArrayLike) -> Iterator[tuple[slice, Array]]:
        """The grid a band of rows at a time: (rows, their losses (rows, len(xs)))."""
        px = np.asarray(xs, dtype=np.float64).reshape(-1)
        py = np.asarray(ys, dtype=np.float64).reshape(-1)
        if not (np.isfinite(px).all() and np.isfinite(py).all()):
            raise InputError("the grid's values must be finite numbers")
        per_row = px.size * self.problem.x.size * self.problem.outputs
        rows = max(1, BAND_ELEMENTS // max(1, per_row))
        first, second = self.axes
        for start in range(0, py.size, rows):
            band = slice(start, min(py.size, start + rows))
            values = {first: px[None, :], second: py[band, None]}
            with np.errstate(over="ignore", invalid="ignore"):
                losses = mean_cross_entropy(self._logits(values), self.problem.labels)
            yield band, np.broadcast_to(losses, (py[band].size, px.size))

    def grid(self, xs: ArrayLike, ys: ArrayLike) -> Array:
        """(len(ys), len(xs)) cross-entropies, rows along the second parameter."""
        return np.vstack([values for _, values in self.bands(xs, ys)])

    def at(self, x: float, y: float) -> float:
        """The cross-entropy with θ[first] = x and θ[second] = y."""
        first, second = self.axes
        values = {first: np.array([x]), second: np.array([y])}
        return float(mean_cross_entropy(self._logits(values), self.problem.labels)[0])
