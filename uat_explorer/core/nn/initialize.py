"""Random starting weights that put every neuron to work.

Plain random weights leave many neurons switching on outside the domain or all at once,
and then even a fast optimizer stalls (PERF-NOTES: LM stuck at MSE 0.04 with H = 8).
Here the step positions s = −b/w are stratified across the domain, one per slice, and
each slope makes a transition about two slices wide.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np

from uat_explorer.core.nn.network import Network, Neuron
from uat_explorer.core.targets.target import check_domain


def new_seed() -> int:
    """A fresh seed for "New seed": unpredictable, and small enough to read and type (the
    system's randomness, as ``secrets`` draws it; ``secrets`` itself loads OpenSSL, 3 ms
    of the window's launch)."""
    return random.SystemRandom().randrange(1_000_000)


def random_network(activations: Sequence[str], domain: tuple[float, float], seed: int) -> Network:
    """The same seed, activations and domain always give the same network."""
    low, high = check_domain(domain)
    count = len(activations)
    width = high - low
    rng = np.random.default_rng(seed)
    positions = low + width * (np.arange(count) + rng.uniform(0.1, 0.9, count)) / max(count, 1)
    slopes = 2.0 * max(count, 1) / width * np.exp(rng.normal(0.0, 0.3, count))
    relu = np.array([name == "relu" for name in activations], dtype=bool)
    slopes[relu] = 1.0 / width
    w = rng.choice([-1.0, 1.0], count) * slopes
    v = rng.normal(0.0, 1.0 / np.sqrt(max(count, 1)), count)
    return Network(w=w, b=-w * positions, v=v, c=0.0, activations=list(activations))


def free_position(network: Network, domain: tuple[float, float]) -> float:
    """The middle of the widest stretch of the domain where no neuron switches on,
    so a new neuron lands where it is seen."""
    low, high = check_domain(domain)
    positions = network.step_positions()
    inside = positions[np.isfinite(positions) & (positions > low) & (positions < high)]
    edges = np.concatenate([[low], np.sort(inside), [high]])
    widest = int(np.argmax(np.diff(edges)))
    return float(0.5 * (edges[widest] + edges[widest + 1]))


def new_neuron(activation: str, network: Network, domain: tuple[float, float]) -> Neuron:
    """A visible neuron for "Add …": a transition about a tenth of the domain wide
    (steps sharper), switching on in the widest free stretch."""
    low, high = check_domain(domain)
    width = high - low
    slope = {"step": 100.0, "relu": 2.0}.get(activation, 20.0) / width
    position = free_position(network, domain)
    return Neuron(activation, slope, -slope * position, 0.5)


def new_bump(network: Network, domain: tuple[float, float], height: float = 0.5) -> list[Neuron]:
    """Two steps with opposite output weights around a free position: a bump."""
    low, high = check_domain(domain)
    width = high - low
    centre = free_position(network, domain)
    half = width / 20
    slope = 100.0 / width
    return [
        Neuron("step", slope, -slope * (centre - half), height),
        Neuron("step", slope, -slope * (centre + half), -height),
    ]


def resize_network(
    network: Network, count: int, activation: str, domain: tuple[float, float], seed: int
) -> Network:
    """Keep the first ``count`` neurons; add seeded ones of ``activation`` if there are too
    few, their step positions spread over the domain like a fresh start's."""
    kept = network.neurons()[:count]
    extra = count - len(kept)
    if extra > 0:
        fresh = random_network([activation] * extra, domain, seed + network.size)
        kept += fresh.neurons()
    return Network.from_neurons(kept, network.c)
