"""Nielsen's visual proof as an algorithm: steps (or bumps) that trace any curve.

Split the domain into equal slices and give the network the target's value at the middle
of each. A staircase adds one step per slice boundary with the jump as its output weight;
a bump is a pair of steps with opposite output weights. Halving the slices halves the
error of a smooth target.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.network import MAX_NEURONS, Network
from uat_explorer.core.targets.target import check_domain

STEEPNESS = 200.0
"""w = STEEPNESS / slice width: a sigmoid's transition is then 2 % of a slice."""

MODES = ("staircase", "bumps", "sigmoids")
"""Steps in a staircase, bumps (pairs of steps), or a staircase of steep sigmoids."""
NOT_FINITE = (
    "the target is not finite everywhere on the domain (a construction samples it between"
    " the points)"
)
SIGMOID_SPAN = 4.0
"""A sigmoid rises from 12 % to 88 % while z crosses [−2, 2]: 4/w wide in x."""


def construct(
    target: Callable[[np.ndarray], np.ndarray],
    domain: tuple[float, float],
    count: int,
    mode: str = "staircase",
    activation: str = "step",
    transition: float | None = None,
) -> Network:
    """A network of ``count`` step (or steep sigmoid) neurons approximating ``target``.

    Mode "sigmoids" is the staircase made of sigmoids whose transitions are
    ``transition`` wide in x (a person picks it as a number of sample spacings)."""
    low, high = check_domain(domain)
    _check_mode(mode)
    if mode == "sigmoids":
        steepness = SIGMOID_SPAN / _check_transition(transition)
        network = construct(target, domain, count, "staircase", "sigmoid")
        network.w[:] = steepness
        network.b[:] = -steepness * _levels(target, low, high, count + 1)[1]
        return network
    least = 2 if mode == "bumps" else 1
    if not least <= count <= MAX_NEURONS:
        raise InputError(f"{mode} needs between {least} and {MAX_NEURONS} neurons, got {count}")
    if mode == "bumps" and count % 2:
        raise InputError(f"bumps come in pairs of steps: use an even number, not {count}")
    width, inner, heights = _levels(target, low, high, _slices(mode, count))
    if not np.isfinite(heights).all():
        raise InputError(NOT_FINITE)
    if mode == "staircase":
        positions, v, c = inner, np.diff(heights), float(heights[0])
    else:
        starts = np.concatenate([[low], inner])
        ends = np.concatenate([inner, [high + width / 2]])
        positions = np.column_stack([starts, ends]).reshape(-1)
        v = np.column_stack([heights, -heights]).reshape(-1)
        c = 0.0
    w = np.full(count, STEEPNESS / width)
    return Network(w=w, b=-w * positions, v=v, c=c, activations=[activation] * count)


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise InputError(f"unknown construction {mode!r} (known: {', '.join(MODES)})")


def _check_transition(transition: float | None) -> float:
    if transition is None or not (math.isfinite(transition) and transition > 0):
        raise InputError(f"a sigmoid's transition width must be > 0, got {transition!r}")
    return transition


def _slices(mode: str, count: int) -> int:
    """A staircase of N steps has N + 1 levels; N bump neurons make N / 2 bumps."""
    return count // 2 if mode == "bumps" else count + 1


def _levels(
    target: Callable[[np.ndarray], np.ndarray], low: float, high: float, slices: int
) -> tuple[float, np.ndarray, np.ndarray]:
    """``slices`` equal slices of [low, high]: their width, the inner edges between them,
    and the target's value at the middle of each (the level a construction holds there)."""
    width = (high - low) / slices
    inner = low + width * np.arange(1, slices)
    heights = np.asarray(target(low + width * (np.arange(slices) + 0.5)), dtype=np.float64)
    return width, inner, heights


@dataclass(frozen=True)
class SweepPoint:
    neurons: int
    max_abs_error: float
    rmse: float


