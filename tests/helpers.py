"""What tests of every layer share, without Qt: files read back, sessions written."""

from __future__ import annotations

import csv
from pathlib import Path

from uat_explorer.core import Network, Session, Target, random_network

MIXED = ["sigmoid", "tanh", "relu", "sigmoid", "tanh", "relu"]


def rows_of(path: str | Path) -> list[list[str]]:
    """A CSV file's rows, the file closed again."""
    with open(path, newline="") as f:
        return list(csv.reader(f))


def mixed_network(seed: int = 2) -> Network:
    """Six neurons of three kinds, spread over [−3, 3]."""
    return random_network(MIXED, (-3, 3), seed)


def write_session(path: Path, network: Network | None = None, samples: int = 120) -> Path:
    """A saved session on sin(x) over [−3, 3] (six mixed neurons unless given)."""
    network = network if network is not None else mixed_network()
    Session(network=network, target=Target.preset("sin"), domain=(-3, 3), samples=samples).save(
        path
    )
    return path
