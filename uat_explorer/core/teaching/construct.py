"""Nielsen's visual proof as an algorithm: steps (or bumps) that trace any curve.

Split the domain into equal slices and give the network the target's value at the middle
of each. A staircase adds one step per slice boundary with the jump as its output weight;
a bump is a pair of steps with opposite output weights. Halving the slices halves the
error of a smooth target.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
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


def built_of(mode: str, count: int) -> str:
    """What ``count`` neurons make in ``mode``, said: "a staircase of 62 steps", "63 bumps
    of two steps", "a staircase of 62 steep sigmoids"."""
    if mode == "bumps":
        bumps = count // 2
        return f"{bumps} bump{'' if bumps == 1 else 's'} of two steps"
    kind = "steep sigmoid" if mode == "sigmoids" else "step"
    return f"a staircase of {count} {kind}{'' if count == 1 else 's'}"


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


FINE = 4097
"""A construction is measured on this many evenly spaced points of its domain (16 or
more a slice up to 256 neurons), on the samples, and on both sides of each of its edges."""
MEASURED_ON = "over the domain"
"""Where ``sweep`` measures, for the texts that report it."""


def measurement_grid(
    domain: tuple[float, float], mode: str = "staircase", transition: float | None = None
) -> np.ndarray:
    """The evenly spaced points of ``domain`` a construction is measured on (ends
    included): ``FINE`` of them, or for steep sigmoids four a rise (their sum is smooth
    over a rise; at most ``FINE``)."""
    low, high = check_domain(domain)
    count = FINE
    if mode == "sigmoids":
        count = min(FINE, math.ceil(4 * (high - low) / _check_transition(transition)) + 1)
    return np.linspace(low, high, max(count, 2))


def error_over_domain(
    output: Callable[[np.ndarray], np.ndarray],
    target: Callable[[np.ndarray], np.ndarray],
    domain: tuple[float, float],
    x: np.ndarray,
    t: np.ndarray,
) -> float:
    """max |output − target| on the grid and the samples (x, t): a trained network's
    error measured as a construction's is (a smooth network has no edges of its own)."""
    grid = measurement_grid(domain)
    with np.errstate(all="ignore"):
        y = np.asarray(output(np.concatenate([grid, x])), dtype=np.float64)
        wanted = np.concatenate([np.asarray(target(grid), dtype=np.float64), t])
        error = np.abs(y - wanted)
    return float(error.max()) if np.isfinite(error).all() else math.inf


def edges_of(domain: tuple[float, float], count: int, mode: str = "staircase") -> np.ndarray:
    """Where the construction of ``count`` neurons changes level: its slices' inner edges."""
    low, high = check_domain(domain)
    _check_mode(mode)
    slices = count + 1 if mode == "sigmoids" else _slices(mode, count)
    return _levels(lambda x: np.zeros_like(x), low, high, slices)[1]


def measurement_points(
    domain: tuple[float, float],
    x: np.ndarray,
    count: int,
    mode: str = "staircase",
    transition: float | None = None,
) -> np.ndarray:
    """Every point the construction of ``count`` neurons is measured on: the grid, the
    samples ``x``, and each edge and the float just before it (a step holds its left
    level up to there, its right one from the edge on). Steep sigmoids are continuous:
    their edges count only where a rise is narrower than a slice (a softer sum is smooth
    between the grid's points)."""
    grid = measurement_grid(domain, mode, transition)
    return np.concatenate([grid, x, _edge_points(domain, count, mode, transition)])


def _edge_points(
    domain: tuple[float, float], count: int, mode: str, transition: float | None
) -> np.ndarray:
    """The points ``measurement_points`` adds at the construction's edges."""
    edges = edges_of(domain, count, mode)
    if mode == "sigmoids":
        low, high = check_domain(domain)
        sharp = _check_transition(transition) < (high - low) / (count + 1)
        return edges if sharp else edges[:0]
    return np.concatenate([edges, np.nextafter(edges, -np.inf)])


