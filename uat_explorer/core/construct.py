"""Nielsen's visual proof as an algorithm: steps (or bumps) that trace any curve.

Split the domain into equal slices and give the network the target's value at the middle
of each. A staircase adds one step per slice boundary with the jump as its output weight;
a bump is a pair of steps with opposite output weights. Halving the slices halves the
error of a smooth target.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from uat_explorer.core.errors import InputError
from uat_explorer.core.network import MAX_NEURONS, Network
from uat_explorer.core.targets import check_domain

STEEPNESS = 200.0
"""w = STEEPNESS / slice width: a sigmoid's transition is then 2 % of a slice."""

MODES = ("staircase", "bumps")


def construct(
    target: Callable[[np.ndarray], np.ndarray],
    domain: tuple[float, float],
    count: int,
    mode: str = "staircase",
    activation: str = "step",
) -> Network:
    """A network of ``count`` step (or steep sigmoid) neurons approximating ``target``."""
    low, high = check_domain(domain)
    if mode not in MODES:
        raise InputError(f"unknown construction {mode!r} (known: {', '.join(MODES)})")
    least = 2 if mode == "bumps" else 1
    if not least <= count <= MAX_NEURONS:
        raise InputError(f"{mode} needs between {least} and {MAX_NEURONS} neurons, got {count}")
    if mode == "bumps" and count % 2:
        raise InputError(f"bumps come in pairs of steps: use an even number, not {count}")
    slices = count + 1 if mode == "staircase" else count // 2
    width = (high - low) / slices
    edges = low + width * np.arange(slices + 1)
    heights = np.asarray(target(edges[:-1] + width / 2), dtype=np.float64)
    if not np.isfinite(heights).all():
        raise InputError("the target is not finite everywhere on the domain")
    if mode == "staircase":
        positions, v, c = edges[1:-1], np.diff(heights), float(heights[0])
    else:
        ends = edges[1:].copy()
        ends[-1] = high + width / 2
        positions = np.column_stack([edges[:-1], ends]).reshape(-1)
        v = np.column_stack([heights, -heights]).reshape(-1)
        c = 0.0
    w = np.full(count, STEEPNESS / width)
    return Network(w=w, b=-w * positions, v=v, c=c, activations=[activation] * count)
