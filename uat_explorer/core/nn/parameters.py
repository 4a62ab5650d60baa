"""Parameters by the names the cards use (w1, b1, v1, w2, …, c), in card order.

The landscape, the timeline and the gradient table all list parameters this way, so a
name typed on the command line means the same dial everywhere.
"""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray

from uat_explorer.core.errors import InputError
from uat_explorer.core.nn.classifier import ClassNetwork
from uat_explorer.core.nn.network import Network

_NAME = re.compile(r"^([wbv])([1-9][0-9]*)$")


def parameter_names(size: int) -> list[str]:
    """[w1, b1, v1, …, wH, bH, vH, c]: the order of ``Gradients.flat`` and the cards."""
    return [f"{p}{j + 1}" for j in range(size) for p in "wbv"] + ["c"]


def class_parameter_names(size: int, heads: tuple[str, ...]) -> list[str]:
    """A classifier's card order [w1, b1, v1→A, v1→B, …, c→A, c→B]: one v per logit,
    named by the class whose logit it feeds (``heads``: one name per logit)."""
    arrows = [f"→{h}" for h in heads]
    neurons = [(f"w{j}", f"b{j}", *(f"v{j}{a}" for a in arrows)) for j in range(1, size + 1)]
    return [name for names in neurons for name in names] + [f"c{a}" for a in arrows]


def parameter_values(network: Network | ClassNetwork) -> NDArray[np.float64]:
    """Every parameter's value in card order (a classifier: its v row of every logit
    after each neuron's w and b, and the c of every logit at the end)."""
    return np.append(np.column_stack([network.w, network.b, network.v]).reshape(-1), network.c)


def parse_parameter(name: str, size: int) -> tuple[str, int]:
    """("w" | "b" | "v", neuron index) or ("c", -1); InputError naming what exists."""
    if name == "c":
        return "c", -1
    match = _NAME.match(name)
    if match is None or int(match.group(2)) > size:
        have = "c" if size == 0 else f"w1 … v{size} and c"
        raise InputError(f"unknown parameter {name!r} (this network has {have})")
    return match.group(1), int(match.group(2)) - 1


def parameter_index(name: str, size: int) -> int:
    """Where ``name`` stands in card order ([w1, b1, v1, …, c]: ``Gradients.flat``)."""
    kind, j = parse_parameter(name, size)
    return 3 * size if kind == "c" else 3 * j + "wbv".index(kind)


def parameter_value(network: Network, name: str) -> float:
    kind, j = parse_parameter(name, network.size)
    return network.c if kind == "c" else float(getattr(network, kind)[j])


def with_parameters(network: Network, values: dict[str, float]) -> Network:
    """A copy of the network with the named parameters set."""
    changed = network.copy()
    for name, value in values.items():
        kind, j = parse_parameter(name, network.size)
        if kind == "c":
            changed.c = float(value)
        else:
            getattr(changed, kind)[j] = value
    return changed