def sweep_points(
    target: Callable[[np.ndarray], np.ndarray],
    domain: tuple[float, float],
    x: np.ndarray,
    t: np.ndarray,
    counts: range,
    mode: str = "staircase",
    transition: float | None = None,
) -> Iterator[SweepPoint]:
    """One count at a time (the window measures in slices between frames, so 20,000
    samples of steep sigmoids never hold it for the whole sweep). The construction's
    error against the target for every neuron count in ``counts`` (bumps: the even ones),
    over the domain: the largest |error| on ``measurement_points`` (the samples (x, t)
    among them), and the RMSE on the evenly spaced grid.

    Not on the samples alone: an approximation is as good as its worst point, and the
    samples can miss it. On a square wave, a staircase whose edges fall on the jumps (every
    fourth N) never met the jump's own value at an even number of samples, and one whose
    slices are as narrow as the samples hid a whole jump between two of them: both scored
    0. Steps and bumps are piecewise constant, so each count costs one search over the
    points, not a forward pass."""
    low, high = check_domain(domain)
    _check_mode(mode)
    grid = measurement_grid(domain, mode, transition)
    order = np.argsort(x, kind="stable")  # sorted, each count's search is quicker
    fixed = np.concatenate([grid, np.asarray(x, dtype=np.float64)[order]])
    with np.errstate(all="ignore"):
        wanted = np.concatenate([np.asarray(target(grid), dtype=np.float64), np.asarray(t)[order]])
    chosen = [c for c in counts if not (mode == "bumps" and c % 2)]
    sides = [_edge_points(domain, c, mode, transition) for c in chosen]
    with np.errstate(all="ignore"):
        at_edges = np.asarray(target(np.concatenate([[low], *sides])), dtype=np.float64)[1:]
    if not (np.isfinite(wanted).all() and np.isfinite(at_edges).all()):
        raise InputError(NOT_FINITE)
    bounds = np.cumsum([0] + [s.size for s in sides])
    for k, count in enumerate(chosen):
        where = np.concatenate([fixed, sides[k]])
        if mode == "sigmoids":
            y = _sigmoid_staircase(target, low, high, count, where, transition)
        else:
            _, inner, heights = _levels(target, low, high, _slices(mode, count))
            y = heights[np.searchsorted(inner, where, side="right")]
        if not np.isfinite(y).all():
            raise InputError(NOT_FINITE)
        with np.errstate(all="ignore"):
            error = np.abs(y - np.concatenate([wanted, at_edges[bounds[k] : bounds[k + 1]]]))
            on_grid = error[: grid.size]
            rmse = float(np.sqrt(np.mean(on_grid * on_grid)))
        yield SweepPoint(count, float(error.max()), rmse)


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
    reach = math.ceil(SATURATED / (w * width))  # edges past this many slices: saturated
    if 2 * reach * (x.size + PASS_OVERHEAD) >= count * x.size:
        # Few samples, or soft sigmoids that overlap everywhere: the plain sum is cheaper.
        with np.errstate(all="ignore"):
            z = w * (x[None, :] - edges[:, None])
            summed: np.ndarray = heights[0] + jumps @ (0.5 * (1.0 + np.tanh(0.5 * z)))
            return summed
    # Edges padded with ±inf and no jump, so a sample near an end needs no test.
    far = np.full(reach, np.inf)
    padded_edges = np.concatenate([-far, edges, far])
    padded_jumps = np.concatenate([np.zeros(reach), jumps, np.zeros(reach)])
    with np.errstate(all="ignore"):
        for offset in range(2 * reach):  # the edges from below − reach to below + reach − 1
            k = below + offset
            z = w * (x - padded_edges[k])
            y += padded_jumps[k] * (0.5 * (1.0 + np.tanh(0.5 * z)) - (z >= 0))
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