def sweep(
    target: Callable[[np.ndarray], np.ndarray],
    domain: tuple[float, float],
    x: np.ndarray,
    t: np.ndarray,
    counts: range,
    mode: str = "staircase",
    transition: float | None = None,
) -> list[SweepPoint]:
    """The construction's error on the samples (x, t) for every neuron count in
    ``counts`` (bumps: the even ones). Steps and bumps are piecewise constant, so each
    count costs one search over the samples, not a forward pass."""
    low, high = check_domain(domain)
    _check_mode(mode)
    points = []
    for count in counts:
        if mode == "bumps" and count % 2:
            continue
        if mode == "sigmoids":
            y = _sigmoid_staircase(target, low, high, count, x, transition)
        else:
            _, inner, heights = _levels(target, low, high, _slices(mode, count))
            y = heights[np.searchsorted(inner, x, side="right")]
        if not np.isfinite(y).all():
            raise InputError(NOT_FINITE)
        with np.errstate(all="ignore"):
            error = np.abs(y - t)
        points.append(SweepPoint(count, float(error.max()), float(np.sqrt(np.mean(error * error)))))
    return points


SATURATED = 36.0
"""Beyond |z| = 36 a sigmoid equals its step to within 1e-16."""
PASS_OVERHEAD = 2000
"""A numpy pass costs about as much as this many elements more (measured here)."""


def _sigmoid_staircase(
    target: Callable[[np.ndarray], np.ndarray],
    low: float,
    high: float,
    count: int,
    x: np.ndarray,
    transition: float | None,
) -> np.ndarray:
    """The "sigmoids" construction on x without a forward pass over every neuron: the
    staircase of steps, plus each sigmoid's difference from its step, which only the few
    edges within 36/w of a sample contribute (exact to 1e-16; 20,000 samples in a
    fraction of a second instead of seconds)."""
    w = SIGMOID_SPAN / _check_transition(transition)
    width, edges, heights = _levels(target, low, high, count + 1)
    jumps = np.diff(heights)
    below = np.searchsorted(edges, x, side="right")  # edges at or left of each sample
    y = heights[below].copy()
    reach = math.ceil(SATURATED / (w * width)) + 1
    if 2 * reach * (x.size + PASS_OVERHEAD) >= count * x.size:
        # Few samples, or soft sigmoids that overlap everywhere: the plain sum is cheaper.
        with np.errstate(all="ignore"):
            z = w * (x[None, :] - edges[:, None])
            summed: np.ndarray = heights[0] + jumps @ (0.5 * (1.0 + np.tanh(0.5 * z)))
            return summed
    with np.errstate(all="ignore"):
        for offset in range(-reach, reach):
            k = below + offset
            valid = (k >= 0) & (k < count)
            kk = np.clip(k, 0, count - 1)
            z = w * (x - edges[kk])
            sigmoid = 0.5 * (1.0 + np.tanh(0.5 * z))
            y += np.where(valid, jumps[kk] * (sigmoid - (z >= 0)), 0.0)
    return y


def fitted_slope(points: list[SweepPoint]) -> float:
    """The exponent k of max error ≈ a·N^k, fitted on the second half of the counts (the
    first few are far from their asymptote). Nan with fewer than 3 usable points."""
    usable = [p for p in points[len(points) // 2 :] if p.max_abs_error > 0]
    if len(usable) < 3:
        return math.nan
    n = np.log([p.neurons for p in usable])
    e = np.log([p.max_abs_error for p in usable])
    return float(np.polyfit(n, e, 1)[0])


def smallest_count(points: list[SweepPoint], epsilon: float) -> SweepPoint | None:
    """The first count whose max |error| is at most ``epsilon``, if any."""
    if not (math.isfinite(epsilon) and epsilon > 0):
        raise InputError(f"ε must be a number > 0, got {epsilon!r}")
    return next((p for p in points if p.max_abs_error <= epsilon), None)
